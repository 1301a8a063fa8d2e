import EventSourcing
import Foundation
import PetitionDomain

extension PeriodReport {
    /// The report of `unit` for `period` from the log at `logPath`, as `petitionctl report` and the HTTP API give it.
    ///
    /// `unit` is a registered unit's code or name (diacritics and case ignored), reported under its name now, or
    /// else the name sessions recorded. The units below it come from units.json where it names them
    /// (`configuredParents`: name → parent), else from the registry as the log holds it (a merged commune's
    /// predecessors sit under it, a renamed unit's earlier name under its name now), else `defaultParent`.
    public static func make(unit: String, period: ReportPeriod, logPath: String, configuredParents: [String: String?],
                            defaultParent: String?) throws -> PeriodReport {
        let log = try AuditFiles.openLog(logPath)
        let registry = (try? RegistryState.read(from: try log.connect()))?.0 ?? RegistryState()
        var codeByName: [String: String] = [:]
        for code in registry.units.keys { for name in registry.names(of: code) { codeByName[name] = code } }
        let registered = Set(registry.units.values.map(\.name))
        let name = (try? registry.unit(named: unit))?.name ?? unit
        return try make(unit: name, period: period, logPath: logPath, configuredUnits: Set(configuredParents.keys).union(registered)) { name in
            // units.json for the units it names; the registry for the others it holds; units.json's defaults last.
            if let configured = configuredParents[name] { return configured }
            guard let code = codeByName[name], let current = registry.units[code] else { return defaultParent }
            if current.name != name { return current.name }
            return current.parent.flatMap { registry.units[$0]?.name }
        }
    }
}
