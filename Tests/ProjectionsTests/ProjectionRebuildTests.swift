import EventSourcing
import EventStoreSQLite
import Foundation
import GRDB
import Messaging
import PetitionDomain
import Projections
import Testing

/// A rebuild from the log file (whole log folded as one batch, written in one go) gives the projector's rows.
struct ProjectionRebuildTests {
    /// A folder removed at the end.
    final class Folder {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rebuild-\(UUID().uuidString.prefix(8))")
        init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(at: url) }
        func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    }

    @Test("a rebuild from the log file gives, at the head and at every earlier position, the rows the projector's batches give")
    func rebuildEqualsTheIncrementalFold() throws {
        let folder = try Folder()
        let events = try ReadModelBatchingTests.log(path: folder.path("events.sqlite"))
        let log = try EventLogFile(path: folder.path("events.sqlite"))
        #expect(try log.head() == Int64(events.count))
        for position in [Int64(events.count), 1, 9, Int64(events.count) - 3] {
            let live = try OutstandingReadModel(path: ":memory:")
            var start = 0
            let prefix = Array(events.prefix(Int(position)))
            for size in [2, 5, 1, 3] where start < prefix.count {
                try live.apply(Array(prefix[start..<min(prefix.count, start + size)]))
                start += size
            }
            if start < prefix.count { try live.apply(Array(prefix[start...])) }
            let out = folder.path("rebuilt-\(position).sqlite")
            let summary = try ProjectionRebuild.rebuild(log, through: position, into: out)
            #expect(summary.position == position && summary.events == position)
            let rebuilt = try OutstandingReadModel(readingFrom: out)
            #expect(try ReadModelBatchingTests.dump(rebuilt) == ReadModelBatchingTests.dump(live), "at position \(position)")
        }
    }

    @Test("a rebuild refuses to write over an existing file, and a position beyond the log")
    func rebuildRefusesExistingFilesAndMissingPositions() throws {
        let folder = try Folder()
        _ = try ReadModelBatchingTests.log(path: folder.path("events.sqlite"))
        let log = try EventLogFile(path: folder.path("events.sqlite"))
        let out = folder.path("out.sqlite")
        FileManager.default.createFile(atPath: out, contents: Data("keep".utf8))
        #expect(throws: RebuildError.self) { try ProjectionRebuild.rebuild(log, through: 3, into: out) }
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "keep")
        #expect(throws: RebuildError.self) { try ProjectionRebuild.rebuild(log, through: try log.head() + 1, into: folder.path("beyond.sqlite")) }
        #expect(!FileManager.default.fileExists(atPath: folder.path("beyond.sqlite")))
        #expect(throws: RebuildError.self) { try EventLogFile(path: folder.path("missing.sqlite")) }
    }

    @Test("a rebuild of a log holding an event type this version does not know stops, naming the record, instead of folding without it")
    func anUnknownEventTypeStopsTheRebuild() throws {
        let folder = try Folder()
        let events = try ReadModelBatchingTests.log(path: folder.path("events.sqlite"))
        let store = try SQLiteEventStore(path: folder.path("events.sqlite"))
        let future = NewEvent(id: UUID().uuidString, type: "petition.teleported.v9", occurredAt: Date(), data: #"{"petitionId":"P000001"}"#,
                              metadata: EventMetadata(actor: "chair/Trần Văn A", commandId: "c-future"))
        _ = try store.append(AppendBatch(appends: [StreamAppend(stream: StreamName(category: "petition", id: "P000001"), expectedVersion: .any, events: [future])]),
                             recordedAt: Date())
        try store.close()
        let log = try EventLogFile(path: folder.path("events.sqlite"))
        let error = try #require(throws: RebuildError.self) { try ProjectionRebuild.rebuild(log, through: try log.head(), into: folder.path("out.sqlite")) }
        #expect(error.description.contains("position \(events.count + 1)") && error.description.contains("petition.teleported.v9"), "\(error)")
        // Up to the record before it, the rebuild is whole.
        #expect(try ProjectionRebuild.rebuild(log, through: Int64(events.count), into: folder.path("before.sqlite")).position == Int64(events.count))
    }

    @Test("a petition rebuilt as of an earlier position shows the holder it had then, with its chain of hands so far")
    func petitionAsOfAnEarlierPosition() throws {
        let folder = try Folder()
        let events = try ReadModelBatchingTests.log(path: folder.path("events.sqlite"))
        let log = try EventLogFile(path: folder.path("events.sqlite"))
        // P1 was reassigned to Phạm Văn D at the first reassignment; before it, Lê Văn C held it.
        let reassigned = try #require(events.first { if case .petition(.reassigned(let r))? = $0.event { r.petitionId == "P1" } else { false } })
        let before = try #require(try ProjectionRebuild.petition("P1", in: log, through: reassigned.position - 1))
        let view = try #require(try before.petition("P1", now: TestLog.time("2026-04-27T08:00:00+07:00")))
        #expect(view.status == "referred" && view.holder == "Lê Văn C")
        #expect(try before.custody(of: "P1", now: Date()).map(\.holder) == ["Trần Văn A", "Lê Văn C"])
        #expect(try before.checkpoint() == reassigned.position - 1)
        let after = try #require(try ProjectionRebuild.petition("P1", in: log, through: reassigned.position))
        #expect(try after.petition("P1", now: Date())?.holder == "Phạm Văn D")
        #expect(try ProjectionRebuild.petition("P3", in: log, through: 3) == nil, "P3 was not recorded yet")
    }

    @Test("session statistics count each petition once, under the status it has now, and by kind and category")
    func sessionStatistics() throws {
        let model = try OutstandingReadModel(path: ":memory:")
        try model.apply(try ReadModelBatchingTests.log())
        let report = try model.sessions(SessionsQuery())
        #expect(report.total == 1)
        let s = try #require(report.items.first)
        #expect(s.sessionId == "S1" && s.chair == TestLog.chair && s.heldAt == "2026-03-19T01:00:00.000Z")
        #expect(s.counts.petitions == 4)
        #expect(s.counts.byStatus == ["submitted": 0, "answered": 0, "referred": 1, "resolved": 1, "reopened": 0, "withdrawn": 1, "merged": 1])
        #expect(s.counts.outstanding == 1)
        #expect(s.counts.byKind == ["recommendation": 4] && s.counts.byCategory == ["land": 4])
        #expect(report.totals.sessions == 1 && report.totals.counts == s.counts)
        #expect(try model.sessions(SessionsQuery(unit: "Xã Khác")).total == 0)
        #expect(try model.sessions(SessionsQuery(from: TestLog.time("2026-03-19T08:00:00+07:00"))).total == 1, "from is inclusive")
        #expect(try model.sessions(SessionsQuery(to: TestLog.time("2026-03-19T08:00:00+07:00"))).total == 0, "to is exclusive")
    }
}

extension ProjectionRebuildTests {
    @Test("the projector's incremental path from a log file (petition-bench replay) applies every record and gives the rebuild's rows")
    func incrementalRunFromALogFile() throws {
        let folder = try Folder()
        let events = try ReadModelBatchingTests.log(path: folder.path("events.sqlite"))
        let model = try OutstandingReadModel(path: folder.path("projections.sqlite"))
        try ProjectionRebuild.run(from: try SQLiteEventLog(path: folder.path("events.sqlite")), into: model, batch: 4)
        #expect(try model.checkpoint() == Int64(events.count))
        _ = try ProjectionRebuild.rebuild(try EventLogFile(path: folder.path("events.sqlite")), through: Int64(events.count), into: folder.path("r.sqlite"))
        #expect(try ReadModelBatchingTests.dump(model) == ReadModelBatchingTests.dump(try OutstandingReadModel(readingFrom: folder.path("r.sqlite"))))
    }
}
