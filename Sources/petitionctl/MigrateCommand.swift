import ArgumentParser
import Audit
import EventSourcing
import EventStorePostgres
import EventStoreSQLite
import Foundation
import PetitionDomain
import Runtime

/// `petitionctl migrate`: moves a data folder's SQLite log into PostgreSQL, whole, and verifies it there.
struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy a data folder's event log (or an SQLite log file, e.g. a backup) into an empty PostgreSQL database, and verify its chain there.",
        discussion: """
            Every record is copied as stored (positions, hashes, sealed personal data), with the commands' replies and \
            the people's keys (still wrapped under the data folder's keys/personal-data.key: run the gateway with the same \
            data folder, or PETITION_KEK). The chain is checked while copying and verified again in PostgreSQL; the copy \
            is one transaction, so a failure leaves the database as it was. The gateway of the data folder must be stopped.
            """)

    @Option(help: "The data folder (or an events.sqlite file) to copy from.") var from: String
    @Option(help: "The PostgreSQL database to copy into, postgresql://user@host:port/database (its log must be empty).") var to: String
    @Flag(help: "Print machine-readable JSON.") var json = false

    func validate() throws {
        do { _ = try PostgresLocation(to) } catch { throw ValidationError("--to: \(error.message)") }
    }

    struct Summary: Encodable {
        var from: String, to: String
        var records: Int64
        var commands: Int, keys: Int
        var verified: Bool
        var headHash: String
    }

    func run() throws {
        try reportingFailures(json: json) {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: from, isDirectory: &isFolder) else {
                throw CLIError("no data folder or log file at \(from)", exitCode: 2, code: .unavailable)
            }
            // No gateway may write the folder's log while it is copied.
            let lock = isFolder.boolValue ? try WriterLock(directory: from) : nil
            defer { lock?.release() }
            let file = isFolder.boolValue ? AuditFiles(dataDirectory: from).eventLog : from
            let source = try AuditFiles.openLog(file)
            let target = try PostgresLogCopy(try PostgresLocation(to))
            let copied = try LogCopy.copy(from: source, to: target)
            let report = try ChainVerifier(path: to).run()
            let summary = Summary(from: file, to: target.location.description, records: copied.head, commands: copied.commands,
                                  keys: copied.keys, verified: report.isIntact && report.records == copied.head,
                                  headHash: Hex.encode(report.headHash))
            guard summary.verified else {
                throw CLIError("the log was copied into \(summary.to) but does not verify there: \(report.headline)", exitCode: 1, code: .unavailable)
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: try encoder.encode(summary), as: UTF8.self))
            } else {
                print("đã chuyển \(Numerals.vietnamese(Int(copied.head))) bản ghi, \(summary.commands) lệnh, \(summary.keys) khoá vào \(summary.to); chuỗi băm nguyên vẹn (\(summary.headHash))")
                print("copied \(copied.head) records, \(summary.commands) command replies and \(summary.keys) keys into \(summary.to); the chain verifies there (head \(summary.headHash))")
            }
        }
    }
}
