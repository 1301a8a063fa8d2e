import Foundation

/// A real HTTP/1.1 server on a loopback port that records each request and answers per a switchable behaviour.
///
/// Another process can reach it at `url(path:)`. One request per connection; every reply says `Connection: close`.
public final class LoopbackHTTPServer: @unchecked Sendable {
    /// How the server answers.
    public enum Behaviour: Sendable, Hashable {
        /// 204 No Content.
        case ok
        /// This status for every request.
        case fail(status: Int)
        /// 503 for the first `n` requests after this behaviour was set, 204 after.
        case failFirst(Int)
    }

    /// One request as received.
    public struct Request: Sendable, Hashable {
        /// "POST".
        public let method: String
        /// The request target, e.g. "/alerts".
        public let path: String
        /// The headers in order, names as sent.
        public let headers: [Header]
        /// The body bytes.
        public let body: [UInt8]

        /// The value of the first header called `name` (any case).
        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        /// The body as UTF-8 text.
        public var bodyText: String { String(decoding: body, as: UTF8.self) }
    }

    /// One header line.
    public struct Header: Sendable, Hashable {
        public let name: String
        public let value: String
    }

    private let condition = NSCondition()
    private var recorded: [Request] = []
    private var current: Behaviour
    private var countAtSwitch = 0
    private var listener: LoopbackListener!

    /// Starts listening on `host` ("127.0.0.1" or "::1"), on a port the kernel picks.
    public init(host: String = "127.0.0.1", behaviour: Behaviour = .ok) throws {
        current = behaviour
        listener = try LoopbackListener(host: host) { [weak self] stream in self?.serve(stream) }
    }

    deinit { listener?.stop() }

    /// The port it listens on.
    public var port: Int { listener.port }
    /// The address it listens on.
    public var host: String { listener.host }

    /// "http://127.0.0.1:<port><path>".
    public func url(path: String = "/alerts") -> String { "http://\(LoopbackSocket.authority(host, port))\(path)" }

    /// How the next requests are answered; switch it at any time.
    public var behaviour: Behaviour {
        get { condition.withLock { current } }
        set {
            condition.withLock {
                current = newValue
                countAtSwitch = recorded.count
            }
        }
    }

    /// The requests received so far, oldest first.
    public var requests: [Request] { condition.withLock { recorded } }

    /// Waits until at least `count` requests have arrived or `timeout` passes; the requests received by then.
    @discardableResult
    public func waitForRequests(_ count: Int, timeout: Duration = .seconds(5)) -> [Request] {
        let until = Date().addingTimeInterval(timeout.timeInterval)
        condition.lock()
        defer { condition.unlock() }
        while recorded.count < count, condition.wait(until: until) {}
        return recorded
    }

    /// Stops listening and closes open connections.
    public func stop() { listener.stop() }

    private func serve(_ stream: LoopbackStream) {
        guard let head = stream.read(until: Array("\r\n\r\n".utf8), limit: 64 * 1024) else { return }
        let lines = String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = lines[0].split(separator: " ")
        guard requestLine.count == 3, requestLine[2].hasPrefix("HTTP/1.") else {
            stream.write(Self.response(400))
            return
        }
        var headers: [Header] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { stream.write(Self.response(400)); return }
            headers.append(Header(name: String(line[..<colon]), value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        let length = Int(headers.first { $0.name.lowercased() == "content-length" }?.value ?? "0") ?? -1
        guard length >= 0, let body = stream.read(count: length) else { stream.write(Self.response(400)); return }
        let request = Request(method: String(requestLine[0]), path: String(requestLine[1]), headers: headers, body: body)
        let status: Int = condition.withLock {
            recorded.append(request)
            condition.broadcast()
            return switch current {
            case .ok: 204
            case .fail(let status): status
            case .failFirst(let n): recorded.count - countAtSwitch <= n ? 503 : 204
            }
        }
        stream.write(Self.response(status))
    }

    private static func response(_ status: Int) -> String {
        let reasons = [200: "OK", 204: "No Content", 400: "Bad Request", 404: "Not Found", 408: "Request Timeout",
                       429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"]
        let head = "HTTP/1.1 \(status) \(reasons[status] ?? "Status")\r\nServer: loopback-test\r\nConnection: close\r\n"
        return status == 204 ? head + "\r\n" : head + "Content-Length: 0\r\n\r\n"
    }
}
