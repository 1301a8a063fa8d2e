import EventSourcing
import Foundation
import Logging

/// Log records as one JSON object a line on standard error, for an operator's log shipper (`--log-format json`):
/// `time` (RFC 3339, UTC), `level`, `logger` (the process's label), `message`, `pid`, and each metadata member by its
/// own key (`log.position`, `petition`, `command`, … where the code that logs gives them), keys sorted.
///
/// Hand-written: swift-log ships only a plain-text stream handler, and the mirror holds no JSON one short of a whole
/// OpenTelemetry pipeline (swift-otel); this is the one formatting rule the logs need.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let label: String
    private static let lock = NSLock()
    private static let pid = ProcessInfo.processInfo.processIdentifier
    private static let fixed: Set<String> = ["time", "level", "logger", "message", "pid"]

    public init(label: String) { self.label = label }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, source: String,
                    file: String, function: String, line: UInt) {
        var record: [String: Any] = [:]
        // A metadata key named like a fixed field keeps its value under "metadata.<key>".
        for (key, value) in metadata.merging(explicit ?? [:], uniquingKeysWith: { _, new in new }) {
            record[Self.fixed.contains(key) ? "metadata." + key : key] = Self.json(value)
        }
        record["time"] = Timestamp.format(Date())
        record["level"] = level.rawValue
        record["logger"] = label
        record["message"] = message.description
        record["pid"] = Int(Self.pid)
        guard let data = try? JSONSerialization.data(withJSONObject: record, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        // A log line that cannot be written (a full disk) is dropped, as the text handler's fwrite drops it; never a crash.
        Self.lock.withLock { try? FileHandle.standardError.write(contentsOf: data + Data([0x0A])) }
    }

    /// A metadata value as JSON: strings stay strings (a number logged as text stays text), lists and dictionaries nest.
    static func json(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let s): s
        case .stringConvertible(let c): c.description
        case .array(let items): items.map(json)
        case .dictionary(let d): d.mapValues(json)
        }
    }
}
