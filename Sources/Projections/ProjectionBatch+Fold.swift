import EventSourcing
import EventStoreSQLite
import PetitionDomain

extension ProjectionBatch {
    /// Folds one event into every projection: petitions, sessions, the chain of hands, holders, alerts.
    ///
    /// Each petition's row evolves event by event, like a decider's state; a
    /// row an earlier batch wrote is loaded once. Nothing here reads the clock
    /// or the file beyond that, so the same events give the same rows however
    /// they are cut into batches.
    func fold(_ e: ProjectionEvent) throws {
        position = e.position
        let atMillis = e.occurredAt
        let at = RawStatement.Value.int(atMillis)
        let position = RawStatement.Value.int(e.position)
        /// The chain of hands: a span opens when someone receives the petition and closes when it leaves them.
        func open(_ r: PetitionRow) { custody.open(r, at: atMillis, position: e.position) }
        func close(_ r: PetitionRow, _ end: CustodyEnd, sameDepartment: Bool = false) {
            custody.close(r, end, at: atMillis, position: e.position, sameDepartment: sameDepartment)
        }
        /// Moves the petition to `status`, and its session's count with it.
        func set(_ r: PetitionRow, _ status: PetitionStatus) throws {
            let old = r.status
            r.set(status: status)
            guard old != status, let session = r[.sessionId].textValue else { return }
            try self.session(session)?.move(from: old, to: status)
        }
        /// Changes the petition the event is about, if it is known; `advance` moves it to the status the domain's
        /// rule gives (``Petition/status(after:from:)``), after what the event closes and before what it opens.
        func update(_ event: PetitionEvent, _ change: (PetitionRow, _ advance: () throws -> Void) throws -> Void) throws {
            guard let row = try petition(event.petitionId) else { return }
            let next = Petition.status(after: event, from: row.status ?? .none)
            try change(row) { try set(row, next) }
            row[.lastPosition] = position
        }
        switch e.event {
        case .session(.opened(let o))?:
            add(SessionRow(sessionId: o.sessionId, unit: o.unit, title: o.title, chair: o.chair, heldAt: atMillis, hamlet: o.hamlet,
                           attendees: o.attendees.map(Int64.init)))
        case .petition(.submitted(let s))?:
            let session = try self.session(s.sessionId)
            let r = PetitionRow()
            r[.petitionId] = .text(s.petitionId); r[.sessionId] = .text(s.sessionId); r[.unit] = .text(s.unit)
            r[.kind] = .text(s.kind.rawValue); r[.category] = .text(s.category.rawValue); r[.content] = .text(s.content)
            r.set(status: .submitted); r[.personId] = .text(s.citizen.personId); r[.submittedAt] = at
            r[.trackingCode] = s.trackingCode.map { .text($0) } ?? .null
            r[.chair] = session.map { .text($0.chair) } ?? .null
            r[.heldSince] = at; r[.extensions] = .int(0); r[.custodySeq] = .int(0); r[.lastPosition] = position
            open(r)
            add(r)
            if let session {
                session.petitions += 1
                session.move(from: nil, to: .submitted)
                tallies[TallyKey(sessionId: s.sessionId, dimension: "kind", value: s.kind.rawValue), default: 0] += 1
                tallies[TallyKey(sessionId: s.sessionId, dimension: "category", value: s.category.rawValue), default: 0] += 1
            }
        case .petition(.answered(let a))?:
            try update(.answered(a)) { r, advance in
                close(r, .answered)
                try advance(); r[.answeredAt] = at; r[.answeredBy] = .text(a.by); r[.answer] = .text(a.answer)
            }
        case .petition(.referred(let f))?:
            try update(.referred(f)) { r, advance in
                close(r, .referred)
                try advance(); r[.department] = .text(f.department); r[.assignee] = .text(f.assignee)
                r[.departmentRef] = f.departmentRef.map { .text($0) } ?? .null
                r[.referredBy] = .text(f.by); r[.referredAt] = at; r[.deadline] = .text(f.deadline.description)
                r[.heldSince] = at; r[.acceptedAt] = .null; r[.extensions] = .int(0); r[.escalation] = .null
                r[.resolvedAt] = .null; r[.resolvedBy] = .null; r[.resolution] = .null
                r[.departmentSince] = at
                open(r)
            }
        case .petition(.resolved(let x))?:
            try update(.resolved(x)) { r, advance in
                close(r, .resolved)
                try advance(); r[.resolvedAt] = at; r[.resolvedBy] = .text(x.by); r[.resolution] = .text(x.resolution)
                r[.heldSince] = .null
            }
        case .petition(.feedback(let f))?:
            try update(.feedback(f)) { r, advance in
                r[.feedback] = .text(f.satisfied ? "satisfied" : "unsatisfied")
                if Petition.status(after: .feedback(f), from: r.status ?? .none) != r.status {
                    let wasHeld = r.isHeld
                    try advance(); r[.heldSince] = at
                    if !wasHeld { open(r) }
                }
            }
        case .petition(.accepted(let a))?:
            try update(.accepted(a)) { r, _ in
                r[.acceptedAt] = at
                custody.refresh(r)
            }
        case .petition(.extended(let x))?:
            try update(.extended(x)) { r, _ in
                r[.deadline] = .text(x.deadline.description); r[.extensions] = .int(Int64(x.extensionNumber)); r[.escalation] = .null
                custody.refresh(r)
            }
        case .petition(.reassigned(let x))?:
            try update(.reassigned(x)) { r, _ in
                let sameDepartment = x.departmentRef.map { $0 == r[.departmentRef].textValue } ?? (r[.department].textValue == x.department)
                close(r, .reassigned, sameDepartment: sameDepartment)
                r[.department] = .text(x.department); r[.assignee] = .text(x.assignee); r[.heldSince] = at; r[.acceptedAt] = .null
                r[.departmentRef] = x.departmentRef.map { .text($0) } ?? .null
                if !sameDepartment { r[.departmentSince] = at }
                open(r)
            }
        case .petition(.reopened(let x))?:
            try update(.reopened(x)) { r, advance in
                let wasHeld = r.isHeld
                try advance(); r[.heldSince] = at; r[.feedback] = .null
                if !wasHeld { open(r) }
            }
        case .petition(.withdrawn(let x))?:
            try update(.withdrawn(x)) { r, advance in
                close(r, .withdrawn)
                try advance(); r[.heldSince] = .null
            }
        case .petition(.merged(let x))?:
            try update(.merged(x)) { r, advance in
                close(r, .merged)
                try advance(); r[.mergedInto] = .text(x.into); r[.heldSince] = .null
            }
        case .petition(.escalated(let x))?:
            try update(.escalated(x)) { r, _ in
                let current = r[.escalation].textValue.flatMap(EscalationLevel.init(rawValue:))
                if current.map({ $0 < x.level }) ?? true { r[.escalation] = .text(x.level.rawValue) }
            }
            // The first escalation of an alert id raises it; one sent again changes nothing.
            let slot = try alert(x.alertId)
            if slot.row == nil {
                slot.row = AlertRow(x, raisedAt: e.recordedAt, position: e.position, departmentRef: try petition(x.petitionId)?[.departmentRef] ?? .null)
            }
        case .alert(let a)?:
            try record(a, at: atMillis, position: e.position)
        case .registry(.departmentRenamed(let d))?:
            // Shown under the registry's name now: what the department held and holds takes the new name.
            rename(department: d.ref, to: d.name)
        case .person?, .registry?, .access?, nil:
            break // The read models hold no personal data: nothing to erase when a person is forgotten.
        case .petition(let other)?:
            // Any other petition event (a note; a duplicate merged into it, whose citizen the row does not show): the
            // status the domain gives, and the petition's last position.
            try update(other) { _, advance in try advance() }
        }
    }

