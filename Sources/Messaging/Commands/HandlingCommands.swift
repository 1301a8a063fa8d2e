import EventSourcing
import Foundation
import PetitionDomain

extension Commands {
    /// `petition.answer`: the chair answers a petition at the conference.
    public struct Answer: PetitionCommandHandler {
        public static let messageType = "petition.answer"
        public static let action = Action.answer
        public var petitionId: String
        public var by: String
        public var answer: String

        public init(petitionId: String, by: String, answer: String) {
            self.petitionId = petitionId; self.by = by; self.answer = answer
        }

        public init(fields f: JSONFields) throws(WireError) {
            self.init(petitionId: try f.petitionId(), by: try f.string("by", maxLength: 200), answer: try f.string("answer"))
        }

        public func encodeFields(into o: inout JSONObjectText) {
            o.string("petitionId", petitionId); o.string("by", by); o.string("answer", answer)
        }

        public var fingerprintFields: [String] { [petitionId, by, answer] }

        public func decide(in context: inout CommandContext) throws -> [StreamOutput] {
            let state = try context.state(Petition.self, petitionId)
            // Answered on-site: at the conference that recorded it, unless the minutes say when.
            if state.status == .submitted {
                context.dateWhenNotGiven(try context.lastOccurredMillis(of: StreamName(category: Petition.category, id: petitionId)))
            }
            let by = try context.decidingChair(self.by, near: state.unitCode)
            return [try context.decide(Petition.self, petitionId, (petitionId, PetitionCommand.answer(by: by, answer: answer)), in: state)]
        }
    }

    /// `petition.refer`: refer a petition to a department and an official, with a deadline given or from the
    /// unit's deadline policy. The chair refers; a clerk records a referral the chair decided at the conference.
    public struct Refer: PetitionCommandHandler {
        public static let messageType = "petition.refer"
        public static let action = Action.refer
        public var petitionId: String
        public var department: String
        public var assignee: String
        public var by: String
        public var deadline: DeadlineRule
        public var complexity: Complexity

        public init(petitionId: String, department: String, assignee: String, by: String, deadline: DeadlineRule, complexity: Complexity = .normal) {
            self.petitionId = petitionId; self.department = department; self.assignee = assignee; self.by = by
            self.deadline = deadline; self.complexity = complexity
        }

        public init(fields f: JSONFields) throws(WireError) {
            let days = try f.optionalInt("days")
            let deadline = try f.optionalDate("deadline")
            let rule: DeadlineRule
            switch (days, deadline) {
            case (let n?, nil):
                guard n >= 1, n <= 3660 else { throw .invalidValue("days", "must be between 1 and 3660, got \(n)") }
                rule = .days(Int(n))
            case (nil, let d?): rule = .date(d)
            case (nil, nil): rule = .policy
            case (_?, _?): throw .invalidValue("deadline", "cannot be given together with days; give one, or neither to use the unit's deadline policy")
            }
            let complexity = try f.optionalString("complexity", maxLength: 32).map { (text: String) throws(WireError) -> Complexity in
                guard let c = Complexity(rawValue: text) else {
                    throw .invalidValue("complexity", "must be one of \(Complexity.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(text)\"")
                }
                return c
            } ?? .normal
            self.init(petitionId: try f.petitionId(), department: try f.string("department", maxLength: 200),
                      assignee: try f.string("assignee", maxLength: 200), by: try f.string("by", maxLength: 200), deadline: rule, complexity: complexity)
        }

        public func encodeFields(into o: inout JSONObjectText) {
            o.string("petitionId", petitionId); o.string("department", department); o.string("assignee", assignee); o.string("by", by)
            switch deadline {
            case .days(let n): o.raw("days", String(n))
            case .date(let d): o.string("deadline", d.description)
            case .policy: break
            }
            if complexity != .normal { o.string("complexity", complexity.rawValue) }
        }

        public var fingerprintFields: [String] {
            let rule: String
            switch deadline {
            case .days(let n): rule = "days:\(n)"
            case .date(let d): rule = "date:\(d)"
            case .policy: rule = "policy"
            }
            return [petitionId, department, assignee, by, rule, complexity.rawValue]
        }

        public func decide(in context: inout CommandContext) throws -> [StreamOutput] {
            let state = try context.state(Petition.self, petitionId)
            if context.actor.role == .clerk {
                // The clerk writes down the chair's decision at the conference: only while the petition is just
                // recorded, dated at the conference unless the minutes say when, in the name of the chair (`by`).
                guard state.status == .submitted else {
                    throw DomainError.notPermitted(role: .clerk, action: "refer a petition that is \(state.status.rawValue) (a clerk records only a referral decided at the conference, while the petition is just recorded)", allowed: [.chair])
                }
                context.dateWhenNotGiven(try context.lastOccurredMillis(of: StreamName(category: Petition.category, id: petitionId)))
            }
            let department = try registeredDepartment(self.department, for: state, in: context)
            let by = try context.decidingChair(self.by, near: state.unitCode)
            let command = PetitionCommand.refer(department: department.name, assignee: assignee, by: by, deadline: deadline, complexity: complexity,
                                                occurredAt: context.occurredAt, context: context.deadlineContext(unit: state.unit ?? ""),
                                                departmentRef: department.ref)
            return [try context.decide(Petition.self, petitionId, (petitionId, command), in: state)]
        }
    }

    /// `petition.resolve`: the holding department settles a petition.
    public struct Resolve: PetitionCommandHandler {
        public static let messageType = "petition.resolve"
        public static let action = Action.resolve
        public var petitionId: String
        public var by: String
        public var resolution: String

        public init(petitionId: String, by: String, resolution: String) {
            self.petitionId = petitionId; self.by = by; self.resolution = resolution
        }

        public init(fields f: JSONFields) throws(WireError) {
            self.init(petitionId: try f.petitionId(), by: try f.string("by", maxLength: 200), resolution: try f.string("resolution"))
        }

        public func encodeFields(into o: inout JSONObjectText) {
            o.string("petitionId", petitionId); o.string("by", by); o.string("resolution", resolution)
        }

        public var fingerprintFields: [String] { [petitionId, by, resolution] }

        public func decide(in context: inout CommandContext) throws -> [StreamOutput] {
            let state = try context.state(Petition.self, petitionId)
            let by = try context.registeredOfficial(self.by, field: "by", near: state.unitCode, role: .departmentOfficer)
            return [try context.decide(Petition.self, petitionId, (petitionId, PetitionCommand.resolve(by: by, resolution: resolution)), in: state)]
        }
    }
}

/// The holder a referral or reassignment names, as the registry has it: the registered name and reference of the
/// department of the petition's unit (or of a unit above it) that `text` names by code or name (or a name it had); a
/// petition recorded before units were registered keeps the text as given, with no reference.
func registeredDepartment(_ text: String, for state: PetitionState, in context: CommandContext) throws -> (name: String, ref: String?) {
    guard let unit = state.unitCode else { return (text, nil) }
    let department = try context.registry().department(named: text, near: unit)
    return (department.name, department.ref)
}
