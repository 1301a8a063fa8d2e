import PetitionDomain
import Projections

/// The words of petitionctl's human output, in Vietnamese (the `--json` output keeps the API's English codes).
enum Words {
    /// A status as a list says it, short: `referred` → "đã chuyển".
    static func status(_ code: Any?) -> String {
        let short: [String: String] = ["submitted": "chờ trả lời", "answered": "đã trả lời", "referred": "đã chuyển", "resolved": "đã giải quyết",
                                       "reopened": "đang xem xét lại", "withdrawn": "đã rút", "merged": "đã gộp"]
        let text = code as? String ?? ""
        return short[text] ?? text
    }

    /// A field (lĩnh vực) by its Vietnamese name: `land` → "Đất đai".
    static func field(_ code: Any?) -> String {
        let text = code as? String ?? ""
        return PetitionCategory(rawValue: text)?.vietnamese ?? text
    }

    /// A kind by its Vietnamese name: `denunciation` → "Tố cáo".
    static func kind(_ code: Any?) -> String {
        let text = code as? String ?? ""
        return PetitionKind(rawValue: text)?.vietnamese ?? text
    }

    /// A date `YYYY-MM-DD` as `dd/mm/yyyy`; the text itself when it is not one.
    static func date(_ value: Any?) -> String {
        let text = value as? String ?? ""
        return LocalDate(text)?.vietnamese ?? text
    }

    /// How a holder's span ended (`CustodyEnd`).
    static func ended(_ code: Any?) -> String {
        let text = code as? String ?? ""
        return CustodyEnd(rawValue: text)?.vietnamese ?? text
    }

    /// An escalation level (`EscalationLevel`), lower case inside a table.
    static func level(_ code: Any?) -> String {
        let text = code as? String ?? ""
        return EscalationLevel(rawValue: text)?.vietnamese.lowercased() ?? text
    }

    /// An alert's delivery state (`AlertStatus`).
    static func delivery(_ code: Any?) -> String {
        let text = code as? String ?? ""
        return AlertStatus(rawValue: text)?.vietnamese ?? text
    }

    /// A count with Vietnamese separators: 1234 → "1.234".
    static func number(_ value: Any?) -> String {
        guard let n = (value as? Int) ?? (value as? Int64).map(Int.init) else { return "\(value ?? "")" }
        return Numerals.vietnamese(n)
    }
}
