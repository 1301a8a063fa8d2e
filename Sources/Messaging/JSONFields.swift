import EventSourcing
import Foundation
import PetitionDomain

/// A received JSON object, with typed accessors whose errors name the field.
///
/// Text is normalised to Unicode NFC, so Vietnamese typed in either form is stored one way.
public struct JSONFields {
    public let object: [String: JSONValue]
    /// The path of this object in the message, e.g. `citizen.` (empty at the top).
    private let prefix: String

    /// The largest request body accepted, in bytes.
    public static let maxBodySize = 64 * 1024

    /// Parses one request frame: size, UTF-8 and JSON-object checks, in that order.
    public init(frame: [UInt8]) throws(WireError) {
        guard frame.count <= Self.maxBodySize else { throw .tooLarge(frame.count, limit: Self.maxBodySize) }
        guard !frame.isEmpty else { throw .badRequest("empty message; send one JSON object") }
        guard String(validating: frame, as: UTF8.self) != nil else { throw .badRequest("message is not valid UTF-8") }
        let parsed: JSONValue
        do {
            parsed = try JSONValue.parse(frame)
        } catch {
            throw .badRequest("message is not valid JSON: \(error)")
        }
        guard case .object(let object) = parsed else { throw .badRequest("message must be a JSON object") }
        self.init(object: object)
    }

    public init(object: [String: JSONValue], prefix: String = "") {
        self.object = object
        self.prefix = prefix
    }

    private func present(_ key: String) -> JSONValue? {
        guard let raw = object[key], raw != .null else { return nil }
        return raw
    }

    /// A required non-empty string.
    public func string(_ key: String, maxLength: Int = 10_000) throws(WireError) -> String {
        guard let value = try optionalString(key, maxLength: maxLength) else { throw .missingField(prefix + key) }
        return value
    }

    /// The most bytes an identifier may have.
    public static let maxIdentifierBytes = 128

    /// A required identifier (a command, petition, session, person or alert id): after the text rules,
    /// 1 to `maxBytes` of ASCII letters, digits and `.` `_` `:` `-`. Ids the system makes
    /// (`P000001`, `S000001`, UUIDs, `P000001.overdue.2026-04-01`, `esc:P000001:overdue:2026-04-01`) all fit.
    public func identifier(_ key: String, maxBytes: Int = JSONFields.maxIdentifierBytes) throws(WireError) -> String {
        guard let value = try optionalString(key, maxLength: maxBytes) else { throw .missingField(prefix + key) }
        guard value.utf8.count <= maxBytes, value.utf8.allSatisfy(Self.isIdentifierByte) else {
            throw .invalidValue(prefix + key, "must be 1 to \(maxBytes) of the letters A-Z a-z, digits and . _ : - (e.g. P000001 or a UUID), got \"\(value)\"")
        }
        return value
    }

