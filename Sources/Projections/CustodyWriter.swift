import EventSourcing
import EventStoreSQLite
import Foundation
import PetitionDomain

/// Writes the chain of hands (`custody`) as one event moves a petition between holders.
///
/// A petition holds at most one open span, its `custody_seq`-th, exactly
/// while it is outstanding: the session's chair holds it while it waits for
/// an answer or a referral, the assignee of a department once referred.
struct CustodyWriter {
    let statements: ReadModelStatements
    /// When the event happened.
    let at: Date
    let position: Int64

    private var millis: RawStatement.Value { .int(Timestamp.millis(at)) }

    /// Opens the next span for the holder `row` now has (the chair, or its department and assignee).
    func open(_ row: inout PetitionRow) throws {
        let seq = row.custodySeq + 1
        row[.custodySeq] = .int(seq)
        let referred = row.status == .referred
        try statements.openSpan.run([
            row[.petitionId], .int(seq), .text(referred ? HolderKind.department.rawValue : HolderKind.chair.rawValue), row[.unit],
            referred ? row[.department] : .null, referred ? row[.assignee] : row[.chair], millis, .int(position),
            referred ? row[.departmentSince] : .null, referred ? row[.deadline] : .null,
        ])
    }

    /// Ends the open span of `row`, if it has one; a resolution is on time when made on or before its deadline day.
    func close(_ row: PetitionRow, _ end: CustodyEnd, sameDepartment: Bool = false) throws {
        guard row.isHeld, row.custodySeq > 0 else { return }
        var onTime = RawStatement.Value.null
        if end == .resolved, let deadline = row[.deadline].textValue.flatMap(LocalDate.init) {
            onTime = .int(LocalDate(containing: at) <= deadline ? 1 : 0)
        }
        try statements.closeSpan.run([millis, .int(position), .text(end.rawValue), onTime,
                                      end == .reassigned ? .int(sameDepartment ? 1 : 0) : .null, row[.petitionId], .int(row.custodySeq)])
    }

    /// The open department span takes the row's new deadline.
    func deadlineMoved(_ row: PetitionRow) throws {
        guard row.status == .referred, row.custodySeq > 0 else { return }
        try statements.spanDeadline.run([row[.deadline], row[.petitionId], .int(row.custodySeq)])
    }

    /// The open department span was accepted now.
    func accepted(_ row: PetitionRow) throws {
        guard row.status == .referred, row.custodySeq > 0 else { return }
        try statements.spanAccepted.run([millis, row[.petitionId], .int(row.custodySeq)])
    }
}
