/// A parsed JSON value with Swift types throughout (no bridging, no dynamic casts).
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    /// A number written without fraction or exponent that fits in 64 bits.
    case integer(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Parses one JSON text from valid UTF-8 bytes.
    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { (buffer) throws(JSONParseError) -> JSONValue in
            var parser = JSONParser(buffer)
            let value = try parser.value(depth: 0)
            parser.skipWhitespace()
            guard parser.index == buffer.count else { throw JSONParseError("unexpected text after the JSON value at byte \(parser.index)") }
            return value
        }
    }
}

/// Where one member of an object lies in a JSON text: its name, and the bytes of its value (`start..<end`).
///
/// What ``JSONValue/scanMembers(_:in:)`` gives: the object checked as a whole, nothing of its values built, so a
/// reader builds only the values it asks for (an event's decoder never builds what it does not read).
public struct JSONMember: Sendable {
    /// Where its name is without escapes: the bytes between its quotes.
    let keyStart: Int
    let keyEnd: Int
    /// Its name when written with escapes; nil when it is the bytes at `keyStart ..< keyEnd`.
    let escapedKey: String?
    public let start: Int
    public let end: Int
    /// A string with no escapes: its value is the bytes between its quotes.
    public let isPlainString: Bool

    /// Its name, from the text it was scanned in.
    public func key(in bytes: [UInt8]) -> String {
        escapedKey ?? bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[keyStart..<keyEnd]), as: UTF8.self) }
    }

    /// Whether its name is `key` (UTF-8 bytes), in the text it was scanned in: compared, not made into a string.
    public func hasKey(_ key: UnsafeRawBufferPointer, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if let escapedKey { return escapedKey.utf8.elementsEqual(key) }
        guard keyEnd - keyStart == key.count else { return false }
        for i in 0..<key.count where bytes[keyStart + i] != key[i] { return false }
        return true
    }
}

extension JSONValue {
    /// Checks the object at `range` of `bytes` (the whole text by default) as ``parse(_:)`` does, and says where
    /// each member's value lies, in order (a later duplicate key comes later).
    public static func scanMembers(_ bytes: [UInt8], in range: Range<Int>? = nil) throws(JSONParseError) -> [JSONMember] {
        try bytes.withUnsafeBufferPointer { (whole) throws(JSONParseError) -> [JSONMember] in
            let range = range ?? 0..<whole.count
            var parser = JSONParser(UnsafeBufferPointer(rebasing: whole[..<range.upperBound]))
            parser.index = range.lowerBound
            parser.skipWhitespace()
            guard parser.index < range.upperBound, whole[parser.index] == 0x7B else { throw JSONParseError("expected an object at byte \(parser.index)") }
            let members = try parser.memberSpans(depth: 1)
            parser.skipWhitespace()
            guard parser.index == range.upperBound else { throw JSONParseError("unexpected text after the JSON value at byte \(parser.index)") }
            return members
        }
    }

    /// The value at `start..<end` of `bytes`: a member's value as ``scanMembers(_:in:)`` found it.
    public static func parse(_ bytes: [UInt8], _ member: JSONMember) throws(JSONParseError) -> JSONValue {
        if member.isPlainString { return .string(plainString(bytes, member)) }
        return try bytes.withUnsafeBufferPointer { (whole) throws(JSONParseError) -> JSONValue in
            var parser = JSONParser(UnsafeBufferPointer(rebasing: whole[..<member.end]))
            parser.index = member.start
            return try parser.value(depth: 0)
        }
    }

    /// The text of a member whose value ``JSONMember/isPlainString``.
    public static func plainString(_ bytes: [UInt8], _ member: JSONMember) -> String {
        bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[(member.start + 1)..<(member.end - 1)]), as: UTF8.self) }
    }
}

/// Why a JSON text could not be parsed.
public struct JSONParseError: Error, Hashable, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A recursive-descent parser over UTF-8 bytes (RFC 8259), nesting limited.
struct JSONParser {
    static let maxDepth = 64
    let b: UnsafeBufferPointer<UInt8>
    var index = 0

    init(_ buffer: UnsafeBufferPointer<UInt8>) { b = buffer }

    mutating func skipWhitespace() {
        while index < b.count, b[index] == 0x20 || b[index] == 0x0A || b[index] == 0x0D || b[index] == 0x09 { index += 1 }
    }

