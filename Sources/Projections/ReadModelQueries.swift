import EventSourcing
import Foundation
import Messaging
import PetitionDomain

/// Answers the read model's queries: the projector's queries socket and `petitionctl … --read-model FILE`
/// (a rebuilt or copied file, with the system down) run this same code, so both give the same JSON.
public struct ReadModelQueries: Sendable {
    /// The query types answered from the read model (the projector adds `status`).
    public static let messageTypes = ["outstanding", "petition.get", "petition.track", "responsibility", "alerts", "sessions", "search"]

    public let model: OutstandingReadModel

    public init(model: OutstandingReadModel) {
        self.model = model
    }

    /// The reply to a request body as it would come over the wire: the answer, or an error reply.
    /// `position` is what the model has applied; a `minPosition` beyond it is `not_applied`.
    public func reply(to body: [UInt8], position: Int64, now: Date) -> [UInt8] {
        do {
            let (type, fields) = try RequestBody.parse(body)
            let minPosition = try fields.optionalInt("minPosition") ?? 0
            guard minPosition <= position else { throw WireError.notApplied(position: minPosition, waited: 0, applied: position) }
            return try answer(type, fields, position: position, now: now)
        } catch let error as WireError {
            return Wire.bytes(ErrorReply(error))
        } catch {
            return Wire.bytes(ErrorReply(.unavailable("the read model could not be read: \(error)", retry: "check the file")))
        }
    }

