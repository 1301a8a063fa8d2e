import ArgumentParser
import Foundation

/// Measures the system against its ceilings; prints JSON. Not a test.
@main
struct PetitionBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "petition-bench",
        abstract: "Measure intake and replay against their ceilings (raw SQLite, raw ZeroMQ); prints JSON.",
        subcommands: [Intake.self, Replay.self, Rebuild.self, ProcessorScenario.self, EscalationScenario.self, VerifyScenario.self, APIScenario.self, Peers.self, KillNine.self, All.self, Generate.self])
}

struct All: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Every scenario with its defaults.")

    func run() throws {
        try Intake.parse([]).run()
        try Replay.parse([]).run()
        try Rebuild.parse([]).run()
        try EscalationScenario.parse([]).run()
        try VerifyScenario.parse([]).run()
        try APIScenario.parse([]).run()
    }
}

/// Statistics helpers.
enum Stats {
    static func percentile(_ sorted: [UInt64], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let index = min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)
        return Double(sorted[max(0, index)]) / 1_000_000
    }

    /// Peak resident memory of this process so far, in MiB.
    static func peakMemoryMiB() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    static func seconds(since start: UInt64) -> Double { Double(now() - start) / 1e9 }

    static func round(_ x: Double, _ digits: Int = 2) -> Double {
        let f = pow(10, Double(digits))
        return (x * f).rounded() / f
    }
}

/// Prints one result object as a JSON line.
func emit(_ object: [String: Any]) {
    var o = object
    o["date"] = ISO8601DateFormatter().string(from: Date())
    o["cores"] = ProcessInfo.processInfo.activeProcessorCount
    let data = try! JSONSerialization.data(withJSONObject: o, options: [.sortedKeys, .prettyPrinted])
    print(String(decoding: data, as: UTF8.self))
}

func temporaryFolder(_ name: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("petition-bench-\(name)-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
