import Foundation
import GRDB
@testable import Projections
import Testing

@Suite("read-model tables: each defined once")
struct ReadModelTableTests {
    @Test("every table in a new read model has exactly the columns of its definition, in row order")
    func theFileHasTheDefinedColumns() throws {
        let model = try OutstandingReadModel(path: ":memory:")
        try model.queue.read { db in
            for table in ReadModelSchema.tables {
                let stored = try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?) ORDER BY cid", arguments: [table.name])
                #expect(stored == table.columnNames, "table \(table.name)")
            }
        }
    }

    @Test("column names are the cases' names in snake case")
    func snakeCaseNames() {
        #expect(PetitionRow.Column.custodySeq.name == "custody_seq")
        #expect(PetitionRow.Column.petitionId.name == "petition_id")
        #expect(CustodyBuffer.Column.sameDepartment.name == "same_department")
        #expect(PetitionRow.columns.count == PetitionRow.Column.allCases.count)
    }
}
