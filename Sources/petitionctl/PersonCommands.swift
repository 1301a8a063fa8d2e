import ArgumentParser
import Foundation
import Messaging
import Runtime

/// `petitionctl person …`: a citizen's personal data.
struct PersonGroup: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "person", abstract: "Citizens' personal data.", subcommands: [ForgetPerson.self])
}

/// Crypto-shredding: the person's key is destroyed, so their name, address and phone can no longer be read anywhere,
/// while every petition, answer, referral and escalation stays and the chain still verifies.
struct ForgetPerson: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forget",
        abstract: "Erase a citizen's name, address and phone for good (their key is destroyed); what the state did stays in the log.")

    @Argument(help: "The person id (`personId` in `petitionctl show P --json`). Or give --petition.") var personId: String?
    @Option(help: "Forget the citizen who raised this petition.") var petition: String?
    @Option(help: "Why: the request or decision it follows.") var reason: String
    @Option(help: "Who decided it.") var by: String
    @OptionGroup var write: WriteOptions
    @OptionGroup var options: ClientOptions

    func validate() throws {
        guard (personId == nil) != (petition == nil) else { throw ValidationError("give either a person id or --petition P") }
    }

    func run() throws {
        try perform(options) { client in
            var person = personId ?? ""
            if let petition {
                let reply = try client.query(["type": "petition.get", "petitionId": petition])
                guard let id = (reply["petition"] as? [String: Any])?["personId"] as? String else {
                    throw CLIError("petition \(petition) has no citizen on record")
                }
                person = id
            }
            let reply = try client.command(try write.request(Commands.ForgetPerson(personId: person, by: by, reason: reason)))
            return (reply, "forgot person \(person): their key is destroyed at position \(reply["position"] ?? "")")
        }
    }
}
