import EventStoreSQLite
import PetitionDomain

/// One row of `petitions`, folded in memory: a reference, so an event changes it in place.
final class PetitionRow {
    static let columns = ["petition_id", "session_id", "unit", "kind", "category", "content", "status", "person_id", "submitted_at", "chair",
                          "answered_at", "answered_by", "answer", "department", "assignee", "referred_by", "referred_at", "deadline",
                          "resolved_at", "resolved_by", "resolution", "held_since", "accepted_at", "extensions", "merged_into",
                          "escalation", "feedback", "custody_seq", "department_since", "last_position"]
    var values: [RawStatement.Value]

    subscript(_ column: Column) -> RawStatement.Value {
        get { values[column.rawValue] }
        set {
            values[column.rawValue] = newValue
            if column == .status { status = newValue.textValue.flatMap(PetitionStatus.init(rawValue:)) }
        }
    }

    enum Column: Int {
        case petitionId, sessionId, unit, kind, category, content, status, personId, submittedAt, chair
        case answeredAt, answeredBy, answer, department, assignee, referredBy, referredAt, deadline
        case resolvedAt, resolvedBy, resolution, heldSince, acceptedAt, extensions, mergedInto, escalation, feedback
        case custodySeq, departmentSince, lastPosition
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
