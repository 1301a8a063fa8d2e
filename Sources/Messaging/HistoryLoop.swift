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

    public static let messageTypes = ["history.read", "stream.read", "people.find", "status"]

    public init(context: ZMQContext, endpoints: Endpoints, store: any EventStore, logger: Logger) {
        self.context = context
        self.endpoints = endpoints
        self.store = store
        self.logger = logger
    }

    /// Serves until the context is shut down.
    public func run() throws(ZMQError) {
        let router = try context.socket(.router)
        defer { router.close() }
        try router.serve(endpoints)
        try router.bind(endpoints.history)
        do {
            while true {
                guard let (frames, userId) = try router.receiveAuthenticated() else { continue }
                guard let request = RoutedRequest(frames, userId: userId) else { continue }
                let reply: [UInt8]
                do {
                    reply = try answer(request.body)
                } catch {
                    reply = Wire.bytes(ErrorReply(error))
                }
                try request.reply(reply, on: router)
            }
        } catch where error.isTerminated {
            logger.info("history endpoint stopping")
        }
    }

    /// The reply to one request body.
    public func answer(_ body: [UInt8]) throws(WireError) -> [UInt8] {
        let (type, f) = try RequestBody.parse(body)
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
                    extra = try ",\"personalData\":" + revealed(records)
                }
                return Array(page(records, head: head, extra: extra).utf8)
            case "people.find":
                // Only the gateway holds citizens' names (next to their keys); the projector searches by the ids found here.
                let words = SearchText.words(try f.string("name", maxLength: 200))
                guard !words.isEmpty else { throw WireError.invalidValue("name", "must hold a letter or digit to search for") }
                let limit = try f.optionalInt("limit") ?? 1000
                guard (1...10_000).contains(limit) else { throw WireError.invalidValue("limit", "must be between 1 and 10000, got \(limit)") }
                let ids = try store.people(matching: words, limit: Int(limit))
                return Array(("{\"ok\":true,\"personIds\":" + Wire.text(ids) + "}").utf8)
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

    /// The personal data of the citizens in `records` whose keys still exist.
    private func revealed(_ records: [RecordedEvent]) throws -> String {
        var people: [String: PersonalData] = [:]
        for r in records where r.type == PetitionSubmitted.eventType {
            guard case .petition(.submitted(let e))? = try EventCodec.decode(r),
                  let key = try store.secret(e.citizen.personId),
                  let data = PersonalDataVault.open(e.citizen, key: key.key) else { continue }
            people[e.citizen.personId] = data
        }
        return Wire.text(people)
    }
}
