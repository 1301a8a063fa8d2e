/// One way a rebuilt read model differs from the live one.
public struct ReadModelDifference: Codable, Hashable, Sendable {
    /// The table.
    public var table: String
    /// The row's key: its primary-key columns and their values (as text; `null` for NULL).
    public var key: [String: String]
    /// The column that differs; nil when the whole row is in one file only.
    public var column: String?
    /// The live file's value (`null` for NULL); nil when the live file has no such row.
    public var live: String?
    /// The rebuilt file's value; nil when the rebuilt file has no such row.
    public var rebuilt: String?

    public init(table: String, key: [String: String], column: String?, live: String?, rebuilt: String?) {
        self.table = table
        self.key = key
        self.column = column
        self.live = live
        self.rebuilt = rebuilt
    }

    private enum CodingKeys: String, CodingKey { case table, key, column, live, rebuilt }

    /// Every member, `null` where absent (a row in one file only has no column, and no value on the other side).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(table, forKey: .table)
        try c.encode(key, forKey: .key)
        try c.encode(column, forKey: .column)
        try c.encode(live, forKey: .live)
        try c.encode(rebuilt, forKey: .rebuilt)
    }

    /// One line for a person: `petitions P000004: status live "referred", rebuilt "resolved"`.
    public var line: String {
        let keyText = key.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        guard let column else {
            return live == nil ? "\(table) [\(keyText)]: only in the rebuilt file" : "\(table) [\(keyText)]: only in the live file"
        }
        return "\(table) [\(keyText)] \(column): live \(live ?? "—"), rebuilt \(rebuilt ?? "—")"
    }
}
