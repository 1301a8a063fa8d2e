import ArgumentParser
import EventSourcing
import Foundation
import GRDB
import Messaging
import PetitionDomain
import Runtime
import ZeroMQ

/// N submit commands from C concurrent clients over tcp through a real gateway process to durable commit.
struct Intake: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Commands/s and latency through the gateway (CurveZMQ), vs raw SQLite and raw ZeroMQ with and without CURVE.")

    @Option(help: "Commands to send.") var commands = 100_000
    @Option(help: "Concurrent clients (one DEALER each).") var clients = 8
    @Option(help: "Commands in flight per client.") var window = 128
    @Option(help: "Rounds of the raw ZeroMQ echo, with and without CURVE alternately (each ceiling is its median round).") var echoRounds = 3
    @Flag(help: "Keep the gateway's log in PostgreSQL (a server this bench starts on loopback) instead of SQLite.") var postgresql = false

    func run() throws {
        let folder = try temporaryFolder("intake")
        defer { try? FileManager.default.removeItem(at: folder) }
        let port = try Peers.freeBasePort()
        let endpoints = Endpoints(basePort: port)
        let gateway = Process()
        gateway.executableURL = Supervisor.defaultBinDirectory().appendingPathComponent("petition-gateway")
        gateway.arguments = ["--data-dir", folder.path, "--base-port", String(port), "--log-level", "warning"]
        var postgres: BenchPostgres?
        if postgresql {
            guard let server = try BenchPostgres.startIfInstalled(in: folder.appendingPathComponent("postgres")) else {
                throw ValidationError("--postgresql: the PostgreSQL server is not installed (Debian: apt-get install postgresql)")
            }
            postgres = server
            gateway.arguments! += ["--store", try server.database("intake")]
        }
        defer { withExtendedLifetime(postgres) {} } // stopped by its PID after the gateway
        try gateway.run()
        defer { kill(gateway.processIdentifier, SIGTERM); gateway.waitUntilExit() }

        let context = try ZMQContext(ioThreads: 2)
        defer { context.terminate() }
        // Every socket runs CurveZMQ: as the administrator (the folder's identities/administrator.json), register a
        // unit, appoint a clerk and issue them a fresh key; the bench's clients send as that clerk.
        let registry = try BenchRegistry(folder: folder, endpoints: endpoints, context: context, gateway: gateway)
        let clerkKeys = try registry.official(.clerk, name: "Thư ký đo lường")
        _ = try registry.official(.chair, name: "Trần Văn A") // the session's chair, as its minutes name them
        let clerk = registry.pin(clerkKeys)
        let client = RequestClient(context: context, endpoint: endpoints.commands, curve: clerk)
        var session: String?
        for _ in 0..<100 where session == nil {
            session = (try? client.request(json: ["type": "session.open", "commandId": "bench-session",
                                                  "unit": "Xã Bình Thành", "title": "Đối thoại", "chair": "Trần Văn A"], timeoutMs: 200))?["id"] as? String
        }
        client.close()
        guard let session else { throw ValidationError("the gateway did not open the session for the bench's clerk") }

        // Our system (always with CURVE).
        let perClient = commands / clients
        let bodies: [[(commandId: String, body: [UInt8])]] = (0..<clients).map { c in
            (0..<perClient).map { i in
                let id = "bench-\(c)-\(i)"
                let body = #"{"type":"petition.submit","commandId":"\#(id)","sessionId":"\#(session)","kind":"recommendation","category":"land","content":"Cấp giấy chứng nhận quyền sử dụng đất chậm \#(i)","citizen":{"name":"Nguyễn Thị B","address":"ấp Tây Huề","phone":"0900000000"}}"#
                return (id, Array(body.utf8))
            }
        }
        let ours = try runClients(bodies) { requests in
            let results = try PipelinedSender(context: context, endpoint: endpoints.commands, curve: clerk).send(requests, window: window, timeoutMs: 60_000)
            try requireAccepted(results)
            return results.values.map(\.latencyNanos)
        }

        // Ceiling 1: a raw ZeroMQ round trip with the same clients, window and message size, without CURVE; and the
        // same echo as a CURVE server whose ZAP handler admits the clerk's key only, the clients pinning its key: what
        // CurveZMQ's handshake and per-message encryption cost, apart from the gateway. Alternated over `echoRounds`
        // rounds (plain first, then CURVE first, …) and each taken at its median round, so the machine's drift
        // (2 cores shared) falls on both alike.
        let echoEndpoint = "tcp://127.0.0.1:\(try Peers.freePort())" // free now: a port near the gateway's may be another's
        let echo = EchoServer(context: context, endpoint: echoEndpoint)
        try echo.start()
        let echoKeys = try CurveKeyPair.generate()
        let admitted = clerkKeys.publicKey
        let zap = try ZAPHandler(context: context) { request in
            request.mechanism == "CURVE" && request.clientKey == admitted ? .allow(userId: admitted) : .deny(reason: "not the bench's key")
        }
        defer { zap.stop() }
        let curveEndpoint = "tcp://127.0.0.1:\(try Peers.freePort())"
        let curveEcho = EchoServer(context: context, endpoint: curveEndpoint, curve: echoKeys)
        try curveEcho.start()
        let echoPin = CurvePin(keys: clerkKeys, serverKey: echoKeys.publicKey)
        func plainEcho() throws -> Run {
            try runClients(bodies) { requests in
                try PipelinedSender(context: context, endpoint: echoEndpoint).send(requests, window: window, timeoutMs: 60_000).values.map(\.latencyNanos)
            }
        }
        func curveEchoRun() throws -> Run {
            try runClients(bodies) { requests in
                let results = try PipelinedSender(context: context, endpoint: curveEndpoint, curve: echoPin).send(requests, window: window, timeoutMs: 60_000)
                try requireAccepted(results)
                return results.values.map(\.latencyNanos)
            }
        }
        var plainRuns: [Run] = [], curveRuns: [Run] = []
        for round in 0..<max(1, echoRounds) {
            if round % 2 == 0 {
                plainRuns.append(try plainEcho()); curveRuns.append(try curveEchoRun())
            } else {
                curveRuns.append(try curveEchoRun()); plainRuns.append(try plainEcho())
            }
        }
        func median(_ runs: [Run]) -> Run { runs.sorted { $0.rate < $1.rate }[runs.count / 2] }
        let zmq = median(plainRuns), zmqCurve = median(curveRuns)

        // Ceiling 2: raw batched SQLite inserts of the same records, one durable commit per batch of the gateway's mean size.
        let sqlite = try rawSQLiteInsert(count: perClient * clients, batch: max(1, clients * window / 2), folder: folder)

        func roundTrip(_ run: Run) -> [String: Any] {
            ["messagesPerSecond": Stats.round(run.rate, 0), "latencyMs": ["p50": Stats.round(run.p50, 3), "p99": Stats.round(run.p99, 3)]]
        }
        emit([
            "scenario": "intake",
            "store": postgresql ? "postgresql" : "sqlite",
            "commands": perClient * clients, "clients": clients, "window": window,
            "curve": true,
            "commandsPerSecond": Stats.round(ours.rate, 0),
            "latencyMs": ["p50": Stats.round(ours.p50, 3), "p99": Stats.round(ours.p99, 3)],
            "ceilings": [
                "rawZeroMQRoundTrip": roundTrip(zmq),
                "rawZeroMQRoundTripCurve": roundTrip(zmqCurve),
                "rawSQLiteBatchedInsert": ["recordsPerSecond": Stats.round(sqlite.rate, 0), "batch": sqlite.batch],
            ],
            "curveCost": [
                "echoRateRatio": Stats.round(zmqCurve.rate / zmq.rate, 3),
                "echoRateLostPercent": Stats.round((1 - zmqCurve.rate / zmq.rate) * 100, 1),
                "echoLatencyAddedMs": ["p50": Stats.round(zmqCurve.p50 - zmq.p50, 3), "p99": Stats.round(zmqCurve.p99 - zmq.p99, 3)],
                "echoRounds": plainRuns.count,
                "roundsMessagesPerSecond": ["plain": plainRuns.map { Stats.round($0.rate, 0) }, "curve": curveRuns.map { Stats.round($0.rate, 0) }],
                "note": "the same echo, clients, window and messages with and without CurveZMQ (ZAP handler, pinned server key), rounds alternated, each at its median round; the gateway always runs CurveZMQ",
            ],
            "ratios": [
                "ofRawZeroMQ": Stats.round(ours.rate / zmq.rate, 3),
                "ofRawZeroMQCurve": Stats.round(ours.rate / zmqCurve.rate, 3),
                "ofRawSQLite": Stats.round(ours.rate / sqlite.rate, 3),
            ],
            "target": ["commandsPerSecond": 20_000, "met": ours.rate >= 20_000],
        ])
    }

    struct Run { var rate: Double; var p50: Double; var p99: Double }

    private func runClients(_ bodies: [[(commandId: String, body: [UInt8])]], _ send: @escaping @Sendable ([(commandId: String, body: [UInt8])]) throws -> [UInt64]) throws -> Run {
        let results = Results()
        let group = DispatchGroup()
        let start = Stats.now()
        for requests in bodies {
            group.enter()
            let thread = Thread {
                do {
                    results.add(try send(requests))
                } catch {
                    results.fail(error)
                }
                group.leave()
            }
            thread.start()
        }
        group.wait()
        let elapsed = Stats.seconds(since: start)
        if let failure = results.failure { throw failure }
        let latencies = results.latencies.sorted()
        return Run(rate: Double(latencies.count) / elapsed, p50: Stats.percentile(latencies, 0.5), p99: Stats.percentile(latencies, 0.99))
    }

    private func rawSQLiteInsert(count: Int, batch: Int, folder: URL) throws -> (rate: Double, batch: Int) {
        var config = Configuration()
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        let pool = try DatabasePool(path: folder.appendingPathComponent("raw.sqlite").path, configuration: config)
        try pool.write { db in
            try db.execute(sql: """
                CREATE TABLE events (position INTEGER PRIMARY KEY, stream TEXT NOT NULL, stream_version INTEGER NOT NULL,
                  id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, occurred_at INTEGER NOT NULL, recorded_at INTEGER NOT NULL,
                  data TEXT NOT NULL, actor TEXT NOT NULL, command_id TEXT NOT NULL, correlation_id TEXT NOT NULL,
                  causation_id TEXT NOT NULL, previous_hash BLOB NOT NULL, hash BLOB NOT NULL, UNIQUE (stream, stream_version))
                """)
        }
        let data = String(repeating: "x", count: 420)
        let hash = Data(repeating: 7, count: 32)
        let start = Stats.now()
        var position = 0
        while position < count {
            try pool.write { db in
                let insert = try db.cachedStatement(sql: "INSERT INTO events VALUES (?, ?, 1, ?, 'petition.submitted.v1', 0, 0, ?, 'clerk', ?, ?, ?, ?, ?)")
                for _ in 0..<min(batch, count - position) {
                    position += 1
                    let id = "raw-\(position)"
                    try insert.execute(arguments: [position, "petition-P\(position)", id, data, id, id, id, hash, hash])
                }
            }
        }
        return (Double(count) / Stats.seconds(since: start), batch)
    }
}

