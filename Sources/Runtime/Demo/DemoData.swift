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
        let make: @Sendable (_ sessions: [String], _ petitions: [String]) -> CommandRequest

        /// The request, given the ids the gateway gave the plan's sessions and petitions so far, in plan order.
        public func request(sessions: [String] = [], petitions: [String] = []) -> CommandRequest { make(sessions, petitions) }

        init(_ commandId: String, _ actor: Actor, at millis: Int64,
             _ command: @escaping @Sendable (_ sessions: [String], _ petitions: [String]) -> any CommandHandler) {
            self.commandId = commandId
            make = { sessions, petitions in
                CommandRequest(commandId: commandId, actor: actor, occurredAt: Timestamp.date(millis: millis), command: GatewayCommand(command(sessions, petitions)))
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
        let clerk = Actor(id: "clerk", role: .clerk)
        let admin = Actor(id: "Quản trị hệ thống", role: .administrator)
        let registeredAt = start - 30 * day
        plan.registry.append(Planned("demo-unit-HY", admin, at: registeredAt) { _, _ in
            Commands.RegisterUnit(code: "HY", name: Self.province, kind: .province, parent: nil)
        })
        plan.registry.append(Planned("demo-unit-HY-VUTHU", admin, at: registeredAt) { _, _ in
            Commands.RegisterUnit(code: "HY-VUTHU", name: Self.district, kind: .district, parent: "HY")
        })
        for (u, unit) in Self.communes.enumerated() {
            let code = "HY-VUTHU-" + (u < 9 ? "0" : "") + String(u + 1)
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
            let chairName = person()
            let chair = Actor(id: chairName, role: .chair)
            let unitClerk = Actor(id: "Thư ký \(unit)", role: .clerk)
            for s in 0..<sessionsPerCommune {
                let hamlet = pick(Self.hamlets)
                // Conferences spread from March to mid-November 2026, mornings.
                let held = start + Int64((u * 7 + s * 97) % 255) * day
                plan.sessions.append(Planned("demo-s\(u)-\(s)", clerk, at: held) { _, _ in
                    Commands.OpenSession(unit: unit, title: "Hội nghị đối thoại trực tiếp với Nhân dân \(hamlet)", chair: chairName)
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
                            let officer = Actor(id: "Cán bộ \(department)", role: .departmentOfficer, department: department)
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
                            let officer = Actor(id: "Cán bộ \(holder)", role: .departmentOfficer, department: holder)
                            let at = min(max(referredAt + took * day, handledUntil + 3_600_000), Timestamp.parseMillis("2026-11-20T10:00:00+07:00")!)
                            plan.resolutions.append((petitionIndex, Planned(key + "-resolve", officer, at: at) { _, petitions in
                                Commands.Resolve(petitionId: petitions[petitionIndex], by: "Cán bộ \(holder)",
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

    public static func load(context: ZMQContext, endpoints: Endpoints) throws -> (sessions: Int, petitions: Int, head: Int64) {
        var demo = DemoData()
        let plan = demo.plan()
        let sender = PipelinedSender(context: context, endpoint: endpoints.commands)

        var sessionIds: [String] = [], petitionIds: [String] = []
        func run(_ planned: [Planned]) throws -> [[String: Any]] {
            let requests = planned.map { p in (commandId: p.commandId, body: p.request(sessions: sessionIds, petitions: petitionIds).wireBytes) }
            let results = try sender.send(requests, window: 256)
            return try requests.map { r in
                let reply = try JSONSerialization.jsonObject(with: Data(results[r.commandId]!.reply)) as! [String: Any]
                // A demo loaded by an earlier version holds some of these ids for commands that version dated
                // differently: what it recorded stands.
                if (reply["error"] as? [String: Any])?["code"] as? String == ErrorCode.commandIdConflict.rawValue { return reply }
                guard reply["ok"] as? Bool == true else {
                    throw WireError.unavailable("demo command \(r.commandId) was refused: \(((reply["error"] as? [String: Any])?["message"] as? String) ?? "?")")
                }
                return reply
            }
        }
        _ = try run(plan.registry)
        sessionIds = try run(plan.sessions).map { $0["id"] as! String }
        petitionIds = try run(plan.petitions.map(\.command)).map { $0["id"] as! String }
        _ = try run(plan.followUps.map(\.command))
        _ = try run(plan.handling.map(\.command))
        let last = try run(plan.resolutions.map(\.command))
        let head = (last.compactMap { ($0["position"] as? NSNumber)?.int64Value }.max()) ?? 0
        return (sessionIds.count, petitionIds.count, head)
    }
}
