import EventSourcing
import Foundation
import Messaging
import Projections

/// A petition as it stood at a past moment, and who held it then: rebuilt from its own events (and its session's) in the log file.
public enum PetitionAsOf {
    /// What the log had recorded by `millis` for petition `id`: the `petition.get` reply (the same JSON the projector gives,
    /// its `position` the last one recorded by then) with overdue judged at `now`.
    public static func reply(_ id: String, log: EventLogFile, asOf millis: Int64, now: Date) throws -> (position: Int64, reply: [UInt8]) {
        let position = try log.lastPosition(recordedBy: millis)
        guard position > 0 else {
            throw RebuildError("the log had recorded nothing by \(Timestamp.format(millis: millis)); its first event came later")
        }
        guard let model = try ProjectionRebuild.petition(id, in: log, through: position) else {
            throw RebuildError("petition \(id) was not recorded by \(Timestamp.format(millis: millis)) (the log then ended at position \(position))")
        }
        var body = #"{"type":"petition.get","petitionId":"#
        JSONText.appendString(id, to: &body)
        body += "}"
        return (position, ReadModelQueries(model: model).reply(to: Array(body.utf8), position: position, now: now))
    }
}
