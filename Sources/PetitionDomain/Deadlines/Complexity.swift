/// How hard a petition is to settle, as decided when it is accepted: it chooses the time limit and
/// how many extensions the deadline policy allows.
public enum Complexity: String, Codable, CaseIterable, Sendable {
    /// thông thường
    case normal
    /// phức tạp
    case complex
    /// đặc biệt phức tạp
    case especiallyComplex = "especially_complex"

    /// The words for a sentence, e.g. "especially complex".
    public var words: String {
        switch self {
        case .normal: "normal"
        case .complex: "complex"
        case .especiallyComplex: "especially complex"
        }
    }
}
