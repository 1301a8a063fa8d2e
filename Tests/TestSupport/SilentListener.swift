import Foundation

/// A loopback port that takes connections into its backlog but never accepts or answers them: a black hole for timeout tests.
public final class SilentListener: @unchecked Sendable {
    private let lock = NSLock()
    private var fd: Int32
    /// The port it listens on.
    public let port: Int
    /// The address it listens on.
    public let host: String

    /// Listens on `host`, on a port the kernel picks.
    public init(host: String = "127.0.0.1") throws {
        (fd, port) = try LoopbackSocket.listen(host: host, backlog: 16)
        self.host = host
    }

    deinit { stop() }

    /// "http://127.0.0.1:<port><path>".
    public func url(path: String = "/alerts") -> String { "http://\(LoopbackSocket.authority(host, port))\(path)" }

    /// Closes the socket (connections in the backlog are reset). Safe to call twice.
    public func stop() {
        lock.withLock {
            if fd >= 0 {
                close(fd)
                fd = -1
            }
        }
    }
}
