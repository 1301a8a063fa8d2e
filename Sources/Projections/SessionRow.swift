import EventStoreSQLite
import PetitionDomain

/// One row of `sessions`: a dialogue conference and where its petitions stand, folded in memory.
///
/// Every petition recorded at the session is counted once in `petitions` and
/// once under the status it has now, so the status counts always add up to
/// `petitions`: a petition answered on-site and later reopened and referred
/// counts as referred.
final class SessionRow {
    /// The statuses counted, in the order of the table's columns.
    static let statuses: [PetitionStatus] = [.submitted, .answered, .referred, .resolved, .reopened, .withdrawn, .merged]
    /// Each dialogue conference, with its petitions counted once each by the status they have now; columns in the
    /// order of ``values``.
    static let table = ReadModelTable(name: "sessions", columns: [
        .init(name: "session_id", declaration: "TEXT PRIMARY KEY"), .init(name: "unit", declaration: "TEXT NOT NULL"),
        .init(name: "title", declaration: "TEXT NOT NULL"), .init(name: "chair", declaration: "TEXT NOT NULL"),
        .init(name: "held_at", declaration: "INTEGER NOT NULL"), .init(name: "petitions", declaration: "INTEGER NOT NULL DEFAULT 0"),
    ] + statuses.map { .init(name: $0.rawValue, declaration: "INTEGER NOT NULL DEFAULT 0") }
      + [.init(name: "hamlet", declaration: "TEXT"), .init(name: "attendees", declaration: "INTEGER")],
    indexes: ["CREATE INDEX sessions_held ON sessions(held_at, session_id)"])
    static let columns = table.columnNames

    var sessionId: String
    var unit: String
    var title: String
    var chair: String
    /// When it was held (the opening event's time), in milliseconds.
    var heldAt: Int64
    var petitions: Int64 = 0
    /// Petitions by the status they have now, in the order of ``statuses``.
    var byStatus = [Int64](repeating: 0, count: SessionRow.statuses.count)
    /// Where it was held and how many attended, when the minutes say (`session.opened.v3`).
    var hamlet: String?
    var attendees: Int64?

    init(sessionId: String, unit: String, title: String, chair: String, heldAt: Int64, hamlet: String? = nil, attendees: Int64? = nil) {
        self.sessionId = sessionId
        self.unit = unit
        self.title = title
        self.chair = chair
        self.heldAt = heldAt
        self.hamlet = hamlet
        self.attendees = attendees
    }

    /// A row as stored, columns in the order of ``columns``.
    init?(values: [RawStatement.Value]) {
        guard values.count == Self.columns.count, let id = values[0].textValue, let unit = values[1].textValue,
              let title = values[2].textValue, let chair = values[3].textValue, case .int(let held) = values[4],
              case .int(let petitions) = values[5] else { return nil }
        self.sessionId = id
        self.unit = unit
        self.title = title
        self.chair = chair
        heldAt = held
        self.petitions = petitions
        for i in byStatus.indices {
            if case .int(let n) = values[6 + i] { byStatus[i] = n }
        }
        hamlet = values[6 + byStatus.count].textValue
        if case .int(let n) = values[7 + byStatus.count] { attendees = n }
    }

    var values: [RawStatement.Value] {
        [.text(sessionId), .text(unit), .text(title), .text(chair), .int(heldAt), .int(petitions)] + byStatus.map { .int($0) }
            + [hamlet.map { .text($0) } ?? .null, attendees.map { .int($0) } ?? .null]
    }

    /// One of its petitions moved from `old` (nil: just recorded) to `new`.
    func move(from old: PetitionStatus?, to new: PetitionStatus) {
        if let old, let i = Self.statuses.firstIndex(of: old) { byStatus[i] -= 1 }
        if let i = Self.statuses.firstIndex(of: new) { byStatus[i] += 1 }
    }
}

/// A count of a session's petitions by one of their fixed attributes: `kind` or `category`.
struct TallyKey: Hashable {
    var sessionId: String
    /// `kind` or `category`.
    var dimension: String
    var value: String
}
