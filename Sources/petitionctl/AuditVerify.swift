import ArgumentParser
import Audit
import Crypto
import EventSourcing
import Foundation
import Messaging

/// `petitionctl audit verify`: recompute the hash chain over the whole log and check its signed checkpoints.
struct AuditVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute the log's hash chain and report the first altered, missing or reordered record, or that it is intact.",
        discussion: """
            Reads the store file directly (read-only), so it works while the system runs and while it is down.
            Exit status: 0 intact; 1 a problem was found (the report names the record); 2 the file cannot be read.
            """)

    @OptionGroup var audit: AuditOptions

    @Option(name: .long, help: "The event log file to verify (default <data-dir>/events.sqlite), e.g. a copy or a backup.")
    var log: String?

    @Option(name: .long, help: ArgumentHelp("Check every checkpoint's signature with this Ed25519 public key (64 hex digits), kept outside the system.",
                                            valueName: "KEY|@FILE"))
    var publicKey: String?

    @Option(name: .long, help: ArgumentHelp("A signed checkpoint kept outside the log (JSON with position, head, publicKey, signature, e.g. `checkpoints.last` of an earlier --json report); repeatable. Reveals records removed from the end.",
                                            valueName: "JSON|@FILE"))
    var checkpoint: [String] = []

    @Flag(name: .long, help: "Print the report as JSON (Schemas/messages/audit-verify-report.json).")
    var json = false

    mutating func validate() throws {
        if let publicKey { _ = try Self.key(publicKey) }
        for text in checkpoint { _ = try Self.checkpoint(text) }
    }

    func run() throws {
        let path = log ?? audit.files.eventLog
        let verifier = ChainVerifier(path: path, publicKey: try publicKey.map(Self.key), outsideCheckpoints: try checkpoint.map(Self.checkpoint))
        var intact = true
        try reportingFailures(json: json) {
            let report = try verifier.run()
            print(json ? report.json : report.text)
            intact = report.isIntact
        }
        if !intact { throw ExitCode(1) }
    }

    /// The text of an option given inline or as `@FILE`.
    static func value(_ text: String, option: String) throws -> String {
        guard text.hasPrefix("@") else { return text }
        let file = String(text.dropFirst())
        guard let contents = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw ValidationError("\(option): cannot read \(file)")
        }
        return contents
    }

    static func key(_ text: String) throws -> Curve25519.Signing.PublicKey {
        guard let key = CheckpointKeyFiles.publicKey(try value(text, option: "--public-key")) else {
            throw ValidationError("--public-key must be an Ed25519 public key as 64 hex digits (what `petitionctl audit checkpoint-key` prints), or @FILE holding one")
        }
        return key
    }

    static func checkpoint(_ text: String) throws -> LogCheckpoint {
        guard let checkpoint = LogCheckpoint(json: try value(text, option: "--checkpoint")) else {
            throw ValidationError("--checkpoint must be a JSON object with position, head, publicKey and signature (or @FILE holding one)")
        }
        return checkpoint
    }
}
