import ArgumentParser
import Foundation
import Messaging
import PetitionDomain
import Runtime

/// `petitionctl unit …`: the registry's administrative units.
struct UnitGroup: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unit", abstract: "Registered administrative units (province, commune, ward, …).",
                                                    subcommands: [UnitAdd.self, UnitList.self])
}

/// `petitionctl department …`: the registry's departments of each unit.
struct DepartmentGroup: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "department", abstract: "Registered departments of the units.",
                                                    subcommands: [DepartmentAdd.self, DepartmentList.self])
}

struct UnitAdd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Register a unit under its parent (administrator).")

    @Option(help: "Its stable code: the official administrative unit code where there is one, e.g. 26734.") var code: String
    @Option(help: "Its name, e.g. \"Xã Vũ Thư\".") var name: String
    @Option(help: "province, city, commune, ward, special_zone, district (before 2025), township (before 2025) or hamlet.") var kind: String
    @Option(help: "The code of the unit above it (none for a province or a centrally governed city).") var parent: String?
    @OptionGroup var write: WriteOptions
    @OptionGroup var options: ClientOptions

    func run() throws {
        try perform(options) { client in
            let command = Commands.RegisterUnit(code: code, name: name, kind: try CommandInput.choice(kind, field: "kind", UnitKind.self), parent: parent)
            let reply = try client.command(try write.request(command))
            return (reply, "registered unit \(code) (\(name)) at position \(reply["position"] ?? "")")
        }
    }
}

struct DepartmentAdd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Register a department of a unit (administrator).")

    @Option(help: "The unit's code.") var unit: String
    @Option(help: "The department's code within the unit, e.g. TNMT.") var code: String
    @Option(help: "Its name, e.g. \"Phòng Tài nguyên và Môi trường\".") var name: String
    @OptionGroup var write: WriteOptions
    @OptionGroup var options: ClientOptions

    func run() throws {
        try perform(options) { client in
            let reply = try client.command(try write.request(Commands.RegisterDepartment(unit: unit, code: code, name: name)))
            return (reply, "registered department \(code) (\(name)) of unit \(unit) at position \(reply["position"] ?? "")")
        }
    }
}

/// The registry as the log holds it: the registry stream, read from the gateway and folded by the domain's decider.
private func registry(_ client: CLIClient) throws -> RegistryState {
    let history = try client.history(["type": "stream.read", "stream": "\(Registry.category)-\(Registry.streamId)"])
    var state = Registry.initialState
    for e in history["events"] as? [[String: Any]] ?? [] {
        guard let type = e["type"] as? String, let data = e["data"], let bytes = try? JSONSerialization.data(withJSONObject: data),
              case .event(let event)? = try? EventCodec.read(type: type, utf8: Array(bytes)), let r = Registry.event(in: event) else { continue }
        state = Registry.evolve(state, r)
    }
    return state
}

struct UnitList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the registered units, each under its parent.")
    @OptionGroup var options: ClientOptions

    func run() throws {
        try perform(options) { client in
            let state = try registry(client)
            var table = TextTable(["code", "name", "kind", "parent"])
            var rows: [[String: Any]] = []
            func add(_ parent: String?, depth: Int) {
                for unit in state.units.values.filter({ $0.parent == parent }).sorted(by: { $0.code < $1.code }) {
                    table.add([unit.code, String(repeating: "  ", count: depth) + unit.name, unit.kind.rawValue, unit.parent ?? ""])
                    rows.append(["code": unit.code, "name": unit.name, "kind": unit.kind.rawValue, "parent": unit.parent ?? NSNull()])
                    add(unit.code, depth: depth + 1)
                }
            }
            add(nil, depth: 0)
            return (["units": rows], state.units.isEmpty ? "no unit is registered; add one with `petitionctl unit add`" : table.lines().joined(separator: "\n"))
        }
    }
}

struct DepartmentList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the registered departments, of one unit or of all.")
    @Option(help: "Only this unit's departments (its code).") var unit: String?
    @OptionGroup var options: ClientOptions

    func run() throws {
        try perform(options) { client in
            let state = try registry(client)
            var table = TextTable(["unit", "code", "name"])
            var rows: [[String: Any]] = []
            for (code, departments) in state.departments.sorted(by: { $0.key < $1.key }) where unit == nil || unit == code {
                for d in departments.values.sorted(by: { $0.code < $1.code }) {
                    table.add([d.unit, d.code, d.name])
                    rows.append(["unit": d.unit, "code": d.code, "name": d.name])
                }
            }
            return (["departments": rows], rows.isEmpty ? "no department is registered" : table.lines().joined(separator: "\n"))
        }
    }
}
