import ArgumentParser
import EventSourcing
import Foundation
import Messaging
import PetitionDomain
import Runtime
import Workers
import ZeroMQ

/// The escalator's schedule at scale: N open referred petitions, deadlines spread over a year.
///
/// Measures memory, the cost of a tick with nothing due and with a burst due,
/// and the delay between a rung falling due and the tick that raises it.
struct EscalationScenario: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "escalation",
                                                    abstract: "Schedule N open referred petitions; measure memory, time per tick and escalation delay.")

    @Option(help: "Open referred petitions.") var petitions: Int = 1_000_000
    @Option(help: "The escalator's tick interval, in milliseconds (the delay's bound).") var tickMs: Int = 1000
    @Option(help: "End to end through a real gateway and escalator: rounds, each moving the clock to one deadline's warning (0: skip).")
    var rounds: Int = 30
    @Option(help: "End to end: petitions whose warning falls due in each round.") var burst: Int = 100

    func run() throws {
        let baseline = Stats.peakMemoryMiB()
        var settings = UnitSettings()
        settings.parent = "Huyện Vũ Thư"
        let schedule = EscalationSchedule(directory: UnitDirectory(defaults: settings))
        let units = (0..<30).map { "Xã \($0)" }
        let firstDay = LocalDate("2026-01-01")!.dayNumber
        let build = Stats.now()
        for i in 0..<petitions {
            let id = "P\(i)"
            schedule.apply(.petition(.submitted(PetitionSubmitted(petitionId: id, sessionId: "S1", unit: units[i % 30], kind: .recommendation,
                                                                  category: .land, content: "", citizen: SealedPersonalData(personId: "", sealed: "")))))
            schedule.apply(.petition(.referred(PetitionReferred(petitionId: id, department: "Phòng \(i % 7)", assignee: "Cán bộ \(i % 500)", by: "c",
                                                                deadline: LocalDate(dayNumber: firstDay + Int64(i % 365))))))
        }
        let buildSeconds = Stats.seconds(since: build)
        // A tick with nothing due, at the start of the year.
        let quietAt = Timestamp.parseMillis("2026-01-01T00:00:00+07:00")! - 86_400_000 * 10
        var quiet: [UInt64] = []
        for _ in 0..<10_000 {
            let t = Stats.now()
            precondition(schedule.due(at: quietAt).isEmpty)
            quiet.append(Stats.now() - t)
        }
        quiet.sort()
        // Walk the clock tick by tick through a day with ~2,700 rungs due; record each rung's delay after its due time.
        var delays: [UInt64] = []
        var tickCosts: [UInt64] = []
        var raised = 0
        var now = Timestamp.parseMillis("2026-03-01T00:00:00+07:00")! - 1
        let end = now + 86_400_000
        // Everything due before March: the backlog a restarted escalator raises first.
        let backlogStart = Stats.now()
        var backlog = 0
        while true {
            let batch = schedule.due(at: now, limit: 100_000).count
            if batch == 0 { break }
            backlog += batch
        }
        let backlogSeconds = Stats.seconds(since: backlogStart)
        while now < end {
            now += Int64(tickMs)
            let t = Stats.now()
            let due = schedule.due(at: now)
            tickCosts.append(Stats.now() - t)
            raised += due.count
            for d in due { delays.append(UInt64(now - d.dueAt) * 1_000_000) }
        }
        tickCosts.sort()
        delays.sort()
        let endToEnd = rounds > 0 ? try EndToEnd(rounds: rounds, burst: burst, tickMs: tickMs).run() : [:]
        emit([
            "scenario": "escalation", "petitions": petitions, "tickMs": tickMs,
            "buildSeconds": Stats.round(buildSeconds, 3),
            "scheduleMiB": Stats.round(Stats.peakMemoryMiB() - baseline, 1), "peakMemoryMiB": Stats.round(Stats.peakMemoryMiB(), 1),
            "quietTickMicros": ["p50": Stats.round(Stats.percentile(quiet, 0.5) * 1000, 3), "p99": Stats.round(Stats.percentile(quiet, 0.99) * 1000, 3)],
            "backlogRaised": backlog, "backlogSeconds": Stats.round(backlogSeconds, 3),
            "dayTicks": tickCosts.count, "dayRaised": raised,
            "tickMicros": ["p50": Stats.round(Stats.percentile(tickCosts, 0.5) * 1000, 2), "p99": Stats.round(Stats.percentile(tickCosts, 0.99) * 1000, 2),
                           "max": Stats.round(Double(tickCosts.last ?? 0) / 1000, 2)],
            "delayAfterDueMs": ["p50": Stats.percentile(delays, 0.5), "p99": Stats.percentile(delays, 0.99), "max": Double(delays.last ?? 0) / 1e6],
            "note": "delayAfterDueMs: the schedule alone (tick granularity); endToEnd: clock moved past the due instant → escalation event published",
            "endToEnd": endToEnd,
        ])
    }
}

