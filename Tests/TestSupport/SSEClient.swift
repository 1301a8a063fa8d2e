import Foundation

/// A Server-Sent Events client over a plain TCP socket on loopback: sends one `GET` and reads the chunked
/// `text/event-stream` it answers, event by event, as a browser's `EventSource` would.
public final class SSEClient {
    /// One event: `id`, `event` and `data` lines.
    public struct Event: Sendable {
        public var id: String?
        public var type: String?
        public var data: String
        /// The data as a JSON object.
        public var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(data.utf8))) as? [String: Any] ?? [:] }
    }

    private let fd: Int32
    private var raw: [UInt8] = []
    private var body: [UInt8] = []
    /// The response's status and headers, once read.
    public private(set) var status = 0
    public private(set) var headers: [String: String] = [:]
    /// Comment lines seen (keep-alives).
    public private(set) var comments = 0

    /// Connects to `127.0.0.1:port` and asks for `path` with `headers`.
    public init(port: Int, path: String, headers extra: [String: String]) throws {
        fd = socket(AF_INET, LoopbackSocket.stream, 0)
        guard fd >= 0 else { throw LoopbackServerError.errno("socket") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard rc == 0 else { let e = LoopbackServerError.errno("connect \(port)"); Foundation.close(fd); throw e }
        var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept: text/event-stream\r\n"
        for (k, v) in extra { request += "\(k): \(v)\r\n" }
        request += "\r\n"
        let bytes = Array(request.utf8)
        guard bytes.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, LoopbackSocket.noSignal) }) == bytes.count else {
            throw LoopbackServerError.errno("send")
        }
    }

    deinit { Foundation.close(fd) }

    /// Closes the connection (the server sees the client go).
    public func close() { shutdown(fd, Int32(SHUT_RDWR)) }

    /// Reads until the headers have come; the status.
    @discardableResult
    public func readHead(timeout: TimeInterval = 10) throws -> Int {
        let deadline = Date().addingTimeInterval(timeout)
        while status == 0 {
            if let end = find([13, 10, 13, 10], in: raw) {
                let lines = String(decoding: raw[..<end], as: UTF8.self).components(separatedBy: "\r\n")
                status = Int(lines.first?.split(separator: " ").dropFirst().first ?? "") ?? -1
                for line in lines.dropFirst() {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
                raw.removeFirst(end + 4)
                break
            }
            guard try fill(until: deadline) else { throw LoopbackServerError(description: "no response head within \(timeout) s") }
        }
        return status
    }

    /// The next `count` events, waiting up to `timeout` in all; fewer when time ran out or the stream ended.
    public func events(_ count: Int, timeout: TimeInterval = 10) throws -> [Event] {
        try readHead(timeout: timeout)
        let deadline = Date().addingTimeInterval(timeout)
        var found: [Event] = []
        while found.count < count {
            decodeChunks()
            if let event = nextEvent() { if let event { found.append(event) }; continue }
            guard try fill(until: deadline) else { break }
        }
        return found
    }

    /// Reads what the socket has, waiting until `deadline`; false when nothing more came.
    private func fill(until deadline: Date) throws -> Bool {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ms = Int32(max(0, deadline.timeIntervalSinceNow * 1000))
        guard poll(&p, 1, ms) > 0 else { return false }
        var buffer = [UInt8](repeating: 0, count: 65536)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return false }
        raw += buffer[..<n]
        return true
    }

    /// Moves whole chunks of the chunked body from `raw` to `body`.
    private func decodeChunks() {
        if headers["transfer-encoding"]?.lowercased() != "chunked" { body += raw; raw = []; return }
        while let lineEnd = find([13, 10], in: raw) {
            let sizeText = String(decoding: raw[..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else { return }
            guard raw.count >= lineEnd + 2 + size + 2 else { return }
            body += raw[(lineEnd + 2)..<(lineEnd + 2 + size)]
            raw.removeFirst(lineEnd + 2 + size + 2)
        }
    }

    /// The next event in `body`: .some(nil) for a block with no data (a comment, a `retry:`), nil when none is whole yet.
    private func nextEvent() -> Event?? {
        guard let end = find([10, 10], in: body) else { return nil }
        let block = String(decoding: body[..<end], as: UTF8.self)
        body.removeFirst(end + 2)
        var event = Event(id: nil, type: nil, data: "")
        var hasData = false
        for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(":") { comments += 1; continue }
            if line.hasPrefix("id: ") { event.id = String(line.dropFirst(4)) }
            if line.hasPrefix("event: ") { event.type = String(line.dropFirst(7)) }
            if line.hasPrefix("data: ") { event.data += (hasData ? "\n" : "") + line.dropFirst(6); hasData = true }
        }
        return .some(hasData ? event : nil)
    }

    private func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if Array(haystack[i..<(i + needle.count)]) == needle { return i }
        }
        return nil
    }
}
