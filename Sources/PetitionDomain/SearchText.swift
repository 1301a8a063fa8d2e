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
        for scalar in text.decomposedStringWithCanonicalMapping.unicodeScalars {
            switch scalar.value {
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
