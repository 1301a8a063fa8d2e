import Accounts
import Foundation
import PetitionDomain
import Runtime

/// The demo's logins for the HTTP API: a password for each demo official (and the first administrator), set in the
/// API's credentials store and listed in `identities/demo-accounts.json` (mode 0600). Loaded again, each keeps the
/// password it was given the first time.
enum DemoAccounts {
    struct Account: Codable {
        var login: String
        var password: String
        var name: String
        var role: String
        var unit: String
        var department: String?
    }

    /// Writes the accounts; returns the list's path.
    static func write(_ officials: [DemoData.DemoOfficial], dataDirectory: String, identitiesFolder: String) throws -> String {
        let path = (identitiesFolder as NSString).appendingPathComponent("demo-accounts.json")
        let earlier = (try? JSONDecoder().decode([Account].self, from: Data(contentsOf: URL(fileURLWithPath: path)))) ?? []
        let passwords = Dictionary(earlier.map { ($0.login, $0.password) }) { a, _ in a }
        let administrator = DemoData.DemoOfficial(officialId: RegistryFounded.firstOfficialId, name: ProcessRunner.administratorName,
                                                  role: .administrator, unit: "", department: nil, login: "admin")
        let everyone = [administrator] + officials
        let accounts = everyone.map { o in
            Account(login: o.login, password: passwords[o.login] ?? password(), name: o.name, role: o.role.rawValue, unit: o.unit, department: o.department)
        }
        let store = try AccountStore(path: AccountStore.path(dataDirectory: dataDirectory))
        // bcrypt at cost 10 for the demo's sake (a real account gets the store's cost), hashed on every core.
        let failure = LockedError()
        DispatchQueue.concurrentPerform(iterations: everyone.count) { i in
            do { try store.setPassword(officialId: everyone[i].officialId, login: accounts[i].login, password: accounts[i].password, cost: 10) } catch {
                failure.set(error)
            }
        }
        if let error = failure.error { throw error }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try IdentityFiles.writeAtomically(try encoder.encode(accounts) + Data("\n".utf8), to: path, mode: 0o600)
        return path
    }

    /// A password of 14 letters and digits that are not mistaken for one another.
    static func password() -> String { AccountStore.drawPassword() }

    final class LockedError: @unchecked Sendable {
        private let lock = NSLock()
        private var first: (any Error)?
        func set(_ error: any Error) { lock.lock(); if first == nil { first = error }; lock.unlock() }
        var error: (any Error)? { lock.lock(); defer { lock.unlock() }; return first }
    }
}
