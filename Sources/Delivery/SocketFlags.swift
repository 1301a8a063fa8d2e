#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The few socket constants that differ between Linux and Darwin.
enum SocketFlags {
    #if os(Linux)
    /// `SOCK_STREAM` as an Int32.
    static let stream = Int32(SOCK_STREAM.rawValue)
    /// Flags for `send`: never raise SIGPIPE.
    static let noSignal = Int32(MSG_NOSIGNAL)
    /// Nothing to do on Linux: `MSG_NOSIGNAL` covers each send.
    static func disableSigpipe(_ fd: Int32) {}
    #else
    static let stream = SOCK_STREAM
    static let noSignal: Int32 = 0
    /// Darwin has no MSG_NOSIGNAL; the socket option does the same.
    static func disableSigpipe(_ fd: Int32) {
        var on: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &on, socklen_t(MemoryLayout<Int32>.size))
    }
    #endif
}

// Free functions, so that methods named connect/send/close do not shadow the C calls.

func posixConnect(_ fd: Int32, _ address: UnsafePointer<sockaddr>!, _ length: socklen_t) -> Int32 { connect(fd, address, length) }
func posixSend(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int, _ flags: Int32) -> Int { send(fd, bytes, count, flags) }
func posixReceive(_ fd: Int32, _ bytes: UnsafeMutableRawPointer, _ count: Int, _ flags: Int32) -> Int { recv(fd, bytes, count, flags) }
func posixClose(_ fd: Int32) -> Int32 { close(fd) }
