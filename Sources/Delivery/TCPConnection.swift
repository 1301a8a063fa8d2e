#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One blocking-with-deadline TCP connection on a non-blocking POSIX socket.
///
/// Every call takes a `Deadline` and waits with `poll`, so no step can hang.
/// Not thread-safe: one delivery attempt owns it, then closes it.
final class TCPConnection {
    private var fd: Int32
    /// "host:port" for messages.
    let peer: String

    private init(fd: Int32, peer: String) {
        self.fd = fd
        self.peer = peer
    }

    deinit { close() }

    /// Connects to `host:port`, trying each address getaddrinfo gives (IPv6 and IPv4) until one answers.
    static func open(host: String, port: Int, deadline: Deadline) throws(NetworkError) -> TCPConnection {
        let peer = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = SocketFlags.stream
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            throw .resolve(host, rc == EAI_SYSTEM ? NetworkError.errnoText(errno) : String(cString: gai_strerror(rc)))
        }
        defer { freeaddrinfo(first) }
        var lastError: NetworkError = .connect(peer, errno: ECONNREFUSED)
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry?.pointee {
            entry = info.ai_next
            guard !deadline.hasPassed else { throw .timeout("connecting to", peer, after: deadline.allowed) }
            do throws(NetworkError) {
                return try connect(info, peer: peer, deadline: deadline)
            } catch where error.kind == .timeout {
                throw error
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    private static func connect(_ info: addrinfo, peer: String, deadline: Deadline) throws(NetworkError) -> TCPConnection {
        let fd = socket(info.ai_family, info.ai_socktype, info.ai_protocol)
        guard fd >= 0 else { throw .io("socket for", peer, errno: errno) }
        let connection = TCPConnection(fd: fd, peer: peer)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        guard fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == 0 else { throw .io("fcntl for", peer, errno: errno) }
        SocketFlags.disableSigpipe(fd)
        if posixConnect(fd, info.ai_addr, info.ai_addrlen) == 0 { return connection }
        let code = errno
        guard code == EINPROGRESS || code == EINTR else { throw .connect(peer, errno: code) }
        guard try connection.wait(POLLOUT, deadline: deadline) else { throw .timeout("connecting to", peer, after: deadline.allowed) }
        var soError: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &length) == 0 else { throw .io("getsockopt for", peer, errno: errno) }
        guard soError == 0 else { throw .connect(peer, errno: soError) }
        return connection
    }

    /// Sends all of `bytes` before `deadline`.
    func send(_ bytes: [UInt8], deadline: Deadline) throws(NetworkError) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { buffer in
                posixSend(fd, buffer.baseAddress! + offset, buffer.count - offset, SocketFlags.noSignal)
            }
            if sent > 0 { offset += sent; continue }
            let code = errno
            if sent < 0, code == EINTR { continue }
            guard sent < 0, code == EAGAIN || code == EWOULDBLOCK else { throw .io("sending to", peer, errno: code) }
            guard try wait(POLLOUT, deadline: deadline) else { throw .timeout("sending to", peer, after: deadline.allowed) }
        }
    }

    /// Waits before `deadline` for some bytes and appends them to `buffer`; false when the peer closed the connection.
    func receive(into buffer: inout [UInt8], waitingFor step: String, deadline: Deadline) throws(NetworkError) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let received = chunk.withUnsafeMutableBytes { posixReceive(fd, $0.baseAddress!, $0.count, 0) }
            if received > 0 {
                buffer.append(contentsOf: chunk[0..<received])
                return true
            }
            if received == 0 { return false }
            let code = errno
            if code == EINTR { continue }
            guard code == EAGAIN || code == EWOULDBLOCK else { throw .io("receiving from", peer, errno: code) }
            guard try wait(POLLIN, deadline: deadline) else { throw .timeout("waiting for \(step) from", peer, after: deadline.allowed) }
        }
    }

    /// Closes the socket. Safe to call twice.
    func close() {
        if fd >= 0 {
            _ = posixClose(fd)
            fd = -1
        }
    }

    /// Polls for `events` until `deadline`; false on timeout.
    private func wait(_ events: Int32, deadline: Deadline) throws(NetworkError) -> Bool {
        while true {
            var entry = pollfd(fd: fd, events: Int16(events), revents: 0)
            let ready = poll(&entry, 1, deadline.pollMilliseconds)
            if ready > 0 { return true }
            if ready == 0 {
                if deadline.hasPassed { return false }
                continue
            }
            let code = errno
            guard code == EINTR else { throw .io("polling", peer, errno: code) }
        }
    }
}
