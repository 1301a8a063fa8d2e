import Delivery
import Foundation
import TestSupport

/// An overdue alert with Vietnamese text, as the notifier would raise it.
func sampleAlert(id: String = "P000123-overdue-2025-03-01", body: String? = nil) -> Alert {
    Alert(alertId: id, level: "overdue", petitionId: "P000123", unit: "Xã Vũ Hội", department: "Phòng Kinh tế - Hạ tầng",
          holder: "Nguyễn Văn A", recipient: "chair of Xã Vũ Hội", deadline: "2025-02-28",
          subject: "Quá hạn: kiến nghị P000123 về đường nội đồng xuống cấp",
          body: body ?? "Kiến nghị P000123 đã quá hạn giải quyết (hạn 28/02/2025).\nNgười đang giữ: Nguyễn Văn A, Phòng Kinh tế - Hạ tầng.",
          raisedAt: "2025-03-01T08:00:00+07:00")
}

/// A loopback port nothing listens on, so connecting to it is refused.
func closedPort() -> Int { FreePorts.base(count: 1) }

/// Seconds elapsed while running `body`, and its result.
func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = ContinuousClock.now
    let result = try body()
    let elapsed = ContinuousClock.now - start
    return (result, elapsed.timeInterval)
}
