import Delivery
import Foundation
import Testing

@Suite("FileSink: one JSON line per alert in a log file")
struct FileSinkTests {
    private func temporaryPath() -> String {
        NSTemporaryDirectory() + "delivery-\(UUID().uuidString)/alerts.jsonl"
    }

    @Test("each delivery appends a line that parses back to the alert plus deliveredAt; the file is created 0640")
    func appendsLines() throws {
        let path = temporaryPath()
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let sink = try FileSink(path: path, now: { Date(timeIntervalSince1970: 1_740_787_200.25) })
        let first = sampleAlert(id: "A1")
        let second = sampleAlert(id: "A2", body: "dòng 1\ndòng 2")
        #expect(sink.deliver(first) == .delivered(detail: "file \(path)"))
        #expect(sink.deliver(second).isDelivered)

        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3 && lines[2].isEmpty, "two lines, each ending with a newline")
        let decoded = try lines.prefix(2).map { try JSONDecoder().decode(Alert.self, from: Data($0.utf8)) }
        #expect(decoded == [first, second])
        let fields = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(fields["deliveredAt"] as? String == "2025-03-01T00:00:00.250Z")
        #expect(lines[0].hasPrefix("{\"alertId\":\"A1\",\"body\":"))

        let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        #expect(mode & 0o777 == 0o640 & ~Int(Self.umask))
    }

    @Test("a missing folder is retryable (it may be mounted later); a directory as the path is permanent")
    func failures() throws {
        let missing = try FileSink(path: temporaryPath())
        #expect(missing.deliver(sampleAlert()).isRetryable)
        let directory = try FileSink(path: NSTemporaryDirectory() + ".")
        let outcome = directory.deliver(sampleAlert())
        #expect(outcome == .permanent(reason: outcome.text), "\(outcome)")
    }

    @Test("many threads delivering at once write whole lines that never interleave")
    func concurrentLines() throws {
        let path = temporaryPath()
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let sink = try FileSink(path: path)
        DispatchQueue.concurrentPerform(iterations: 40) { i in _ = sink.deliver(sampleAlert(id: "C\(i)")) }
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        let ids = try lines.map { try JSONDecoder().decode(Alert.self, from: Data($0.utf8)).alertId }
        #expect(Set(ids) == Set((0..<40).map { "C\($0)" }))
    }

    /// The process umask, which the kernel applies to the 0640 asked for.
    static var umask: mode_t {
        let current = Foundation.umask(0)
        _ = Foundation.umask(current)
        return current
    }
}
