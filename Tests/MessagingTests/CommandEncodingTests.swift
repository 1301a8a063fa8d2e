import EventSourcing
import Foundation
@testable import Messaging
import PetitionDomain
import Testing

/// Every client sends commands through ``CommandRequest/wireJSON``; the gateway must read back exactly what was meant.
@Suite("command messages: one encoder, the inverse of the gateway's decoder")
struct CommandEncodingTests {
    static let day = LocalDate("2026-03-19")!
    static let commands: [GatewayCommand] = [
        .openSession(unit: "Xã Bình Thành", title: "Đối thoại \"ấp\" Tây Huề \\ đợt 2", chair: "Trần Văn A"),
        .submit(sessionId: "S000001", kind: .complaint, category: .land, content: "Cấp giấy chứng nhận chậm",
                citizen: PersonalData(name: "Nguyễn Thị B", address: "ấp Tây Huề", phone: "0900 000 000")),
        .submit(sessionId: "S000001", kind: .recommendation, category: .transport, content: "Đường xuống cấp", citizen: PersonalData(name: "Lê C")),
        .answer(petitionId: "P000001", by: "Trần Văn A", answer: "Đã trả lời tại hội nghị"),
        .refer(petitionId: "P000001", department: "Phòng Tài nguyên và Môi trường", assignee: "Lê Văn C", by: "Trần Văn A",
               deadline: .days(30), complexity: .normal),
        .refer(petitionId: "P000002", department: "Phòng Kinh tế", assignee: "Phạm D", by: "Trần Văn A", deadline: .date(day), complexity: .complex),
        .refer(petitionId: "P000003", department: "Phòng Kinh tế", assignee: "Phạm D", by: "Trần Văn A", deadline: .policy, complexity: .normal),
        .resolve(petitionId: "P000001", by: "Lê Văn C", resolution: "Đã cấp giấy"),
        .feedback(petitionId: "P000001", satisfied: false, comment: "Chưa thỏa đáng"),
        .feedback(petitionId: "P000001", satisfied: true, comment: ""),
        .accept(petitionId: "P000001"),
        .extend(petitionId: "P000001", approver: "Trần Văn A", decision: "QĐ 12/QĐ-UBND", deadline: day),
        .extend(petitionId: "P000001", approver: "Trần Văn A", decision: "QĐ 13", deadline: nil),
        .reassign(petitionId: "P000001", department: "Phòng Kinh tế", assignee: "Phạm D", reason: "Đúng thẩm quyền"),
        .reopen(petitionId: "P000001", reason: "Công dân chưa đồng ý"),
        .withdraw(petitionId: "P000001", reason: "Công dân rút đơn"),
        .merge(petitionId: "P000002", into: "P000001", reason: "Trùng nội dung"),
        .escalate(petitionId: "P000001", level: .overdue, deadline: day, due: day, recipient: "Chủ tịch UBND xã"),
        .recordDelivery(.delivered(alertId: "A-P000001-overdue-2026-03-19", petitionId: "P000001", sink: "webhook", attempts: 2, detail: "HTTP 200")),
        .recordDelivery(.failed(alertId: "A-1", petitionId: "P000001", sink: "email", attempt: 3, reason: "550 no such user", permanent: true)),
        .forgetPerson(personId: "person-7f3a", by: "Trần Văn A", reason: "Đơn đề nghị xóa dữ liệu"),
        .note(petitionId: "P000001", text: "Đã gọi điện cho công dân, hẹn ngày 25/3"),
    ]

    @Test("every command, encoded and decoded again, is the same command with the same fingerprint")
    func roundTrip() throws {
        let occurredAt = Timestamp.date(millis: 1_773_882_000_123)
        for (i, command) in Self.commands.enumerated() {
            let role = command.action.roles[0]
            let actor = Actor(id: "Người \(i)", role: role, department: role == .departmentOfficer ? "Phòng Kinh tế" : nil)
            let sent = CommandRequest(commandId: "cmd-\(i)", actor: actor, occurredAt: i.isMultiple(of: 2) ? occurredAt : nil, command: command)
            let (type, fields) = try RequestBody.parse(sent.wireBytes)
            let received = try CommandRequest(type: type, fields: fields)
            #expect(type == command.messageType)
            #expect(received.command == command, "\(type)")
            #expect(received.actor == actor)
            #expect(received.occurredAt == sent.occurredAt)
            #expect(received.fingerprint == sent.fingerprint, "\(type)")
        }
    }

    @Test("every command message type has an encoding")
    func everyTypeIsCovered() {
        #expect(Set(Self.commands.map(\.messageType)) == Set(GatewayCommand.messageTypes))
    }
}

@Suite("error codes: one list")
struct ErrorCodeTests {
    @Test("the schema's error codes are exactly the codes a server replies with")
    func schemaListsEveryCode() throws {
        let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let common = repositoryRoot.appendingPathComponent("Schemas/common.json")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: common)) as? [String: Any])
        let defs = try #require(root["$defs"] as? [String: Any])
        let listed = try #require((defs["errorCode"] as? [String: Any])?["enum"] as? [String])
        // Not reply codes: a client's own (no server answered) and a configuration file's (refused at start).
        let servers = ErrorCode.allCases.filter { $0 != .notRunning && $0 != .invalidConfiguration }.map(\.rawValue)
        #expect(Set(listed) == Set(servers))
        #expect(listed.count == servers.count)
    }

    @Test("wire and domain errors carry their typed code")
    func typedCodes() {
        #expect(WireError.missingField("x").errorCode == .missingField)
        #expect(WireError.domain(.petitionNotFound("P1")).errorCode == .petitionNotFound)
        #expect(WireError(code: "from_a_newer_server", message: "?").errorCode == nil)
    }
}
