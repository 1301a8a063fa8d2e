import Foundation

/// One accepted connection of a loopback test server: buffered reads and whole writes, each bounded by a timeout.
final class LoopbackStream {
    private let fd: Int32
    private var buffer: [UInt8] = []
    /// The limit on each wait for bytes.
    let timeoutMs: Int32

    init(fd: Int32, timeoutMs: Int32 = 10_000) {
        self.fd = fd
        self.timeoutMs = timeoutMs
    }

    /// Reads more bytes into the buffer; false on end of stream, error or timeout.
    private func fill() -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&entry, 1, timeoutMs) > 0 else { return false }
        var chunk = [UInt8](repeating: 0, count: 4096)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
        guard n > 0 else { return false }
        buffer.append(contentsOf: chunk[0..<n])
        return true
    }

    /// The bytes before the next `terminator`, which is consumed; nil if the stream ends first or `limit` is passed.
    func read(until terminator: [UInt8], limit: Int = 1 << 20) -> [UInt8]? {
        var searchFrom = 0
        while true {
            if buffer.count >= terminator.count {
                for i in searchFrom...(buffer.count - terminator.count) where buffer[i..<(i + terminator.count)].elementsEqual(terminator) {
                    let found = Array(buffer[0..<i])
                    buffer.removeFirst(i + terminator.count)
                    return found
                }
                searchFrom = buffer.count - terminator.count + 1
            }
            guard buffer.count <= limit, fill() else { return nil }
        }
    }

    /// One line without its CRLF; nil at the end of the stream.
    func readLine() -> String? {
        read(until: [13, 10]).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Exactly `count` bytes; nil if the stream ends first.
    func read(count: Int) -> [UInt8]? {
        while buffer.count < count {
            guard fill() else { return nil }
        }
        let bytes = Array(buffer[0..<count])
        buffer.removeFirst(count)
        return bytes
    }

    /// Writes all of `text`; false if the peer went away.
    @discardableResult
    func write(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, $0.count - offset, LoopbackSocket.noSignal) }
            guard n > 0 else { return false }
            offset += n
        }
        return true
    }
}
