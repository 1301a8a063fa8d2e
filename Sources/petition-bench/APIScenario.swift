import Accounts
import EventSourcing
import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Messaging
import PetitionDomain
import Runtime
import ZeroMQ

/// Requests/s and latency through petition-api over HTTP, for a submission and for the outstanding query, beside
/// the same through ZeroMQ to the gateway and the projector directly, and an HTTP round trip to `/health/live`
/// (the HTTP client's and server's own cost), all with the same clients in the same run.
struct APIScenario: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "api",
        abstract: "petition-api over HTTP (submit, outstanding) beside ZeroMQ direct and a bare HTTP round trip, same clients, same run.")

    @Option(help: "Submissions through each door.") var submissions = 4000
    @Option(help: "Outstanding queries through each door.") var queries = 2000
    @Option(help: "Concurrent clients, one request in flight each (HTTP/1.1 keep-alive; one DEALER each for ZeroMQ).") var clients = 16

    func run() throws {
        let folder = try temporaryFolder("api")
        defer { try? FileManager.default.removeItem(at: folder) }
        let port = Int.random(in: 30_000...50_000)
        let httpPort = try Peers.freePort()
        let endpoints = Endpoints(basePort: port)
        let bin = Supervisor.defaultBinDirectory()
        func start(_ name: String, _ extra: [String] = []) throws -> Process {
            let p = Process()
            p.executableURL = bin.appendingPathComponent(name)
            p.arguments = ["--data-dir", folder.path, "--base-port", String(port), "--log-level", "warning"] + extra
            try p.run()
            return p
        }
        let gateway = try start("petition-gateway")
        var started = [gateway]
        defer { for p in started.reversed() { kill(p.processIdentifier, SIGTERM); p.waitUntilExit() } }
        let context = try ZMQContext(ioThreads: 2)
        defer { context.terminate() }
        let registry = try BenchRegistry(folder: folder, endpoints: endpoints, context: context, gateway: gateway)
        started.append(try start("petition-projector"))
        let clerk = try registry.appoint(.clerk, name: "Thư ký đo lường")
        _ = try registry.official(.chair, name: "Trần Văn A")
        let password = "bench-" + RandomId.make()
        try AccountStore(path: AccountStore.path(dataDirectory: folder.path)).setPassword(officialId: clerk.id, login: "bench.clerk", password: password, cost: 4)
        started.append(try start("petition-api", ["--http-port", String(httpPort)]))

        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = clients
        configuration.httpShouldSetCookies = false
        let http = HTTP(session: URLSession(configuration: configuration), base: "http://127.0.0.1:\(httpPort)")
        let giveUp = Date().addingTimeInterval(30)
        while (try? http.call("GET", "/health/ready").status) != 200 {
            guard Date() < giveUp else { throw ValidationError("petition-api was not ready within 30 s") }
            usleep(100_000)
        }
        let login = try http.call("POST", "/api/v1/login", json: ["login": "bench.clerk", "password": password])
        guard let token = (try? JSONSerialization.jsonObject(with: login.body) as? [String: Any])?["token"] as? String else {
            throw ValidationError("login failed: \(login.status) \(String(decoding: login.body, as: UTF8.self))")
        }
        let auth = ["Authorization": "Bearer \(token)"]
        let opened = try http.call("POST", "/api/v1/sessions", json: ["unit": "Xã Bình Thành", "title": "Đối thoại", "chair": "Trần Văn A"], headers: auth)
        guard opened.status == 201, let session = (try JSONSerialization.jsonObject(with: opened.body) as? [String: Any])?["id"] as? String else {
            throw ValidationError("session: \(opened.status) \(String(decoding: opened.body, as: UTF8.self))")
        }
        func submission(_ i: Int) -> [String: Any] {
            ["sessionId": session, "kind": "recommendation", "category": "land", "content": "Cấp giấy chứng nhận quyền sử dụng đất chậm \(i)",
             "citizen": ["name": "Nguyễn Thị B", "address": "ấp Tây Huề", "phone": "0900000000"]]
        }

        // Through HTTP.
        let bareHTTP = try concurrently(queries) { _ in try http.expect(200, "GET", "/health/live") }
        let submitHTTP = try concurrently(submissions) { i in try http.expect(201, "POST", "/api/v1/petitions", json: submission(i), headers: auth) }
        let outstandingHTTP = try concurrently(queries) { _ in try http.expect(200, "GET", "/api/v1/outstanding?limit=50", headers: auth) }

        // Through ZeroMQ, as the same clerk, one DEALER per client.
        let pin = registry.pin(clerk.keys)
        let commands = (0..<clients).map { _ in RequestClient(context: context, endpoint: endpoints.commands, curve: pin) }
        let reads = (0..<clients).map { _ in RequestClient(context: context, endpoint: endpoints.queries, curve: registry.pin(clerk.keys, .projector)) }
        defer { (commands + reads).forEach { $0.close() } }
        let submitZMQ = try concurrently(submissions) { i, c in
            var body = submission(i)
            body["type"] = "petition.submit"; body["commandId"] = "bench-zmq-\(i)"
            guard try commands[c].request(json: body, timeoutMs: 30_000)?["ok"] as? Bool == true else { throw ValidationError("a ZeroMQ submission was refused") }
        }
        let outstandingZMQ = try concurrently(queries) { _, c in
            guard try reads[c].request(json: ["type": "outstanding", "limit": 50], timeoutMs: 30_000)?["ok"] as? Bool == true else {
                throw ValidationError("a ZeroMQ outstanding query was refused")
            }
        }

        func figures(_ r: Run) -> [String: Any] {
            ["requestsPerSecond": Stats.round(r.rate, 0), "latencyMs": ["p50": Stats.round(r.p50, 3), "p99": Stats.round(r.p99, 3)], "requests": r.count]
        }
        emit([
            "scenario": "api", "clients": clients,
            "http": ["submit": figures(submitHTTP), "outstanding": figures(outstandingHTTP)],
            "zeromq": ["submit": figures(submitZMQ), "outstanding": figures(outstandingZMQ)],
            "ceilings": ["httpRoundTripHealthLive": figures(bareHTTP)],
            "ratios": [
                "submitHTTPOfZeroMQ": Stats.round(submitHTTP.rate / submitZMQ.rate, 3),
                "outstandingHTTPOfZeroMQ": Stats.round(outstandingHTTP.rate / outstandingZMQ.rate, 3),
                "submitHTTPOfBareHTTP": Stats.round(submitHTTP.rate / bareHTTP.rate, 3),
            ],
            "note": "HTTP through URLSession (FoundationNetworking), one request in flight per client with keep-alive; ZeroMQ one request in flight per DEALER, CurveZMQ; outstanding returns 50 petitions of the same read model",
        ])
    }

    struct Run { var rate: Double; var p50: Double; var p99: Double; var count: Int }

    /// Runs `count` calls over ``clients`` threads (call i on thread i % clients), each timed.
    func concurrently(_ count: Int, _ call: @escaping (Int, Int) throws -> Void) throws -> Run {
        // Each client thread runs its own share; what the calls share (the sockets, one per client) is used by one thread only.
        let box = Unchecked(value: call)
        let results = Results()
        let group = DispatchGroup()
        let start = Stats.now()
        for c in 0..<clients {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                var latencies: [UInt64] = []
                do {
                    for i in stride(from: c, to: count, by: clients) {
                        let t = Stats.now()
                        try box.value(i, c)
                        latencies.append(Stats.now() - t)
                    }
                } catch { results.fail(error) }
                results.add(latencies)
            }
        }
        group.wait()
        let seconds = Stats.seconds(since: start)
        if let failure = results.failure { throw failure }
        let sorted = results.latencies.sorted()
        return Run(rate: Double(sorted.count) / seconds, p50: Stats.percentile(sorted, 0.5), p99: Stats.percentile(sorted, 0.99), count: sorted.count)
    }

    func concurrently(_ count: Int, _ call: @escaping (Int) throws -> Void) throws -> Run {
        try concurrently(count) { i, _ in try call(i) }
    }
}

struct Unchecked<T>: @unchecked Sendable { let value: T }

/// Blocking HTTP calls over one URLSession (its connections kept alive).
struct HTTP: @unchecked Sendable {
    let session: URLSession
    let base: String

    func call(_ method: String, _ path: String, json: Any? = nil, headers: [String: String] = [:]) throws -> (status: Int, body: Data) {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = method
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var outcome: (Int, Data, Error?) = (0, Data(), nil)
        session.dataTask(with: request) { data, response, error in
            outcome = ((response as? HTTPURLResponse)?.statusCode ?? 0, data ?? Data(), error)
            done.signal()
        }.resume()
        done.wait()
        if let error = outcome.2 { throw error }
        return (outcome.0, outcome.1)
    }

    func expect(_ status: Int, _ method: String, _ path: String, json: Any? = nil, headers: [String: String] = [:]) throws {
        let reply = try call(method, path, json: json, headers: headers)
        guard reply.status == status else { throw ValidationError("\(method) \(path): \(reply.status) \(String(decoding: reply.body.prefix(300), as: UTF8.self))") }
    }
}
