import EventSourcing

/// Hand-written JSON for event data: the hot path of intake and replay.
///
/// Writes exactly what `JSONEncoder` with sorted keys and unescaped slashes
/// writes for the Codable payloads (a test holds the two equal), and reads
/// through `JSONValue` instead of `JSONDecoder`.
enum EventJSON {
    /// Builds an object whose keys the caller adds in sorted order.
    struct Writer {
        private(set) var text = "{"
        private var first = true

        mutating func key(_ name: String) {
            if !first { text += "," }
            first = false
            text += "\""
            text += name
            text += "\":"
        }

        mutating func add(_ name: String, _ value: String) {
            key(name)
            appendString(value)
        }

        mutating func add(_ name: String, object: String) {
            key(name)
            text += object
        }

        mutating func appendString(_ value: String) {
            JSONText.appendString(value, to: &text)
        }

        mutating func add(_ name: String, int value: Int) {
            key(name)
            text += String(value)
        }

        mutating func add(_ name: String, bool value: Bool) {
            key(name)
            text += value ? "true" : "false"
        }

        func finish() -> String { text + "}" }
    }

    /// Reads fields of a decoded object, failing with the field's name.
    struct Reader {
        /// The members in order; a key given twice counts as its last value, as in a dictionary.
        let members: [(key: String, value: JSONValue)]
        let type: String

        init(_ value: JSONValue, type: String) throws {
            guard case .object(let o) = value else { throw EventDecodingError(type: type, field: "", problem: "data is not an object") }
            members = o.map { ($0.key, $0.value) }
            self.type = type
        }

        init(members: [(key: String, value: JSONValue)], type: String) {
            self.members = members
            self.type = type
        }

        /// The member `key`'s value (the last one given).
        var object: Lookup { Lookup(members: members) }

        struct Lookup {
            let members: [(key: String, value: JSONValue)]
            subscript(_ key: String) -> JSONValue? {
                for i in members.indices.reversed() where members[i].key == key { return members[i].value }
                return nil
            }
        }

        func string(_ key: String) throws -> String {
            guard case .string(let s)? = object[key] else { throw EventDecodingError(type: type, field: key, problem: "missing or not a string") }
            return s
        }

        func nested(_ key: String) throws -> Reader {
            guard let v = object[key] else { throw EventDecodingError(type: type, field: key, problem: "missing") }
            return try Reader(v, type: type)
        }

        func choice<T: RawRepresentable>(_ key: String, _: T.Type) throws -> T where T.RawValue == String {
            guard let value = T(rawValue: try string(key)) else { throw EventDecodingError(type: type, field: key, problem: "unknown value") }
            return value
        }

        func int(_ key: String) throws -> Int {
            guard case .integer(let i)? = object[key], let v = Int(exactly: i) else { throw EventDecodingError(type: type, field: key, problem: "missing or not an integer") }
            return v
        }

        func bool(_ key: String) throws -> Bool {
            guard case .bool(let b)? = object[key] else { throw EventDecodingError(type: type, field: key, problem: "missing or not true/false") }
            return b
        }

        func sealed(_ key: String) throws -> SealedPersonalData {
            let c = try nested(key)
            return SealedPersonalData(personId: try c.string("personId"), sealed: try c.string("sealed"))
        }

        func date(_ key: String) throws -> LocalDate {
            guard let d = LocalDate(try string(key)) else { throw EventDecodingError(type: type, field: key, problem: "not a date YYYY-MM-DD") }
            return d
        }
    }

