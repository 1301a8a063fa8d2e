import ArgumentParser
import Foundation
import Runtime

/// Sends one follow-up command on a petition and prints what happened.
private func followUp(_ type: String, petition: String, fields: [String: Any], write: WriteOptions, options: ClientOptions,
                      done: @escaping ([String: Any]) -> String) throws {
    try perform(options) { client in
        var body = try write.envelope(type: type)
        body["petitionId"] = petition
        for (k, v) in fields { body[k] = v }
        let reply = try client.command(body)
        return (reply, done(reply) + " at position \(reply["position"] ?? "")")
    }
}

struct Feedback: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Record the citizen's feedback on an on-site answer or a resolution; an unsatisfied answer makes the petition outstanding again.")

    @Argument(help: "The petition id.") var petition: String
    @Flag(help: "The citizen was satisfied.") var satisfied = false
    @Flag(help: "The citizen was not satisfied.") var unsatisfied = false
    @Option(help: "What the citizen said.") var comment: String = ""
    @OptionGroup var write: WriteOptions
    @OptionGroup var options: ClientOptions

    func validate() throws {
        guard satisfied != unsatisfied else { throw ValidationError("say either --satisfied or --unsatisfied") }
    }

    func run() throws {
        let ok = satisfied
        try followUp("petition.feedback", petition: petition, fields: ["satisfied": ok, "comment": comment], write: write, options: options) { _ in
            "recorded \(ok ? "satisfied" : "unsatisfied") feedback on petition \(petition)"
        }
    }
}

struct Accept: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The holding department accepts a referred petition (as department_officer, with --actor-department).")

    @Argument(help: "The petition id.") var petition: String
    @OptionGroup var write: WriteOptions
    @OptionGroup var options: ClientOptions

    func run() throws {
        try followUp("petition.accept", petition: petition, fields: [:], write: write, options: options) { _ in "accepted petition \(petition)" }
    }
}

struct Extend: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Extend a referral's deadline by a recorded decision, within the deadline policy's limits.")

    @Argument(help: "The petition id.") var petition: String
    @Option(help: "Who approved the extension.") var approver: String
    @Option(help: "The decision's reference, e.g. \"Quyết định 12/QĐ-UBND\".") var decision: String
    @Option(help: "The new deadline, YYYY-MM-DD (default: one extension as long as the policy allows).") var deadline: String?
    @OptionGroup var write: WriteOptions
    @OptionGroup var options: ClientOptions

    func run() throws {
        var fields: [String: Any] = ["approver": approver, "decision": decision]
        if let deadline { fields["deadline"] = deadline }
        try followUp("petition.extend", petition: petition, fields: fields, write: write, options: options) { reply in
            "extended petition \(petition) to \(reply["deadline"] ?? "")"
        }
    }
}

struct Reassign: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Hand a referred petition to another department or official.")

    @Argument(help: "The petition id.") var petition: String
    @Option(name: .customLong("to"), help: "The department that will hold it.") var department: String
    @Option(help: "The official in charge.") var assignee: String
    @Option(help: "Why.") var reason: String
    @OptionGroup var write: WriteOptions
    @OptionGroup var options: ClientOptions

    func run() throws {
        try followUp("petition.reassign", petition: petition, fields: ["department": department, "assignee": assignee, "reason": reason],
                     write: write, options: options) { _ in "reassigned petition \(petition) to \(assignee) (\(department))" }
    }
}

struct Reopen: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Reopen an answered or resolved petition; it waits for a referral again.")

    @Argument(help: "The petition id.") var petition: String
    @Option(help: "Why.") var reason: String
    @OptionGroup var write: WriteOptions
    @OptionGroup var options: ClientOptions

    func run() throws {
        try followUp("petition.reopen", petition: petition, fields: ["reason": reason], write: write, options: options) { _ in "reopened petition \(petition)" }
    }
}

struct Note: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a note on a petition (a call, a visit, a paper filed): shown in its history, its status unchanged.")

    @Argument(help: "The petition id.") var petition: String
    @Option(help: "The note.") var text: String
    @OptionGroup var write: WriteOptions
    @OptionGroup var options: ClientOptions

    func run() throws {
        try followUp("petition.note", petition: petition, fields: ["text": text], write: write, options: options) { _ in "noted on petition \(petition)" }
    }
}

struct Withdraw: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Record that the citizen withdrew a petition.")

    @Argument(help: "The petition id.") var petition: String
    @Option(help: "Why, as the citizen said.") var reason: String
    @OptionGroup var write: WriteOptions
    @OptionGroup var options: ClientOptions

    func run() throws {
        try followUp("petition.withdraw", petition: petition, fields: ["reason": reason], write: write, options: options) { _ in "withdrew petition \(petition)" }
    }
}

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Merge a duplicate petition into another, which carries it on; both citizens keep being informed.")

    @Argument(help: "The duplicate petition's id.") var petition: String
    @Option(help: "The petition that carries it on.") var into: String
    @Option(help: "Why they are the same.") var reason: String
    @OptionGroup var write: WriteOptions
    @OptionGroup var options: ClientOptions

    func run() throws {
        try followUp("petition.merge", petition: petition, fields: ["into": into, "reason": reason], write: write, options: options) { _ in
            "merged petition \(petition) into \(into)"
        }
    }
}
