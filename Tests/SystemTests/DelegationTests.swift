import Foundation
import Messaging
import PetitionDomain
import Testing
import TestSupport

/// The HTTP API's service key acts on behalf of the officials it authenticated, and no other key may; a command
/// may say which version of its stream it was decided on.
@Suite(.serialized)
struct DelegationTests {
    func code(_ reply: [String: Any]?) -> String? { (reply?["error"] as? [String: Any])?["code"] as? String }

    @Test("only the petition-api key acts on an official's behalf: as that official, in their scope, recorded with the API as the cause; alone it may do nothing")
    func onlyTheAPIActsOnBehalfOfAnOfficial() throws {
        let system = try TestSystem()
        try system.start()
        try system.person("Trần Văn A")
        let clerkA = try system.official(.clerk, unit: "Xã An Bình"), clerkB = try system.official(.clerk, unit: "Xã Bình Minh")
        let api = try system.service("petition-api")
        let open: [String: Any] = ["type": "session.open", "unit": "Xã An Bình", "title": "Đối thoại", "chair": "Trần Văn A"]
        func with(_ body: [String: Any], _ extra: [String: Any] = [:]) -> [String: Any] {
            body.merging(extra) { $1 }.merging(["commandId": UUID().uuidString]) { $1 }
        }

        let forged = try system.request(system.endpoints.commands, with(open, ["onBehalfOf": clerkA.id]), as: clerkB)
        #expect(code(forged) == "invalid_value", "a clerk's key cannot speak for another official: \(forged ?? [:])")
        let alone = try system.request(system.endpoints.commands, with(open), as: api)
        #expect(code(alone) == "not_permitted", "the API's own key acts as no one: \(alone ?? [:])")
        let outOfScope = try system.request(system.endpoints.commands, with(open, ["onBehalfOf": clerkB.id]), as: api)
        #expect(code(outOfScope) == "out_of_scope", "on B's behalf, the API cannot act on A: \(outOfScope ?? [:])")
        let commandId = UUID().uuidString
        let opened = try #require(try system.request(system.endpoints.commands, open.merging(["commandId": commandId, "onBehalfOf": clerkA.id]) { $1 }, as: api))
        #expect(opened["ok"] as? Bool == true, "\(opened)")
        let event = try #require(try system.events("session.opened.v3").last)
        #expect(event["actor"] as? String == "clerk/\(clerkA.id)", "the actor is the official: \(event)")
        #expect(event["causationid"] as? String == "petition-api:\(commandId)", "the log says it came through the API: \(event)")

        // Queries on an official's behalf are scoped to them.
        let session = try #require(opened["id"] as? String)
        let seenByB = try system.request(system.endpoints.queries, ["type": "sessions", "onBehalfOf": clerkB.id, "minPosition": opened["position"]!], as: api)
        let seenByA = try system.request(system.endpoints.queries, ["type": "sessions", "onBehalfOf": clerkA.id, "minPosition": opened["position"]!], as: api)
        func ids(_ reply: [String: Any]?) -> [String] { ((reply?["sessions"] ?? reply?["items"]) as? [[String: Any]] ?? []).compactMap { $0["sessionId"] as? String } }
        #expect(ids(seenByA) == [session] && ids(seenByB).isEmpty, "A sees the session, B does not: \(seenByA ?? [:]) / \(seenByB ?? [:])")
        let forgedQuery = try system.request(system.endpoints.queries, ["type": "sessions", "onBehalfOf": clerkA.id], as: clerkB)
        #expect(code(forgedQuery) == "invalid_value", "\(forgedQuery ?? [:])")
    }

    @Test("a command sent with the version of its stream it was decided on is refused with version_mismatch once the stream moved on")
    func aStaleExpectedVersionIsRefused() throws {
        let system = try TestSystem()
        try system.start()
        try system.person("Trần Văn A")
        let clerk = try system.official(.clerk, unit: "Xã An Bình")
        let session = try #require(try system.request(system.endpoints.commands, TestSystem.command("session.open",
            ["unit": "Xã An Bình", "title": "Đối thoại", "chair": "Trần Văn A"]), as: clerk)?["id"] as? String)
        let submitted = try #require(try system.request(system.endpoints.commands, TestSystem.command("petition.submit",
            ["sessionId": session, "kind": "report", "category": "land", "content": "Đất", "citizen": ["name": "Nguyễn Văn B"]]), as: clerk))
        let petition = try #require(submitted["id"] as? String)
        let version = try #require((submitted["streamVersion"] as? NSNumber)?.int64Value)
        let noted = try system.request(system.endpoints.commands, TestSystem.command("petition.note",
            ["petitionId": petition, "text": "Một", "expectedVersion": version]), as: clerk)
        #expect(noted?["ok"] as? Bool == true && (noted?["streamVersion"] as? NSNumber)?.int64Value == version + 1, "\(noted ?? [:])")
        let stale = try system.request(system.endpoints.commands, TestSystem.command("petition.note",
            ["petitionId": petition, "text": "Hai", "expectedVersion": version]), as: clerk)
        #expect(code(stale) == "version_mismatch", "\(stale ?? [:])")
        #expect(((stale?["error"] as? [String: Any])?["message"] as? String ?? "").contains("version \(version + 1)"), "says where the stream is")
        #expect(try system.events("petition.note-added.v1").count == 1, "nothing appended for the stale command")
    }
}
