import ArgumentParser
import Audit
import EventSourcing
import Foundation
import Projections
import Runtime

/// `petitionctl audit rebuild`: every projection rebuilt from the log into a fresh file, as of any moment, or compared with the live one.
struct AuditRebuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Rebuild every projection from the log file into a fresh file, as of a position or a time; --compare checks the live projector's views row by row.",
        discussion: """
            Reads the store file directly (read-only), so it works with the system up or down, and writes only --out.
            Query the file with the read commands: petitionctl outstanding|responsibility|alerts|sessions|show --read-model FILE [--now TIME].
            Exit codes: 0 done (with --compare: identical), 1 a difference found, 2 the rebuild could not be done (a file cannot be \
            read or written, or the point asked for cannot be given: the message says why), 64 bad usage.
            """)

    @Option(help: "Rebuild positions 1 through N.") var position: Int64?
    @Option(help: "Rebuild what the log had recorded by this time (RFC 3339 or YYYY-MM-DD): through the last position recorded at or before it.",
            transform: AsOfTime.init)
    var asOf: AsOfTime?
    @Option(help: "The file to write (must not exist, unless --force). Optional with --compare (a temporary file is used).") var out: String?
    @Flag(help: "Replace --out if it exists (never the live read model).") var force = false
    @Flag(help: "Rebuild through the live projector's checkpoint and compare every table row by row; exit 1 on any difference.")
    var compare = false
    @Option(help: "With --compare: the read model to compare with (default: the live projector's projections.sqlite in --data-dir).")
    var against: String?
    @Option(help: "With --compare: report at most this many differences (all are counted).") var maxDifferences = 1000
    @Option(help: "The memory the rebuild may take, in MiB (default: half of this machine's). A log too long for it (about 0.85 KiB an event) is folded and written 20,000 events at a time, a few times slower.")
    var memoryLimitMib: Int?
    @Flag(help: "Print a JSON summary.") var json = false
    @OptionGroup var audit: AuditOptions

    /// An `--as-of` time, parsed once: as RFC 3339 text and in milliseconds.
    struct AsOfTime {
        var instant: String
        var millis: Int64

        init(_ text: String) throws {
            do { instant = try TimeInput.parse(text, option: "--as-of") } catch let error as CLIError { throw ValidationError(error.message) }
            millis = Timestamp.parseMillis(instant)!
        }
    }

    func validate() throws {
        if position != nil && asOf != nil { throw ValidationError("give --position or --as-of, not both") }
        if out == nil && !compare { throw ValidationError("give --out FILE: the file to write the rebuilt read model into") }
        if against != nil && !compare { throw ValidationError("--against is only for --compare") }
        guard maxDifferences > 0 else { throw ValidationError("--max-differences must be positive") }
        if let memoryLimitMib, memoryLimitMib <= 0 { throw ValidationError("--memory-limit-mib must be a positive number of MiB") }
    }

    /// The point asked for with --position or --as-of, if any.
    private var point: RebuildPoint? {
        if let position { return .position(position) }
        return asOf.map { .asOf($0.millis) }
    }

    func run() throws {
        let tool = AuditRebuild(files: audit.files,
                                memoryLimit: memoryLimitMib.map { $0 * 1_048_576 } ?? ProjectionRebuild.defaultMemoryLimit)
        let bar = ProgressBar("rebuilding")
        let progress: (Int64, Int64) -> Void = { bar.update($0, of: $1) }
        var identical = true
        try reportingFailures(json: json) {
            defer { bar.finish("") } // a failure's message starts on a line of its own
            try OutFile.refuseExisting(out, force: force)
            let report: AuditRebuildReport
            var lines: [String]
            if compare {
                let temporary = out == nil
                let path = out ?? FileManager.default.temporaryDirectory.appendingPathComponent("petition-rebuild-\(UUID().uuidString.prefix(8)).sqlite").path
                defer { if temporary { try? FileManager.default.removeItem(atPath: path) } }
                let (summary, comparison, logHead) = try tool.compare(point, into: path, force: force, live: against, limit: maxDifferences, progress: progress)
                bar.finish("rebuilt through position \(summary.position)")
                let against = against ?? tool.files.readModels
                report = AuditRebuildReport(summary: summary, temporary: temporary, asOf: asOf?.instant,
                                            compare: .init(against: against, logHead: logHead, comparedThrough: summary.position, result: comparison))
                lines = summaryLines(summary, temporary: temporary)
                identical = comparison.identical
                let behind = logHead - summary.position
                let reach = behind == 0 ? "the log's head" : "position \(summary.position), \(behind) record\(behind == 1 ? "" : "s") behind the log's head (\(logHead)): the live views have not applied \(behind == 1 ? "it" : "them") yet, and were compared only that far"
                if comparison.identical {
                    lines.append("identical to \(against): \(comparison.tables.count) tables, \(comparison.liveRows) rows, through \(reach)")
                } else {
                    lines.append("\(comparison.differenceCount) difference\(comparison.differenceCount == 1 ? "" : "s") from \(against), through \(reach):")
                    lines += comparison.differences.map { "  " + $0.line }
                    if comparison.differenceCount > comparison.differences.count {
                        lines.append("  … and \(comparison.differenceCount - comparison.differences.count) more (--max-differences)")
                    }
                }
            } else {
                let summary = try tool.rebuild(point ?? .head, into: out!, force: force, progress: progress)
                bar.finish("rebuilt through position \(summary.position)")
                report = AuditRebuildReport(summary: summary, temporary: false, asOf: asOf?.instant)
                lines = summaryLines(summary, temporary: false)
            }
            print(json ? report.json : lines.joined(separator: "\n"))
        }
        if !identical { throw ExitCode(1) }
    }

    private func summaryLines(_ s: RebuildSummary, temporary: Bool) -> [String] {
        var lines: [String] = []
        if let instant = asOf?.instant {
            lines.append(s.position == 0 ? "as of \(instant): the log had recorded nothing yet (the views are empty)"
                         : "as of \(instant): the log had recorded through position \(s.position)" + (s.recordedAt.map { " (recorded \($0))" } ?? ""))
        }
        let seconds = s.foldSeconds + s.writeSeconds
        lines.append("rebuilt every projection through position \(s.position): \(s.events) events in \(String(format: "%.2f", seconds)) s"
                     + " (\(Int(s.eventsPerSecond)) events/s)" + (temporary ? "" : " into \(s.out)")
                     + (s.inBatches ? ", 20,000 events at a time to stay within the memory limit (--memory-limit-mib)" : ""))
        return lines
    }
}
