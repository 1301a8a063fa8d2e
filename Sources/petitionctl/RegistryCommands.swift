import Accounts
import ArgumentParser
import EventSourcing
import Foundation
import Messaging
import PetitionDomain
import Runtime
import ZeroMQ

/// `petitionctl unit …`: the registry's administrative units.
struct UnitGroup: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unit", abstract: "Registered administrative units (province, commune, ward, …).",
                                                    subcommands: [UnitAdd.self, UnitList.self, UnitRename.self, UnitMerge.self, UnitRetire.self])
}

/// `petitionctl official …`: the registry's officials and their keys.
struct OfficialGroup: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "official", abstract: "Registered officials and their keys.",
                                                    subcommands: [OfficialAdd.self, OfficialKey.self, OfficialList.self, OfficialGrant.self, OfficialRevoke.self,
                                                                  OfficialDeactivate.self, OfficialTransfer.self, OfficialRevokeKey.self,
                                                                  OfficialHistory.self, OfficialPassword.self, OfficialAPIKey.self])
}

/// `petitionctl department …`: the registry's departments of each unit.
struct DepartmentGroup: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "department", abstract: "Registered departments of the units.",
                                                    subcommands: [DepartmentAdd.self, DepartmentList.self, DepartmentRename.self])
}

struct UnitAdd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Register a unit under its parent (administrator).")

    @Option(help: "Its stable code: the official administrative unit code where there is one.") var code: String
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

struct DepartmentRename: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rename",
        abstract: "Give a department a new name; its unit, code and history stay, and every view shows the new name (administrator).")

    @Option(help: "The unit's code.") var unit: String
    @Option(help: "The department's code within the unit, e.g. TNMT.") var code: String
    @Option(help: "Its new name, e.g. \"Phòng Nông nghiệp và Môi trường\".") var name: String
    @OptionGroup var write: WriteOptions
    @OptionGroup var options: ClientOptions

    func run() throws {
        try perform(options) { client in
            let reply = try client.command(try write.request(Commands.RenameDepartment(unit: unit, code: code, name: name)))
            return (reply, "cơ quan \(code) của đơn vị \(unit) nay mang tên \(name) (vị trí \(reply["position"] ?? "") trong sổ)")
        }
    }
}

/// The registry as the log holds it: the registry stream, read from the gateway and folded by the domain's decider.
private func registry(_ client: CLIClient) throws -> RegistryState {
    RegistryReply.state(try client.history(["type": "stream.read", "stream": RegistryReply.stream]))
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

/// Makes a key pair, records its public key as `officialId`'s, and writes the identity file (0600) the official keeps.
private func issueKey(_ client: CLIClient, write: WriteOptions, officialId: String, name: String, to path: String) throws -> [String: Any] {
    let keys = try CurveKeyPair.generate()
    let reply = try client.command(try write.request(Commands.IssueCredential(officialId: officialId, publicKey: keys.publicKey)))
    do { try IdentityFiles.write(IdentityFile(officialId: officialId, name: name, keys: keys), to: path) } catch {
        throw CLIError("the key was recorded, but \(path) could not be written (\(error)): revoke it with `petitionctl official revoke-key --key \(keys.publicKey)` and make another", exitCode: 2)
    }
    return reply
}

struct OfficialAdd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add",
        abstract: "Register an official in their roles (administrator), make their key pair and write their identity file (mode 0600).")

    @Option(help: "Their name.") var name: String
    @Option(help: "Their unit's code.") var unit: String
    @Option(help: "Their department's code within the unit (a department officer belongs to one).") var department: String?
    @Option(name: .customLong("grant"), help: "A role: clerk, chair, department_officer, supervisor or administrator (repeat for several).") var roles: [String]
    @Option(help: "Where to write their identity file (it holds their secret key: give it to them, keep no copy).") var identityOut: String
    @Flag(help: "Replace an existing identity file.") var force = false
    @OptionGroup var write: WriteOptions
    @OptionGroup var options: ClientOptions

    func run() throws {
        try perform(options) { client in
            try OutFile.refuseExisting(identityOut, force: force)
            let granted = try roles.map { try CommandInput.choice($0, field: "roles", Role.self) }
            let appointed = try client.command(try write.request(Commands.AppointOfficial(name: name, unit: unit, department: department, roles: granted)))
            let officialId = appointed["id"] as? String ?? ""
            var keyWrite = write
            keyWrite.commandId = write.commandId.map { $0 + "-key" }
            let issued = try issueKey(client, write: keyWrite, officialId: officialId, name: name, to: identityOut)
            return (["official": appointed, "credential": issued, "identity": identityOut],
                    "registered official \(officialId) (\(name)); identity file \(identityOut) (mode 0600) at position \(issued["position"] ?? "")")
        }
    }
}

