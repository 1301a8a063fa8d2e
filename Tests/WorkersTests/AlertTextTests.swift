import PetitionDomain
import Testing
import Workers

/// The words of an alert are Vietnamese, with dates as people in Vietnam write them.
struct AlertTextTests {
    @Test("an overdue alert says who, which petition and its deadline in Vietnamese, dates as dd/mm/yyyy")
    func anAlertIsInVietnameseWithDatesAsDdMmYyyy() throws {
        let deadline = try #require(LocalDate("2026-03-25"))
        let e = PetitionEscalated(petitionId: "P000123", level: .overdue, deadline: deadline, due: deadline.adding(days: 1), unit: "Xã Bách Thuận",
                                  department: "Phòng Tài nguyên và Môi trường", assignee: "Ngô Văn Nam", recipient: "Chủ tịch UBND Xã Bách Thuận",
                                  alertId: "P000123.overdue.1")
        let alert = AlertText.alert(e, raisedAt: "2026-03-26T01:00:00.000Z")
        #expect(alert.subject == "[Quá hạn] Kiến nghị P000123 – Phòng Tài nguyên và Môi trường – hạn 25/03/2026", "\(alert.subject)")
        #expect(alert.body.hasPrefix("Kính gửi: Chủ tịch UBND Xã Bách Thuận"))
        #expect(alert.body.contains("hạn 25/03/2026") && alert.body.contains("tính từ ngày 26/03/2026"), "\(alert.body)")
        #expect(!alert.subject.contains("2026-03-25") && !alert.body.contains("2026-03-2"), "no ISO date in the words: \(alert.body)")
        #expect(alert.deadline == "2026-03-25", "the machine field keeps its ISO date")
    }

    @Test("an alert calls the petition by its kind: a tố cáo is a tố cáo, a khiếu nại a khiếu nại")
    func anAlertNamesThePetitionsKind() throws {
        let deadline = try #require(LocalDate("2026-03-25"))
        let e = PetitionEscalated(petitionId: "P000124", level: .warning, deadline: deadline, due: deadline.adding(days: -3), unit: "Xã Bách Thuận",
                                  department: "Công an xã", assignee: "Lê Văn Hùng", recipient: "Chủ tịch UBND Xã Bách Thuận", alertId: "P000124.warning.1")
        let denunciation = AlertText.alert(e, raisedAt: "2026-03-22T01:00:00.000Z", kind: .denunciation)
        #expect(denunciation.subject == "[Sắp đến hạn] Tố cáo P000124 – Công an xã – hạn 25/03/2026", "\(denunciation.subject)")
        #expect(denunciation.body.contains("Tố cáo P000124 của Xã Bách Thuận") && !denunciation.body.contains("Kiến nghị"), "\(denunciation.body)")
        #expect(AlertText.alert(e, raisedAt: "2026-03-22T01:00:00.000Z", kind: .complaint).subject.contains("Khiếu nại P000124"))
    }
}
