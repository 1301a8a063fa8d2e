import Foundation
import HTTPTypes
import Hummingbird
import Messaging
import NIOCore

/// JSON in and out of HTTP.
enum HTTPJSON {
    /// The largest request body read: the gateway's limit for a command (64 KiB; a petition's content is at most
    /// 10,000 characters), so a body too large for the gateway is refused here at once, never sent.
    static let maxBody = JSONFields.maxBodySize

    /// The request's body as a JSON object: `application/json`, at most ``maxBody`` bytes.
    static func object(_ request: Request) async throws -> [String: Any] {
        if let type = request.headers[.contentType], !isJSON(type) {
            throw Problem(.unsupportedMediaType, code: "bad_request", "send the body as application/json, not \(type)")
        }
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: maxBody) } catch {
            throw Problem(.contentTooLarge, code: "too_large", "the body is over \(maxBody) bytes, the most a command may carry")
        }
        guard buffer.readableBytes > 0 else { throw Problem.badRequest("send a JSON object as the body") }
        let parsed: Any
        do { parsed = try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) } catch {
            throw Problem.badRequest("the body is not JSON: \(error.localizedDescription)")
        }
        guard let object = parsed as? [String: Any] else { throw Problem.badRequest("the body must be a JSON object") }
        return object
    }

    /// Whether a Content-Type is JSON: `application/json` or a `+json` type, with any parameters (`; charset=utf-8`).
    static func isJSON(_ contentType: String) -> Bool {
        let media = contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return media == "application/json" || (media.hasPrefix("application/") && media.hasSuffix("+json"))
    }

    /// A path parameter as the client meant it: percent-decoded (`P%30%30…` is `P00…`).
    static func decoded(_ segment: String) -> String {
        segment.removingPercentEncoding ?? segment
    }

    /// An `application/x-www-form-urlencoded` body's fields (`+` is a space, percent-escapes decoded).
    static func form(_ bytes: Data) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in String(decoding: bytes, as: UTF8.self).split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String { String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s) }
            fields[decode(kv[0])] = kv.count > 1 ? decode(kv[1]) : ""
        }
        return fields
    }

    /// A JSON response.
    static func response(_ object: Any, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension HTTPField.Name {
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    static let lastEventID = HTTPField.Name("Last-Event-ID")!
    static let link = HTTPField.Name("Link")!
}
