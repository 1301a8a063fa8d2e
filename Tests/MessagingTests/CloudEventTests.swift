import EventSourcing
import Foundation
import Messaging
import PetitionDomain
import Testing

@Suite("CloudEvent: the wire and export form of a recorded event")
struct CloudEventTests {
    /// A committed submission, as the gateway would publish it.
    func committedRecords() throws -> [RecordedEvent] {
        let store = InMemoryEventStore()
        let processor = try makeProcessor(store)
        _ = processor.handle(Requests.open("c1"), Requests.submit("c2"), Requests.refer("c3"))
        return try store.read(from: 1, limit: 10)
    }

    func parse(_ json: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    @Test("the JSON has the CloudEvents attributes, our extensions and the data, with the right values")
    func attributesAndExtensions() throws {
        let record = try committedRecords()[1]
        let object = try parse(CloudEvent.json(record))
        #expect(Set(object.keys) == [
            "specversion", "id", "source", "type", "subject", "time", "datacontenttype", "data",
            "position", "streamversion", "recordedat", "actor", "commandid", "correlationid", "causationid", "previoushash", "hash",
        ])
        #expect(object["specversion"] as? String == "1.0")
        #expect(object["id"] as? String == record.id)
        #expect(object["source"] as? String == "urn:petition-followup:gateway")
        #expect(object["type"] as? String == "petition.submitted.v3")
        #expect(object["subject"] as? String == "petition-P000001")
        #expect(object["time"] as? String == "2026-03-19T01:30:00.000Z")
        #expect(object["datacontenttype"] as? String == "application/json")
        #expect((object["position"] as? NSNumber)?.int64Value == 2)
        #expect((object["streamversion"] as? NSNumber)?.int64Value == 1)
        #expect(object["recordedat"] as? String == Timestamp.format(record.recordedAt))
        #expect(object["actor"] as? String == "clerk/clerk-01", "the role is recorded with the actor")
        #expect(object["commandid"] as? String == "c2")
        #expect(object["correlationid"] as? String == "c2")
        #expect(object["causationid"] as? String == "c2")
        #expect(object["previoushash"] as? String == record.previousHash.hex)
        #expect(object["hash"] as? String == record.hash.hex)
        #expect((object["hash"] as? String)?.wholeMatch(of: /[0-9a-f]{64}/) != nil)
        let data = try #require(object["data"] as? [String: Any])
        let stored = try #require(try JSONSerialization.jsonObject(with: Data(record.data.utf8)) as? [String: Any])
        #expect(NSDictionary(dictionary: data).isEqual(to: stored))
    }

    @Test("the stored data is embedded byte for byte")
    func dataEmbeddedVerbatim() throws {
        for record in try committedRecords() {
            let json = CloudEvent.json(record)
            #expect(json.utf8.elementsEqual((String(json.dropLast(record.data.count + 1)) + record.data + "}").utf8))
            #expect(json.hasSuffix(#","data":"# + record.data + "}"))
        }
    }

    @Test("quotes, backslashes and control characters in text are escaped so the JSON stays valid")
    func escaping() throws {
        var record = try committedRecords()[0]
        record.metadata.actor = "cán bộ \"Tư\" \\ phòng\n\t1\u{01}"
        record.id = "id-with-\"quote\""
        let object = try parse(CloudEvent.json(record))
        #expect(object["actor"] as? String == record.metadata.actor)
        #expect(object["id"] as? String == record.id)
    }

    @Test("a CloudEvent decodes back into a wire event with the same domain event")
    func decodesAsWireEvent() throws {
        for record in try committedRecords() {
            let wire = try JSONDecoder().decode(WireEvent.self, from: Data(CloudEvent.json(record).utf8))
            #expect(wire.position == record.position)
            #expect(wire.stream == record.stream)
            #expect(wire.streamVersion == record.streamVersion)
            #expect(wire.id == record.id)
            #expect(wire.type == record.type)
            #expect(wire.occurredAt == record.occurredAt)
            #expect(wire.recordedAt == record.recordedAt)
            #expect(wire.actor == record.metadata.actor)
            #expect(wire.event == (try EventCodec.decode(record)))
            #expect(wire.event != nil)
        }
    }

    @Test("an event type this version does not know still decodes, with no domain event")
    func unknownTypeStillDecodes() throws {
        var record = try committedRecords()[0]
        record.type = "session.closed.v1"
        let wire = try JSONDecoder().decode(WireEvent.self, from: Data(CloudEvent.json(record).utf8))
        #expect(wire.event == nil)
        #expect(wire.position == 1)
    }

    @Test("hashes are written as lower-case hexadecimal")
    func hex() {
        #expect(Data([0x00, 0x0f, 0xa0, 0xff]).hex == "000fa0ff")
        #expect(Data().hex == "")
    }
}