    /// A sink delivered an alert, or an attempt failed: that sink's record, kept across attempts.
    private func record(_ event: AlertEvent, at: Int64, position: Int64) throws {
        let alertId: String, sink: String, petitionId: String
        switch event {
        case .delivered(let d): (alertId, sink, petitionId) = (d.alertId, d.sink, d.petitionId)
        case .deliveryFailed(let f): (alertId, sink, petitionId) = (f.alertId, f.sink, f.petitionId)
        }
        let slot = try alert(alertId)
        let index = slot.deliveries.firstIndex { $0.sink == sink }
        var row = index.map { slot.deliveries[$0] }
            ?? AlertDeliveryRow(alertId: alertId, sink: sink, petitionId: petitionId, attempts: .min, position: position)
        // Attempts only grow (a late record of an earlier attempt does not lower them).
        switch event {
        case .delivered(let d):
            row.attempts = max(row.attempts, Int64(d.attempts)); row.deliveredAt = at; row.detail = d.detail; row.permanent = false
        case .deliveryFailed(let f):
            row.attempts = max(row.attempts, Int64(f.attempt)); row.lastError = f.reason; row.lastFailedAt = at
            row.permanent = row.permanent || f.permanent
        }
        row.position = position
        if let index { slot.deliveries[index] = row } else { slot.deliveries.append(row) }
    }
}
