import ArgumentParser
import EventSourcing
import Foundation
import PetitionDomain
import Workers

/// The escalator's schedule at scale: N open referred petitions, deadlines spread over a year.
///
/// Measures memory, the cost of a tick with nothing due and with a burst due,
/// and the delay between a rung falling due and the tick that raises it.
struct EscalationScenario: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "escalation",
                                                    abstract: "Schedule N open referred petitions; measure memory, time per tick and escalation delay.")

    @Option(help: "Open referred petitions.") var petitions: Int = 1_000_000
    @Option(help: "The escalator's tick interval, in milliseconds (the delay's bound).") var tickMs: Int = 1000

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
            "note": "delay = tick interval granularity in the schedule; the command's round trip to the gateway (intake p50) adds to it",
        ])
    }
}
