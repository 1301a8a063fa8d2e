import EventSourcing
import EventStoreSQLite
import Foundation
import Messaging
import PetitionDomain
import Projections

/// A log of real domain events, each at the time given, read back as the projector receives them.
final class TestLog {
    static let unit = "Xã Bình Thành"
    static let chair = "Trần Văn A"

    private let store: any EventStore

    /// A log in memory, or in an SQLite log file at `path` (as the gateway writes it).
    init(path: String? = nil) throws {
        store = try path.map { try SQLiteEventStore(path: $0) } ?? InMemoryEventStore()
    }

    private var count = 0
    /// Each referred petition's current department and assignee, so a reassignment can say whom it comes from.
    private var holders: [String: (department: String, assignee: String)] = [:]
    private var deadlines: [String: LocalDate] = [:]

    /// Appends one event that happened at `at` (RFC 3339), recorded at `recordedAt` (default: the same).
    func append(_ event: DomainEvent, at: String, recordedAt: String? = nil) throws {
        let stream: StreamName
        switch event {
        case .session(.opened(let o)): stream = StreamName(category: "session", id: o.sessionId)
        case .alert(.delivered(let d)): stream = StreamName(category: "alert", id: d.alertId)
        case .alert(.deliveryFailed(let f)): stream = StreamName(category: "alert", id: f.alertId)
        case .petition(let p): stream = StreamName(category: "petition", id: Self.petitionId(of: p))
        case .person(.forgotten(let f)): stream = StreamName(category: "person", id: f.personId)
        case .registry: stream = StreamName(category: Registry.category, id: Registry.streamId)
        case .access(.accessed(let a)): stream = StreamName(category: AccessLog.category, id: a.officialId)
        }
        let (type, data) = EventCodec.encode(event)
        count += 1
        let e = NewEvent(id: "e\(count)", type: type, occurredAt: Self.time(at), data: data,
                         metadata: EventMetadata(actor: "tester", commandId: "c\(count)"))
        _ = try store.append(AppendBatch(appends: [StreamAppend(stream: stream, expectedVersion: .any, events: [e])]),
                             recordedAt: Self.time(recordedAt ?? at))
    }

    /// Every event so far, as wire events.
    func events() throws -> [WireEvent] { try store.read(from: 1, limit: 100_000).map(WireEvent.init) }

    static func time(_ text: String) -> Date { Timestamp.parse(text)! }

    private static func petitionId(of event: PetitionEvent) -> String { event.petitionId }

    // MARK: The steps of a petition's life

    func session(_ id: String = "S1", unit: String = TestLog.unit, at: String = "2026-03-19T08:00:00+07:00") throws {
        try append(.session(.opened(SessionOpened(sessionId: id, unit: unit, title: "Đối thoại", chair: Self.chair))), at: at)
    }

    func submit(_ id: String, session: String = "S1", unit: String = TestLog.unit, at: String = "2026-03-19T09:00:00+07:00") throws {
        try append(.petition(.submitted(PetitionSubmitted(petitionId: id, sessionId: session, unit: unit, kind: .recommendation, category: .land,
                                                          content: "Nội dung \(id)", citizen: SealedPersonalData(personId: "person-\(id)", sealed: "AAAA")))),
                   at: at)
    }

    func answer(_ id: String, at: String) throws {
        try append(.petition(.answered(PetitionAnswered(petitionId: id, by: Self.chair, answer: "Đã trả lời"))), at: at)
    }

    func refer(_ id: String, to department: String, _ assignee: String, deadline: String, at: String) throws {
        holders[id] = (department, assignee)
        deadlines[id] = LocalDate(deadline)!
        try append(.petition(.referred(PetitionReferred(petitionId: id, department: department, assignee: assignee, by: Self.chair,
                                                        deadline: LocalDate(deadline)!))), at: at)
    }

    func reassign(_ id: String, to department: String, _ assignee: String, at: String) throws {
        let from = holders[id]!
        holders[id] = (department, assignee)
        try append(.petition(.reassigned(PetitionReassigned(petitionId: id, fromDepartment: from.department, fromAssignee: from.assignee,
                                                            department: department, assignee: assignee, by: Self.chair, reason: "Đúng thẩm quyền"))),
                   at: at)
    }

    func extend(_ id: String, to deadline: String, at: String) throws {
        let previous = deadlines[id]!
        deadlines[id] = LocalDate(deadline)!
        try append(.petition(.extended(PetitionExtended(petitionId: id, by: Self.chair, approver: Self.chair, decision: "Quyết định 12/QĐ-UBND",
                                                        previousDeadline: previous, deadline: LocalDate(deadline)!, extensionNumber: 1))), at: at)
    }

    func resolve(_ id: String, at: String) throws {
        try append(.petition(.resolved(PetitionResolved(petitionId: id, by: holders[id]?.assignee ?? "?", resolution: "Đã giải quyết"))), at: at)
    }

    func reopen(_ id: String, at: String) throws {
        try append(.petition(.reopened(PetitionReopened(petitionId: id, by: Self.chair, reason: "Công dân chưa đồng ý"))), at: at)
    }

    func withdraw(_ id: String, at: String) throws {
        try append(.petition(.withdrawn(PetitionWithdrawn(petitionId: id, by: "clerk", reason: "Công dân rút đơn"))), at: at)
    }

    func merge(_ id: String, into: String, at: String) throws {
        try append(.petition(.merged(PetitionMerged(petitionId: id, into: into, by: Self.chair, reason: "Trùng nội dung"))), at: at)
    }

    /// Raises an escalation at `at`, recorded at `recordedAt`; returns its alert id.
    @discardableResult
    func escalate(_ id: String, _ level: EscalationLevel, due: String, at: String, recordedAt: String? = nil) throws -> String {
        let holder = holders[id]!
        let x = PetitionEscalated(petitionId: id, level: level, deadline: deadlines[id]!, due: LocalDate(due)!, unit: Self.unit,
                                  department: holder.department, assignee: holder.assignee, recipient: level == .warning ? holder.assignee : Self.chair)
        try append(.petition(.escalated(x)), at: at, recordedAt: recordedAt)
        return x.alertId
    }
}
