import ArgumentParser
import EventSourcing
import Foundation
import Messaging
import PetitionDomain
import Runtime
import ZeroMQ

/// The kill -9 campaign: `kills` SIGKILLs of random processes (with PostgreSQL, two gateways: the writer and its
/// standby) while `clients` clerks submit petitions, each retrying with its command ids until acknowledged; then
/// every acknowledged command is looked for in the log (lost, duplicated), positions are checked gapless, and
/// `petitionctl audit rebuild --compare` must find the live views identical to a rebuild. A measurement, not a test.
struct KillNine: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "kill9", abstract: "kill -9 of random processes under a steady load: acknowledged commands lost or duplicated, gaps, and the views against a rebuild.")

    @Option(help: "SIGKILLs to send.") var kills = 200
    @Option(help: "Concurrent clerks, each retrying with its command ids.") var clients = 8
    @Option(help: "Commands in flight per clerk.") var window = 16
    @Option(help: "Milliseconds between kills: a random pause from this to twice this.") var pauseMs = 300
    @Flag(help: "The log in PostgreSQL (a server this bench starts on loopback), with a standby gateway.") var postgresql = false

    func run() throws {
        let folder = try temporaryFolder("kill9")
        defer { try? FileManager.default.removeItem(at: folder) }
        let basePort = try Peers.freeBasePort()
        let endpoints = Endpoints(basePort: basePort)
        var postgres: BenchPostgres?
        var store: [String] = []
        if postgresql {
            guard let server = try BenchPostgres.startIfInstalled(in: folder.appendingPathComponent("postgres")) else {
                throw ValidationError("--postgresql: the PostgreSQL server is not installed (Debian: apt-get install postgresql)")
            }
            postgres = server
            store = ["--store", try server.database("campaign")]
        }
        defer { withExtendedLifetime(postgres) {} }
        let data = folder.appendingPathComponent("data")
        let common = ["--data-dir", data.path, "--base-port", String(basePort), "--log-level", "warning"] + store
        var processes = [Managed("petition-gateway", common, logs: folder)]
        if postgresql { processes.append(Managed("petition-gateway", common, logs: folder, label: "petition-gateway (2)")) }
        processes += ["petition-projector", "petition-escalator", "petition-notifier"].map { Managed($0, common, logs: folder) }
        defer { processes.forEach { $0.stop() } }
        try processes[0].start()
        let context = try ZMQContext(ioThreads: 2)
        defer { context.terminate() }
        let registry: BenchRegistry
        do {
            registry = try BenchRegistry(folder: data, endpoints: endpoints, context: context, gateway: processes[0].process!)
        } catch {
            throw ValidationError("\(error); the gateway's log ends: \(processes[0].logTail)")
        }
        for p in processes.dropFirst() { try p.start() }
        let clerk = registry.pin(try registry.official(.clerk, name: "Thư ký đo lường"))
        _ = try registry.official(.chair, name: "Trần Văn A")
        let opener = RequestClient(context: context, endpoint: endpoints.commands, curve: clerk)
        var opened: String?
        for _ in 0..<100 where opened == nil {
            opened = (try? opener.request(json: ["type": "session.open", "commandId": "kill9-session", "unit": "Xã Bình Thành",
                                                 "title": "Đối thoại", "chair": "Trần Văn A"], timeoutMs: 300))?["id"] as? String
        }
        opener.close()
        guard let session = opened else { throw ValidationError("the gateway did not open the campaign's session") }

        // The clerks: new command ids while the campaign runs, then their unacknowledged ones until each is acknowledged.
        let clerks = (0..<clients).map { Clerk(number: $0, session: session) }
        let stop = StopSignal()
        let group = DispatchGroup()
        for c in clerks {
            group.enter()
            Thread { c.run(context: context, endpoint: endpoints.commands, curve: clerk, window: window, stop: stop); group.leave() }.start()
        }
        let start = Date()
        var killed: [String: Int] = [:]
        for _ in 0..<kills {
            usleep(UInt32(Int.random(in: pauseMs...(2 * pauseMs)) * 1000))
            let victim = processes.randomElement()!
            victim.kill9()
            killed[victim.label, default: 0] += 1
            try victim.start() // a gateway killed while a standby waits comes back as the standby
        }
        let campaignSeconds = Date().timeIntervalSince(start)
        stop.set()
        group.wait()
        let acknowledged = clerks.reduce(into: [String: Int64]()) { all, c in all.merge(c.acknowledged) { a, _ in a } }
        let unacknowledged = clerks.reduce(0) { $0 + $1.pending }

        // The log, read back through history.
        let admin = registry.pin(registry.administrator)
        let history = RequestClient(context: context, endpoint: endpoints.history, curve: admin)
        var positions: [Int64] = [], submitted: [String: [Int64]] = [:]
        var head: Int64 = 0
        while true {
            guard let page = try history.request(json: ["type": "history.read", "fromPosition": positions.count + 1, "limit": 2000], timeoutMs: 10_000),
                  let events = page["events"] as? [[String: Any]] else { throw ValidationError("history did not answer") }
            head = (page["head"] as? NSNumber)?.int64Value ?? head
            for event in events {
                let position = (event["position"] as? NSNumber)?.int64Value ?? 0
                positions.append(position)
                if event["type"] as? String == "petition.submitted.v3", let id = event["commandid"] as? String { submitted[id, default: []].append(position) }
            }
            if events.isEmpty || Int64(positions.count) >= head { break }
        }
        history.close()
        let lost = acknowledged.filter { submitted[$0.key] == nil }.count
        let duplicated = submitted.values.filter { $0.count > 1 }.count
        let wrongPosition = acknowledged.filter { id, position in submitted[id]?.first != position }.count
        let gapless = !positions.isEmpty && positions == Array(1...Int64(positions.count))

        // The projector converges on the head; then everything stops and the views are compared with a rebuild.
        let queries = RequestClient(context: context, endpoint: endpoints.queries, curve: registry.pin(registry.administrator, .projector))
        let converged = (try? queries.request(json: ["type": "status", "minPosition": head, "waitMs": 30_000], timeoutMs: 35_000))?["ok"] as? Bool == true
        queries.close()
        processes.forEach { $0.stop() }
        let compare = try Peers.runStatus(Supervisor.defaultBinDirectory().appendingPathComponent("petitionctl").path,
                                          ["audit", "rebuild", "--data-dir", data.path, "--compare", "--json"] + store)
        emit([
            "scenario": "kill9",
            "store": postgresql ? "postgresql (writer and standby gateway)" : "sqlite",
            "kills": kills, "killedByProcess": killed, "clients": clients, "window": window,
            "campaignSeconds": Stats.round(campaignSeconds, 1),
            "acknowledged": acknowledged.count, "neverAcknowledged": unacknowledged,
            "lost": lost, "duplicated": duplicated, "acknowledgedAtAnotherPosition": wrongPosition,
            "positionsGapless": gapless, "head": head,
            "projectorConverged": converged,
            "rebuildCompare": ["exitCode": compare.status, "identical": compare.status == 0, "summary": String(compare.output.suffix(400))],
        ])
    }

    /// A process of the campaign, started again after each kill.
    final class Managed {
        let name: String, label: String
        let arguments: [String]
        let logs: URL
        private(set) var process: Process?

        init(_ name: String, _ arguments: [String], logs: URL, label: String? = nil) {
            self.name = name
            self.label = label ?? name
            self.arguments = arguments
            self.logs = logs
        }

        func start() throws {
            let p = Process()
            p.executableURL = Supervisor.defaultBinDirectory().appendingPathComponent(name)
            p.arguments = arguments
            let log = logs.appendingPathComponent("\(label.filter { $0.isLetter || $0.isNumber }).log")
            if !FileManager.default.fileExists(atPath: log.path) { FileManager.default.createFile(atPath: log.path, contents: nil) }
            let handle = try FileHandle(forWritingTo: log)
            handle.seekToEndOfFile()
            p.standardOutput = handle
            p.standardError = handle
            try p.run()
            process = p
        }

        var logTail: String {
            let log = logs.appendingPathComponent("\(label.filter { $0.isLetter || $0.isNumber }).log")
            return String(((try? String(contentsOf: log, encoding: .utf8)) ?? "").suffix(1500))
        }

        func kill9() {
            guard let p = process, p.isRunning else { return }
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
        }

        func stop() {
            guard let p = process, p.isRunning else { return }
            kill(p.processIdentifier, SIGTERM)
            for _ in 0..<200 where p.isRunning { usleep(25_000) }
            if p.isRunning { kill(p.processIdentifier, SIGKILL) }
            p.waitUntilExit()
        }
    }

    final class StopSignal: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        func set() { lock.withLock { value = true } }
        var isSet: Bool { lock.withLock { value } }
    }

    /// One clerk: submits, and resends what was not acknowledged, with the same command ids.
    final class Clerk: @unchecked Sendable {
        let number: Int, session: String
        private let lock = NSLock()
        private var next = 0
        private var acked: [String: Int64] = [:]
        private var waiting: [String] = []

        init(number: Int, session: String) {
            self.number = number
            self.session = session
        }

        var acknowledged: [String: Int64] { lock.withLock { acked } }
        var pending: Int { lock.withLock { waiting.count } }

        func body(_ id: String) -> [UInt8] {
            Array(#"{"type":"petition.submit","commandId":"\#(id)","sessionId":"\#(session)","kind":"recommendation","category":"land","content":"Đường liên thôn xuống cấp \#(id)","citizen":{"name":"Nguyễn Thị B","address":"ấp Tây Huề","phone":"0900000000"}}"#.utf8)
        }

        func run(context: ZMQContext, endpoint: String, curve: CurvePin, window: Int, stop: StopSignal) {
            var deadline: Date?
            while true {
                if stop.isSet, deadline == nil { deadline = Date().addingTimeInterval(180) }
                if let deadline, Date() > deadline || pending == 0 { return }
                var chunk = lock.withLock { Array(waiting.prefix(window)) }
                if chunk.count < window, !stop.isSet {
                    let fresh = (0..<(window - chunk.count)).map { _ in lock.withLock { () -> String in next += 1; return "kill9-\(number)-\(next)" } }
                    lock.withLock { waiting += fresh }
                    chunk += fresh
                }
                let sender = PipelinedSender(context: context, endpoint: endpoint, curve: curve)
                guard let results = try? sender.send(chunk.map { ($0, body($0)) }, window: window, timeoutMs: 1000) else { continue }
                lock.withLock {
                    for (id, result) in results {
                        guard let reply = try? JSONSerialization.jsonObject(with: Data(result.reply)) as? [String: Any],
                              reply["ok"] as? Bool == true, let position = (reply["position"] as? NSNumber)?.int64Value else { continue }
                        acked[id] = position
                        waiting.removeAll { $0 == id }
                    }
                }
            }
        }
    }
}
