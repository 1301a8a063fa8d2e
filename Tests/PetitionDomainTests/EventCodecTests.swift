import EventSourcing
import Foundation
import PetitionDomain
import Testing

@Suite("EventCodec: the stored form of domain events")
struct EventCodecTests {
    /// One event of every type, with Vietnamese text in every free-text field.
    static func everyEvent() throws -> [DomainEvent] {
        let opened = SessionOpened(sessionId: "S000007", unit: "Thị trấn Đắk Mil, tỉnh Đắk Nông",
                                   title: "Đối thoại về bồi thường, giải phóng mặt bằng \"dự án đường vành đai\"",
                                   chair: "Phạm Quốc Tuấn")
        let history = try Fixture.history(to: .resolved) + Fixture.history(to: .answered).suffix(1)
        let d = LocalDate("2026-04-18")!
        let followUps: [PetitionEvent] = [
            .feedback(PetitionFeedback(petitionId: "P000001", on: .resolution, satisfied: false, comment: "Chưa thỏa đáng, đường vẫn ngập", by: "Thư ký")),
            .accepted(PetitionAccepted(petitionId: "P000001", department: "Phòng Quản lý đô thị", by: "Lê Văn Cường")),
            .extended(PetitionExtended(petitionId: "P000001", by: "Trần Thị Bình", approver: "Chủ tịch UBND", decision: "Quyết định 12/QĐ-UBND",
                                       previousDeadline: d, deadline: d.adding(days: 30), extensionNumber: 1)),
            .reassigned(PetitionReassigned(petitionId: "P000001", fromDepartment: "Phòng Quản lý đô thị", fromAssignee: "Lê Văn Cường",
                                           department: "Phòng Tài nguyên và Môi trường", assignee: "Đỗ Thị Hạnh", by: "Trần Thị Bình", reason: "Đúng thẩm quyền")),
            .reopened(PetitionReopened(petitionId: "P000001", by: "Trần Thị Bình", reason: "Công dân khiếu nại tiếp")),
            .withdrawn(PetitionWithdrawn(petitionId: "P000001", by: "Thư ký", reason: "Công dân rút đơn")),
            .merged(PetitionMerged(petitionId: "P000003", into: "P000001", by: "Trần Thị Bình", reason: "Trùng nội dung")),
            .duplicateMerged(PetitionDuplicateMerged(petitionId: "P000001", duplicateId: "P000003",
                                                     citizen: SealedPersonalData(personId: "p3", sealed: "c2VhbGVk"), by: "Trần Thị Bình")),
            .escalated(PetitionEscalated(petitionId: "P000001", level: .overdue, deadline: d, due: d.adding(days: 1), unit: "Phường 1",
                                         department: "Phòng Quản lý đô thị", assignee: "Lê Văn Cường", recipient: "Chủ tịch UBND Phường 1",
                                         alertId: "P000001.overdue.3f2b8c1e-9a4d-4e7f-8b2c-1d0e9f8a7b6c")),
        ]
        let alerts: [AlertEvent] = [
            .delivered(AlertDelivered(alertId: "P000001.overdue.2026-04-18", petitionId: "P000001", sink: "webhook", attempts: 3, detail: "HTTP 204")),
            .deliveryFailed(AlertDeliveryFailed(alertId: "P000001.overdue.2026-04-18", petitionId: "P000001", sink: "email", attempt: 2,
                                                reason: "451 thử lại sau", permanent: false)),
        ]
        let erased = PersonForgotten(personId: "fb246549-7a28-4792-b7ea-bba16350fa32", by: "Trần Thị Bình", reason: "Đơn đề nghị xóa dữ liệu cá nhân")
        let note = PetitionNoteAdded(petitionId: "P000001", by: "Thư ký", text: "Đã gọi điện cho công dân / hẹn ngày 25/3")
        return [.session(.opened(opened))] + (history + followUps).map(DomainEvent.petition) + alerts.map(DomainEvent.alert) + [.person(.forgotten(erased))]
            + [.petition(.noteAdded(note))]
            + [.registry(.unitRegistered(UnitRegistered(code: "34", name: "Tỉnh Hưng Yên", kind: .province, parent: nil))),
               .registry(.unitRegistered(UnitRegistered(code: "26734", name: "Xã Vũ Thư", kind: .commune, parent: "34"))),
               .registry(.departmentRegistered(DepartmentRegistered(unit: "26734", code: "TNMT", name: "Phòng Tài nguyên và Môi trường"))),
               .registry(.officialAppointed(OfficialAppointed(officialId: "O000001", name: "Trần Văn A", unit: "26734", department: nil, roles: [.chair, .clerk]))),
               .registry(.officialAppointed(OfficialAppointed(officialId: "O000002", name: "Lê Thị B", unit: "26734", department: "TNMT", roles: [.departmentOfficer]))),
               .registry(.credentialIssued(CredentialIssued(officialId: "O000001", publicKey: "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"))),
               .registry(.founded(RegistryFounded(officialId: "O000001", name: "Quản trị viên", publicKey: "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"))),
               .registry(.credentialRevoked(CredentialRevoked(publicKey: "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7", reason: "Máy tính bị mất"))),
               .access(.accessed(PersonalDataAccessed(officialId: "O000002", access: .reveal, stream: "petition-P000001", personIds: ["p-1"], purpose: "Gọi lại cho công dân"))),
               .registry(.roleGranted(OfficialRoleGranted(officialId: "O000002", role: .chair))),
               .registry(.roleWithdrawn(OfficialRoleWithdrawn(officialId: "O000002", role: .clerk, reason: "Chuyển công tác"))),
               .registry(.officialDeactivated(OfficialDeactivated(officialId: "O000002", reason: "Nghỉ hưu"))),
               .registry(.unitRenamed(UnitRenamed(code: "26734", name: "Xã Vũ Thư mới"))),
               .registry(.unitsMerged(UnitsMerged(predecessors: ["26734", "26737"], into: "26740"))),
               .registry(.unitRetired(UnitRetired(code: "26734", reason: "Sáp nhập theo Nghị quyết 1680/NQ-UBTVQH15"))),
               .registry(.officialTransferred(OfficialTransferred(officialId: "O000002", unit: "26740", department: nil, reason: "Điều động"))),
               .registry(.departmentRenamed(DepartmentRenamed(unit: "26734", code: "TNMT", name: "Phòng Nông nghiệp và Môi trường")))]
    }

