import Foundation
import Messaging
import Testing

@Suite("CommandReply: the JSON text of replies")
struct CommandReplyTests {
    static let replies: [CommandReply] = [
        CommandReply(ok: true, commandId: "c1", id: "P000001", stream: "petition-P000001", position: 42, streamVersion: 3,
                     events: ["petition.referred.v1"], deadline: "2026-04-18"),
        CommandReply(ok: true, commandId: "c2", id: "S000001", stream: "session-S000001", position: 1, streamVersion: 1,
                     events: ["session.opened.v1"]),
        .failure(.missingField("actor")),
        .failure(.domain(.invalidTransition("P000001", "answer", status: .referred, hint: "the holding department resolves it with `petitionctl resolve`")),
                 commandId: "lệnh/1"),
        .failure(.invalidValue("content", "contains \"quotes\", a back\\slash, a tab\t and a newline\n"), commandId: "c\"3"),
        .failure(.unavailable("the log could not be written"), commandId: "c4"),
        CommandReply(ok: true, events: []),
    ]

    @Test("the fast hand-written JSON is exactly what the JSON encoder gives", arguments: replies)
    func fastJSONMatchesEncoder(reply: CommandReply) {
        #expect(reply.json == Wire.text(reply))
    }

    @Test("the JSON decodes back to the same reply", arguments: replies)
    func roundTrip(reply: CommandReply) throws {
        #expect(try JSONDecoder().decode(CommandReply.self, from: Data(reply.json.utf8)) == reply)
    }

    @Test("a failure carries a stable code and a message, and no position")
    func failureShape() throws {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(CommandReply.failure(.commandIdConflict("c9"), commandId: "c9").json.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["ok", "commandId", "error"])
        #expect(object["ok"] as? Bool == false)
        let error = try #require(object["error"] as? [String: Any])
        #expect(error["code"] as? String == "command_id_conflict")
        #expect((error["message"] as? String)?.contains("use a new id") == true)
    }
}
