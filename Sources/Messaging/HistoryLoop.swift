import EventSourcing
import Foundation
import Logging
import PetitionDomain
import ZeroMQ

/// The gateway's history endpoint: pages of the log from a position, one stream, status.
///
/// Runs on its own thread with its own reads, so catching-up workers never
/// slow the writer.
public final class HistoryLoop: @unchecked Sendable {
    private let context: ZMQContext
    private let endpoints: Endpoints
    private let store: any EventStore
    private let logger: Logger
    private let startedAt = Timestamp.format(Date())

    /// The most records one page returns.
    public static let maxPage = 2000
    /// A page stops growing past this many bytes.
    public static let maxPageBytes = 4 << 20

    public static let messageTypes = ["history.read", "stream.read", "people.find", "deadline.policy", "status"]

    /// Who the connections are (the registry the ZAP handler admits by): personal data only for a clerk or a chair.
    private let admission: KeyAdmission?
    /// Sends `access.record` to the gateway's own commands socket, with the gateway's key, before personal data goes out.
    private var recorder: RequestClient?
    /// The searches for people each official made in the last minute.
    private var searches: [String: [UInt64]] = [:]
    /// The most searches for people one official may make in a minute.
    public static let searchesPerMinute = 20
    /// The most person ids one search returns.
    public static let maxPeopleFound = 100

    /// Each unit's deadline policy and calendar (the gateway's own), for `deadline.policy`.
    private let deadlineContext: (@Sendable (String) -> DeadlineContext)?

    public init(context: ZMQContext, endpoints: Endpoints, store: any EventStore, logger: Logger, admission: KeyAdmission? = nil,
                deadlineContext: (@Sendable (String) -> DeadlineContext)? = nil) {
        self.deadlineContext = deadlineContext
        self.context = context
        self.endpoints = endpoints
        self.store = store
        self.logger = logger
        self.admission = admission
    }

    /// Serves until the context is shut down.
    public func run() throws(ZMQError) {
        let router = try context.socket(.router)
        recorder = RequestClient(context: context, endpoint: endpoints.commands, curve: endpoints.pin(.gateway))
        defer { router.close(); recorder?.close() }
        try router.serve(endpoints)
        try router.bind(endpoints.history)
        do {
            while true {
                guard let (frames, userId) = try router.receiveAuthenticated() else { continue }
                guard let request = RoutedRequest(frames, userId: userId) else { continue }
                let reply: [UInt8]
                do {
                    reply = try answer(request.body, userId: request.userId)
                } catch {
                    reply = Wire.bytes(ErrorReply(error))
                }
                try request.reply(reply, on: router)
            }
        } catch where error.isTerminated {
            logger.info("history endpoint stopping")
        }
    }

    /// The reply to one request body from `userId` (the connection's authenticated identity).
    public func answer(_ body: [UInt8], userId connection: String? = nil) throws(WireError) -> [UInt8] {
        let (type, f) = try RequestBody.parse(body)
        let userId = try Delegation.identity(connection, f)
        do {
            switch type {
            case "history.read":
                let from = try f.optionalInt("fromPosition") ?? 1
                guard from >= 1 else { throw WireError.invalidValue("fromPosition", "must be at least 1, got \(from)") }
                let limit = try f.optionalInt("limit") ?? 500
                guard limit >= 1 else { throw WireError.invalidValue("limit", "must be at least 1, got \(limit)") }
                let head = try store.headPosition()
                let (records, undecodable) = try UndecodableRecord.read(store, from: from, limit: Int(min(limit, Int64(Self.maxPage))), head: head)
                for u in undecodable {
                    logger.error("a record of the log cannot be read; reported in the page", metadata: ["log.position": "\(u.position)", "error": "\(u.reason)"])
                }
                return Array(page(records, head: head, extra: undecodable.isEmpty ? "" : ",\"undecodable\":" + Wire.text(undecodable)).utf8)
            case "stream.read":
                let name = try f.string("stream", maxLength: 200)
                guard let stream = StreamName(name) else { throw WireError.invalidValue("stream", "must be category-id, e.g. petition-P000001") }
                let head = try store.headPosition()
                let records = try store.readStream(stream)
                var extra = ""
                if try f.optionalBool("reveal") == true {
                    let official = try personalDataReader(userId)
                    let purpose = try f.string("purpose", maxLength: 500)
                    let people = try revealed(records, to: official)
                    // Recorded first: what is not in the log is not handed out.
                    try record(PersonalDataAccessed(officialId: official, access: .reveal, stream: name, personIds: people.keys.sorted(), purpose: purpose))
                    extra = ",\"personalData\":" + Wire.text(people)
                }
                return Array(page(records, head: head, extra: extra).utf8)
            case "people.find":
                // Only the gateway holds citizens' names (next to their keys); the projector searches by the ids found here.
                let official = try personalDataReader(userId)
                let words = SearchText.words(try f.string("name", maxLength: 200))
                guard words.reduce(0, { $0 + $1.count }) >= 3, words.contains(where: { $0.count >= 2 }) else {
                    throw WireError.invalidValue("name", "must hold at least three letters, and a word of two or more: a search for people is for someone the searcher can name")
                }
                let purpose = try f.string("purpose", maxLength: 500)
                let limit = try f.optionalInt("limit") ?? Int64(Self.maxPeopleFound)
                guard (1...Int64(Self.maxPeopleFound)).contains(limit) else {
                    throw WireError.invalidValue("limit", "must be between 1 and \(Self.maxPeopleFound), got \(limit)")
                }
                try admitSearch(by: official)
                let ids = try store.people(matching: words, limit: Int(limit))
                try record(PersonalDataAccessed(officialId: official, access: .search, stream: nil, personIds: ids, purpose: purpose))
                return Array(("{\"ok\":true,\"personIds\":" + Wire.text(ids) + "}").utf8)
            case "deadline.policy":
                // What a referral by the policy would set, per kind, before anyone refers: the same policy and calendar.
                let unit = try f.string("unit", maxLength: 200)
                let from = try f.optionalDate("from") ?? LocalDate(containing: Date())
                let complexity = try f.optionalChoice("complexity", Complexity.self) ?? .normal
                let context = deadlineContext?(unit) ?? DeadlineContext(policy: .standard, calendar: WorkingCalendar(years: []))
                var kinds: [String] = []
                for kind in PetitionKind.allCases {
                    let rule = context.policy.limits(for: kind)
                    var o = JSONObjectText()
                    o.string("kind", kind.rawValue)
                    o.raw("days", String(context.policy.days(kind: kind, complexity: complexity, remote: context.remote)))
                    o.string("counting", rule.counting.rawValue)
                    do {
                        o.string("deadline", try context.policy.deadline(kind: kind, complexity: complexity, remote: context.remote, from: from,
                                                                         calendar: context.calendar).description)
                    } catch { o.raw("deadline", "null") }
                    o.string("basis", rule.basis)
                    kinds.append(o.text)
                }
                var reply = JSONObjectText()
                reply.raw("ok", "true"); reply.string("unit", unit); reply.string("from", from.description)
                reply.string("complexity", complexity.rawValue); reply.raw("remote", context.remote ? "true" : "false"); reply.raw("kinds", "[" + kinds.joined(separator: ",") + "]")
                return Array(reply.text.utf8)
            case "status":
                let head = try store.headPosition()
                return Wire.bytes(ProcessStatus(process: "petition-gateway.history", pid: getpid(), position: head, head: head, startedAt: startedAt))
            default:
                throw WireError.unknownType(type, known: Self.messageTypes)
            }
        } catch let error as WireError {
            throw error
        } catch {
            logger.error("history read failed", metadata: ["error": "\(error)"])
            throw .unavailable("the log could not be read", retry: "retry later")
        }
    }

