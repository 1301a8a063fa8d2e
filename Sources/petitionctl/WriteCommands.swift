import ArgumentParser
import Foundation
import Messaging
import PetitionDomain
import Runtime

struct SessionGroup: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "session", abstract: "Dialogue sessions.", subcommands: [OpenSessionCommand.self])
}

struct OpenSessionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "open", abstract: "Open the minutes of a dialogue conference.")

    @Option(help: "The unit holding it, e.g. \"Xã Bình Thành\".") var unit: String
    @Option(help: "Its title.") var title: String
    @Option(help: "When it was held: 19/03/2026, 19/03/2026 08:00 (Vietnam time), YYYY-MM-DD or RFC 3339.") var date: String
    @Option(help: "Who chaired it.") var chair: String
    @Option(help: "The hamlet (thôn, ấp, tổ dân phố) where it was held.") var hamlet: String?
    @Option(help: "How many citizens attended.") var attendees: Int?
    @OptionGroup var write: WriteOptions
    @OptionGroup var options: ClientOptions

    func validate() throws {
        if let attendees, !(0...1_000_000).contains(attendees) { throw ValidationError("--attendees must be between 0 and 1000000, got \(attendees)") }
    }

    func run() throws {
        try perform(options) { client in
            let command = Commands.OpenSession(unit: unit, title: title, chair: chair, hamlet: hamlet, attendees: attendees)
            let reply = try client.command(try write.request(command, occurredAt: try TimeInput.instant(date, option: "--date")))
            return (reply, "đã mở biên bản hội nghị \(reply["id"] ?? "") (vị trí \(reply["position"] ?? "") trong nhật ký)")
        }
    }
}

struct Submit: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Record a citizen's petition raised at a session.")

    @Option(help: "The session id (from `session open`).") var session: String
    @Option(help: "The citizen's name (stored encrypted).") var citizen: String
    @Option(help: "The citizen's address (stored encrypted).") var address: String?
    @Option(help: "The citizen's phone (stored encrypted).") var phone: String?
    @Option(help: "recommendation, report, complaint or denunciation, or in Vietnamese: kiến nghị, phản ánh, khiếu nại, tố cáo.") var kind: String
    @Option(help: "land, environment, agriculture, transport, irrigation, traffic_safety, infrastructure, social_policy, culture, administrative_procedure, security_order or other, or the field's Vietnamese name (đất đai, môi trường, …; diacritics optional).") var category: String
    @Option(help: "What the citizen raised.") var content: String
    @OptionGroup var write: WriteOptions
    @OptionGroup var options: ClientOptions

    func run() throws {
        try perform(options) { client in
            let command = Commands.Submit(sessionId: session, kind: try CommandInput.choice(kind, field: "kind", PetitionKind.self),
                                          category: try CommandInput.choice(category, field: "category", PetitionCategory.self), content: content,
                                          citizen: PersonalData(name: citizen, address: address, phone: phone))
            let reply = try client.command(try write.request(command))
            let receipt = (reply["trackingCode"] as? String).map { "; mã tra cứu \($0), ghi vào phiếu tiếp nhận cho cử tri" } ?? ""
            return (reply, "đã ghi kiến nghị \(reply["id"] ?? "") (vị trí \(reply["position"] ?? "") trong nhật ký)\(receipt)")
        }
    }
}

struct Answer: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The chair answers a petition at the conference.")

    @Argument(help: "The petition id.") var petition: String
    @Option(help: "Who answered (the chair).") var by: String
    @Option(help: "The answer given.") var answer: String
    @OptionGroup var write: WriteOptions
    @OptionGroup var options: ClientOptions

    func run() throws {
        try perform(options) { client in
            let reply = try client.command(try write.request(Commands.Answer(petitionId: petition, by: by, answer: answer)))
            return (reply, "đã ghi câu trả lời cho kiến nghị \(petition) (vị trí \(reply["position"] ?? "") trong nhật ký)")
        }
    }
}

struct Refer: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Refer a petition to a department with a deadline.")

    @Argument(help: "The petition id.") var petition: String
    @Option(name: .customLong("to"), help: "The department that will hold it.") var department: String
    @Option(help: "The official in charge.") var assignee: String
    @Option(help: "Who referred it (the chair).") var by: String
    @Option(help: "Calendar days from the referral to the deadline (default: the unit's deadline policy).") var days: Int?
    @Option(help: "The deadline date, YYYY-MM-DD (instead of --days).") var deadline: String?
    @Option(help: "normal, complex or especially_complex: chooses the policy's limit and how often it may be extended.") var complexity: String?
    @OptionGroup var write: WriteOptions
    @OptionGroup var options: ClientOptions

    func validate() throws {
        guard days == nil || deadline == nil else { throw ValidationError("give --days or --deadline, not both (or neither, for the unit's deadline policy)") }
    }

    func run() throws {
        try perform(options) { client in
            let rule: DeadlineRule = if let days { .days(days) } else if let deadline { .date(try CommandInput.date(deadline, field: "deadline")) } else { .policy }
            let command = Commands.Refer(petitionId: petition, department: department, assignee: assignee, by: by, deadline: rule,
                                         complexity: try complexity.map { try CommandInput.choice($0, field: "complexity", Complexity.self) } ?? .normal)
            let reply = try client.command(try write.request(command))
            return (reply, "đã chuyển kiến nghị \(petition) cho \(department), hạn \(Words.date(reply["deadline"])) (vị trí \(reply["position"] ?? "") trong nhật ký)")
        }
    }
}

struct Resolve: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The holding department resolves a petition.")

    @Argument(help: "The petition id.") var petition: String
    @Option(help: "Who resolved it.") var by: String
    @Option(help: "How it was resolved.") var resolution: String
    @OptionGroup var write: WriteOptions
    @OptionGroup var options: ClientOptions

    func run() throws {
        try perform(options) { client in
            let reply = try client.command(try write.request(Commands.Resolve(petitionId: petition, by: by, resolution: resolution)))
            return (reply, "đã ghi kết quả giải quyết kiến nghị \(petition) (vị trí \(reply["position"] ?? "") trong nhật ký)")
        }
    }
}
