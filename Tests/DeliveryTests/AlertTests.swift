import Delivery
import Foundation
import Testing

@Suite("Alert: the JSON every sink carries")
struct AlertTests {
    @Test("an alert's JSON has sorted keys, keeps Vietnamese text readable and decodes back to the same alert")
    func jsonRoundTrip() throws {
        let alert = sampleAlert()
        let text = String(decoding: alert.json(), as: UTF8.self)
        #expect(text.hasPrefix("{\"alertId\":\"P000123-overdue-2025-03-01\",\"body\":"))
        #expect(text.contains("\"unit\":\"Xã Vũ Hội\""))
        let keys = ["alertId", "body", "deadline", "department", "holder", "level", "petitionId", "raisedAt", "recipient", "subject", "unit"]
        let positions = keys.compactMap { text.range(of: "\"\($0)\":")?.lowerBound }
        #expect(positions.count == keys.count)
        #expect(positions == positions.sorted())
        #expect(try JSONDecoder().decode(Alert.self, from: Data(alert.json())) == alert)
    }
}
