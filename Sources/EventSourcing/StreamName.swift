/// A stream name of the form `category-id`, e.g. `petition-P000001`.
public struct StreamName: Hashable, Sendable, CustomStringConvertible, Codable {
    public let category: String
    public let id: String

    public init(category: String, id: String) {
        self.category = category
        self.id = id
    }

    /// Parses `category-id`; the category is everything before the first `-` byte (U+002D).
    ///
    /// It looks at UTF-8 bytes, not Characters: a `-` followed by a combining mark or
    /// U+200D is one Character, and every name ``description`` writes must read back.
    public init?(_ raw: String) {
        let utf8 = raw.utf8
        guard let dash = utf8.firstIndex(of: 0x2D) else { return nil }
        let category = String(decoding: utf8[..<dash], as: UTF8.self)
        let id = String(decoding: utf8[utf8.index(after: dash)...], as: UTF8.self)
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
