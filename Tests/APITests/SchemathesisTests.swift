import Foundation
import Testing
import TestSupport

/// schemathesis (from PyPI) against the running API with its own OpenAPI document: every operation, with generated
/// valid and invalid requests, as a clerk and as a chair (and Open311's with a portal's api_key), finds no server error and no response the document does not
/// allow (status, content type, headers, body schema).
@Suite("petition-api: schemathesis finds no server error and no response outside the OpenAPI document", .serialized)
struct SchemathesisTests {
    /// The checks run: every response-conformance check schemathesis has, and no 5xx.
    static let checks = "not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance"

    /// Runs `python3 -m schemathesis.cli arguments…` in `folder` (where its schemathesis.toml is).
    static func schemathesis(_ arguments: [String], in folder: String, timeout: TimeInterval) throws -> CommandOutput {
        var env = ProcessInfo.processInfo.environment
        env["PYTHONIOENCODING"] = "utf-8"
        env["NO_COLOR"] = "1"
        env["SCHEMATHESIS_TELEMETRY"] = "false"
        return try runProgram(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-m", "schemathesis.cli"] + arguments,
                              environment: env, currentDirectory: folder, timeout: timeout)
    }

    @Test func schemathesisFindsNoServerErrorAndNoResponseOutsideTheDocumentForAClerkAndAChair() throws {
        // Fails, never skips: without schemathesis this guarantee would silently go untested.
        let probe = try Self.schemathesis(["--version"], in: FileManager.default.temporaryDirectory.path, timeout: 60)
        try #require(probe.status == 0, "schemathesis is missing: run deploy/install-deps.sh --test (python3 -m pip install schemathesis). \(probe.stderr)")

        let system = try TestSystem()
        try system.start()
        try system.startAPI()
        let commune = "Xã Thử Schemathesis"
        let communeCode = try #require(try system.registerCommune(commune))
        try system.person("Trần Văn A")
        let clerk = try system.login(try system.official(.clerk))
        let chair = try system.login(try system.official(.chair))
        // Open311's api_key: a portal's key, acting as a clerk of the commune.
        let portal = try system.official(.clerk, unit: commune)
        let issued = try system.ctl(["official", "api-key", portal.id, "--label", "Cổng thông tin", "--data-dir", system.dataDirectory, "--json"],
                                    as: try system.official(.administrator))
        let key = try #require(issued.json["key"] as? String, "\(issued.stdout) \(issued.stderr)")
        // Real ids for the path parameters, so the generated requests reach the petitions and not only 404.
        let opened = try clerk.post("/api/v1/sessions", ["unit": commune, "title": "Đối thoại tháng 3", "chair": "Trần Văn A",
                                                         "occurredAt": "2026-03-19T08:00:00+07:00"])
        let session = try #require(opened.json["id"] as? String, "\(opened.text)")
        var petitions: [(id: String, code: String)] = []
        for content in ["Đường liên ấp xuống cấp", "Hệ thống thoát nước khu dân cư bị tắc"] {
            let submitted = try clerk.post("/api/v1/petitions", ["sessionId": session, "kind": "complaint", "category": "transport", "content": content,
                                                                 "citizen": ["name": "Nguyễn Thị B"], "occurredAt": "2026-03-19T09:00:00+07:00"])
            petitions.append((try #require(submitted.json["id"] as? String, "\(submitted.text)"),
                              try #require(submitted.json["trackingCode"] as? String, "\(submitted.text)")))
        }

        let folder = (system.dataDirectory as NSString).appendingPathComponent("schemathesis")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data("""
            [parameters]
            id = "\(petitions[0].id)"
            service_request_id = "\(petitions[1].id)"
            code = "\(petitions[1].code)"
            token = "\(petitions[0].code)"
            api_key = "\(key)"
            jurisdiction_id = "\(communeCode)"
            unit = "\(communeCode)"
            period = "2026"

            """.utf8).write(to: URL(fileURLWithPath: (folder as NSString).appendingPathComponent("schemathesis.toml")))

        for (who, client) in [("clerk", clerk), ("chair", chair)] {
            let token = try #require(client.token)
            let run = try Self.schemathesis([
                "run", "\(system.apiBase)/api/v1/openapi.json",
                "--header", "Authorization: Bearer \(token)",
                "--checks", Self.checks,
                // The live feed never ends (a generated request would wait for its end), and logout ends the session the run uses.
                "--exclude-path", "/api/v1/events", "--exclude-path", "/api/v1/logout",
                "--workers", "1", "--max-examples", "15", "--request-timeout", "20",
            ], in: folder, timeout: 600)
            let output = run.stdout + run.stderr
            #expect(run.status == 0, "schemathesis as the \(who) exited \(run.status):\n\(output.suffix(12_000))")
            #expect(output.contains("passed"), "schemathesis as the \(who) tested nothing:\n\(output.suffix(4000))")
        }
        // The system is still whole afterwards: the API answers and is ready.
        #expect(try HTTPClient(base: system.apiBase).get("/health/ready").status == 200)
    }
}
