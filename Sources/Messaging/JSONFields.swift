import EventSourcing
import Foundation

/// A received JSON object, with typed accessors whose errors name the field.
///
/// Text is normalised to Unicode NFC, so Vietnamese typed in either form is stored one way.
public struct JSONFields {
    public let object: [String: Any]

    static let earliest = Timestamp.parse("1900-01-01T00:00:00Z")!
    static let latest = Timestamp.parse("2199-12-31T23:59:59Z")!

    /// The largest request body accepted, in bytes.
    public static let maxBodySize = 64 * 1024

    /// Parses one request frame: size, UTF-8 and JSON-object checks, in that order.
    public init(frame: [UInt8]) throws(WireError) {
        guard frame.count <= Self.maxBodySize else { throw .tooLarge(frame.count, limit: Self.maxBodySize) }
        guard !frame.isEmpty else { throw .badRequest("empty message; send one JSON object") }
        guard String(validating: frame, as: UTF8.self) != nil else { throw .badRequest("message is not valid UTF-8") }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(frame), options: [])
        } catch {
            throw .badRequest("message is not valid JSON")
        }
        guard let object = parsed as? [String: Any] else { throw .badRequest("message must be a JSON object") }
        self.object = object
    }

    public init(object: [String: Any]) { self.object = object }

    /// A required non-empty string.
    public func string(_ key: String, maxLength: Int = 10_000) throws(WireError) -> String {
        guard let value = try optionalString(key, maxLength: maxLength) else { throw .missingField(key) }
        return value
    }

    /// An optional string; present but not a string is an error.
    public func optionalString(_ key: String, maxLength: Int = 10_000) throws(WireError) -> String? {
        guard let raw = object[key], !(raw is NSNull) else { return nil }
        guard let s = raw as? String else { throw .wrongType(key, expected: "a string") }
        let ascii = s.utf8.allSatisfy { $0 < 0x80 }
        var text = ascii ? s : s.precomposedStringWithCanonicalMapping
        if let first = text.first, let last = text.last, first.isWhitespace || last.isWhitespace {
            text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if text.isEmpty { throw .invalidValue(key, "must not be empty") }
        if (ascii ? text.utf8.count : text.count) > maxLength { throw .invalidValue(key, "is longer than \(maxLength) characters") }
        let control = ascii
            ? text.utf8.contains { ($0 < 0x20 && $0 != 0x0A && $0 != 0x09) || $0 == 0x7F }
            : text.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || (0x7F...0x9F).contains($0.value) }
        if control { throw .invalidValue(key, "contains control characters") }
        return text
    }

    /// An optional integer (a JSON number with no fraction; booleans are refused).
    public func optionalInt(_ key: String) throws(WireError) -> Int64? {
        guard let raw = object[key], !(raw is NSNull) else { return nil }
        guard let n = raw as? NSNumber, String(cString: n.objCType) != "c" else { throw .wrongType(key, expected: "an integer") }
        let d = n.doubleValue
        guard d == d.rounded(), abs(d) < 9.0e15 else { throw .wrongType(key, expected: "an integer") }
        return n.int64Value
    }

    /// An optional boolean.
    public func optionalBool(_ key: String) throws(WireError) -> Bool? {
        guard let raw = object[key], !(raw is NSNull) else { return nil }
        guard let n = raw as? NSNumber, String(cString: n.objCType) == "c" else { throw .wrongType(key, expected: "true or false") }
        return n.boolValue
    }

    /// A required nested object.
    public func object(_ key: String) throws(WireError) -> JSONFields {
        guard let raw = object[key], !(raw is NSNull) else { throw .missingField(key) }
        guard let o = raw as? [String: Any] else { throw .wrongType(key, expected: "an object") }
        return JSONFields(object: o)
    }

    /// An optional RFC 3339 instant.
    public func optionalInstant(_ key: String) throws(WireError) -> Date? {
        guard let text = try optionalString(key, maxLength: 64) else { return nil }
        guard let date = Timestamp.parse(text) else {
            throw .invalidValue(key, "must be an RFC 3339 time such as 2026-03-19T08:00:00+07:00, got \"\(text)\"")
        }
        guard (Self.earliest...Self.latest).contains(date) else {
            throw .invalidValue(key, "must be between 1900 and 2199, got \"\(text)\"")
        }
        return date
    }

    /// A required string that must be one of `allowed`.
    public func choice<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type) throws(WireError) -> T where T.RawValue == String {
        let text = try string(key, maxLength: 64)
        guard let value = T(rawValue: text) else {
            throw .invalidValue(key, "must be one of \(T.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(text)\"")
        }
        return value
    }
}
