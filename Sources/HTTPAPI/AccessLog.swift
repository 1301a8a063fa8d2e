import Hummingbird
import Logging

/// The outermost middleware: every refusal leaves as problem+json, and each request is logged: method, path (never the query, which may hold a search text), status and duration. No
/// body, header or personal data is ever logged.
struct AccessLog: RouterMiddleware {
    typealias Context = APIRequestContext
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        func log(_ status: Int) {
            let ms = (ContinuousClock.now - started).components
            let millis = Double(ms.seconds) * 1000 + Double(ms.attoseconds) / 1e15
            logger.info("request", metadata: ["http.method": "\(request.method.rawValue)", "http.path": "\(request.uri.path)",
                                              "http.status": "\(status)", "http.ms": "\(Int(millis))"])
        }
        do {
            let response = try await next(request, context)
            log(response.status.code)
            return response
        } catch let problem as Problem {
            log(problem.status.code)
            throw problem
        } catch let error as HTTPError {
            // Hummingbird's own refusals (no such route, a body it cannot read) as problem+json too.
            log(error.status.code)
            throw Problem(error.status, code: error.status == .notFound ? "not_found" : "bad_request",
                          error.body ?? (error.status == .notFound ? "no such resource: \(request.method.rawValue) \(request.uri.path)" : error.status.reasonPhrase))
        } catch let error as any HTTPResponseError {
            log(error.status.code)
            throw error
        } catch {
            log(500)
            logger.error("request failed", metadata: ["http.path": "\(request.uri.path)", "error": "\(error)"])
            throw Problem(.internalServerError, code: "internal", "the request could not be answered; it was logged")
        }
    }
}
