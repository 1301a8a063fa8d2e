import EventSourcing
import Foundation
import PetitionDomain

/// The registry as a `stream.read` of `registry-main` returns it, folded by the domain's decider; and each event
/// with the time it took effect (for who held which office when).
public enum RegistryReply {
    /// The stream to read: `registry-main`.
    public static let stream = "\(Registry.category)-\(Registry.streamId)"

    /// Each registry event of a `stream.read` reply, with its `time`.
    public static func events(_ reply: [String: Any]) -> [(event: RegistryEvent, time: Date)] {
        (reply["events"] as? [[String: Any]] ?? []).compactMap { e in
            guard let type = e["type"] as? String, let data = e["data"], let bytes = try? JSONSerialization.data(withJSONObject: data),
                  case .event(let event)? = try? EventCodec.read(type: type, utf8: Array(bytes)), let r = Registry.event(in: event),
                  let time = (e["time"] as? String).flatMap(Timestamp.parse) else { return nil }
            return (r, time)
        }
    }

    /// The registry the reply's events make.
    public static func state(_ reply: [String: Any]) -> RegistryState {
        events(reply).reduce(Registry.initialState) { Registry.evolve($0, $1.event) }
    }

    /// Who held which office when, from the reply's events.
    public static func offices(_ reply: [String: Any]) -> OfficeHistory {
        var offices = OfficeHistory()
        for (event, time) in events(reply) { offices.apply(event, at: time) }
        return offices
    }
}
