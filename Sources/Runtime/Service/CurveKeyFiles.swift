import Foundation
import Messaging
import PetitionDomain
import ZeroMQ

/// The CurveZMQ keys of a data folder: one identity file per server and worker in `keys/` (mode 0600, made on the
/// first start of whichever process needs it first), the servers' public keys in `servers.json` (what a client
/// pins; give it to a client on another machine), and the first administrator's identity in `identities/`.
public struct CurveKeyFiles: Sendable {
    public let dataDirectory: String

    /// Every process that has a key of its own.
    public static let services = ["petition-gateway", "petition-projector", "petition-escalator", "petition-notifier", "petition-api"]

    public init(dataDirectory: String) { self.dataDirectory = dataDirectory }

    public var keysFolder: String { (dataDirectory as NSString).appendingPathComponent("keys") }
    /// The servers' public keys.
    public var serversPath: String { (dataDirectory as NSString).appendingPathComponent("servers.json") }
    /// Where `up` and the demo write officials' identity files.
    public var identitiesFolder: String { (dataDirectory as NSString).appendingPathComponent("identities") }
    /// The first administrator's identity, written when the gateway founds the registry.
    public var administratorPath: String { (identitiesFolder as NSString).appendingPathComponent("administrator.json") }

    func path(of service: String) -> String { (keysFolder as NSString).appendingPathComponent("\(service).json") }

    /// Every service's key pair, each read from its file or made now (two processes starting together agree:
    /// a file is created whole or not at all, and the second reads the first's).
    public func services() throws -> [String: CurveKeyPair] {
        try FileManager.default.createDirectory(atPath: keysFolder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var keys: [String: CurveKeyPair] = [:]
        for service in Self.services { keys[service] = try loadOrCreate(service) }
        return keys
    }

    /// The servers' public keys from `keys`, also written to ``serversPath`` for clients.
    public func serverKeys(_ keys: [String: CurveKeyPair]) throws -> ServerKeys {
        let servers = ServerKeys(gateway: keys["petition-gateway"]!.publicKey, projector: keys["petition-projector"]!.publicKey)
        if (try? Self.readServers(serversPath)) != servers {
            let data = try JSONEncoder.sorted.encode(servers)
            try IdentityFiles.writeAtomically(data, to: serversPath, mode: 0o600)
        }
        return servers
    }

    /// `service`'s own keys with the servers' public keys: what its sockets use.
    public func access(for service: String) throws -> (access: CurveAccess, admission: KeyAdmission) {
        let keys = try services()
        let servers = try serverKeys(keys)
        // Every service is admitted, this one too (`petitionctl up` asks each child for its status with the gateway's keys).
        var byKey: [String: String] = [:]
        for (name, pair) in keys { byKey[pair.publicKey] = name }
        return (CurveAccess(own: keys[service]!, servers: servers), KeyAdmission(services: byKey))
    }

    private func loadOrCreate(_ service: String) throws -> CurveKeyPair {
        let file = path(of: service)
        if let existing = try IdentityFiles.readIfPresent(file) {
            guard let keys = existing.keys else { throw CLIError("\(file) does not hold a valid CurveZMQ key pair; remove it to make a new one (clients then need the new servers.json)", exitCode: 2) }
            return keys
        }
        let keys = try CurveKeyPair.generate()
        let identity = IdentityFile(service: service, name: service, keys: keys)
        if try IdentityFiles.create(identity, at: file) { return keys }
        return try loadOrCreate(service) // another process made it first
    }

    /// The servers' public keys in `path` (a `servers.json`).
    public static func readServers(_ path: String) throws -> ServerKeys {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw CLIError("cannot read the servers' keys from \(path): the system's data folder holds servers.json once the gateway has started; give its path with --servers or PETITION_SERVERS", exitCode: 2)
        }
        do { return try JSONDecoder().decode(ServerKeys.self, from: data) } catch {
            throw CLIError("\(path) is not a servers.json ({\"gateway\": key, \"projector\": key}): \(error)", exitCode: 2)
        }
    }
}

/// Reading and writing identity files (mode 0600: they hold a secret key).
public enum IdentityFiles {
    /// The identity in `path`; a clear error when it is missing or not one.
    public static func read(_ path: String) throws -> IdentityFile {
        guard let identity = try readIfPresent(path) else {
            throw CLIError("no identity file at \(path); an administrator makes one with `petitionctl official add` (or `official key`)", exitCode: 2)
        }
        guard identity.keys != nil else { throw CLIError("\(path) is not a valid identity file: its secretKey does not give its publicKey", exitCode: 2) }
        return identity
    }

    static func readIfPresent(_ path: String) throws -> IdentityFile? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        do { return try JSONDecoder().decode(IdentityFile.self, from: data) } catch {
            throw CLIError("\(path) is not an identity file (JSON with publicKey and secretKey): \(error)", exitCode: 2)
        }
    }

    /// Writes `identity` to `path` (mode 0600), replacing what is there.
    public static func write(_ identity: IdentityFile, to path: String) throws {
        try writeAtomically(try JSONEncoder.sorted.encode(identity), to: path, mode: 0o600)
    }

    /// Creates `path` holding `identity` (mode 0600) unless it exists; false when it did.
    static func create(_ identity: IdentityFile, at path: String) throws -> Bool {
        let temp = path + ".\(getpid()).tmp"
        try writeFile(try JSONEncoder.sorted.encode(identity), to: temp, mode: 0o600)
        defer { unlink(temp) }
        if link(temp, path) == 0 { return true }
        guard errno == EEXIST else { throw CLIError("cannot create \(path): \(String(cString: strerror(errno)))", exitCode: 2) }
        return false
    }

    /// Writes `data` to `path` (mode `mode`) whole or not at all.
    public static func writeAtomically(_ data: Data, to path: String, mode: mode_t) throws {
        let temp = path + ".\(getpid()).tmp"
        try writeFile(data, to: temp, mode: mode)
        guard rename(temp, path) == 0 else {
            let why = String(cString: strerror(errno))
            unlink(temp)
            throw CLIError("cannot write \(path): \(why)", exitCode: 2)
        }
    }

    private static func writeFile(_ data: Data, to path: String, mode: mode_t) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw CLIError("cannot write \(path): \(String(cString: strerror(errno)))", exitCode: 2) }
        defer { close(fd) }
        fchmod(fd, mode)
        let written = data.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        guard written == data.count, fsync(fd) == 0 else { throw CLIError("cannot write \(path): \(String(cString: strerror(errno)))", exitCode: 2) }
    }
}

extension JSONEncoder {
    /// Pretty, sorted keys, slashes as they are: what the identity files look like.
    static var sorted: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return e
    }
}
