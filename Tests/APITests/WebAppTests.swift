import Foundation
import Testing
import TestSupport

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

    @Test func aChairLogsInWithTheKeyboardAndTheHomePageShowsTheOverdueCountTheAPIGives() throws {
        // Fails, never skips: without Chromium this guarantee would silently go untested.
        #expect(FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium") && FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver"),
                "install chromium and chromium-driver (deploy/install-deps.sh --test)")
        let w = try APIBasicsTests.world()
        let chairOfficial = try w.system.official(.chair, unit: w.commune)
        let login = "chair.web"
        let password = try w.system.setPassword(chairOfficial, login: login)
        let chair = HTTPClient(base: w.system.apiBase)
        chair.token = try #require(try chair.post("/api/v1/login", ["login": login, "password": password]).json["token"] as? String)
        let department = try w.system.department("Phòng Kinh tế", of: try #require(try w.system.registerCommune(w.commune)))
        try w.system.person("Lê Văn C")
        for (n, content) in ["Đường liên ấp xuống cấp", "Cống thoát nước bị tắc", "Trạm y tế thiếu thuốc"].enumerated() {
            let id = try #require(try w.clerk.post("/api/v1/petitions", APIBasicsTests.submission(w.session, content: content)).json["id"] as? String)
            if n < 2 {
                let referred = try chair.post("/api/v1/petitions/\(id)/refer", ["department": department, "assignee": "Lê Văn C", "by": "Trần Văn A",
                                                                              "days": 15, "occurredAt": "2026-03-19T10:00:00+07:00"])
                #expect(referred.status == 200, "\(referred.text)")
            }
        }
        let overdue = try chair.get("/api/v1/outstanding?overdue=true").json["total"] as? Int
        #expect(overdue == 2)

        // The pages' own guarantees, over plain HTTP: a Content-Security-Policy, and a login without its CSRF token refused.
        let page = try HTTPClient(base: w.system.apiBase).get("/dang-nhap")
        #expect(page.header("Content-Security-Policy")?.contains("default-src 'self'") == true && page.header("Content-Type")?.hasPrefix("text/html") == true)
        let forged = try HTTPClient(base: w.system.apiBase).send("POST", "/dang-nhap", body: Data("login=\(login)&password=\(password)".utf8),
                                                                headers: ["Content-Type": "application/x-www-form-urlencoded"])
        #expect(forged.status == 403 && forged.header("Set-Cookie")?.contains("petition_session") != true, "a login without the form's token opens no session")

        let shots = Self.repository.appendingPathComponent(".build/screenshots")
        try FileManager.default.createDirectory(at: shots, withIntermediateDirectories: true)
        let run = try Self.browser("home_page.py", environment: ["WEB_BASE": w.system.apiBase, "WEB_LOGIN": login, "WEB_PASSWORD": password,
                                                                 "WEB_SHOTS": shots.path])
        #expect(run.status == 0, "the browser run failed:\n\(run.stdout)\n\(run.stderr.suffix(3000))")
        let seen = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stdout)")
        #expect(seen["wrongPassword"] as? String == "Tên đăng nhập hoặc mật khẩu không đúng.", "\(seen)")
        #expect((seen["url"] as? String)?.hasSuffix("/trang-chu") == true && seen["lang"] as? String == "vi")
        #expect(seen["overdue"] as? String == "\(overdue ?? -1)", "the home page's overdue count is the API's: \(seen)")
        #expect((seen["overdueRows"] as? [String])?.count == 2 && (seen["overdueRows"] as? [String])?.allSatisfy { $0.contains("Phòng Kinh tế") && $0.contains("ngày") } == true,
                "\(seen)")
        for name in ["dang-nhap-1366", "dang-nhap-390", "trang-chu-1366", "trang-chu-390"] {
            #expect(FileManager.default.fileExists(atPath: shots.appendingPathComponent("\(name).png").path), "no screenshot \(name)")
        }
    }
}
