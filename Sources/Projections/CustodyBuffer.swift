import EventSourcing
import EventStoreSQLite
import Foundation
import PetitionDomain

/// The custody spans a batch opens or changes, kept in memory and written once when the batch ends
/// (by ``write(with:)`` for the projector, by ``ReadModelBulkWriter`` for a rebuild, whose one batch is the whole log).
///
/// A petition holds at most one open span, its `custody_seq`-th, exactly
/// while it is outstanding: the session's chair holds it while it waits for
/// an answer or a referral, the assignee of a department once referred. What
/// can change in a span (its deadline, acceptance and end) follows from the
/// petition's row, so a span opened in an earlier batch is never read back:
/// it is updated in place.
///
/// The spans are kept in the order they were first touched, and a row knows
/// where its last span is (``PetitionRow/spanSlot``), so folding an event
/// never looks a span up by its key.
struct CustodyBuffer {
    private struct Key {
        var petitionId: String
        var seq: Int64
    }

    private struct Span {
        let key: Key
        /// Opened in this batch: inserted whole. Otherwise only the changing columns are updated.
        let isNew: Bool
        var values: [RawStatement.Value]

        init(_ key: Key, isNew: Bool) {
            self.key = key
            self.isNew = isNew
            values = [RawStatement.Value](repeating: .null, count: Column.allCases.count)
            self[.petitionId] = .text(key.petitionId)
            self[.seq] = .int(key.seq)
        }

        subscript(_ column: Column) -> RawStatement.Value {
            get { values[column.rawValue] }
            set { values[column.rawValue] = newValue }
        }
    }

    /// The columns of `custody`, in row order.
    enum Column: Int, ReadModelColumns {
        case petitionId, seq, holderKind, unit, department, holder, fromAt, fromPosition, departmentSince
        case deadline, acceptedAt, toAt, toPosition, ended, onTime, sameDepartment
        /// The department's registry reference (`unit/code`), which a rename follows; null for the chair and before the registry.
        case departmentRef

        var declaration: String {
            switch self {
            case .petitionId, .holderKind, .unit: "TEXT NOT NULL"
            case .seq, .fromAt, .fromPosition: "INTEGER NOT NULL"
            case .department, .holder, .deadline, .ended, .departmentRef: "TEXT"
            case .departmentSince, .acceptedAt, .toAt, .toPosition, .onTime, .sameDepartment: "INTEGER"
            }
        }
    }

    /// The chain of hands: one span per holder, the open one has no `to_at`.
    static let table = ReadModelTable("custody", Column.self, constraints: ["PRIMARY KEY (petition_id, seq)"], indexes: [
        // Only what departments hold now: a span opened and closed within one batch never enters it.
        """
        CREATE INDEX custody_open ON custody(unit, department, holder, deadline, from_at, department_since)
            WHERE to_at IS NULL AND holder_kind = 'department'
        """,
    ])
    static let columns = table.columnNames

    /// Every span touched, in the order first touched.
    private var spans: [Span] = []
    /// The holders' counts and durations that the spans closed in this batch add.
    private(set) var ledger = HolderLedger()

    /// Opens the next span for the holder `row` now has (its chair, or its department and assignee), at `at`.
    mutating func open(_ row: PetitionRow, at: Int64, position: Int64) {
        guard let id = row[.petitionId].textValue else { return }
        let seq = row.custodySeq + 1
        row[.custodySeq] = .int(seq)
        let referred = row.status == .referred
        var span = Span(Key(petitionId: id, seq: seq), isNew: true)
        span[.holderKind] = .text(referred ? HolderKind.department.rawValue : HolderKind.chair.rawValue)
        span[.unit] = row[.unit]
        span[.department] = referred ? row[.department] : .null
        span[.departmentRef] = referred ? row[.departmentRef] : .null
        span[.holder] = referred ? row[.assignee] : row[.chair]
        span[.fromAt] = .int(at)
        span[.fromPosition] = .int(position)
        span[.departmentSince] = referred ? row[.departmentSince] : .null
        row.spanSlot = nil
        put(span, row)
        row.holderSlots = nil
        _ = holderSlots(row)
    }

