#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// Delivers alerts by appending one JSON line each to a log file: the alert's fields plus `deliveredAt`.
///
/// The file is created with mode 0640 if missing, opened for append, and synced with
/// `fsync` before the alert counts as delivered. One line is one `write`, and writers in
/// this process take turns, so lines never interleave.
public final class FileSink: AlertSink {
    /// The log file.
    public let path: String
    public let name: String
    private let now: @Sendable () -> Date
    private let turn = Mutex(())

    /// A sink appending to `path`; `now` stamps `deliveredAt`.
    public init(path: String, name: String? = nil, now: @escaping @Sendable () -> Date = { Date() }) throws(DeliveryError) {
        guard !path.isEmpty, !path.hasSuffix("/") else { throw .invalidOption("the alert log path \"\(path)\"", "must name a file") }
        self.path = path
        self.name = name ?? "file \(path)"
        self.now = now
    }

    /// Appends and syncs one line; retryable on IO errors, permanent when the path can never be a file.
    public func deliver(_ alert: Alert) -> DeliveryOutcome {
        let line = Self.line(alert, deliveredAt: now())
        return turn.withLock { _ in append(line) }
    }

    /// The JSON line for `alert`: its fields and `deliveredAt`, sorted keys, ending with "\n".
    static func line(_ alert: Alert, deliveredAt: Date) -> [UInt8] {
        let record = Record(alert: alert, deliveredAt: DateText.rfc3339(deliveredAt))
        return ((try? Array(Alert.encoder.encode(record))) ?? []) + [10]
    }

    private func append(_ line: [UInt8]) -> DeliveryOutcome {
        var fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        var created = false
        if fd < 0, errno == ENOENT {
            fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, mode_t(0o640))
            created = true
        }
        guard fd >= 0 else { return failure("cannot open", errno) }
        defer { _ = close(fd) }
        var offset = 0
        while offset < line.count {
            let written = line.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                return failure("cannot write to", errno)
            }
            offset += written
        }
        guard fsync(fd) == 0 else { return failure("cannot sync", errno) }
        if created { syncFolder() }
        return .delivered(detail: "file \(path)")
    }

    /// Syncs the folder holding a new log file, so the file's name survives a crash too.
    private func syncFolder() {
        let folder = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        let fd = open(folder.isEmpty ? "/" : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        _ = close(fd)
    }

    /// A path that is a directory, or under something that is not one, never works; everything else may pass.
    private func failure(_ what: String, _ code: Int32) -> DeliveryOutcome {
        let reason = "\(what) alert log \(path): \(String(cString: strerror(code)))"
        return [EISDIR, ENOTDIR, ENAMETOOLONG, ELOOP, EINVAL].contains(code) ? .permanent(reason: reason) : .retryable(reason: reason)
    }

    /// One log line: the alert's fields, and when it was written.
    private struct Record: Encodable {
        let alert: Alert
        let deliveredAt: String

        private enum Keys: String, CodingKey { case deliveredAt }

        func encode(to encoder: Encoder) throws {
            try alert.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(deliveredAt, forKey: .deliveredAt)
        }
    }
}
