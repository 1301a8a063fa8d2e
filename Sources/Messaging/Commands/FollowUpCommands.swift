import EventSourcing
import Foundation
import PetitionDomain

extension Commands {
    /// `petition.feedback`: the citizen says whether the answer or resolution satisfied them.
    public struct Feedback: PetitionCommandHandler {
        public static let messageType = "petition.feedback"
        public static let action = Action.feedback
        public var petitionId: String
        public var satisfied: Bool
        public var comment: String

        public init(petitionId: String, satisfied: Bool, comment: String = "") {
            self.petitionId = petitionId; self.satisfied = satisfied; self.comment = comment
        }

        public init(fields f: JSONFields) throws(WireError) {
            guard let satisfied = try f.optionalBool("satisfied") else { throw .missingField("satisfied") }
            self.init(petitionId: try f.petitionId(), satisfied: satisfied, comment: try f.optionalString("comment") ?? "")
        }

        public func encodeFields(into o: inout JSONObjectText) {
            o.string("petitionId", petitionId); o.raw("satisfied", satisfied ? "true" : "false")
            if !comment.isEmpty { o.string("comment", comment) }
        }

        public var fingerprintFields: [String] { [petitionId, satisfied ? "1" : "0", comment] }

        public func decide(in context: inout CommandContext) throws -> [StreamOutput] {
            [try context.decide(Petition.self, petitionId, (petitionId, PetitionCommand.feedback(satisfied: satisfied, comment: comment, by: context.actor.id)))]
        }
    }

    /// `petition.accept`: the holding department takes the referral in hand.
    public struct Accept: PetitionCommandHandler {
        public static let messageType = "petition.accept"
        public static let action = Action.accept
        public var petitionId: String

        public init(petitionId: String) { self.petitionId = petitionId }

        public init(fields f: JSONFields) throws(WireError) { self.init(petitionId: try f.petitionId()) }

        public func encodeFields(into o: inout JSONObjectText) { o.string("petitionId", petitionId) }

        public var fingerprintFields: [String] { [petitionId] }

        public func decide(in context: inout CommandContext) throws -> [StreamOutput] {
            [try context.decide(Petition.self, petitionId, (petitionId, PetitionCommand.accept(by: context.actor.id)))]
        }
    }

    /// `petition.extend`: move the deadline by a recorded decision (`deadline` nil: by the policy's extension length).
    public struct Extend: PetitionCommandHandler {
        public static let messageType = "petition.extend"
        public static let action = Action.extend
        public var petitionId: String
        public var approver: String
        public var decision: String
        public var deadline: LocalDate?

        public init(petitionId: String, approver: String, decision: String, deadline: LocalDate?) {
            self.petitionId = petitionId; self.approver = approver; self.decision = decision; self.deadline = deadline
        }

        public init(fields f: JSONFields) throws(WireError) {
            self.init(petitionId: try f.petitionId(), approver: try f.string("approver", maxLength: 200),
                      decision: try f.string("decision", maxLength: 200), deadline: try f.optionalDate("deadline"))
        }

        public func encodeFields(into o: inout JSONObjectText) {
            o.string("petitionId", petitionId); o.string("approver", approver); o.string("decision", decision)
            if let deadline { o.string("deadline", deadline.description) }
        }

        public var fingerprintFields: [String] { [petitionId, approver, decision, absentable(deadline?.description)] }

        public func decide(in context: inout CommandContext) throws -> [StreamOutput] {
            let state = try context.state(Petition.self, petitionId)
            let approver = try context.registeredOfficial(self.approver, field: "approver", near: state.unitCode, role: .chair)
            let command = PetitionCommand.extend(by: context.actor.id, approver: approver, decision: decision, deadline: deadline,
                                                 context: context.deadlineContext(unit: state.unit ?? ""))
            return [try context.decide(Petition.self, petitionId, (petitionId, command), in: state)]
        }
    }

    /// `petition.reassign`: hand a petition to another department or official.
    public struct Reassign: PetitionCommandHandler {
        public static let messageType = "petition.reassign"
        public static let action = Action.reassign
        public var petitionId: String
        public var department: String
        public var assignee: String
        public var reason: String

        public init(petitionId: String, department: String, assignee: String, reason: String) {
            self.petitionId = petitionId; self.department = department; self.assignee = assignee; self.reason = reason
        }

