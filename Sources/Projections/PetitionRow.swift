import EventStoreSQLite
import PetitionDomain

/// One row of `petitions`, folded in memory: a reference, so an event changes it in place.
final class PetitionRow {
    /// The `petitions` table: its columns are the cases of ``Column``.
    static let table = ReadModelTable("petitions", Column.self, indexes: [
        "CREATE INDEX petitions_open ON petitions(status, unit, department) WHERE status IN ('submitted', 'referred', 'reopened')",
        "CREATE INDEX petitions_tracking ON petitions(tracking_code) WHERE tracking_code IS NOT NULL",
    ])
    static let columns = table.columnNames
    var values: [RawStatement.Value]

    subscript(_ column: Column) -> RawStatement.Value {
        get { values[column.rawValue] }
        set {
            values[column.rawValue] = newValue
            if column == .status { status = newValue.textValue.flatMap(PetitionStatus.init(rawValue:)) }
        }
    }

    /// The columns of `petitions`, in row order.
    enum Column: Int, ReadModelColumns {
        case petitionId, sessionId, unit, kind, category, content, status, personId, submittedAt, chair
        case answeredAt, answeredBy, answer, department, assignee, referredBy, referredAt, deadline
        case resolvedAt, resolvedBy, resolution, heldSince, acceptedAt, extensions, mergedInto, escalation, feedback
        case custodySeq, departmentSince, trackingCode, lastPosition
        /// The holding department's registry reference (`unit/code`), which a rename follows; null before the registry.
        case departmentRef

        var declaration: String {
            switch self {
            case .petitionId: "TEXT PRIMARY KEY"
            case .sessionId, .unit, .kind, .category, .content, .status, .personId: "TEXT NOT NULL"
            case .submittedAt, .lastPosition: "INTEGER NOT NULL"
            case .extensions, .custodySeq: "INTEGER NOT NULL DEFAULT 0"
            case .answeredAt, .referredAt, .resolvedAt, .heldSince, .acceptedAt, .departmentSince: "INTEGER"
            case .chair, .answeredBy, .answer, .department, .assignee, .referredBy, .deadline, .resolvedBy, .resolution,
                 .mergedInto, .escalation, .feedback, .trackingCode, .departmentRef: "TEXT"
            }
        }
    }

    /// A new petition's row: every column null.
    init() {
        values = [RawStatement.Value](repeating: .null, count: Self.columns.count)
    }

    init(values: [RawStatement.Value]) {
        self.values = values
        status = values[Column.status.rawValue].textValue.flatMap(PetitionStatus.init(rawValue:))
    }

    var id: String { self[.petitionId].textValue ?? "" }

    /// Sets the `status` column.
    func set(status: PetitionStatus) {
        values[Column.status.rawValue] = .text(status.rawValue)
        self.status = status
    }

    /// Where its last custody span is in the batch folding it (``CustodyBuffer``), once the batch has touched that span.
    var spanSlot: Int?

    /// The ledger's slots of the official and department holding it (``CustodyBuffer``), once its span opened in this batch.
    var holderSlots: (official: Int, department: Int)?

    /// The `status` column, parsed once when it is set.
    private(set) var status: PetitionStatus?

    /// Whether someone holds it now (the chair while it waits, a department once referred): its last custody span is open.
    var isHeld: Bool { status?.isOutstanding ?? false }

    /// The number of its last custody span, 0 before the first.
    var custodySeq: Int64 {
        if case .int(let n) = self[.custodySeq] { return n }
        return 0
    }
}
