import Foundation
import Messaging
import Testing
import TestSupport
import ZeroMQ

/// One client flooding the single writer neither delays another client's command nor grows the gateway without bound:
/// what it cannot hold is answered `overloaded`, and the memory a flood took is given back once its clients leave.
@Suite(.serialized)
struct GatewayFloodTests {
    /// The gateway's resident memory, in MiB.
    private func residentMiB(_ pid: Int32) -> Int {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) / 1024
    }

    @Test func aFloodingClientGetsOverloadedWhileAnotherClientsCommandIsAnsweredPromptly() throws {
        let system = try TestSystem()
        try system.startGateway()
        let pid = try #require(system.gateway?.pid)
        let context = try ZMQContext()
        defer { context.terminate() }
        let flooder = try context.socket(.dealer)
        defer { flooder.close() }
        try flooder.setHighWaterMarks(send: 100_000, receive: 100_000)
        try flooder.setMaxMessageSize(64 << 20)
        try flooder.pin(try system.pin())
            try flooder.connect(system.endpoints.commands)
        let legit = try context.socket(.dealer)
        defer { legit.close() }
        try legit.setMaxMessageSize(64 << 20)
        try legit.pin(try system.pin())
        try legit.connect(system.endpoints.commands)

        // 60 KB commands, each parsed before it is refused (title too long): work the writer must do.
        let padding = String(repeating: "đ", count: 30_000)
        func floodBody(_ i: Int) -> [UInt8] {
            Array(#"{"type":"session.open","commandId":"flood-\#(i)","unit":"X","title":"\#(padding)","chair":"C"}"#.utf8)
        }
        var sent = 0
        var replies = 0
        var overloaded = 0
        func drainFlooder() throws {
            while let frames = try flooder.receive(dontWait: true) {
                replies += 1
                if let body = frames.last, String(decoding: body, as: UTF8.self).contains("\"overloaded\"") { overloaded += 1 }
            }
        }
        for _ in 0..<1500 {
            if try flooder.send([[], floodBody(sent)], dontWait: true) { sent += 1 }
        }
        try drainFlooder()

        // While the flood is in progress, a legitimate command.
        try system.registerCommune("Xã Bình Thành")
        try system.person("C")
        let body = try JSONSerialization.data(withJSONObject: TestSystem.wire(TestSystem.command("session.open", ["unit": "Xã Bình Thành", "title": "T", "chair": "C"])))
        let start = Date()
        #expect(try legit.send([[], Array(body)]))
        var answer: [String: Any]?
        while answer == nil, Date().timeIntervalSince(start) < 10 {
            for _ in 0..<20 {
                if try flooder.send([[], floodBody(sent)], dontWait: true) { sent += 1 }
            }
            try drainFlooder()
            if try ZMQPoll.readable([legit], timeoutMs: 10)[0], let frames = try legit.receive(), let reply = frames.last {
                answer = try JSONSerialization.jsonObject(with: Data(reply)) as? [String: Any]
            }
        }
        let waited = Date().timeIntervalSince(start)
        #expect(answer?["ok"] as? Bool == true, "\(answer ?? [:])")
        #expect(waited < 2, "the legitimate command waited \(waited) s")
        #expect(replies < sent, "the flood was still in progress when the legitimate reply came (\(replies) of \(sent) answered)")

        // The flooder is told what was not taken; the gateway's memory stays bounded.
        let deadline = Date().addingTimeInterval(20)
        while replies < sent, Date() < deadline {
            _ = try ZMQPoll.readable([flooder], timeoutMs: 100)
            try drainFlooder()
        }
        #expect(overloaded > 0, "\(overloaded) overloaded of \(replies) replies to \(sent) commands")
        #expect(residentMiB(pid) < 400, "gateway resident \(residentMiB(pid)) MiB after a flood of \(sent * 60 / 1024) MiB")
    }

    @Test func theMemoryAFloodTookIsGivenBackOnceItsClientsLeave() throws {
        let system = try TestSystem()
        try system.startGateway()
        let pid = try #require(system.gateway?.pid)
        try system.send("session.open", ["unit": "Xã Bình Thành", "title": "Trước", "chair": "C"]) // the writer has committed once
        let baseline = residentMiB(pid)

        // Eight connections, each with more 60 KB commands in flight than the gateway holds for it: its queues, libzmq's
        // and the parsing of what it decides take their fill.
        let context = try ZMQContext()
        defer { context.terminate() }
        let padding = String(repeating: "đ", count: 30_000)
        var flooders: [ZMQSocket] = []
        defer { for f in flooders { f.close() } }
        for _ in 0..<8 {
            let flooder = try context.socket(.dealer)
            try flooder.setHighWaterMarks(send: 100_000, receive: 100_000)
            try flooder.setMaxMessageSize(64 << 20)
            try flooder.pin(try system.pin())
            try flooder.connect(system.endpoints.commands)
            flooders.append(flooder)
        }
        var sent = 0
        var replies = 0
        for round in 0..<600 {
            for (n, flooder) in flooders.enumerated() {
                let body = #"{"type":"session.open","commandId":"flood-\#(n)-\#(round)","unit":"X","title":"\#(padding)","chair":"C"}"#
                if try flooder.send([[], Array(body.utf8)], dontWait: true) { sent += 1 }
            }
        }
        var peak = residentMiB(pid)
        let deadline = Date().addingTimeInterval(60)
        while replies < sent, Date() < deadline {
            _ = try ZMQPoll.readable(flooders, timeoutMs: 100)
            for flooder in flooders { while try flooder.receive(dontWait: true) != nil { replies += 1 } }
            peak = max(peak, residentMiB(pid))
        }
        #expect(replies == sent, "every command answered: \(replies) of \(sent)")

        // They leave; the gateway gives back what the flood took (glibc keeps freed heap unless trimmed).
        for flooder in flooders { flooder.close() }
        var resident = residentMiB(pid)
        let settled = Date().addingTimeInterval(10)
        while resident > baseline + 40, Date() < settled {
            usleep(200_000)
            resident = residentMiB(pid)
        }
        #expect(peak > baseline + 80, "the flood took memory (\(baseline) MiB before it, \(peak) MiB at its height): else this proves nothing")
        #expect(resident <= baseline + 40, "gateway resident \(resident) MiB after the flood left: \(baseline) MiB before it, \(peak) MiB at its height")
        try system.send("session.open", ["unit": "Xã Bình Thành", "title": "Sau", "chair": "C"]) // and it still serves
    }
}
