import Foundation

/// Whether something listens at a `tcp://host:port` endpoint, found out within about a second.
///
/// ZeroMQ connects lazily and queues a request until a peer appears, so a CLI
/// that only waited for the reply would learn that the system is down only at
/// its timeout. A plain TCP connect is refused at once when nothing listens.
public enum PortProbe {
    /// Nil when a TCP connection to `endpoint` opens within `timeoutMs`; otherwise why not.
    public static func failure(_ endpoint: String, timeoutMs: Int32 = 1000) -> String? {
        guard endpoint.hasPrefix("tcp://"), let colon = endpoint.lastIndex(of: ":"), let port = UInt16(endpoint[endpoint.index(after: colon)...]) else {
            return nil // not a TCP endpoint: nothing to probe
        }
        let host = String(endpoint[endpoint.index(endpoint.startIndex, offsetBy: 6)..<colon])
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(port.bigEndian)
        guard inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host, &addr.sin_addr) == 1 else { return nil }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        let started = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if started == 0 { return nil }
        guard errno == EINPROGRESS else { return "the connection was refused" }
        var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        guard poll(&pfd, 1, timeoutMs) == 1 else { return "no connection within \(timeoutMs) ms" }
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
        return error == 0 ? nil : "the connection was refused"
    }
}
