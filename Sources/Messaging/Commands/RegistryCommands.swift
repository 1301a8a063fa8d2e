import EventSourcing
import Foundation
import PetitionDomain

extension Action {
    public static let registerUnit = Action("register a unit", roles: [.administrator])
    public static let registerDepartment = Action("register a department", roles: [.administrator])
    public static let appointOfficial = Action("register an official", roles: [.administrator])
    public static let issueCredential = Action("issue an official's key", roles: [.administrator])
    public static let revokeCredential = Action("revoke a key", roles: [.administrator])
    public static let grantRole = Action("grant an official a role", roles: [.administrator])
    public static let renameUnit = Action("rename a unit", roles: [.administrator])
    public static let renameDepartment = Action("rename a department", roles: [.administrator])
    public static let mergeUnits = Action("merge units", roles: [.administrator])
    public static let retireUnit = Action("retire a unit", roles: [.administrator])
    public static let withdrawRole = Action("take a role from an official", roles: [.administrator])
    public static let deactivateOfficial = Action("deactivate an official", roles: [.administrator])
    public static let transferOfficial = Action("transfer an official", roles: [.administrator])
}

extension Commands {
    /// `unit.register`: enter an administrative unit in the registry, under its parent.
    public struct RegisterUnit: CommandHandler {
        public static let messageType = "unit.register"
        public static let action = Action.registerUnit
        public var code: String
        public var name: String
        public var kind: UnitKind
        public var parent: String?

        public init(code: String, name: String, kind: UnitKind, parent: String?) {
            self.code = code; self.name = name; self.kind = kind; self.parent = parent
        }

        public init(fields f: JSONFields) throws(WireError) {
            // A reference is checked against the registry, which names the closest units when it is not a registered code.
            let parent = try f.optionalString("parent", maxLength: 200)
            self.init(code: try f.identifier("code", maxBytes: 32), name: try f.string("name", maxLength: 200),
                      kind: try f.choice("kind", UnitKind.self), parent: parent)
        }

        public func encodeFields(into o: inout JSONObjectText) {
            o.string("code", code); o.string("name", name); o.string("kind", kind.rawValue)
            if let parent { o.string("parent", parent) }
        }

        public var fingerprintFields: [String] { [code, name, kind.rawValue, absentable(parent)] }

        public func decide(in context: inout CommandContext) throws -> [StreamOutput] {
            var output = try context.decide(Registry.self, Registry.streamId, .registerUnit(code: code, name: name, kind: kind, parent: parent))
            output.replyId = code
            return [output]
        }
    }

    /// `department.register`: enter a department of a registered unit in the registry.
    public struct RegisterDepartment: CommandHandler {
        public static let messageType = "department.register"
        public static let action = Action.registerDepartment
        public var unit: String
        public var code: String
        public var name: String

        public init(unit: String, code: String, name: String) { self.unit = unit; self.code = code; self.name = name }

        public init(fields f: JSONFields) throws(WireError) {
            self.init(unit: try f.string("unit", maxLength: 200), code: try f.identifier("code", maxBytes: 32), name: try f.string("name", maxLength: 200))
        }

        public func encodeFields(into o: inout JSONObjectText) { o.string("unit", unit); o.string("code", code); o.string("name", name) }

        public var fingerprintFields: [String] { [unit, code, name] }

        public func decide(in context: inout CommandContext) throws -> [StreamOutput] {
            var output = try context.decide(Registry.self, Registry.streamId, .registerDepartment(unit: unit, code: code, name: name))
            output.replyId = "\(unit)/\(code)"
            return [output]
        }
    }

    /// `official.appoint`: enter an official of a registered unit (and department) in the registry, in their roles.
    public struct AppointOfficial: CommandHandler {
        public static let messageType = "official.appoint"
        public static let action = Action.appointOfficial
        public var name: String
        public var unit: String
        public var department: String?
        public var roles: [Role]

