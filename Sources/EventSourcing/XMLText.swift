/// Writing XML text by hand (Open311's XML, the report's workbook parts): flat elements need no library.
public enum XMLText {
    /// `value` as XML character data or an attribute value: the five markup characters escaped, and the control
    /// characters XML 1.0 cannot carry (all below U+0020 but tab, line feed and carriage return; U+FFFE, U+FFFF) dropped.
    public static func escape(_ value: String) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default: if scalar.value >= 0x20 && scalar.value != 0xFFFE && scalar.value != 0xFFFF { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}
