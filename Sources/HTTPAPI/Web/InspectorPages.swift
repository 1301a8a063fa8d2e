import Audit
import EventSourcing
import Foundation
import Hummingbird
import Messaging
import NIOPosix
import PetitionDomain
import Projections

/// The inspector's pages (`Kiểm tra`): whether the log is whole (its hash chain recomputed from the store file and
/// its signed checkpoints checked, as `petitionctl audit verify` does), the views as they stood at a chosen moment
/// (rebuilt from the log alone, as `petitionctl audit rebuild --as-of` does), and the log's export without personal
/// data. Everything is read from the store file read-only; nothing is written to the log.
extension WebApp {
    /// Who may inspect: the supervisors and inspectors, the chair, the administrator.
    static let inspectorRoles: Set<Role> = [.supervisor, .chair, .administrator]

    func inspectorRoutes(_ router: Router<APIRequestContext>) {
        router.get("kiem-tra") { request, context in
            guard let caller = try? await APIRoutes.authenticate(api, request, context) else { return Self.redirect("/dang-nhap") }
            guard !Self.inspectorRoles.isDisjoint(with: caller.roles) else { return notInspector(request, caller) }
            // The first visit since the server started verifies at once; later ones show the last result and offer another.
            if inspections.last == nil { try await verify(caller) }
            return try await inspectorPage(request, caller: caller, asOf: Self.formQuery(request, "ngay"), time: Self.formQuery(request, "gio"))
        }
        router.post("kiem-tra/xac-minh") { request, context in
            guard let caller = try? await APIRoutes.authenticate(api, request, context) else { return Self.redirect("/dang-nhap") }
            guard !Self.inspectorRoles.isDisjoint(with: caller.roles) else { return notInspector(request, caller) }
            try await checkCSRF(request)
            try await verify(caller)
            return Self.redirect("/kiem-tra")
        }
        router.get("kiem-tra/xuat") { request, context in
            guard let caller = try? await APIRoutes.authenticate(api, request, context) else { return Self.redirect("/dang-nhap") }
            // The whole log holds every unit's petitions: only a province-level inspector (or the administrator) takes it.
            let registry = try await api.registry()
            let whole = caller.roles.contains(.administrator)
                || (caller.roles.contains(.supervisor) && registry.units[caller.unit].map { $0.parent == nil } == true)
            guard whole else {
                var response = page("message", ["title": "Không tải được", "message": "Nhật ký có kiến nghị của mọi đơn vị: chỉ thanh tra cấp tỉnh hoặc quản trị viên được tải toàn bộ."],
                                    caller: caller, request: request)
                response.status = .forbidden
                return response
            }
            let format = LogExport.Format(rawValue: Self.formQuery(request, "dinh-dang") ?? "csv") ?? .csv
            let path = api.eventLogPath
            // Written to a temporary file on the blocking pool (mode 0600), then sent from it a mebibyte at a time: a
            // province's log never sits whole in the API's memory.
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("petition-export-\(RandomId.make()).\(format.rawValue)").path
            let summary = try await NIOThreadPool.singleton.runIfActive { () throws -> LogExport.Summary in
                guard FileManager.default.createFile(atPath: file, contents: nil, attributes: [.posixPermissions: 0o600]),
                      let out = FileHandle(forWritingAtPath: file) else { throw WebAppError("cannot write a temporary file for the export") }
                defer { try? out.close() }
                do {
                    return try LogExport(format: format).run(logPath: path) { try out.write(contentsOf: $0) }
                } catch {
                    try? FileManager.default.removeItem(atPath: file) // a full disk, an unreadable log: nothing left behind
                    throw error
                }
            }
            let size = ((try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? NSNumber)?.intValue
            // Opened, then unlinked at once: the data lives as long as the open file, and nothing is left behind
            // whether or not the response is sent to its end.
            let input = FileHandle(forReadingAtPath: file)
            try? FileManager.default.removeItem(atPath: file)
            guard let input else { throw WebAppError("the export's temporary file is gone") }
            api.logger.notice("log exported", metadata: ["official": "\(caller.officialId)", "format": "\(format.rawValue)", "records": "\(summary.records)"])
            let type = format == .csv ? "text/csv; charset=utf-8" : "application/jsonl; charset=utf-8"
            return Response(status: .ok, headers: [.contentType: type, .cacheControl: "private, no-store",
                                                   .contentDisposition: "attachment; filename=\"nhat-ky-\(LocalDate(containing: Date())).\(format.rawValue)\""],
                            body: ResponseBody(contentLength: size) { writer in
                                defer { try? input.close() }
                                while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
                                    try await writer.write(ByteBuffer(data: chunk))
                                }
                                try await writer.finish(nil)
                            })
        }
    }

