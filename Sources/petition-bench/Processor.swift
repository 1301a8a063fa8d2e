import ArgumentParser
import EventSourcing
import EventStoreSQLite
import Foundation
import Messaging
import PetitionDomain
import Runtime

/// The gateway's decision core alone (parse → decide → group commit), no network: where intake's time goes.
struct ProcessorScenario: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "processor", abstract: "Commands/s of parse + decide + durable group commit, in process.")

    @Option(help: "Commands to process.") var commands = 100_000
    @Option(help: "Commands per group commit.") var batch = 1024
    @Flag(inversion: .prefixedNo, help: "Decide each batch while earlier ones commit, as the gateway does.") var pipelined = true

    func run() throws {
        let folder = try temporaryFolder("processor")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteEventStore(path: folder.appendingPathComponent("events.sqlite").path)
        let processor = try CommandProcessor(store: store)
        let open = #"{"type":"session.open","commandId":"s","unit":"Xã Bình Thành","title":"Đối thoại","chair":"Trần Văn A"}"#
        guard let opened = processor.handle([Self.parse(Array(open.utf8))]).replies.first, opened.contains(#""ok":true"#) else {
            throw ValidationError("the session was not opened")
        }
        let bodies = (0..<commands).map { i in
            Array(#"{"type":"petition.submit","commandId":"c\#(i)","sessionId":"S000001","kind":"recommendation","category":"land","content":"Cấp giấy chứng nhận quyền sử dụng đất chậm \#(i)","citizen":{"name":"Nguyễn Thị B","address":"ấp Tây Huề","phone":"0900000000"}}"#.utf8)
        }
        var parseNanos: UInt64 = 0, handleNanos: UInt64 = 0
        var start = 0
        var outcomes: [CommandProcessor.Outcome] = []
        while start < bodies.count {
            let t0 = Stats.now()
            let requests = bodies[start..<min(start + batch, bodies.count)].map(Self.parse)
            let t1 = Stats.now()
            // As the gateway does: each batch is decided while the one before it commits.
            outcomes += pipelined ? processor.submit(requests).finished : [processor.handle(requests)]
            handleNanos += Stats.now() - t1
            parseNanos += t1 - t0
            start += batch
        }
        let t2 = Stats.now()
        outcomes += processor.flush()
        handleNanos += Stats.now() - t2
        let accepted = outcomes.reduce(0) { $0 + $1.replies.lazy.filter { $0.contains(#""ok":true"#) }.count } // off the clock
        guard accepted == commands else { throw ValidationError("\(accepted) of \(commands) submits were accepted") }
        let total = Double(parseNanos + handleNanos) / 1e9
        emit([
            "scenario": "processor",
            "commands": commands, "batch": batch, "pipelined": pipelined,
            "commandsPerSecond": Stats.round(Double(commands) / total, 0),
            "microsecondsPerCommand": ["parse": Stats.round(Double(parseNanos) / Double(commands) / 1000, 1),
                                       "decideAndCommit": Stats.round(Double(handleNanos) / Double(commands) / 1000, 1)],
        ])
    }

    private static let clerk = Actor(id: "clerk", role: .clerk)

    @Sendable private static func parse(_ body: [UInt8]) -> Result<CommandRequest, WireError> {
        do {
            let (type, fields) = try RequestBody.parse(body)
            var request = try CommandRequest(type: type, fields: fields)
            // A command message names no actor; an in-process caller of the processor says who acts itself.
            request.actor = Self.clerk
            return .success(request)
        } catch {
            return .failure(error)
        }
    }
}