    /// The answer to a query of `type` (one of ``messageTypes``), as of `position`; `now` unless the query gives one.
    /// With `scope`, only petitions, sessions and alerts of those units (by the names the model records) are seen.
    /// `units` resolves a query's `unit` member (a code or a registered name) to the names of that unit and the units
    /// below it; a unit it does not know is matched by the name the model recorded, as in data older than the registry.
    public func answer(_ type: String, _ f: JSONFields, position: Int64, now: Date, scope: [String]? = nil,
                       units: ((String) -> [String]?)? = nil) throws -> [UInt8] {
        let at = try f.optionalInstant("now") ?? now
        var scope = scope
        let askedUnit = try f.optionalString("unit", maxLength: 200)
        var unit = askedUnit
        if let asked = unit, let names = units?(asked) {
            scope = scope.map { seen in seen.filter(Set(names).contains) } ?? names
            unit = nil
        }
        switch type {
        case "outstanding":
            let filter = OutstandingFilter(unit: unit,
                                           department: try f.optionalString("department", maxLength: 200),
                                           assignee: try f.optionalString("assignee", maxLength: 200),
                                           overdueOnly: try f.optionalBool("overdue") ?? false, scope: scope, after: try Self.after(f, type, arity: 4))
            let (items, total, next) = try model.outstanding(filter, now: at, limit: try Self.limit(f, default: 1000))
            return Wire.bytes(ProjectorReply.Items(position: position, count: items.count, total: total, items: items, next: next?.text))
        case "petition.get":
            // By its id, or by the tracking code on the citizen's receipt (a portal following what it posted).
            let view: PetitionView?
            let asked: String
            if let text = try f.optionalString("trackingCode", maxLength: 64) {
                guard try f.optionalString("petitionId", maxLength: 64) == nil else {
                    throw WireError.invalidValue("trackingCode", "give petitionId or trackingCode, not both")
                }
                guard let code = TrackingCode.canonical(text) else {
                    throw WireError.invalidValue("trackingCode", "must be the 12 letters and digits on the receipt, such as 7KQ2-M9XD-4FTR")
                }
                view = try model.petition(trackingCode: code, now: at)
                asked = "with the tracking code \(code)"
            } else {
                let id = try f.string("petitionId", maxLength: 64)
                view = try model.petition(id, now: at)
                asked = id
            }
            guard let view, scope.map({ $0.contains(view.unit) }) ?? true else {
                throw WireError.notFound("petition \(asked) does not exist; check the id with `petitionctl outstanding`")
            }
            return Wire.bytes(ProjectorReply.Petition(position: position, petition: view, custody: try model.custody(of: view.petitionId, now: at)))
        case "petition.track":
            // The public view: only a system service (the HTTP API, for citizens) asks by code; an official looks a petition up by its id.
            guard scope == nil else { throw WireError(.notPermitted, "petition.track is the citizens' view, asked through the HTTP API; look a petition up by its id with petition.get") }
            let text = try f.string("trackingCode", maxLength: 64)
            guard let code = TrackingCode.canonical(text) else {
                throw WireError.invalidValue("trackingCode", "must be the 12 letters and digits on the receipt, such as 7KQ2-M9XD-4FTR")
            }
            guard let tracked = try model.tracked(code, now: at) else {
                throw WireError.notFound("no petition has the tracking code \(code); check the code on the receipt")
            }
            return Wire.bytes(ProjectorReply.Tracked(position: position, petition: tracked))
        case "responsibility":
            var query = ResponsibilityQuery(unit: unit, department: try f.optionalString("department", maxLength: 200))
            query.scope = scope
            let report = try model.responsibility(query, now: at)
            return Wire.bytes(ProjectorReply.Responsibility(position: position, today: report.today, departments: report.departments, officials: report.officials))
        case "alerts":
            var query = AlertsQuery(unit: unit, petitionId: try f.optionalString("petitionId", maxLength: 64),
                                    state: try f.optionalChoice("state", AlertStatus.self), level: try f.optionalChoice("level", EscalationLevel.self),
                                    limit: try Self.limit(f, default: 100))
            query.scope = scope
            query.after = try Self.after(f, type, arity: 1)
            let (items, total, next) = try model.alerts(query)
            return Wire.bytes(ProjectorReply.Alerts(position: position, count: items.count, total: total, items: items, next: next?.text))
        case "sessions":
            var query = SessionsQuery(unit: unit, from: try f.optionalInstant("from"),
                                      to: try f.optionalInstant("to"), limit: try Self.limit(f, default: 1000))
            query.scope = scope
            query.sessionId = try f.optionalString("sessionId", maxLength: 64)
            query.after = try Self.after(f, type, arity: 2)
            let report = try model.sessions(query)
            return Wire.bytes(ProjectorReply.Sessions(position: position, count: report.items.count, total: report.total,
                                                      items: report.items, totals: report.totals, next: report.next?.text))
        case "search":
            var query = SearchQuery(text: try f.optionalString("text", maxLength: 500), category: try f.optionalChoice("category", PetitionCategory.self),
                                    unit: unit, department: try f.optionalString("department", maxLength: 200),
                                    personIds: try f.optionalStringArray("personIds", maxCount: 10_000, maxLength: 64), limit: try Self.limit(f, default: 100))
            query.scope = scope
            query.sessionId = try f.optionalString("sessionId", maxLength: 64)
            guard !query.words.isEmpty || query.category != nil || askedUnit != nil || query.department != nil || query.personIds != nil
                || query.sessionId != nil else {
                throw WireError.invalidValue("text", "say what to search for: text, category, unit, department, sessionId or personIds")
            }
            query.after = try Self.after(f, type, arity: 2)
            let (items, total, next) = try model.search(query, now: at)
            return Wire.bytes(ProjectorReply.Items(position: position, count: items.count, total: total, items: items, next: next?.text))
        default:
            throw WireError.unknownType(type, known: Self.messageTypes)
        }
    }

    /// The `after` field: the cursor a page of `type` gave, nil when absent.
    static func after(_ f: JSONFields, _ type: String, arity: Int) throws(WireError) -> PageCursor? {
        guard let text = try f.optionalString("after", maxLength: 1024) else { return nil }
        return try PageCursor.parse(text, query: type, arity: arity)
    }

    /// The `limit` field: 1 to 10000, `fallback` when absent.
    static func limit(_ f: JSONFields, default fallback: Int64) throws -> Int {
        let limit = try f.optionalInt("limit") ?? fallback
        guard (1...10_000).contains(limit) else { throw WireError.invalidValue("limit", "must be between 1 and 10000, got \(limit)") }
        return Int(limit)
    }
}
