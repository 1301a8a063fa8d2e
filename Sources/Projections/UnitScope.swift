import GRDB

/// The units whose petitions a caller may see, by the names the read model records: their unit and those below it.
/// Nil (no scope) for the system's own workers and for a read model file opened directly.
enum UnitScope {
    /// ` AND <column> IN (…)` for `units` (nothing matches an empty scope), or nothing without a scope.
    static func clause(_ column: String, _ units: [String]?, into arguments: inout StatementArguments) -> String {
        guard let units else { return "" }
        guard !units.isEmpty else { return " AND 0" }
        arguments += StatementArguments(units)
        return " AND \(column) IN (\(Array(repeating: "?", count: units.count).joined(separator: ",")))"
    }
}
