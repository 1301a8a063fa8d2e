import Foundation
import Testing
import TestSupport
import PetitionDomain

/// The officials' web app in a real headless Chromium (Debian's chromium and chromium-driver, selenium from PyPI):
/// a chair logs in with the keyboard only and sees on the home page the same overdue count as the API's
/// `outstanding?overdue=true`; screenshots of each page at 1366×768 and 390×844 go to `.build/screenshots/`.
@Suite("web app: the officials' pages in a real browser", .serialized)
struct WebAppTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func browser(_ script: String, environment: [String: String], timeout: TimeInterval = 180) throws -> CommandOutput {
        var env = ProcessInfo.processInfo.environment
        env["PYTHONIOENCODING"] = "utf-8"
        for (k, v) in environment { env[k] = v }
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Browser/\(script)").path
        return try runProgram(URL(fileURLWithPath: "/usr/bin/env"), ["python3", path], environment: env, timeout: timeout)
    }

    /// Runs the browser script `script` against `system` as the official with `login`/`password` (and `environment`),
    /// its screenshots into `.build/screenshots/`; what it printed, once it ran to its end.
    static let shots = repository.appendingPathComponent(".build/screenshots")

    static func seen(_ script: String, _ system: TestSystem, login: String, password: String, _ environment: [String: String] = [:]) throws -> [String: Any] {
        try FileManager.default.createDirectory(at: shots, withIntermediateDirectories: true)
        let run = try browser(script, environment: environment.merging(["WEB_BASE": system.apiBase, "WEB_LOGIN": login, "WEB_PASSWORD": password,
                                                                        "WEB_SHOTS": shots.path]) { a, _ in a })
        try #require(run.status == 0, "the browser run failed:\n\(run.stdout)\n\(run.stderr.suffix(3000))")
        return try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stdout)")
    }

    /// `official` given `login` and a password, and an HTTP client logged in with them.
    static func account(_ system: TestSystem, _ official: TestSystem.Official, login: String) throws -> (password: String, client: HTTPClient) {
        let password = try system.setPassword(official, login: login)
        let client = HTTPClient(base: system.apiBase)
        client.token = try #require(try client.post("/api/v1/login", ["login": login, "password": password]).json["token"] as? String)
        return (password, client)
    }

    /// The API world's commune with its Phòng Kinh tế, and its chair logged in as `login` (the password for the browser).
    static func chairsCommune(login: String) throws -> (w: APIBasicsTests.World, code: String, department: String, password: String, chair: HTTPClient) {
        let w = try APIBasicsTests.world()
        let code = try #require(try w.system.registerCommune(w.commune))
        let department = try w.system.department("Phòng Kinh tế", of: code)
        try w.system.person("Lê Văn C")
        let (password, chair) = try Self.account(w.system, try w.system.official(.chair, unit: w.commune), login: login)
        return (w, code, department, password, chair)
    }

    @Test func aChairLogsInWithTheKeyboardAndTheHomePageShowsTheOverdueCountTheAPIGives() throws {
        // Fails, never skips: without Chromium this guarantee would silently go untested.
        #expect(FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium") && FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver"),
                "install chromium and chromium-driver (deploy/install-deps.sh --test)")
        let w = try APIBasicsTests.world()
        let chairOfficial = try w.system.official(.chair, unit: w.commune)
        let login = "chair.web"
        let (password, chair) = try Self.account(w.system, chairOfficial, login: login)
        let department = try w.system.department("Phòng Kinh tế", of: try #require(try w.system.registerCommune(w.commune)))
        try w.system.person("Lê Văn C")
        var waiting = ""
        for (n, content) in ["Đường liên ấp xuống cấp", "Cống thoát nước bị tắc", "Trạm y tế thiếu thuốc"].enumerated() {
            let id = try #require(try w.clerk.post("/api/v1/petitions", APIBasicsTests.submission(w.session, content: content)).json["id"] as? String)
            waiting = id
            if n < 2 {
                let referred = try chair.post("/api/v1/petitions/\(id)/refer", ["department": department, "assignee": "Lê Văn C", "by": "Trần Văn A",
                                                                              "days": 15, "occurredAt": "2026-03-19T10:00:00+07:00"])
                #expect(referred.status == 200, "\(referred.text)")
            }
        }
        let overdue = try chair.get("/api/v1/outstanding?overdue=true").json["total"] as? Int
        #expect(overdue == 2)
        // The one still waiting: its page offers the chair a referral, the department (of two) found by typing without diacritics.
        try w.system.department("Phòng Nông nghiệp và Môi trường", of: try #require(try w.system.registerCommune(w.commune)))
        Thread.sleep(forTimeInterval: 1.1) // the API reads the registry again once its copy is a second old
        let waitingPage = try chair.get("/kien-nghi/\(waiting)")
        #expect(waitingPage.status == 200 && waitingPage.text.contains("data-filter-select=\"chuyen-department\"")
                && waitingPage.text.contains("data-folded=\"phong kinh te\""), "\(waitingPage.status) \(waitingPage.text.components(separatedBy: "viec-chuyen").last?.prefix(800) ?? "")")

        // The pages' own guarantees, over plain HTTP: a Content-Security-Policy, and a login without its CSRF token refused.
        let page = try HTTPClient(base: w.system.apiBase).get("/dang-nhap")
        #expect(page.header("Content-Security-Policy")?.contains("default-src 'self'") == true && page.header("Content-Type")?.hasPrefix("text/html") == true)
        let forged = try HTTPClient(base: w.system.apiBase).send("POST", "/dang-nhap", body: Data("login=\(login)&password=\(password)".utf8),
                                                                headers: ["Content-Type": "application/x-www-form-urlencoded"])
        #expect(forged.status == 403 && forged.header("Set-Cookie")?.contains("petition_session") != true, "a login without the form's token opens no session")

        let seen = try Self.seen("home_page.py", w.system, login: login, password: password, ["WEB_CLERK_TOKEN": try #require(w.clerk.token),
                                                                 "WEB_SUBMISSION": String(decoding: try JSONSerialization.data(withJSONObject: APIBasicsTests.submission(w.session, content: "Kiến nghị ghi trong lúc trang đang mở")), as: UTF8.self)])
        let live = seen["live"] as? [String: Any] ?? [:]
        #expect(live["before"] as? String == "3" && live["after"] as? String == "4" && live["notice"] as? Bool == true,
                "the home page's counts follow the log live (SSE): \(live)")
        #expect(seen["wrongPassword"] as? String == "Tên đăng nhập hoặc mật khẩu không đúng.", "\(seen)")
        #expect((seen["url"] as? String)?.hasSuffix("/trang-chu") == true && seen["lang"] as? String == "vi")
        #expect(seen["overdue"] as? String == "\(overdue ?? -1)", "the home page's overdue count is the API's: \(seen)")
        #expect((seen["overdueRows"] as? [String])?.count == 2 && (seen["overdueRows"] as? [String])?.allSatisfy { $0.contains("Phòng Kinh tế") && $0.contains("ngày") } == true,
                "\(seen)")
        for name in ["dang-nhap-1366", "dang-nhap-390", "trang-chu-1366", "trang-chu-390"] {
            #expect(FileManager.default.fileExists(atPath: Self.shots.appendingPathComponent("\(name).png").path), "no screenshot \(name)")
        }
    }

    @Test func aClerkRecordsAConferenceWithTheKeyboardOnlyOneAnsweredTwoReferredTheChairSeesThemAndTheOfficerResolvesOne() throws {
        let system = try TestSystem()
        try system.start()
        try system.startAPI()
        let commune = "Xã Thử Bàn Phím"
        let communeCode = try #require(try system.registerCommune(commune))
        try system.person("Trần Văn A")
        try system.department("Phòng Kinh tế", of: communeCode)
        try system.department("Phòng Nông nghiệp và Môi trường", of: communeCode)
        let clerk = try system.official(.clerk, unit: commune)
        let password = try system.setPassword(clerk, login: "thuky.web")
        let seen = try Self.seen("record_session.py", system, login: "thuky.web", password: password)
        let notices = seen["notices"] as? [String] ?? []
        #expect(notices.count == 3 && seen["count"] as? String == "3", "\(seen)")
        #expect(notices.first?.contains("đã trả lời tại hội nghị") == true && notices.allSatisfy { $0.contains("mã tra cứu") }, "\(notices)")
        // Referred there, by the policy: 15 working days from Thursday 19/03/2026 is Thursday 09/04/2026 (no holiday between).
        #expect(notices.dropFirst().allSatisfy { $0.contains("đã chuyển giải quyết, hạn 09/04/2026") }, "\(notices)")
        #expect(seen["policy"] as? [String] == ["Kiến nghị: 15 ngày làm việc, hạn 09/04/2026", "Kiến nghị: 15 ngày làm việc, hạn 09/04/2026"], "the policy's deadline shown before referring: \(seen)")
        #expect(seen["matches"] as? [String] == ["1 cơ quan phù hợp", "1 cơ quan phù hợp"], "typed without diacritics, one department found: \(seen)")
        // The receipt's code, typed by a citizen in lower case with spaces, finds the petition; the page shows no personal data.
        let code = try #require(seen["code"] as? String)
        #expect(notices.last?.contains(code) == true, "the receipt carries the last petition's code: \(code) \(notices)")
        #expect(seen["tracked"] as? String == "Đã chuyển cơ quan chuyên môn giải quyết", "\(seen)")
        let body = seen["body"] as? String ?? ""
        #expect(!body.contains("Lê Thị E") && !body.contains("ấp Đông") && !body.contains("Kênh thủy lợi"), "the citizens' page shows no personal data: \(body)")

        // The log holds what the clerk typed, as the clerk, dated at the conference.
        let events = try system.history()
        let submitted = events.filter { $0["type"] as? String == "petition.submitted.v3" }
        #expect(submitted.count == 3 && submitted.allSatisfy { $0["actor"] as? String == "clerk/\(clerk.id)" }, "\(submitted.map { $0["actor"] ?? "" })")
        #expect(submitted.allSatisfy { ($0["time"] as? String)?.hasPrefix("2026-03-19T01:00:00") == true }, "dated at the conference: \(submitted.map { $0["time"] ?? "" })")
        let answered = try #require(events.first { $0["type"] as? String == "petition.answered.v1" }, "\(events.map { $0["type"] ?? "" })")
        #expect(answered["actor"] as? String == "clerk/\(clerk.id)")
        // The referrals: recorded by the clerk in the chair's name, to the departments found, dated at the conference.
        let referred = events.filter { $0["type"] as? String == "petition.referred.v3" }
        #expect(referred.map { ($0["data"] as? [String: Any])?["department"] as? String ?? "" } == ["Phòng Kinh tế", "Phòng Nông nghiệp và Môi trường"], "\(referred)")
        #expect(referred.allSatisfy { $0["actor"] as? String == "clerk/\(clerk.id)" && ($0["data"] as? [String: Any])?["by"] as? String == "Trần Văn A"
            && ($0["time"] as? String)?.hasPrefix("2026-03-19T01:00:00") == true }, "\(referred)")

        // The chair logs in and sees them: both referrals overdue first, with who holds them; all three in the commune's search.
        let chairOfficial = try system.official(.chair, unit: commune)
        let chairPassword = try system.setPassword(chairOfficial, login: "chutich.hoinghi")
        let chairSaw = try Self.seen("chair_sees.py", system, login: "chutich.hoinghi", password: chairPassword, ["WEB_UNIT": communeCode])
        let overdueRows = chairSaw["overdue"] as? [[String]] ?? []
        let holders: [String] = overdueRows.map { $0.count > 3 ? $0[3] : "" }
        #expect(chairSaw["overdueCount"] as? String == "2" && holders == ["Phòng Kinh tế", "Phòng Nông nghiệp và Môi trường"], "\(chairSaw)")
        let since: [String] = overdueRows.map { $0.count > 6 ? "\($0[4]) \($0[5]) \($0[6])" : "" }
        #expect(since == ["Lê Văn C 19/03/2026 09/04/2026", "Lê Văn C 19/03/2026 09/04/2026"], "\(chairSaw)")
        let sessions = chairSaw["sessions"] as? [[String]] ?? []
        #expect(sessions.count == 1 && sessions.first?.prefix(8) == ["19/03/2026", commune, "Đối thoại với nhân dân ấp Tây Huề", "ấp Tây Huề", "Trần Văn A", "120", "3", "2"],
                "the conference in the list: \(sessions)")
        let raised = chairSaw["raised"] as? [[String]] ?? []
        let decided: [String] = raised.map { $0.count > 5 ? "\($0[4]) | \($0[5])" : "" }
        #expect(decided == ["Đã được trả lời tại hội nghị đối thoại | ", "Đã chuyển cơ quan chuyên môn giải quyết | Phòng Kinh tế",
                            "Đã chuyển cơ quan chuyên môn giải quyết | Phòng Nông nghiệp và Môi trường"], "the conference's page, as the chair sees it: \(raised)")
        #expect(chairSaw["entry"] as? Int == 0, "a chair is not offered the clerk's entry form")
        let found = chairSaw["found"] as? [[String]] ?? []
        let statuses: Set<String> = Set(found.map { $0.count > 3 ? $0[3] : "" })
        #expect(found.count == 3 && statuses == ["Đã được trả lời tại hội nghị đối thoại", "Đã chuyển cơ quan chuyên môn giải quyết"], "\(found)")

        // The officer of Phòng Kinh tế accepts and resolves theirs from the petition's page.
        let officer = try system.official(.departmentOfficer, department: "Phòng Kinh tế", unit: commune)
        let officerPassword = try system.setPassword(officer, login: "canbo.kinhte")
        let economy = try #require(overdueRows.first?.first)
        let resolved = try Self.seen("resolve_petition.py", system, login: "canbo.kinhte", password: officerPassword, ["WEB_PETITION": economy])
        #expect((resolved["status"] as? String)?.hasPrefix("Đã giải quyết") == true, "\(resolved)")
        #expect(try system.history().last { $0["type"] as? String == "petition.resolved.v1" }?["subject"] as? String == "petition-\(economy)")
        let opened = try #require(events.first { ($0["type"] as? String)?.hasPrefix("session.opened") == true })
        let minutes = opened["data"] as? [String: Any] ?? [:]
        #expect(opened["type"] as? String == "session.opened.v3" && minutes["title"] as? String == "Đối thoại với nhân dân ấp Tây Huề"
                && minutes["hamlet"] as? String == "ấp Tây Huề" && minutes["attendees"] as? Int == 120, "\(opened)")
        for name in ["mo-hoi-nghi-1366", "mo-hoi-nghi-390", "ghi-kien-nghi-1366", "ghi-kien-nghi-390", "phieu-nhan-1366", "tra-cuu-390"] {
            #expect(FileManager.default.fileExists(atPath: Self.shots.appendingPathComponent("\(name).png").path), "no screenshot \(name)")
        }
    }

    @Test func anOfficerResolvesAReferredPetitionFromItsPageAndAnActionTheRoleMayNotTakeIsNeitherOfferedNorAccepted() throws {
        let w = try APIBasicsTests.world()
        let code = try #require(try w.system.registerCommune(w.commune))
        let department = try w.system.department("Phòng Kinh tế", of: code)
        try w.system.person("Lê Văn C")
        let id = try #require(try w.clerk.post("/api/v1/petitions", APIBasicsTests.submission(w.session)).json["id"] as? String)
        let chair = try w.system.login(try w.system.official(.chair, unit: w.commune))
        #expect(try chair.post("/api/v1/petitions/\(id)/refer", ["department": department, "assignee": "Lê Văn C", "by": "Trần Văn A", "days": 15]).status == 200)
        let officer = try w.system.official(.departmentOfficer, department: "Phòng Kinh tế", unit: w.commune)
        let password = try w.system.setPassword(officer, login: "canbo.web")
        let seen = try Self.seen("resolve_petition.py", w.system, login: "canbo.web", password: password,
                                 ["WEB_PETITION": id, "WEB_ASK_EXTENSION": "Cần thêm 10 ngày để khảo sát hiện trường"])
        #expect(seen["asked"] as? String == "Đã ghi: ghi chú.", "\(seen)")
        #expect((seen["confirm"] as? String)?.contains("Đã sửa xong đoạn đường liên ấp") == true, "the confirmation says what will be recorded: \(seen)")
        let note = try #require(try w.system.history().last { $0["type"] as? String == "petition.note-added.v1" })
        #expect((note["data"] as? [String: Any])?["text"] as? String == "Đề nghị gia hạn: Cần thêm 10 ngày để khảo sát hiện trường"
                && note["actor"] as? String == "department_officer/\(officer.id)", "the request is in the petition's history, as the officer's: \(note)")
        // Offered exactly what an officer of the holding department may do: no referral, extension or reopening.
        #expect(seen["offered"] as? [String] == ["viec-tiep-nhan", "viec-giai-quyet", "viec-de-nghi-gia-han", "viec-ghi-chu"], "\(seen)")
        #expect(seen["accepted"] as? String == "Đã ghi: tiếp nhận." && seen["resolved"] as? String == "Đã ghi: kết quả giải quyết.", "\(seen)")
        #expect((seen["status"] as? String)?.hasPrefix("Đã giải quyết") == true, "\(seen)")
        #expect((seen["timeline"] as? [String])?.contains { $0.contains("Giải quyết xong") && $0.contains("Đã sửa xong đoạn đường liên ấp") } == true, "\(seen)")
        let resolved = try #require(try w.system.history().last { $0["type"] as? String == "petition.resolved.v1" })
        #expect(resolved["actor"] as? String == "department_officer/\(officer.id)")

        // Forced: a referral the officer's role may not make, posted with a valid form token, is refused by the gateway.
        let token = try #require(try HTTPClient(base: w.system.apiBase).post("/api/v1/login", ["login": "canbo.web", "password": password]).json["token"] as? String)
        let forced = try HTTPClient(base: w.system.apiBase).send("POST", "/kien-nghi/\(id)/chuyen",
                                                                body: Data("csrf=abcdefghijklmnopqrst&department=\(department)&assignee=X".utf8),
                                                                headers: ["Content-Type": "application/x-www-form-urlencoded", "Authorization": "Bearer \(token)",
                                                                          "Cookie": "petition_csrf=abcdefghijklmnopqrst"])
        #expect(forced.status == 403 && forced.text.contains("vai trò của anh/chị không được làm việc này"), "\(forced.status) \(forced.text.prefix(200))")
        #expect(try w.system.history().filter { $0["type"] as? String == "petition.referred.v3" }.count == 1, "nothing more was recorded")
    }

    @Test func theReportPageShowsTheFiguresOfPetitionctlReportAndItsWorkbookHoldsTheSame() throws {
        let (w, code, department, password, chair) = try Self.chairsCommune(login: "chutich.web")
        for (n, category) in ["land", "land", "environment"].enumerated() {
            var body = APIBasicsTests.submission(w.session, content: "Kiến nghị số \(n + 1)")
            body["category"] = category
            let id = try #require(try w.clerk.post("/api/v1/petitions", body).json["id"] as? String)
            if n == 0 { #expect(try chair.post("/api/v1/petitions/\(id)/answer", ["by": "Trần Văn A", "answer": "Đã trả lời"]).status == 200) }
            if n > 0 {
                #expect(try chair.post("/api/v1/petitions/\(id)/refer", ["department": department, "assignee": "Lê Văn C", "by": "Trần Văn A", "days": 15,
                                                                       "occurredAt": "2026-03-19T10:00:00+07:00"]).status == 200)
            }
        }
        // petitionctl report, from the log, is what the page must show.
        let cli = try runTool("petitionctl", ["report", "--unit", code, "--period", "2026-Q1", "--format", "json", "--data-dir", w.system.dataDirectory])
        let total = try #require((try JSONSerialization.jsonObject(with: Data(cli.stdout.utf8)) as? [String: Any])?["total"] as? [String: Any],
                                 "\(cli.stdout) \(cli.stderr)")
        let expected = ["Tổng cộng"] + ["conferences", "petitions", "answeredOnSite", "referred", "resolvedOnTime", "resolvedLate", "openOverdue"]
            .map { "\(total[$0] as? Int ?? -1)" }

        let seen = try Self.seen("report_page.py", w.system, login: "chutich.web", password: password, ["WEB_REPORT": "don-vi=\(code)&ky=2026-Q1"])
        let shown = seen["total"] as? [String] ?? []
        #expect(Array(shown.prefix(8)) == expected, "the page's total row \(shown) is petitionctl report's \(expected)")
        #expect((seen["summary"] as? String)?.contains("1 hội nghị đối thoại, 3 lượt ý kiến, kiến nghị, tập trung về đất đai, môi trường") == true, "\(seen)")
        #expect((seen["xlsx"] as? String)?.hasSuffix("/api/v1/reports?unit=\(code)&period=2026-Q1&format=xlsx") == true, "\(seen)")

        // The workbook the link gives holds the same figures in its cells.
        let xlsx = try chair.get("/api/v1/reports?unit=\(code)&period=2026-Q1&format=xlsx")
        let file = (w.system.dataDirectory as NSString).appendingPathComponent("bao-cao.xlsx")
        try Data(xlsx.body).write(to: URL(fileURLWithPath: file))
        let read = try ReportsTests.python("""
            import json, openpyxl
            rows = list(openpyxl.load_workbook(\(String(reflecting: file)))["Đơn vị"].iter_rows(values_only=True))
            print(json.dumps(next(list(r) for r in rows if r[0] == "Tổng cộng"), ensure_ascii=False))
            """, in: w.system.dataDirectory)
        let cells = try #require(try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [Any], "\(read.stdout) \(read.stderr)")
        #expect(cells.count >= 9 && cells.dropFirst(2).prefix(7).map { "\($0)" } == Array(expected.dropFirst()), "\(cells) vs \(expected)")
    }

    @Test func responsibilityAndSearchPagesShowWhatTheProjectorHoldsAndSearchIgnoresDiacritics() throws {
        let (w, code, department, password, chair) = try Self.chairsCommune(login: "chutich.tim")
        for content in ["Đường liên ấp xuống cấp", "Cống thoát nước bị tắc"] {
            let id = try #require(try w.clerk.post("/api/v1/petitions", APIBasicsTests.submission(w.session, content: content)).json["id"] as? String)
            #expect(try chair.post("/api/v1/petitions/\(id)/refer", ["department": department, "assignee": "Lê Văn C", "by": "Trần Văn A", "days": 15]).status == 200)
        }
        let seen = try Self.seen("follow_up.py", w.system, login: "chutich.tim", password: password)
        let api = try chair.get("/api/v1/responsibility").json["departments"] as? [[String: Any]] ?? []
        let held = try #require(api.first { $0["department"] as? String == "Phòng Kinh tế" }?["holding"] as? Int)
        let row = (seen["departments"] as? [[String]] ?? []).first { $0.count > 2 && $0[1] == "Phòng Kinh tế" }
        #expect(row?[2] == "\(held)" && held == 2, "the page's row \(row ?? []) holds what the API says (\(held))")
        #expect(seen["count"] as? String == "1 kết quả" && (seen["results"] as? [[String]])?.first?[1] == "Đường liên ấp xuống cấp", "\(seen)")
        #expect(seen["byDepartment"] as? String == "2 kết quả", "the department chosen from the registry's list finds what it holds: \(seen)")
    }

    @Test func anInspectorSeesTheLogVerifiedTheViewsAsOfADateAndAnAlteredRecordFoundAndExportsTheLogWithoutPersonalData() throws {
        let w = try APIBasicsTests.world()
        let code = try #require(try w.system.registerCommune(w.commune))
        let department = try w.system.department("Phòng Kinh tế", of: code)
        let chair = try w.system.login(try w.system.official(.chair, unit: w.commune))
        for content in ["Đường liên ấp xuống cấp", "Cống thoát nước bị tắc", "Trạm y tế thiếu thuốc"] {
            let id = try #require(try w.clerk.post("/api/v1/petitions", APIBasicsTests.submission(w.session, content: content)).json["id"] as? String)
            if content.hasPrefix("Đường") {
                #expect(try chair.post("/api/v1/petitions/\(id)/refer", ["department": department, "assignee": "Lê Văn C", "by": "Trần Văn A", "days": 15,
                                                                        "occurredAt": "2026-03-19T10:00:00+07:00"]).status == 200)
            }
        }
        let outstanding = try #require(try chair.get("/api/v1/outstanding").json["total"] as? Int)
        let overdue = try #require(try chair.get("/api/v1/outstanding?overdue=true").json["total"] as? Int)
        let inspector = try w.system.official(.supervisor)
        let (password, client) = try Self.account(w.system, inspector, login: "thanhtra.tinh")

        // The export, without personal data: one CloudEvent a line, every record of the log.
        let export = try client.get("/kiem-tra/xuat?dinh-dang=jsonl")
        let lines = export.text.split(separator: "\n")
        let recorded = try w.system.history().count
        #expect(export.status == 200 && lines.count == recorded, "\(export.status) \(lines.count) vs \(recorded)")
        #expect(!export.text.contains("Nguyễn Thị B") && !export.text.contains("0901234567"), "no citizen in the export")
        let leftOver = try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).filter { $0.hasPrefix("petition-export-") }
        #expect(leftOver.isEmpty, "the export's temporary file is gone once sent: \(leftOver)")
        // A commune's chair may not take the whole log (it holds every unit's petitions).
        #expect(try chair.get("/kiem-tra/xuat?dinh-dang=csv").status == 403)

        let today = LocalDate(containing: Date()).vietnamese
        let seen = try Self.seen("inspector_page.py", w.system, login: "thanhtra.tinh", password: password,
                                 ["WEB_TODAY": today, "WEB_LOG": w.system.eventLogPath])
        let first = seen["first"] as? [String: Any] ?? [:]
        #expect((first["result"] as? String)?.hasPrefix("Nguyên vẹn: ") == true, "\(seen)")
        #expect((first["when"] as? String)?.contains(today) == true, "\(seen)")
        let views = seen["views"] as? [String: [String: Any]] ?? [:]
        #expect(views[today]?["outstanding"] as? String == "\(outstanding)" && views[today]?["overdue"] as? String == "\(overdue)",
                "rebuilt from the log as of today, the views are the live ones: \(views) vs \(outstanding)/\(overdue)")
        #expect(views["01/01/2026"]?["outstanding"] as? String == "0" && views["01/01/2026"]?["rows"] as? Int == 0, "nothing was recorded by then: \(views)")
        #expect(seen["altered"] as? Int == 1 && (seen["after"] as? String)?.hasPrefix("Không nguyên vẹn: Bản ghi") == true
                && (seen["after"] as? String)?.contains("đã bị sửa") == true, "\(seen)")
        for name in ["kiem-tra-1366", "kiem-tra-390", "kiem-tra-hong-1366"] {
            #expect(FileManager.default.fileExists(atPath: Self.shots.appendingPathComponent("\(name).png").path), "no screenshot \(name)")
        }
    }

    @Test func anAdministratorRegistersADepartmentAndAnOfficerGivesThemALoginAndTheyLogIn() throws {
        let system = try TestSystem()
        try system.start()
        try system.startAPI()
        let code = try #require(try system.registerCommune("Xã Quản Trị"))
        let admin = try system.official(.administrator)
        let password = try system.setPassword(admin, login: "quantri.web")
        let seen = try Self.seen("admin_page.py", system, login: "quantri.web", password: password, ["WEB_UNIT": code])
        let notices = seen["notices"] as? [String] ?? []
        #expect(notices.count == 5 && notices[0] == "Đã ghi: cơ quan chuyên môn mới (\(code)/VH)." && notices[1].hasPrefix("Đã ghi: cán bộ mới (O"), "\(notices)")
        #expect(notices[3] == "Đã ghi: đổi tên cơ quan (\(code)/VH).", "\(notices)")
        #expect(notices[2].hasPrefix("Đã ghi") == false && notices[2].contains("dinh.hoa") && notices[2].contains("Đinh Thị Hoa"), "\(notices)")
        #expect(notices[4].hasPrefix("Chưa ghi được: mã hoặc tên này đã có trong danh mục"), "a department code already registered is refused, in Vietnamese: \(notices)")
        let row = (seen["rows"] as? [[String]] ?? []).first { $0.count > 6 && $0[1] == "Đinh Thị Hoa" }
        #expect(row?[3] == "Phòng Văn hóa và Thông tin" && row?[4] == "Cán bộ cơ quan chuyên môn" && row?[6] == "dinh.hoa", "\(row ?? [])")
        #expect((seen["who"] as? String)?.hasPrefix("Đinh Thị Hoa") == true, "the officer logs in with the password shown once: \(seen)")
        let appointed = try #require(try system.history().last { ($0["type"] as? String)?.hasPrefix("official.appointed") == true })
        #expect(appointed["actor"] as? String == "administrator/\(admin.id)", "\(appointed)")
        for name in ["quan-tri-1366", "quan-tri-390"] {
            #expect(FileManager.default.fileExists(atPath: Self.shots.appendingPathComponent("\(name).png").path), "no screenshot \(name)")
        }
    }

    @Test func onTheDemoItsClerkRecordsAConferenceItsChairSeesItWithTheAPIsOverdueCountAndItsOfficerResolvesAReferral() throws {
        let system = try TestSystem()
        let folder = system.dataDirectory
        let up = try TestProcess("petitionctl", ["up", "--demo", "--data-dir", "data", "--base-port", String(system.basePort), "--http-port", String(system.httpPort)],
                                 outputPath: folder + "/up.out", environment: nil, currentDirectory: folder)
        defer { up.stop() }
        #expect(waitUntil(timeout: 120) { up.output.contains("ready\n") }, "up --demo never printed ready: \(up.output)")
        let accounts = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/data/identities/demo-accounts.json"))) as? [[String: String]])
        // The README's commune: its chair is Trần Văn A; its clerk records; the officer of Phòng Kinh tế - Hạ tầng resolves.
        let chair = try #require(accounts.first { $0["role"] == "chair" && $0["name"] == "Trần Văn A" })
        let clerk = try #require(accounts.first { $0["role"] == "clerk" && $0["unit"] == chair["unit"] })
        let officer = try #require(accounts.first { $0["role"] == "department_officer" && $0["department"] == "KTHT" })

        let recorded = try Self.seen("record_session.py", system, login: clerk["login"]!, password: clerk["password"]!,
                                     ["WEB_CHAIR": "Trần Văn A", "WEB_DEPARTMENTS": "kinh te ha tang,nong nghiep", "WEB_ASSIGNEE": "Ngô Văn Nam"])
        let notices = recorded["notices"] as? [String] ?? []
        #expect(notices.count == 3 && notices[0].contains("đã trả lời tại hội nghị") && notices.dropFirst().allSatisfy { $0.contains("đã chuyển giải quyết, hạn ") },
                "\(notices)")
        let ids: [String] = notices.compactMap { text in text.range(of: #"P[0-9]{6}"#, options: .regularExpression).map { String(text[$0]) } }
        let notice = notices.joined()
        #expect(ids.count == 3, "\(notices)")

        // The demo's chair: the conference's page shows what it raised; the home page's overdue count is the API's.
        let api = HTTPClient(base: system.apiBase)
        api.token = try #require(try api.post("/api/v1/login", ["login": chair["login"]!, "password": chair["password"]!]).json["token"] as? String)
        let overdue = try #require(try api.get("/api/v1/outstanding?overdue=true&limit=1").json["total"] as? Int)
        let saw = try Self.seen("chair_sees.py", system, login: chair["login"]!, password: chair["password"]!,
                                ["WEB_UNIT": chair["unit"]!, "WEB_SESSION": try #require(recorded["session"] as? String)])
        let shownOverdue = saw["overdueCount"] as? String
        #expect(shownOverdue == Numerals.vietnamese(overdue), "the chair's overdue count is the API's, written 1.234: \(shownOverdue ?? "") vs \(overdue)")
        let raised = (saw["raised"] as? [[String]] ?? []).map { $0.first ?? "" }
        #expect(raised == ids, "the conference's page lists the three: \(raised) vs \(ids) (\(notice.prefix(200)))")

        // The officer of Phòng Kinh tế - Hạ tầng accepts and resolves the one referred to them.
        let resolved = try Self.seen("resolve_petition.py", system, login: officer["login"]!, password: officer["password"]!,
                                     ["WEB_PETITION": ids[1], "WEB_FROM_HOME": "0"])
        #expect((resolved["status"] as? String)?.hasPrefix("Đã giải quyết") == true, "\(resolved)")
        let petition = try api.get("/api/v1/petitions/\(ids[1])").json["petition"] as? [String: Any]
        #expect(petition?["status"] as? String == "resolved" && petition?["department"] as? String == "Phòng Kinh tế - Hạ tầng", "\(petition ?? [:])")
    }

}
