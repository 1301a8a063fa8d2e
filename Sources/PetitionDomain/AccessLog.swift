import EventSourcing

/// How an official reached citizens' personal data.
public enum PersonalDataAccess: String, Codable, CaseIterable, Hashable, Sendable {
    /// A petition's history read with its citizens' names, addresses and phones opened.
    case reveal
    /// A search for citizens by name (the words searched for are not kept: they are personal data themselves).
    case search
}

/// `access.recorded.v1`: an official saw citizens' personal data, or searched for citizens by name, and why
/// (an access log kept as the log itself, so Nghị định 13/2023's accountability covers every look, not only writes).
/// Recorded by the gateway before the data is handed out, on the stream `access-<officialId>`.
public struct PersonalDataAccessed: Codable, Hashable, Sendable {
    public static let eventType = "access.recorded.v1"
    /// Who looked: the official whose key asked.
    public var officialId: String
    public var access: PersonalDataAccess
    /// The stream read (`petition-P000001`) for a reveal; nil for a search.
    public var stream: String?
    /// The people whose data was handed out (a reveal) or found (a search).
    public var personIds: [String]
    /// Why, as the official gave it.
    public var purpose: String

    public init(officialId: String, access: PersonalDataAccess, stream: String?, personIds: [String], purpose: String) {
        self.officialId = officialId; self.access = access; self.stream = stream; self.personIds = personIds; self.purpose = purpose
    }

    /// Every member always present: a search's stream is `null`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(access, forKey: .access); try c.encode(officialId, forKey: .officialId); try c.encode(personIds, forKey: .personIds)
        try c.encode(purpose, forKey: .purpose); try c.encode(stream, forKey: .stream)
    }
}

/// Events of an access stream (`access-<officialId>`).
public enum AccessEvent: Hashable, Sendable {
    case accessed(PersonalDataAccessed)
}

/// An official's access log: every look at personal data, appended; nothing to refuse but an empty purpose.
public enum AccessLog: StreamDecider {
    public static let category = "access"
    public static var initialState: Int { 0 }

    public static func decide(_ command: PersonalDataAccessed, _ state: Int) throws(DomainError) -> [AccessEvent] {
        try require(command.purpose, "purpose", max: 500)
        return [.accessed(command)]
    }

    public static func evolve(_ state: Int, _ event: AccessEvent) -> Int { state + 1 }
    public static func domainEvent(_ event: AccessEvent) -> DomainEvent { .access(event) }
    public static func event(in event: DomainEvent) -> AccessEvent? { if case .access(let e) = event { e } else { nil } }
}

extension PersonalDataAccessed: EventPayload {
    init(reading r: EventJSON.Reader) throws {
        self.init(officialId: try r.string("officialId"), access: try r.choice("access", PersonalDataAccess.self), stream: try r.optionalString("stream"),
                  personIds: try r.strings("personIds"), purpose: try r.string("purpose"))
    }
    func write(to w: inout EventJSON.Writer) {
        w.add("access", access.rawValue); w.add("officialId", officialId); w.add("personIds", strings: personIds); w.add("purpose", purpose)
        w.add("stream", optional: stream)
    }
    var event: DomainEvent { .access(.accessed(self)) }
    var summary: String {
        switch access {
        case .reveal: "\(officialId) saw the personal data of \(personIds.count) citizen(s) of \(stream ?? "?"): \(purpose)"
        case .search: "\(officialId) searched citizens by name, \(personIds.count) found: \(purpose)"
        }
    }
}
