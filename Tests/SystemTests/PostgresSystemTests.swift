import EventSourcing
import Foundation
import Messaging
import Testing
import TestSupport
import ZeroMQ

/// The system on PostgreSQL: the real gateway, projector and audit tools against the tests' PostgreSQL server,
/// and a standby gateway that takes over from a writer killed with -9.
@Suite(.serialized)
struct PostgresSystemTests {
    /// A clerk submitting `count` petitions, pipelined, retrying with the same command ids until each is acknowledged.
    private func startClerk(_ system: TestSystem, count: Int, seconds: TimeInterval = 90) throws -> (CrashRecoveryTests.Clerk, DispatchSemaphore) {
        let session = try #require(try system.request(system.endpoints.commands,
            TestSystem.command("session.open", ["unit": "Xã Vũ Hội", "title": "Đối thoại", "chair": "Bùi Văn K"]))?["id"] as? String)
        let clerk = CrashRecoveryTests.Clerk(endpoint: system.endpoints.commands, curve: try system.pin(), session: session, count: count)
        let done = DispatchSemaphore(value: 0)
        Thread { try? clerk.run(until: Date().addingTimeInterval(seconds)); done.signal() }.start()
        return (clerk, done)
    }

    /// A gateway and a projector on a database of their own on the tests' server.
    private func startOnPostgres(function: String = #function) throws -> (server: PostgresServer, system: TestSystem, address: String) {
        let server = try PostgresServer.require()
        let system = try TestSystem(name: function)
        let address = try server.database()
        system.store = address
        try system.start()
        return (server, system, address)
    }

    @Test func theGatewayAndProjectorRunOnPostgreSQLAndEveryAuditToolReadsItUnchanged() throws {
        let (server, system, address) = try startOnPostgres()
        let (clerk, done) = try startClerk(system, count: 50)
        done.wait()
        #expect(clerk.acknowledgedCount == 50)
        let history = try system.history()
        #expect(try server.psql("SELECT count(*) FROM events", database: String(address.split(separator: "/").last!)) == String(history.count),
                "the gateway's log is the database's events table")
        #expect(!FileManager.default.fileExists(atPath: (system.dataDirectory as NSString).appendingPathComponent("events.sqlite")),
                "no SQLite log is made beside it")
        let view = try system.request(system.endpoints.queries, ["type": "outstanding", "minPosition": history.count, "waitMs": 20_000], timeoutMs: 25_000)
        #expect(view?["count"] as? Int == 50)

        // Personal data is sealed in PostgreSQL too: no citizen's name is in the database in clear.
        let database = String(address.split(separator: "/").last!)
        #expect(try server.psql("SELECT count(*) FROM events WHERE data LIKE '%Công dân crash-1%'", database: database) == "0")

        let verify = try runTool("petitionctl", ["audit", "verify", "--store", address, "--json"])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect((verify.json["head"] as? [String: Any])?["position"] as? Int == history.count)

        let rebuild = try runTool("petitionctl", ["audit", "rebuild", "--store", address, "--data-dir", system.dataDirectory, "--compare", "--json"], timeout: 120)
        #expect(rebuild.status == 0, "\(rebuild.stdout) \(rebuild.stderr)")

        let backup = (system.dataDirectory as NSString).appendingPathComponent("backup.sqlite")
        let backedUp = try runTool("petitionctl", ["audit", "backup", "--store", address, "--out", backup])
        #expect(backedUp.status == 0, "\(backedUp.stderr)")
        let offline = try runTool("petitionctl", ["audit", "verify", "--log", backup, "--json"])
        #expect(offline.status == 0 && (offline.json["head"] as? [String: Any])?["position"] as? Int == history.count,
                "the backup is an SQLite log that verifies offline: \(offline.stdout) \(offline.stderr)")

        let export = try runTool("petitionctl", ["audit", "export", "--store", address, "--format", "jsonl", "--out",
                                                 (system.dataDirectory as NSString).appendingPathComponent("export.jsonl")])
        #expect(export.status == 0, "\(export.stderr)")
        let asOf = try runTool("petitionctl", ["audit", "rebuild", "--store", address, "--as-of", Timestamp.format(Date()), "--json",
                                               "--out", (system.dataDirectory as NSString).appendingPathComponent("as-of.sqlite")], timeout: 120)
        #expect(asOf.status == 0 && asOf.json["position"] as? Int == history.count, "rebuilt as of now: \(asOf.stdout) \(asOf.stderr)")

        // The backup restored into a fresh database verifies there, and the gateway resumes from it.
        let restored = try server.database()
        let restore = try runTool("petitionctl", ["migrate", "--from", backup, "--to", restored, "--json"])
        #expect(restore.status == 0 && restore.json["records"] as? Int == history.count && restore.json["verified"] as? Bool == true,
                "\(restore.stdout) \(restore.stderr)")
        system.gateway?.stop()
        system.store = restored
        try system.startGateway()
        let next = try system.send("petition.submit", ["sessionId": clerk.session, "kind": "report", "category": "culture",
                                                       "content": "Sau khi khôi phục", "citizen": ["name": "Người sau"]])
        #expect((next["position"] as? NSNumber)?.int64Value == Int64(history.count + 1), "the restored log goes on from its head")
    }

    @Test func aStandbyGatewayTakesOverFromAWriterKilledWithMinus9AndNoAcknowledgedCommandIsLostOrDuplicated() throws {
        let (_, system, _) = try startOnPostgres()
        var standby = try system.startStandbyGateway()
        #expect(waitUntil(timeout: 15) { standby.output.contains("standby") }, "the second gateway waits as the standby: \(standby.output)")
        let (clerk, done) = try startClerk(system, count: 600)

        var takeovers: [TimeInterval] = []
        for threshold in [150, 350] {
            #expect(waitUntil(timeout: 60) { clerk.acknowledgedCount >= threshold })
            system.gateway?.kill9()
            let killed = Date()
            let before = clerk.acknowledgedCount
            // The standby takes the lease, binds the same ports and serves: the clerk's retries are acknowledged again.
            #expect(waitUntil(timeout: 30) { standby.output.contains("this gateway is the log's writer") }, "the standby took over: \(standby.output.suffix(1500))")
            takeovers.append(Date().timeIntervalSince(killed))
            #expect(waitUntil(timeout: 30) { clerk.acknowledgedCount > before + 10 }, "commands are acknowledged again after the takeover")
            system.promoteStandby(standby)
            standby = try system.startStandbyGateway() // the killed one comes back as the new standby
            #expect(waitUntil(timeout: 30) { standby.output.contains("standby") }, "\(standby.output.suffix(1500))")
        }
        done.wait()
        #expect(clerk.acknowledgedCount == 600)
        #expect(takeovers.allSatisfy { $0 < 20 }, "takeover within seconds: \(takeovers)")

        let history = try system.history()
        let submitted = history.filter { $0["type"] as? String == "petition.submitted.v3" }
        #expect(submitted.count == 600, "each command appended exactly once")
        #expect(Set(submitted.compactMap { $0["commandid"] as? String }).count == 600)
        let positions = history.compactMap { ($0["position"] as? NSNumber)?.int64Value }
        #expect(positions == Array(1...Int64(history.count)), "positions stay gapless across both takeovers")
        for (id, reply) in clerk.acknowledgements {
            let event = submitted.first { $0["commandid"] as? String == id }
            #expect((event?["position"] as? NSNumber)?.int64Value == (reply["position"] as? NSNumber)?.int64Value, "the acknowledged position is the committed one")
        }
        let view = try system.request(system.endpoints.queries, ["type": "outstanding", "minPosition": history.count, "waitMs": 20_000], timeoutMs: 25_000)
        #expect(view?["count"] as? Int == 600, "the projector converges on the log")
    }

    @Test func migrateCopiesADataFoldersLogIntoPostgreSQLAndTheGatewayGoesOnFromItWithTheSameReplies() throws {
        let server = try PostgresServer.require()
        let system = try TestSystem()
        try system.start() // on SQLite first
        let (clerk, done) = try startClerk(system, count: 40)
        done.wait()
        #expect(clerk.acknowledgedCount == 40)
        let before = try system.history()
        system.gateway?.stop()

        let address = try server.database()
        let migrated = try runTool("petitionctl", ["migrate", "--from", system.dataDirectory, "--to", address, "--json"])
        #expect(migrated.status == 0, "\(migrated.stdout) \(migrated.stderr)")
        #expect(migrated.json["records"] as? Int == before.count && migrated.json["verified"] as? Bool == true)
        #expect(migrated.json["commands"] as? Int ?? 0 >= 41 && migrated.json["keys"] as? Int == 40, "\(migrated.stdout)")
        // The report and the export read the same from the database as from the file it was copied from.
        for read in [["report", "--unit", "Xã Vũ Hội", "--period", "2026", "--format", "json"], ["audit", "export", "--format", "jsonl"]] {
            let fromFile = try runTool("petitionctl", read + ["--data-dir", system.dataDirectory])
            let fromDatabase = try runTool("petitionctl", read + ["--data-dir", system.dataDirectory, "--store", address])
            #expect(fromFile.status == 0 && fromDatabase.status == 0 && !fromFile.stdout.isEmpty, "\(read): \(fromFile.stderr) \(fromDatabase.stderr)")
            #expect(fromDatabase.stdout == fromFile.stdout, "\(read[0]) reads the same from PostgreSQL as from SQLite")
        }
        let again = try runTool("petitionctl", ["migrate", "--from", system.dataDirectory, "--to", address])
        #expect(again.status != 0 && again.stderr.contains("not empty"), "a second migration into the same database is refused: \(again.stderr)")

        system.store = address
        try system.startGateway()
        // A command sent again after the move gets the reply it got before, and nothing is appended.
        let retried = try #require(clerk.acknowledgements["crash-7"])
        let repeatReply = try system.request(system.endpoints.commands, bytes: clerk.body("crash-7"), keys: try system.pin().keys, server: .gateway)
        #expect((repeatReply?["position"] as? NSNumber)?.int64Value == (retried["position"] as? NSNumber)?.int64Value)
        #expect(repeatReply?["id"] as? String == retried["id"] as? String)
        let next = try system.send("petition.submit", ["sessionId": clerk.session, "kind": "report", "category": "culture",
                                                       "content": "Sau khi chuyển sang PostgreSQL", "citizen": ["name": "Người mới"]])
        #expect((next["position"] as? NSNumber)?.int64Value == Int64(before.count + 1), "the log goes on from the copy's head")
        let after = try system.history()
        #expect(Array(after.prefix(before.count)).map { $0["hash"] as? String } == before.map { $0["hash"] as? String })
        let verify = try runTool("petitionctl", ["audit", "verify", "--store", address, "--json"])
        #expect(verify.status == 0 && (verify.json["head"] as? [String: Any])?["position"] as? Int == after.count, "\(verify.stdout) \(verify.stderr)")
    }

    @Test func aWriterWhoseDatabaseSessionIsEndedStopsWith75AndTheStandbyTakesOverWithNothingLost() throws {
        let (server, system, address) = try startOnPostgres()
        let standby = try system.startStandbyGateway()
        #expect(waitUntil(timeout: 15) { standby.output.contains("standby") })
        let (clerk, done) = try startClerk(system, count: 300)
        #expect(waitUntil(timeout: 60) { clerk.acknowledgedCount >= 100 })
        // The writer's own session, the one holding the lease, ended from the database's side.
        let database = String(address.split(separator: "/").last!)
        let ended = try server.psql("""
            SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1
            AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """, database: database)
        #expect(ended == "t", "the writer's session was found by its lease and ended")
        let writer = try #require(system.gateway)
        #expect(waitUntil(timeout: 30) { !writer.isRunning }, "the writer stops once its session is gone")
        #expect(writer.stop() == 75, "with exit code 75: \(writer.output.suffix(800))")
        #expect(writer.output.contains("the writer's session to the log was lost"))
        #expect(waitUntil(timeout: 30) { standby.output.contains("this gateway is the log's writer") }, "\(standby.output.suffix(800))")
        system.promoteStandby(standby)
        done.wait()
        #expect(clerk.acknowledgedCount == 300)
        let submitted = try system.history().filter { $0["type"] as? String == "petition.submitted.v3" }
        #expect(submitted.count == 300 && Set(submitted.compactMap { $0["commandid"] as? String }).count == 300, "each command appended once")
    }
}
