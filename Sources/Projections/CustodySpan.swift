import EventSourcing
import Foundation
import GRDB
import PetitionDomain

/// Who holds a petition: the chair of its session while it waits for an answer or a referral, a department once referred.
public enum HolderKind: String, Codable, Hashable, Sendable {
    case chair
    case department
}

/// How a holder's span of custody ended.
public enum CustodyEnd: String, Codable, Hashable, Sendable {
    /// The chair answered it on-site.
    case answered
    /// The chair referred it to a department.
    case referred
    /// Handed over to another department or official; not closed for the one who had it.
    case reassigned
    /// The department resolved it.
    case resolved
    /// The citizen withdrew it; not counted as resolved.
    case withdrawn
    /// Merged into another petition; not counted as resolved.
    case merged

    /// How it ended, in Vietnamese, for pages and petitionctl.
    public var vietnamese: String {
        switch self {
        case .answered: "trả lời"
        case .referred: "chuyển giải quyết"
        case .reassigned: "giao lại"
        case .resolved: "giải quyết xong"
        case .withdrawn: "cử tri rút"
        case .merged: "gộp"
        }
    }
}

/// One link in a petition's chain of hands. Encoded with every key, `null` where it does not apply.
public struct CustodySpan: Codable, Hashable, Sendable {
    /// 1 for the first holder, then 2, 3, …
    public var seq: Int64
    public var holderKind: HolderKind
    public var unit: String
    /// The holding department; null for the chair.
    public var department: String?
    /// The official (assignee) or the session's chair; null if the session was never seen.
    public var holder: String?
    /// When they received it (RFC 3339).
    public var from: String
    /// When it left them; null while they hold it.
    public var to: String?
    /// How it left them; null while they hold it.
    public var ended: CustodyEnd?
    /// A department's deadline (the one in force when it left them, or now); null for the chair.
    public var deadline: String?
    /// When the department accepted it.
    public var acceptedAt: String?
    /// For a resolution: made on or before the deadline day (Asia/Ho_Chi_Minh); null otherwise.
    public var onTime: Bool?
    /// Held now by a department past its deadline day.
    public var overdue: Bool
    /// Days held: until `to`, or until now; fractional, to 0.01.
    public var days: Double

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(seq, forKey: .seq)
        try c.encode(holderKind, forKey: .holderKind)
        try c.encode(unit, forKey: .unit)
        try c.encode(department, forKey: .department)
        try c.encode(holder, forKey: .holder)
        try c.encode(from, forKey: .from)
        try c.encode(to, forKey: .to)
        try c.encode(ended, forKey: .ended)
        try c.encode(deadline, forKey: .deadline)
        try c.encode(acceptedAt, forKey: .acceptedAt)
        try c.encode(onTime, forKey: .onTime)
        try c.encode(overdue, forKey: .overdue)
        try c.encode(days, forKey: .days)
    }
}

extension OutstandingReadModel {
    /// The chain of hands of a petition, first holder first; empty for an unknown petition.
    public func custody(of petitionId: String, now: Date) throws -> [CustodySpan] {
        let today = LocalDate(containing: now).description
        let nowMillis = Timestamp.millis(now)
        return try queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT seq, holder_kind, unit, department, holder, from_at, to_at, ended, deadline, accepted_at, on_time
                FROM custody WHERE petition_id = ? ORDER BY seq
                """, arguments: [petitionId]).map { row in
                let from: Int64 = row[5]
                let to: Int64? = row[6]
                let kind = HolderKind(rawValue: row[1]) ?? .department
                let deadline: String? = row[8]
                return CustodySpan(
                    seq: row[0], holderKind: kind, unit: row[2], department: row[3], holder: row[4],
                    from: Timestamp.format(millis: from), to: to.map { Timestamp.format(millis: $0) },
                    ended: (row[7] as String?).flatMap(CustodyEnd.init(rawValue:)), deadline: deadline,
                    acceptedAt: (row[9] as Int64?).map { Timestamp.format(millis: $0) }, onTime: (row[10] as Int64?).map { $0 == 1 },
                    overdue: to == nil && kind == .department && deadline.map { $0 < today } == true,
                    days: Days.rounded(millis: (to ?? nowMillis) - from))
            }
        }
    }
}
