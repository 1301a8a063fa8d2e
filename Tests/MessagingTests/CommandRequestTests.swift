import EventSourcing
import Foundation
import Messaging
import PetitionDomain
import Testing

@Suite("CommandRequest: decoding command messages and naming what is wrong")
struct CommandRequestTests {
    /// A change to a valid message and the error it must cause.
    struct Case: Sendable, CustomTestStringConvertible {
        var type: String
        var path: String
        /// The JSON literal put at `path`; nil removes the field.
        var literal: String?
        var code: String
        var field: String

        var testDescription: String { "\(type) \(path)=\(literal ?? "absent") → \(code)" }
    }

    static let cases: [Case] = [
        // Every command
        Case(type: "session.open", path: "commandId", literal: nil, code: "missing_field", field: "commandId"),
        Case(type: "petition.answer", path: "commandId", literal: "17", code: "wrong_type", field: "commandId"),
        Case(type: "petition.submit", path: "commandId", literal: #""a\"b""#, code: "invalid_value", field: "commandId"),
        Case(type: "session.open", path: "commandId", literal: #""mã lệnh 1""#, code: "invalid_value", field: "commandId"),
        Case(type: "session.open", path: "actor", literal: nil, code: "missing_field", field: "actor"),
        Case(type: "session.open", path: "occurredAt", literal: #""yesterday""#, code: "invalid_value", field: "occurredAt"),
        Case(type: "petition.submit", path: "occurredAt", literal: #""2026-03-19""#, code: "invalid_value", field: "occurredAt"),
        Case(type: "petition.answer", path: "occurredAt", literal: #""2026-03-19T08:00:00""#, code: "invalid_value", field: "occurredAt"),
        Case(type: "petition.refer", path: "occurredAt", literal: "1773882000", code: "wrong_type", field: "occurredAt"),
        Case(type: "session.open", path: "occurredAt", literal: #""1899-12-31T23:59:59Z""#, code: "invalid_value", field: "occurredAt"),
        Case(type: "petition.answer", path: "occurredAt", literal: #""2200-01-01T00:00:00Z""#, code: "invalid_value", field: "occurredAt"),
        // session.open
        Case(type: "session.open", path: "unit", literal: nil, code: "missing_field", field: "unit"),
        Case(type: "session.open", path: "title", literal: #""""#, code: "invalid_value", field: "title"),
        Case(type: "session.open", path: "chair", literal: "[1]", code: "wrong_type", field: "chair"),
        Case(type: "session.open", path: "unit", literal: "\"\(String(repeating: "a", count: 201))\"", code: "invalid_value", field: "unit"),
        // petition.submit
        Case(type: "petition.submit", path: "sessionId", literal: nil, code: "missing_field", field: "sessionId"),
        Case(type: "petition.submit", path: "sessionId", literal: "1", code: "wrong_type", field: "sessionId"),
        Case(type: "petition.submit", path: "kind", literal: nil, code: "missing_field", field: "kind"),
        Case(type: "petition.submit", path: "kind", literal: #""petition""#, code: "invalid_value", field: "kind"),
        Case(type: "petition.submit", path: "category", literal: #""roads""#, code: "invalid_value", field: "category"),
        Case(type: "petition.submit", path: "category", literal: #""Land""#, code: "invalid_value", field: "category"),
        Case(type: "petition.submit", path: "content", literal: nil, code: "missing_field", field: "content"),
        Case(type: "petition.submit", path: "citizen", literal: nil, code: "missing_field", field: "citizen"),
        Case(type: "petition.submit", path: "citizen", literal: #""Nguyễn Văn An""#, code: "wrong_type", field: "citizen"),
        Case(type: "petition.submit", path: "citizen.name", literal: nil, code: "missing_field", field: "citizen.name"),
        Case(type: "petition.submit", path: "citizen.phone", literal: #""không có""#, code: "invalid_value", field: "citizen.phone"),
        Case(type: "petition.submit", path: "citizen.phone", literal: #""12345""#, code: "invalid_value", field: "citizen.phone"),
        Case(type: "petition.submit", path: "citizen.phone", literal: #""0912 345 678 901 234""#, code: "invalid_value", field: "citizen.phone"),
        Case(type: "petition.submit", path: "citizen.phone", literal: #""０９１２３４５６７８""#, code: "invalid_value", field: "citizen.phone"),
        Case(type: "petition.submit", path: "citizen.name", literal: #""""#, code: "invalid_value", field: "citizen.name"),
        Case(type: "petition.submit", path: "citizen.address", literal: "[]", code: "wrong_type", field: "citizen.address"),
        Case(type: "petition.submit", path: "citizen.phone", literal: "912345678", code: "wrong_type", field: "citizen.phone"),
        // petition.answer
        Case(type: "petition.answer", path: "petitionId", literal: nil, code: "missing_field", field: "petitionId"),
        Case(type: "petition.answer", path: "by", literal: nil, code: "missing_field", field: "by"),
        Case(type: "petition.answer", path: "answer", literal: #"" \n ""#, code: "invalid_value", field: "answer"),
        // petition.refer
        Case(type: "petition.refer", path: "days", literal: #""7""#, code: "wrong_type", field: "days"),
        Case(type: "petition.refer", path: "days", literal: "7.5", code: "wrong_type", field: "days"),
        Case(type: "petition.refer", path: "days", literal: "true", code: "wrong_type", field: "days"),
        Case(type: "petition.refer", path: "days", literal: "0", code: "invalid_value", field: "days"),
        Case(type: "petition.refer", path: "days", literal: "-5", code: "invalid_value", field: "days"),
        Case(type: "petition.refer", path: "days", literal: "3661", code: "invalid_value", field: "days"),
        Case(type: "petition.refer", path: "deadline", literal: #""2026-04-30""#, code: "invalid_value", field: "deadline"),
        Case(type: "petition.refer", path: "department", literal: nil, code: "missing_field", field: "department"),
        Case(type: "petition.refer", path: "assignee", literal: "false", code: "wrong_type", field: "assignee"),
        Case(type: "petition.refer", path: "by", literal: nil, code: "missing_field", field: "by"),
        Case(type: "petition.refer", path: "petitionId", literal: nil, code: "missing_field", field: "petitionId"),
        // petition.resolve
        Case(type: "petition.resolve", path: "resolution", literal: nil, code: "missing_field", field: "resolution"),
        Case(type: "petition.resolve", path: "by", literal: "5", code: "wrong_type", field: "by"),
        Case(type: "petition.resolve", path: "petitionId", literal: #""""#, code: "invalid_value", field: "petitionId"),
    ]

    @Test("a malformed command message is refused with a code and a message naming the field", arguments: cases)
    func malformedMessageNamesField(c: Case) throws {
        let error = try #require(throws: WireError.self) { try Msg.request(c.type, set: c.path, to: c.literal) }
        #expect(error.code == c.code)
        #expect(error.message.contains("\"\(c.field)\""), "message does not name \(c.field): \(error.message)")
    }

    @Test("a referral deadline that is not a real YYYY-MM-DD date is invalid_value naming deadline", arguments: [
        #""2026-02-30""#, #""30/04/2026""#, #""2026-4-30""#, "20260430",
    ])
    func badDeadlineDate(literal: String) throws {
        var object = Msg.object("petition.refer")
        object["days"] = nil
        object["deadline"] = try JSONSerialization.jsonObject(with: Data(literal.utf8), options: .fragmentsAllowed)
        let error = try #require(throws: WireError.self) { try Msg.request("petition.refer", object) }
        #expect(["invalid_value", "wrong_type"].contains(error.code))
        #expect(error.message.contains(#""deadline""#))
    }

    @Test("a command naming who acts (actor, role, actorDepartment) is refused: who acts is the key the connection authenticated with",
          arguments: CommandRequest.identityFields)
    func identityMembersRefused(member: String) throws {
        let body = #"{"type":"petition.accept","commandId":"c1","petitionId":"P000001","\#(member)":"chair"}"#
        let (type, fields) = try RequestBody.parse(Array(body.utf8))
        #expect(throws: WireError.self) { try CommandRequest(type: type, fields: fields) }
        do { _ = try CommandRequest(type: type, fields: fields) } catch {
            #expect(error.errorCode == .invalidValue)
            #expect(error.message.contains(member))
        }
    }

    @Test("days and deadline together are refused: give one")
    func daysAndDeadlineTogether() throws {
        let error = try #require(throws: WireError.self) { try Msg.request("petition.refer", set: "deadline", to: #""2026-04-30""#) }
        #expect(error == .invalidValue("deadline", "cannot be given together with days; give one, or neither to use the unit's deadline policy"))
    }

    @Test("an unknown message type is refused with unknown_type listing the known types")
    func unknownType() throws {
        let error = try #require(throws: WireError.self) { try Msg.request("petition.delete", Msg.object("petition.answer")) }
        #expect(error.code == "unknown_type")
        #expect(error.message.contains("petition.delete"))
        for known in GatewayCommand.messageTypes { #expect(error.message.contains(known)) }
    }

    @Test("an unknown message type is reported as such even when the rest of the message is also wrong")
    func unknownTypeComesFirst() throws {
        let error = try #require(throws: WireError.self) { try CommandRequest(type: "petition.teleport", fields: JSONFields(object: [:])) }
        #expect(error.code == "unknown_type")
    }

    @Test("each valid message decodes to its command, with id, actor and time")
    func validMessagesDecode() throws {
        let open = try Msg.request("session.open")
        #expect(open.commandId == "c-open")
        #expect(open.actor == Actor(id: "clerk-01", role: .clerk))
        #expect(open.occurredAt == Timestamp.parse("2026-03-19T01:00:00Z"))
        #expect(open.command.as(Commands.OpenSession.self) == Commands.OpenSession(unit: "Phường Bến Nghé, Quận 1", title: "Hội nghị đối thoại quý I/2026", chair: "Trần Thị Bình"))

        let submit = try Msg.request("petition.submit")
        #expect(submit.occurredAt == nil)
        #expect(submit.command.as(Commands.Submit.self) == Commands.Submit(sessionId: "S000001", kind: .complaint, category: .land,
                                          content: "Đề nghị giải quyết tranh chấp đất đai ở ấp 3.",
                                          citizen: PersonalData(name: "Nguyễn Văn An", address: "Số 12, ấp 3, xã Long Hải", phone: "0912 345 678")))

        #expect(try Msg.request("petition.answer").command.as(Commands.Answer.self) == Commands.Answer(petitionId: "P000001", by: "Trần Thị Bình",
                                                                       answer: "UBND phường sẽ trả lời bằng văn bản trong 15 ngày."))
        #expect(try Msg.request("petition.refer").command.as(Commands.Refer.self) == Commands.Refer(petitionId: "P000001", department: "Phòng Tài nguyên và Môi trường",
                                                                     assignee: "Lê Văn Cường", by: "Trần Thị Bình", deadline: .days(30), complexity: .normal))
        #expect(try Msg.request("petition.resolve").command.as(Commands.Resolve.self) == Commands.Resolve(petitionId: "P000001", by: "Lê Văn Cường",
                                                                         resolution: "Đã đo đạc lại ranh giới và cấp giấy chứng nhận."))
    }

    @Test("a referral may give an explicit deadline date instead of days")
    func referWithDeadlineDate() throws {
        var object = Msg.object("petition.refer")
        object["days"] = nil
        object["deadline"] = "2026-04-30"
        let request = try Msg.request("petition.refer", object)
        guard let rule = request.command.as(Commands.Refer.self)?.deadline else {
            Issue.record("not a referral: \(request.command)")
            return
        }
        #expect(rule == .date(LocalDate("2026-04-30")!))
    }

    @Test("every petition kind and category on the wire is accepted", arguments: PetitionKind.allCases.map(\.rawValue), PetitionCategory.allCases.map(\.rawValue))
    func everyKindAndCategory(kind: String, category: String) throws {
        var object = Msg.object("petition.submit")
        object["kind"] = kind
        object["category"] = category
        let request = try Msg.request("petition.submit", object)
        guard let submit = request.command.as(Commands.Submit.self) else { Issue.record("not a submission"); return }
        #expect(submit.kind.rawValue == kind)
        #expect(submit.category.rawValue == category)
    }

    @Test("phone numbers in common written forms are accepted", arguments: [
        "0912345678", "+84 912 345 678", "(028) 3829-1234", "0912.345.678", "113456",
    ])
    func phoneFormsAccepted(phone: String) throws {
        let request = try Msg.request("petition.submit", set: "citizen.phone", to: "\"\(phone)\"")
        guard let citizen = request.command.as(Commands.Submit.self)?.citizen else { Issue.record("not a submission"); return }
        #expect(citizen.phone == phone)
    }

    @Test("a citizen's phone and address are optional")
    func optionalCitizenFields() throws {
        var object = Msg.object("petition.submit")
        object["citizen"] = ["name": "Nguyễn Văn An"]
        let request = try Msg.request("petition.submit", object)
        guard let citizen = request.command.as(Commands.Submit.self)?.citizen else { Issue.record("not a submission"); return }
        #expect(citizen == PersonalData(name: "Nguyễn Văn An"))
    }

    @Test("decomposed Vietnamese text is stored precomposed (NFC), and means the same command")
    func decomposedTextNormalised() throws {
        let decomposed = "Đất đai".decomposedStringWithCanonicalMapping
        let precomposed = "Đất đai".precomposedStringWithCanonicalMapping
        #expect(Array(decomposed.unicodeScalars) != Array(precomposed.unicodeScalars))
        let a = try Msg.request("petition.submit", set: "content", to: "\"\(decomposed)\"")
        let b = try Msg.request("petition.submit", set: "content", to: "\"\(precomposed)\"")
        guard let content = a.command.as(Commands.Submit.self)?.content else { Issue.record("not a submission"); return }
        #expect(Array(content.unicodeScalars) == Array(precomposed.unicodeScalars))
        #expect(a.fingerprint == b.fingerprint)
    }

    @Test("surrounding whitespace is trimmed from every text field")
    func whitespaceTrimmed() throws {
        let request = try Msg.request("session.open", set: "chair", to: #""  Trần Thị Bình \n""#)
        guard let chair = request.command.as(Commands.OpenSession.self)?.chair else { Issue.record("not an opening"); return }
        #expect(chair == "Trần Thị Bình")
    }

    @Test("the fingerprint changes with the command, the actor or the time, and not with the command id")
    func fingerprintReflectsMeaning() throws {
        let base = try Msg.request("petition.answer")
        #expect(try Msg.request("petition.answer", set: "commandId", to: #""other""#).fingerprint == base.fingerprint)
        #expect(try Msg.request("petition.answer", set: "answer", to: #""Khác""#).fingerprint != base.fingerprint)
        #expect(try Msg.request("petition.answer", set: "actor", to: #""someone""#).fingerprint != base.fingerprint)
        #expect(try Msg.request("petition.answer", set: "occurredAt", to: #""2026-03-19T08:00:00+07:00""#).fingerprint != base.fingerprint)
        #expect(base.fingerprint.count == 32)
    }
}
