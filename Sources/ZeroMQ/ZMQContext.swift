import CZeroMQ

/// A libzmq context. Thread-safe: sockets are made from it on the thread that owns them.
///
/// Shut down in libzmq's order: ``shutdown()`` (blocking calls return ETERM),
/// each owner closes its sockets, then ``terminate()``.
public final class ZMQContext: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer

    /// Creates a context with `ioThreads` background I/O threads.
    public init(ioThreads: Int32 = 1) throws(ZMQError) {
        guard let h = zmq_ctx_new() else { throw ZMQError.last("zmq_ctx_new") }
        handle = h
        zmq_ctx_set(h, ZMQ_IO_THREADS, ioThreads)
        zmq_ctx_set(h, ZMQ_BLOCKY, 0)
    }

    /// Makes every blocking call on this context's sockets return ETERM; safe from any thread.
    public func shutdown() {
        zmq_ctx_shutdown(handle)
    }

    /// Waits until every socket is closed, then frees the context. Call once.
    public func terminate() {
        while zmq_ctx_term(handle) != 0 {
            if zmq_errno() != czmq_eintr() { break }
        }
    }

    /// Opens a socket of `type`; it belongs to the thread that uses it.
    public func socket(_ type: ZMQSocketType) throws(ZMQError) -> ZMQSocket {
        try ZMQSocket(context: self, type: type)
    }
}
