import Foundation

/// A TCP listener on a loopback address whose accept loop runs on its own thread, one thread per connection.
///
/// `stop()` ends the accept loop, wakes every open connection and closes the listening socket.
final class LoopbackListener: @unchecked Sendable {
    /// The address it listens on.
    let host: String
    /// The port the kernel chose.
    let port: Int
    private let fd: Int32
    private let handler: @Sendable (LoopbackStream) -> Void
    private let lock = NSLock()
    private var stopping = false
    private var clients: Set<Int32> = []
    private let finished = DispatchSemaphore(value: 0)

    /// Listens on `host`, port 0, and starts accepting; `handler` serves each connection on its own thread.
    init(host: String, handler: @escaping @Sendable (LoopbackStream) -> Void) throws {
        (fd, port) = try LoopbackSocket.listen(host: host)
        self.host = host
        self.handler = handler
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "loopback-accept-\(port)"
        thread.start()
    }

    private var isStopping: Bool { lock.withLock { stopping } }

    private func acceptLoop() {
        while !isStopping {
            guard let client = LoopbackSocket.accept(fd, timeoutMs: 50) else { continue }
            let admitted = lock.withLock {
                if stopping { return false }
                clients.insert(client)
                return true
            }
            guard admitted else { close(client); continue }
            let thread = Thread { [self] in
                handler(LoopbackStream(fd: client))
                lock.withLock {
                    clients.remove(client)
                    close(client)
                }
            }
            thread.name = "loopback-conn-\(port)"
            thread.start()
        }
        close(fd)
        finished.signal()
    }

    /// Stops accepting, shuts down open connections, and closes the socket. Safe to call twice.
    func stop() {
        let first = lock.withLock {
            defer { stopping = true }
            for client in clients { shutdown(client, Int32(SHUT_RDWR)) }
            return !stopping
        }
        if first { _ = finished.wait(timeout: .now() + 5) }
    }
}
