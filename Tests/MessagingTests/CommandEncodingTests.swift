import EventSourcing
import Foundation
@testable import Messaging
import PetitionDomain
import Testing

/// Every client sends commands through ``CommandRequest/wireJSON``; the gateway must read back exactly what was meant.
@Suite("command messages: one encoder, the inverse of the gateway's decoder")
struct CommandEncodingTests {
    static let day = LocalDate("2026-03-19")!
    static let commands: [GatewayCommand] = handlers.map { GatewayCommand($0) }
    static let handlers: [any CommandHandler] = [
        Commands.OpenSession(unit: "Xã Bình Thành", title: "Đối thoại \"ấp\" Tây Huề \\ đợt 2", chair: "Trần Văn A"),
        Commands.Submit(sessionId: "S000001", kind: .complaint, category: .land, content: "Cấp giấy chứng nhận chậm",
                citizen: PersonalData(name: "Nguyễn Thị B", address: "ấp Tây Huề", phone: "0900 000 000")),
        Commands.Submit(sessionId: "S000001", kind: .recommendation, category: .transport, content: "Đường xuống cấp", citizen: PersonalData(name: "Lê C")),
        Commands.Answer(petitionId: "P000001", by: "Trần Văn A", answer: "Đã trả lời tại hội nghị"),
        Commands.Refer(petitionId: "P000001", department: "Phòng Tài nguyên và Môi trường", assignee: "Lê Văn C", by: "Trần Văn A",
               deadline: .days(30), complexity: .normal),
        Commands.Refer(petitionId: "P000002", department: "Phòng Kinh tế", assignee: "Phạm D", by: "Trần Văn A", deadline: .date(day), complexity: .complex),
        Commands.Refer(petitionId: "P000003", department: "Phòng Kinh tế", assignee: "Phạm D", by: "Trần Văn A", deadline: .policy, complexity: .normal),
        Commands.Resolve(petitionId: "P000001", by: "Lê Văn C", resolution: "Đã cấp giấy"),
        Commands.Feedback(petitionId: "P000001", satisfied: false, comment: "Chưa thỏa đáng"),
        Commands.Feedback(petitionId: "P000001", satisfied: true, comment: ""),
        Commands.Accept(petitionId: "P000001"),
        Commands.Extend(petitionId: "P000001", approver: "Trần Văn A", decision: "QĐ 12/QĐ-UBND", deadline: day),
        Commands.Extend(petitionId: "P000001", approver: "Trần Văn A", decision: "QĐ 13", deadline: nil),
        Commands.Reassign(petitionId: "P000001", department: "Phòng Kinh tế", assignee: "Phạm D", reason: "Đúng thẩm quyền"),
        Commands.Reopen(petitionId: "P000001", reason: "Công dân chưa đồng ý"),
        Commands.Withdraw(petitionId: "P000001", reason: "Công dân rút đơn"),
        Commands.Merge(petitionId: "P000002", into: "P000001", reason: "Trùng nội dung"),
        Commands.Escalate(petitionId: "P000001", level: .overdue, deadline: day, due: day, recipient: "Chủ tịch UBND xã"),
        Commands.RecordDelivery(.delivered(alertId: "A-P000001-overdue-2026-03-19", petitionId: "P000001", sink: "webhook", attempts: 2, detail: "HTTP 200")),
        Commands.RecordDelivery(.failed(alertId: "A-1", petitionId: "P000001", sink: "email", attempt: 3, reason: "550 no such user", permanent: true)),
        Commands.ForgetPerson(personId: "person-7f3a", by: "Trần Văn A", reason: "Đơn đề nghị xóa dữ liệu"),
        Commands.Note(petitionId: "P000001", text: "Đã gọi điện cho công dân, hẹn ngày 25/3"),
        Commands.RegisterUnit(code: "34", name: "Tỉnh Hưng Yên", kind: .province, parent: nil),
        Commands.RegisterUnit(code: "26734", name: "Xã Vũ Thư", kind: .commune, parent: "34"),
        Commands.RegisterDepartment(unit: "26734", code: "TNMT", name: "Phòng Tài nguyên và Môi trường"),
        Commands.AppointOfficial(name: "Trần Văn A", unit: "26734", department: nil, roles: [.chair, .clerk]),
        Commands.AppointOfficial(name: "Lê Thị B", unit: "26734", department: "TNMT", roles: [.departmentOfficer]),
        Commands.IssueCredential(officialId: "O000001", publicKey: "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"),
        Commands.RevokeCredential(publicKey: "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7", reason: "Máy tính bị mất"),
        Commands.RecordAccess(PersonalDataAccessed(officialId: "O000002", access: .search, stream: nil, personIds: ["p-1", "p-2"], purpose: "Tìm đơn")),
        Commands.GrantRole(officialId: "O000002", role: .chair),
        Commands.WithdrawRole(officialId: "O000002", role: .clerk, reason: "Chuyển công tác"),
        Commands.DeactivateOfficial(officialId: "O000002", reason: "Nghỉ hưu"),
        Commands.RenameUnit(code: "26734", name: "Xã Vũ Thư mới"),
        Commands.MergeUnits(predecessors: ["26734", "26737"], into: "26740"),
        Commands.RetireUnit(code: "26734", reason: "Sáp nhập"),
        Commands.TransferOfficial(officialId: "O000002", unit: "26740", department: "TNMT", reason: "Điều động"),
        Commands.RenameDepartment(unit: "26734", code: "TNMT", name: "Phòng Nông nghiệp và Môi trường"),
    ]

