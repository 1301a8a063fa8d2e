import ArgumentParser
import EventSourcing
import Foundation
import Messaging
import PetitionDomain
import Projections
import Runtime

/// Options of the read commands: ask the running projector, or answer from a read model file.
struct ReadOptions: ParsableArguments {
    @Option(name: .long, help: "Answer from this read model file (one `audit rebuild` wrote, or a copy) instead of the running projector.")
    var readModel: String?

    @Option(name: .long, help: "Judge what is overdue as of this time (RFC 3339 or YYYY-MM-DD) instead of now.")
    var now: String?

    /// The `now` member of a query, when given.
    func nowMember() throws -> String? { try now.map { try TimeInput.parse($0, option: "--now") } }
}

/// Where a read command's queries go: the projector's socket, or ``ReadModelQueries`` on a file (the same code the projector runs).
struct QueryTarget {
    private let client: CLIClient?
    private let file: (queries: ReadModelQueries, position: Int64)?
    private let now: String?

    init(_ options: ClientOptions, _ read: ReadOptions) throws {
        now = try read.nowMember()
        if let path = read.readModel {
            let model: OutstandingReadModel
            do { model = try OutstandingReadModel(readingFrom: path) } catch let error as RebuildError { throw CLIError(error.description) }
            file = (ReadModelQueries(model: model), try model.checkpoint())
            client = nil
        } else {
            client = try options.client()
            file = nil
        }
    }

    /// Sends a query (with `now` added when given) and returns the reply; a refusal is a ``CLIError``.
    func query(_ body: [String: Any]) throws -> [String: Any] {
        var body = body
        if let now { body["now"] = now }
        guard let file else { return try client!.query(body) }
        body.removeValue(forKey: "waitMs")
        let request = try JSONSerialization.data(withJSONObject: body)
        let bytes = file.queries.reply(to: Array(request), position: file.position, now: Date())
        guard let reply = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw CLIError("the read model gave no answer")
        }
        if reply["ok"] as? Bool != true {
            let error = reply["error"] as? [String: Any]
            throw CLIError((error?["message"] as? String) ?? "the query was refused", exitCode: 1, code: (error?["code"] as? String).flatMap(ErrorCode.init(rawValue:)))
        }
        return reply
    }
}

/// Runs a read command against the projector or a read model file, printing its result or a one-line error.
func performRead(_ options: ClientOptions, _ read: ReadOptions, _ action: (QueryTarget) throws -> (json: Any, text: String)) throws {
    do {
        let (json, text) = try action(try QueryTarget(options, read))
        print(options.json ? CLIClient.json(json) : text)
    } catch let error as CLIError {
        throw failed(error, json: options.json)
    }
}
