import Crypto
import Foundation

/// The log's tamper evidence: hash(n) = SHA-256(hash(n−1) ‖ canonical bytes of record n).
///
/// Canonical bytes are the record's fields as stored, each length-prefixed,
/// so no two different records share them.
public enum HashChain {
    /// The hash before the first record: 32 zero bytes.
    public static let genesis = Data(repeating: 0, count: 32)

    /// The hash of a record that follows `previous`.
    public static func hash(previous: Data, position: Int64, stream: String, streamVersion: Int64, id: String,
                            type: String, occurredAtMillis: Int64, recordedAtMillis: Int64,
                            data: String, metadata: EventMetadata) -> Data {
        var hasher = SHA256()
        hasher.update(data: previous)
        var buffer = [UInt8]()
        buffer.reserveCapacity(256 + data.utf8.count)
        func int(_ v: Int64) { withUnsafeBytes(of: v.bigEndian) { buffer.append(contentsOf: $0) } }
        func text(_ s: String) { int(Int64(s.utf8.count)); buffer.append(contentsOf: s.utf8) }
        int(position); text(stream); int(streamVersion); text(id); text(type)
        int(occurredAtMillis); int(recordedAtMillis); text(data)
        text(metadata.actor); text(metadata.commandId); text(metadata.correlationId); text(metadata.causationId)
        hasher.update(data: buffer)
        return Data(hasher.finalize())
    }

    /// The hash `event` should carry given the hash before it.
    public static func hash(of event: RecordedEvent, previous: Data) -> Data {
        hash(previous: previous, position: event.position, stream: event.stream.description,
             streamVersion: event.streamVersion, id: event.id, type: event.type,
             occurredAtMillis: Timestamp.millis(event.occurredAt), recordedAtMillis: Timestamp.millis(event.recordedAt),
             data: event.data, metadata: event.metadata)
    }

    /// The result of checking a run of records.
    public enum Verdict: Equatable, Sendable {
        case intact(records: Int64, head: Data)
        /// The first record at which the chain breaks, and why.
        case broken(position: Int64, reason: String)
    }

    /// Verifies records in position order, starting after `previous` at `expectedPosition`.
    public struct Verifier: Sendable {
        public private(set) var previous: Data
        public private(set) var nextPosition: Int64
        public private(set) var count: Int64 = 0

        public init(previous: Data = HashChain.genesis, startPosition: Int64 = 1) {
            self.previous = previous
            self.nextPosition = startPosition
        }

        /// Checks one record; returns the reason when it breaks the chain.
        public mutating func check(_ event: RecordedEvent) -> Verdict? {
            if event.position != nextPosition {
                return .broken(position: nextPosition, reason: event.position > nextPosition
                    ? "record \(nextPosition) is missing (next found is \(event.position))"
                    : "record \(event.position) is out of order (expected \(nextPosition))")
            }
            if event.previousHash != previous {
                return .broken(position: event.position, reason: "previous-hash link does not match record \(event.position - 1)")
            }
            let expected = HashChain.hash(of: event, previous: previous)
            if expected != event.hash {
                return .broken(position: event.position, reason: "record \(event.position) was altered (hash mismatch)")
            }
            previous = event.hash
            nextPosition += 1
            count += 1
            return nil
        }
    }
}
