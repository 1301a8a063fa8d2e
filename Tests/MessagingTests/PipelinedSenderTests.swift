import Foundation
import Messaging
import Testing

@Suite("PipelinedSender: matching replies to commands")
struct PipelinedSenderTests {
    @Test("the command id is found in ok and failure replies as the gateway writes them", arguments: [
        "c1", "petition-load-000123", "3f2b8c1e-0d4a-4f5e-9c61-2a7b9e0c4d11", "lệnh-tiếp-dân-1",
    ])
    func findsCommandId(id: String) {
        let ok = CommandReply(ok: true, commandId: id, id: "P000001", stream: "petition-P000001", position: 7, streamVersion: 1,
                              events: ["petition.submitted.v1"])
        #expect(PipelinedSender.commandId(in: Array(ok.json.utf8)) == id)
        let failed = CommandReply.failure(.missingField("commandId"), commandId: id)
        #expect(PipelinedSender.commandId(in: Array(failed.json.utf8)) == id)
    }

    @Test("a reply without a command id yields an empty id, even when its message mentions the field")
    func noCommandId() {
        let reply = CommandReply.failure(.missingField("commandId"))
        #expect(PipelinedSender.commandId(in: Array(reply.json.utf8)) == "")
        #expect(PipelinedSender.commandId(in: []) == "")
    }
}
