import Foundation

/// Vietnamese text folded for search: lower case, without diacritics, đ as d, single spaces.
///
/// "Đất đai" and "dat dai" fold to the same "dat dai", so a search typed without
/// Vietnamese accents (or in another case) still finds what was recorded with them.
public enum SearchText {
    /// The folded form of `text`.
    public static func fold(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        func append(_ s: Unicode.Scalar) {
            if pendingSpace { out.append(" "); pendingSpace = false }
            out.append(s)
        }
        // ASCII text decomposes to itself.
        let ascii = text.utf8.allSatisfy { $0 < 0x80 }
        for scalar in (ascii ? text : text.decomposedStringWithCanonicalMapping).unicodeScalars {
            switch scalar.value {
            // ASCII, most of what is left once the marks are split off: its white space and its one case mapping.
            case 0x09...0x0D, 0x20: pendingSpace = !out.isEmpty
            case 0x41...0x5A: append(Unicode.Scalar(UInt8(scalar.value) + 0x20))
            case 0x00...0x7F: append(scalar)
            case 0x0300...0x036F: continue // Combining marks: tones, breve, circumflex, horn.
            case 0x0110, 0x0111: append("d")
            default:
                if scalar.properties.isWhitespace {
                    pendingSpace = !out.isEmpty
                } else {
                    for lower in scalar.properties.lowercaseMapping.unicodeScalars { append(lower) }
                }
            }
        }
        return String(out)
    }

    /// The folded words of a query, each to be found somewhere in the folded text.
    public static func words(_ query: String) -> [String] {
        fold(query).split(separator: " ").map(String.init)
    }
}
