import EventSourcing
import Foundation
import Testing

@Suite("JSONValue: the request and event JSON parser (RFC 8259)")
struct JSONValueTests {
    func parse(_ text: String) throws(JSONParseError) -> JSONValue { try JSONValue.parse(Array(text.utf8)) }

    @Test("objects, arrays, strings, numbers, booleans and null parse to their values")
    func parsesEveryKind() throws {
        let value = try parse(#" { "s" : "Đất đai", "i": -42, "d": 2.5e3, "t": true, "f": false, "n": null, "a": [1, "x", [], {}] } "#)
        #expect(value == .object([
            "s": .string("Đất đai"), "i": .integer(-42), "d": .double(2500), "t": .bool(true), "f": .bool(false), "n": .null,
            "a": .array([.integer(1), .string("x"), .array([]), .object([:])]),
        ]))
    }

    @Test("a top-level scalar is a JSON text too")
    func topLevelScalars() throws {
        #expect(try parse("42") == .integer(42))
        #expect(try parse(#""x""#) == .string("x"))
        #expect(try parse(" null ") == .null)
    }

    @Test("escapes decode to their characters, including surrogate pairs", arguments: [
        (#""\"\\\/\b\f\n\r\t""#, "\"\\/\u{08}\u{0C}\n\r\t"),
        (#""\u0110\u1ea5t \u0111ai""#, "Đất đai"),
        (#""\uD83D\uDE4F""#, "🙏"),
        (#""a\u0000b""#, "a\u{0}b"),
        (#""plain Tiếng Việt""#, "plain Tiếng Việt"),
    ])
    func escapes(json: String, expected: String) throws {
        #expect(try parse(json) == .string(expected))
    }

    @Test("integers stay exact up to 64 bits; fractions, exponents and larger numbers are doubles", arguments: [
        ("0", JSONValue.integer(0)), ("-0", .integer(0)), ("9223372036854775807", .integer(.max)),
        ("-9223372036854775808", .integer(.min)), ("9223372036854775808", .double(9_223_372_036_854_775_808)),
        ("7.0", .double(7)), ("1e2", .double(100)), ("1E-2", .double(0.01)), ("-0.5", .double(-0.5)),
    ])
    func numbers(text: String, expected: JSONValue) throws {
        #expect(try parse(text) == expected)
    }

    @Test("text that is not JSON is refused", arguments: [
        "", " ", "{", "}", "[1,]", #"{"a":1,}"#, #"{"a" 1}"#, "{a:1}", "'x'", "01", "-", "1.", ".5", "1e", "+1", "0x10",
        "tru", "nul", "True", #""unterminated"#, #""bad \q escape""#, #""\u12""#, #""\uD800""#, #""\uD800\u0041""#,
        #""\uDC00""#, "\"tab\tinside\"", "\"new\nline\"", "[1] [2]", #"{"a":1}x"#, "NaN", "Infinity",
    ])
    func refusesNonJSON(text: String) {
        #expect(throws: JSONParseError.self) { try parse(text) }
    }

    @Test("nesting is limited to 64 levels")
    func nestingLimit() throws {
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try parse(ok) }
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        let error = try #require(throws: JSONParseError.self) { try parse(deep) }
        #expect(error.description.contains("64"))
        let deepObjects = String(repeating: #"{"a":"#, count: 10_000) + "1" + String(repeating: "}", count: 10_000)
        #expect(throws: JSONParseError.self) { try parse(deepObjects) }
    }

    @Test("the parser agrees with JSONSerialization on a realistic command")
    func agreesWithFoundation() throws {
        let text = #"""
            {"type":"petition.submit","commandId":"c-1","actor":"clerk-01","sessionId":"S000001","kind":"complaint",
             "category":"land","content":"Đề nghị \"xem xét\" lại\nranh giới đất","citizen":{"name":"Nguyễn Văn An","phone":null},
             "days":30,"ratio":0.25,"flags":[true,false]}
            """#
        let ours = try parse(text)
        let theirs = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        guard case .object(let o) = ours else { Issue.record("not an object"); return }
        #expect(Set(o.keys) == Set(theirs.keys))
        #expect(o["content"] == .string(theirs["content"] as! String))
        #expect(o["days"] == .integer(30))
        #expect(o["ratio"] == .double(0.25))
        #expect(o["citizen"] == .object(["name": .string("Nguyễn Văn An"), "phone": .null]))
    }

    @Test("scanning an object's members finds every value the parser finds, and refuses what the parser refuses", arguments: [
        #"{"s":"Đất đai","e":"a\"b\u0110","i":-42,"d":2.5e3,"t":true,"n":null,"a":[1,"x",{}],"o":{"k":{"x":"y"}},"s":"last"}"#,
        #" { } "#, #"{"a" : "plain" , "b" :"\/"}"#,
    ] + ["{", #"{"a":1,}"#, #"{"a":"\q"}"#, #"{"a":"\uD800"}"#, #"{"a":01}"#, #"{"a":[1,]}"#, #"{"a":{"b":tru}}"#, "[1]", #""x""#,
         #"{"a":1}x"#, "{\"a\":\"tab\tinside\"}", #"{"a":"unterminated}"#])
    func scanAgreesWithParse(text: String) throws {
        let bytes = Array(text.utf8)
        let parsed = Result { () throws(JSONParseError) -> [String: JSONValue] in
            guard case .object(let members) = try JSONValue.parse(bytes) else { throw JSONParseError("not an object") }
            return members
        }
        let scanned = Result { () throws(JSONParseError) in try JSONValue.scanMembers(bytes) }
        switch (parsed, scanned) {
        case (.success(let members), .success(let spans)):
            #expect(Set(spans.map { $0.key(in: bytes) }) == Set(members.keys))
            // A name given twice counts as its last value, as in the parser's dictionary.
            for (key, value) in members { #expect(try JSONValue.parse(bytes, spans.last { $0.key(in: bytes) == key }!) == value) }
            for span in spans {
                let raw = bytes[span.start..<span.end]
                #expect(span.isPlainString == (raw.first == 0x22 && !raw.contains(0x5C)))
            }
        case (.failure, .failure): break
        default: Issue.record("parse gave \(parsed), scan gave \(scanned) for \(text)")
        }
    }
}