        public init(fields f: JSONFields) throws(WireError) {
            self.init(petitionId: try f.petitionId(), department: try f.string("department", maxLength: 200),
                      assignee: try f.string("assignee", maxLength: 200), reason: try f.string("reason", maxLength: 2000))
        }

        public func encodeFields(into o: inout JSONObjectText) {
            o.string("petitionId", petitionId); o.string("department", department); o.string("assignee", assignee); o.string("reason", reason)
        }

        public var fingerprintFields: [String] { [petitionId, department, assignee, reason] }

        public func decide(in context: inout CommandContext) throws -> [StreamOutput] {
            let state = try context.state(Petition.self, petitionId)
            let department = try registeredDepartment(self.department, for: state, in: context)
            return [try context.decide(Petition.self, petitionId, (petitionId, PetitionCommand.reassign(department: department.name, assignee: assignee, by: context.actor.id, reason: reason, departmentRef: department.ref)), in: state)]
        }
    }

    /// `petition.reopen`: open a closed petition again.
    public struct Reopen: PetitionCommandWithReason {
        public static let messageType = "petition.reopen"
        public static let action = Action.reopen
        public var petitionId: String
        public var reason: String

        public init(petitionId: String, reason: String) { self.petitionId = petitionId; self.reason = reason }
        public static func decision(by: String, reason: String) -> PetitionCommand { .reopen(by: by, reason: reason) }
    }

    /// `petition.withdraw`: the citizen withdraws a petition.
    public struct Withdraw: PetitionCommandWithReason {
        public static let messageType = "petition.withdraw"
        public static let action = Action.withdraw
        public var petitionId: String
        public var reason: String

        public init(petitionId: String, reason: String) { self.petitionId = petitionId; self.reason = reason }
        public static func decision(by: String, reason: String) -> PetitionCommand { .withdraw(by: by, reason: reason) }
    }

    /// `petition.merge`: this petition duplicates `into`, which carries it on (an event on each stream).
    public struct Merge: PetitionCommandHandler {
        public static let messageType = "petition.merge"
        public static let action = Action.merge
        public var petitionId: String
        public var into: String
        public var reason: String

        public init(petitionId: String, into: String, reason: String) { self.petitionId = petitionId; self.into = into; self.reason = reason }

        public init(fields f: JSONFields) throws(WireError) {
            self.init(petitionId: try f.petitionId(), into: try f.identifier("into", maxBytes: 64), reason: try f.string("reason", maxLength: 2000))
        }

        public func encodeFields(into o: inout JSONObjectText) { o.string("petitionId", petitionId); o.string("into", into); o.string("reason", reason) }

        public var fingerprintFields: [String] { [petitionId, into, reason] }

        public func decide(in context: inout CommandContext) throws -> [StreamOutput] {
            let target: PetitionState
            do { target = try context.state(Petition.self, into) } catch let e as DomainError where e.errorCode == .petitionNotFound {
                throw WireError.invalidValue("into", "petition \(into) does not exist")
            }
            let state = try context.state(Petition.self, petitionId)
            let by = context.actor.id
            let duplicate = try context.decide(Petition.self, petitionId, (petitionId, PetitionCommand.merge(into: into, target: target, by: by, reason: reason)), in: state)
            let carrier = try context.decide(Petition.self, into, (into, PetitionCommand.attachDuplicate(duplicateId: petitionId, citizen: state.citizen!, by: by)), in: target)
            return [duplicate, carrier]
        }
    }
}

/// A command on a petition whose only field is why (reopen, withdraw): its wire form, fingerprint and decision
/// by the actor come from here.
public protocol PetitionCommandWithReason: PetitionCommandHandler {
    var reason: String { get }
    init(petitionId: String, reason: String)
    /// The petition's decision, made by `by` for `reason`.
    static func decision(by: String, reason: String) -> PetitionCommand
}

extension PetitionCommandWithReason {
    public init(fields f: JSONFields) throws(WireError) {
        self.init(petitionId: try f.petitionId(), reason: try f.string("reason", maxLength: 2000))
    }

    public func encodeFields(into o: inout JSONObjectText) { o.string("petitionId", petitionId); o.string("reason", reason) }

    public var fingerprintFields: [String] { [petitionId, reason] }

    public func decide(in context: inout CommandContext) throws -> [StreamOutput] {
        [try context.decide(Petition.self, petitionId, (petitionId, Self.decision(by: context.actor.id, reason: reason)))]
    }
}
