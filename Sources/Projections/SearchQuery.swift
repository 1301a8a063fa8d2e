import Foundation
import GRDB
import PetitionDomain

/// A search over petitions that ignores diacritics and case: "dat dai" finds "Đất đai".
///
/// Every word of `text` must appear, folded, in the petition's content, unit,
/// department, assignee, answer or resolution; the other filters are exact.
/// Citizens are found by the gateway (it alone holds their names), which gives
/// the `personIds` to look for here.
public struct SearchQuery: Hashable, Sendable {
    /// Folded words, each required.
    public var words: [String]
    /// Only this field (category), e.g. `land`.
    public var category: PetitionCategory?
    public var unit: String?
    /// Only these units (the caller's scope); nil for all.
    public var scope: [String]?
    public var department: String?
    /// Only the petitions raised at this session (conference).
    public var sessionId: String?
    /// Only petitions of these citizens.
    public var personIds: [String]?
    public var limit: Int
    /// Only those after the page that gave this cursor.
    public var after: PageCursor?

    public init(text: String? = nil, category: PetitionCategory? = nil, unit: String? = nil, department: String? = nil,
                personIds: [String]? = nil, limit: Int = 100) {
        self.words = text.map(SearchText.words) ?? []
        self.category = category
        self.unit = unit
        self.department = department
        self.personIds = personIds
        self.limit = limit
    }

    /// `search_fold(text…)`: the folded, space-joined texts, for matching in SQL.
    static let foldFunction = DatabaseFunction("search_fold", argumentCount: -1, pure: true) { values in
        values.compactMap { String.fromDatabaseValue($0) }.map(SearchText.fold).joined(separator: " ")
    }

    /// The matching petitions, newest first, at most `limit` (after `after`); how many match in all; the next page's cursor.
    func run(_ db: Database, today: LocalDate) throws -> (items: [PetitionView], total: Int, next: PageCursor?) {
        var sql = "SELECT * FROM petitions WHERE 1 = 1"
        var arguments: StatementArguments = []
        if let category { sql += " AND category = ?"; arguments += [category.rawValue] }
        if let unit { sql += " AND unit = ?"; arguments += [unit] }
        sql += UnitScope.clause("unit", scope, into: &arguments)
        if let department { sql += " AND department = ?"; arguments += [department] }
        if let sessionId { sql += " AND session_id = ?"; arguments += [sessionId] }
        if let personIds {
            if personIds.isEmpty { return ([], 0, nil) }
            sql += " AND person_id IN (\(Array(repeating: "?", count: personIds.count).joined(separator: ",")))"
            arguments += StatementArguments(personIds)
        }
        if !words.isEmpty {
            sql = "SELECT * FROM (SELECT *, search_fold(content, unit, department, assignee, answer, resolution) AS folded FROM (\(sql))) WHERE 1 = 1"
            for word in words { sql += " AND instr(folded, ?) > 0"; arguments += [word] }
        }
        let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM (\(sql))", arguments: arguments) ?? 0
        if let after { sql += after.clause("submitted_at, petition_id", "<", into: &arguments) }
        let rows = try Row.fetchAll(db, sql: sql + " ORDER BY submitted_at DESC, petition_id DESC LIMIT ?", arguments: arguments + [limit + 1])
        let page = PageCursor.page(rows, limit: limit, query: "search", key: { [.integer($0["submitted_at"]), .text($0["petition_id"])] },
                                   map: { OutstandingReadModel.view($0, today: today) })
        return (page.items, total, page.next)
    }
}

extension OutstandingReadModel {
    /// Petitions matching `query` as of `now`.
    public func search(_ query: SearchQuery, now: Date) throws -> (items: [PetitionView], total: Int, next: PageCursor?) {
        try queue.read { db in try query.run(db, today: LocalDate(containing: now)) }
    }
}
