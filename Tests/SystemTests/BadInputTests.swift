import Foundation
import Testing
import TestSupport

/// Whatever a client sends, the gateway replies with an error naming what is wrong, and keeps serving.
@Suite(.serialized)
struct BadInputTests {
    let system: TestSystem

    init() throws {
        system = try TestSystem()
        try system.startGateway()
    }

    private func errorCode(_ frames: [[UInt8]], endpoint: String? = nil) throws -> (code: String?, message: String?) {
        let reply = try system.rawRequest(endpoint ?? system.endpoints.commands, frames: frames)
        let error = reply?["error"] as? [String: Any]
        #expect(reply?["ok"] as? Bool == false)
        return (error?["code"] as? String, error?["message"] as? String)
    }

    @Test(arguments: [
        ("not json", Array("hello".utf8), "bad_request", "not valid JSON"),
        ("invalid UTF-8", [0x7B, 0x22, 0xC3, 0x28, 0x22, 0x7D], "bad_request", "not valid UTF-8"),
        ("not an object", Array("[1,2]".utf8), "bad_request", "must be a JSON object"),
        ("empty", [], "bad_request", "empty message"),
        ("no type", Array(#"{"commandId":"x"}"#.utf8), "missing_field", "\"type\""),
        ("null type", Array(#"{"type":null}"#.utf8), "wrong_type", "\"type\" must be a string"),
        ("numeric type", Array(#"{"type":7}"#.utf8), "wrong_type", "\"type\" must be a string"),
        ("before 1900", Array(#"{"type":"session.open","commandId":"c5","unit":"X","title":"T","chair":"C","occurredAt":"1899-12-31T23:59:59Z"}"#.utf8), "invalid_value", "between 1900 and 2199"),
        ("unknown type", Array(#"{"type":"petition.delete"}"#.utf8), "unknown_type", "petition.delete"),
        ("missing field", Array(#"{"type":"session.open","commandId":"c1","unit":"X","title":"T"}"#.utf8), "missing_field", "\"chair\""),
        ("wrong type", Array(#"{"type":"session.open","commandId":"c2","unit":7,"title":"T","chair":"C"}"#.utf8), "wrong_type", "\"unit\" must be a string"),
        ("days as text", Array(#"{"type":"petition.refer","commandId":"c3","petitionId":"P000001","department":"D","assignee":"A","by":"B","days":"30"}"#.utf8), "wrong_type", "\"days\" must be an integer"),
        ("bad time", Array(#"{"type":"session.open","commandId":"c4","unit":"X","title":"T","chair":"C","occurredAt":"19/03/2026"}"#.utf8), "invalid_value", "RFC 3339"),
    ] as [(String, [UInt8], String, String)])
    func aMalformedCommandGetsANamedError(_ name: String, _ body: [UInt8], _ code: String, _ fragment: String) throws {
        let (got, message) = try errorCode([[], body])
        #expect(got == code, "\(name)")
        #expect(message?.contains(fragment) == true, "\(name): \(message ?? "no message")")
    }

    @Test func anOversizedCommandIsRefusedAndTheGatewayKeepsServing() throws {
        let content = String(repeating: "đ", count: 40_000)
        let body = Array(#"{"type":"session.open","commandId":"big","unit":"X","title":"\#(content)","chair":"C"}"#.utf8)
        let (code, message) = try errorCode([[], body])
        #expect(code == "too_large")
        #expect(message?.contains("limit is 65536 bytes") == true)

        // Beyond the socket's limit libzmq drops the sender's connection; others are unaffected.
        _ = try system.rawRequest(system.endpoints.commands, frames: [[], [UInt8](repeating: 0x20, count: 2 << 20)], timeoutMs: 500)
        let ok = try system.request(system.endpoints.commands, TestSystem.command("session.open", ["unit": "Xã Bình Thành", "title": "T", "chair": "C"]))
        #expect(ok?["ok"] as? Bool == true)
    }

    @Test func aMessageWithoutADelimiterIsIgnoredAndTheGatewayKeepsServing() throws {
        _ = try system.rawRequest(system.endpoints.commands, frames: [Array(#"{"type":"status"}"#.utf8)], timeoutMs: 300)
        let status = try system.request(system.endpoints.commands, ["type": "status"])
        #expect(status?["process"] as? String == "petition-gateway")
    }

    @Test func historyAndProjectorQueriesNameBadInputToo() throws {
        try system.startProjector()
        var (code, _) = try errorCode([[], Array(#"{"type":"history.read","fromPosition":0}"#.utf8)], endpoint: system.endpoints.history)
        #expect(code == "invalid_value")
        (code, _) = try errorCode([[], Array(#"{"type":"stream.read","stream":"nodash"}"#.utf8)], endpoint: system.endpoints.history)
        #expect(code == "invalid_value")
        (code, _) = try errorCode([[], Array(#"{"type":"outstanding","overdue":"yes"}"#.utf8)], endpoint: system.endpoints.queries)
        #expect(code == "wrong_type")
        (code, _) = try errorCode([[], Array(#"{"type":"petition.get","petitionId":"P999"}"#.utf8)], endpoint: system.endpoints.queries)
        #expect(code == "not_found")
        (code, _) = try errorCode([[], Array("{".utf8)], endpoint: system.endpoints.queries)
        #expect(code == "bad_request")
    }
}
