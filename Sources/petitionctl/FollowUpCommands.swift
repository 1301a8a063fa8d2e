import ArgumentParser
import Foundation
import Messaging
import Runtime

/// Sends one follow-up command on a petition and prints what happened.
private func followUp(_ command: some PetitionCommandHandler, write: WriteOptions, options: ClientOptions,
                      done: @escaping ([String: Any]) -> String) throws {
    try perform(options) { client in
        let reply = try client.command(try write.request(command))
        return (reply, done(reply) + " (vị trí \(reply["position"] ?? "") trong nhật ký)")
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
        try followUp(Commands.Feedback(petitionId: petition, satisfied: ok, comment: comment), write: write, options: options) { _ in
            "đã ghi ý kiến \(ok ? "đồng ý" : "chưa đồng ý") của cử tri về kiến nghị \(petition)"
        }
    }
}

struct Accept: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The holding department accepts a referred petition (as department_officer, with --actor-department).")

    @Argument(help: "The petition id.") var petition: String
    @OptionGroup var write: WriteOptions
    @OptionGroup var options: ClientOptions

    func run() throws {
        try followUp(Commands.Accept(petitionId: petition), write: write, options: options) { _ in "đã tiếp nhận kiến nghị \(petition)" }
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
        let command = Commands.Extend(petitionId: petition, approver: approver, decision: decision,
                                      deadline: try deadline.map { try CommandInput.date($0, field: "deadline") })
        try followUp(command, write: write, options: options) { reply in
            "đã gia hạn kiến nghị \(petition) đến \(Words.date(reply["deadline"]))"
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
        try followUp(Commands.Reassign(petitionId: petition, department: department, assignee: assignee, reason: reason),
                     write: write, options: options) { _ in "đã giao lại kiến nghị \(petition) cho \(assignee) (\(department))" }
    }
}

struct Reopen: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Reopen an answered or resolved petition; it waits for a referral again.")

    @Argument(help: "The petition id.") var petition: String
    @Option(help: "Why.") var reason: String
    @OptionGroup var write: WriteOptions
    @OptionGroup var options: ClientOptions

    func run() throws {
        try followUp(Commands.Reopen(petitionId: petition, reason: reason), write: write, options: options) { _ in "đã mở lại kiến nghị \(petition)" }
    }
}

struct Note: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a note on a petition (a call, a visit, a paper filed): shown in its history, its status unchanged.")

    @Argument(help: "The petition id.") var petition: String
    @Option(help: "The note.") var text: String
    @OptionGroup var write: WriteOptions
    @OptionGroup var options: ClientOptions

    func run() throws {
        try followUp(Commands.Note(petitionId: petition, text: text), write: write, options: options) { _ in "đã ghi chú vào kiến nghị \(petition)" }
    }
}

struct Withdraw: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Record that the citizen withdrew a petition.")

    @Argument(help: "The petition id.") var petition: String
    @Option(help: "Why, as the citizen said.") var reason: String
    @OptionGroup var write: WriteOptions
    @OptionGroup var options: ClientOptions

    func run() throws {
        try followUp(Commands.Withdraw(petitionId: petition, reason: reason), write: write, options: options) { _ in "đã ghi cử tri rút kiến nghị \(petition)" }
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
        try followUp(Commands.Merge(petitionId: petition, into: into, reason: reason), write: write, options: options) { _ in
            "đã gộp kiến nghị \(petition) vào \(into)"
        }
    }
}
