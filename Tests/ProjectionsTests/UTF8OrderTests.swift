@testable import Projections
import Testing

/// A rebuild loads each table in its key order, sorted by ``UTF8Order``: it must be SQLite's order for text keys.
struct UTF8OrderTests {
    @Test("rows sort in the byte order of their UTF-8 keys (SQLite's order), long keys with a common 24-byte start included, ties by the second key")
    func sortsByUTF8Bytes() {
        let common = String(repeating: "x", count: 30)
        let keys = ["P10", "P1", "P2", "P100", "", "Đất", "Dat", "dat", "Z", "P1.warning.2026-04-18", "P1.warning.2026-04-17",
                    common + "b", common + "a", common, common + "a" + "Đ", "a\u{301}", "\u{e1}", "P9"]
        let rows = keys.enumerated().flatMap { i, key in [(key: key, n: 2 * i + 1), (key: key, n: 2 * i)] }.shuffled()
        let sorted = UTF8Order.sorted(rows, by: \.key, then: { Int64($0.n) })
        let expected = rows.sorted { a, b in
            a.key.utf8.elementsEqual(b.key.utf8) ? a.n < b.n : a.key.utf8.lexicographicallyPrecedes(b.key.utf8)
        }
        #expect(sorted.map(\.key) == expected.map(\.key))
        #expect(sorted.map(\.n) == expected.map(\.n))
    }
}