struct OfficialKey: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "key", abstract: "Make a new key pair for a registered official and write their identity file (administrator).")

    @Argument(help: "The official's id, e.g. O000001.") var officialId: String
    @Option(help: "Where to write their identity file.") var identityOut: String
    @Flag(help: "Replace an existing identity file.") var force = false
    @OptionGroup var write: WriteOptions
    @OptionGroup var options: ClientOptions

    func run() throws {
        try perform(options) { client in
            try OutFile.refuseExisting(identityOut, force: force)
            let name = try registry(client).officials[officialId]?.name ?? ""
            let issued = try issueKey(client, write: write, officialId: officialId, name: name, to: identityOut)
            return (issued, "issued a key to \(officialId); identity file \(identityOut) (mode 0600) at position \(issued["position"] ?? "")")
        }
    }
}

struct OfficialRevokeKey: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke-key", abstract: "Revoke a key: it is refused from the next connection on (administrator).")

    @Option(help: "The public key (publicKey in the identity file, or in `official list --json`).") var key: String
    @Option(help: "Why.") var reason: String
    @OptionGroup var write: WriteOptions
    @OptionGroup var options: ClientOptions

    func run() throws {
        try perform(options) { client in
            let reply = try client.command(try write.request(Commands.RevokeCredential(publicKey: key, reason: reason)))
            return (reply, "revoked key \(key) at position \(reply["position"] ?? "")")
        }
    }
}

struct OfficialList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the registered officials, their roles and keys.")
    @OptionGroup var options: ClientOptions

    func run() throws {
        try perform(options) { client in
            let state = try registry(client)
            var table = TextTable(["id", "name", "unit", "department", "roles", "keys", "in office"])
            var rows: [[String: Any]] = []
            for o in state.officials.values.sorted(by: { $0.officialId < $1.officialId }) {
                let keys = state.credentials.filter { $0.value.officialId == o.officialId }.sorted { $0.key < $1.key }
                let active = keys.filter { !$0.value.revoked }.map(\.key)
                let inOffice = !state.inactive.contains(o.officialId)
                table.add([o.officialId, o.name, o.unit, o.department ?? "", o.roles.map(\.rawValue).joined(separator: ","),
                           "\(active.count) active\(keys.count > active.count ? ", \(keys.count - active.count) revoked" : "")", inOffice ? "yes" : "no"])
                rows.append(["officialId": o.officialId, "name": o.name, "unit": o.unit, "department": o.department ?? NSNull(),
                             "roles": o.roles.map(\.rawValue), "keys": keys.map { ["publicKey": $0.key, "revoked": $0.value.revoked] },
                             "active": inOffice])
            }
            return (["officials": rows], rows.isEmpty ? "no official is registered; add one with `petitionctl official add`" : table.lines().joined(separator: "\n"))
        }
    }
}

struct OfficialGrant: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "grant", abstract: "Give an official one more role (administrator).")
    @Argument(help: "The official's id, e.g. O000032.") var officialId: String
    @Argument(help: "The role: clerk, chair, department_officer, supervisor or administrator.") var role: String
    @OptionGroup var write: WriteOptions
    @OptionGroup var options: ClientOptions

    func run() throws {
        try perform(options) { client in
            let role = try CommandInput.choice(role, field: "role", Role.self)
            let reply = try client.command(try write.request(Commands.GrantRole(officialId: officialId, role: role)))
            return (reply, "\(officialId) now holds the role \(role.rawValue) (position \(reply["position"] ?? ""))")
        }
    }
}

struct OfficialRevoke: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Take one role from an official, who keeps the others (administrator).")
    @Argument(help: "The official's id, e.g. O000032.") var officialId: String
    @Argument(help: "The role to take.") var role: String
    @Option(help: "Why.") var reason: String
    @OptionGroup var write: WriteOptions
    @OptionGroup var options: ClientOptions

    func run() throws {
        try perform(options) { client in
            let role = try CommandInput.choice(role, field: "role", Role.self)
            let reply = try client.command(try write.request(Commands.WithdrawRole(officialId: officialId, role: role, reason: reason)))
            return (reply, "\(officialId) no longer holds the role \(role.rawValue) (position \(reply["position"] ?? ""))")
        }
    }
}