/// Latencies gathered from client threads.
final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var latencies: [UInt64] = []
    private(set) var failure: Error?
    func add(_ l: [UInt64]) { lock.withLock { latencies += l } }
    func fail(_ e: Error) { lock.withLock { failure = e } }
}

/// A ROUTER that echoes every request: the ceiling for a ZeroMQ round trip (plain, or as a CURVE server).
final class EchoServer: @unchecked Sendable {
    let context: ZMQContext
    let endpoint: String
    /// The server's keys when it runs CurveZMQ (the context's ZAP handler must be running); nil: plain.
    let curve: CurveKeyPair?

    init(context: ZMQContext, endpoint: String, curve: CurveKeyPair? = nil) {
        self.context = context
        self.endpoint = endpoint
        self.curve = curve
    }

    func start() throws {
        let ready = DispatchSemaphore(value: 0)
        let outcome = Results()
        let thread = Thread { [self] in
            do {
                let router = try context.socket(.router)
                defer { router.close() }
                try router.setHighWaterMarks(send: 100_000, receive: 100_000)
                if let curve { try router.makeCurveServer(curve) }
                try router.bind(endpoint)
                ready.signal()
                while true {
                    guard let frames = try router.receive() else { continue }
                    // Echo a reply that carries the command id, as the gateway's does.
                    let body = frames.last ?? []
                    let id = PipelinedSender.commandId(in: body)
                    try router.send(Array(frames.dropLast()) + [Array(#"{"commandId":"\#(id)","ok":true}"#.utf8)], dontWait: true)
                }
            } catch {
                outcome.fail(error)
                ready.signal()
            }
        }
        thread.start()
        ready.wait()
        if let failure = outcome.failure { throw failure }
    }

}
