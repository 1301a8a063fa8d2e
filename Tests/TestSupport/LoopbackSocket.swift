import Foundation

/// A failure setting up a loopback test server.
public struct LoopbackServerError: Error, CustomStringConvertible {
    public let description: String

    static func errno(_ what: String) -> Self { .init(description: "\(what): \(String(cString: strerror(Foundation.errno)))") }
}

/// Socket calls shared by the loopback test servers: bind an ephemeral port, accept with a timeout.
enum LoopbackSocket {
    /// `SOCK_STREAM` as an Int32.
    #if os(Linux)
    static let stream = Int32(SOCK_STREAM.rawValue)
    static let noSignal = Int32(MSG_NOSIGNAL)
    #else
    static let stream = SOCK_STREAM
    static let noSignal: Int32 = 0
    #endif

    /// A listening socket on `host` (a numeric address such as "127.0.0.1" or "::1"), port 0; and the port the kernel chose.
    static func listen(host: String, backlog: Int32 = 64) throws -> (fd: Int32, port: Int) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = stream
        hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, "0", &hints, &list)
        guard rc == 0, let info = list else { throw LoopbackServerError(description: "bad listen address \(host): \(String(cString: gai_strerror(rc)))") }
        defer { freeaddrinfo(info) }
        let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
        guard fd >= 0 else { throw LoopbackServerError.errno("socket") }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        var on: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        guard bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            let error = LoopbackServerError.errno("bind \(host)")
            close(fd)
            throw error
        }
        guard Foundation.listen(fd, backlog) == 0 else {
            let error = LoopbackServerError.errno("listen")
            close(fd)
            throw error
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else {
            let error = LoopbackServerError.errno("getsockname")
            close(fd)
            throw error
        }
        let family = Int32(storage.ss_family)
        let port: UInt16 = withUnsafePointer(to: &storage) { pointer in
            if family == AF_INET6 {
                pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin6_port) }
            } else {
                pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
            }
        }
        return (fd, Int(port))
    }

    /// Waits up to `timeoutMs` for a connection on `fd`; its descriptor, or nil.
    static func accept(_ fd: Int32, timeoutMs: Int32) -> Int32? {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&entry, 1, timeoutMs) > 0 else { return nil }
        let client = Foundation.accept(fd, nil, nil)
        guard client >= 0 else { return nil }
        _ = fcntl(client, F_SETFD, FD_CLOEXEC)
        return client
    }

    /// "host:port", with IPv6 hosts in brackets.
    static func authority(_ host: String, _ port: Int) -> String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
