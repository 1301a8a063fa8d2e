import EventSourcing

/// Hand-written JSON for event data: the hot path of intake and replay.
///
/// Each payload (``EventPayload``) writes exactly what `JSONEncoder` with sorted keys and
/// unescaped slashes writes for it (a test holds the two equal), and reads through
/// `JSONValue` instead of `JSONDecoder`.
enum EventJSON {
    /// Builds an object whose keys the caller adds in sorted order.
    struct Writer {
        private(set) var text: String
        private var first = true

        init() {
            text = "{"
            // One allocation for most events' data (a submission with its sealed citizen is about 400 bytes).
            text.reserveCapacity(512)
        }

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

        mutating func add(_ name: String, sealed citizen: SealedPersonalData) {
            key(name)
            text += "{\"personId\":"
            appendString(citizen.personId)
            text += ",\"sealed\":"
            appendString(citizen.sealed)
            text += "}"
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

        /// The object's JSON text (the writer is used up).
        consuming func finish() -> String {
            text += "}"
            return text
        }
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

    /// A reader of the data of a record of `type`: valid JSON that is not an object says so; anything else is the parser's error.
    static func reader(type: String, utf8 data: [UInt8]) throws -> Reader {
        do {
            return Reader(members: try JSONValue.parseMembers(data), type: type)
        } catch {
            if let value = try? JSONValue.parse(data) { _ = try Reader(value, type: type) }
            throw error
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