        public init(name: String, unit: String, department: String?, roles: [Role]) {
            self.name = name; self.unit = unit; self.department = department; self.roles = roles
        }

        public init(fields f: JSONFields) throws(WireError) {
            let texts = try f.optionalStringArray("roles", maxCount: 8, maxLength: 32) ?? []
            var roles: [Role] = []
            for text in texts {
                guard let role = Role(rawValue: text) else {
                    throw .invalidValue("roles", "each must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(text)\"")
                }
                if !roles.contains(role) { roles.append(role) }
            }
            self.init(name: try f.string("name", maxLength: 200), unit: try f.string("unit", maxLength: 200),
                      department: try f.optionalString("department", maxLength: 200), roles: roles)
        }

        public func encodeFields(into o: inout JSONObjectText) {
            o.string("name", name); o.string("unit", unit)
            if let department { o.string("department", department) }
            var list = "["
            for (i, role) in roles.enumerated() {
                if i > 0 { list += "," }
                JSONText.appendString(role.rawValue, to: &list)
            }
            o.raw("roles", list + "]")
        }

        public var fingerprintFields: [String] { [name, unit, absentable(department)] + roles.map(\.rawValue) }

        public func decide(in context: inout CommandContext) throws -> [StreamOutput] {
            var output = try context.decide(Registry.self, Registry.streamId, .appointOfficial(name: name, unit: unit, department: department, roles: roles))
            if case .registry(.officialAppointed(let e))? = output.events.first { output.replyId = e.officialId }
            return [output]
        }
    }

    /// `credential.issue`: record a CurveZMQ public key as a registered official's.
    public struct IssueCredential: CommandHandler {
        public static let messageType = "credential.issue"
        public static let action = Action.issueCredential
        public var officialId: String
        public var publicKey: String

        public init(officialId: String, publicKey: String) { self.officialId = officialId; self.publicKey = publicKey }

        public init(fields f: JSONFields) throws(WireError) {
            self.init(officialId: try f.identifier("officialId", maxBytes: 32), publicKey: try f.string("publicKey", maxLength: 40))
        }

        public func encodeFields(into o: inout JSONObjectText) { o.string("officialId", officialId); o.string("publicKey", publicKey) }

        public var fingerprintFields: [String] { [officialId, publicKey] }

        public func decide(in context: inout CommandContext) throws -> [StreamOutput] {
            var output = try context.decide(Registry.self, Registry.streamId, .issueCredential(officialId: officialId, publicKey: publicKey))
            output.replyId = officialId
            return [output]
        }
    }

    /// `credential.revoke`: stop admitting a key, from the next connection on.
    public struct RevokeCredential: CommandHandler {
        public static let messageType = "credential.revoke"
        public static let action = Action.revokeCredential
        public var publicKey: String
        public var reason: String

        public init(publicKey: String, reason: String) { self.publicKey = publicKey; self.reason = reason }

        public init(fields f: JSONFields) throws(WireError) {
            self.init(publicKey: try f.string("publicKey", maxLength: 40), reason: try f.string("reason", maxLength: 2000))
        }

        public func encodeFields(into o: inout JSONObjectText) { o.string("publicKey", publicKey); o.string("reason", reason) }

        public var fingerprintFields: [String] { [publicKey, reason] }

        public func decide(in context: inout CommandContext) throws -> [StreamOutput] {
            [try context.decide(Registry.self, Registry.streamId, .revokeCredential(publicKey: publicKey, reason: reason))]
        }
    }

    /// `official.grant`: give a registered official one more role.
    public struct GrantRole: CommandHandler {
        public static let messageType = "official.grant"
        public static let action = Action.grantRole
        /// `role` here is the role granted, not who acts.
        public static let ownMembers: Set<String> = ["role"]
        public var officialId: String
        public var role: Role

        public init(officialId: String, role: Role) { self.officialId = officialId; self.role = role }

        public init(fields f: JSONFields) throws(WireError) {
            self.init(officialId: try f.identifier("officialId", maxBytes: 64), role: try f.choice("role", Role.self))
        }