    @Test("every event type encodes and decodes back to the same event, Vietnamese text intact")
    func roundTripEveryType() throws {
        let events = try Self.everyEvent()
        #expect(Set(events.map { EventCodec.encode($0).type }) == Set(EventCodec.eventTypes))
        for event in events {
            let (type, data) = EventCodec.encode(event)
            let decoded = try EventCodec.decode(type: type, data: data)
            #expect(decoded == event, "\(type) did not survive a round trip: \(data)")
        }
    }

    /// Events whose text needs every kind of escaping.
    static func trickyEvents() throws -> [DomainEvent] {
        let tricky = "\"ngoặc\" \\ gạch/chéo\ndòng\r\ttab \u{01}\u{08}\u{0C}\u{1F}\u{7F} \u{2028} 🙏 e\u{301}"
        let opened = SessionOpened(sessionId: "S1", unit: tricky, title: "", chair: "</script>")
        return [
            .session(.opened(opened)),
            .petition(.submitted(PetitionSubmitted(petitionId: "P1", sessionId: "S1", unit: tricky, kind: .denunciation,
                                                   category: .trafficSafety, content: tricky,
                                                   citizen: SealedPersonalData(personId: "p/1", sealed: "ab+/==")))),
            .petition(.answered(PetitionAnswered(petitionId: "P1", by: tricky, answer: tricky))),
            .petition(.referred(PetitionReferred(petitionId: "P1", department: tricky, assignee: "a", by: "b",
                                                 deadline: LocalDate("0999-12-31")!))),
            .petition(.resolved(PetitionResolved(petitionId: "P1", by: "b", resolution: tricky))),
        ]
    }

    @Test("the fast hand-written encoder writes exactly what JSONEncoder writes, escapes included")
    func fastEncoderMatchesCodable() throws {
        for event in try Self.everyEvent() + Self.trickyEvents() {
            let fast = EventCodec.encode(event)
            let reference = EventCodec.encodeWithCodable(event)
            #expect(fast.type == reference.type)
            #expect(Array(fast.data.utf8) == Array(reference.data.utf8), "\(fast.type): \(fast.data) vs \(reference.data)")
        }
    }

    @Test("the fast decoder reads what JSONEncoder wrote, and what other writers may write, like the Codable decoder")
    func fastDecoderMatchesCodable() throws {
        for event in try Self.everyEvent() + Self.trickyEvents() {
            let (type, data) = EventCodec.encodeWithCodable(event)
            #expect(try EventCodec.decode(type: type, data: data) == event)
            #expect(try EventCodec.decodeWithCodable(type: type, data: data) == event)
        }
        let escaped = #"{ "sessionId":"S1", "unit":"Đất \/ đai", "title":"t", "chair":"c", "extra":[1,{"x":null}] }"#
        let fast = try EventCodec.decode(type: "session.opened.v1", data: escaped)
        #expect(fast == (try EventCodec.decodeWithCodable(type: "session.opened.v1", data: escaped)))
        #expect(fast == .session(.opened(SessionOpened(sessionId: "S1", unit: "Đất / đai", title: "t", chair: "c"))))
    }

