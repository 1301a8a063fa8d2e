import EventSourcing
import EventStoreSQLite
import Foundation
import Messaging
import PetitionDomain

extension OutstandingReadModel {
    /// What a batch has folded so far: petition rows stay in memory until the batch is written.
    struct Batch {
        var rows: [String: PetitionRow] = [:]
        var touched: [String] = []
        var added: [String: Int64] = [:]
        var custody = CustodyBuffer()
    }

    /// Folds one event: petitions and custody spans in memory, sessions and alerts straight to their tables.
    static func fold(_ e: WireEvent, into batch: inout Batch, with w: ReadModelStatements) throws {
        let at = RawStatement.Value.int(Timestamp.millis(e.occurredAt))
        let position = RawStatement.Value.int(e.position)
        /// The chain of hands: a span opens when someone receives the petition and closes when it leaves them.
        func open(_ r: inout PetitionRow) { batch.custody.open(&r, at: e.occurredAt, position: e.position) }
        func close(_ r: PetitionRow, _ end: CustodyEnd, sameDepartment: Bool = false) {
            batch.custody.close(r, end, at: e.occurredAt, position: e.position, sameDepartment: sameDepartment)
        }
        /// Changes the row of `id` as this batch has it so far, loaded once from the file if needed.
        func update(_ id: String, _ change: (inout PetitionRow) throws -> Void) throws {
            var row: PetitionRow
            if let current = batch.rows[id] {
                row = current
            } else {
                guard let loaded = try w.loadPetition.row([.text(id)], columns: Int32(PetitionRow.columns.count)) else { return }
                row = PetitionRow(values: loaded)
                batch.touched.append(id)
            }
            try change(&row)
            row[.lastPosition] = position
            batch.rows[id] = row
        }
        switch e.event {
        case .session(.opened(let o))?:
            try w.insertSession.run([.text(o.sessionId), .text(o.unit), .text(o.title), .text(o.chair), at])
            w.chairs[o.sessionId] = o.chair
        case .petition(.submitted(let s))?:
            var chair = w.chairs[s.sessionId]
            if chair == nil {
                chair = try w.sessionChair.text([.text(s.sessionId)])
                w.chairs[s.sessionId] = chair
            }
            if batch.rows[s.petitionId] == nil { batch.touched.append(s.petitionId) }
            var row = PetitionRow([
                .petitionId: .text(s.petitionId), .sessionId: .text(s.sessionId), .unit: .text(s.unit), .kind: .text(s.kind.rawValue),
                .category: .text(s.category.rawValue), .content: .text(s.content), .status: .text(PetitionStatus.submitted.rawValue),
                .personId: .text(s.citizen.personId), .submittedAt: at, .chair: chair.map(RawStatement.Value.text) ?? .null,
                .heldSince: at, .extensions: .int(0), .custodySeq: .int(0), .lastPosition: position,
            ])
            open(&row)
            batch.rows[s.petitionId] = row
            batch.added[s.sessionId, default: 0] += 1
        case .petition(.answered(let a))?:
            try update(a.petitionId) { r in
                close(r, .answered)
                r[.status] = .text(PetitionStatus.answered.rawValue); r[.answeredAt] = at; r[.answeredBy] = .text(a.by); r[.answer] = .text(a.answer)
            }
        case .petition(.referred(let f))?:
            try update(f.petitionId) { r in
                close(r, .referred)
                r[.status] = .text(PetitionStatus.referred.rawValue); r[.department] = .text(f.department); r[.assignee] = .text(f.assignee)
                r[.referredBy] = .text(f.by); r[.referredAt] = at; r[.deadline] = .text(f.deadline.description)
                r[.heldSince] = at; r[.acceptedAt] = .null; r[.extensions] = .int(0); r[.escalation] = .null
                r[.resolvedAt] = .null; r[.resolvedBy] = .null; r[.resolution] = .null
                r[.departmentSince] = at
                open(&r)
            }
        case .petition(.resolved(let x))?:
            try update(x.petitionId) { r in
                close(r, .resolved)
                r[.status] = .text(PetitionStatus.resolved.rawValue); r[.resolvedAt] = at; r[.resolvedBy] = .text(x.by); r[.resolution] = .text(x.resolution)
                r[.heldSince] = .null
            }
        case .petition(.feedback(let f))?:
            try update(f.petitionId) { r in
                r[.feedback] = .text(f.satisfied ? "satisfied" : "unsatisfied")
                if f.on == .answer && !f.satisfied {
                    let wasHeld = r.isHeld
                    r[.status] = .text(PetitionStatus.reopened.rawValue); r[.heldSince] = at
                    if !wasHeld { open(&r) }
                }
            }
        case .petition(.accepted(let a))?:
            try update(a.petitionId) { r in
                r[.acceptedAt] = at
                batch.custody.refresh(r)
            }
        case .petition(.extended(let x))?:
            try update(x.petitionId) { r in
                r[.deadline] = .text(x.deadline.description); r[.extensions] = .int(Int64(x.extensionNumber)); r[.escalation] = .null
                batch.custody.refresh(r)
            }
        case .petition(.reassigned(let x))?:
            try update(x.petitionId) { r in
                let sameDepartment = r[.department].textValue == x.department
                close(r, .reassigned, sameDepartment: sameDepartment)
                r[.department] = .text(x.department); r[.assignee] = .text(x.assignee); r[.heldSince] = at; r[.acceptedAt] = .null
                if !sameDepartment { r[.departmentSince] = at }
                open(&r)
            }
        case .petition(.reopened(let x))?:
            try update(x.petitionId) { r in
                let wasHeld = r.isHeld
                r[.status] = .text(PetitionStatus.reopened.rawValue); r[.heldSince] = at; r[.feedback] = .null
                if !wasHeld { open(&r) }
            }
        case .petition(.withdrawn(let x))?:
            try update(x.petitionId) { r in
                close(r, .withdrawn)
                r[.status] = .text(PetitionStatus.withdrawn.rawValue); r[.heldSince] = .null
            }
        case .petition(.merged(let x))?:
            try update(x.petitionId) { r in
                close(r, .merged)
                r[.status] = .text(PetitionStatus.merged.rawValue); r[.mergedInto] = .text(x.into); r[.heldSince] = .null
            }
        case .petition(.escalated(let x))?:
            try update(x.petitionId) { r in
                let current = r[.escalation].textValue.flatMap(EscalationLevel.init(rawValue:))
                if current.map({ $0 < x.level }) ?? true { r[.escalation] = .text(x.level.rawValue) }
            }
            try w.raised(x, at: e.recordedAt, position: e.position)
        case .alert(let a)?:
            try w.record(a, at: e.occurredAt, position: e.position)
        case .petition(.duplicateMerged)?, .person?, nil:
            break // The read models hold no personal data: nothing to erase when a person is forgotten.
        }
    }
}