        public func encodeFields(into o: inout JSONObjectText) { o.string("officialId", officialId); o.string("role", role.rawValue) }

        public var fingerprintFields: [String] { [officialId, role.rawValue] }

        public func decide(in context: inout CommandContext) throws -> [StreamOutput] {
            var output = try context.decide(Registry.self, Registry.streamId, .grantRole(officialId: officialId, role: role))
            output.replyId = officialId
            return [output]
        }
    }

    /// `official.revoke`: take one role from an official, who keeps the others.
    public struct WithdrawRole: CommandHandler {
        public static let messageType = "official.revoke"
        public static let action = Action.withdrawRole
        /// `role` here is the role taken, not who acts.
        public static let ownMembers: Set<String> = ["role"]
        public var officialId: String
        public var role: Role
        public var reason: String

        public init(officialId: String, role: Role, reason: String) { self.officialId = officialId; self.role = role; self.reason = reason }

        public init(fields f: JSONFields) throws(WireError) {
            self.init(officialId: try f.identifier("officialId", maxBytes: 64), role: try f.choice("role", Role.self),
                      reason: try f.string("reason", maxLength: 2000))
        }

        public func encodeFields(into o: inout JSONObjectText) {
            o.string("officialId", officialId); o.string("role", role.rawValue); o.string("reason", reason)
        }

        public var fingerprintFields: [String] { [officialId, role.rawValue, reason] }

        public func decide(in context: inout CommandContext) throws -> [StreamOutput] {
            var output = try context.decide(Registry.self, Registry.streamId, .withdrawRole(officialId: officialId, role: role, reason: reason))
            output.replyId = officialId
            return [output]
        }
    }

    /// `official.deactivate`: an official leaves office; their keys are refused from then on.
    public struct DeactivateOfficial: CommandHandler {
        public static let messageType = "official.deactivate"
        public static let action = Action.deactivateOfficial
        public var officialId: String
        public var reason: String

        public init(officialId: String, reason: String) { self.officialId = officialId; self.reason = reason }

        public init(fields f: JSONFields) throws(WireError) {
            self.init(officialId: try f.identifier("officialId", maxBytes: 64), reason: try f.string("reason", maxLength: 2000))
        }

        public func encodeFields(into o: inout JSONObjectText) { o.string("officialId", officialId); o.string("reason", reason) }

        public var fingerprintFields: [String] { [officialId, reason] }

        public func decide(in context: inout CommandContext) throws -> [StreamOutput] {
            var output = try context.decide(Registry.self, Registry.streamId, .deactivate(officialId: officialId, reason: reason))
            output.replyId = officialId
            return [output]
        }
    }

    /// `official.transfer`: an official moves to another unit or department, with their roles and keys.
    public struct TransferOfficial: CommandHandler {
        public static let messageType = "official.transfer"
        public static let action = Action.transferOfficial
        public var officialId: String
        public var unit: String
        public var department: String?
        public var reason: String

        public init(officialId: String, unit: String, department: String?, reason: String) {
            self.officialId = officialId; self.unit = unit; self.department = department; self.reason = reason
        }

        public init(fields f: JSONFields) throws(WireError) {
            self.init(officialId: try f.identifier("officialId", maxBytes: 64), unit: try f.string("unit", maxLength: 200),
                      department: try f.optionalString("department", maxLength: 200), reason: try f.string("reason", maxLength: 2000))
        }

        public func encodeFields(into o: inout JSONObjectText) {
            o.string("officialId", officialId); o.string("unit", unit)
            if let department { o.string("department", department) }
            o.string("reason", reason)
        }

        public var fingerprintFields: [String] { [officialId, unit, department ?? "", reason] }

        public func decide(in context: inout CommandContext) throws -> [StreamOutput] {
            var output = try context.decide(Registry.self, Registry.streamId, .transfer(officialId: officialId, unit: unit, department: department, reason: reason))
            output.replyId = officialId
            return [output]
        }
    }

