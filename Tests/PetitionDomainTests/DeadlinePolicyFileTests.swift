import Foundation
import PetitionDomain
import Testing

@Suite("DeadlinePolicy file: a unit's overrides, checked, and the defaults written out")
struct DeadlinePolicyFileTests {
    func parse(_ text: String) throws(DomainError) -> DeadlinePolicy {
        try DeadlinePolicy.parse(Data(text.utf8), file: "deadline-policy.json")
    }

    @Test("an empty file keeps every default")
    func emptyKeepsDefaults() throws {
        #expect(try parse("{}") == DeadlinePolicy.standard)
    }

    @Test("a file may override only some fields of some kinds; the rest stay default")
    func partialOverride() throws {
        let policy = try parse(#"""
        {"recommendation": {"days": {"normal": 10}, "counting": "calendar_days"},
         "denunciation": {"maxExtensions": {"normal": 1}, "basis": "Quyết định của UBND xã (ví dụ)"}}
        """#)
        let recommendation = policy.limits(for: .recommendation)
        #expect(recommendation.normalDays == 10)
        #expect(recommendation.counting == .calendarDays)
        #expect(recommendation.complexDays == 15)
        #expect(recommendation.extensionDays == 15)
        #expect(policy.limits(for: .denunciation).maxExtensions(.normal) == 1)
        #expect(policy.limits(for: .denunciation).maxExtensions(.especiallyComplex) == 2)
        #expect(policy.limits(for: .denunciation).basis == "Quyết định của UBND xã (ví dụ)")
        #expect(policy.limits(for: .complaint) == DeadlinePolicy.standard.limits(for: .complaint))
        #expect(policy.limits(for: .report) == DeadlinePolicy.standard.limits(for: .report))
        #expect(policy.describe(kind: .recommendation, complexity: .normal, remote: false) == "10 calendar days (recommendation, normal)")
    }

    @Test("a file can be read over another policy instead of the standard one")
    func overAnotherBase() throws {
        let base = try parse(#"{"report": {"days": {"normal": 20}}}"#)
        let layered = try DeadlinePolicy.parse(Data(#"{"report": {"extensionDays": 5}}"#.utf8), over: base)
        #expect(layered.limits(for: .report).normalDays == 20)
        #expect(layered.limits(for: .report).extensionDays == 5)
    }

    @Test("nonsense is refused with invalid_configuration, naming the file and the field path", arguments: [
        (#"{"complaint": {"days": {"normal": 0}}}"#, "deadline-policy.json: complaint.days.normal: must be between 1 and 3660 days, got 0"),
        (#"{"complaint": {"days": {"remoteComplex": 3661}}}"#,
         "deadline-policy.json: complaint.days.remoteComplex: must be between 1 and 3660 days, got 3661"),
        (#"{"report": {"extensionDays": -5}}"#, "deadline-policy.json: report.extensionDays: must be between 1 and 3660 days, got -5"),
        (#"{"denunciation": {"maxExtensions": {"complex": -1}}}"#,
         "deadline-policy.json: denunciation.maxExtensions.complex: must be between 0 and 10, got -1"),
        (#"{"denunciation": {"maxExtensions": {"very_complex": 3}}}"#,
         "deadline-policy.json: denunciation.maxExtensions.very_complex: unknown field; expected one of normal, complex, especially_complex"),
        (#"{"complaint": {"days": {"normal": "30"}}}"#, #"deadline-policy.json: complaint.days.normal: expected a whole number, got "30""#),
        (#"{"complaint": {"days": {"normal": 30.5}}}"#, "deadline-policy.json: complaint.days.normal: expected a whole number, got 30.5"),
        (#"{"complaint": {"days": {"remote_complex": 60}}}"#,
         "deadline-policy.json: complaint.days.remote_complex: unknown field; expected one of normal, complex, remote, remoteComplex"),
        (#"{"complaint": {"counting": "business_days"}}"#,
         #"deadline-policy.json: complaint.counting: expected one of calendar_days, working_days, got "business_days""#),
        (#"{"complaints": {}}"#,
         "deadline-policy.json: complaints: unknown field; expected one of recommendation, report, complaint, denunciation"),
        (#"{"complaint": 30}"#, "deadline-policy.json: complaint: expected an object { … }, got 30"),
        (#"{"complaint": {"days": 30}}"#, "deadline-policy.json: complaint.days: expected an object { … }, got 30"),
        (#"[]"#, "deadline-policy.json: expected a JSON object { … } at the top, got a list"),
        ("", "deadline-policy.json: not valid JSON: unexpected end of JSON"),
    ])
    func refused(text: String, message: String) throws {
        let error = try #require(throws: DomainError.self) { try parse(text) }
        #expect(error.code == "invalid_configuration")
        #expect(error.message == message)
    }

    @Test("a policy built in code is checked the same way")
    func builtInCode() throws {
        var limits = Dictionary(uniqueKeysWithValues: PetitionKind.allCases.map { ($0, DeadlinePolicy.standard.limits(for: $0)) })
        #expect(try DeadlinePolicy(limits: limits) == DeadlinePolicy.standard)
        limits[.report]?.remoteDays = 0
        #expect(throws: DomainError.invalidConfiguration("deadline policy", "report.days.remote", "must be between 1 and 3660 days, got 0")) {
            try DeadlinePolicy(limits: limits)
        }
        limits[.report] = nil
        #expect(throws: DomainError.invalidConfiguration("deadline policy", "report", "missing")) { try DeadlinePolicy(limits: limits) }
    }

    @Test("the standard policy is written as pretty JSON with sorted keys and every field, and parses back to itself")
    func writerRoundTrip() throws {
        let json = DeadlinePolicy.standard.json
        #expect(json.contains(#""remoteComplex" : 60"#) || json.contains(#""remoteComplex": 60"#))
        #expect(json.contains("\"especially_complex\""))
        #expect(json.contains("Luật Khiếu nại 2011, Điều 28"))
        let kinds = ["\"complaint\"", "\"denunciation\"", "\"recommendation\"", "\"report\""].map { json.range(of: $0)!.lowerBound }
        #expect(kinds == kinds.sorted())
        #expect(try parse(json) == DeadlinePolicy.standard)
        let custom = try parse(#"{"report": {"counting": "calendar_days", "days": {"remote": 20}, "maxExtensions": {"complex": 3}}}"#)
        #expect(try parse(custom.json) == custom)
        #expect(try DeadlinePolicy.parse(Data(custom.json.utf8), over: DeadlinePolicy.standard) == custom)
    }
}
