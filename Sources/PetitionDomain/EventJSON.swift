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

        func finish() -> String { text + "}" }
    }

    /// Reads fields of a decoded object, failing with the field's name.
    struct Reader {
        let object: [String: JSONValue]
        let type: String

        init(_ value: JSONValue, type: String) throws {
            guard case .object(let o) = value else { throw EventDecodingError(type: type, field: "", problem: "data is not an object") }
            object = o
            self.type = type
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
            var citizen = Writer()
            citizen.add("personId", e.citizen.personId); citizen.add("sealed", e.citizen.sealed)
            w.add("category", e.category.rawValue); w.add("citizen", object: citizen.finish()); w.add("content", e.content)
            w.add("kind", e.kind.rawValue); w.add("petitionId", e.petitionId); w.add("sessionId", e.sessionId); w.add("unit", e.unit)
        case .petition(.answered(let e)):
            w.add("answer", e.answer); w.add("by", e.by); w.add("petitionId", e.petitionId)
        case .petition(.referred(let e)):
            w.add("assignee", e.assignee); w.add("by", e.by); w.add("deadline", e.deadline.description)
            w.add("department", e.department); w.add("petitionId", e.petitionId)
        case .petition(.resolved(let e)):
            w.add("by", e.by); w.add("petitionId", e.petitionId); w.add("resolution", e.resolution)
        }
        return w.finish()
    }

    static func decode(type: String, data: String) throws -> DomainEvent? {
        guard EventCodec.eventTypes.contains(type) else { return nil }
        let r = try Reader(try JSONValue.parse(Array(data.utf8)), type: type)
        switch type {
        case SessionOpened.eventType:
            return .session(.opened(SessionOpened(sessionId: try r.string("sessionId"), unit: try r.string("unit"),
                                                  title: try r.string("title"), chair: try r.string("chair"))))
        case PetitionSubmitted.eventType:
            let c = try r.nested("citizen")
            return .petition(.submitted(PetitionSubmitted(
                petitionId: try r.string("petitionId"), sessionId: try r.string("sessionId"), unit: try r.string("unit"),
                kind: try r.choice("kind", PetitionKind.self), category: try r.choice("category", PetitionCategory.self),
                content: try r.string("content"),
                citizen: SealedPersonalData(personId: try c.string("personId"), sealed: try c.string("sealed")))))
        case PetitionAnswered.eventType:
            return .petition(.answered(PetitionAnswered(petitionId: try r.string("petitionId"), by: try r.string("by"), answer: try r.string("answer"))))
        case PetitionReferred.eventType:
            return .petition(.referred(PetitionReferred(petitionId: try r.string("petitionId"), department: try r.string("department"),
                                                        assignee: try r.string("assignee"), by: try r.string("by"), deadline: try r.date("deadline"))))
        case PetitionResolved.eventType:
            return .petition(.resolved(PetitionResolved(petitionId: try r.string("petitionId"), by: try r.string("by"), resolution: try r.string("resolution"))))
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
