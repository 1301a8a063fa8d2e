import Foundation

/// Where an audit finds a system's files: the data folder `up` and the servers use.
///
/// Audits read the store file directly, so they work while the system is down.
public struct AuditFiles: Sendable {
    public var dataDirectory: String

    public init(dataDirectory: String) {
        self.dataDirectory = dataDirectory
    }

    /// The event log.
    public var eventLog: String { (dataDirectory as NSString).appendingPathComponent("events.sqlite") }
    /// The live projector's read models.
    public var readModels: String { (dataDirectory as NSString).appendingPathComponent("projections.sqlite") }
}
