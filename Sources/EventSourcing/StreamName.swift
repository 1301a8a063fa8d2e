/// A stream name of the form `category-id`, e.g. `petition-P000001`.
public struct StreamName: Hashable, Sendable, CustomStringConvertible, Codable {
    public let category: String
    public let id: String

    public init(category: String, id: String) {
        self.category = category
        self.id = id
    }

    /// Parses `category-id`; the category is everything before the first `-`.
    public init?(_ raw: String) {
        guard let dash = raw.firstIndex(of: "-") else { return nil }
        let category = String(raw[..<dash])
        let id = String(raw[raw.index(after: dash)...])
        guard !category.isEmpty, !id.isEmpty else { return nil }
        self.init(category: category, id: id)
    }

    public var description: String { "\(category)-\(id)" }

    public init(from decoder: Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let name = StreamName(raw) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "stream name must be category-id, got \(raw)"))
        }
        self = name
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
