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

        /// A string member, or `null` when absent (the member is always present).
        mutating func add(_ name: String, optional value: String?) {
            guard let value else { key(name); text += "null"; return }
            add(name, value)
        }

        /// An array of strings.
        mutating func add(_ name: String, strings values: [String]) {
            key(name)
            text += "["
            for (i, v) in values.enumerated() {
                if i > 0 { text += "," }
                appendString(v)
            }
            text += "]"
        }

        mutating func add(_ name: String, optionalInt value: Int?) {
            if let value { add(name, int: value) } else { add(name, object: "null") }
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

    /// Reads fields of an object, failing with the field's name.
    ///
    /// The object is checked whole when the reader is made (``JSONValue/scanMembers(_:in:)``), but a value is built
    /// only when asked for: a decoder pays for the fields it reads, not for the others.
    struct Reader {
        /// The text the members are in.
        private let bytes: [UInt8]
        /// The members in order; a key given twice counts as its last value, as in a dictionary.
        private let members: [JSONMember]
        let type: String

        /// The object at `range` of `bytes` (all of it by default).
        init(_ bytes: [UInt8], in range: Range<Int>? = nil, type: String) throws {
            self.bytes = bytes
            members = try JSONValue.scanMembers(bytes, in: range)
            self.type = type
        }

        /// The member `key` (the last one given).
        private func member(_ key: String) -> JSONMember? {
            var key = key
            return key.withUTF8 { name in
                bytes.withUnsafeBufferPointer { text in
                    members.last { $0.hasKey(UnsafeRawBufferPointer(name), in: text) }
                }
            }
        }

        private func value(_ key: String) -> JSONValue? {
            guard let m = member(key) else { return nil }
            return try? JSONValue.parse(bytes, m) // checked when scanned
        }

        func string(_ key: String) throws -> String {
            if let m = member(key), m.isPlainString { return JSONValue.plainString(bytes, m) }
            guard case .string(let s)? = value(key) else { throw EventDecodingError(type: type, field: key, problem: "missing or not a string") }
            return s
        }

        /// A string member that may be `null` (or absent).
        func optionalString(_ key: String) throws -> String? {
            switch value(key) {
            case nil, .null?: return nil
            case .string(let s)?: return s
            default: throw EventDecodingError(type: type, field: key, problem: "not a string or null")
            }
        }

        /// An array of strings.
        func strings(_ key: String) throws -> [String] {
            guard case .array(let items)? = value(key) else { throw EventDecodingError(type: type, field: key, problem: "missing or not an array") }
            return try items.map { item in
                guard case .string(let s) = item else { throw EventDecodingError(type: type, field: key, problem: "not a string") }
                return s
            }
        }

        /// An array of strings, each one of `T`'s values.
        func choices<T: RawRepresentable>(_ key: String, _: T.Type) throws -> [T] where T.RawValue == String {
            guard case .array(let items)? = value(key) else { throw EventDecodingError(type: type, field: key, problem: "missing or not an array") }
            return try items.map { item in
                guard case .string(let s) = item, let v = T(rawValue: s) else { throw EventDecodingError(type: type, field: key, problem: "unknown value") }
                return v
            }
        }

        func nested(_ key: String) throws -> Reader {
            guard let m = member(key) else { throw EventDecodingError(type: type, field: key, problem: "missing") }
            guard bytes[m.start] == 0x7B else { throw EventDecodingError(type: type, field: "", problem: "data is not an object") }
            return try Reader(bytes, in: m.start..<m.end, type: type)
        }

        func choice<T: RawRepresentable>(_ key: String, _: T.Type) throws -> T where T.RawValue == String {
            guard let value = T(rawValue: try string(key)) else { throw EventDecodingError(type: type, field: key, problem: "unknown value") }
            return value
        }

        /// An integer member that may be `null` (or absent).
        func optionalInt(_ key: String) throws -> Int? {
            switch value(key) {
            case nil, .null?: return nil
            case .integer(let i)?: if let v = Int(exactly: i) { return v }
            default: break
            }
            throw EventDecodingError(type: type, field: key, problem: "not an integer or null")
        }

        func int(_ key: String) throws -> Int {
            guard case .integer(let i)? = value(key), let v = Int(exactly: i) else { throw EventDecodingError(type: type, field: key, problem: "missing or not an integer") }
            return v
        }

        func bool(_ key: String) throws -> Bool {
            guard case .bool(let b)? = value(key) else { throw EventDecodingError(type: type, field: key, problem: "missing or not true/false") }
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
            return try Reader(data, type: type)
        } catch {
            if let value = try? JSONValue.parse(data) {
                guard case .object = value else { throw EventDecodingError(type: type, field: "", problem: "data is not an object") }
            }
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
