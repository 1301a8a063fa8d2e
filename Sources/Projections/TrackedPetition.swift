import EventSourcing
import Foundation
import GRDB
import PetitionDomain

/// What a citizen sees of their petition by its tracking code, without an account: where it stands, its dates,
/// the answer or the resolution, the department holding it and its deadline. Never who the citizen is, nor the
/// officials' names, nor what the petition says (it may name others): only what the receipt's holder needs.
public struct TrackedPetition: Codable, Hashable, Sendable {
    public var trackingCode: String
    /// The status (submitted, answered, referred, resolved, reopened, withdrawn, merged).
    public var status: String
    /// The status in words, in Vietnamese.
    public var statusText: String
    public var kind: String
    public var category: String
    /// The unit whose conference recorded it.
    public var unit: String
    public var submittedAt: String
    /// The day it was recorded, dd/mm/yyyy in Asia/Ho_Chi_Minh.
    public var submittedOn: String
    public var answeredAt: String?
    public var answer: String?
    /// The department it was referred to: who holds it while it is being settled.
    public var department: String?
    public var referredAt: String?
    public var acceptedAt: String?
    /// The last day on which it is on time, `YYYY-MM-DD`, and as dd/mm/yyyy.
    public var deadline: String?
    public var deadlineText: String?
    public var extensions: Int64
    public var overdue: Bool
    public var resolvedAt: String?
    public var resolution: String?

    init(_ view: PetitionView, code: String) {
        trackingCode = code
        status = view.status
        statusText = PetitionStatus(rawValue: view.status)?.vietnamese ?? view.status
        kind = view.kind
        category = view.category
        unit = view.unit
        submittedAt = view.submittedAt
        submittedOn = Timestamp.parse(view.submittedAt).map { LocalDate(containing: $0).vietnamese } ?? view.submittedAt
        answeredAt = view.answeredAt
        answer = view.answer
        department = view.department
        referredAt = view.referredAt
        acceptedAt = view.acceptedAt
        deadline = view.deadline
        deadlineText = view.deadline.flatMap(LocalDate.init)?.vietnamese
        extensions = view.extensions
        overdue = view.overdue
        resolvedAt = view.resolvedAt
        resolution = view.resolution
    }
}

extension OutstandingReadModel {
    /// The petition a tracking code (canonical) stands for, as officials see it; nil when none does, or two do.
    public func petition(trackingCode code: String, now: Date) throws -> PetitionView? {
        try queue.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM petitions WHERE tracking_code = ? LIMIT 2", arguments: [code])
            return rows.count == 1 ? Self.view(rows[0], today: LocalDate(containing: now)) : nil
        }
    }

    /// The petition a tracking code (canonical, ``TrackingCode/canonical(_:)``) stands for, as its citizen sees it.
    public func tracked(_ code: String, now: Date) throws -> TrackedPetition? {
        try queue.read { db in
            // Sixty random bits: two petitions sharing a code is all but impossible, and then neither is shown.
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM petitions WHERE tracking_code = ? LIMIT 2", arguments: [code])
            guard rows.count == 1 else { return nil }
            return TrackedPetition(Self.view(rows[0], today: LocalDate(containing: now)), code: code)
        }
    }
}
