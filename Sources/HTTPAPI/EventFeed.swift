import Foundation
import Hummingbird
import Logging
import Messaging
import NIOCore
import ServiceLifecycle
import Synchronization
import ZeroMQ

/// What the API knows of the log's head from the gateway's PUB socket: one SUB client on its own thread, so
/// every live feed (``EventFeed``) knows at once when there is something new to read.
///
/// The events themselves are always read from the gateway's history, in position order, from the feed's own
/// position: PUB may drop (PROTOCOL.md §5.2), history never does, so a feed loses nothing and resumes anywhere.
final class LogHead: Sendable {
    private let head = Atomic<Int64>(0)
    private let stopping = Atomic<Bool>(false)
    private let stopped = DispatchSemaphore(value: 0)

    /// The highest position heard of.
    var position: Int64 { head.load(ordering: .acquiring) }

    /// Whether the API is shutting down: feeds end.
    var isStopping: Bool { stopping.load(ordering: .acquiring) }

    func heard(_ position: Int64) {
        var current = head.load(ordering: .relaxed)
        while position > current {
            let (exchanged, original) = head.compareExchange(expected: current, desired: position, ordering: .acquiringAndReleasing)
            if exchanged { return }
            current = original
        }
    }

    /// Follows the gateway's PUB on a thread of its own until ``stop()``.
    init(context: ZMQContext, endpoints: Endpoints, logger: Logger) throws {
        let sub = try context.socket(.sub)
        try sub.setHighWaterMarks(send: 1000, receive: 100_000)
        try sub.setMaxMessageSize(16 << 20)
        try sub.subscribe("")
        try sub.pin(endpoints.pin(.gateway))
        try sub.connect(endpoints.events)
        let socket = UncheckedSocket(socket: sub)
        Thread.detachNewThread { [self] in
            defer { socket.socket.close(); stopped.signal() }
            while !isStopping {
                do {
                    guard try ZMQPoll.readable([socket.socket], timeoutMs: 250).first == true else { continue }
                    while let frames = try socket.socket.receive(dontWait: true) {
                        guard frames.count == 2 else { continue }
                        let object = (try? JSONSerialization.jsonObject(with: Data(frames[1]))) as? [String: Any]
                        let position = String(decoding: frames[0], as: UTF8.self) == "heartbeat" ? object?["head"] : object?["position"]
                        if let n = (position as? NSNumber)?.int64Value { heard(n) }
                    }
                } catch {
                    if !isStopping { logger.warning("the events feed from the gateway failed", metadata: ["error": "\(error)"]) }
                    return
                }
            }
        }
    }

    /// Ends the thread and closes its socket (before the context is terminated).
    func stop() {
        guard !stopping.exchange(true, ordering: .acquiringAndReleasing) else { return }
        stopped.wait()
    }

    private struct UncheckedSocket: @unchecked Sendable { let socket: ZMQSocket }
}

/// `GET /api/v1/events`: the log as Server-Sent Events for one caller, from a position on. Each event is
/// `id: <position>`, `event: <type>`, `data: <the CloudEvent>`, so a browser's `EventSource` resumes with
/// `Last-Event-ID` where it stopped. Only what the caller may see is sent: a petition's events (and its alerts')
/// when the projector shows the caller the petition, a session's when its unit is in the caller's units, the
/// registry's to every official; the rest of the log (people, access records, checkpoints) to no one here.
struct EventFeed: Sendable {
    let api: PetitionAPI
    let caller: Caller
    /// The position after which to send.
    let after: Int64
    /// A comment line is sent when nothing happened for this long, so proxies keep the connection.
    static let keepAlive: Duration = .seconds(15)

    func run(_ writer: inout any ResponseBodyWriter) async throws {
        try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
        var last = after
        var petitions: [String: Bool] = [:]
        var quietSince = ContinuousClock.now
        while !api.head.isStopping, !Task.isShuttingDownGracefully {
            if api.head.position <= last {
                if ContinuousClock.now - quietSince >= Self.keepAlive {
                    try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                    quietSince = .now
                }
                try await Task.sleep(for: .milliseconds(100))
                continue
            }
            guard let page = try await api.history.request(json: ["type": "history.read", "fromPosition": last + 1, "limit": 500]),
                  page["ok"] as? Bool == true else {
                try await Task.sleep(for: .seconds(1))
                continue
            }
            if let head = (page["head"] as? NSNumber)?.int64Value { api.head.heard(head) }
            var text = ""
            for event in page["events"] as? [[String: Any]] ?? [] {
                guard let position = (event["position"] as? NSNumber)?.int64Value else { continue }
                last = max(last, position)
                guard try await visible(event, position: position, petitions: &petitions) else { continue }
                let data = try JSONSerialization.data(withJSONObject: event, options: [.sortedKeys, .withoutEscapingSlashes])
                text += "id: \(position)\nevent: \(event["type"] as? String ?? "event")\ndata: \(String(decoding: data, as: UTF8.self))\n\n"
            }
            for skipped in page["undecodable"] as? [[String: Any]] ?? [] {
                if let position = (skipped["position"] as? NSNumber)?.int64Value { last = max(last, position) }
            }
            if !text.isEmpty {
                try await writer.write(ByteBuffer(string: text))
                quietSince = .now
            } else if (page["events"] as? [Any])?.isEmpty ?? true, (page["undecodable"] as? [Any])?.isEmpty ?? true {
                // The head heard of is not yet readable (a heartbeat ahead of history): wait a little.
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    /// Whether the caller may see `event`.
    private func visible(_ event: [String: Any], position: Int64, petitions: inout [String: Bool]) async throws -> Bool {
        let subject = event["subject"] as? String ?? ""
        let data = event["data"] as? [String: Any]
        let petitionId: String?
        if subject.hasPrefix("petition-") { petitionId = String(subject.dropFirst("petition-".count)) }
        else if subject.hasPrefix("alert-") { petitionId = data?["petitionId"] as? String }
        else if subject.hasPrefix("session-") {
            guard let unit = data?["unitCode"] as? String, !caller.unit.isEmpty else { return false }
            return try await api.registry().isWithin(unit, caller.unit)
        } else {
            return subject.hasPrefix("registry-")
        }
        guard let petitionId else { return false }
        if let known = petitions[petitionId] { return known }
        // The projector's own scope rule: the caller sees the petition there, or not at all.
        let seen: Bool
        do {
            _ = try await api.query("petition.get", ["petitionId": petitionId, "minPosition": position], caller: caller)
            seen = true
        } catch let problem as Problem where problem.status == .notFound || problem.status == .forbidden {
            seen = false
        }
        petitions[petitionId] = seen
        return seen
    }
}