    /// `unit.rename`: a unit takes a new name; its code stays.
    public struct RenameUnit: CommandHandler {
        public static let messageType = "unit.rename"
        public static let action = Action.renameUnit
        public var code: String
        public var name: String
        public init(code: String, name: String) { self.code = code; self.name = name }
        public init(fields f: JSONFields) throws(WireError) {
            self.init(code: try f.string("code", maxLength: 200), name: try f.string("name", maxLength: 200))
        }
        public func encodeFields(into o: inout JSONObjectText) { o.string("code", code); o.string("name", name) }
        public var fingerprintFields: [String] { [code, name] }
        public func decide(in context: inout CommandContext) throws -> [StreamOutput] {
            var output = try context.decide(Registry.self, Registry.streamId, .renameUnit(code: code, name: name))
            output.replyId = code
            return [output]
        }
    }

    /// `department.rename`: a department takes a new name; its unit and code stay, and what it held or holds is
    /// shown under the new name.
    public struct RenameDepartment: CommandHandler {
        public static let messageType = "department.rename"
        public static let action = Action.renameDepartment
        public var unit: String
        public var code: String
        public var name: String
        public init(unit: String, code: String, name: String) { self.unit = unit; self.code = code; self.name = name }
        public init(fields f: JSONFields) throws(WireError) {
            self.init(unit: try f.string("unit", maxLength: 200), code: try f.identifier("code", maxBytes: 32), name: try f.string("name", maxLength: 200))
        }
        public func encodeFields(into o: inout JSONObjectText) { o.string("unit", unit); o.string("code", code); o.string("name", name) }
        public var fingerprintFields: [String] { [unit, code, name] }
        public func decide(in context: inout CommandContext) throws -> [StreamOutput] {
            var output = try context.decide(Registry.self, Registry.streamId, .renameDepartment(unit: unit, code: code, name: name))
            output.replyId = "\(unit)/\(code)"
            return [output]
        }
    }

    /// `unit.merge`: units become one (they are retired, and sit under the one they became).
    public struct MergeUnits: CommandHandler {
        public static let messageType = "unit.merge"
        public static let action = Action.mergeUnits
        public var predecessors: [String]
        public var into: String
        public init(predecessors: [String], into: String) { self.predecessors = predecessors; self.into = into }
        public init(fields f: JSONFields) throws(WireError) {
            self.init(predecessors: try f.optionalStringArray("predecessors", maxCount: 100, maxLength: 200) ?? [], into: try f.string("into", maxLength: 200))
        }
        public func encodeFields(into o: inout JSONObjectText) { o.strings("predecessors", predecessors); o.string("into", into) }
        public var fingerprintFields: [String] { predecessors + ["\u{1}", into] }
        public func decide(in context: inout CommandContext) throws -> [StreamOutput] {
            var output = try context.decide(Registry.self, Registry.streamId, .mergeUnits(predecessors: predecessors, into: into))
            output.replyId = into
            return [output]
        }
    }

    /// `unit.retire`: a unit holds no more conferences; its history stays.
    public struct RetireUnit: CommandHandler {
        public static let messageType = "unit.retire"
        public static let action = Action.retireUnit
        public var code: String
        public var reason: String
        public init(code: String, reason: String) { self.code = code; self.reason = reason }
        public init(fields f: JSONFields) throws(WireError) {
            self.init(code: try f.string("code", maxLength: 200), reason: try f.string("reason", maxLength: 2000))
        }
        public func encodeFields(into o: inout JSONObjectText) { o.string("code", code); o.string("reason", reason) }
        public var fingerprintFields: [String] { [code, reason] }
        public func decide(in context: inout CommandContext) throws -> [StreamOutput] {
            var output = try context.decide(Registry.self, Registry.streamId, .retireUnit(code: code, reason: reason))
            output.replyId = code
            return [output]
        }
    }
}
