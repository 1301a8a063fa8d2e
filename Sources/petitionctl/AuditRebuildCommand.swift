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
            Exit codes: 0 done (with --compare: identical), 1 a difference found or refused, 64 bad usage.
            """)

    @Option(help: "Rebuild positions 1 through N.") var position: Int64?
    @Option(help: "Rebuild what the log had recorded by this time (RFC 3339 or YYYY-MM-DD): through the last position recorded at or before it.")
    var asOf: String?
    @Option(help: "The file to write (must not exist, unless --force). Optional with --compare (a temporary file is used).") var out: String?
    @Flag(help: "Replace --out if it exists (never the live read model).") var force = false
    @Flag(help: "Rebuild through the live projector's checkpoint and compare every table row by row; exit 1 on any difference.")
    var compare = false
    @Option(help: "With --compare: the read model to compare with (default: the live projector's projections.sqlite in --data-dir).")
    var against: String?
    @Option(help: "With --compare: report at most this many differences (all are counted).") var maxDifferences = 1000
    @Flag(help: "Print a JSON summary.") var json = false
    @OptionGroup var audit: AuditOptions

    func validate() throws {
        if position != nil && asOf != nil { throw ValidationError("give --position or --as-of, not both") }
        if out == nil && !compare { throw ValidationError("give --out FILE: the file to write the rebuilt read model into") }
        if against != nil && !compare { throw ValidationError("--against is only for --compare") }
        guard maxDifferences > 0 else { throw ValidationError("--max-differences must be positive") }
        if let asOf { _ = try parse(asOf) }
    }

    private func parse(_ asOf: String) throws -> Int64 {
        do { return Timestamp.parseMillis(try TimeInput.parse(asOf, option: "--as-of"))! } catch let error as CLIError { throw ValidationError(error.message) }
    }

    func run() throws {
        let tool = AuditRebuild(files: AuditFiles(dataDirectory: audit.dataDir))
        let bar = ProgressBar("rebuilding")
        let progress: (Int64, Int64) -> Void = { bar.update($0, of: $1) }
        do {
            var result: [String: Any] = [:]
            var lines: [String] = []
            var identical = true
            if compare {
                let checkpoint = try tool.liveCheckpoint(against)
                if position != nil || asOf != nil {
                    let point: RebuildPoint = try position.map { .position($0) } ?? .asOf(try parse(asOf!))
                    let asked = try point.resolve(in: EventLogFile(path: tool.files.eventLog))
                    guard asked == checkpoint else {
                        throw RebuildError("""
                            --compare compares with the live read model, which is at position \(checkpoint); a rebuild through \(asked) \
                            must differ from it. Drop --position/--as-of (the comparison rebuilds through \(checkpoint)), or rebuild \
                            through \(asked) with --out and query that file with --read-model
                            """)
                    }
                }
                let temporary = out == nil
                let path = out ?? FileManager.default.temporaryDirectory.appendingPathComponent("petition-rebuild-\(UUID().uuidString.prefix(8)).sqlite").path
                defer { if temporary { try? FileManager.default.removeItem(atPath: path) } }
                let (summary, comparison) = try tool.compare(into: path, force: force, live: against, limit: maxDifferences, progress: progress)
                bar.finish("rebuilt through position \(summary.position)")
                result = summaryObject(summary, temporary: temporary)
                lines = summaryLines(summary, temporary: temporary)
                identical = comparison.identical
                result["compare"] = [
                    "against": against ?? tool.files.readModels, "identical": comparison.identical, "tables": comparison.tables,
                    "liveRows": comparison.liveRows, "rebuiltRows": comparison.rebuiltRows, "differenceCount": comparison.differenceCount,
                    "differences": comparison.differences.map { d -> [String: Any] in
                        ["table": d.table, "key": d.key, "column": d.column ?? NSNull(), "live": d.live ?? NSNull(), "rebuilt": d.rebuilt ?? NSNull()]
                    },
                ]
                if comparison.identical {
                    lines.append("identical to \(against ?? tool.files.readModels): \(comparison.tables.count) tables, \(comparison.liveRows) rows")
                } else {
                    lines.append("\(comparison.differenceCount) difference\(comparison.differenceCount == 1 ? "" : "s") from \(against ?? tool.files.readModels):")
                    lines += comparison.differences.map { "  " + $0.line }
                    if comparison.differenceCount > comparison.differences.count {
                        lines.append("  … and \(comparison.differenceCount - comparison.differences.count) more (--max-differences)")
                    }
                }
            } else {
                var point = RebuildPoint.head
                if let position { point = .position(position) } else if let asOf { point = .asOf(try parse(asOf)) }
                let summary = try tool.rebuild(point, into: out!, force: force, progress: progress)
                bar.finish("rebuilt through position \(summary.position)")
                result = summaryObject(summary, temporary: false)
                lines = summaryLines(summary, temporary: false)
            }
            result["ok"] = identical
            print(json ? CLIClient.json(result) : lines.joined(separator: "\n"))
            if !identical { throw ExitCode(1) }
        } catch let error as RebuildError {
            bar.finish("")
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            throw ExitCode(1)
        }
    }

    private func summaryObject(_ s: RebuildSummary, temporary: Bool) -> [String: Any] {
        var o: [String: Any] = ["position": s.position, "recordedAt": s.recordedAt ?? NSNull(), "events": s.events,
                                "foldSeconds": s.foldSeconds, "writeSeconds": s.writeSeconds, "eventsPerSecond": s.eventsPerSecond,
                                "out": temporary ? NSNull() : s.out]
        if let asOf { o["asOf"] = (try? TimeInput.parse(asOf, option: "--as-of")) ?? asOf }
        return o
    }

    private func summaryLines(_ s: RebuildSummary, temporary: Bool) -> [String] {
        var lines: [String] = []
        if let asOf {
            let instant = (try? TimeInput.parse(asOf, option: "--as-of")) ?? asOf
            lines.append(s.position == 0 ? "as of \(instant): the log had recorded nothing yet (the views are empty)"
                         : "as of \(instant): the log had recorded through position \(s.position)" + (s.recordedAt.map { " (recorded \($0))" } ?? ""))
        }
        let seconds = s.foldSeconds + s.writeSeconds
        lines.append("rebuilt every projection through position \(s.position): \(s.events) events in \(String(format: "%.2f", seconds)) s"
                     + " (\(Int(s.eventsPerSecond)) events/s)" + (temporary ? "" : " into \(s.out)"))
        return lines
    }
}
