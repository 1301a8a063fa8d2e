import Foundation
import Testing
import TestSupport

/// Every command README.md shows in a `sh` block runs, as written, against `petitionctl up --demo`.
@Suite(.serialized)
struct ReadmeCommandsTests {
    /// The README beside Package.swift.
    static let readmePath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("README.md").path

    /// The commands of every ```sh block, continuation lines joined; `make …` lines are left to CI, which runs `make test`.
    static func commands(in markdown: String) -> [String] {
        var commands: [String] = []
        var inShell = false
        var pending = ""
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("```") {
                inShell = !inShell && line == "```sh"
                continue
            }
            guard inShell else { continue }
            if line.hasSuffix("\\") {
                pending += line.dropLast() + " "
                continue
            }
            let command = (pending + line).trimmingCharacters(in: .whitespaces)
            pending = ""
            if command.isEmpty || command.hasPrefix("make ") { continue }
            commands.append(command)
        }
        return commands
    }

    /// Runs `command` with /bin/sh in `folder`, the built executables first on PATH and the system's port in PETITION_BASE_PORT.
    static func run(_ command: String, in folder: String, basePort: Int) throws -> CommandOutput {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = TestProcess.binDirectory.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["PETITION_BASE_PORT"] = String(basePort)
        for name in ["PETITION_ACTOR", "PETITION_ROLE", "PETITION_DEPARTMENT"] { environment[name] = nil }
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile(), stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandOutput(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                             stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test("the README's commands are found: synopses with [options] are not in sh blocks")
    func theReadmeShellBlocksHoldOnlyRunnableCommands() throws {
        let commands = Self.commands(in: try String(contentsOfFile: Self.readmePath, encoding: .utf8))
        #expect(commands.count >= 20)
        #expect(commands.allSatisfy { $0.hasPrefix("petitionctl ") }, "\(commands.filter { !$0.hasPrefix("petitionctl ") })")
        for command in commands { #expect(!command.contains("[--") && !command.contains("|csv"), "a synopsis in a sh block: \(command)") }
    }

    @Test("every command in README.md runs as written against petitionctl up --demo")
    func everyReadmeCommandRunsAgainstTheDemo() throws {
        let commands = Self.commands(in: try String(contentsOfFile: Self.readmePath, encoding: .utf8))
        let system = try TestSystem()
        let folder = system.dataDirectory
        let up = try TestProcess("petitionctl", ["up", "--demo", "--data-dir", "data", "--base-port", String(system.basePort), "--http-port", String(system.httpPort)],
                                 outputPath: folder + "/up.out", environment: nil, currentDirectory: folder)
        defer { up.stop() }
        let loading = Date()
        #expect(waitUntil(timeout: 120) { up.output.contains("ready\n") }, "up --demo never printed ready: \(up.output)")
        print("demo loaded in \(String(format: "%.1f", Date().timeIntervalSince(loading))) s")

        var outputs: [String: CommandOutput] = [:]
        for command in commands {
            let out = try Self.run(command, in: folder, basePort: system.basePort)
            #expect(out.status == 0, "\(command)\nexit \(out.status): \(out.stderr)\(out.stdout.prefix(500))")
            outputs[command] = out
        }
        func output(_ prefix: String) -> CommandOutput? { outputs.first { $0.key.hasPrefix(prefix) }?.value }
        #expect(output("petitionctl session open")?.json["id"] as? String == "S000061")
        let submitted = outputs.filter { $0.key.hasPrefix("petitionctl submit") }.values.compactMap { $0.json["id"] as? String }.sorted()
        #expect(submitted == ["P000901", "P000902"])
        let processes = output("petitionctl status")?.json["processes"] as? [[String: Any]] ?? []
        #expect(processes.count == 5 && processes.allSatisfy { $0["alive"] as? Bool == true }, "\(processes)")
        #expect(output("petitionctl audit verify")?.json["intact"] as? Bool == true)
        #expect(output("petitionctl search")?.stdout.contains("P000901") == true, "the README says search finds P000901")
        #expect(FileManager.default.fileExists(atPath: folder + "/report.md") && FileManager.default.fileExists(atPath: folder + "/backup.sqlite"))

        // up printed the API's URL, and each demo official listed in demo-accounts.json logs in there.
        #expect(up.output.contains("http: http://127.0.0.1:\(system.httpPort)/api/v1\n"), "\(up.output)")
        let accounts = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/data/identities/demo-accounts.json"))) as? [[String: Any]])
        #expect(accounts.allSatisfy { ($0["login"] as? String)?.isEmpty == false && ($0["password"] as? String)?.count == 14 && $0["role"] != nil && $0["unit"] != nil })
        let chair = try #require(accounts.first { $0["role"] as? String == "chair" })
        let http = HTTPClient(base: "http://127.0.0.1:\(system.httpPort)")
        let login = try http.post("/api/v1/login", ["login": chair["login"]!, "password": chair["password"]!])
        #expect(login.status == 200, "\(login.text)")
        http.token = login.json["token"] as? String
        let outstanding = try http.get("/api/v1/outstanding")
        #expect(outstanding.status == 200 && !(outstanding.json["items"] as? [Any] ?? []).isEmpty, "\(outstanding.status) \(outstanding.text.prefix(300))")
    }
}