    @Test("both decoders refuse data missing a field or with a field of the wrong type", arguments: [
        ("session.opened.v1", #"{"sessionId":"S1","unit":"u","title":"t"}"#),
        ("session.opened.v1", #"{"sessionId":"S1","unit":"u","title":"t","chair":5}"#),
        ("session.opened.v1", #"{"sessionId":"S1","unit":"u","title":"t","chair":null}"#),
        ("petition.answered.v1", "[]"),
        ("petition.answered.v1", #"{"petitionId":"P1","by":"b","answer":"a""#),
        ("petition.resolved.v1", #"{"petitionId":"P1","by":"b"}"#),
        ("petition.submitted.v1", #"{"petitionId":"P1","sessionId":"S1","unit":"u","kind":"complaint","category":"land","content":"c","citizen":"x"}"#),
        ("petition.submitted.v1", #"{"petitionId":"P1","sessionId":"S1","unit":"u","kind":"complaint","category":"roads","content":"c","citizen":{"personId":"p","sealed":"s"}}"#),
        ("petition.referred.v1", #"{"petitionId":"P1","department":"d","assignee":"a","by":"b","deadline":"2026-4-30"}"#),
    ])
    func bothDecodersRefuse(type: String, data: String) {
        #expect(throws: (any Error).self) { try EventCodec.decode(type: type, data: data) }
        #expect(throws: (any Error).self) { try EventCodec.decodeWithCodable(type: type, data: data) }
    }

    @Test("encoded data is JSON with sorted keys, unescaped slashes and the Vietnamese text as UTF-8")
    func encodedFormIsStable() throws {
        let opened = SessionOpened(sessionId: "S000001", unit: "Phường 1/Quận 3", unitCode: "26734", title: "Đối thoại", chair: "Võ Thị Sáu",
                                   hamlet: "Khu phố 2", attendees: 150)
        let (type, data) = EventCodec.encode(.session(.opened(opened)))
        #expect(type == "session.opened.v3")
        #expect(data == #"{"attendees":150,"chair":"Võ Thị Sáu","hamlet":"Khu phố 2","sessionId":"S000001","title":"Đối thoại","unit":"Phường 1/Quận 3","unitCode":"26734"}"#)
        #expect(try EventCodec.decode(type: type, data: data) == .session(.opened(opened)) && (try EventCodec.decodeWithCodable(type: type, data: data)) == .session(.opened(opened)))
    }

    @Test("a session recorded before the hamlet and the number attending were recorded (v2) reads as v3 with them null")
    func aVersion2SessionReadsAsVersion3() throws {
        let data = #"{"chair":"C","sessionId":"S1","title":"T","unit":"Xã A","unitCode":"26734"}"#
        let expected = DomainEvent.session(.opened(SessionOpened(sessionId: "S1", unit: "Xã A", unitCode: "26734", title: "T", chair: "C")))
        #expect(try EventCodec.decode(type: "session.opened.v2", data: data) == expected)
        #expect(try EventCodec.decodeWithCodable(type: "session.opened.v2", data: data) == expected)
        #expect(EventCodec.readableTypes.contains("session.opened.v2"))
    }

    @Test("a session and a petition recorded before units were registered (v1) read as v2 with no unit code")
    func version1ReadsAsVersion2() throws {
        let opened = try EventCodec.decode(type: "session.opened.v1", data: #"{"chair":"C","sessionId":"S1","title":"T","unit":"Xã A"}"#)
        #expect(opened == .session(.opened(SessionOpened(sessionId: "S1", unit: "Xã A", unitCode: nil, title: "T", chair: "C"))))
        #expect(try EventCodec.decodeWithCodable(type: "session.opened.v1", data: #"{"chair":"C","sessionId":"S1","title":"T","unit":"Xã A"}"#) == opened)
        let data = #"{"category":"land","citizen":{"personId":"p","sealed":"s"},"content":"c","kind":"report","petitionId":"P1","sessionId":"S1","unit":"Xã A"}"#
        guard case .petition(.submitted(let submitted))? = try EventCodec.decode(type: "petition.submitted.v1", data: data) else {
            Issue.record("petition.submitted.v1 does not read"); return
        }
        #expect(submitted.unit == "Xã A" && submitted.unitCode == nil)
        #expect(EventCodec.readableTypes.isSuperset(of: ["session.opened.v1", "petition.submitted.v1"]))
    }

    @Test("a referral's deadline is stored as a YYYY-MM-DD string")
    func deadlineStoredAsDate() throws {
        let referral = try Fixture.history(to: .referred).last!
        let (type, data) = EventCodec.encode(.petition(referral))
        #expect(type == "petition.referred.v3")
        #expect(data.contains(#""deadline":"2026-04-18""#))
    }

    @Test("every event type name is unique and ends in a version such as .v1")
    func typeNamesCarryVersions() {
        #expect(EventCodec.eventTypes.count == 33)
        #expect(Set(EventCodec.eventTypes).count == EventCodec.eventTypes.count)
        for type in EventCodec.eventTypes {
            #expect(type.wholeMatch(of: /[a-z]+(\.[a-z]+(-[a-z]+)*)+\.v[1-9][0-9]*/) != nil, "\(type) does not end in a version")
        }
    }

    @Test("a petition.referred.v1 record from before deadline policies is upcast: normal complexity, deadline given by the chair")
    func referredV1IsUpcast() throws {
        let v1 = #"{"assignee":"Lê Văn Cường","by":"Trần Thị Bình","deadline":"2026-04-18","department":"Phòng Quản lý đô thị","petitionId":"P000001"}"#
        let expected = DomainEvent.petition(.referred(PetitionReferred(petitionId: "P000001", department: "Phòng Quản lý đô thị", assignee: "Lê Văn Cường",
                                                                       by: "Trần Thị Bình", deadline: LocalDate("2026-04-18")!, complexity: .normal,
                                                                       rule: "given by the chair")))
        #expect(try EventCodec.decode(type: "petition.referred.v1", data: v1) == expected)
        #expect(try EventCodec.decodeWithCodable(type: "petition.referred.v1", data: v1) == expected)
    }

    @Test("an unknown type reads as an explicit unknown outcome with its position, so a reader can count and report it")
    func unknownTypeIsExplicit() throws {
        #expect(try EventCodec.read(type: "petition.teleported.v1", utf8: Array("{}".utf8), position: 990) == .unknown(type: "petition.teleported.v1", position: 990))
        #expect(try EventCodec.read(type: "petition.submitted.v9", utf8: Array("{}".utf8), position: 7) == .unknown(type: "petition.submitted.v9", position: 7))
        #expect(try EventCodec.read(type: "audit.checkpoint.v1", utf8: Array("{}".utf8), position: 8) == .checkpoint)
        #expect(try EventCodec.decode(type: "petition.teleported.v1", data: "{}") == nil)
    }

    @Test("every event type is registered once, with a one-line history text and no personal data in it")
    func everyTypeRegisteredOnce() throws {
        for event in try Self.everyEvent() {
            #expect(!event.summary.isEmpty && !event.summary.contains("\n"), "\(EventCodec.typeName(of: event))")
            #expect(!event.summary.contains("c2VhbGVk"), "\(event.summary) shows sealed data")
        }
        #expect(Set(EventRegistry.names).count == EventRegistry.names.count)
        #expect(EventRegistry.schemaFile("petition.referred.v3") == "Schemas/events/petition.referred.v3.json")
    }

    @Test("known types with broken data fail to decode instead of inventing values", arguments: [
        ("session.opened.v1", "{}"),
        ("petition.answered.v1", "not json"),
        ("petition.referred.v1", #"{"petitionId":"P1","department":"d","assignee":"a","by":"b","deadline":"2026-02-30"}"#),
        ("petition.submitted.v1", #"{"petitionId":"P1","sessionId":"S1","unit":"u","kind":"wish","category":"land","content":"c","citizen":{"personId":"p","sealed":"s"}}"#),
    ])
    func brokenDataThrows(type: String, data: String) {
        #expect(throws: (any Error).self) { try EventCodec.decode(type: type, data: data) }
    }

    @Test("a recorded event decodes through its type and data")
    func decodeRecordedEvent() throws {
        let event = try Self.everyEvent()[1]
        let (type, data) = EventCodec.encode(event)
        let record = RecordedEvent(position: 1, stream: StreamName(category: "petition", id: "P000001"), streamVersion: 1,
                                   id: "e1", type: type, occurredAt: Date(timeIntervalSince1970: 0),
                                   recordedAt: Date(timeIntervalSince1970: 0), data: data,
                                   metadata: EventMetadata(actor: "clerk", commandId: "c1"),
                                   previousHash: HashChain.genesis, hash: HashChain.genesis)
        #expect(try EventCodec.decode(record) == event)
    }
}