    @Test("every command, encoded and decoded again, is the same command with the same fingerprint, and names no actor")
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
            // Who acts is the connection's key, never a member of the message.
            #expect(received.actor == nil)
            for member in CommandRequest.identityFields where !Swift.type(of: command.handler).ownMembers.contains(member) {
                #expect(fields.object[member] == nil, "\(type) carries \(member)")
            }
            #expect(received.occurredAt == sent.occurredAt)
            #expect(received.fingerprint(by: actor) == sent.fingerprint, "\(type)")
        }
    }

    /// The fingerprints the gateway stores for ``commands`` (the first 22 as stored before commands became handlers):
    /// a command retried with the same id after an upgrade must still be recognised as the same command.
    static let storedFingerprints = [
        "676ed4e958de17c1ae6a3936b8c5a6bd",
        "0ace301bac173a447213bffe685ecaaf",
        "7bb614a5465eab5e9d7cc1d1ac29e02d",
        "867cf746c5da199018503abe37154199",
        "8d76eca7bdbeda743f01bd76a6718ac3",
        "ed46847d0cef54c91df49b66421000c0",
        "3ab726058afd45ce29fc3a5f9c584098",
        "dc7e2fce69adb48e49aaa0da7a26a894",
        "34bc176baad1512511ccadeae47a9dde",
        "cc42e1f7967a8bc8eb8e31bd24daac34",
        "7f6d7e8aeae8c015c66a8a8295c54879",
        "8049ff572f6938702ff3d47608b4929f",
        "f444044dc8cfacbfbe76ecfbe2e17af9",
        "7b5a362b5994e93ba7a200a516301d9a",
        "af114eacf2bd11a1ba031dba0ebd0490",
        "795a18eb1195bbf27ce409e2866e391d",
        "4a3d9430e2af85c13c2c44a7cd8d1b94",
        "1f08e3db8b52a21e8c5965e67e11b782",
        "4777b35ff87bd8d31f7315d421449613",
        "e2b068aab11de463b391467c34f52697",
        "7db45fee3ee3e468156adb75777eeffd",
        "8bff527eba9ba3a0c525a91eb09c7556",
        "77c5f2abfe6fcc1d5d4e973f11efbd7d", // unit.register
        "590ff72836b9b330e6da19b02fe8a1bc", // unit.register
        "f8d92e087d88198d5ad57ef41c53c863", // department.register
        "9fb1701c75f8331e3d9884c4d57d517d", // official.appoint
        "22b5a5bf6841b211b933904f688294b2", // official.appoint
        "fe856cdd398836195bb77e165a7dba28", // credential.issue
        "e039d02284c8798325c9c8119a5bf3fb", // credential.revoke
        "13ccb3ad6641fc5104e148601b06c6dc", // access.record
        "37deec17ccaa4004aaf2dfc4a18c6f9c", // official.grant
        "842f2d9c03d028e93f13a9ceeedf12db", // official.revoke
        "8fa297d6d646fce36af0a35eb59cfe57", // official.deactivate
        "07348f2d33afef5a793e71b7a5d03a36", // unit.rename
        "349a3adb56bc9cc51b028f5c700eb207", // unit.merge
        "e0247324981ff8c1424cda914e5afb61", // unit.retire
        "8637f5197a14deb921adff23523a9789", // official.transfer
        "e85da2c54032e635ba657d8eea221260", // department.rename (new in this version: its fingerprint from now on)
    ]

    @Test("a command's fingerprint is what earlier versions stored for it, so retries across an upgrade stay idempotent")
    func fingerprintsAreStable() {
        let occurredAt = Timestamp.date(millis: 1_773_882_000_123)
        #expect(Self.commands.count == Self.storedFingerprints.count)
        for (i, command) in Self.commands.enumerated() {
            let role = command.action.roles[0]
            let actor = Actor(id: "Người \(i)", role: role, department: role == .departmentOfficer ? "Phòng Kinh tế" : nil)
            let sent = CommandRequest(commandId: "cmd-\(i)", actor: actor, occurredAt: i.isMultiple(of: 2) ? occurredAt : nil, command: command)
            #expect(sent.fingerprint == Self.storedFingerprints[i], "\(command.messageType)")
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

