import EventSourcing
import Foundation
import Messaging
import Projections

/// A petition as it stood at a past moment, and who held it then: rebuilt from its own events (and its session's) in the log file.
public enum PetitionAsOf {
    /// The `petition.get` query the rebuilt petition is asked, as the projector receives it.
    struct Query: Codable, Equatable {
        var type = "petition.get"
        var petitionId: String
    }

    /// What the log file at `logPath` had recorded by `millis` for petition `id`: the `petition.get` reply (the same JSON
    /// the projector gives, its `position` the last one recorded by then) with overdue judged at `now`.
    public static func reply(_ id: String, logPath: String, asOf millis: Int64, now: Date) throws -> (position: Int64, reply: [UInt8]) {
        try AuditError.converting {
            let log = try AuditFiles.openLogFile(logPath)
            let position = try log.lastPosition(recordedBy: millis)
            guard position > 0 else {
                throw AuditError("the log had recorded nothing by \(Timestamp.format(millis: millis)); its first event came later")
            }
            guard let model = try ProjectionRebuild.petition(id, in: log, through: position) else {
                throw AuditError("petition \(id) was not recorded by \(Timestamp.format(millis: millis)) (the log then ended at position \(position))")
            }
            let query = try JSONEncoder().encode(Query(petitionId: id))
            return (position, ReadModelQueries(model: model).reply(to: Array(query), position: position, now: now))
        }
    }
}
