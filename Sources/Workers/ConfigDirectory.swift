import Foundation
import PetitionDomain

/// A unit's configuration folder, editable without code changes:
///
/// - `units.json`: each unit's chair, level above, remote flag, escalation ladder and own deadline policy;
/// - `deadline-policy.json`: the deadline policy by petition kind (over the standard one);
/// - `holidays/<year>.json`: public holidays and make-up working days per year.
///
/// Missing files are written with the shipped defaults the first time, so an operator finds them to edit.
public struct ConfigDirectory: Sendable {
    public var path: String

    public init(path: String) { self.path = path }

    public var unitsFile: String { (path as NSString).appendingPathComponent("units.json") }
    public var policyFile: String { (path as NSString).appendingPathComponent("deadline-policy.json") }
    public var holidaysFolder: String { (path as NSString).appendingPathComponent("holidays") }

    /// Writes the shipped defaults for every file that does not exist yet; never overwrites.
    public func prepare() throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: holidaysFolder, withIntermediateDirectories: true)
        func write(_ text: String, to file: String) throws {
            guard !fm.fileExists(atPath: file) else { return }
            try Data(text.utf8).write(to: URL(fileURLWithPath: file), options: .atomic)
        }
        try write(Self.unitsTemplate, to: unitsFile)
        try write(DeadlinePolicy.standard.json, to: policyFile)
        for (year, text) in DefaultHolidays.texts {
            try write(text, to: (holidaysFolder as NSString).appendingPathComponent("\(year).json"))
        }
    }

    /// The unit directory from `units.json` (defaults when the file is absent).
    public func units() throws -> UnitDirectory {
        guard let data = FileManager.default.contents(atPath: unitsFile) else { return UnitDirectory() }
        return try UnitDirectory.parse(data, file: unitsFile)
    }

    /// The working-day calendar from every `holidays/<year>.json`.
    public func calendar() throws -> WorkingCalendar {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: holidaysFolder)) ?? []
        var years: [HolidayYear] = []
        for name in files.sorted() where name.hasSuffix(".json") {
            let file = (holidaysFolder as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: file) else { throw ConfigError("\(file): cannot be read") }
            do {
                let year = try HolidayYear.parse(data, file: file)
                guard name == "\(year.year).json" else { throw ConfigError("\(file): holds the year \(year.year); name it \(year.year).json") }
                years.append(year)
            } catch let error as DomainError {
                throw ConfigError(error.message)
            }
        }
        return WorkingCalendar(years: years)
    }

    /// The deadline context of each unit: its policy (unit's own over the folder's over the standard), the calendar, its remote flag.
    public func deadlineContexts() throws -> @Sendable (String) -> DeadlineContext {
        let calendar = try calendar()
        let units = try units()
        var base = DeadlinePolicy.standard
        do {
            if let data = FileManager.default.contents(atPath: policyFile) { base = try DeadlinePolicy.parse(data, file: policyFile) }
            var contexts: [String: DeadlineContext] = [:]
            for (name, settings) in units.units {
                let policy = try settings.policyJSON.map { try DeadlinePolicy.parse($0, file: "\(unitsFile): units.\(name).policy", over: base) } ?? base
                contexts[name] = DeadlineContext(policy: policy, calendar: calendar, remote: settings.remote)
            }
            let fallback = DeadlineContext(policy: base, calendar: calendar, remote: units.defaults.remote)
            let byUnit = contexts
            return { unit in byUnit[unit] ?? fallback }
        } catch let error as DomainError {
            throw ConfigError(error.message)
        }
    }

    /// What `units.json` holds until a unit edits it.
    public static let unitsTemplate = """
        {
          "comment": "Per-unit follow-up settings. Keys of units are unit names as given when a session is opened. Any key left out takes the default. Restart the system after editing.",
          "defaults": {
            "remote": false,
            "warningDaysBefore": 3,
            "graceDays": 5
          },
          "units": {
          }
        }

        """
}