    public static func isIdentifierByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x5F || b == 0x2E || b == 0x3A
    }

    /// An optional array of strings, each checked like ``optionalString(_:maxLength:)``, at most `maxCount` of them.
    public func optionalStringArray(_ key: String, maxCount: Int, maxLength: Int = 10_000) throws(WireError) -> [String]? {
        guard let raw = present(key) else { return nil }
        guard case .array(let items) = raw else { throw .wrongType(prefix + key, expected: "an array of strings") }
        guard items.count <= maxCount else { throw .invalidValue(prefix + key, "has more than \(maxCount) items") }
        var out: [String] = []
        for (i, item) in items.enumerated() {
            // Named in errors as key[i].
            guard let s = try JSONFields(object: ["\(i)]": item], prefix: "\(prefix)\(key)[").optionalString("\(i)]", maxLength: maxLength) else {
                throw .invalidValue("\(prefix)\(key)[\(i)]", "must be a string")
            }
            out.append(s)
        }
        return out
    }

    /// An optional string; present but not a string is an error. The one text rule of every request field:
    ///
    /// 1. normalise to Unicode NFC;
    /// 2. trim, at both ends and repeatedly, every scalar that is white space (Unicode White_Space) or invisible
    ///    (``isInvisible(_:)``: format characters such as U+200B, U+200C/U+200D, U+FEFF, U+00AD, U+2060 and the
    ///    bidi marks, and Default_Ignorable_Code_Point scalars);
    /// 3. what is left must not be empty, must hold no control character (Cc) but line feed and tab and no bidi
    ///    embedding, override or isolate control (U+202A-U+202E, U+2066-U+2069), and must be at most `maxLength`
    ///    Unicode scalars (so at most `maxLength` characters and 4 x `maxLength` bytes).
    ///
    /// Inside the text other invisible characters are kept (a ZWJ joins an emoji sequence, a ZWNJ matters in some scripts).
    public func optionalString(_ key: String, maxLength: Int = 10_000) throws(WireError) -> String? {
        guard let raw = present(key) else { return nil }
        guard case .string(let s) = raw else { throw .wrongType(prefix + key, expected: "a string") }
        let ascii = s.utf8.allSatisfy { $0 < 0x80 }
        let text = Self.trimmed(ascii ? s : Self.nfc(s), ascii: ascii)
        if text.isEmpty { throw .invalidValue(prefix + key, "must not be empty") }
        // A scalar is at least one UTF-8 byte: more bytes than four per scalar allowed cannot pass, so count no further.
        if text.utf8.count > maxLength && (ascii || text.utf8.count > 4 * maxLength || text.unicodeScalars.count > maxLength) {
            throw .invalidValue(prefix + key, "is longer than \(maxLength) characters (Unicode code points)")
        }
        let (control, bidi) = Self.forbidden(in: text)
        if control { throw .invalidValue(prefix + key, "contains control characters") }
        if bidi { throw .invalidValue(prefix + key, "contains bidirectional control characters (U+202A-U+202E, U+2066-U+2069)") }
        return text
    }

    /// Whether `text` holds a control character (Cc: U+0000-U+001F but line feed and tab, U+007F-U+009F) and whether
    /// it holds a bidi embedding, override or isolate control (U+202A-U+202E, U+2066-U+2069), in one pass over its
    /// UTF-8 bytes: U+0080-U+009F are `C2 80`-`C2 9F`, U+202A-U+202E `E2 80 AA`-`E2 80 AE`, U+2066-U+2069
    /// `E2 81 A6`-`E2 81 A9`, and in valid UTF-8 a lead byte never stands inside another scalar.
    static func forbidden(in text: String) -> (control: Bool, bidi: Bool) {
        var text = text
        return text.withUTF8 { b in
            var control = false, bidi = false
            var i = 0
            let n = b.count
            while i < n {
                let c = b[i]
                if c < 0x80 {
                    if (c < 0x20 && c != 0x0A && c != 0x09) || c == 0x7F { control = true }
                } else if c == 0xC2, i + 1 < n, b[i + 1] <= 0x9F {
                    control = true
                } else if c == 0xE2, i + 2 < n {
                    let c1 = b[i + 1], c2 = b[i + 2]
                    if (c1 == 0x80 && (0xAA...0xAE).contains(c2)) || (c1 == 0x81 && (0xA6...0xA9).contains(c2)) { bidi = true }
                }
                i += 1
            }
            return (control, bidi)
        }
    }

    /// `text` without white space and invisible scalars at either end.
    static func trimmed(_ text: String, ascii: Bool) -> String {
        if ascii {
            let bytes = text.utf8
            func blank(_ b: UInt8) -> Bool { b == 0x20 || (0x09...0x0D).contains(b) }
            guard let first = bytes.first, let last = bytes.last, blank(first) || blank(last) else { return text }
            guard let start = bytes.firstIndex(where: { !blank($0) }), let end = bytes.lastIndex(where: { !blank($0) }) else { return "" }
            return String(decoding: bytes[start...end], as: UTF8.self)
        }
        let scalars = text.unicodeScalars
        func trim(_ u: Unicode.Scalar) -> Bool {
            // Printable ASCII but the space, and the Latin letters Vietnamese is written in, are neither white space nor invisible.
            switch u.value {
            case 0x21...0x7E, 0xC0...0x24F, 0x1E00...0x1EFF: return false
            default: return u.properties.isWhitespace || isInvisible(u)
            }
        }
        guard let first = scalars.first, let last = scalars.last, trim(first) || trim(last) else { return text }
        guard let start = scalars.firstIndex(where: { !trim($0) }), let end = scalars.lastIndex(where: { !trim($0) }) else { return "" }
        return String(scalars[start...end])
    }

    /// Whether `u` shows nothing by itself: a format character (general category Cf, e.g. U+200B, U+200D, U+FEFF,
    /// U+00AD, U+2060, U+200E/U+200F, U+061C) or a default-ignorable code point (e.g. U+034F, U+115F, variation selectors).
    static func isInvisible(_ u: Unicode.Scalar) -> Bool {
        u.properties.generalCategory == .format || u.properties.isDefaultIgnorableCodePoint
    }

    /// `s` in Unicode NFC. Text with no combining mark and no character that NFC
    /// rewrites (the NFC_Quick_Check=No ranges) is already NFC: the common case
    /// for typed Vietnamese, which uses precomposed letters.
    static func nfc(_ s: String) -> String {
        let quick = s.unicodeScalars.allSatisfy { u in
            let v = u.value
            // Below U+0300, and the precomposed Latin letters of Vietnamese (U+1E00-U+1EFF), nothing combines or is rewritten.
            if v < 0x300 || (0x1E00...0x1EFF).contains(v) { return true }
            if u.properties.canonicalCombiningClass != .notReordered { return false }
            switch v {
            case 0x340...0x344, 0x374, 0x37E, 0x387, 0x958...0x95F, 0x9DC...0x9DF, 0xA33, 0xA36, 0xA59...0xA5E, 0xB5C...0xB5D,
                 0xF43...0xF78, 0x1161...0x1175, 0x11A8...0x11C2, 0x1F71...0x1FFD, 0x2000...0x2001, 0x2126...0x212B,
                 0x2329...0x232A, 0x2ADC, 0xF900...0xFAFF, 0xFB1D...0xFB4E, 0x1D15E...0x1D1C0, 0x2F800...0x2FA1D,
                 0x0CC2, 0x0D3E, 0x0D57, 0x0DCF, 0x0DDF, 0x0BBE, 0x0BD7, 0x0B3E, 0x0B56, 0x0B57, 0x09BE, 0x09D7, 0x102E, 0x1B35,
                 0x3099...0x309A:
                return false
            default:
                return true
            }
        }
        return quick ? s : s.precomposedStringWithCanonicalMapping
    }

    /// An optional integer (a JSON number with no fraction; booleans are refused).
    public func optionalInt(_ key: String) throws(WireError) -> Int64? {
        guard let raw = present(key) else { return nil }
        switch raw {
        case .integer(let n): return n
        case .double(let d) where d == d.rounded() && abs(d) < 9.0e15: return Int64(d)
        default: throw .wrongType(prefix + key, expected: "an integer")
        }
    }

    /// An optional boolean.
    public func optionalBool(_ key: String) throws(WireError) -> Bool? {
        guard let raw = present(key) else { return nil }
        guard case .bool(let b) = raw else { throw .wrongType(prefix + key, expected: "true or false") }
        return b
    }

    /// A required nested object.
    public func object(_ key: String) throws(WireError) -> JSONFields {
        guard let raw = present(key) else { throw .missingField(prefix + key) }
        guard case .object(let o) = raw else { throw .wrongType(prefix + key, expected: "an object") }
        return JSONFields(object: o, prefix: prefix + key + ".")
    }

    /// An optional RFC 3339 instant.
    public func optionalInstant(_ key: String) throws(WireError) -> Date? {
        guard let text = try optionalString(key, maxLength: 64) else { return nil }
        guard let date = Timestamp.parse(text) else {
            throw .invalidValue(prefix + key, "must be an RFC 3339 time such as 2026-03-19T08:00:00+07:00, got \"\(text)\"")
        }
        // The year as written (the schema's pattern says the same), whatever the offset.
        guard let year = Int(text.prefix(4)), (1900...2199).contains(year) else {
            throw .invalidValue(prefix + key, "must be between 1900 and 2199, got \"\(text)\"")
        }
        return date
    }

    /// A required string that must be one of `allowed`.
    public func choice<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type) throws(WireError) -> T where T.RawValue == String {
        guard let value = try optionalChoice(key, type) else { throw .missingField(prefix + key) }
        return value
    }

    /// An optional string that must be one of `allowed` when present.
    public func optionalChoice<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type) throws(WireError) -> T? where T.RawValue == String {
        guard let text = try optionalString(key, maxLength: 64) else { return nil }
        guard let value = T(rawValue: text) else {
            throw .invalidValue(prefix + key, "must be one of \(T.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(text)\"")
        }
        return value
    }
}

extension JSONFields {
    /// The `petitionId` field: a petition id.
    func petitionId() throws(WireError) -> String { try identifier("petitionId", maxBytes: 64) }

    /// An optional local date `YYYY-MM-DD`.
    public func optionalDate(_ key: String) throws(WireError) -> LocalDate? {
        guard let text = try optionalString(key, maxLength: 10) else { return nil }
        guard let d = LocalDate(text) else { throw .invalidValue(key, "must be a date YYYY-MM-DD, got \"\(text)\"") }
        return d
    }

    /// A required local date `YYYY-MM-DD`.
    public func date(_ key: String) throws(WireError) -> LocalDate {
        guard let d = try optionalDate(key) else { throw .missingField(key) }
        return d
    }
}
