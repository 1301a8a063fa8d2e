import Foundation
import ServiceLifecycle
import ZeroMQ

/// Runs a blocking socket loop on its own thread as a `Service`.
///
/// Sockets are not thread-safe, so each loop owns its sockets on one thread
/// that blocks in `zmq_poll`, never on Swift's cooperative pool. Graceful
/// shutdown or cancellation shuts the context down: the loop's blocking call
/// returns ETERM, it closes its sockets and returns.
public struct LoopService: Service {
    public let name: String
    private let context: ZMQContext
    private let body: @Sendable () throws -> Void

    public init(name: String, context: ZMQContext, body: @escaping @Sendable () throws -> Void) {
        self.name = name
        self.context = context
        self.body = body
    }

    public func run() async throws {
        let context = self.context
        let body = self.body
        let name = self.name
        try await withGracefulShutdownHandler {
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
                    let thread = Thread {
                        do {
                            try body()
                            continuation.resume()
                        } catch {
                            continuation.resume(throwing: error)
                        }
                    }
                    thread.name = name
                    thread.stackSize = 8 << 20
                    thread.start()
                }
            } onCancel: {
                context.shutdown()
            }
        } onGracefulShutdown: {
            context.shutdown()
        }
    }
}

/// Ends the group gracefully when the parent process is gone (a supervisor killed with -9).
public struct ParentWatchService: Service {
    private let parent: Int32

    public init(parent: Int32) { self.parent = parent }

    public func run() async throws {
        while getppid() == parent {
            do { try await Task.sleep(for: .milliseconds(500)) } catch { return }
            if Task.isShuttingDownGracefully { return }
        }
    }
}