    private func page(_ records: [RecordedEvent], head: Int64, extra: String) -> String {
        var s = "{\"ok\":true,\"head\":\(head)\(extra),\"events\":["
        var bytes = 0
        for (i, r) in records.enumerated() {
            let json = CloudEvent.json(r)
            bytes += json.utf8.count
            if i > 0 {
                if bytes > Self.maxPageBytes { break }
                s += ","
            }
            s += json
        }
        return s + "]}"
    }

    /// The official behind `userId`, if they may see citizens' personal data: a clerk or a chair.
    private func personalDataReader(_ userId: String?) throws(WireError) -> String {
        guard let userId, let official = admission?.registry.official(acting: userId) else {
            throw .domain(.notAdmitted("citizens' personal data is shown only to a registered clerk or chair"))
        }
        guard official.roles.contains(.clerk) || official.roles.contains(.chair) else {
            throw .domain(.notPermitted(role: official.roles.first ?? .supervisor, action: "see citizens' personal data", allowed: [.clerk, .chair]))
        }
        return official.officialId
    }

    /// Refuses a search past ``searchesPerMinute`` for `official`.
    private func admitSearch(by official: String) throws(WireError) {
        let now = DispatchTime.now().uptimeNanoseconds
        let recent = (searches[official] ?? []).filter { now - $0 < 60_000_000_000 }
        guard recent.count < Self.searchesPerMinute else {
            searches[official] = recent
            throw .overloaded("\(official) searched for people \(recent.count) times in the last minute; wait a minute")
        }
        searches[official] = recent + [now]
    }

    /// Appends `accessed` through the gateway (`access.record`) and waits for it to be committed.
    private func record(_ accessed: PersonalDataAccessed) throws(WireError) {
        let request = CommandRequest(commandId: RandomId.make(), occurredAt: nil, Commands.RecordAccess(accessed))
        let reply: [UInt8]?
        do { reply = try recorder?.request(request.wireBytes, timeoutMs: 10_000) } catch { reply = nil }
        guard let reply, (try? JSONFields(frame: reply).optionalBool("ok")) == true else {
            logger.error("an access to personal data could not be recorded; nothing was revealed", metadata: ["official": "\(accessed.officialId)"])
            throw .unavailable("the access could not be recorded, so nothing is shown", retry: "retry later")
        }
    }

    /// The personal data of the citizens in `records` whose keys still exist, for `officialId`: refused
    /// (`out_of_scope`) for a petition whose unit is outside the official's unit and the units below it.
    private func revealed(_ records: [RecordedEvent], to officialId: String) throws -> [String: PersonalData] {
        let registry = admission?.registry
        let own = registry?.officials[officialId]?.unit
        var people: [String: PersonalData] = [:]
        for r in records where PetitionSubmitted.eventTypes.contains(r.type) {
            guard case .petition(.submitted(let e))? = try EventCodec.decode(r) else { continue }
            if let registry, let own, !own.isEmpty, let code = e.unitCode, !registry.isWithin(code, own) {
                throw WireError.domain(.outOfScope("petition \(e.petitionId) is in \(e.unit); its citizen is shown only to the clerk and chair of that unit or a unit above it"))
            }
            guard let key = try store.secret(e.citizen.personId), let data = PersonalDataVault.open(e.citizen, key: key.key) else { continue }
            people[e.citizen.personId] = data
        }
        return people
    }
}
