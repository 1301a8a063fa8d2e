/// Sorting rows by a text key in the order SQLite keeps that key (its UTF-8 bytes: the `BINARY` collation), fast.
///
/// A fresh table is loaded fastest in its key order (each row goes where the
/// last one went). Comparing Swift strings for hundreds of thousands of rows
/// cost a rebuild about a second; this compares the first 24 bytes of each
/// key as three integers, then a number (a span's `seq`), and the whole keys
/// only when both are equal and a key is longer.
enum UTF8Order {
    /// `items` in the byte order of `key`, items with equal keys in the order of `then`.
    static func sorted<T>(_ items: [T], by key: (T) -> String, then number: (T) -> Int64 = { _ in 0 }) -> [T] {
        var entries: [Entry] = []
        entries.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            var text = key(item)
            let entry = text.withUTF8 { utf8 in
                Entry(a: word(utf8, 0), b: word(utf8, 8), c: word(utf8, 16), number: number(item), index: index, long: utf8.count > 24)
            }
            entries.append(entry)
        }
        entries.sort { x, y in
            if x.a != y.a { return x.a < y.a }
            if x.b != y.b { return x.b < y.b }
            if x.c != y.c { return x.c < y.c }
            if x.long || y.long {
                let kx = key(items[x.index]).utf8, ky = key(items[y.index]).utf8
                if !kx.elementsEqual(ky) { return kx.lexicographicallyPrecedes(ky) }
            }
            return x.number < y.number
        }
        return entries.map { items[$0.index] }
    }

    /// An item's place in the input and what it is sorted by.
    private struct Entry {
        var a: UInt64, b: UInt64, c: UInt64
        var number: Int64
        var index: Int
        /// Longer than the 24 bytes in `a`, `b` and `c`.
        var long: Bool
    }

    /// Bytes `from ..< from + 8` of `utf8`, big-endian, zero-padded: integers in the order of the bytes.
    private static func word(_ utf8: UnsafeBufferPointer<UInt8>, _ from: Int) -> UInt64 {
        var word: UInt64 = 0
        for i in 0..<8 {
            word <<= 8
            if from + i < utf8.count { word |= UInt64(utf8[from + i]) }
        }
        return word
    }
}
