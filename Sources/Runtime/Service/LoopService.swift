import Foundation
import ServiceLifecycle
import ZeroMQ

/// Runs a process's blocking socket loops, each on its own thread, as one `Service`.
///
/// Sockets are not thread-safe, so each loop owns its sockets on one thread
/// that blocks in `zmq_poll`, never on Swift's cooperative pool. The loops
/// share one context, so they are one service: graceful shutdown or
/// cancellation shuts the context down, every blocking call returns ETERM,
/// each loop closes its sockets and returns, and the service ends when all have.
public struct LoopService: Service {
    private let context: ZMQContext
    private let loops: [(name: String, body: @Sendable () throws -> Void)]

    public init(context: ZMQContext, loops: [(name: String, body: @Sendable () throws -> Void)]) {
        self.context = context
        self.loops = loops
    }

    public func run() async throws {
        let context = self.context
        let loops = self.loops
        try await withGracefulShutdownHandler {
            try await withTaskCancellationHandler {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for loop in loops {
                        group.addTask { try await Self.runOnThread(name: loop.name, loop.body) }
                    }
                    do {
                        // The first loop to end, by error or not, ends the others.
                        try await group.next()
                        context.shutdown()
                        try await group.waitForAll()
                    } catch {
                        context.shutdown()
                        try? await group.waitForAll()
                        throw error
                    }
                }
            } onCancel: {
                context.shutdown()
            }
        } onGracefulShutdown: {
            context.shutdown()
        }
    }

    private static func runOnThread(name: String, _ body: @escaping @Sendable () throws -> Void) async throws {
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
