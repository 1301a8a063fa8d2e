import CZeroMQ

/// A libzmq failure, with its errno and libzmq's own text.
public struct ZMQError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The errno libzmq reported.
    public let code: Int32
    /// What was being done.
    public let operation: String

    public init(code: Int32, operation: String) {
        self.code = code
        self.operation = operation
    }

    /// The error of the last failed libzmq call on this thread.
    static func last(_ operation: String) -> ZMQError { ZMQError(code: zmq_errno(), operation: operation) }

    /// The context was shut down: the owning loop should close its sockets and end.
    public var isTerminated: Bool { code == czmq_eterm() }
    /// A non-blocking call had nothing to do.
    public var isWouldBlock: Bool { code == czmq_eagain() }
    /// A signal interrupted a blocking call; retry it.
    public var isInterrupted: Bool { code == czmq_eintr() }

    public var description: String { "\(operation): \(String(cString: zmq_strerror(code)))" }
}
