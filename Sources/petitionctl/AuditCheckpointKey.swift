import ArgumentParser
import Audit
import EventSourcing
import Foundation
import Messaging

/// `petitionctl audit checkpoint-key`: the public key the gateway signs checkpoints with, for an inspector to keep.
struct AuditCheckpointKey: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint-key",
        abstract: "Print the public key the gateway signs checkpoints with (64 hex digits); keep it outside the system for `audit verify --public-key`.")

    @OptionGroup var audit: AuditOptions

    @Flag(name: .long, help: "Print JSON: {\"publicKey\": …, \"file\": …}.")
    var json = false

    func run() throws {
        let files = CheckpointKeyFiles(dataDirectory: audit.dataDir)
        do {
            let key = Hex.encode(try files.loadPublicKey().rawRepresentation)
            if json {
                let data = try JSONSerialization.data(withJSONObject: ["publicKey": key, "file": files.publicKeyPath], options: [.sortedKeys, .withoutEscapingSlashes])
                print(String(decoding: data, as: UTF8.self))
            } else {
                print(key)
            }
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}
