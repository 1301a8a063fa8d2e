import EventSourcing
import Foundation
import PetitionDomain

extension Commands {
    /// `session.open`: open the minutes of a dialogue conference; the gateway gives it the next session id.
    public struct OpenSession: CommandHandler {
        public static let messageType = "session.open"
        public static let action = Action.openSession
        public var unit: String
        public var title: String
        public var chair: String
        /// Where it was held (a hamlet, thôn, ấp), and how many citizens attended: as the minutes say, when they do.
        public var hamlet: String?
        public var attendees: Int?

        public init(unit: String, title: String, chair: String, hamlet: String? = nil, attendees: Int? = nil) {
            self.unit = unit; self.title = title; self.chair = chair; self.hamlet = hamlet; self.attendees = attendees
        }

        public init(fields f: JSONFields) throws(WireError) {
            let attendees = try f.optionalInt("attendees")
            if let n = attendees, !(0...1_000_000).contains(n) { throw .invalidValue("attendees", "must be between 0 and 1000000, got \(n)") }
            self.init(unit: try f.string("unit", maxLength: 200), title: try f.string("title", maxLength: 500), chair: try f.string("chair", maxLength: 200),
                      hamlet: try f.optionalString("hamlet", maxLength: 200), attendees: attendees.map { Int($0) })
        }

        public func encodeFields(into o: inout JSONObjectText) {
            o.string("unit", unit); o.string("title", title); o.string("chair", chair)
            if let hamlet { o.string("hamlet", hamlet) }
            if let attendees { o.raw("attendees", String(attendees)) }
        }

        /// What earlier versions fingerprinted, and the hamlet and number attending only when given: a retry of a
        /// command sent before they existed stays idempotent across the upgrade.
        public var fingerprintFields: [String] {
            [unit, title, chair] + (hamlet == nil && attendees == nil ? [] : [hamlet ?? "", attendees.map(String.init) ?? ""])
        }

        public func decide(in context: inout CommandContext) throws -> [StreamOutput] {
            // The unit as the registry has it: by code, or by its name; its name is what views and reports show. Only
            // an actor of no unit (the gateway's in-process callers: tests, tools; never an official on the wire, who
            // always belongs to one) may still name a unit the registry does not hold, as before units were registered.
            let registry = try context.registry()
            let registered = context.actor.unit == nil ? try? registry.unit(named: unit) : try registry.unit(named: unit)
            if let registered {
                if registry.retired.contains(registered.code) {
                    let successor = registry.units[registered.code]?.parent.flatMap { registry.units[$0] }
                    throw DomainError.invalidInput("unit", "\(registered.name) (\(registered.code)) is retired\(successor.map { "; it is part of \($0.name) (\($0.code)) now" } ?? "")")
                }
                try context.requireScope(registered.code, of: "unit \(registered.name)")
            }
            let chair = try context.registeredOfficial(self.chair, field: "chair", near: registered?.code, role: .chair)
            return [try context.create(Session.self, prefix: "S") { id in
                PetitionDomain.OpenSession(sessionId: id, unit: registered?.name ?? unit, unitCode: registered?.code, title: title, chair: chair,
                                           hamlet: hamlet, attendees: attendees)
            }]
        }
    }

    /// `petition.submit`: record a citizen's petition raised at a session; the citizen's data is sealed under a
    /// fresh key, and the gateway gives the petition the next id.
    public struct Submit: CommandHandler {
        public static let messageType = "petition.submit"
        public static let action = Action.submit
        public var sessionId: String
        public var kind: PetitionKind
        public var category: PetitionCategory
        public var content: String
        public var citizen: PersonalData

        public init(sessionId: String, kind: PetitionKind, category: PetitionCategory, content: String, citizen: PersonalData) {
            self.sessionId = sessionId; self.kind = kind; self.category = category; self.content = content; self.citizen = citizen
        }

        public init(fields f: JSONFields) throws(WireError) {
            let c = try f.object("citizen")
            let phone = try c.optionalString("phone", maxLength: 32)
            if let phone, !PersonalData.isPhone(phone) {
                throw .invalidValue("citizen.phone", "must be a phone number of 6 to 15 digits, got \"\(phone)\"")
            }
            let citizen = PersonalData(name: try c.string("name", maxLength: 200), address: try c.optionalString("address", maxLength: 500), phone: phone)
            self.init(sessionId: try f.identifier("sessionId", maxBytes: 64), kind: try f.choice("kind", PetitionKind.self),
                      category: try f.choice("category", PetitionCategory.self), content: try f.string("content"), citizen: citizen)
        }

        public func encodeFields(into o: inout JSONObjectText) {
            o.string("sessionId", sessionId); o.string("kind", kind.rawValue); o.string("category", category.rawValue)
            o.string("content", content)
            var c = JSONObjectText()
            c.string("name", citizen.name)
            if let address = citizen.address { c.string("address", address) }
            if let phone = citizen.phone { c.string("phone", phone) }
            o.raw("citizen", c.text)
        }

        public var fingerprintFields: [String] {
            [sessionId, kind.rawValue, category.rawValue, content, citizen.name, absentable(citizen.address), absentable(citizen.phone)]
        }

        public func decide(in context: inout CommandContext) throws -> [StreamOutput] {
            let session = try context.state(Session.self, sessionId)
            try context.requireScope(session.unitCode, of: "session \(sessionId)")
            try context.dateAtSession(sessionId)
            let sealed = context.seal(citizen, personId: context.newId())
            return [try context.create(Petition.self, prefix: "P") { id in
                (id, PetitionCommand.submit(petitionId: id, sessionId: sessionId, session: session, kind: kind, category: category, content: content, citizen: sealed,
                                            trackingCode: TrackingCode.make()))
            }]
        }
    }
}