struct OfficialDeactivate: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "deactivate",
        abstract: "An official leaves office: every key of theirs is refused from then on; their history stays (administrator).")
    @Argument(help: "The official's id, e.g. O000032.") var officialId: String
    @Option(help: "Why, e.g. the transfer decision.") var reason: String
    @OptionGroup var write: WriteOptions
    @OptionGroup var options: ClientOptions

    func run() throws {
        try perform(options) { client in
            let reply = try client.command(try write.request(Commands.DeactivateOfficial(officialId: officialId, reason: reason)))
            return (reply, "\(officialId) deactivated (position \(reply["position"] ?? ""))")
        }
    }
}

struct OfficialTransfer: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "transfer",
        abstract: "An official moves to another unit or department, with their roles and keys; their history stays (administrator).")
    @Argument(help: "The official's id, e.g. O000032.") var officialId: String
    @Option(help: "The code of the unit they move to.") var unit: String
    @Option(help: "The code of their department there (a department officer's is required).") var department: String?
    @Option(help: "Why, e.g. the transfer decision.") var reason: String
    @OptionGroup var write: WriteOptions
    @OptionGroup var options: ClientOptions

    func run() throws {
        try perform(options) { client in
            let reply = try client.command(try write.request(Commands.TransferOfficial(officialId: officialId, unit: unit, department: department, reason: reason)))
            return (reply, "\(officialId) now belongs to \(unit)\(department.map { "/\($0)" } ?? "") (position \(reply["position"] ?? ""))")
        }
    }
}

struct OfficialHistory: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "history",
        abstract: "Who held which office when: each official's terms in a role, unit and department, from the registry's events.")
    @Argument(help: "One official's id; without it, every official.") var officialId: String?
    @Option(help: "Only terms in this unit (its code).") var unit: String?
    @Option(help: "Only terms in this department (its code).") var department: String?
    @OptionGroup var options: ClientOptions

    func run() throws {
        try perform(options) { client in
            let offices = RegistryReply.offices(try client.history(["type": "stream.read", "stream": RegistryReply.stream]))
            let terms = offices.terms.filter { t in
                (officialId == nil || t.officialId == officialId) && (unit == nil || t.unit == unit) && (department == nil || t.department == department)
            }
            var table = TextTable(["id", "name", "role", "unit", "department", "from", "until"])
            for t in terms {
                table.add([t.officialId, t.name, t.role.rawValue, offices.unitName(t.unit), t.department.map { offices.departmentName($0, of: t.unit) } ?? "",
                           LocalDate(containing: t.from).vietnamese, t.until.map { LocalDate(containing: $0).vietnamese } ?? "nay (still)"])
            }
            let rows: [[String: Any]] = terms.map { t in
                ["officialId": t.officialId, "name": t.name, "role": t.role.rawValue, "unit": t.unit, "department": t.department ?? NSNull(),
                 "from": Timestamp.format(t.from), "until": t.until.map(Timestamp.format) ?? NSNull(), "endedBy": t.endedBy ?? NSNull()]
            }
            return (["terms": rows], terms.isEmpty ? "no term of office matches" : table.lines().joined(separator: "\n"))
        }
    }
}

struct UnitRename: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rename", abstract: "Give a unit a new name; its code and history stay (administrator).")
    @Argument(help: "The unit's code.") var code: String
    @Option(help: "Its new name.") var name: String
    @OptionGroup var write: WriteOptions
    @OptionGroup var options: ClientOptions

    func run() throws {
        try perform(options) { client in
            let reply = try client.command(try write.request(Commands.RenameUnit(code: code, name: name)))
            return (reply, "unit \(code) is named \(name) (position \(reply["position"] ?? ""))")
        }
    }
}

struct UnitMerge: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "merge",
        abstract: "Merge units into one: they are retired, and the one they became holds what they held (administrator).")
    @Argument(help: "The codes of the units merged.") var predecessors: [String]
    @Option(help: "The code of the unit they became (register it first).") var into: String
    @OptionGroup var write: WriteOptions
    @OptionGroup var options: ClientOptions

    func run() throws {
        try perform(options) { client in
            let reply = try client.command(try write.request(Commands.MergeUnits(predecessors: predecessors, into: into)))
            return (reply, "\(predecessors.joined(separator: ", ")) merged into \(into) (position \(reply["position"] ?? ""))")
        }
    }
}

