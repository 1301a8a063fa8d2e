import Foundation
import ZeroMQ

/// Runs `body` with a fresh context, terminated afterwards (sockets must be closed by then).
func withContext<T>(_ body: (ZMQContext) throws -> T) throws -> T {
    let context = try ZMQContext()
    defer { context.terminate() }
    return try body(context)
}

/// Waits up to `timeoutMs` for a message; nil if none came.
func receive(_ socket: ZMQSocket, timeoutMs: Int = 5_000) throws -> [[UInt8]]? {
    guard try ZMQPoll.readable([socket], timeoutMs: timeoutMs)[0] else { return nil }
    return try socket.receive(dontWait: true)
}

/// A socket bound to a free loopback port, and the endpoint it got.
func bindLoopback(_ socket: ZMQSocket) throws -> String {
    try socket.bind("tcp://127.0.0.1:*")
    guard let endpoint = socket.lastEndpoint else { throw ZMQError(code: 0, operation: "no last endpoint") }
    return endpoint
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// A value set on one thread and read on another.
final class Box<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var _value: Value?

    var value: Value? {
        get { lock.withLock { _value } }
        set { lock.withLock { _value = newValue } }
    }
}
