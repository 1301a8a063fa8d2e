import Foundation
import Messaging
import PetitionDomain
import Testing
import TestSupport
import ZeroMQ

/// Who may reach the system, and who the log says acted: CurveZMQ on every socket, our ZAP handler, the registry's
/// keys and roles, through the real gateway and projector over loopback.
@Suite(.serialized)
struct AuthenticationTests {
    /// A fresh command of `type` as the wire carries it (no actor: the key says who sends it).
    static func wire(_ command: some CommandHandler, id: String = UUID().uuidString) -> [UInt8] {
        CommandRequest(commandId: id, occurredAt: nil, command).wireBytes
    }

    /// Whether a subscriber with `pin` (nil: no CURVE at all) hears anything on the events socket within `ms`.
    static func hearsEvents(_ system: TestSystem, pin: CurvePin?, ms: Int = 1500) throws -> Bool {
        let context = try ZMQContext()
        defer { context.terminate() }
        let sub = try context.socket(.sub)
        defer { sub.close() }
        try sub.subscribe("")
        try sub.pin(pin)
        try sub.connect(system.endpoints.events)
        // The gateway beats every 500 ms: an admitted subscriber hears one within the window.
        return try ZMQPoll.readable([sub], timeoutMs: ms)[0]
    }

    @Test("a client with no key, or with a key the registry does not hold, gets nothing from any socket: commands, history, events, queries")
    func unknownKeysGetNothing() throws {
        let system = try TestSystem()
        try system.start()
        let clerk = try system.official(.clerk)
        for unit in ["Xã Bình Thành", "Xã Vũ Hội", "X"] { try system.registerCommune(unit) }
        for person in ["Trần Văn A", "Trần Văn B", "C"] { try system.person(person) }
        let head = try system.history().count
        let stranger = try CurveKeyPair.generate()
        let open = Self.wire(Commands.OpenSession(unit: "Xã Bình Thành", title: "Đối thoại", chair: "Trần Văn A"))
        let asks: [(String, [UInt8], CurveServer)] = [
            (system.endpoints.commands, open, .gateway),
            (system.endpoints.commands, Array(#"{"type":"status"}"#.utf8), .gateway),
            (system.endpoints.history, Array(#"{"type":"history.read","fromPosition":1}"#.utf8), .gateway),
            (system.endpoints.history, Array(#"{"type":"people.find","name":"Nguyễn"}"#.utf8), .gateway),
            (system.endpoints.queries, Array(#"{"type":"outstanding"}"#.utf8), .projector),
        ]
        for (endpoint, body, server) in asks {
            #expect(try system.request(endpoint, bytes: body, keys: nil, server: server, timeoutMs: 1200) == nil, "no CURVE: \(endpoint)")
            #expect(try system.request(endpoint, bytes: body, keys: stranger, server: server, timeoutMs: 1200) == nil, "an unknown key: \(endpoint)")
        }
        #expect(try !Self.hearsEvents(system, pin: nil), "no CURVE: no event and no heartbeat")
        #expect(try !Self.hearsEvents(system, pin: CurvePin(keys: stranger, serverKey: try system.serverKeys.gateway)), "an unknown key hears nothing")
        #expect(try Self.hearsEvents(system, pin: try system.pin(as: clerk)), "a registered key hears the feed")
        #expect(try system.history().count == head, "nothing was appended for them")
        // The same command with a registered key is served.
        let reply = try #require(try system.request(system.endpoints.commands, bytes: open, keys: clerk.keys, server: .gateway))
        #expect(reply["ok"] as? Bool == true, "\(reply)")
    }

    @Test("a revoked key is refused: from its next command on the connection it holds, and at the handshake of every new connection")
    func revokedKeysAreRefused() throws {
        let system = try TestSystem()
        try system.start()
        let clerk = try system.official(.clerk)
        for unit in ["Xã Bình Thành", "Xã Vũ Hội", "X"] { try system.registerCommune(unit) }
        for person in ["Trần Văn A", "Trần Văn B", "C"] { try system.person(person) }
        let context = try ZMQContext()
        defer { context.terminate() }
        let held = RequestClient(context: context, endpoint: system.endpoints.commands, curve: try system.pin(as: clerk))
        defer { held.close() }
        func open() throws -> [String: Any]? {
            let reply = try held.request(Self.wire(Commands.OpenSession(unit: "Xã Vũ Hội", title: "Đối thoại", chair: "Trần Văn A")), timeoutMs: 3000)
            return try reply.flatMap { try JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] }
        }
        #expect(try open()?["ok"] as? Bool == true)
        try system.admin(Commands.RevokeCredential(publicKey: clerk.keys.publicKey, reason: "Máy tính bị mất"), id: "revoke-clerk")

        let refused = try #require(try open(), "the connection it holds is answered, and refused")
        #expect((refused["error"] as? [String: Any])?["code"] as? String == ErrorCode.notPermitted.rawValue, "\(refused)")
        #expect(((refused["error"] as? [String: Any])?["message"] as? String ?? "").contains("revoked"), "\(refused)")
        let status = Array(#"{"type":"status"}"#.utf8)
        #expect(try system.request(system.endpoints.commands, bytes: status, keys: clerk.keys, server: .gateway, timeoutMs: 1500) == nil,
                "a new connection with the revoked key gets nothing")
        #expect(try system.request(system.endpoints.history, bytes: status, keys: clerk.keys, server: .gateway, timeoutMs: 1500) == nil)
        #expect(try waitUntil(timeout: 10) {
            try system.request(system.endpoints.queries, bytes: status, keys: clerk.keys, server: .projector, timeoutMs: 500) == nil
        }, "the projector refuses it once it has applied the revocation")
    }

    @Test("the actor recorded is the official whose key sent the command; a message naming an actor or role is refused")
    func theRecordedActorIsTheAuthenticatedOne() throws {
        let system = try TestSystem()
        try system.start()
        let clerk = try system.official(.clerk)
        for unit in ["Xã Bình Thành", "Xã Vũ Hội", "X"] { try system.registerCommune(unit) }
        for person in ["Trần Văn A", "Trần Văn B", "C"] { try system.person(person) }
        let reply = try #require(try system.request(system.endpoints.commands,
            bytes: Self.wire(Commands.OpenSession(unit: "Xã Bình Thành", title: "Đối thoại", chair: "Trần Văn A")), keys: clerk.keys, server: .gateway))
        let position = try #require((reply["position"] as? NSNumber)?.intValue, "\(reply)")
        let event = try system.history()[position - 1]
        #expect(event["actor"] as? String == "clerk/\(clerk.id)")

        // Claiming to be the chair changes nothing: the message is refused, nothing is appended.
        let head = try system.history().count
        let claim = #"{"type":"session.open","commandId":"claim-1","actor":"Chủ tịch UBND","role":"chair","unit":"X","title":"T","chair":"C"}"#
        let refused = try #require(try system.request(system.endpoints.commands, bytes: Array(claim.utf8), keys: clerk.keys, server: .gateway))
        #expect((refused["error"] as? [String: Any])?["code"] as? String == "invalid_value", "\(refused)")
        #expect(try system.history().count == head)
    }

    /// One command of every type, aimed at streams that do not exist, so that who may send it decides the answer:
    /// `not_permitted` for everyone else, some other answer (an unknown petition, a registered unit) for those who may.
    static func everyCommand() -> [any CommandHandler] {
        let day = LocalDate("2026-04-01")!
        return [
            Commands.OpenSession(unit: "Xã Ma Trận", title: "Đối thoại", chair: "Trần Văn A"),
            Commands.Submit(sessionId: "S999999", kind: .report, category: .land, content: "Nội dung", citizen: PersonalData(name: "Nguyễn Văn B")),
            Commands.Answer(petitionId: "P999999", by: "Trần Văn A", answer: "Đã trả lời"),
            Commands.Refer(petitionId: "P999999", department: "Phòng Thử nghiệm", assignee: "Lê Văn C", by: "Trần Văn A", deadline: .days(15)),
            Commands.Resolve(petitionId: "P999999", by: "Lê Văn C", resolution: "Đã giải quyết"),
            Commands.Feedback(petitionId: "P999999", satisfied: true),
            Commands.Accept(petitionId: "P999999"),
            Commands.Extend(petitionId: "P999999", approver: "Trần Văn A", decision: "QĐ 1", deadline: nil),
            Commands.Reassign(petitionId: "P999999", department: "Phòng Khác", assignee: "Lê Văn D", reason: "Đúng thẩm quyền"),
            Commands.Reopen(petitionId: "P999999", reason: "Chưa đồng ý"),
            Commands.Withdraw(petitionId: "P999999", reason: "Tự nguyện rút"),
            Commands.Merge(petitionId: "P999999", into: "P999998", reason: "Trùng"),
            Commands.Escalate(petitionId: "P999999", level: .overdue, deadline: day, due: day, recipient: "Trần Văn A"),
            Commands.RecordDelivery(.delivered(alertId: "A999999", petitionId: "P999999", sink: "file", attempts: 1, detail: "ok")),
            Commands.ForgetPerson(personId: "person-none", by: "Trần Văn A", reason: "Đơn đề nghị"),
            Commands.Note(petitionId: "P999999", text: "Ghi chú"),
            Commands.RegisterUnit(code: "MATRAN-\(UUID().uuidString.prefix(6))", name: "Xã \(UUID().uuidString.prefix(6))", kind: .commune, parent: TestSystem.unit),
            Commands.RegisterDepartment(unit: "KHONG-CO", code: "X", name: "Phòng X"),
            Commands.AppointOfficial(name: "Người Thử", unit: "KHONG-CO", department: nil, roles: [.clerk]),
            Commands.IssueCredential(officialId: "O999999", publicKey: "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"),
            Commands.RevokeCredential(publicKey: "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7", reason: "Thử"),
            Commands.RecordAccess(PersonalDataAccessed(officialId: "O999999", access: .search, stream: nil, personIds: [], purpose: "Thử")),
            Commands.GrantRole(officialId: "O999999", role: .chair),
            Commands.WithdrawRole(officialId: "O999999", role: .chair, reason: "Thử"),
            Commands.DeactivateOfficial(officialId: "O999999", reason: "Thử"),
            Commands.TransferOfficial(officialId: "O999999", unit: "KHONG-CO", department: nil, reason: "Thử"),
            Commands.RenameUnit(code: "KHONG-CO", name: "Xã Mới"),
            Commands.RenameDepartment(unit: "KHONG-CO", code: "X", name: "Phòng Y"),
            Commands.MergeUnits(predecessors: ["KHONG-CO"], into: "KHONG-CO-2"),
            Commands.RetireUnit(code: "KHONG-CO", reason: "Thử"),
        ]
    }

    @Test("every cell of the role × command matrix: each role may send exactly the commands the README's table gives it, and a refusal names the roles that may")
    func roleCommandMatrix() throws {
        let system = try TestSystem()
        try system.start()
        let commands = Self.everyCommand()
        #expect(Set(commands.map { type(of: $0).messageType }) == Set(GatewayCommand.messageTypes), "every command the gateway accepts is in the matrix")
        var senders: [(name: String, official: TestSystem.Official, role: Role?, service: String?)] = []
        for role in [Role.clerk, .chair, .departmentOfficer, .supervisor, .administrator] {
            senders.append((role.rawValue, try system.official(role), role, nil))
        }
        for service in ["petition-escalator", "petition-notifier", "petition-projector", "petition-gateway"] {
            senders.append((service, try system.service(service), nil, service))
        }
        var cells = 0
        for command in commands {
            let action = type(of: command).action
            for sender in senders {
                let may = sender.role.map { action.roles.contains($0) } ?? (action.service == sender.service)
                let reply = try #require(try system.request(system.endpoints.commands, bytes: Self.wire(command), keys: sender.official.keys, server: .gateway),
                                         "\(sender.name) → \(type(of: command).messageType): no reply")
                let error = reply["error"] as? [String: Any]
                let code = error?["code"] as? String
                if may {
                    #expect(code != ErrorCode.notPermitted.rawValue, "\(sender.name) may \(action.description): \(reply)")
                } else {
                    #expect(code == ErrorCode.notPermitted.rawValue, "\(sender.name) may not \(action.description): \(reply)")
                    let message = error?["message"] as? String ?? ""
                    #expect(message.contains(action.roles[0].rawValue), "the refusal names who may: \(message)")
                }
                cells += 1
            }
        }
        #expect(cells == commands.count * senders.count)
    }

    @Test("a process that takes the gateway's ports while it is down gets no client: pinned clients never talk to it, and the projector applies nothing it sends")
    func aSquatterGetsNoClient() throws {
        let system = try TestSystem()
        try system.start()
        let clerk = try system.official(.clerk)
        for unit in ["Xã Bình Thành", "Xã Vũ Hội", "X"] { try system.registerCommune(unit) }
        for person in ["Trần Văn A", "Trần Văn B", "C"] { try system.person(person) }
        let opened = try #require(try system.request(system.endpoints.commands,
            bytes: Self.wire(Commands.OpenSession(unit: "Xã Bình Thành", title: "Đối thoại", chair: "Trần Văn A")), keys: clerk.keys, server: .gateway))
        let head = try #require((opened["position"] as? NSNumber)?.int64Value)
        #expect(try waitUntil { try projectorPosition(system) == head })
        system.gateway?.stop()

        // The squatter binds the three ports with keys of its own (it has no way to the gateway's secret key) and
        // admits everyone: it answers any request and publishes a forged resolution, again and again.
        let context = try ZMQContext()
        defer { context.terminate() }
        let zap = try ZAPHandler(context: context) { _ in .allow(userId: "anyone") }
        defer { zap.stop() }
        let fake = try CurveKeyPair.generate()
        let router = try context.socket(.router), pub = try context.socket(.pub), history = try context.socket(.router)
        defer { router.close(); pub.close(); history.close() }
        for s in [router, pub, history] { try s.makeCurveServer(fake) }
        try router.bind(system.endpoints.commands)
        try pub.bind(system.endpoints.events)
        try history.bind(system.endpoints.history)
        let forged = #"{"id":"forged","position":\#(head + 1),"subject":"petition-P000001","streamversion":2,"type":"petition.resolved.v1","time":"2026-03-20T10:00:00+07:00","recordedat":"2026-03-20T10:00:00+07:00","actor":"department_officer/O000009","data":{"by":"GIẢ MẠO","petitionId":"P000001","resolution":"GIẢ MẠO"},"specversion":"1.0","source":"petition-gateway","datacontenttype":"application/json"}"#
        var answered = 0
        let until = Date().addingTimeInterval(3)
        let client = RequestClient(context: context, endpoint: system.endpoints.commands, curve: try system.pin(as: clerk))
        defer { client.close() }
        let asked = try client.request(Self.wire(Commands.OpenSession(unit: "X", title: "T", chair: "C")), timeoutMs: 1500)
        while Date() < until {
            try pub.send([Array("petition.resolved.v1".utf8), Array(forged.utf8)], dontWait: true)
            try pub.send([Array("heartbeat".utf8), Array(#"{"head":\#(head + 1)}"#.utf8)], dontWait: true)
            for s in [router, history] {
                while let frames = try s.receive(dontWait: true) {
                    answered += 1
                    try s.send(Array(frames.dropLast()) + [Array(#"{"ok":true,"head":\#(head + 1),"events":[\#(forged)]}"#.utf8)], dontWait: true)
                }
            }
            usleep(50_000)
        }
        #expect(asked == nil, "a client pinning the gateway's key gets no reply from the squatter")
        #expect(answered == 0, "not one message reached the squatter: the handshake failed first")
        #expect(try projectorPosition(system) == head, "the projector applied nothing the squatter sent")

        // The real gateway comes back: the real event at that position is applied.
        router.close(); pub.close(); history.close()
        try system.startGateway()
        let real = try #require(try system.request(system.endpoints.commands,
            bytes: Self.wire(Commands.OpenSession(unit: "Xã Vũ Hội", title: "Đối thoại", chair: "Trần Văn B")), keys: clerk.keys, server: .gateway))
        #expect(real["ok"] as? Bool == true, "\(real)")
        #expect(try waitUntil { try projectorPosition(system) == head + 1 }, "the real event at the squatted position is applied")
    }

    private func projectorPosition(_ system: TestSystem) throws -> Int64 {
        let status = try system.request(system.endpoints.queries, ["type": "status"], timeoutMs: 2000)
        return (status?["position"] as? NSNumber)?.int64Value ?? -1
    }
}

/// The administrator changes who holds which role, and who is still in office; the gateway follows from the next command.
@Suite(.serialized)
struct OfficialLifecycleTests {
    @Test("a role granted is usable from the next command, a role taken is refused, and a deactivated official's key gets nothing at all")
    func grantRevokeAndDeactivate() throws {
        let system = try TestSystem()
        try system.start()
        try system.registerCommune("Xã Vũ Hội")
        try system.person("Trần Văn A")
        let clerk = try system.official(.clerk)
        func open() throws -> [String: Any]? {
            try system.request(system.endpoints.commands, TestSystem.command("session.open", ["unit": "Xã Vũ Hội", "title": "T", "chair": "Trần Văn A"]), as: clerk)
        }
        func note(_ petition: String) throws -> [String: Any]? {
            try system.request(system.endpoints.commands, TestSystem.command("petition.note", ["petitionId": petition, "text": "Ghi chú"]), as: clerk)
        }
        func code(_ reply: [String: Any]?) -> String? { (reply?["error"] as? [String: Any])?["code"] as? String }
        let session = try #require(try open()?["id"] as? String)
        let petition = try #require(try system.send("petition.submit", ["sessionId": session, "kind": "report", "category": "land", "content": "Đất",
                                                                       "citizen": ["name": "Nguyễn Văn B"]])["id"] as? String)
        let duplicate = try #require(try system.send("petition.submit", ["sessionId": session, "kind": "report", "category": "land", "content": "Đất",
                                                                          "citizen": ["name": "Nguyễn Văn B"]])["id"] as? String)
        let merge: [String: Any] = ["petitionId": duplicate, "into": petition, "reason": "Cùng nội dung"]
        #expect(code(try system.request(system.endpoints.commands, TestSystem.command("petition.merge", merge), as: clerk)) == "not_permitted")

        let granted = try system.ctl(["official", "grant", clerk.id, "chair", "--json"], as: system.official(.administrator))
        #expect(granted.status == 0, "\(granted.stderr)")
        let merged = try system.request(system.endpoints.commands, TestSystem.command("petition.merge", merge), as: clerk)
        #expect(merged?["ok"] as? Bool == true, "the granted role acts at once: \(merged ?? [:])")

        let taken = try system.ctl(["official", "revoke", clerk.id, "clerk", "--reason", "Chuyển công tác", "--json"], as: system.official(.administrator))
        #expect(taken.status == 0, "\(taken.stderr)")
        #expect(code(try open()) == "not_permitted", "the role taken is refused")
        #expect(try note(petition)?["ok"] as? Bool == true, "as chair they still write notes")
        let only = try system.ctl(["official", "revoke", clerk.id, "chair", "--reason", "x"], as: system.official(.administrator))
        #expect(only.status == 1 && only.stderr.contains("only role"), "\(only.stderr)")

        let context = try ZMQContext()
        defer { context.terminate() }
        let held = RequestClient(context: context, endpoint: system.endpoints.commands, curve: try system.pin(as: clerk))
        defer { held.close() }
        let noteBody = AuthenticationTests.wire(Commands.Note(petitionId: petition, text: "Trước khi nghỉ"))
        #expect(try held.request(noteBody, timeoutMs: 3000) != nil, "the connection is open")
        let gone = try system.ctl(["official", "deactivate", clerk.id, "--reason", "Nghỉ hưu"], as: system.official(.administrator))
        #expect(gone.status == 0, "\(gone.stderr)")
        let refused = try held.request(AuthenticationTests.wire(Commands.Note(petitionId: petition, text: "Sau khi nghỉ")), timeoutMs: 3000)
            .flatMap { try JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] }
        #expect(code(refused) == "not_permitted" && ((refused?["error"] as? [String: Any])?["message"] as? String ?? "").contains("deactivated"),
                "on the connection they still hold, their next command is refused: \(refused ?? [:])")
        let status = Array(#"{"type":"status"}"#.utf8)
        #expect(try system.request(system.endpoints.commands, bytes: status, keys: clerk.keys, server: .gateway, timeoutMs: 1500) == nil,
                "a deactivated official's key gets nothing: no command, no status")
        let listed = try system.ctl(["official", "list", "--json"], as: system.official(.administrator))
        let row = (listed.json["officials"] as? [[String: Any]])?.first { $0["officialId"] as? String == clerk.id }
        #expect(row?["active"] as? Bool == false && row?["roles"] as? [String] == ["chair"], "\(row ?? [:])")
        let lastAdmin = try system.ctl(["official", "deactivate", "O000001", "--reason", "x"], as: system.official(.administrator))
        #expect(lastAdmin.status == 1 && lastAdmin.stderr.contains("only administrator"), "\(lastAdmin.stderr)")
    }

    @Test("a chair transferred to another commune acts there from the next command and no longer on the old one; `official history` shows who held which office when")
    func aTransferMovesTheScopeAndTheHistoryShowsEachTerm() throws {
        let system = try TestSystem()
        try system.start()
        for person in ["Trần Văn A", "Lê Văn C"] { try system.person(person) }
        try system.department("Phòng Kinh tế")
        let from = try #require(try system.registerCommune("Xã An Bình")), to = try #require(try system.registerCommune("Xã Bình Minh"))
        let clerkA = try system.official(.clerk, unit: "Xã An Bình"), clerkB = try system.official(.clerk, unit: "Xã Bình Minh")
        let chair = try system.official(.chair, unit: "Xã An Bình")
        let admin = try system.official(.administrator)
        func send(_ type: String, _ fields: [String: Any], as official: TestSystem.Official) throws -> [String: Any]? {
            try system.request(system.endpoints.commands, TestSystem.command(type, fields), as: official)
        }
        func code(_ reply: [String: Any]?) -> String? { (reply?["error"] as? [String: Any])?["code"] as? String }
        func petition(in unit: String, by clerk: TestSystem.Official) throws -> String {
            let session = try #require(try send("session.open", ["unit": unit, "title": "Đối thoại", "chair": "Trần Văn A"], as: clerk)?["id"] as? String)
            return try #require(try send("petition.submit", ["sessionId": session, "kind": "report", "category": "land", "content": "Đất",
                                                             "citizen": ["name": "Nguyễn Văn B"]], as: clerk)?["id"] as? String)
        }
        let inA = try petition(in: "Xã An Bình", by: clerkA), inB = try petition(in: "Xã Bình Minh", by: clerkB)
        let refer = { (p: String) -> [String: Any] in ["petitionId": p, "department": "Phòng Kinh tế", "assignee": "Lê Văn C", "by": "Trần Văn A", "days": 15] }
        #expect(code(try send("petition.refer", refer(inB), as: chair)) == "out_of_scope", "before the transfer, B is not theirs")

        let unknown = try system.ctl(["official", "transfer", chair.id, "--unit", "Xa Binh Minh Moi", "--reason", "Điều động"], as: admin)
        #expect(unknown.status == 1 && unknown.stderr.contains("not registered"), "\(unknown.stderr)")
        let moved = try system.ctl(["official", "transfer", chair.id, "--unit", to, "--reason", "Quyết định điều động 15/QĐ-UBND", "--json"], as: admin)
        #expect(moved.status == 0, "\(moved.stderr)")
        let again = try system.ctl(["official", "transfer", chair.id, "--unit", to, "--reason", "x"], as: admin)
        #expect(again.status == 1 && again.stderr.contains("already belongs"), "\(again.stderr)")
        let byChair = try system.ctl(["official", "transfer", clerkA.id, "--unit", to, "--reason", "x"], as: chair)
        #expect(byChair.status == 1 && byChair.stderr.contains("may not transfer an official"), "only an administrator transfers: \(byChair.stderr)")

        #expect(code(try send("petition.refer", refer(inA), as: chair)) == "out_of_scope", "after the transfer, A is no longer theirs")
        let referred = try send("petition.refer", refer(inB), as: chair)
        #expect(referred?["ok"] as? Bool == true, "B is theirs from the next command: \(referred ?? [:])")

        let history = try system.ctl(["official", "history", chair.id, "--json"], as: admin)
        #expect(history.status == 0, "\(history.stderr)")
        let terms = history.json["terms"] as? [[String: Any]] ?? []
        #expect(terms.map { $0["unit"] as? String } == [from, to], "\(terms)")
        #expect(terms.first?["endedBy"] as? String == "transferred" && terms.first?["until"] is String, "the term in A ended with the transfer")
        #expect(terms.last?["until"] is NSNull && terms.allSatisfy { $0["role"] as? String == "chair" }, "the term in B lasts")
        let text = try system.ctl(["official", "history", "--unit", from], as: admin)
        #expect(text.status == 0 && text.stdout.contains("Xã An Bình") && text.stdout.contains(chair.id), "\(text.stdout)")
        let today = LocalDate(containing: Date()).vietnamese
        #expect(text.stdout.contains(today), "dates read dd/mm/yyyy: \(text.stdout)")
    }
}
