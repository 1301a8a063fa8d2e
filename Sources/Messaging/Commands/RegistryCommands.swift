import EventSourcing
import Foundation
import PetitionDomain

extension Action {
    public static let registerUnit = Action("register a unit", roles: [.administrator])
    public static let registerDepartment = Action("register a department", roles: [.administrator])
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
}
