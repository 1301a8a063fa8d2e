import Delivery
import Foundation
import PetitionDomain

/// The words of an alert, in Vietnamese, from the escalation that raised it.
public enum AlertText {
    /// The alert for an escalation recorded at `raisedAt`, about a petition of `kind` (a tố cáo is called a tố cáo;
    /// "Kiến nghị" when the kind is not known).
    public static func alert(_ e: PetitionEscalated, raisedAt: String, kind: PetitionKind? = nil) -> Alert {
        let what = kind?.vietnamese ?? PetitionKind.recommendation.vietnamese
        let heading = e.level.vietnamese
        // Dates as people in Vietnam write them (dd/mm/yyyy); the alert's machine fields keep ISO dates.
        let subject = "[\(heading)] \(what) \(e.petitionId) – \(e.department) – hạn \(e.deadline.vietnamese)"
        let body = """
            Kính gửi: \(e.recipient)

            \(what) \(e.petitionId) của \(e.unit) do \(e.department) (cán bộ: \(e.assignee)) đang giải quyết, hạn \(e.deadline.vietnamese).
            Tình trạng: \(heading.lowercased()) (mức \(e.level.rawValue), tính từ ngày \(e.due.vietnamese)).

            Xem chi tiết: trang /kien-nghi/\(e.petitionId) hoặc petitionctl show \(e.petitionId)
            """
        return Alert(alertId: e.alertId, level: e.level.rawValue, petitionId: e.petitionId, unit: e.unit, department: e.department,
                     holder: e.assignee, recipient: e.recipient, deadline: e.deadline.description, subject: subject, body: body, raisedAt: raisedAt)
    }
}