    static func encode(_ event: DomainEvent) -> String {
        var w = Writer()
        switch event {
        case .session(.opened(let e)):
            w.add("chair", e.chair); w.add("sessionId", e.sessionId); w.add("title", e.title); w.add("unit", e.unit)
        case .petition(.submitted(let e)):
            w.add("category", e.category.rawValue); w.add("citizen", object: sealedObject(e.citizen)); w.add("content", e.content)
            w.add("kind", e.kind.rawValue); w.add("petitionId", e.petitionId); w.add("sessionId", e.sessionId); w.add("unit", e.unit)
        case .petition(.answered(let e)):
            w.add("answer", e.answer); w.add("by", e.by); w.add("petitionId", e.petitionId)
        case .petition(.referred(let e)):
            w.add("assignee", e.assignee); w.add("by", e.by); w.add("complexity", e.complexity.rawValue); w.add("deadline", e.deadline.description)
            w.add("department", e.department); w.add("petitionId", e.petitionId); w.add("rule", e.rule)
        case .petition(.resolved(let e)):
            w.add("by", e.by); w.add("petitionId", e.petitionId); w.add("resolution", e.resolution)
        case .petition(.feedback(let e)):
            w.add("by", e.by); w.add("comment", e.comment); w.add("on", e.on.rawValue); w.add("petitionId", e.petitionId); w.add("satisfied", bool: e.satisfied)
        case .petition(.accepted(let e)):
            w.add("by", e.by); w.add("department", e.department); w.add("petitionId", e.petitionId)
        case .petition(.extended(let e)):
            w.add("approver", e.approver); w.add("by", e.by); w.add("deadline", e.deadline.description); w.add("decision", e.decision)
            w.add("extensionNumber", int: e.extensionNumber); w.add("petitionId", e.petitionId); w.add("previousDeadline", e.previousDeadline.description)
        case .petition(.reassigned(let e)):
            w.add("assignee", e.assignee); w.add("by", e.by); w.add("department", e.department); w.add("fromAssignee", e.fromAssignee)
            w.add("fromDepartment", e.fromDepartment); w.add("petitionId", e.petitionId); w.add("reason", e.reason)
        case .petition(.reopened(let e)):
            w.add("by", e.by); w.add("petitionId", e.petitionId); w.add("reason", e.reason)
        case .petition(.withdrawn(let e)):
            w.add("by", e.by); w.add("petitionId", e.petitionId); w.add("reason", e.reason)
        case .petition(.merged(let e)):
            w.add("by", e.by); w.add("into", e.into); w.add("petitionId", e.petitionId); w.add("reason", e.reason)
        case .petition(.duplicateMerged(let e)):
            w.add("by", e.by); w.add("citizen", object: sealedObject(e.citizen)); w.add("duplicateId", e.duplicateId); w.add("petitionId", e.petitionId)
        case .petition(.escalated(let e)):
            w.add("assignee", e.assignee); w.add("deadline", e.deadline.description); w.add("department", e.department); w.add("due", e.due.description)
            w.add("level", e.level.rawValue); w.add("petitionId", e.petitionId); w.add("recipient", e.recipient); w.add("unit", e.unit)
        case .alert(.delivered(let e)):
            w.add("alertId", e.alertId); w.add("attempts", int: e.attempts); w.add("detail", e.detail); w.add("petitionId", e.petitionId); w.add("sink", e.sink)
        case .alert(.deliveryFailed(let e)):
            w.add("alertId", e.alertId); w.add("attempt", int: e.attempt); w.add("permanent", bool: e.permanent); w.add("petitionId", e.petitionId)
            w.add("reason", e.reason); w.add("sink", e.sink)
        case .person(.forgotten(let e)):
            w.add("by", e.by); w.add("personId", e.personId); w.add("reason", e.reason)
        }
        return w.finish()
    }

    private static func sealedObject(_ citizen: SealedPersonalData) -> String {
        var w = Writer()
        w.add("personId", citizen.personId); w.add("sealed", citizen.sealed)
        return w.finish()
    }

    static func decode(type: String, data: String) throws -> DomainEvent? {
        try decode(type: type, utf8: Array(data.utf8))
    }

