import PetitionDomain

/// A reporting period (Kết luận 215-KL/TW): a month, a quarter, six months, nine months or a year, in local dates.
public struct ReportPeriod: Hashable, Sendable, CustomStringConvertible {
    /// As typed: `2026-06`, `2026-Q1`, `2026-H1`, `2026-9M`, `2026`.
    public let label: String
    /// The first and last local day (Asia/Ho_Chi_Minh), both included.
    public let first: LocalDate
    public let last: LocalDate

    public var description: String { "\(label) (\(first) to \(last))" }

    /// Parses a period, or says which forms are accepted.
    public init(_ text: String) throws(ReportPeriodError) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard let yearText = parts.first, yearText.count == 4, let year = Int64(yearText), (1900...2199).contains(year), parts.count <= 2 else {
            throw ReportPeriodError(text)
        }
        let months: ClosedRange<Int64>
        switch parts.count == 2 ? parts[1] : "" {
        case "": months = 1...12
        case "Q1": months = 1...3
        case "Q2": months = 4...6
        case "Q3": months = 7...9
        case "Q4": months = 10...12
        case "H1": months = 1...6
        case "H2": months = 7...12
        case "9M": months = 1...9
        case let m where m.count == 2 && Int64(m).map({ (1...12).contains($0) }) == true: months = Int64(m)!...Int64(m)!
        default: throw ReportPeriodError(text)
        }
        label = text
        first = LocalDate(year: year, month: months.lowerBound, day: 1)!
        let next = months.upperBound == 12 ? LocalDate(year: year + 1, month: 1, day: 1)! : LocalDate(year: year, month: months.upperBound + 1, day: 1)!
        last = next.adding(days: -1)
    }

    public func contains(_ day: LocalDate) -> Bool { first <= day && day <= last }
}

/// A period that is not one of the accepted forms.
public struct ReportPeriodError: Error, CustomStringConvertible {
    public let text: String
    init(_ text: String) { self.text = text }
    public var description: String {
        "period \"\(text)\" is not one of: YYYY-MM (a month), YYYY-Q1…Q4 (a quarter), YYYY-H1 or YYYY-H2 (six months), YYYY-9M (nine months), YYYY (a year)"
    }
}
