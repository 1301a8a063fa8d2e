import ArgumentParser
import Audit
import Foundation
import PetitionDomain
import Runtime
import Workers

/// `petitionctl report`: the periodic report of a unit and the units below it, from the log.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "The periodic report heads send: conferences, petitions by field and kind, answered, referred, on time, late, overdue, per department and official, and the units below.")

    @Option(help: "The unit reported on (its own figures, and those of the units below it by `parent` in units.json).") var unit: String
    @Option(help: "2026-06 (month), 2026-Q1 (quarter), 2026-H1 (six months), 2026-9M (nine months) or 2026 (year).") var period: String
    @Option(help: "md, csv (a file for Excel, with --out), json or xlsx (an Excel workbook, with --out); default md; json with --json.") var format: String?
    @Option(help: "Unit configuration folder (default <data-dir>/config).") var configDir: String?
    @Option(help: "Write to this file instead of standard output (it must not exist).") var out: String?
    @Flag(help: "Replace --out if it exists.") var force = false
    @Flag(help: "The report as JSON (--format json), and a failure as the typed error reply (JSON) on standard output.") var json = false
    @OptionGroup var audit: AuditOptions

    /// The format asked for: --format, or json with --json.
    private var resolvedFormat: PeriodReport.Format? { PeriodReport.Format(rawValue: format ?? (json ? "json" : "md")) }

    func validate() throws {
        guard let resolved = resolvedFormat else { throw ValidationError("--format must be md, csv, json or xlsx, got \"\(format ?? "")\"") }
        if resolved == .xlsx && out == nil { throw ValidationError("--format xlsx writes a workbook file: give --out FILE.xlsx") }
        if resolved == .csv && out == nil {
            throw ValidationError("--format csv writes a file for Excel (UTF-16LE, tab-separated, so it opens the same under Vietnamese and English regional settings): give --out FILE.csv")
        }
        if json && resolved != .json { throw ValidationError("--json prints the report as JSON: give --format json or no --format") }
        do { _ = try ReportPeriod(period) } catch { throw ValidationError("--period: \(error.description)") }
    }

    func run() throws {
        try reportingFailures(json: json || resolvedFormat == .json) {
            try OutFile.refuseExisting(out, force: force)
            let config = ConfigDirectory(path: configDir ?? (audit.dataDir as NSString).appendingPathComponent("config"))
            let units: UnitDirectory
            do { units = try config.units() } catch { throw CLIError("\(error)", exitCode: 2) }
            let logPath = audit.files.eventLog
            let report = try PeriodReport.make(unit: unit, period: try ReportPeriod(period), logPath: logPath,
                                               configuredParents: units.units.mapValues(\.parent), defaultParent: units.defaults.parent)
            let bytes = try report.data(resolvedFormat!)
            if let out {
                do { try bytes.write(to: URL(fileURLWithPath: out), options: .atomic) } catch {
                    throw CLIError("cannot write \(out): \(error.localizedDescription)", exitCode: 2)
                }
            } else {
                FileHandle.standardOutput.write(bytes)
            }
            if report.units.allSatisfy(\.figures.isEmpty) {
                FileHandle.standardError.write(Data("note: nothing recorded for \(unit) in \(period); check the unit's name (as given when its sessions were opened)\n".utf8))
            }
        }
    }
}
