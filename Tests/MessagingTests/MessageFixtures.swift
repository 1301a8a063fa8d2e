import EventSourcing
import EventStoreSQLite
import Foundation
import Messaging
import PetitionDomain
import Testing

/// Command messages as a client sends them, built from valid examples.
enum Msg {
    /// A valid message of each command type.
    static let valid: [String: String] = [
        "session.open": #"""
            {"commandId":"c-open","actor":"clerk-01","role":"clerk","occurredAt":"2026-03-19T08:00:00+07:00",
             "unit":"Phường Bến Nghé, Quận 1","title":"Hội nghị đối thoại quý I/2026","chair":"Trần Thị Bình"}
            """#,
        "petition.submit": #"""
            {"commandId":"c-submit","actor":"clerk-01","role":"clerk","sessionId":"S000001","kind":"complaint","category":"land",
             "content":"Đề nghị giải quyết tranh chấp đất đai ở ấp 3.",
             "citizen":{"name":"Nguyễn Văn An","phone":"0912 345 678","address":"Số 12, ấp 3, xã Long Hải"}}
            """#,
        "petition.answer": #"""
            {"commandId":"c-answer","actor":"chair","role":"chair","petitionId":"P000001","by":"Trần Thị Bình",
             "answer":"UBND phường sẽ trả lời bằng văn bản trong 15 ngày."}
            """#,
        "petition.refer": #"""
            {"commandId":"c-refer","actor":"chair","role":"chair","petitionId":"P000001","department":"Phòng Tài nguyên và Môi trường",
             "assignee":"Lê Văn Cường","by":"Trần Thị Bình","days":30}
            """#,
        "petition.resolve": #"""
            {"commandId":"c-resolve","actor":"tnmt","role":"department_officer","actorDepartment":"Phòng Tài nguyên và Môi trường","petitionId":"P000001","by":"Lê Văn Cường",
             "resolution":"Đã đo đạc lại ranh giới và cấp giấy chứng nhận."}
            """#,
    ]

    /// The valid message of `type` as an object, with `path` (`key` or `object.key`) set to `literal` JSON, or removed when nil.
    static func object(_ type: String, set path: String? = nil, to literal: String? = nil) -> [String: Any] {
        var object = try! JSONSerialization.jsonObject(with: Data(valid[type]!.utf8)) as! [String: Any]
        guard let path else { return object }
        let value = literal.map { try! JSONSerialization.jsonObject(with: Data($0.utf8), options: .fragmentsAllowed) }
        let keys = path.split(separator: ".").map(String.init)
        if keys.count == 2 {
            var inner = object[keys[0]] as! [String: Any]
            inner[keys[1]] = value
            object[keys[0]] = inner
        } else {
            object[path] = value
        }
        return object
    }

    static func frame(_ object: [String: Any]) -> [UInt8] {
        Array(try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    static func frame(_ type: String, set path: String? = nil, to literal: String? = nil) -> [UInt8] {
        frame(object(type, set: path, to: literal))
    }

    /// Decodes a message as the gateway does.
    static func request(_ type: String, set path: String? = nil, to literal: String? = nil) throws(WireError) -> CommandRequest {
        try decoded(type, JSONFields(frame: frame(type, set: path, to: literal)))
    }

    static func request(_ type: String, _ object: [String: Any]) throws(WireError) -> CommandRequest {
        try decoded(type, JSONFields(frame: frame(object)))
    }

    /// Decodes a fixture message: its `actor`, `role` and `actorDepartment` members say who sends it (the gateway takes
    /// that from the connection's key; these tests call the decoder and the processor directly), the rest is the command.
    static func decoded(_ type: String, _ fields: JSONFields) throws(WireError) -> CommandRequest {
        var object = fields.object
        let actor = object.removeValue(forKey: "actor")
        let role = object.removeValue(forKey: "role")
        let department = object.removeValue(forKey: "actorDepartment")
        var request = try CommandRequest(type: type, fields: JSONFields(object: object))
        let id: String
        switch actor { case .string(let s)?: id = s; case nil: throw .missingField("actor"); default: throw .wrongType("actor", expected: "a string") }
        guard case .string(let r)? = role, let parsed = Role(rawValue: r) else { throw .invalidValue("role", "must be one of \(Role.allCases.map(\.rawValue))") }
        var d: String?
        if case .string(let s)? = department { d = s }
        if parsed == .departmentOfficer, d == nil { throw .invalidValue("actorDepartment", "a department officer must say which department they act for") }
        request.actor = Actor(id: id, role: parsed, department: parsed == .departmentOfficer ? d : nil)
        return request
    }
}

/// Requests built directly, for the processor tests.
enum Requests {
    static let now = Timestamp.parse("2026-03-19T08:30:00+07:00")!

    static func open(_ id: String, unit: String = "Xã Long Hải", title: String = "Đối thoại tháng 3", actor: String = "clerk-01") -> CommandRequest {
        CommandRequest(commandId: id, actor: Actor(id: actor, role: .clerk), occurredAt: nil,
                       Commands.OpenSession(unit: unit, title: title, chair: "Trần Thị Bình"))
    }

    static let citizen = PersonalData(name: "Nguyễn Văn An", address: "Số 12, ấp Phước Trung, xã Long Hải", phone: "0912 345 678")

    static func submit(_ id: String, session: String = "S000001", content: String = "Đề nghị nạo vét kênh thủy lợi N2.",
                       citizen: PersonalData = citizen) -> CommandRequest {
        CommandRequest(commandId: id, actor: Actor(id: "clerk-01", role: .clerk), occurredAt: nil,
                       Commands.Submit(sessionId: session, kind: .recommendation, category: .irrigation, content: content, citizen: citizen))
    }

    static func answer(_ id: String, petition: String = "P000001", answer: String = "Sẽ nạo vét trước mùa mưa.") -> CommandRequest {
        CommandRequest(commandId: id, actor: Actor(id: "chair", role: .chair), occurredAt: nil, Commands.Answer(petitionId: petition, by: "Trần Thị Bình", answer: answer))
    }

    static func refer(_ id: String, petition: String = "P000001", deadline: DeadlineRule = .days(30), at: Date? = nil) -> CommandRequest {
        CommandRequest(commandId: id, actor: Actor(id: "chair", role: .chair), occurredAt: at,
                       Commands.Refer(petitionId: petition, department: "Phòng Nông nghiệp", assignee: "Lê Văn Cường",
                                       by: "Trần Thị Bình", deadline: deadline, complexity: .normal))
    }

    static func resolve(_ id: String, petition: String = "P000001") -> CommandRequest {
        CommandRequest(commandId: id, actor: Actor(id: "nong-nghiep", role: .departmentOfficer, department: "Phòng Nông nghiệp"), occurredAt: nil,
                       Commands.Resolve(petitionId: petition, by: "Lê Văn Cường", resolution: "Đã nạo vét 2 km kênh."))
    }
}

/// Ids handed out in order, so events are predictable.
final class SequentialIds: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0

    func make() -> String {
        lock.lock()
        defer { lock.unlock() }
        next += 1
        return "id-\(next)"
    }
}

/// The event store backends the processor runs on.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case inMemory
    case sqlite

    var testDescription: String { rawValue }
}

/// Runs `body` with an empty store; an SQLite file lives in its own temporary folder for the call.
func withStore<T>(_ backend: Backend, _ body: (any EventStore) throws -> T) throws -> T {
    switch backend {
    case .inMemory:
        return try body(InMemoryEventStore())
    case .sqlite:
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("messaging-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try body(try SQLiteEventStore(path: directory.appendingPathComponent("events.sqlite").path))
    }
}

func makeProcessor(_ store: any EventStore, ids: SequentialIds = SequentialIds()) throws -> CommandProcessor {
    try CommandProcessor(store: store, now: { Requests.now }, newId: { ids.make() })
}

func reply(_ text: String) throws -> CommandReply {
    try JSONDecoder().decode(CommandReply.self, from: Data(text.utf8))
}

extension CommandProcessor {
    /// Handles well-formed requests as one batch.
    func handle(_ requests: CommandRequest...) -> Outcome {
        handle(requests.map { .success($0) })
    }
}