struct UnitRetire: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "retire", abstract: "A unit holds no more conferences; its history stays (administrator).")
    @Argument(help: "The unit's code.") var code: String
    @Option(help: "Why.") var reason: String
    @OptionGroup var write: WriteOptions
    @OptionGroup var options: ClientOptions

    func run() throws {
        try perform(options) { client in
            let reply = try client.command(try write.request(Commands.RetireUnit(code: code, reason: reason)))
            return (reply, "unit \(code) retired (position \(reply["position"] ?? ""))")
        }
    }
}

struct OfficialPassword: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "password",
        abstract: "Give a registered official a login and password for the HTTP API (on the API's host: it writes DATA/api/accounts.sqlite); their sessions end.")

    @Argument(help: "The official's id, e.g. O000003.") var officialId: String
    @Option(help: "Their login: 3 to 64 of a-z 0-9 . _ -") var login: String
    @Option(help: "The data folder petition-api serves (its credentials are DATA/api/accounts.sqlite).") var dataDir: String = "data"
    @Flag(help: "Read the password from standard input (one line) instead of drawing one.") var passwordStdin = false
    @OptionGroup var options: ClientOptions

    func run() throws {
        try perform(options) { client in
            let official = try inOffice(officialId, try registry(client))
            let password: String
            if passwordStdin {
                guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                    throw CLIError("no password on standard input", exitCode: 2, code: .invalidInput)
                }
                password = line
            } else {
                password = DemoAccounts.password()
            }
            do {
                try AccountStore(path: AccountStore.path(dataDirectory: dataDir)).setPassword(officialId: officialId, login: login, password: password)
            } catch let error as AccountError {
                throw CLIError(error.description, exitCode: 2, code: .invalidInput)
            }
            var json: [String: Any] = ["officialId": officialId, "name": official.name, "login": login]
            if !passwordStdin { json["password"] = password }
            return (json, passwordStdin ? "login \(login) set for \(officialId) (\(official.name))"
                                        : "login \(login) for \(officialId) (\(official.name)), password: \(password) (give it to them; it is not shown again)")
        }
    }
}

struct OfficialAPIKey: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "api-key",
        abstract: "Give the program of another agency an API key for Open311 (on the API's host: it writes DATA/api/accounts.sqlite); it acts as the registered official given, within their role and units.")

    @Argument(help: "The official the program acts as, e.g. O000031: register one for the program (`official add \"Cổng dịch vụ công tỉnh\" --role clerk --unit …`).") var officialId: String
    @Option(help: "What the key is for, e.g. \"Cổng thông tin điện tử tỉnh\".") var label: String
    @Option(help: "Revoke the key with this id instead of issuing one.") var revoke: String?
    @Option(help: "The data folder petition-api serves (its credentials are DATA/api/accounts.sqlite).") var dataDir: String = "data"
    @OptionGroup var options: ClientOptions

    func run() throws {
        try perform(options) { client in
            let store = try AccountStore(path: AccountStore.path(dataDirectory: dataDir))
            if let revoke {
                guard try store.revokeAPIKey(revoke) else { throw CLIError("no API key \(revoke) is in force", exitCode: 2, code: .notFound) }
                return (["keyId": revoke, "revoked": true], "API key \(revoke) revoked")
            }
            let official = try inOffice(officialId, try registry(client))
            guard !label.trimmingCharacters(in: .whitespaces).isEmpty, label.count <= 200 else {
                throw CLIError("--label says what the key is for, in at most 200 characters", exitCode: 2, code: .invalidInput)
            }
            let (keyId, key) = try store.issueAPIKey(officialId: officialId, label: label)
            return (["keyId": keyId, "key": key, "officialId": officialId, "name": official.name, "label": label],
                    "API key \(keyId) for \(label), acting as \(officialId) (\(official.name)): \(key) (give it to the program; it is not shown again)")
        }
    }
}

/// The registered official `officialId`, still in office; else a CLI error that says which of the two is wrong.
func inOffice(_ officialId: String, _ state: RegistryState) throws -> OfficialAppointed {
    guard let official = state.official(acting: Delegation.officialPrefix + officialId) else {
        throw CLIError(state.officials[officialId] == nil ? "no official \(officialId) is registered (see `petitionctl official list`)"
                                                          : "\(officialId) is no longer in office", exitCode: 2, code: .notRegistered)
    }
    return official
}
