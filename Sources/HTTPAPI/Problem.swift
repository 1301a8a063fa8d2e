import Foundation
import HTTPTypes
import Hummingbird
import PetitionDomain

/// An error answer as RFC 9457 `application/problem+json`: the HTTP status, a stable `code` (the gateway's own
/// error codes, ``ErrorCode``, or the API's: `unauthenticated`, `locked`, `precondition_required`), a title and a
/// detail that says what is wrong. No personal data is ever put in one.
public struct Problem: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var detail: String
    /// Seconds after which a retry may succeed (`Retry-After`).
    public var retryAfter: Int?

    public init(_ status: HTTPResponse.Status, code: String, _ detail: String, retryAfter: Int? = nil) {
        self.status = status
        self.code = code
        self.detail = detail
        self.retryAfter = retryAfter
    }

    /// The problem for a gateway or projector error reply (`{"code","message"}`).
    public init(wire code: String, message: String) {
        self.init(Self.status(of: ErrorCode(rawValue: code)), code: code, message)
        if status == .serviceUnavailable || status == .tooManyRequests { retryAfter = 1 }
    }

    public static func unauthenticated(_ detail: String = "log in first: POST /api/v1/login, then send the session cookie or the bearer token") -> Problem {
        Problem(.unauthorized, code: "unauthenticated", detail)
    }
    public static func badRequest(_ detail: String, code: ErrorCode = .badRequest) -> Problem { Problem(.badRequest, code: code.rawValue, detail) }
    public static func invalid(_ field: String, _ detail: String) -> Problem {
        Problem(.unprocessableContent, code: ErrorCode.invalidValue.rawValue, "field \"\(field)\" \(detail)")
    }
    public static func notFound(_ detail: String) -> Problem { Problem(.notFound, code: ErrorCode.notFound.rawValue, detail) }
    public static func unavailable(_ detail: String) -> Problem { Problem(.serviceUnavailable, code: ErrorCode.unavailable.rawValue, detail, retryAfter: 1) }

    /// The HTTP status that carries each of the gateway's codes.
    static func status(of code: ErrorCode?) -> HTTPResponse.Status {
        switch code {
        case .badRequest?, .unknownType?: .badRequest
        case .tooLarge?: .contentTooLarge
        case .missingField?, .wrongType?, .invalidValue?, .invalidInput?, .deadlineBeforeReferral?, .extensionTooLong?,
             .extensionNotAllowed?, .noCalendar?, .notRegistered?, .commandIdConflict?:
            .unprocessableContent
        case .sessionNotFound?, .petitionNotFound?, .personNotFound?, .notFound?, .alertNotFound?: .notFound
        case .notPermitted?, .notHolder?, .outOfScope?: .forbidden
        case .invalidTransition?, .sessionAlreadyExists?, .petitionAlreadyExists?, .feedbackAlreadyRecorded?, .alreadyAccepted?,
             .escalationNotDue?, .alreadyEscalated?, .alreadyDelivered?, .alreadyForgotten?, .alreadyRegistered?:
            .conflict
        case .erased?: .gone
        case .versionMismatch?: .preconditionFailed
        case .overloaded?: .tooManyRequests
        case .unavailable?, .notApplied?, .notRunning?: .serviceUnavailable
        case .invalidConfiguration?, nil: .internalServerError
        }
    }

    /// The problem document.
    public var json: [String: Any] {
        ["type": "https://petition-followup.example/problems/\(code)", "title": status.reasonPhrase, "status": status.code,
         "code": code, "detail": detail]
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"petition-api\"" }
        let data = (try? JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