    func notInspector(_ request: Request, _ caller: Caller) -> Response {
        var response = page("message", ["title": "Không có quyền", "message": "Trang kiểm tra dành cho thanh tra, giám sát, chủ tịch và quản trị viên."],
                            caller: caller, request: request)
        response.status = .forbidden
        return response
    }

    /// Recomputes the log's hash chain now, on the blocking pool, and keeps the result for the page.
    func verify(_ caller: Caller) async throws {
        let path = api.eventLogPath
        let started = Date()
        let report = try await NIOThreadPool.singleton.runIfActive { () throws -> VerifyReport in try ChainVerifier(path: path).run() }
        inspections.record(Inspection(report: report, at: started, seconds: Date().timeIntervalSince(started), by: caller.name))
        api.logger.notice("log verified", metadata: ["official": "\(caller.officialId)", "intact": "\(report.isIntact)", "records": "\(report.records)"])
    }

    func inspectorPage(_ request: Request, caller: Caller, asOf dayText: String?, time: String?) async throws -> Response {
        var context: [String: Any] = ["title": "Kiểm tra", "day": dayText ?? "", "time": time ?? ""]
        if let last = inspections.last {
            let r = last.report
            var verified: [String: Any] = [
                "intact": r.isIntact, "records": Self.number(Int(r.records)), "hash": Hex.encode(r.headHash),
                "at": Self.dateTime(last.at), "by": last.by, "seconds": String(format: "%.2f", last.seconds).replacingOccurrences(of: ".", with: ","),
                "checkpoints": Self.number(r.checkpoints.found),
            ]
            if let problem = r.problem {
                verified["problem"] = "Bản ghi \(Self.number(Int(problem.position))) \(Self.problemNames[problem.kind] ?? problem.kind.rawValue) (chi tiết: \(problem.message))"
            }
            if let cp = r.checkpoints.last {
                verified["lastCheckpoint"] = ["position": Self.number(Int(cp.checkpoint.position)), "record": Self.number(Int(cp.record)),
                                              "key": String(cp.checkpoint.publicKey.prefix(16)) + "…"]
            }
            context["verified"] = verified
        }
        if let dayText {
            guard let when = Self.instant(date: dayText, time: time ?? "23:59") else {
                context["error"] = "Ngày và giờ viết như 19/03/2026 và 17:00."
                var response = page("inspector", context, caller: caller, request: request)
                response.status = .unprocessableContent
                return response
            }
            let registry = try await api.registry()
            let scope = caller.unit.isEmpty ? nil : registry.subtree(caller.unit).flatMap { registry.names(of: $0) }.sorted()
            let path = api.eventLogPath
            do {
                let views = try await NIOThreadPool.singleton.runIfActive { () throws -> PageValues in
                    PageValues(values: try Self.viewsAsOf(when, logPath: path, scope: scope))
                }
                context["asOf"] = views.values
            } catch {
                context["error"] = "Chưa dựng lại được: \(error)"
            }
        }
        return page("inspector", context, caller: caller, request: request)
    }

