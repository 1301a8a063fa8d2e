import Foundation
import PetitionDomain
import Testing
import TestSupport

/// A client written from Schemas/PROTOCOL.md alone, not from this code base: the Python example of §11, run as
/// written against the real gateway and projector, with pyzmq's CurveZMQ and officials' registered keys.
@Suite(.serialized)
struct IndependentClientTests {
    /// Schemas/PROTOCOL.md beside Package.swift.
    static let protocolPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Schemas/PROTOCOL.md").path

    /// The department the example's chair refers to (its default PETITION_DEPARTMENT).
    static let department = "Phòng Kinh tế - Hạ tầng"

    /// The first ```python block after the heading "## 11. Example session".
    static func exampleSession(in markdown: String) -> String? {
        var inSection = false, inBlock = false
        var lines: [String] = []
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if !inSection {
                inSection = line.hasPrefix("## 11. Example session")
                continue
            }
            if inBlock {
                if line.hasPrefix("```") { return lines.joined(separator: "\n") + "\n" }
                lines.append(line)
            } else if line == "```python" {
                inBlock = true
            } else if line.hasPrefix("## ") {
                return nil
            }
        }
        return nil
    }

    /// Runs `python3 arguments…` in `folder`, with `environment` added, killed after `timeout` seconds.
    static func python(_ arguments: [String], environment: [String: String] = [:], in folder: String,
                       timeout: TimeInterval = 60) throws -> CommandOutput {
        var env = ProcessInfo.processInfo.environment
        env["PYTHONIOENCODING"] = "utf-8"
        for (name, value) in environment { env[name] = value }
        return try runProgram(URL(fileURLWithPath: "/usr/bin/env"), ["python3"] + arguments, environment: env, currentDirectory: folder, timeout: timeout)
    }

    @Test("the §11 example session is found in PROTOCOL.md")
    func theExampleSessionIsInProtocolMd() throws {
        let example = try #require(Self.exampleSession(in: try String(contentsOfFile: Self.protocolPath, encoding: .utf8)),
                                   "no ```python block after \"## 11. Example session\" in \(Self.protocolPath)")
        #expect(example.contains("import zmq"))
        #expect(example.contains("PETITION_OFFICER"))
    }

    @Test("a client written from PROTOCOL.md alone, in Python with pyzmq's CURVE, records and reads a petition with registered keys")
    func theProtocolExampleRunsAgainstTheRealSystem() throws {
        // Fails, never skips: without pyzmq this guarantee would silently go untested.
        let probe = try Self.python(["-c", "import zmq, sys; sys.exit(0 if zmq.has('curve') else 3)"],
                                    in: FileManager.default.temporaryDirectory.path, timeout: 30)
        try #require(probe.status == 0, """
            python3 cannot run the PROTOCOL.md example: \(probe.status == 3 ? "its pyzmq's libzmq has no CURVE support" : "pyzmq (import zmq) is missing"); \
            run deploy/install-deps.sh --test (or python3 -m pip install pyzmq). \(probe.stderr)
            """)

        let example = try #require(Self.exampleSession(in: try String(contentsOfFile: Self.protocolPath, encoding: .utf8)),
                                   "no ```python block after \"## 11. Example session\" in \(Self.protocolPath)")

        let system = try TestSystem()
        try system.start()
        let clerk = try system.official(.clerk)
        let chair = try system.official(.chair)
        let officer = try system.official(.departmentOfficer, department: Self.department)
        try system.registerCommune("Xã Bình Thành")   // the example opens its session there
        let before = try system.history().count

        let script = (system.dataDirectory as NSString).appendingPathComponent("protocol-example.py")
        try Data(example.utf8).write(to: URL(fileURLWithPath: script))
        let run = try Self.python([script], environment: [
            "PETITION_HOST": "127.0.0.1",
            "PETITION_BASE_PORT": String(system.basePort),
            "PETITION_SERVERS": system.keyFiles.serversPath,
            "PETITION_CLERK": clerk.path,
            "PETITION_CHAIR": chair.path,
            "PETITION_OFFICER": officer.path,
            "PETITION_DEPARTMENT": Self.department,
            "PETITION_UNIT": "Xã Bình Thành",
        ], in: system.dataDirectory, timeout: 60)
        #expect(run.status == 0, "python3 protocol-example.py exited \(run.status)\n--- stdout:\n\(run.stdout)\n--- stderr:\n\(run.stderr)")

        // What it did is in the log, recorded as the officials whose keys it used.
        let recorded = Array(try system.history().dropFirst(before))
        func actors(_ type: String) -> [String] {
            recorded.filter { $0["type"] as? String == type }.compactMap { $0["actor"] as? String }
        }
        #expect(actors("petition.submitted.v3") == ["clerk/\(clerk.id)"], "\(recorded.map { $0["type"] ?? "?" })")
        #expect(actors("petition.referred.v3") == ["chair/\(chair.id)"], "the repeated refer appends nothing: \(actors("petition.referred.v3"))")
        #expect(actors("petition.accepted.v1") == ["department_officer/\(officer.id)"], "\(actors("petition.accepted.v1"))")
    }
}
