import Foundation
import Testing
import TestSupport

/// An operator's log shipper reads one JSON object a line from every process started with `--log-format json`.
@Suite("logs as JSON lines")
struct JSONLogTests {
    @Test("with --log-format json every line a process writes is one JSON object with time, level, logger and message")
    func everyLineIsAJSONObjectWithTheFieldsAShipperNeeds() throws {
        let system = try TestSystem()
        system.gatewayArguments = ["--log-format", "json"]
        try system.startGateway()
        try system.send("session.open", ["unit": "Xã Vũ Hội", "title": "Đối thoại", "chair": "Trần Văn A"])
        let gateway = try #require(system.gateway)
        _ = gateway.stop()
        let lines = gateway.output.split(separator: "\n").map(String.init)
        #expect(lines.count >= 2, "the gateway logs its start and its stop: \(gateway.output)")
        for line in lines {
            let record = try #require(try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not a JSON object: \(line)")
            #expect(record["level"] is String && record["logger"] as? String == "petition.gateway" && record["message"] is String
                    && (record["time"] as? String)?.hasSuffix("Z") == true && record["pid"] is Int, "\(record)")
        }
        let records = lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(records.contains { $0["message"] as? String == "gateway serving" && $0["log.head"] is String && $0["endpoint.commands"] is String },
                "a record's metadata by its own keys: \(gateway.output)")
        let bad = try runTool("petition-gateway", ["--log-format", "xml", "--data-dir", system.dataDirectory])
        #expect(bad.status != 0 && bad.stderr.contains("--log-format must be text or json"), "\(bad.stderr)")
    }
}