/// The delay between a rung falling due and its escalation event, through the real processes: a gateway and
/// a petition-escalator (clock file, `tickMs`) on loopback. Each round moves the clock to the instant one
/// deadline's warnings fall due and times every `petition.escalated.v2` on the event feed from that moment.
struct EndToEnd {
    var rounds: Int
    var burst: Int
    var tickMs: Int

    func run() throws -> [String: Any] {
        let folder = try temporaryFolder("escalation")
        defer { try? FileManager.default.removeItem(at: folder) }
        let port = Int.random(in: 30_000...50_000)
        let endpoints = Endpoints(basePort: port)
        let clockFile = folder.appendingPathComponent("clock.txt")
        func setClock(_ instant: String) throws { try Data(instant.utf8).write(to: clockFile, options: .atomic) }
        func start(_ name: String, _ extra: [String]) throws -> Process {
            let process = Process()
            process.executableURL = Supervisor.defaultBinDirectory().appendingPathComponent(name)
            process.arguments = ["--data-dir", folder.path, "--base-port", String(port), "--log-level", "warning"] + extra
            try process.run()
            return process
        }
        let gateway = try start("petition-gateway", [])
        defer { kill(gateway.processIdentifier, SIGTERM); gateway.waitUntilExit() }

        let context = try ZMQContext()
        defer { context.terminate() }
        // Every socket runs CurveZMQ: as the administrator, register a unit and appoint a clerk (who opens the
        // session and records the petitions) and a chair (who refers them), each with a fresh key.
        let registry = try BenchRegistry(folder: folder, endpoints: endpoints, context: context, gateway: gateway)
        let clerkKeys = try registry.official(.clerk, name: "Thư ký đo lường")
        let chairKeys = try registry.official(.chair, name: "Trần Văn A")
        let clerk = RequestClient(context: context, endpoint: endpoints.commands, curve: registry.pin(clerkKeys))
        defer { clerk.close() }
        let chair = RequestClient(context: context, endpoint: endpoints.commands, curve: registry.pin(chairKeys))
        defer { chair.close() }
        func send(_ body: [String: Any], by client: RequestClient) throws -> [String: Any] {
            var body = body
            body["commandId"] = UUID().uuidString
            body["occurredAt"] = "2026-03-02T09:00:00+07:00"
            guard let reply = try client.request(json: body, timeoutMs: 5000), reply["ok"] as? Bool == true else {
                throw ValidationError("\(body["type"]!) was not accepted")
            }
            return reply
        }
        var session: String?
        for _ in 0..<100 where session == nil {
            session = (try? clerk.request(json: ["type": "session.open", "commandId": "bench-session",
                                                 "unit": "Xã Bình Thành", "title": "Đối thoại", "chair": "Trần Văn A",
                                                 "occurredAt": "2026-03-02T08:00:00+07:00"], timeoutMs: 200))?["id"] as? String
        }
        guard let session else { throw ValidationError("the gateway did not open the session for the bench's clerk") }
        // Round r: `burst` petitions with the deadline 10 + r March; their warnings fall due at the start of 7 + r March.
        for r in 0..<rounds {
            let deadline = LocalDate(dayNumber: LocalDate("2026-03-10")!.dayNumber + Int64(r))
            for i in 0..<burst {
                let id = try send(["type": "petition.submit", "sessionId": session, "kind": "recommendation",
                                   "category": "land", "content": "Cấp giấy chứng nhận chậm \(r).\(i)", "citizen": ["name": "Nguyễn Thị B"]], by: clerk)["id"] as! String
                _ = try send(["type": "petition.refer", "petitionId": id, "department": "Phòng Tài nguyên và Môi trường",
                              "assignee": "Lê Văn C", "by": "Trần Văn A", "deadline": deadline.description], by: chair)
            }
        }

        // The event feed is a CURVE server too: subscribe as the clerk. The escalator, started on the same data
        // folder, uses its own key from keys/petition-escalator.json.
        let feed = try context.socket(.sub)
        defer { feed.close() }
        try feed.subscribe("petition.escalated.v2")
        try feed.pin(registry.pin(clerkKeys))
        try feed.connect(endpoints.events)
        try setClock("2026-03-03T00:00:00+07:00")
        let escalator = try start("petition-escalator", ["--clock-file", clockFile.path, "--tick-ms", String(tickMs)])
        defer { kill(escalator.processIdentifier, SIGTERM); escalator.waitUntilExit() }
        Thread.sleep(forTimeInterval: 3) // The escalator rebuilds its schedule from history; nothing is due yet.

        var delays: [UInt64] = [], firsts: [UInt64] = [], lasts: [UInt64] = []
        for r in 0..<rounds {
            let day = LocalDate(dayNumber: LocalDate("2026-03-07")!.dayNumber + Int64(r))
            // A random phase against the escalator's tick, as a real deadline has.
            Thread.sleep(forTimeInterval: Double.random(in: 0..<Double(tickMs) / 1000))
            let moved = Stats.now()
            try setClock("\(day)T00:00:00+07:00")
            var seen = 0
            let giveUp = moved + 60_000_000_000
            while seen < burst, Stats.now() < giveUp {
                guard try ZMQPoll.readable([feed], timeoutMs: 200)[0] else { continue }
                while let frames = try feed.receive(dontWait: true) {
                    let delay = Stats.now() - moved
                    // Only this round's warnings: the clock also passes earlier rounds' deadlines (their overdue alerts).
                    guard frames.count == 2, let event = try? JSONSerialization.jsonObject(with: Data(frames[1])) as? [String: Any],
                          let data = event["data"] as? [String: Any], data["level"] as? String == "warning",
                          data["deadline"] as? String == LocalDate(dayNumber: day.dayNumber + 3).description else { continue }
                    if seen == 0 { firsts.append(delay) }
                    seen += 1
                    delays.append(delay)
                    if seen == burst { lasts.append(delay) }
                }
            }
            guard seen == burst else { throw ValidationError("round \(r): \(seen) of \(burst) escalations within 60 s") }
        }
        delays.sort(); firsts.sort(); lasts.sort()
        return [
            "rounds": rounds, "burst": burst, "tickMs": tickMs,
            "delayMs": ["p50": Stats.round(Stats.percentile(delays, 0.5), 1), "p99": Stats.round(Stats.percentile(delays, 0.99), 1),
                        "max": Stats.round(Double(delays.last ?? 0) / 1e6, 1)],
            "firstOfRoundMs": ["p50": Stats.round(Stats.percentile(firsts, 0.5), 1), "max": Stats.round(Double(firsts.last ?? 0) / 1e6, 1)],
            "lastOfRoundMs": ["p50": Stats.round(Stats.percentile(lasts, 0.5), 1), "max": Stats.round(Double(lasts.last ?? 0) / 1e6, 1)],
        ]
    }
}
