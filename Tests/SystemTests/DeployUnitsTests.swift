import Foundation
import Testing
import TestSupport

/// What an operator installs under systemd (deploy/systemd): units systemd accepts, each starting a real executable with
/// flags it really has, hardened to write only the data folder.
@Suite("deploy: the systemd units")
struct DeployUnitsTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("deploy/systemd")

    static func units() throws -> [(name: String, text: String)] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".service") || $0.hasSuffix(".target") || $0.hasSuffix(".timer") }.sorted()
            .map { ($0, try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8)) }
    }

    @Test("systemd-analyze verify accepts every unit, with no unknown key, once ExecStart names the built executables")
    func systemdAcceptsEveryUnit() throws {
        let units = try Self.units()
        #expect(Set(units.map(\.name)) == ["petition-gateway.service", "petition-projector.service", "petition-escalator.service",
                                           "petition-notifier.service", "petition-api.service", "petition.target",
                                           "petition-backup.service", "petition-backup.timer"])
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("petition-units-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: copy) }
        for (name, text) in units {
            let built = text.replacingOccurrences(of: "/usr/local/bin/", with: TestProcess.binDirectory.path + "/")
            try built.write(to: copy.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let run = try runProgram(URL(fileURLWithPath: "/usr/bin/env"), ["systemd-analyze", "verify"] + units.map { copy.appendingPathComponent($0.name).path })
        #expect(run.status == 0 && run.stderr.isEmpty && run.stdout.isEmpty, "systemd-analyze verify said:\n\(run.stdout)\(run.stderr)")
    }

    @Test("every flag a unit passes is one its executable has, and every service is hardened to write only /var/lib/petition")
    func everyFlagIsRealAndEveryServiceIsHardened() throws {
        for (name, text) in try Self.units() where name.hasSuffix(".service") {
            let exec = try #require(text.split(separator: "\n").first { $0.hasPrefix("ExecStart=") }, "\(name) has no ExecStart")
            let words = exec.dropFirst("ExecStart=".count).split(separator: " ").map(String.init)
            let binary = try #require(words.first?.split(separator: "/").last.map(String.init))
            // The backup is petitionctl's verb, run by its timer; every other unit is the process of its name.
            let verb = name == "petition-backup.service" ? ["audit", "backup"] : []
            #expect(name == (verb.isEmpty ? "\(binary).service" : "petition-backup.service") && (verb.isEmpty || binary == "petitionctl"),
                    "\(name) starts \(binary)")
            #expect(Array(words.dropFirst().prefix(verb.count)) == verb, "\(name) runs \(words)")
            let help = try runTool(binary, verb + ["--help"])
            for flag in words.dropFirst() where flag.hasPrefix("--") {
                #expect(help.stdout.contains("  \(flag) ") || help.stdout.contains("  \(flag)\n"), "\(binary) has no \(flag)")
            }
            for setting in ["User=petition", "ProtectSystem=strict", "ReadWritePaths=/var/lib/petition", "NoNewPrivileges=yes",
                            "PrivateTmp=yes", "Restart=on-failure", "StateDirectory=petition", "UMask=0077", "CapabilityBoundingSet="] {
                #expect(text.contains("\n\(setting)\n") || (setting == "StateDirectory=petition" && text.contains("\n\(setting) ")), "\(name) lacks \(setting)")
            }
        }
    }
}
