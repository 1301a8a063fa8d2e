/// The kind of a petition (DOMAIN.md): it chooses the deadline policy.
public enum PetitionKind: String, Codable, CaseIterable, Sendable {
    /// kiến nghị
    case recommendation
    /// phản ánh
    case report
    /// khiếu nại
    case complaint
    /// tố cáo
    case denunciation

    /// The kind in Vietnamese, as reports and receipts name it.
    public var vietnamese: String {
        switch self {
        case .recommendation: "Kiến nghị"
        case .report: "Phản ánh"
        case .complaint: "Khiếu nại"
        case .denunciation: "Tố cáo"
        }
    }
}

/// A vocabulary whose cases have a Vietnamese name, which people may type instead of the code.
public protocol VietnameseNamed: CaseIterable, RawRepresentable where RawValue == String {
    var vietnamese: String { get }
}

extension VietnameseNamed {
    /// The case `text` names: its code, or its Vietnamese name with or without diacritics, in any case
    /// (`đất đai`, `Dat dai`, `land`).
    public init?(typed text: String) {
        if let exact = Self(rawValue: text) { self = exact; return }
        let folded = SearchText.fold(text.trimmingCharacters(in: .whitespaces))
        guard let match = Self.allCases.first(where: { SearchText.fold($0.vietnamese) == folded || SearchText.fold($0.rawValue.replacingOccurrences(of: "_", with: " ")) == folded }) else {
            return nil
        }
        self = match
    }
}

extension PetitionKind: VietnameseNamed {}
extension PetitionCategory: VietnameseNamed {}

/// The field (lĩnh vực) a petition concerns.
public enum PetitionCategory: String, Codable, CaseIterable, Sendable {
    case land
    case environment
    case agriculture
    case transport
    case irrigation
    case trafficSafety = "traffic_safety"
    case infrastructure
    case socialPolicy = "social_policy"
    case culture
    case administrativeProcedure = "administrative_procedure"
    case securityOrder = "security_order"
    case other

    /// The field's name in Vietnamese (lĩnh vực), as reports and Open311's services name it.
    public var vietnamese: String {
        switch self {
        case .land: "Đất đai"
        case .environment: "Môi trường"
        case .agriculture: "Nông nghiệp"
        case .transport: "Giao thông vận tải"
        case .irrigation: "Thủy lợi"
        case .trafficSafety: "An toàn giao thông"
        case .infrastructure: "Hạ tầng, xây dựng"
        case .socialPolicy: "Chính sách xã hội"
        case .culture: "Văn hóa, giáo dục, y tế"
        case .administrativeProcedure: "Thủ tục hành chính"
        case .securityOrder: "An ninh, trật tự"
        case .other: "Lĩnh vực khác"
        }
    }
}

/// Where a petition is in its life.
public enum PetitionStatus: String, Codable, Sendable {
    /// Not submitted: the stream does not exist.
    case none
    /// Recorded at the conference, waiting for an answer or a referral.
    case submitted
    /// Answered by the chair at the conference.
    case answered
    /// Held by a department until resolved.
    case referred
    /// Settled by the department.
    case resolved
    /// Open again (the citizen was unsatisfied with the answer, or the chair reopened it): waits for a referral.
    case reopened
    /// The citizen withdrew it.
    case withdrawn
    /// A duplicate, merged into another petition that carries it on.
    case merged

    /// Whether someone still has to act on it.
    public var isOutstanding: Bool { self == .submitted || self == .referred || self == .reopened }

    /// The status in words, in Vietnamese, as a citizen reads it.
    public var vietnamese: String {
        switch self {
        case .none: "Chưa tiếp nhận"
        case .submitted: "Đã tiếp nhận, đang chờ chủ tọa trả lời"
        case .answered: "Đã được trả lời tại hội nghị đối thoại"
        case .referred: "Đã chuyển cơ quan chuyên môn giải quyết"
        case .resolved: "Đã giải quyết"
        case .reopened: "Đang được xem xét lại"
        case .withdrawn: "Công dân đã rút kiến nghị"
        case .merged: "Đã gộp vào một kiến nghị cùng nội dung"
        }
    }
}

/// Who issues a command; the gateway lets each role do only its part.
public enum Role: String, Codable, CaseIterable, Sendable {
    /// Records sessions, petitions, on-site answers, citizens' feedback and withdrawals.
    case clerk
    /// The chair (Chủ tịch UBND): answers, refers, extends, reassigns, reopens, merges.
    case chair
    /// An officer of a department: accepts and resolves only what the department holds.
    case departmentOfficer = "department_officer"
    /// The Fatherland Front, inspectors: reads only.
    case supervisor
    /// Keeps the registry of units, departments and officials, and nothing else.
    case administrator
    /// The system's own workers (escalator, notifier): raise escalations, record deliveries.
    case system

    /// The role as officials name it, in Vietnamese.
    public var vietnamese: String {
        switch self {
        case .clerk: "Thư ký hội nghị"
        case .chair: "Chủ tịch UBND"
        case .departmentOfficer: "Cán bộ cơ quan chuyên môn"
        case .supervisor: "Giám sát, thanh tra"
        case .administrator: "Quản trị hệ thống"
        case .system: "Hệ thống"
        }
    }
}

/// The rungs of the escalation ladder (DOMAIN.md).
public enum EscalationLevel: String, Codable, CaseIterable, Sendable, Comparable {
    /// Some days before the deadline, to the holder.
    case warning
    /// At the deadline, to the chair of the unit.
    case overdue
    /// After a grace period, to the level above.
    case escalated

    public static func < (a: Self, b: Self) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// The rung as an alert's heading says it.
    public var vietnamese: String {
        switch self {
        case .warning: "Sắp đến hạn"
        case .overdue: "Quá hạn"
        case .escalated: "Quá hạn, chuyển cấp trên"
        }
    }
}

/// What a citizen's feedback is about.
public enum FeedbackSubject: String, Codable, Sendable {
    case answer
    case resolution
}

extension UnitKind {
    /// The kind as Vietnamese officials name it.
    public var vietnamese: String {
        switch self {
        case .province: "Tỉnh"
        case .city: "Thành phố trực thuộc trung ương"
        case .commune: "Xã"
        case .ward: "Phường"
        case .specialZone: "Đặc khu"
        case .district: "Huyện (trước 01/7/2025)"
        case .township: "Thị trấn (trước 01/7/2025)"
        case .hamlet: "Thôn, ấp, bản, tổ dân phố"
        }
    }
}

/// Counts as people in Vietnam write them.
public enum Numerals {
    /// 1234567 → "1.234.567" ("." between thousands).
    public static func vietnamese(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "." }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }
}
