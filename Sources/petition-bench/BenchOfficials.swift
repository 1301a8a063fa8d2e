import ArgumentParser
import Foundation
import Messaging
import PetitionDomain
import Runtime
import ZeroMQ

/// The registry of a real gateway the bench started on a fresh data folder: the administrator's identity and the
/// servers' keys read from that folder, one province registered, and officials appointed with fresh keys. A
/// command carries no actor: who acts is the official whose key the connection authenticated with.
struct BenchRegistry {
    let context: ZMQContext
    let endpoints: Endpoints
    /// The servers' public keys (`servers.json`): what a client pins.
    let servers: ServerKeys
    /// The first administrator's keys (`identities/administrator.json`).
    let administrator: CurveKeyPair

    /// The unit every bench official belongs to.
    static let unit = "BENCH"

    /// Waits until `gateway`, started on `folder`, has founded the registry (written the administrator's identity and
    /// `servers.json`) and answers the administrator, then registers ``unit``.
    init(folder: URL, endpoints: Endpoints, context: ZMQContext, gateway: Process) throws {
        let files = CurveKeyFiles(dataDirectory: folder.path)
        let giveUp = Date().addingTimeInterval(30)
        while !(FileManager.default.fileExists(atPath: files.administratorPath) && FileManager.default.fileExists(atPath: files.serversPath)) {
            guard gateway.isRunning else { throw ValidationError("the gateway exited (status \(gateway.terminationStatus)) before founding the registry") }
            guard Date() < giveUp else { throw ValidationError("the gateway wrote no \(files.administratorPath) within 30 s") }
            usleep(20_000)
        }
        self.context = context
        self.endpoints = endpoints
        servers = try CurveKeyFiles.readServers(files.serversPath)
        guard let keys = try IdentityFiles.read(files.administratorPath).keys else {
            throw ValidationError("\(files.administratorPath) holds no valid key pair")
        }
        administrator = keys
        // The first command may come before the gateway binds: retried (same command id, so the same reply) for 30 s.
        try admin(Commands.RegisterUnit(code: Self.unit, name: "Tỉnh Đo Lường", kind: .province, parent: nil), id: "bench-unit", attempts: 60)
        // What the scenarios' commands name must be registered: the commune of the session, the department referred to.
        try admin(Commands.RegisterUnit(code: Self.unit + "-01", name: "Xã Bình Thành", kind: .commune, parent: Self.unit), id: "bench-commune")
        try admin(Commands.RegisterDepartment(unit: Self.unit, code: "TNMT", name: "Phòng Tài nguyên và Môi trường"), id: "bench-department")
    }

    /// How a client socket with `keys` reaches `server`.
    func pin(_ keys: CurveKeyPair, _ server: CurveServer = .gateway) -> CurvePin {
        CurvePin(keys: keys, serverKey: servers.key(of: server))
    }

    /// Sends `command` as the administrator; throws unless it is accepted.
    @discardableResult
    func admin(_ command: some CommandHandler, id: String, attempts: Int = 20) throws -> [String: Any] {
        let client = RequestClient(context: context, endpoint: endpoints.commands, curve: pin(administrator))
        defer { client.close() }
        let body = CommandRequest(commandId: id, occurredAt: nil, command).wireBytes
        for _ in 0..<attempts {
            guard let reply = try client.request(body, timeoutMs: 500) else { continue }
            let object = try JSONSerialization.jsonObject(with: Data(reply)) as? [String: Any] ?? [:]
            guard object["ok"] as? Bool == true else { throw ValidationError("\(type(of: command).messageType) refused: \(object)") }
            return object
        }
        throw ValidationError("the gateway did not answer the administrator's \(type(of: command).messageType)")
    }

    /// Appoints an official of ``unit`` in `role` and issues them a fresh key pair; returns it.
    func official(_ role: Role, name: String) throws -> CurveKeyPair { try appoint(role, name: name).keys }

    /// Appoints an official of ``unit`` in `role` with a fresh key pair: their id and keys.
    func appoint(_ role: Role, name: String) throws -> (id: String, keys: CurveKeyPair) {
        let reply = try admin(Commands.AppointOfficial(name: name, unit: Self.unit, department: nil, roles: [role]), id: "bench-official-\(role.rawValue)")
        guard let id = reply["id"] as? String else { throw ValidationError("no official id in \(reply)") }
        let keys = try CurveKeyPair.generate()
        try admin(Commands.IssueCredential(officialId: id, publicKey: keys.publicKey), id: "bench-key-\(id)")
        return (id, keys)
    }
}

/// Throws unless every reply says `"ok":true` (a refused command is answered as fast as an accepted one, so a rate
/// over refusals would mean nothing).
func requireAccepted(_ results: [String: PipelinedSender.Result]) throws {
    let ok = Array(#""ok":true"#.utf8)
    if let refused = results.values.first(where: { $0.reply.firstRange(of: ok) == nil }) {
        throw ValidationError("a command was refused: \(String(decoding: refused.reply, as: UTF8.self))")
    }
}