    static func decode(type: String, utf8 data: [UInt8]) throws -> DomainEvent? {
        guard EventCodec.readableTypes.contains(type) else { return nil }
        let members: [(key: String, value: JSONValue)]
        do {
            members = try JSONValue.parseMembers(data)
        } catch {
            // Valid JSON that is not an object says so; anything else is the parser's error.
            if let value = try? JSONValue.parse(data) { _ = try Reader(value, type: type) }
            throw error
        }
        let r = Reader(members: members, type: type)
        switch type {
        case SessionOpened.eventType:
            return .session(.opened(SessionOpened(sessionId: try r.string("sessionId"), unit: try r.string("unit"),
                                                  title: try r.string("title"), chair: try r.string("chair"))))
        case PetitionSubmitted.eventType:
            return .petition(.submitted(PetitionSubmitted(
                petitionId: try r.string("petitionId"), sessionId: try r.string("sessionId"), unit: try r.string("unit"),
                kind: try r.choice("kind", PetitionKind.self), category: try r.choice("category", PetitionCategory.self),
                content: try r.string("content"),
                citizen: try r.sealed("citizen"))))
        case PetitionAnswered.eventType:
            return .petition(.answered(PetitionAnswered(petitionId: try r.string("petitionId"), by: try r.string("by"), answer: try r.string("answer"))))
        case EventCodec.referredV1:
            // Upcast: version 1 had no complexity and no rule; its deadline was always given by the chair.
            return .petition(.referred(PetitionReferred(petitionId: try r.string("petitionId"), department: try r.string("department"),
                                                        assignee: try r.string("assignee"), by: try r.string("by"), deadline: try r.date("deadline"))))
        case PetitionReferred.eventType:
            return .petition(.referred(PetitionReferred(petitionId: try r.string("petitionId"), department: try r.string("department"),
                                                        assignee: try r.string("assignee"), by: try r.string("by"), deadline: try r.date("deadline"),
                                                        complexity: try r.choice("complexity", Complexity.self), rule: try r.string("rule"))))
        case PetitionResolved.eventType:
            return .petition(.resolved(PetitionResolved(petitionId: try r.string("petitionId"), by: try r.string("by"), resolution: try r.string("resolution"))))
        case PetitionFeedback.eventType:
            return .petition(.feedback(PetitionFeedback(petitionId: try r.string("petitionId"), on: try r.choice("on", FeedbackSubject.self),
                                                        satisfied: try r.bool("satisfied"), comment: try r.string("comment"), by: try r.string("by"))))
        case PetitionAccepted.eventType:
            return .petition(.accepted(PetitionAccepted(petitionId: try r.string("petitionId"), department: try r.string("department"), by: try r.string("by"))))
        case PetitionExtended.eventType:
            return .petition(.extended(PetitionExtended(petitionId: try r.string("petitionId"), by: try r.string("by"), approver: try r.string("approver"),
                                                        decision: try r.string("decision"), previousDeadline: try r.date("previousDeadline"),
                                                        deadline: try r.date("deadline"), extensionNumber: try r.int("extensionNumber"))))
        case PetitionReassigned.eventType:
            return .petition(.reassigned(PetitionReassigned(petitionId: try r.string("petitionId"), fromDepartment: try r.string("fromDepartment"),
                                                            fromAssignee: try r.string("fromAssignee"), department: try r.string("department"),
                                                            assignee: try r.string("assignee"), by: try r.string("by"), reason: try r.string("reason"))))
        case PetitionReopened.eventType:
            return .petition(.reopened(PetitionReopened(petitionId: try r.string("petitionId"), by: try r.string("by"), reason: try r.string("reason"))))
        case PetitionWithdrawn.eventType:
            return .petition(.withdrawn(PetitionWithdrawn(petitionId: try r.string("petitionId"), by: try r.string("by"), reason: try r.string("reason"))))
        case PetitionMerged.eventType:
            return .petition(.merged(PetitionMerged(petitionId: try r.string("petitionId"), into: try r.string("into"), by: try r.string("by"),
                                                    reason: try r.string("reason"))))
        case PetitionDuplicateMerged.eventType:
            return .petition(.duplicateMerged(PetitionDuplicateMerged(petitionId: try r.string("petitionId"), duplicateId: try r.string("duplicateId"),
                                                                      citizen: try r.sealed("citizen"), by: try r.string("by"))))
        case PetitionEscalated.eventType:
            return .petition(.escalated(PetitionEscalated(petitionId: try r.string("petitionId"), level: try r.choice("level", EscalationLevel.self),
                                                          deadline: try r.date("deadline"), due: try r.date("due"), unit: try r.string("unit"),
                                                          department: try r.string("department"), assignee: try r.string("assignee"),
                                                          recipient: try r.string("recipient"))))
        case AlertDelivered.eventType:
            return .alert(.delivered(AlertDelivered(alertId: try r.string("alertId"), petitionId: try r.string("petitionId"), sink: try r.string("sink"),
                                                    attempts: try r.int("attempts"), detail: try r.string("detail"))))
        case AlertDeliveryFailed.eventType:
            return .alert(.deliveryFailed(AlertDeliveryFailed(alertId: try r.string("alertId"), petitionId: try r.string("petitionId"),
                                                              sink: try r.string("sink"), attempt: try r.int("attempt"), reason: try r.string("reason"),
                                                              permanent: try r.bool("permanent"))))
        case PersonForgotten.eventType:
            return .person(.forgotten(PersonForgotten(personId: try r.string("personId"), by: try r.string("by"), reason: try r.string("reason"))))
        default:
            return nil
        }
    }
}

/// A stored event whose data does not match its type's shape.
public struct EventDecodingError: Error, CustomStringConvertible {
    public var type: String
    public var field: String
    public var problem: String
    public var description: String { "\(type): field \"\(field)\" \(problem)" }
}
