import EventSourcing
import Foundation
import Testing

@Suite("StreamName and ExpectedVersion: addressing streams")
struct StreamNameTests {
    @Test("a stream name splits into category and id at the first dash", arguments: [
        ("petition-P000001", "petition", "P000001"), ("session-S1", "session", "S1"), ("person-a-b-c", "person", "a-b-c"),
    ])
    func parsesCategoryAndId(raw: String, category: String, id: String) throws {
        let name = try #require(StreamName(raw))
        #expect(name.category == category)
        #expect(name.id == id)
        #expect(name.description == raw)
    }

    @Test("every name a stream is written under reads back, even when its dash starts a grapheme cluster", arguments: [
        "\u{0301}", "\u{200D}x", "\u{031B}\u{031B}\u{0323}\u{0306}", "a-\u{0301}b", "👨\u{200D}👩",
    ])
    func dashBeforeACombiningMarkSplitsByBytes(id: String) throws {
        let written = StreamName(category: "alert", id: id)
        let name = try #require(StreamName(written.description))
        #expect(name == written)
    }

    @Test("names without a category, an id or a dash are rejected", arguments: ["petition", "-P1", "petition-", "", "-"])
    func rejectsMalformed(raw: String) {
        #expect(StreamName(raw) == nil)
    }

    @Test("a stream name encodes as its text and refuses malformed text when decoded")
    func codable() throws {
        let json = try JSONEncoder().encode([StreamName(category: "petition", id: "P1")])
        #expect(String(decoding: json, as: UTF8.self) == #"["petition-P1"]"#)
        #expect(try JSONDecoder().decode([StreamName].self, from: json) == [StreamName(category: "petition", id: "P1")])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([StreamName].self, from: Data(#"["nodash"]"#.utf8)) }
    }

    @Test("expected versions admit exactly the versions they describe", arguments: [
        (ExpectedVersion.any, Int64(0), true), (.any, 5, true),
        (.noStream, 0, true), (.noStream, 1, false),
        (.exact(0), 0, true), (.exact(3), 3, true), (.exact(3), 2, false), (.exact(3), 4, false),
    ])
    func admits(expected: ExpectedVersion, current: Int64, admitted: Bool) {
        #expect(expected.admits(current) == admitted)
    }

    @Test("metadata defaults correlation and causation to the command id")
    func metadataDefaults() {
        let m = EventMetadata(actor: "clerk", commandId: "c1")
        #expect(m.correlationId == "c1")
        #expect(m.causationId == "c1")
    }
}
