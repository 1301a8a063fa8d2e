import EventSourcing
import Foundation
import Workers
import Messaging
import PetitionDomain
import ZeroMQ

/// A realistic demo data set at the scale of the articles: a district of 30
/// communes, two dialogue conferences each, about 900 petitions across the
/// fields they name, answered on-site, referred, resolved, and overdue.
///
/// Deterministic: the same seed gives the same commands and command ids, so
/// loading it twice appends once.
public struct DemoData {
    public static let district = "Huyện Vũ Thư"
    public static let communes = [
        "Xã Bách Thuận", "Xã Dũng Nghĩa", "Xã Duy Nhất", "Xã Hòa Bình", "Xã Hồng Lý", "Xã Hồng Phong",
        "Xã Hiệp Hòa", "Xã Minh Khai", "Xã Minh Lãng", "Xã Minh Quang", "Xã Nguyên Xá", "Xã Phúc Thành",
        "Xã Song An", "Xã Song Lãng", "Xã Tam Quang", "Xã Tân Hòa", "Xã Tân Lập", "Xã Tân Phong",
        "Xã Trung An", "Xã Tự Tân", "Xã Việt Hùng", "Xã Việt Thuận", "Xã Vũ Đoài", "Xã Vũ Hội",
        "Xã Vũ Tiến", "Xã Vũ Vân", "Xã Vũ Vinh", "Xã Xuân Hòa", "Xã Đồng Thanh", "Thị trấn Vũ Thư",
    ]
    static let families = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
    static let middles = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Quang", "Ngọc"]
    static let givens = ["An", "Bình", "Cường", "Dung", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Lan", "Long", "Mai", "Nam", "Phương", "Quý", "Sơn", "Tâm", "Thảo", "Tuấn", "Yến"]
    static let hamlets = ["thôn Đông", "thôn Tây", "thôn Nam", "thôn Bắc", "thôn Trung", "thôn Thượng", "thôn Hạ"]
    static let contents: [PetitionCategory: [String]] = [
        .land: ["Cấp giấy chứng nhận quyền sử dụng đất chậm", "Tranh chấp ranh giới đất giữa các hộ", "Đề nghị đo đạc lại diện tích đất ở"],
        .environment: ["Rác thải sinh hoạt chưa được thu gom thường xuyên", "Mùi hôi từ trại chăn nuôi gần khu dân cư", "Vệ sinh môi trường khu chợ"],
        .agriculture: ["Hỗ trợ giống lúa sau thiên tai", "Giá vật tư nông nghiệp tăng cao", "Hướng dẫn kỹ thuật chuyển đổi cây trồng"],
        .transport: ["Đường giao thông nội đồng xuống cấp", "Đề nghị bê tông hóa đường liên thôn", "Cầu dân sinh bị hư hỏng"],
        .irrigation: ["Kênh mương thoát nước bị bồi lấp", "Trạm bơm hoạt động không ổn định", "Nạo vét kênh tưới tiêu trước mùa vụ"],
        .trafficSafety: ["Thiếu biển báo tại ngã ba đường tỉnh", "Xe tải chạy quá tốc độ qua khu dân cư", "Đề nghị lắp gờ giảm tốc trước trường học"],
        .infrastructure: ["Hệ thống đèn chiếu sáng công cộng hư hỏng", "Nhà văn hóa thôn xuống cấp", "Đề nghị nâng cấp trạm y tế xã"],
        .socialPolicy: ["Chậm chi trả trợ cấp cho người có công", "Xét duyệt hộ nghèo chưa đúng đối tượng", "Hỗ trợ bảo hiểm y tế cho người cao tuổi"],
        .culture: ["Đề nghị tu bổ di tích đình làng", "Thiếu sân chơi cho thiếu nhi", "Quản lý hoạt động karaoke gây ồn"],
        .administrativeProcedure: ["Thủ tục chứng thực còn rườm rà", "Thời gian giải quyết hồ sơ hộ tịch kéo dài", "Đề nghị công khai quy trình cấp phép xây dựng"],
        .securityOrder: ["Tình trạng trộm cắp vặt gia tăng", "Tụ tập thanh thiếu niên gây mất trật tự", "Đề nghị tăng cường tuần tra ban đêm"],
        .other: ["Đề nghị sớm công khai kết quả tiếp thu ý kiến", "Kiến nghị về lịch tiếp công dân"],
    ]
    static let departments: [PetitionCategory: String] = [
        .land: "Phòng Tài nguyên và Môi trường", .environment: "Phòng Tài nguyên và Môi trường",
        .agriculture: "Phòng Nông nghiệp và Phát triển nông thôn", .irrigation: "Phòng Nông nghiệp và Phát triển nông thôn",
        .transport: "Phòng Kinh tế - Hạ tầng", .infrastructure: "Phòng Kinh tế - Hạ tầng", .trafficSafety: "Phòng Kinh tế - Hạ tầng",
        .socialPolicy: "Phòng Lao động - Thương binh và Xã hội", .culture: "Phòng Văn hóa và Thông tin",
        .administrativeProcedure: "Văn phòng HĐND và UBND", .securityOrder: "Công an huyện", .other: "Văn phòng HĐND và UBND",
    ]

    /// The district's departments, by name, with the codes the demo registers them under.
    static let departmentCodes: [String: String] = [
        "Phòng Tài nguyên và Môi trường": "TNMT", "Phòng Nông nghiệp và Phát triển nông thôn": "NNPTNT",
        "Phòng Kinh tế - Hạ tầng": "KTHT", "Phòng Lao động - Thương binh và Xã hội": "LDTBXH",
        "Phòng Văn hóa và Thông tin": "VHTT", "Văn phòng HĐND và UBND": "VP", "Công an huyện": "CA",
    ]
    /// The province the district belongs to since the 2025 reform merged Thái Bình into Hưng Yên.
    public static let province = "Tỉnh Hưng Yên"

    /// Commands in dependency order: each phase needs the ids the one before created.
    public struct Plan {
        /// The registry first: the province, the (historical) district under it, its communes and departments.
        public var registry: [Planned] = []
        public var sessions: [Planned] = []
        /// Petitions per session index.
        public var petitions: [(session: Int, command: Planned)] = []
        /// Follow-ups per petition index: answer or refer, then resolve.
        public var followUps: [(petition: Int, command: Planned)] = []
        /// What happens while petitions are held: acceptance, reassignment, extension, feedback, withdrawal, merging.
        public var handling: [(petition: Int, command: Planned)] = []
        public var resolutions: [(petition: Int, command: Planned)] = []
    }

    /// A command of the plan, made once the ids it names are known (the gateway gives sessions and petitions theirs).
    public struct Planned: Sendable {
        public let commandId: String
        /// Who sends it: a demo official (appointed and given a key before the plan runs), or the administrator.
        public let actor: Actor
        let make: @Sendable (_ sessions: [String], _ petitions: [String]) -> CommandRequest

        /// The request, given the ids the gateway gave the plan's sessions and petitions so far, in plan order.
        public func request(sessions: [String] = [], petitions: [String] = []) -> CommandRequest { make(sessions, petitions) }

        /// `planned` with the ids given so far bound in.
        init(_ planned: Planned, sessions: [String], petitions: [String]) {
            commandId = planned.commandId
            actor = planned.actor
            let request = planned.make(sessions, petitions)
            make = { _, _ in request }
        }

        init(_ commandId: String, _ actor: Actor, at millis: Int64,
             _ command: @escaping @Sendable (_ sessions: [String], _ petitions: [String]) -> any CommandHandler) {
            self.commandId = commandId
            self.actor = actor
            make = { sessions, petitions in
                CommandRequest(commandId: commandId, occurredAt: Timestamp.date(millis: millis), command: GatewayCommand(command(sessions, petitions)))
            }
        }
    }

    private var rng: UInt64

    public init(seed: UInt64 = 2026) { rng = seed }

    private mutating func next() -> UInt64 {
        rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return rng >> 33
    }
    private mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
    private mutating func chance(_ p: Double) -> Bool { Double(next() % 10_000) / 10_000 < p }
    private mutating func person() -> String { "\(pick(Self.families)) \(pick(Self.middles)) \(pick(Self.givens))" }

    /// The whole demo as commands.
    public mutating func plan(sessionsPerCommune: Int = 2, petitionsPerSession: Int = 15) -> Plan {
        var plan = Plan()
        /// Petitions withdrawn or merged: no duplicate is merged into them.
        var closed: Set<Int> = []
        let day: Int64 = 86_400_000
        let start = Timestamp.parseMillis("2026-03-02T08:00:00+07:00")!
        let admin = Actor(id: RegistryFounded.firstOfficialId, role: .administrator)
        let registeredAt = start - 30 * day
        plan.registry.append(Planned("demo-unit-HY", admin, at: registeredAt) { _, _ in
            Commands.RegisterUnit(code: "HY", name: Self.province, kind: .province, parent: nil)
        })
        plan.registry.append(Planned("demo-unit-HY-VUTHU", admin, at: registeredAt) { _, _ in
            Commands.RegisterUnit(code: "HY-VUTHU", name: Self.district, kind: .district, parent: "HY")
        })
        for (u, unit) in Self.communes.enumerated() {
            let code = Self.communeCode(u)
            plan.registry.append(Planned("demo-unit-\(code)", admin, at: registeredAt) { _, _ in
                Commands.RegisterUnit(code: code, name: unit, kind: unit.hasPrefix("Thị trấn") ? .township : .commune, parent: "HY-VUTHU")
            })
        }
        for (name, code) in Self.departmentCodes.sorted(by: { $0.value < $1.value }) {
            plan.registry.append(Planned("demo-department-\(code)", admin, at: registeredAt) { _, _ in
                Commands.RegisterDepartment(unit: "HY-VUTHU", code: code, name: name)
            })
        }
        for (u, unit) in Self.communes.enumerated() {
            let code = Self.communeCode(u)
            // The first commune's chair is the one the README's commands name.
            let generated = person()
            let chairName = u == 0 ? "Trần Văn A" : generated
            let chair = Actor(id: chairName, role: .chair, unit: code)
            let unitClerk = Actor(id: person(), role: .clerk, unit: code)
            let clerk = unitClerk
            for s in 0..<sessionsPerCommune {
                let hamlet = pick(Self.hamlets)
                // Conferences spread from March to mid-November 2026, mornings.
                let held = start + Int64((u * 7 + s * 97) % 255) * day
                plan.sessions.append(Planned("demo-s\(u)-\(s)", clerk, at: held) { _, _ in
                    // How many attended: from the unit and session's numbers, so the demo's random draws stay as they were.
                    Commands.OpenSession(unit: unit, title: "Hội nghị đối thoại trực tiếp với Nhân dân \(hamlet)", chair: chairName,
                                         hamlet: hamlet, attendees: 60 + (u * 37 + s * 53) % 140)
                })
                let sessionIndex = plan.sessions.count - 1
                for p in 0..<petitionsPerSession {
                    let category = pick(PetitionCategory.allCases)
                    let kind: PetitionKind = chance(0.7) ? .recommendation : chance(0.6) ? .report : chance(0.7) ? .complaint : .denunciation
                    let key = "demo-p\(u)-\(s)-\(p)"
                    let content = pick(Self.contents[category]!)
                    let citizen = PersonalData(name: person(), address: "\(pick(Self.hamlets)), \(unit)", phone: "09\(10_000_000 + next() % 89_999_999)")
                    plan.petitions.append((sessionIndex, Planned(key, clerk, at: held + Int64(p) * 600_000) { sessions, _ in
                        Commands.Submit(sessionId: sessions[sessionIndex], kind: kind, category: category, content: content, citizen: citizen)
                    }))
                    let petitionIndex = plan.petitions.count - 1
                    let r = next() % 100
                    let answeredAt = held + Int64(p) * 600_000 + 300_000
                    if r < 40 {
                        plan.followUps.append((petitionIndex, Planned(key + "-answer", chair, at: answeredAt) { _, petitions in
                            Commands.Answer(petitionId: petitions[petitionIndex], by: chairName,
                                            answer: "Chủ tịch UBND đã trả lời trực tiếp tại hội nghị và giao bộ phận liên quan theo dõi.")
                        }))
                        // Most citizens are satisfied with the answer; some are not, and it is outstanding again.
                        let satisfied = chance(0.85)
                        plan.handling.append((petitionIndex, Planned(key + "-feedback", unitClerk, at: answeredAt + 600_000) { _, petitions in
                            Commands.Feedback(petitionId: petitions[petitionIndex], satisfied: satisfied,
                                              comment: satisfied ? "Công dân đồng ý với câu trả lời" : "Công dân chưa đồng ý, đề nghị xem xét lại")
                        }))
                    } else if r < 88 {
                        let referredAt = held + day * Int64(1 + next() % 3)
                        var department = Self.departments[category]!
                        let assignee = person()
                        // Mostly by the unit's deadline policy; sometimes the chair sets the limit himself.
                        let rule: DeadlineRule = chance(0.2) ? .days(kind == .complaint || kind == .denunciation ? 30 : 15) : .policy
                        let complexity: Complexity = kind == .denunciation && chance(0.5) ? .complex : .normal
                        let referredTo = department
                        plan.followUps.append((petitionIndex, Planned(key + "-refer", chair, at: referredAt) { _, petitions in
                            Commands.Refer(petitionId: petitions[petitionIndex], department: referredTo, assignee: assignee, by: chairName,
                                           deadline: rule, complexity: complexity)
                        }))
                        /// The last thing done before it is resolved: nothing is dated before what the petition already records.
                        var handledUntil = referredAt
                        if chance(0.75) {
                            handledUntil = referredAt + day
                            let officer = Self.officer(department)
                            plan.handling.append((petitionIndex, Planned(key + "-accept", officer, at: referredAt + day) { _, petitions in
                                Commands.Accept(petitionId: petitions[petitionIndex])
                            }))
                        }
                        if chance(0.08), let other = Self.departments.values.sorted().first(where: { $0 != department }) {
                            let assignee = person()
                            plan.handling.append((petitionIndex, Planned(key + "-reassign", chair, at: referredAt + 2 * day) { _, petitions in
                                Commands.Reassign(petitionId: petitions[petitionIndex], department: other, assignee: assignee,
                                                  reason: "Chuyển đúng cơ quan có thẩm quyền giải quyết")
                            }))
                            department = other
                            handledUntil = referredAt + 2 * day
                        } else if (kind == .recommendation || kind == .report) && chance(0.1) {
                            let decision = "Quyết định gia hạn số \(u + 1)\(s)\(p)/QĐ-UBND"
                            plan.handling.append((petitionIndex, Planned(key + "-extend", chair, at: referredAt + 5 * day) { _, petitions in
                                Commands.Extend(petitionId: petitions[petitionIndex], approver: chairName, decision: decision, deadline: nil)
                            }))
                            handledUntil = referredAt + 5 * day
                        } else if chance(0.03) {
                            plan.handling.append((petitionIndex, Planned(key + "-withdraw", unitClerk, at: referredAt + 3 * day) { _, petitions in
                                Commands.Withdraw(petitionId: petitions[petitionIndex], reason: "Công dân tự nguyện rút kiến nghị")
                            }))
                            closed.insert(petitionIndex)
                            continue
                        }
                        if chance(0.55) {
                            let took = Int64(3 + next() % 40)
                            let holder = department
                            let officer = Self.officer(holder)
                            let at = min(max(referredAt + took * day, handledUntil + 3_600_000), Timestamp.parseMillis("2026-11-20T10:00:00+07:00")!)
                            plan.resolutions.append((petitionIndex, Planned(key + "-resolve", officer, at: at) { _, petitions in
                                Commands.Resolve(petitionId: petitions[petitionIndex], by: officer.id,
                                                 resolution: "Đã kiểm tra thực tế, giải quyết và thông báo kết quả cho công dân.")
                            }))
                        }
                    } else if r < 91, p > 0, !closed.contains(petitionIndex - 1) {
                        closed.insert(petitionIndex)
                        // The same matter raised twice at one conference: the later one is merged into the earlier.
                        plan.handling.append((petitionIndex, Planned(key + "-merge", chair, at: answeredAt) { _, petitions in
                            Commands.Merge(petitionId: petitions[petitionIndex], into: petitions[petitionIndex - 1],
                                           reason: "Trùng nội dung với kiến nghị trước tại cùng hội nghị")
                        }))
                    }
                }
            }
        }
        return plan
    }

    /// Sends the demo through the gateway and returns how many petitions it holds.
    /// Writes the demo's units.json into `configDirectory` unless one exists: every commune is below the district,
    /// so `petitionctl report --unit "Huyện Vũ Thư"` lists the 30 communes.
    public static func prepareConfig(at configDirectory: String) throws {
        let file = ConfigDirectory(path: configDirectory).unitsFile
        guard !FileManager.default.fileExists(atPath: file) else { return }
        try FileManager.default.createDirectory(atPath: configDirectory, withIntermediateDirectories: true)
        let text = ConfigDirectory.unitsTemplate.replacingOccurrences(of: "\"remote\": false,", with: "\"parent\": \"\(district)\",\n    \"remote\": false,")
        try Data(text.utf8).write(to: URL(fileURLWithPath: file), options: .atomic)
    }

    /// The code the demo registers commune number `index` under.
    static func communeCode(_ index: Int) -> String { "HY-VUTHU-" + (index < 9 ? "0" : "") + String(index + 1) }

    /// The officers of the district's departments, one each.
    static let officerNames: [String: String] = [
        "TNMT": "Đỗ Minh Tuấn", "NNPTNT": "Bùi Thị Hạnh", "KTHT": "Ngô Quang Hải", "LDTBXH": "Vũ Thị Lan",
        "VHTT": "Hoàng Ngọc Sơn", "VP": "Phạm Thanh Hà", "CA": "Lê Đức Long",
    ]

    /// The officer of the district department named `department`.
    static func officer(_ department: String) -> Actor {
        let code = departmentCodes[department]!
        return Actor(id: officerNames[code]!, role: .departmentOfficer, department: department, unit: "HY-VUTHU", departmentCode: code)
    }

    /// The district's inspector (a supervisor: reads the whole district, never writes).
    static let inspector = Actor(id: "Trịnh Văn Quý", role: .supervisor, unit: "HY-VUTHU")

    /// Sends the demo through the gateway, every command with the identity of the official who does it: the
    /// administrator (`administrator`) registers the units, departments and officials, each official gets a key pair
    /// and an identity file in `identitiesFolder` (with a README saying who is who), then the conferences run.
    /// Returns how many sessions and petitions it holds, the log's head, and the officials it registered.
    public static func load(context: ZMQContext, endpoints: Endpoints, identitiesFolder: String,
                            administrator: IdentityFile) throws -> (sessions: Int, petitions: Int, head: Int64, officials: [DemoOfficial]) {
        var demo = DemoData()
        let plan = demo.plan()
        guard let adminKeys = administrator.keys, let servers = endpoints.curve?.servers else {
            throw WireError.unavailable("the demo needs the administrator's identity and the servers' keys")
        }
        func sender(_ keys: CurveKeyPair) -> PipelinedSender {
            PipelinedSender(context: context, endpoint: endpoints.commands, curve: CurvePin(keys: keys, serverKey: servers.gateway))
        }
        func replies(_ planned: [Planned], by keys: CurveKeyPair) throws -> [String: [String: Any]] {
            let requests = planned.map { p in (commandId: p.commandId, body: p.request().wireBytes) }
            let results = try sender(keys).send(requests, window: 256)
            return try Dictionary(uniqueKeysWithValues: requests.map { r in
                (r.commandId, try checked(JSONSerialization.jsonObject(with: Data(results[r.commandId]!.reply)) as! [String: Any], r.commandId))
            })
        }
        func checked(_ reply: [String: Any], _ commandId: String) throws -> [String: Any] {
            // A demo loaded by an earlier version holds some of these ids for commands that version dated or sent
            // differently: what it recorded stands.
            if (reply["error"] as? [String: Any])?["code"] as? String == ErrorCode.commandIdConflict.rawValue { return reply }
            guard reply["ok"] as? Bool == true else {
                throw WireError.unavailable("demo command \(commandId) was refused: \(((reply["error"] as? [String: Any])?["message"] as? String) ?? "?")")
            }
            return reply
        }

        // The registry, then every official who acts in the plan (and the district's inspector), each with a key.
        _ = try replies(plan.registry, by: adminKeys)
        var actors: [Actor] = []
        var seen: Set<Actor> = []
        let acting = plan.sessions + plan.petitions.map(\.command) + plan.followUps.map(\.command) + plan.handling.map(\.command)
            + plan.resolutions.map(\.command)
        for actor in acting.map(\.actor) + [inspector] where seen.insert(actor).inserted { actors.append(actor) }
        let admin = Actor(id: RegistryFounded.firstOfficialId, role: .administrator)
        let appointments = actors.map { a in
            Planned("demo-official-\(a.role.rawValue)-\(a.unit ?? "")-\(a.departmentCode ?? "")", admin, at: Timestamp.parseMillis("2026-02-01T08:00:00+07:00")!) { _, _ in
                Commands.AppointOfficial(name: a.id, unit: a.unit!, department: a.departmentCode, roles: [a.role])
            }
        }
        let appointed = try replies(appointments, by: adminKeys)
        try FileManager.default.createDirectory(atPath: identitiesFolder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var keys: [Actor: CurveKeyPair] = [:]
        var listed: [(file: String, official: String, actor: Actor)] = []
        var issues: [Planned] = []
        for (actor, appointment) in zip(actors, appointments) {
            guard let officialId = appointed[appointment.commandId]?["id"] as? String else {
                throw WireError.unavailable("the demo official \(actor.id) was not appointed")
            }
            let file = (identitiesFolder as NSString).appendingPathComponent(identityFileName(actor))
            // Loaded again: the official keeps the key of the identity file written the first time.
            let pair = try (try? IdentityFiles.read(file)).flatMap { $0.officialId == officialId ? $0.keys : nil } ?? CurveKeyPair.generate()
            try IdentityFiles.write(IdentityFile(officialId: officialId, name: actor.id, keys: pair), to: file)
            keys[actor] = pair
            listed.append(((file as NSString).lastPathComponent, officialId, actor))
            issues.append(Planned("demo-key-\(officialId)", admin, at: Timestamp.parseMillis("2026-02-01T08:00:00+07:00")!) { _, _ in
                Commands.IssueCredential(officialId: officialId, publicKey: pair.publicKey)
            })
        }
        _ = try replies(issues, by: adminKeys)
        try writeReadme(listed, to: (identitiesFolder as NSString).appendingPathComponent("README"))

        // The conferences: each official sends their own commands; a petition's commands keep their order (one per round).
        func run(_ planned: [Planned]) throws -> [[String: Any]] {
            var byCommand: [String: [String: Any]] = [:]
            var groups: [Actor: [Planned]] = [:]
            for p in planned { groups[p.actor, default: []].append(p) }
            for (actor, group) in groups.sorted(by: { $0.key.id < $1.key.id }) {
                byCommand.merge(try replies(group, by: keys[actor]!)) { a, _ in a }
            }
            return planned.map { byCommand[$0.commandId]! }
        }
        func rounds(_ planned: [(petition: Int, command: Planned)]) throws -> [[String: Any]] {
            var queues: [Int: [Planned]] = [:]
            var order: [Int] = []
            for (petition, command) in planned {
                if queues[petition] == nil { order.append(petition) }
                queues[petition, default: []].append(command)
            }
            var all: [[String: Any]] = []
            var round = 0
            while true {
                let batch = order.compactMap { queues[$0]!.count > round ? queues[$0]![round] : nil }
                guard !batch.isEmpty else { return all }
                all += try run(batch)
                round += 1
            }
        }
        var sessionIds: [String] = [], petitionIds: [String] = []
        func bound(_ planned: [Planned]) -> [Planned] {
            planned.map { p in Planned(p, sessions: sessionIds, petitions: petitionIds) }
        }
        sessionIds = try run(plan.sessions).map { $0["id"] as! String }
        petitionIds = try run(bound(plan.petitions.map(\.command))).map { $0["id"] as! String }
        let bind = { (list: [(petition: Int, command: Planned)]) in list.map { ($0.petition, Planned($0.command, sessions: sessionIds, petitions: petitionIds)) } }
        _ = try rounds(bind(plan.followUps))
        _ = try rounds(bind(plan.handling))
        let last = try rounds(bind(plan.resolutions))
        let head = (last.compactMap { ($0["position"] as? NSNumber)?.int64Value }.max()) ?? 0
        let officials = listed.map { l in
            DemoOfficial(officialId: l.official, name: l.actor.id, role: l.actor.role, unit: l.actor.unit ?? "", department: l.actor.departmentCode,
                         login: (l.file as NSString).deletingPathExtension.lowercased())
        }
        return (sessionIds.count, petitionIds.count, head, officials)
    }

    /// One official the demo registered, and the login the demo gives them for the HTTP API (their identity
    /// file's name, lower case: `clerk-hy-vuthu-01`).
    public struct DemoOfficial: Sendable, Hashable {
        public var officialId: String
        public var name: String
        public var role: Role
        public var unit: String
        public var department: String?
        public var login: String

        public init(officialId: String, name: String, role: Role, unit: String, department: String?, login: String) {
            self.officialId = officialId; self.name = name; self.role = role; self.unit = unit; self.department = department; self.login = login
        }
    }

    /// The demo identity file of `actor`: `clerk-HY-VUTHU-01.json`, `chair-HY-VUTHU-01.json`, `officer-KTHT.json`,
    /// `supervisor-HY-VUTHU.json` (what the README's commands give to --identity).
    static func identityFileName(_ actor: Actor) -> String {
        actor.role == .departmentOfficer ? "officer-\(actor.departmentCode ?? "").json" : "\(actor.role.rawValue)-\(actor.unit ?? "").json"
    }

    /// `identities/README`: who is who, in Vietnamese first.
    static func writeReadme(_ listed: [(file: String, official: String, actor: Actor)], to path: String) throws {
        let roleNames: [Role: String] = [.clerk: "Thư ký (clerk)", .chair: "Chủ tịch UBND (chair)", .departmentOfficer: "Cán bộ phòng ban (department_officer)",
                                         .supervisor: "Thanh tra (supervisor)", .administrator: "Quản trị (administrator)"]
        var unitNames = ["HY": province, "HY-VUTHU": district]
        for (i, name) in communes.enumerated() { unitNames[communeCode(i)] = name }
        var lines = [
            "Danh tính của các cán bộ trong dữ liệu mẫu (demo identities)",
            "",
            "Mỗi tệp .json là danh tính CurveZMQ của một cán bộ: khóa bí mật của họ (chế độ 0600, chỉ người giữ được đọc).",
            "Each .json file is one official's CurveZMQ identity (their secret key; mode 0600). Act as them with:",
            "",
            "    petitionctl --identity data/identities/<tệp>.json --servers data/servers.json ...",
            "",
            "administrator.json: Quản trị viên (administrator), O000001, quản lý danh mục đơn vị, phòng ban, cán bộ.",
            "",
        ]
        for entry in listed {
            let unit = entry.actor.unit.map { unitNames[$0] ?? $0 } ?? ""
            let department = entry.actor.department.map { ", \($0)" } ?? ""
            lines.append("\(entry.file): \(entry.actor.id), \(roleNames[entry.actor.role] ?? entry.actor.role.rawValue), \(unit)\(department)")
        }
        try IdentityFiles.writeAtomically(Data((lines.joined(separator: "\n") + "\n").utf8), to: path, mode: 0o600)
    }
}
