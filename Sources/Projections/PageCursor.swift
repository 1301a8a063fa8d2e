import Foundation
import GRDB
import Messaging

/// Where a page of a list ended (keyset pagination): the sort key of the last item it gave, so the next page starts
/// right after it however many items were added or left in between; nothing is skipped or given twice among those
/// that stay. Opaque to clients (base64url of a small JSON document) and bound to the query that made it.
public struct PageCursor: Hashable, Sendable {
    /// One column of the sort key.
    public enum Value: Hashable, Sendable {
        case text(String), integer(Int64), null

        var database: DatabaseValueConvertible? {
            switch self {
            case .text(let s): s
            case .integer(let n): n
            case .null: nil
            }
        }

        var json: Any {
            switch self {
            case .text(let s): s
            case .integer(let n): n
            case .null: NSNull()
            }
        }
    }

    /// The query that gave it: `outstanding`, `search`, `alerts` or `sessions`.
    public var query: String
    public var key: [Value]

    public init(query: String, key: [Value]) {
        self.query = query
        self.key = key
    }

    /// The cursor as clients carry it.
    public var text: String {
        let json = try! JSONSerialization.data(withJSONObject: ["q": query, "k": key.map(\.json)], options: [.sortedKeys])
        return json.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The cursor `text` of the member `after`, for `query` with a key of `arity` columns; refused unless a page of
    /// that query gave it.
    public static func parse(_ text: String, query: String, arity: Int) throws(WireError) -> PageCursor {
        let refusal = WireError.invalidValue("after", "is not a cursor a page of \(query) gave (pass its next as it came)")
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard text.utf8.count <= 1024, let data = Data(base64Encoded: base64),
              let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let q = object["q"] as? String, let k = object["k"] as? [Any] else { throw refusal }
        guard q == query else { throw WireError.invalidValue("after", "is a cursor of \(q), not of \(query)") }
        var key: [Value] = []
        for v in k {
            switch v {
            case is NSNull: key.append(.null)
            case let s as String: key.append(.text(s))
            case let n as NSNumber:
                guard let i = Int64(exactly: n.doubleValue) else { throw refusal }
                key.append(.integer(i))
            default: throw refusal
            }
        }
        guard key.count == arity else { throw refusal }
        return PageCursor(query: query, key: key)
    }

    /// ` AND (columns) op (?, …)` with the key's values bound.
    func clause(_ columns: String, _ op: String, into arguments: inout StatementArguments) -> String {
        arguments += StatementArguments(key.map(\.database))
        return " AND (\(columns)) \(op) (\(Array(repeating: "?", count: key.count).joined(separator: ", ")))"
    }

    /// A page: the first `limit` of `rows` (which holds one more when another page follows) and the cursor after it.
    static func page<T>(_ rows: [Row], limit: Int, query: String, key: (Row) -> [Value], map: (Row) throws -> T) rethrows -> (items: [T], next: PageCursor?) {
        let items = try rows.prefix(limit).map(map)
        let next = rows.count > limit ? rows.prefix(limit).last.map { PageCursor(query: query, key: key($0)) } : nil
        return (items, next)
    }
}
