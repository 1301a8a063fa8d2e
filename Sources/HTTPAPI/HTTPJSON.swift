import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// JSON in and out of HTTP.
enum HTTPJSON {
    /// The largest request body read (a petition's content is at most 10,000 characters).
    static let maxBody = 1 << 20

    /// The request's body as a JSON object: `application/json`, at most ``maxBody`` bytes.
    static func object(_ request: Request) async throws -> [String: Any] {
        if let type = request.headers[.contentType], !type.lowercased().hasPrefix("application/json") {
            throw Problem(.unsupportedMediaType, code: "bad_request", "send the body as application/json, not \(type)")
        }
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: maxBody) } catch {
            throw Problem(.contentTooLarge, code: "too_large", "the body is over \(maxBody) bytes")
        }
        guard buffer.readableBytes > 0 else { throw Problem.badRequest("send a JSON object as the body") }
        let parsed: Any
        do { parsed = try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) } catch {
            throw Problem.badRequest("the body is not JSON: \(error.localizedDescription)")
        }
        guard let object = parsed as? [String: Any] else { throw Problem.badRequest("the body must be a JSON object") }
        return object
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
