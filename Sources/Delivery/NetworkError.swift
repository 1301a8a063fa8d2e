#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A network failure while talking to a receiver; always worth a retry.
struct NetworkError: Error, CustomStringConvertible {
    enum Kind { case resolve, connect, timeout, closed, io, protocolViolation }

    let kind: Kind
    let message: String

    var description: String { message }

    /// The host name could not be resolved.
    static func resolve(_ host: String, _ why: String) -> Self { .init(kind: .resolve, message: "cannot resolve \(host): \(why)") }
    /// No address of the peer took the connection.
    static func connect(_ peer: String, errno code: Int32) -> Self {
        .init(kind: .connect, message: "cannot connect to \(peer): \(errnoText(code))")
    }
    /// The step did not finish in time.
    static func timeout(_ step: String, _ peer: String, after allowed: Duration) -> Self {
        .init(kind: .timeout, message: "timed out after \(allowed.secondsText) \(step) \(peer)")
    }
    /// The peer closed the connection early.
    static func closed(_ peer: String, _ step: String) -> Self {
        .init(kind: .closed, message: "\(peer) closed the connection \(step)")
    }
    /// A socket call failed.
    static func io(_ operation: String, _ peer: String, errno code: Int32) -> Self {
        .init(kind: .io, message: "\(operation) \(peer) failed: \(errnoText(code))")
    }

    /// The peer does not speak the expected protocol.
    static func protocolViolation(_ peer: String, _ why: String) -> Self { .init(kind: .protocolViolation, message: "\(peer): \(why)") }

    static func errnoText(_ code: Int32) -> String { String(cString: strerror(code)) }
}
