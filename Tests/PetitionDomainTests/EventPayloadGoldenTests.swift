import PetitionDomain
import Testing

/// The stored form of every event type, captured from the encoder before the event registry replaced its
/// switches: the log's hash chain and the schemas depend on these bytes, so they never change.
@Suite("EventPayloadGolden: the bytes every event type writes")
struct EventPayloadGoldenTests {
    /// (type, data) for ``EventCodecTests/everyEvent()`` then ``EventCodecTests/trickyEvents()``, in order.
    static let golden: [(String, String)] = [
        (#"session.opened.v3"#, #"{"attendees":null,"chair":"Phạm Quốc Tuấn","hamlet":null,"sessionId":"S000007","title":"Đối thoại về bồi thường, giải phóng mặt bằng \"dự án đường vành đai\"","unit":"Thị trấn Đắk Mil, tỉnh Đắk Nông","unitCode":null}"#),
        (#"petition.submitted.v3"#, #"{"category":"transport","citizen":{"personId":"person-0001","sealed":"c2VhbGVkLWJ5LXRoZS12YXVsdA=="},"content":"Đề nghị sửa chữa tuyến đường liên xã bị xuống cấp, ngập nước mỗi khi mưa lớn.","kind":"recommendation","petitionId":"P000001","sessionId":"S000001","trackingCode":null,"unit":"Phường Bến Nghé, Quận 1","unitCode":null}"#),
        (#"petition.referred.v3"#, #"{"assignee":"Lê Văn Cường","by":"Trần Thị Bình","complexity":"normal","deadline":"2026-04-18","department":"Phòng Quản lý đô thị","departmentRef":null,"petitionId":"P000001","rule":"30 calendar days, given by the chair"}"#),
        (#"petition.resolved.v1"#, #"{"by":"Lê Văn Cường","petitionId":"P000001","resolution":"Đã trải nhựa lại 800 m đường và nạo vét cống thoát nước."}"#),
        (#"petition.answered.v1"#, #"{"answer":"UBND phường sẽ khảo sát và sửa chữa trong tháng 4.","by":"Trần Thị Bình","petitionId":"P000001"}"#),
        (#"petition.feedback.v1"#, #"{"by":"Thư ký","comment":"Chưa thỏa đáng, đường vẫn ngập","on":"resolution","petitionId":"P000001","satisfied":false}"#),
        (#"petition.accepted.v1"#, #"{"by":"Lê Văn Cường","department":"Phòng Quản lý đô thị","petitionId":"P000001"}"#),
        (#"petition.extended.v1"#, #"{"approver":"Chủ tịch UBND","by":"Trần Thị Bình","deadline":"2026-05-18","decision":"Quyết định 12/QĐ-UBND","extensionNumber":1,"petitionId":"P000001","previousDeadline":"2026-04-18"}"#),
        (#"petition.reassigned.v2"#, #"{"assignee":"Đỗ Thị Hạnh","by":"Trần Thị Bình","department":"Phòng Tài nguyên và Môi trường","departmentRef":null,"fromAssignee":"Lê Văn Cường","fromDepartment":"Phòng Quản lý đô thị","petitionId":"P000001","reason":"Đúng thẩm quyền"}"#),
        (#"petition.reopened.v1"#, #"{"by":"Trần Thị Bình","petitionId":"P000001","reason":"Công dân khiếu nại tiếp"}"#),
        (#"petition.withdrawn.v1"#, #"{"by":"Thư ký","petitionId":"P000001","reason":"Công dân rút đơn"}"#),
        (#"petition.merged.v1"#, #"{"by":"Trần Thị Bình","into":"P000001","petitionId":"P000003","reason":"Trùng nội dung"}"#),
        (#"petition.duplicate-merged.v1"#, #"{"by":"Trần Thị Bình","citizen":{"personId":"p3","sealed":"c2VhbGVk"},"duplicateId":"P000003","petitionId":"P000001"}"#),
        (#"petition.escalated.v2"#, #"{"alertId":"P000001.overdue.3f2b8c1e-9a4d-4e7f-8b2c-1d0e9f8a7b6c","assignee":"Lê Văn Cường","deadline":"2026-04-18","department":"Phòng Quản lý đô thị","due":"2026-04-19","level":"overdue","petitionId":"P000001","recipient":"Chủ tịch UBND Phường 1","unit":"Phường 1"}"#),
        (#"alert.delivered.v1"#, #"{"alertId":"P000001.overdue.2026-04-18","attempts":3,"detail":"HTTP 204","petitionId":"P000001","sink":"webhook"}"#),
        (#"alert.delivery-failed.v1"#, #"{"alertId":"P000001.overdue.2026-04-18","attempt":2,"permanent":false,"petitionId":"P000001","reason":"451 thử lại sau","sink":"email"}"#),
        (#"person.forgotten.v1"#, #"{"by":"Trần Thị Bình","personId":"fb246549-7a28-4792-b7ea-bba16350fa32","reason":"Đơn đề nghị xóa dữ liệu cá nhân"}"#),
        // Added with the registry (petition.note-added.v1), not captured from the old encoder.
        (#"petition.note-added.v1"#, #"{"by":"Thư ký","petitionId":"P000001","text":"Đã gọi điện cho công dân / hẹn ngày 25/3"}"#),
        // Added with the registry of units and departments: a null parent is written, as the schema says.
        (#"unit.registered.v1"#, #"{"code":"34","kind":"province","name":"Tỉnh Hưng Yên","parent":null}"#),
        (#"unit.registered.v1"#, #"{"code":"26734","kind":"commune","name":"Xã Vũ Thư","parent":"34"}"#),
        (#"department.registered.v1"#, #"{"code":"TNMT","name":"Phòng Tài nguyên và Môi trường","unit":"26734"}"#),
        (#"official.appointed.v1"#, #"{"department":null,"name":"Trần Văn A","officialId":"O000001","roles":["chair","clerk"],"unit":"26734"}"#),
        (#"official.appointed.v1"#, #"{"department":"TNMT","name":"Lê Thị B","officialId":"O000002","roles":["department_officer"],"unit":"26734"}"#),
        (#"credential.issued.v1"#, #"{"officialId":"O000001","publicKey":"rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"}"#),
        (#"registry.founded.v1"#, #"{"name":"Quản trị viên","officialId":"O000001","publicKey":"rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"}"#),
        (#"credential.revoked.v1"#, #"{"publicKey":"rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7","reason":"Máy tính bị mất"}"#),
        (#"access.recorded.v1"#, #"{"access":"reveal","officialId":"O000002","personIds":["p-1"],"purpose":"Gọi lại cho công dân","stream":"petition-P000001"}"#),
        (#"official.role-granted.v1"#, #"{"officialId":"O000002","role":"chair"}"#),
        (#"official.role-withdrawn.v1"#, #"{"officialId":"O000002","reason":"Chuyển công tác","role":"clerk"}"#),
        (#"official.deactivated.v1"#, #"{"officialId":"O000002","reason":"Nghỉ hưu"}"#),
        (#"unit.renamed.v1"#, #"{"code":"26734","name":"Xã Vũ Thư mới"}"#),
        (#"unit.merged.v1"#, #"{"into":"26740","predecessors":["26734","26737"]}"#),
        (#"unit.retired.v1"#, #"{"code":"26734","reason":"Sáp nhập theo Nghị quyết 1680/NQ-UBTVQH15"}"#),
        (#"official.transferred.v1"#, #"{"department":null,"officialId":"O000002","reason":"Điều động","unit":"26740"}"#),
        (#"department.renamed.v1"#, #"{"code":"TNMT","name":"Phòng Nông nghiệp và Môi trường","unit":"26734"}"#),
        (#"session.opened.v3"#, #"{"attendees":null,"chair":"</script>","hamlet":null,"sessionId":"S1","title":"","unit":"\"ngoặc\" \\ gạch/chéo\ndòng\r\ttab \u0001\b\f\u001f\#u{7f} \#u{2028} 🙏 é","unitCode":null}"#),
        (#"petition.submitted.v3"#, #"{"category":"traffic_safety","citizen":{"personId":"p/1","sealed":"ab+/=="},"content":"\"ngoặc\" \\ gạch/chéo\ndòng\r\ttab \u0001\b\f\u001f\#u{7f} \#u{2028} 🙏 é","kind":"denunciation","petitionId":"P1","sessionId":"S1","trackingCode":null,"unit":"\"ngoặc\" \\ gạch/chéo\ndòng\r\ttab \u0001\b\f\u001f\#u{7f} \#u{2028} 🙏 é","unitCode":null}"#),
        (#"petition.answered.v1"#, #"{"answer":"\"ngoặc\" \\ gạch/chéo\ndòng\r\ttab \u0001\b\f\u001f\#u{7f} \#u{2028} 🙏 é","by":"\"ngoặc\" \\ gạch/chéo\ndòng\r\ttab \u0001\b\f\u001f\#u{7f} \#u{2028} 🙏 é","petitionId":"P1"}"#),
        (#"petition.referred.v3"#, #"{"assignee":"a","by":"b","complexity":"normal","deadline":"0999-12-31","department":"\"ngoặc\" \\ gạch/chéo\ndòng\r\ttab \u0001\b\f\u001f\#u{7f} \#u{2028} 🙏 é","departmentRef":null,"petitionId":"P1","rule":"given by the chair"}"#),
        (#"petition.resolved.v1"#, #"{"by":"b","petitionId":"P1","resolution":"\"ngoặc\" \\ gạch/chéo\ndòng\r\ttab \u0001\b\f\u001f\#u{7f} \#u{2028} 🙏 é"}"#),
    ]

    @Test("every event type writes byte for byte what it wrote before the registry (hash chain and schemas depend on it)")
    func bytesUnchanged() throws {
        let events = try EventCodecTests.everyEvent() + EventCodecTests.trickyEvents()
        #expect(events.count == Self.golden.count)
        for (event, (type, data)) in zip(events, Self.golden) {
            let encoded = EventCodec.encode(event)
            #expect(encoded.type == type)
            #expect(Array(encoded.data.utf8) == Array(data.utf8), "\(type): \(encoded.data)")
            #expect(try EventCodec.decode(type: type, data: data) == event)
        }
    }

    @Test("a petition.escalated.v1 written before alert ids were drawn at random reads back with its id <petition>.<level>.<deadline>, both ways")
    func escalatedV1KeepsItsAlertId() throws {
        let v1 = #"{"assignee":"Lê Văn Cường","deadline":"2026-04-18","department":"Phòng Quản lý đô thị","due":"2026-04-19","level":"overdue","petitionId":"P000001","recipient":"Chủ tịch UBND Phường 1","unit":"Phường 1"}"#
        for decoded in [try EventCodec.decode(type: "petition.escalated.v1", data: v1), try EventCodec.decodeWithCodable(type: "petition.escalated.v1", data: v1)] {
            guard case .petition(.escalated(let e))? = decoded else { Issue.record("not an escalation: \(String(describing: decoded))"); continue }
            #expect(e.alertId == "P000001.overdue.2026-04-18")
            #expect(EventCodec.encode(.petition(.escalated(e))).type == "petition.escalated.v2")
        }
    }

    @Test("a petition.referred.v2 and a petition.reassigned.v1, recorded before the registry's department reference, read back as v3 and v2 with none")
    func referredV2AndReassignedV1ReadWithoutDepartmentRef() throws {
        let v2 = #"{"assignee":"Lê Văn Cường","by":"Trần Thị Bình","complexity":"complex","deadline":"2026-04-18","department":"Phòng Quản lý đô thị","petitionId":"P000001","rule":"given by the chair"}"#
        for decoded in [try EventCodec.decode(type: "petition.referred.v2", data: v2), try EventCodec.decodeWithCodable(type: "petition.referred.v2", data: v2)] {
            guard case .petition(.referred(let e))? = decoded else { Issue.record("not a referral: \(String(describing: decoded))"); continue }
            #expect(e.departmentRef == nil && e.complexity == .complex && e.department == "Phòng Quản lý đô thị")
            let encoded = EventCodec.encode(.petition(.referred(e)))
            #expect(encoded.type == "petition.referred.v3" && encoded.data.contains(#""departmentRef":null"#))
        }
        let v1 = #"{"assignee":"Đỗ Thị Hạnh","by":"O000003","department":"Phòng Tài nguyên và Môi trường","fromAssignee":"Lê Văn Cường","fromDepartment":"Phòng Quản lý đô thị","petitionId":"P000001","reason":"Đúng thẩm quyền"}"#
        guard case .petition(.reassigned(let r))? = try EventCodec.decode(type: "petition.reassigned.v1", data: v1) else { Issue.record("not a reassignment"); return }
        #expect(r.departmentRef == nil && r.department == "Phòng Tài nguyên và Môi trường")
        #expect(EventCodec.encode(.petition(.reassigned(r))).type == "petition.reassigned.v2")
    }

    @Test("a petition.submitted.v2, recorded before tracking codes, reads back as v3 without a code and keeps its unit code")
    func submittedV2ReadsWithoutTrackingCode() throws {
        let v2 = #"{"category":"transport","citizen":{"personId":"p1","sealed":"c2VhbGVk"},"content":"Đường ngập","kind":"recommendation","petitionId":"P000001","sessionId":"S000001","unit":"Xã A","unitCode":"26734"}"#
        guard case .petition(.submitted(let e))? = try EventCodec.decode(type: "petition.submitted.v2", data: v2) else {
            Issue.record("not a submission"); return
        }
        #expect(e.trackingCode == nil)
        #expect(e.unitCode == "26734")
        let encoded = EventCodec.encode(.petition(.submitted(e)))
        #expect(encoded.type == "petition.submitted.v3")
        #expect(encoded.data.contains(#""trackingCode":null"#))
    }
}
