import Foundation
import Messaging
import Testing

@Suite("JSONFields: checking a received request frame")
struct JSONFieldsTests {
    func refusal(_ bytes: [UInt8]) throws -> WireError {
        try #require(throws: WireError.self) { try JSONFields(frame: bytes) }
    }

    @Test("a JSON object frame is accepted")
    func acceptsObject() throws {
        let fields = try JSONFields(frame: Array(#"{"a":"b","n":1}"#.utf8))
        #expect(fields.object["a"] == .string("b"))
        #expect(fields.object["n"] == .integer(1))
    }

    @Test("a frame over 64 KiB is refused with too_large before anything else is checked")
    func oversizeRefused() throws {
        let padding = String(repeating: "x", count: JSONFields.maxBodySize)
        let error = try refusal(Array(#"{"a":"\#(padding)"}"#.utf8))
        #expect(error.code == "too_large")
        #expect(error.message == "message is \(JSONFields.maxBodySize + 8) bytes; the limit is 65536 bytes")
        #expect(try refusal([UInt8](repeating: 0xFF, count: 70_000)).code == "too_large")
    }

    @Test("a frame of exactly 64 KiB is accepted")
    func exactlyAtLimitAccepted() throws {
        let overhead = #"{"a":""}"#.utf8.count
        let text = #"{"a":"\#(String(repeating: "x", count: JSONFields.maxBodySize - overhead))"}"#
        #expect(text.utf8.count == 65_536)
        let fields = try JSONFields(frame: Array(text.utf8))
        #expect(try fields.string("a", maxLength: 100_000).count == 65_536 - overhead)
    }

    @Test("an empty frame is refused with bad_request")
    func emptyRefused() throws {
        let error = try refusal([])
        #expect(error.code == "bad_request")
        #expect(error.message.contains("JSON object"))
    }

    static let notUTF8: [[UInt8]] = {
        let open: [UInt8] = Array(#"{"a":""#.utf8)
        let close: [UInt8] = Array(#""}"#.utf8)
        let lone: [UInt8] = [0x7B, 0xFF, 0x7D]
        let overlong: [UInt8] = open + [0xC0, 0xAF] + close
        let surrogate: [UInt8] = open + [0xED, 0xA0, 0x80] + close
        let truncated: [UInt8] = open + Array("Nguy".utf8) + [0xE1, 0xBB] + close
        return [lone, overlong, surrogate, truncated]
    }()

    @Test("bytes that are not UTF-8 are refused with bad_request", arguments: notUTF8)
    func nonUTF8Refused(bytes: [UInt8]) throws {
        let error = try refusal(bytes)
        #expect(error.code == "bad_request")
        #expect(error.message == "message is not valid UTF-8")
    }

    @Test("text that is not JSON is refused with bad_request", arguments: [
        "hello", "{commandId: 1}", #"{"a":1"#, "{'a':1}", #"{"a":01}"#, #"{"a":1}{"b":2}"#, #"{"a":1,}"#, #"{"a":"x\q"}"#,
        #"{"a":"\ud800"}"#, "{\"a\":\"tab\there\"}", #"{"a":.5}"#, #"{"a":-}"#, #"{"a":tru}"#,
    ])
    func nonJSONRefused(text: String) throws {
        let error = try refusal(Array(text.utf8))
        #expect(error.code == "bad_request")
        #expect(error.message.hasPrefix("message is not valid JSON"))
    }

    @Test("JSON that is not an object is refused with bad_request", arguments: [
        "[1,2]", "[]", #""text""#, "42", "null", "true",
    ])
    func nonObjectRefused(text: String) throws {
        let error = try refusal(Array(text.utf8))
        #expect(error.code == "bad_request")
        #expect(error.message == "message must be a JSON object")
    }

    @Test("a JSON array is refused as not an object, telling the sender to send an object")
    func arrayRefusedAsNotObject() throws {
        #expect(try refusal(Array("[1,2]".utf8)).message == "message must be a JSON object")
    }

    @Test("strings are trimmed and normalised to NFC")
    func stringsNormalised() throws {
        let decomposed = "  Đất đai \n".decomposedStringWithCanonicalMapping
        let fields = JSONFields(object: ["s": .string(decomposed)])
        let value = try fields.string("s")
        #expect(Array(value.unicodeScalars) == Array("Đất đai".precomposedStringWithCanonicalMapping.unicodeScalars))
        #expect(value.unicodeScalars.count == 7)
    }

    @Test("strings with control characters are refused, but newlines and tabs are kept")
    func controlCharacters() throws {
        let fields = JSONFields(object: ["bell": .string("a\u{07}b"), "lines": .string("dòng 1\ndòng 2\tcột")])
        #expect(throws: WireError.invalidValue("bell", "contains control characters")) { try fields.string("bell") }
        #expect(try fields.string("lines") == "dòng 1\ndòng 2\tcột")
    }

    @Test("DEL and the C1 control characters are refused too, in ASCII and in Vietnamese text", arguments: [
        "abc\u{7F}", "Đất\u{7F}", "Đất\u{85}đai", "Đất\u{9F}", "x\u{1B}[31m", "Đất\rđai",
    ])
    func otherControlCharacters(text: String) throws {
        #expect(throws: WireError.invalidValue("s", "contains control characters")) { try JSONFields(object: ["s": .string(text)]).string("s") }
    }

    @Test("a string longer than its limit is refused, counting Unicode code points not bytes")
    func stringLength() throws {
        let fields = JSONFields(object: ["name": .string(String(repeating: "Ơ", count: 5))])
        #expect(try fields.string("name", maxLength: 5).count == 5)
        #expect(throws: WireError.invalidValue("name", "is longer than 4 characters (Unicode code points)")) { try fields.string("name", maxLength: 4) }
    }

    @Test("one letter carrying 30,000 combining marks is far over a 200 limit, though it is one grapheme cluster")
    func combiningRunIsCountedByScalars() throws {
        let text = "a" + String(repeating: "\u{0301}", count: 30_000)
        #expect(text.count == 1)
        let fields = JSONFields(object: ["s": .string(text), "t": .string("x" + String(repeating: "\u{0301}", count: 199))])
        #expect(throws: WireError.invalidValue("s", "is longer than 200 characters (Unicode code points)")) { try fields.string("s", maxLength: 200) }
        #expect(try fields.string("t", maxLength: 200).unicodeScalars.count == 200)
    }

    @Test("invisible characters and white space are trimmed at both ends, whatever is at the other end", arguments: [
        ("\u{200B}chair\t", "chair"), ("\u{200B}chair", "chair"), ("chair\u{200B}", "chair"), ("\u{FEFF}chair", "chair"),
        ("\u{200D}chair\u{200C}", "chair"), ("\u{200E}\u{200F}chair\u{061C}", "chair"), (" \u{200B} chair \u{2060} ", "chair"),
        ("\u{00AD}Đất đai\u{3000}", "Đất đai"), ("👨\u{200D}👩", "👨\u{200D}👩"), ("a\u{200B}b", "a\u{200B}b"),
    ])
    func invisibleEndsTrimmed(input: String, stored: String) throws {
        let value = try JSONFields(object: ["s": .string(input)]).string("s")
        #expect(Array(value.unicodeScalars) == Array(stored.unicodeScalars))
    }

    @Test("text of only invisible characters and white space is empty; bidi overrides inside are refused", arguments: [
        "\u{200B}", "\u{FEFF}\u{200D}", " \u{200E} ", "\u{2060}\t\u{00AD}",
    ])
    func onlyInvisibleIsEmpty(input: String) throws {
        #expect(throws: WireError.invalidValue("s", "must not be empty")) { try JSONFields(object: ["s": .string(input)]).string("s") }
        #expect(throws: WireError.invalidValue("s", "contains bidirectional control characters (U+202A-U+202E, U+2066-U+2069)")) {
            try JSONFields(object: ["s": .string("abc\u{202E}def")]).string("s")
        }
    }

    @Test("absent and null fields are missing; present fields of the wrong JSON type are wrong_type")
    func presenceAndTypes() throws {
        let fields = try JSONFields(frame: Array(#"{"n":null,"i":7,"s":"x","o":{"k":"v"},"b":true}"#.utf8))
        #expect(throws: WireError.missingField("absent")) { try fields.string("absent") }
        #expect(throws: WireError.missingField("n")) { try fields.string("n") }
        #expect(try fields.optionalString("n") == nil)
        #expect(throws: WireError.wrongType("i", expected: "a string")) { try fields.string("i") }
        #expect(throws: WireError.wrongType("s", expected: "an object")) { try fields.object("s") }
        #expect(throws: WireError.missingField("absent")) { try fields.object("absent") }
        #expect(try fields.object("o").string("k") == "v")
        #expect(try fields.optionalBool("b") == true)
        #expect(throws: WireError.wrongType("i", expected: "true or false")) { try fields.optionalBool("i") }
    }

    @Test("integers are whole JSON numbers; strings, fractions, booleans and huge numbers are wrong_type", arguments: [
        ("7", Int64?.some(7)), ("-3", -3), ("0", 0), ("7.0", 7), ("null", nil),
    ])
    func integersAccepted(literal: String, expected: Int64?) throws {
        let fields = try JSONFields(frame: Array(#"{"days":\#(literal)}"#.utf8))
        #expect(try fields.optionalInt("days") == expected)
    }

    @Test("non-integers are refused with wrong_type naming the field", arguments: [#""7""#, "7.5", "true", "false", "1e20", "[7]"])
    func integersRefused(literal: String) throws {
        let fields = try JSONFields(frame: Array(#"{"days":\#(literal)}"#.utf8))
        #expect(throws: WireError.wrongType("days", expected: "an integer")) { try fields.optionalInt("days") }
    }

    @Test("an RFC 3339 instant is parsed; anything else is invalid_value with an example")
    func instants() throws {
        let fields = JSONFields(object: ["ok": .string("2026-03-19T08:00:00+07:00"), "bad": .string("19/03/2026 08:00")])
        #expect(try fields.optionalInstant("ok") == Date(timeIntervalSince1970: 1_773_882_000))
        let error = try #require(throws: WireError.self) { try fields.optionalInstant("bad") }
        #expect(error.code == "invalid_value")
        #expect(error.message.contains("2026-03-19T08:00:00+07:00"))
        #expect(error.message.contains("19/03/2026 08:00"))
    }
}
