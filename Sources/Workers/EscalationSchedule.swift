import EventSourcing
import Foundation
import PetitionDomain

/// A rung of the escalation ladder that fell due: what the escalator asks the gateway to record.
public struct EscalationDue: Hashable, Sendable {
    public var petitionId: String
    public var level: EscalationLevel
    public var deadline: LocalDate
    /// The local day it fell due.
    public var due: LocalDate
    /// When it fell due, in milliseconds since 1970.
    public var dueAt: Int64
    public var recipient: String

    /// The idempotency key: one command per petition, level and deadline, whoever sends it and however often.
    public var commandId: String { "esc:\(petitionId):\(level.rawValue):\(deadline)" }
}

/// The escalator's schedule: every referred petition's next rung, in a min-heap by due time.
///
/// Only the next rung of each open petition is in the heap, so it holds at most
/// one entry per open petition (plus stale ones, dropped when they surface), and
/// a tick costs O(k log n) for the k rungs due: nothing grows with the number
/// of open petitions. Pure: time comes in as an argument.
public final class EscalationSchedule {
    private struct Entry: Comparable {
        var at: Int64
        var petition: String
        var level: UInt8
        var deadline: Int64

        static func < (a: Entry, b: Entry) -> Bool { a.at != b.at ? a.at < b.at : a.petition < b.petition }
    }

    private struct Tracked {
        var unit: String
        var department: String
        /// The registered department's reference, whose name now the alert gives (``renamed``).
        var departmentRef: String?
        var assignee: String
        var deadline: Int64
        /// Bit per level raised for this deadline.
        var raised: UInt8
    }

    private let directory: UnitDirectory
    private var heap = MinHeap<Entry>()
    /// Referred petitions still held, by id.
    private var held: [String: Tracked] = [:]
    /// Each petition's unit, from its submission (interned).
    private var unitOf: [String: String] = [:]
    private var interned: [String: String] = [:]
    /// Each renamed department's name now, by reference.
    private var renamed: [String: String] = [:]

    public init(directory: UnitDirectory) {
        self.directory = directory
    }

    /// Open referred petitions followed.
    public var heldCount: Int { held.count }
    /// Entries in the heap, stale ones included.
    public var queued: Int { heap.count }
    /// When the next rung falls due, if any.
    public var nextDueAt: Int64? { heap.min?.at }

    private func intern(_ s: String) -> String {
        if let i = interned[s] { return i }
        interned[s] = s
        return s
    }

    /// Folds one event of the log into the schedule.
    public func apply(_ event: DomainEvent) {
        if case .registry(.departmentRenamed(let d)) = event { renamed[d.ref] = d.name }
        guard case .petition(let e) = event else { return }
        switch e {
        case .submitted(let s):
            unitOf[s.petitionId] = intern(s.unit)
        case .referred(let r):
            let unit = unitOf[r.petitionId] ?? ""
            held[r.petitionId] = Tracked(unit: unit, department: intern(r.department), departmentRef: r.departmentRef.map(intern), assignee: r.assignee,
                                         deadline: r.deadline.dayNumber, raised: 0)
            scheduleNext(r.petitionId)
        case .extended(let x):
            guard var t = held[x.petitionId] else { return }
            t.deadline = x.deadline.dayNumber
            t.raised = 0
            held[x.petitionId] = t
            scheduleNext(x.petitionId)
        case .reassigned(let x):
            held[x.petitionId]?.department = intern(x.department)
            held[x.petitionId]?.departmentRef = x.departmentRef.map(intern)
            held[x.petitionId]?.assignee = x.assignee
        case .escalated(let x):
            guard var t = held[x.petitionId], t.deadline == x.deadline.dayNumber else { return }
            let before = t.raised
            t.raised |= Self.bit(x.level)
            held[x.petitionId] = t
            // Raised by someone else (or before a restart): move on to the rung after it.
            if before != t.raised { scheduleNext(x.petitionId) }
        default:
            // Held while referred: an event after which the domain says it is no longer referred ends the schedule.
            if held[e.petitionId] != nil, Petition.status(after: e, from: .referred) != .referred { held[e.petitionId] = nil }
        }
    }

    /// Pops every rung due at or before `now` that is still due, marking each raised and queuing the rung after it.
    public func due(at now: Int64, limit: Int = 10_000) -> [EscalationDue] {
        var out: [EscalationDue] = []
        while out.count < limit, let top = heap.min, top.at <= now {
            _ = heap.pop()
            guard var t = held[top.petition], t.deadline == top.deadline, t.raised & top.level == 0 else { continue }
            let level = Self.level(top.level)
            t.raised |= top.level
            held[top.petition] = t
            out.append(EscalationDue(petitionId: top.petition, level: level, deadline: LocalDate(dayNumber: t.deadline),
                                     due: LocalDate(containing: Timestamp.date(millis: top.at)), dueAt: top.at,
                                     recipient: directory.recipient(level, unit: t.unit, department: t.departmentRef.flatMap { renamed[$0] } ?? t.department,
                                                                    assignee: t.assignee)))
            scheduleNext(top.petition)
        }
        return out
    }

    /// Puts back a rung whose command did not land, to try again at `at`.
    public func retry(_ due: EscalationDue, at: Int64) {
        guard var t = held[due.petitionId], t.deadline == due.deadline.dayNumber else { return }
        t.raised &= ~Self.bit(due.level)
        held[due.petitionId] = t
        heap.push(Entry(at: at, petition: due.petitionId, level: Self.bit(due.level), deadline: t.deadline))
    }

    /// Queues the lowest rung not yet raised for the petition's current deadline.
    private func scheduleNext(_ id: String) {
        guard let t = held[id] else { return }
        let settings = directory.settings(t.unit)
        for level in EscalationLevel.allCases where t.raised & Self.bit(level) == 0 {
            if level == .warning && settings.warningDaysBefore == 0 { continue }
            heap.push(Entry(at: Self.dueAt(level, deadline: t.deadline, settings: settings), petition: id, level: Self.bit(level), deadline: t.deadline))
            return
        }
    }

    /// When a rung falls due: the warning at the start of the day `warningDaysBefore` before the deadline,
    /// the overdue alert when the deadline day ends, the escalation `graceDays` later (Asia/Ho_Chi_Minh).
    public static func dueAt(_ level: EscalationLevel, deadline day: Int64, settings: UnitSettings) -> Int64 {
        let startOfDay: (Int64) -> Int64 = { $0 * 86_400_000 - LocalDate.offsetMillis }
        switch level {
        case .warning: return startOfDay(day - Int64(settings.warningDaysBefore))
        case .overdue: return startOfDay(day + 1)
        case .escalated: return startOfDay(day + 1 + Int64(settings.graceDays))
        }
    }

    private static func bit(_ level: EscalationLevel) -> UInt8 {
        switch level {
        case .warning: 1
        case .overdue: 2
        case .escalated: 4
        }
    }

    private static func level(_ bit: UInt8) -> EscalationLevel {
        switch bit {
        case 1: .warning
        case 2: .overdue
        default: .escalated
        }
    }
}
