import Foundation
import Messaging
import Runtime
import Testing
import TestSupport
import ZeroMQ

/// `petitionctl report` on the demo district, checked against a count made here from the events.
@Suite("periodic report", .serialized)
struct PeriodReportTests {
    /// The figures of one scope, counted from the history's CloudEvents for one period.
    struct Count: Equatable, CustomStringConvertible {
        var conferences = 0, petitions = 0, answered = 0, referred = 0, onTime = 0, late = 0, overdue = 0
        var byField: [String: Int] = [:]
        var description: String { "c\(conferences) p\(petitions) a\(answered) r\(referred) ok\(onTime) late\(late) od\(overdue) \(byField)" }
    }

    /// The local date (UTC+7) of an RFC 3339 time with a Z.
    static func localDay(_ time: String) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 7 * 3600)!
        let c = calendar.dateComponents([.year, .month, .day], from: f.date(from: time)!)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    /// Units → counts, and (unit, department) → counts, for the period [from, to].
    static func count(_ events: [[String: Any]], from: String, to: String) -> (units: [String: Count], departments: [String: Count]) {
        var units: [String: Count] = [:], departments: [String: Count] = [:]
        var unitOf: [String: String] = [:], deadline: [String: String] = [:], holder: [String: String] = [:], status: [String: String] = [:]
        for e in events {
            let day = localDay(e["time"] as! String)
            guard day <= to else { continue }
            let inPeriod = day >= from
            let d = e["data"] as! [String: Any]
            let p = d["petitionId"] as? String ?? ""
            switch e["type"] as! String {
            case "session.opened.v1", "session.opened.v2", "session.opened.v3": if inPeriod { units[d["unit"] as! String, default: Count()].conferences += 1 }
            case "petition.submitted.v1", "petition.submitted.v2", "petition.submitted.v3":
                unitOf[p] = d["unit"] as? String; status[p] = "submitted"
                if inPeriod { units[unitOf[p]!, default: Count()].petitions += 1; units[unitOf[p]!]!.byField[d["category"] as! String, default: 0] += 1 }
            case "petition.answered.v1": status[p] = "answered"; if inPeriod { units[unitOf[p]!, default: Count()].answered += 1 }
            case "petition.referred.v3", "petition.referred.v2", "petition.referred.v1":
                status[p] = "referred"; deadline[p] = d["deadline"] as? String; holder[p] = "\(unitOf[p]!)|\(d["department"]!)"
                if inPeriod { units[unitOf[p]!, default: Count()].referred += 1 }
            case "petition.reassigned.v2", "petition.reassigned.v1": holder[p] = "\(unitOf[p]!)|\(d["department"]!)"
            case "petition.extended.v1": deadline[p] = d["deadline"] as? String
            case "petition.resolved.v1":
                status[p] = "resolved"
                if inPeriod {
                    let onTime = day <= deadline[p]!
                    let unit = unitOf[p]!, department = holder[p]!
                    if onTime { units[unit, default: Count()].onTime += 1 } else { units[unit, default: Count()].late += 1 }
                    if onTime { departments[department, default: Count()].onTime += 1 } else { departments[department, default: Count()].late += 1 }
                }
            case "petition.reopened.v1": status[p] = "reopened"
            case "petition.withdrawn.v1": status[p] = "withdrawn"
            case "petition.merged.v1": status[p] = "merged"
            case "petition.feedback.v1":
                if d["satisfied"] as? Bool == false, d["on"] as? String == "answer", status[p] == "answered" { status[p] = "reopened" }
            default: break
            }
        }
        for (p, s) in status where s == "referred" && deadline[p]! <= to {
            units[unitOf[p]!, default: Count()].overdue += 1
            departments[holder[p]!, default: Count()].overdue += 1
        }
        return (units, departments)
    }

    @Test("the district's quarterly and yearly reports match a count made from the events, unit by unit and department by department")
    func reportFiguresMatchTheEvents() throws {
        let system = try TestSystem()
        try DemoData.prepareConfig(at: (system.dataDirectory as NSString).appendingPathComponent("config"))
        try system.startGateway()
        let context = try ZMQContext()
        try system.loadDemo(context: context)
        context.terminate()
        let events = try system.history()

        // The demo registered its province, the district under it and each commune under the district.
        let units = try system.ctl(["unit", "list", "--json"])
        let registered = try #require(units.json["units"] as? [[String: Any]], "\(units.stderr)")
        // (The tests' own unit, TEST, is registered beside them for the officials the tests act as.)
        #expect(registered.filter { ($0["code"] as? String)?.hasPrefix("HY") == true }.count == DemoData.communes.count + 2)
        #expect(Set(registered.filter { $0["parent"] as? String == "HY-VUTHU" }.compactMap { $0["name"] as? String }) == Set(DemoData.communes))

        for (period, from, to) in [("2026-Q1", "2026-01-01", "2026-03-31"), ("2026-03", "2026-03-01", "2026-03-31"), ("2026", "2026-01-01", "2026-12-31")] {
            let out = try runTool("petitionctl", ["report", "--unit", DemoData.district, "--period", period, "--format", "json", "--data-dir", system.dataDirectory])
            #expect(out.status == 0, "\(out.stderr)")
            let report = out.json
            let expected = Self.count(events, from: from, to: to)
            let lines = try #require(report["units"] as? [[String: Any]], "\(out.stdout)")
            #expect(lines.count == DemoData.communes.count + 1, "the district and each commune below it: \(lines.compactMap { $0["unit"] as? String }.filter { !DemoData.communes.contains($0) })")
            func figures(_ f: [String: Any]) -> Count {
                Count(conferences: f["conferences"] as! Int, petitions: f["petitions"] as! Int, answered: f["answeredOnSite"] as! Int,
                      referred: f["referred"] as! Int, onTime: f["resolvedOnTime"] as! Int, late: f["resolvedLate"] as! Int,
                      overdue: f["openOverdue"] as! Int, byField: f["byField"] as! [String: Int])
            }
            for line in lines {
                let unit = line["unit"] as! String
                #expect(figures(line["figures"] as! [String: Any]) == expected.units[unit] ?? Count(), "\(period) \(unit)")
            }
            var total = Count()
            for c in expected.units.values {
                total.conferences += c.conferences; total.petitions += c.petitions; total.answered += c.answered; total.referred += c.referred
                total.onTime += c.onTime; total.late += c.late; total.overdue += c.overdue; total.byField.merge(c.byField, uniquingKeysWith: +)
            }
            let reported = figures(report["total"] as! [String: Any])
            #expect(reported == total, "\(period) total")
            #expect(reported.petitions > 0 && reported.onTime + reported.late > 0 && reported.overdue > 0, "the demo has something to report in \(period)")
            let rate = (report["total"] as! [String: Any])["onTimeRate"] as? Double
            let expectedRate: Double = (Double(total.onTime) / Double(total.onTime + total.late + total.overdue) * 10_000).rounded() / 10_000
            #expect(rate == expectedRate)
            let departments = try #require(report["departments"] as? [[String: Any]], "\(out.stdout)")
            #expect(!departments.isEmpty, "\(period) has departments to report")
            var reportedKeys: Set<String> = []
            for d in departments {
                let key = "\(d["unit"]!)|\(d["department"]!)"
                reportedKeys.insert(key)
                let c = expected.departments[key] ?? Count()
                let got: [Int] = [d["resolvedOnTime"] as! Int, d["resolvedLate"] as! Int, d["openOverdue"] as! Int]
                let want: [Int] = [c.onTime, c.late, c.overdue]
                #expect(got == want, "\(period) \(key)")
            }
            let expectedKeys = Set(expected.departments.keys)
            #expect(reportedKeys.isSuperset(of: expectedKeys), "\(period) departments missing: \(expectedKeys.subtracting(reportedKeys).sorted())")
        }
        let markdown = try runTool("petitionctl", ["report", "--unit", DemoData.district, "--period", "2026-H1", "--data-dir", system.dataDirectory])
        #expect(markdown.stdout.contains("| Xã Vũ Hội |") && markdown.stdout.contains("## Cơ quan chuyên môn"), "\(markdown.stdout.prefix(400))")
        let file = (system.dataDirectory as NSString).appendingPathComponent("report.csv")
        let csv = try runTool("petitionctl", ["report", "--unit", DemoData.district, "--period", "2026-9M", "--format", "csv", "--out", file,
                                              "--data-dir", system.dataDirectory])
        #expect(csv.status == 0, "\(csv.stderr)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        let header = Array("Phạm vi\tĐơn vị\t".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        #expect(bytes.starts(with: [0xFF, 0xFE] + header) && bytes.range(of: Data([0x0D, 0x00, 0x0A, 0x00])) != nil, "CSV for Excel: UTF-16LE, tabs, CRLF")
        let bad = try runTool("petitionctl", ["report", "--unit", DemoData.district, "--period", "2026-Q5", "--data-dir", system.dataDirectory])
        #expect(bad.status != 0 && bad.stderr.contains("is not one of"), "\(bad.stderr)")
    }
}
