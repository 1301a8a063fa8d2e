import EventSourcing
import Foundation
import PetitionDomain

/// Plain-text columns for a terminal. Widths count characters, not bytes, so Vietnamese names line up.
struct TextTable {
    var headers: [String]
    /// Columns aligned right (numbers).
    var rightAligned: Set<Int> = []
    var rows: [[String]] = []

    init(_ headers: [String], rightAligned: Set<Int> = []) {
        self.headers = headers
        self.rightAligned = rightAligned
    }

    mutating func add(_ row: [String]) { rows.append(row) }

    /// The header line and one line per row, columns two spaces apart, no trailing spaces.
    func lines() -> [String] {
        let all = [headers] + rows
        let widths = headers.indices.map { i in all.map { $0.indices.contains(i) ? $0[i].count : 0 }.max() ?? 0 }
        return all.map { row in
            var line = ""
            for i in headers.indices {
                let cell = row.indices.contains(i) ? row[i] : ""
                let padding = String(repeating: " ", count: widths[i] - cell.count)
                line += (i == 0 ? "" : "  ") + (rightAligned.contains(i) ? padding + cell : cell + padding)
            }
            while line.last == " " { line.removeLast() }
            return line
        }
    }
}

/// Times as people in Vietnam read them.
enum LocalTime {
    /// `2026-03-19T03:00:00.000Z` as `19/03/2026 10:00` (Asia/Ho_Chi_Minh); "" for anything else.
    static func minutes(_ value: Any?) -> String {
        guard let text = value as? String, let millis = Timestamp.parseMillis(text) else { return "" }
        let local = Timestamp.format(millis: millis + 7 * 3_600_000)
        return day(value) + " " + String(local.dropFirst(11).prefix(5))
    }

    /// The local date of an instant, `19/03/2026`; "" for anything else.
    static func day(_ value: Any?) -> String {
        guard let text = value as? String, let millis = Timestamp.parseMillis(text) else { return "" }
        return LocalDate(containing: Timestamp.date(millis: millis)).vietnamese
    }
}

/// A JSON number or null as text: `—` for null or absent.
func cell(_ value: Any?, suffix: String = "") -> String {
    guard let n = value as? NSNumber else { return "—" }
    return "\(n)\(suffix)"
}
