/// A read-model table defined once: its columns in row order (name and SQL declaration), its constraints and
/// indexes. The DDL, the row types' column order and the statements that load and save rows all come from it,
/// so a new column is one line here (and a rebuild migration in ``ReadModelSchema``).
struct ReadModelTable: Sendable {
    struct Column: Sendable {
        let name: String
        let declaration: String
    }

    let name: String
    let columns: [Column]
    /// Table constraints after the columns (a composite primary key, a UNIQUE).
    var constraints: [String] = []
    var withoutRowID = true
    /// `CREATE INDEX` statements for this table.
    var indexes: [String] = []

    /// The column names, in row order.
    var columnNames: [String] { columns.map(\.name) }

    /// `CREATE TABLE …` for this definition.
    var createSQL: String {
        let body = (columns.map { "\($0.name) \($0.declaration)" } + constraints).joined(separator: ", ")
        return "CREATE TABLE \(name) (\(body))\(withoutRowID ? " WITHOUT ROWID" : "")"
    }

    /// `SELECT <every column> FROM <table> WHERE <condition>`.
    func select(where condition: String) -> String {
        "SELECT \(columnNames.joined(separator: ", ")) FROM \(name) WHERE \(condition)"
    }

    /// `INSERT OR REPLACE` of a whole row, columns in row order.
    var replaceSQL: String {
        "INSERT OR REPLACE INTO \(name) (\(columnNames.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"
    }

    /// A table whose columns are the cases of `columns`, named by snake-casing each case (`custodySeq` → `custody_seq`).
    init<C: ReadModelColumns>(_ name: String, _ columns: C.Type, constraints: [String] = [], withoutRowID: Bool = true, indexes: [String] = []) {
        self.init(name: name, columns: C.allCases.map { Column(name: $0.name, declaration: $0.declaration) },
                  constraints: constraints, withoutRowID: withoutRowID, indexes: indexes)
    }

    init(name: String, columns: [Column], constraints: [String] = [], withoutRowID: Bool = true, indexes: [String] = []) {
        self.name = name
        self.columns = columns
        self.constraints = constraints
        self.withoutRowID = withoutRowID
        self.indexes = indexes
    }
}

/// The columns of a row kept as an array of values: each case is a column, its raw value the column's place.
protocol ReadModelColumns: CaseIterable, RawRepresentable where RawValue == Int, AllCases == [Self] {
    /// The column's SQL type and constraints, e.g. `TEXT NOT NULL`.
    var declaration: String { get }
}

extension ReadModelColumns {
    /// The column's name in SQL: the case's name in snake case.
    var name: String {
        var out = ""
        for character in String(describing: self) {
            if character.isUppercase { out += "_" + character.lowercased() } else { out.append(character) }
        }
        return out
    }
}
