import ArgumentParser
import Foundation
import PetitionDomain
import Runtime

/// `petitionctl search`: petitions by words typed with or without Vietnamese diacritics, by citizen, field, unit, department.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find petitions; diacritics and case are ignored (\"dat dai\" finds \"Đất đai\").")

    @Argument(help: "Words that must all appear in the content, unit, department, official, answer or resolution.") var text: String?
    @Option(help: "The citizen's name, or part of it (not found once the person is forgotten).") var citizen: String?
    @Option(help: "The field: \(PetitionCategory.allCases.map(\.rawValue).joined(separator: ", ")).") var field: String?
    @Option(help: "Only this unit.") var unit: String?
    @Option(help: "Only this department.") var department: String?
    @Option(help: "At most this many, newest first (1–10000).") var limit: Int = 100
    @Option(help: "With --citizen: why you search for a citizen by name (recorded with the search; only a clerk or chair may).")
    var purpose: String = "Tìm kiến nghị của công dân"
    @OptionGroup var options: ClientOptions

    func validate() throws {
        guard text != nil || citizen != nil || field != nil || unit != nil || department != nil else {
            throw ValidationError("say what to search for: words, --citizen, --field, --unit or --department")
        }
        if let field, PetitionCategory(rawValue: field) == nil {
            throw ValidationError("--field must be one of \(PetitionCategory.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(field)\"")
        }
        guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 10000") }
    }

    func run() throws {
        try perform(options) { client in
            var body: [String: Any] = ["type": "search", "limit": limit]
            if let text { body["text"] = text }
            if let field { body["category"] = field }
            if let unit { body["unit"] = unit }
            if let department { body["department"] = department }
            if let citizen {
                let found = try client.history(["type": "people.find", "name": citizen, "purpose": purpose, "limit": 100])
                body["personIds"] = found["personIds"] as? [String] ?? []
            }
            let reply = try client.query(body)
            let items = reply["items"] as? [[String: Any]] ?? []
            var lines = ["tìm thấy \(Words.number(reply["total"] ?? 0)) kiến nghị" + ((reply["total"] as? Int ?? 0) > items.count ? ", hiện \(items.count) kiến nghị mới nhất" : "")]
            lines += items.map { p in
                "\(p["petitionId"] ?? "")  \(Words.status(p["status"]))  \(p["unit"] ?? "")  \(Words.field(p["category"]))  \(p["content"] ?? "")"
            }
            return (reply, lines.joined(separator: "\n"))
        }
    }
}
