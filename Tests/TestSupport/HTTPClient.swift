import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP exchange's answer.
public struct HTTPReply: Sendable {
    public let status: Int
    /// Header names lowercased.
    public let headers: [String: String]
    public let body: Data

    public var text: String { String(decoding: body, as: UTF8.self) }
    public var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any]) ?? [:] }
    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// A real HTTP client (URLSession) for the tests that drive `petition-api`: no cookie jar, no redirects followed, so
/// every test says exactly what it sends.
public final class HTTPClient: @unchecked Sendable {
    public let base: String
    /// Sent as `Authorization: Bearer …` when set.
    public var token: String?
    private let session: URLSession

    public init(base: String, token: String? = nil) {
        self.base = base
        self.token = token
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.timeoutIntervalForRequest = 30
        session = URLSession(configuration: configuration)
    }

    /// `method path` with `json` as the body (or `body` as it is), and `headers`.
    @discardableResult
    public func send(_ method: String, _ path: String, json: Any? = nil, body: Data? = nil, headers: [String: String] = [:]) throws -> HTTPReply {
        guard let url = URL(string: base + path) else { throw TestSystemError("not a URL: \(base + path)") }
        var request = URLRequest(url: url)
        request.httpMethod = method
        if let token, headers["Authorization"] == nil { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        } else if let body {
            request.httpBody = body
        }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let box = ReplyBox()
        let done = DispatchSemaphore(value: 0)
        session.dataTask(with: request) { data, response, error in
            box.set(data, response as? HTTPURLResponse, error)
            done.signal()
        }.resume()
        guard done.wait(timeout: .now() + 40) == .success else { throw TestSystemError("no answer to \(method) \(path) within 40 s") }
        if let error = box.error { throw TestSystemError("\(method) \(path): \(error)") }
        guard let response = box.response else { throw TestSystemError("\(method) \(path): no response") }
        var headers: [String: String] = [:]
        for (name, value) in response.allHeaderFields {
            if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
        }
        return HTTPReply(status: response.statusCode, headers: headers, body: box.data ?? Data())
    }

    public func get(_ path: String, headers: [String: String] = [:]) throws -> HTTPReply { try send("GET", path, headers: headers) }
    @discardableResult
    public func post(_ path: String, _ json: Any, headers: [String: String] = [:]) throws -> HTTPReply { try send("POST", path, json: json, headers: headers) }

    private final class ReplyBox: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var data: Data?
        private(set) var response: HTTPURLResponse?
        private(set) var error: (any Error)?
        func set(_ data: Data?, _ response: HTTPURLResponse?, _ error: (any Error)?) {
            lock.lock(); self.data = data; self.response = response; self.error = error; lock.unlock()
        }
    }
}