    /// Ends the open span of `row` (as it is before the event changes it), if it has one.
    /// A resolution is on time by the domain's rule (``Petition/resolvedOnTime(on:deadline:)``).
    mutating func close(_ row: PetitionRow, _ end: CustodyEnd, at: Int64, position: Int64, sameDepartment: Bool = false) {
        guard row.isHeld, var span = current(row) else { return }
        span[.toAt] = .int(at)
        span[.toPosition] = .int(position)
        span[.ended] = .text(end.rawValue)
        let onTime = end == .resolved
            ? Petition.resolvedOnTime(on: LocalDate(containing: Timestamp.date(millis: at)), deadline: row[.deadline].textValue.flatMap(LocalDate.init)) : nil
        span[.onTime] = onTime.map { .int($0 ? 1 : 0) } ?? .null
        if end == .reassigned { span[.sameDepartment] = .int(sameDepartment ? 1 : 0) }
        put(span, row)
        guard let (official, department) = holderSlots(row) else { return }
        switch end {
        case .resolved:
            // The official received it at the referral or reassignment (held_since), the department when it first came in.
            let millis = at
            if case .int(let since) = row[.heldSince] { ledger.resolved(official, onTime: onTime == true, millis: millis - since, position: position) }
            if case .int(let since) = row[.departmentSince] {
                ledger.resolved(department, onTime: onTime == true, millis: millis - since, position: position)
            }
        case .reassigned:
            ledger.handedOver(official)
            if !sameDepartment { ledger.handedOver(department) }
        default:
            break
        }
    }

    /// The ledger's slots of the official and the department holding `row`, when a department holds it (registered
    /// the first time). Kept on the row from when its span opened: only a referral or a reassignment changes the
    /// holder, and each opens a span.
    private mutating func holderSlots(_ row: PetitionRow) -> (official: Int, department: Int)? {
        guard row.status == .referred, let unit = row[.unit].textValue, let department = row[.department].textValue,
              let assignee = row[.assignee].textValue else { return nil }
        if let slots = row.holderSlots { return slots }
        let ref = row[.departmentRef].textValue ?? ""
        let departmentSlot = ledger.register(HolderLedger.Holder(unit: unit, department: department, departmentRef: ref, assignee: ""))
        let slots = (official: ledger.register(HolderLedger.Holder(unit: unit, department: department, departmentRef: ref, assignee: assignee)),
                     department: departmentSlot)
        row.holderSlots = slots
        return slots
    }

    /// The open span takes the row's deadline and acceptance, after an extension or an acceptance.
    mutating func refresh(_ row: PetitionRow) {
        guard row.isHeld, let span = current(row) else { return }
        put(span, row)
    }

    /// Department `ref` is now named `name`: in the spans this batch holds and the holders' records (the file's own
    /// rows are renamed when the batch is written).
    mutating func rename(department ref: String, to name: String) {
        for i in spans.indices where spans[i].values.count > Column.departmentRef.rawValue && spans[i][.departmentRef].textValue == ref {
            spans[i][.department] = .text(name)
        }
        ledger.rename(department: ref, to: name)
    }

    /// Writes every span touched, once, and what they add to the holders' records.
    func write(with w: ReadModelStatements) throws {
        try ledger.write(with: w)
        for span in spans {
            if span.isNew {
                try w.insertSpan.run(span.values)
            } else {
                try w.updateSpan.run([span[.deadline], span[.acceptedAt], span[.toAt], span[.toPosition], span[.ended], span[.onTime],
                                      span[.sameDepartment], span[.petitionId], span[.seq]])
            }
        }
    }

    /// Every span of the batch, by petition id then number (a rebuild's are all new): the rows of `custody` in key order.
    func sortedSpans() -> [[RawStatement.Value]] {
        UTF8Order.sorted(spans, by: \.key.petitionId, then: \.key.seq).map(\.values)
    }

    /// Makes room for `count` spans (a rebuild knows about how many it folds).
    mutating func reserveCapacity(_ count: Int) { spans.reserveCapacity(count) }

    /// The row's last span as this batch has it: an earlier batch's is known only by its key.
    /// Every caller puts the span back (``put(_:_:)``): one touched in this batch is moved out of its place meanwhile,
    /// so changing it copies nothing.
    private mutating func current(_ row: PetitionRow) -> Span? {
        guard row.custodySeq > 0, let id = row[.petitionId].textValue else { return nil }
        guard let slot = row.spanSlot else { return Span(Key(petitionId: id, seq: row.custodySeq), isNew: false) }
        let span = spans[slot]
        spans[slot].values = []
        return span
    }

    /// Stores `span` with the deadline and acceptance it has while `row` is what it is (a department's only): in its
    /// place if the row's last span was already touched in this batch, else at the end.
    private mutating func put(_ span: Span, _ row: PetitionRow) {
        var span = span
        let referred = row.status == .referred
        span[.deadline] = referred ? row[.deadline] : .null
        span[.acceptedAt] = referred ? row[.acceptedAt] : .null
        if let slot = row.spanSlot {
            spans[slot] = span
        } else {
            row.spanSlot = spans.count
            spans.append(span)
        }
    }
}