    /// The outstanding list and the responsibility figures as they stood at `when`: every projection rebuilt from the
    /// log through the last record recorded by then, into a temporary file, and asked the projector's own queries.
    static func viewsAsOf(_ when: Date, logPath: String, scope: [String]?) throws -> [String: Any] {
        // One rebuild at a time, whoever asks: each may take seconds and up to 256 MiB on a large log.
        rebuilding.lock()
        defer { rebuilding.unlock() }
        let log = try AuditFiles.openLogFile(logPath)
        let position = try log.lastPosition(recordedBy: Timestamp.millis(when))
        // In a folder only this process may read (the rebuilt views hold the petitions' texts and tracking codes).
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("petition-as-of-\(RandomId.make())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = (folder as NSString).appendingPathComponent("views.sqlite")
        // At most 256 MiB of the API's memory: a large log is folded 20,000 events at a time (slower, bounded).
        _ = try ProjectionRebuild.rebuild(log, through: position, into: file, memoryLimit: 256 << 20)
        let queries = ReadModelQueries(model: try OutstandingReadModel(readingFrom: file))
        func ask(_ body: [String: Any]) throws -> [String: Any] {
            let fields = try JSONFields(frame: Array(try JSONSerialization.data(withJSONObject: body)))
            let reply = try queries.answer(body["type"] as! String, fields, position: position, now: when, scope: scope)
            return try JSONSerialization.jsonObject(with: Data(reply)) as? [String: Any] ?? [:]
        }
        let outstanding = try ask(["type": "outstanding", "limit": 50])
        let overdue = try ask(["type": "outstanding", "overdue": true, "limit": 1])
        let responsibility = try ask(["type": "responsibility"])
        let items = (outstanding["items"] as? [[String: Any]] ?? []).map { item -> [String: Any] in
            [
                "petitionId": item["petitionId"] as? String ?? "", "content": item["content"] as? String ?? "",
                "status": (item["status"] as? String).flatMap(PetitionStatus.init(rawValue:))?.vietnamese ?? "",
                "department": item["department"] as? String ?? "", "holder": item["holder"] as? String ?? "",
                "deadline": (item["deadline"] as? String).flatMap(LocalDate.init)?.vietnamese ?? "—", "overdue": item["overdue"] as? Bool == true,
            ]
        }
        let departments = (responsibility["departments"] as? [[String: Any]] ?? []).map { d -> [String: Any] in
            [
                "department": d["department"] as? String ?? "", "held": Self.number(d["holding"] as? Int ?? 0), "overdue": Self.number(d["overdue"] as? Int ?? 0),
                "onTime": Self.number(d["resolvedOnTime"] as? Int ?? 0), "late": Self.number(d["resolvedLate"] as? Int ?? 0),
            ]
        }
        return [
            "when": dateTime(when), "position": number(Int(position)),
            "outstanding": number(outstanding["total"] as? Int ?? 0), "overdue": number(overdue["total"] as? Int ?? 0),
            "items": items, "hasItems": !items.isEmpty, "departments": departments, "hasDepartments": !departments.isEmpty,
        ]
    }

    static let rebuilding = NSLock()

    static let problemNames: [ChainProblem.Kind: String] = [
        .altered: "đã bị sửa", .missing: "bị mất", .reordered: "bị đảo thứ tự", .rewritten: "bị viết lại", .truncated: "bị cắt bớt phần cuối",
        .checkpointMismatch: "không khớp điểm kiểm tra có chữ ký", .badSignature: "có chữ ký điểm kiểm tra không hợp lệ",
    ]
}

/// A page's values made on the blocking pool (plain strings, numbers and arrays of them, never shared meanwhile).
struct PageValues: @unchecked Sendable {
    var values: [String: Any]
}

/// A verification of the log the web app made, kept in memory for the inspector's page.
struct Inspection: Sendable {
    var report: VerifyReport
    var at: Date
    var seconds: Double
    var by: String
}

/// The last verification since the server started (one per process; a verification from the command line is its own).
final class Inspections: @unchecked Sendable {
    private let lock = NSLock()
    private var latest: Inspection?

    var last: Inspection? { lock.withLock { latest } }
    func record(_ inspection: Inspection) { lock.withLock { latest = inspection } }
}
