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
    @Option(help: "md, csv or json (default md; json with --json).") var format: String?
    @Option(help: "Unit configuration folder (default <data-dir>/config).") var configDir: String?
    @Option(help: "Write to this file instead of standard output (it must not exist).") var out: String?
    @Flag(help: "Replace --out if it exists.") var force = false
    @Flag(help: "The report as JSON (--format json), and a failure as the typed error reply (JSON) on standard output.") var json = false
    @OptionGroup var audit: AuditOptions

    /// The format asked for: --format, or json with --json.
    private var resolvedFormat: PeriodReport.Format? { PeriodReport.Format(rawValue: format ?? (json ? "json" : "md")) }

    func validate() throws {
        guard let resolved = resolvedFormat else { throw ValidationError("--format must be md, csv or json, got \"\(format ?? "")\"") }
        if json && resolved != .json { throw ValidationError("--json prints the report as JSON: give --format json or no --format") }
        do { _ = try ReportPeriod(period) } catch { throw ValidationError("--period: \(error.description)") }
    }

    func run() throws {
        try reportingFailures(json: json || resolvedFormat == .json) {
            try OutFile.refuseExisting(out, force: force)
            let config = ConfigDirectory(path: configDir ?? (audit.dataDir as NSString).appendingPathComponent("config"))
            let units: UnitDirectory
            do { units = try config.units() } catch { throw CLIError("\(error)", exitCode: 2) }
            let logPath = AuditFiles(dataDirectory: audit.dataDir).eventLog
            // Units below come from units.json where it says, else from the registry as the log holds it: a merged
            // commune's predecessors sit under it, a renamed unit's earlier name under its name now.
            let registry = (try? ProcessRunner.registry(inLogAt: logPath))?.0 ?? RegistryState()
            var codeByName: [String: String] = [:]
            for code in registry.units.keys { for name in registry.names(of: code) { codeByName[name] = code } }
            let registered = Set(registry.units.values.map(\.name))
            let report = try PeriodReport.make(unit: unit, period: try ReportPeriod(period), logPath: logPath,
                                                configuredUnits: Set(units.units.keys).union(registered)) { name in
                // units.json for the units it names; the registry for the others it holds; units.json's defaults last.
                if units.units[name] != nil { return units.settings(name).parent }
                guard let code = codeByName[name], let current = registry.units[code] else { return units.settings(name).parent }
                if current.name != name { return current.name }
                return current.parent.flatMap { registry.units[$0]?.name }
            }
            let text = report.text(resolvedFormat!)
            if let out {
                do { try Data(text.utf8).write(to: URL(fileURLWithPath: out), options: .atomic) } catch {
                    throw CLIError("cannot write \(out): \(error.localizedDescription)", exitCode: 2)
                }
            } else {
                print(text, terminator: "")
            }
            if report.units.allSatisfy(\.figures.isEmpty) {
                FileHandle.standardError.write(Data("note: nothing recorded for \(unit) in \(period); check the unit's name (as given when its sessions were opened)\n".utf8))
            }
        }
    }
}