    mutating func value(depth: Int) throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        guard index < b.count else { throw JSONParseError("unexpected end of JSON") }
        switch b[index] {
        case 0x7B: return try object(depth: depth + 1)
        case 0x5B: return try array(depth: depth + 1)
        case 0x22: return .string(try string())
        case 0x74: try literal("true"); return .bool(true)
        case 0x66: try literal("false"); return .bool(false)
        case 0x6E: try literal("null"); return .null
        case 0x2D, 0x30...0x39: return try number()
        default: throw JSONParseError("unexpected character at byte \(index)")
        }
    }

    mutating func literal(_ word: StaticString) throws(JSONParseError) {
        let n = word.utf8CodeUnitCount
        guard index + n <= b.count else { throw JSONParseError("unexpected end of JSON") }
        for i in 0..<n where b[index + i] != word.utf8Start[i] { throw JSONParseError("invalid literal at byte \(index)") }
        index += n
    }

    mutating func object(depth: Int) throws(JSONParseError) -> JSONValue {
        // A repeated member name: the last one wins.
        .object(Dictionary(try members(depth: depth), uniquingKeysWith: { _, last in last }))
    }

    /// An object's members in order, the parser at its `{`.
    mutating func members(depth: Int) throws(JSONParseError) -> [(key: String, value: JSONValue)] {
        var result: [(key: String, value: JSONValue)] = []
        result.reserveCapacity(8)
        try eachMember(depth: depth) { (p) throws(JSONParseError) in try p.string() } value: { (p, key) throws(JSONParseError) in
            result.append((key, try p.value(depth: depth)))
        }
        return result
    }

    /// An object's members as spans, the parser at its `{`: every value checked as ``members(depth:)`` checks it, none built.
    mutating func memberSpans(depth: Int) throws(JSONParseError) -> [JSONMember] {
        var result: [JSONMember] = []
        result.reserveCapacity(8)
        try eachMember(depth: depth) { (p) throws(JSONParseError) -> (start: Int, end: Int, escaped: String?) in
            let start = p.index + 1
            if try p.skipValue(depth: depth) { return (start, p.index - 1, nil) }
            p.index = start - 1
            return (start, start, try p.string())
        } value: { (p, key) throws(JSONParseError) in
            p.skipWhitespace()
            let start = p.index
            let plain = try p.skipValue(depth: depth)
            result.append(JSONMember(keyStart: key.start, keyEnd: key.end, escapedKey: key.escaped, start: start, end: p.index, isPlainString: plain))
        }
        return result
    }

    /// Walks an object's members, the parser at its `{`: `name` reads each member's name (the parser at its `"`),
    /// `value` its value (the parser after the `:`).
    private mutating func eachMember<Name>(depth: Int, name: (inout JSONParser) throws(JSONParseError) -> Name,
                                           value: (inout JSONParser, Name) throws(JSONParseError) -> Void) throws(JSONParseError) {
        guard depth <= Self.maxDepth else { throw JSONParseError("JSON nested deeper than \(Self.maxDepth) levels") }
        index += 1
        skipWhitespace()
        if index < b.count, b[index] == 0x7D { index += 1; return }
        while true {
            skipWhitespace()
            guard index < b.count, b[index] == 0x22 else { throw JSONParseError("expected a member name at byte \(index)") }
            let key = try name(&self)
            skipWhitespace()
            guard index < b.count, b[index] == 0x3A else { throw JSONParseError("expected ':' at byte \(index)") }
            index += 1
            try value(&self, key)
            skipWhitespace()
            guard index < b.count else { throw JSONParseError("unexpected end of JSON") }
            if b[index] == 0x2C { index += 1; continue }
            if b[index] == 0x7D { index += 1; return }
            throw JSONParseError("expected ',' or '}' at byte \(index)")
        }
    }

    /// Checks one value as ``value(depth:)`` does without building it; true for a string without escapes.
    mutating func skipValue(depth: Int) throws(JSONParseError) -> Bool {
        skipWhitespace()
        guard index < b.count else { throw JSONParseError("unexpected end of JSON") }
        switch b[index] {
        case 0x22:
            let quote = index
            index += 1
            while index < b.count {
                let c = b[index]
                if c == 0x22 { index += 1; return true }
                if c == 0x5C { break }
                if c < 0x20 { throw JSONParseError("unescaped control character in a string at byte \(index)") }
                index += 1
            }
            // An escape: the whole string again through the parser, which checks every escape.
            index = quote
            _ = try string()
            return false
        case 0x2D, 0x30...0x39:
            _ = try numberEnd()
            return false
        case 0x7B:
            _ = try memberSpans(depth: depth + 1)
            return false
        default:
            _ = try value(depth: depth)
            return false
        }
    }

    mutating func array(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= Self.maxDepth else { throw JSONParseError("JSON nested deeper than \(Self.maxDepth) levels") }
        index += 1
        var result: [JSONValue] = []
        skipWhitespace()
        if index < b.count, b[index] == 0x5D { index += 1; return .array(result) }
        while true {
            result.append(try value(depth: depth))
            skipWhitespace()
            guard index < b.count else { throw JSONParseError("unexpected end of JSON") }
            if b[index] == 0x2C { index += 1; continue }
            if b[index] == 0x5D { index += 1; return .array(result) }
            throw JSONParseError("expected ',' or ']' at byte \(index)")
        }
    }

    mutating func string() throws(JSONParseError) -> String {
        index += 1
        let start = index
        // Fast path: no escapes.
        while index < b.count {
            let c = b[index]
            if c == 0x22 {
                let s = String(decoding: UnsafeBufferPointer(rebasing: b[start..<index]), as: UTF8.self)
                index += 1
                return s
            }
            if c == 0x5C { break }
            if c < 0x20 { throw JSONParseError("unescaped control character in a string at byte \(index)") }
            index += 1
        }
        var bytes = Array(UnsafeBufferPointer(rebasing: b[start..<index]))
        while index < b.count {
            let c = b[index]
            switch c {
            case 0x22:
                index += 1
                return String(decoding: bytes, as: UTF8.self)
            case 0x5C:
                index += 1
                guard index < b.count else { throw JSONParseError("unexpected end of JSON") }
                let e = b[index]
                index += 1
                switch e {
                case 0x22, 0x5C, 0x2F: bytes.append(e)
                case 0x62: bytes.append(0x08)
                case 0x66: bytes.append(0x0C)
                case 0x6E: bytes.append(0x0A)
                case 0x72: bytes.append(0x0D)
                case 0x74: bytes.append(0x09)
                case 0x75:
                    var scalar = try hex4()
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard index + 1 < b.count, b[index] == 0x5C, b[index + 1] == 0x75 else { throw JSONParseError("unpaired surrogate at byte \(index)") }
                        index += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw JSONParseError("unpaired surrogate at byte \(index)") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw JSONParseError("invalid \\u escape at byte \(index)") }
                    bytes.append(contentsOf: String(Character(u)).utf8)
                default: throw JSONParseError("invalid escape at byte \(index - 1)")
                }
            default:
                if c < 0x20 { throw JSONParseError("unescaped control character in a string at byte \(index)") }
                bytes.append(c)
                index += 1
            }
        }
        throw JSONParseError("unterminated string")
    }

    mutating func hex4() throws(JSONParseError) -> UInt32 {
        guard index + 4 <= b.count else { throw JSONParseError("unexpected end of JSON") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = b[index]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw JSONParseError("invalid \\u escape at byte \(index)")
            }
            v = v * 16 + d
            index += 1
        }
        return v
    }

    mutating func number() throws(JSONParseError) -> JSONValue {
        let start = try numberEnd()
        let text = String(decoding: UnsafeBufferPointer(rebasing: b[start..<index]), as: UTF8.self)
        if integral(start), let n = Int64(text) { return .integer(n) }
        guard let d = Double(text) else { throw JSONParseError("invalid number at byte \(start)") }
        return .double(d)
    }

    /// Whether the number at `start..<index` has neither fraction nor exponent.
    private func integral(_ start: Int) -> Bool {
        !b[start..<index].contains { $0 == 0x2E || $0 == 0x65 || $0 == 0x45 }
    }

    /// Moves past a number, checking its grammar; returns where it starts.
    mutating func numberEnd() throws(JSONParseError) -> Int {
        let start = index
        if b[index] == 0x2D { index += 1 }
        guard index < b.count, (0x30...0x39).contains(b[index]) else { throw JSONParseError("invalid number at byte \(start)") }
        if b[index] == 0x30 { index += 1 } else { while index < b.count, (0x30...0x39).contains(b[index]) { index += 1 } }
        if index < b.count, b[index] == 0x2E {
            index += 1
            guard index < b.count, (0x30...0x39).contains(b[index]) else { throw JSONParseError("invalid number at byte \(start)") }
            while index < b.count, (0x30...0x39).contains(b[index]) { index += 1 }
        }
        if index < b.count, b[index] == 0x65 || b[index] == 0x45 {
            index += 1
            if index < b.count, b[index] == 0x2B || b[index] == 0x2D { index += 1 }
            guard index < b.count, (0x30...0x39).contains(b[index]) else { throw JSONParseError("invalid number at byte \(start)") }
            while index < b.count, (0x30...0x39).contains(b[index]) { index += 1 }
        }
        return start
    }
}
