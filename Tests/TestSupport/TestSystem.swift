import Foundation
import Messaging
import PetitionDomain
import Runtime
import ZeroMQ

/// A running system for one test: its own data folder, its own free ports,
/// the real gateway and projector executables, stopped by PID at the end.
public final class TestSystem: @unchecked Sendable {
    public let dataDirectory: String
    public let basePort: Int
    /// petition-api's HTTP port: the one after the four ZeroMQ ports, free too.
    public var httpPort: Int { basePort + 4 }
    /// Where the processes listen: loopback by default; a test of separate hosts sets each host's address.
    public var endpoints: Endpoints
    public private(set) var gateway: TestProcess?
    public private(set) var projector: TestProcess?
    private var generation = 0

    public init(name: String = #function) throws {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        dataDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("petition-test-\(safe)-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        basePort = FreePorts.base(count: 5)
        servedFrom = dataDirectory
        endpoints = Endpoints(basePort: basePort)
    }

    /// Workers started by ``startWorker(_:_:)``: stopped by PID at the end.
    public private(set) var workers: [TestProcess] = []

    deinit {
        api?.stop()
        gateway?.stop()
        projector?.stop()
        for w in workers { w.stop() }
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }

    /// The log's PostgreSQL address, given to every process as `--store`; nil: the data folder's SQLite file.
    public var store: String?

    /// Separate hosts: the network namespace each process runs in, by executable name (none: this one).
    public var namespaces: [String: String] = [:]
    /// Separate hosts: each process's own data folder, by executable name (none: ``dataDirectory``).
    public var dataDirectories: [String: String] = [:]
    /// The address petition-api binds and is reached at.
    public var apiHost = "127.0.0.1"

    /// With `--parent-pid`: should the test process die (a crash, a kill), the servers it started stop by themselves.

    private func serverArguments(for name: String) -> [String] {
        var arguments = ["--data-dir", dataDirectories[name] ?? dataDirectory, "--base-port", String(basePort), "--parent-pid", String(getpid())]
        if endpoints.host != "127.0.0.1" { arguments += ["--host", endpoints.host] }
        if let projectorHost = endpoints.projectorHost { arguments += ["--projector-host", projectorHost] }
        if let store, name == "petition-gateway" || dataDirectories.isEmpty { arguments += ["--store", store] }
        return arguments
    }

    private func launch(_ name: String, _ arguments: [String], outputPath: String) throws -> TestProcess {
        try TestProcess(name, serverArguments(for: name) + arguments, outputPath: outputPath, namespace: namespaces[name])
    }

    private func logPath(_ name: String) -> String {
        generation += 1
        return (dataDirectory as NSString).appendingPathComponent("\(name)-\(generation).log")
    }

    /// Arguments added to the gateway's (e.g. `--checkpoint-every-records 10`); set before starting it.
    public var gatewayArguments: [String] = []

    /// Starts (or restarts) the gateway and waits until it answers.
    public func startGateway() throws {
        gateway = try launch("petition-gateway", gatewayArguments, outputPath: logPath("gateway"))
        try waitForStatus(endpoints.commands, process: gateway!)
    }

    /// Starts a second gateway on the same store, folder and ports: it waits as the standby while the writer lives.
    /// Returns it; it becomes ``gateway`` with ``promoteStandby(_:)`` once it has taken over.
    public func startStandbyGateway() throws -> TestProcess {
        let standby = try launch("petition-gateway", gatewayArguments, outputPath: logPath("gateway"))
        workers.append(standby) // stopped by PID at the end, whichever it turns out to be
        return standby
    }

    /// Makes `standby` the gateway the system stops at the end (the one that took over).
    public func promoteStandby(_ standby: TestProcess) { gateway = standby }

    /// Arguments added to the projector's; set before starting it.
    public var projectorArguments: [String] = []

    /// Starts (or restarts) the projector and waits until it answers.
    public func startProjector() throws {
        projector = try launch("petition-projector", projectorArguments, outputPath: logPath("projector"))
        try waitForStatus(endpoints.queries, process: projector!)
    }

    /// Starts a worker executable (escalator, notifier) on this system's ports and folder, with `arguments` added.
    @discardableResult
    public func startWorker(_ name: String, _ arguments: [String] = []) throws -> TestProcess {
        let process = try launch(name, arguments, outputPath: logPath(name))
        workers.append(process)
        return process
    }

    /// The file the workers started with ``clockArguments`` read the time from.
    public var clockFile: String { (dataDirectory as NSString).appendingPathComponent("clock.txt") }
    public var clockArguments: [String] { ["--clock-file", clockFile, "--tick-ms", "50"] }

    /// Moves the workers' clock to an RFC 3339 instant.
    public func setClock(_ instant: String) throws {
        try Data(instant.utf8).write(to: URL(fileURLWithPath: clockFile), options: .atomic)
    }

    /// The log's events of `type`, as read from history.
    public func events(_ type: String) throws -> [[String: Any]] {
        try history().filter { $0["type"] as? String == type }
    }

    /// The id of the alert raised on `petition` at `level` (the gateway draws it at random), from its
    /// `petition.escalated.v2`; nil while none was raised.
    public func alertId(_ petition: String, _ level: String) throws -> String? {
        try events("petition.escalated.v2").lazy.compactMap { $0["data"] as? [String: Any] }
            .first { $0["petitionId"] as? String == petition && $0["level"] as? String == level }?["alertId"] as? String
    }

    // MARK: - Who acts

    /// The data folder's keys: the servers' (`servers.json`), the services', the first administrator's identity.
    public var keyFiles: CurveKeyFiles { CurveKeyFiles(dataDirectory: servedFrom) }
    /// The data folder of the system the tests talk to: this one's, or one `petitionctl up` was given.
    public var servedFrom: String
    /// The first administrator's identity, written when the gateway founded the registry.
    public var administrator: IdentityFile { get throws { try IdentityFiles.read(keyFiles.administratorPath) } }
    /// The servers' public keys, as `up` and the gateway write them.
    public var serverKeys: ServerKeys { get throws { try CurveKeyFiles.readServers(keyFiles.serversPath) } }

    /// A registered official of the test's unit, with their identity file.
    public struct Official: Sendable {
        public let id: String
        public let identity: IdentityFile
        /// Their identity file (for `petitionctl --identity`).
        public let path: String
        public var keys: CurveKeyPair { identity.keys! }
    }
    private var officials: [String: Official] = [:]
    /// Who reads (queries, history, petitionctl's read verbs) when a test does not say: nil for the default official.
    public var actingAs: Official?
    private var departmentCodes: [String: String] = [:]
    private var units: Set<String> = []
    /// The unit every test official belongs to (a province), unless asked for another.
    public static let unit = "TEST"

    /// A worker service's identity in the data folder's `keys/` (e.g. `petition-escalator`).
    public func service(_ name: String) throws -> Official {
        let path = (keyFiles.keysFolder as NSString).appendingPathComponent("\(name).json")
        return Official(id: name, identity: try IdentityFiles.read(path), path: path)
    }

    /// The official who acts in `role` (an officer for `department`, by its name), in `unit` (default ``unit``, the
    /// tests' province; else a commune under it, by name):
    /// registered by the administrator, with a key and an identity file, the first time they are asked for.
    public func official(_ role: Role, department: String? = nil, unit: String = TestSystem.unit) throws -> Official {
        if role == .administrator {
            return Official(id: RegistryFounded.firstOfficialId, identity: try administrator, path: keyFiles.administratorPath)
        }
        let department = role == .departmentOfficer ? department ?? "Phòng Thử nghiệm" : department
        let key = "\(role.rawValue)|\(unit)|\(department ?? "")"
        if let known = officials[key] { return known }
        // `unit`: the tests' province, or a commune under it by its name.
        try registerUnit(Self.unit)
        guard let unitCode = unit == Self.unit ? unit : try registerCommune(unit) else { throw TestSystemError("unit \(unit) cannot be registered") }
        let code = try department.map { try self.department($0, of: unitCode) }
        let name = "Cán bộ thử \(role.rawValue) \(officials.count + 1)"
        let reply = try admin(Commands.AppointOfficial(name: name, unit: unitCode, department: code, roles: [role]), id: "fixture-official-\(officials.count + 1)")
        guard let id = reply["id"] as? String else { throw TestSystemError("no official id in \(reply)") }
        let keys = try CurveKeyPair.generate()
        try admin(Commands.IssueCredential(officialId: id, publicKey: keys.publicKey), id: "fixture-key-\(id)")
        let folder = (servedFrom as NSString).appendingPathComponent("test-identities")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let path = (folder as NSString).appendingPathComponent("\(id).json")
        let identity = IdentityFile(officialId: id, name: name, keys: keys)
        try IdentityFiles.write(identity, to: path)
        let official = Official(id: id, identity: identity, path: path)
        officials[key] = official
        try waitUntilProjectorAdmits(official)
        return official
    }

    /// Waits (if the projector runs) until it has applied `official`'s key: it admits keys from the events it follows.
    public func waitUntilProjectorAdmits(_ official: Official) throws {
        guard projector?.isRunning == true else { return }
        let status = Array(#"{"type":"status"}"#.utf8)
        guard try waitUntil(timeout: 10, { (try? self.request(endpoints.queries, bytes: status, keys: official.keys, server: .projector, timeoutMs: 300)) != nil }) else {
            throw TestSystemError("the projector did not admit \(official.id)'s key within 10 s")
        }
    }

    /// The CurveZMQ settings of a client socket of `official` (default: a clerk) to `server`: set them before connecting.
    public func pin(as official: Official? = nil, _ server: CurveServer = .gateway) throws -> CurvePin {
        CurvePin(keys: try (official ?? self.official(.clerk)).keys, serverKey: try serverKeys.key(of: server))
    }

    /// Loads the demo data set through the gateway, as `petitionctl up --demo` does (identities into the data folder's `identities/`).
    @discardableResult
    public func loadDemo(context: ZMQContext) throws -> (sessions: Int, petitions: Int, head: Int64, officials: [DemoData.DemoOfficial]) {
        let access = CurveAccess(own: try service("petition-gateway").keys, servers: try serverKeys)
        return try DemoData.load(context: context, endpoints: endpoints.with(access), identitiesFolder: keyFiles.identitiesFolder,
                                 administrator: try administrator)
    }

    /// The code of the department named `name` of `unit` (default ``unit``), registered now if it is not yet; a name
    /// the registry refuses (hostile text) gets a plain one: its officer then holds nothing the test refers.
    @discardableResult
    public func department(_ name: String, of unit: String = TestSystem.unit) throws -> String {
        let key = unit + "|" + name
        if let known = departmentCodes[key] { return known }
        try registerUnit(unit)
        let next = "D\(departmentCodes.count + 1)"
        do {
            try admin(Commands.RegisterDepartment(unit: unit, code: next, name: name), id: "fixture-department-\(unit)-\(next)")
        } catch {
            try admin(Commands.RegisterDepartment(unit: unit, code: next, name: "Phòng \(next)"), id: "fixture-department-\(unit)-\(next)-plain")
        }
        departmentCodes[key] = next
        return next
    }

    /// Registers unit `code` (``unit`` itself, a province) unless it is.
    public func registerUnit(_ code: String) throws {
        guard !units.contains(code) else { return }
        guard code == Self.unit else { try registerCommune(code); return }
        try admin(Commands.RegisterUnit(code: code, name: "Tỉnh Thử Nghiệm", kind: .province, parent: nil), id: "fixture-unit-\(code)")
        units.insert(code)
    }

    private var communes: [String: String] = [:]

    /// The code of the commune named `name` under ``unit``, registered now if it is not yet (nil when the registry
    /// refuses the name: then a session opened there is refused too, as it should be).
    @discardableResult
    public func registerCommune(_ name: String) throws -> String? {
        if let known = communes[name] { return known }
        try registerUnit(Self.unit)
        let code = "U\(communes.count + 1)"
        do {
            try admin(Commands.RegisterUnit(code: code, name: name, kind: .commune, parent: Self.unit), id: "fixture-commune-\(code)")
        } catch { return nil }
        communes[name] = code
        return code
    }

    /// Registers what `body` names that the tests' registry does not hold yet: a session's unit, a referral's
    /// department, the people the minutes name (`by`, `chair`, `approver`).
    private func registerNamed(in body: [String: Any]) throws {
        switch body["type"] as? String {
        case "session.open": if let unit = body["unit"] as? String, !unit.isEmpty { try registerCommune(unit) }
        case "petition.refer", "petition.reassign": if let d = body["department"] as? String, !d.isEmpty { try department(d) }
        default: break
        }
        for field in ["by", "chair", "approver"] {
            if let name = body[field] as? String, !name.isEmpty { try person(name) }
        }
    }

    private var people: [String: String] = [:]

    /// The id of the registered official named `name` (a person the minutes name), appointed now (a chair of the
    /// tests' province, with no key) if no one has that name yet; nil when the registry refuses the name.
    @discardableResult
    public func person(_ name: String) throws -> String? {
        if let known = people[name] { return known }
        try registerUnit(Self.unit)
        let reply: [String: Any]
        do {
            reply = try admin(Commands.AppointOfficial(name: name, unit: Self.unit, department: nil, roles: [.chair]), id: "fixture-person-\(people.count + 1)")
        } catch { return nil }
        let id = reply["id"] as? String
        people[name] = id
        return id
    }

    /// Sends `command` as the administrator; fails unless it is accepted (or was, under the same command id).
    @discardableResult
    public func admin(_ command: some CommandHandler, id: String) throws -> [String: Any] {
        let body = CommandRequest(commandId: id, occurredAt: nil, command).wireBytes
        guard let reply = try request(endpoints.commands, bytes: body, keys: try administrator.keys!, server: .gateway) else {
            throw TestSystemError("the gateway did not answer the administrator")
        }
        guard reply["ok"] as? Bool == true else { throw TestSystemError("\(type(of: command).messageType) refused: \(reply)") }
        return reply
    }

    /// Who sends `body` by default: the official in the role its `role` and `actorDepartment` members name (taken out
    /// of the body: a command carries no actor), else the role that usually does it; queries and reads as a clerk;
    /// a system command as the service that owns it.
    private func sender(for body: inout [String: Any]) throws -> Official {
        // (`official.grant`'s own `role` is the role granted: it stays in the body.)
        let ownsRole = GatewayCommand.handler(forMessageType: body["type"] as? String ?? "")?.ownMembers.contains("role") ?? false
        let role = ownsRole ? nil : (body.removeValue(forKey: "role") as? String).flatMap(Role.init(rawValue:))
        let department = body.removeValue(forKey: "actorDepartment") as? String
        body.removeValue(forKey: "actor")
        let type = body["type"] as? String ?? ""
        try registerNamed(in: body)
        let action = GatewayCommand.action(forMessageType: type)
        let chosen = role ?? action?.roles.first ?? .clerk
        if chosen == .system {
            if let service = action?.service { return try self.service(service) }
            return try official(.clerk)
        }
        return try official(chosen, department: department)
    }

    /// Sends a command and returns its reply, failing the test's setup if it was refused.
    @discardableResult
    public func send(_ type: String, _ fields: [String: Any], role: Role? = nil, department: String? = nil,
                     occurredAt: String? = nil) throws -> [String: Any] {
        var body = Self.command(type, fields, role: role, department: department)
        if let occurredAt { body["occurredAt"] = occurredAt }
        guard let reply = try request(endpoints.commands, body) else { throw TestSystemError("no reply to \(type)") }
        guard reply["ok"] as? Bool == true else { throw TestSystemError("\(type) refused: \(reply)") }
        return reply
    }

    /// petition-api, started by ``startAPI(_:)``.
    public private(set) var api: TestProcess?

    /// The API's base URL.
    public var apiBase: String { "http://\(apiHost):\(httpPort)" }

    /// Starts (or restarts) petition-api on ``httpPort`` and waits until it listens.
    public func startAPI(_ arguments: [String] = []) throws {
        api = try launch("petition-api", ["--http-port", String(httpPort)] + (apiHost == "127.0.0.1" ? [] : ["--http-host", apiHost]) + arguments,
                         outputPath: logPath("api"))
        let ok = try waitUntil(timeout: 20) { PortProbe.failure("tcp://\(self.apiHost):\(self.httpPort)", timeoutMs: 200) == nil || self.api?.isRunning != true }
        guard ok, api?.isRunning == true else {
            let output = (try? String(contentsOfFile: api!.outputPath, encoding: .utf8)) ?? "(no output)"
            throw TestSystemError("petition-api did not listen on \(httpPort) within 20 s; its output ends: \(output.suffix(2000))")
        }
    }

    /// Stops petition-api the hard way (SIGKILL), as a crash would.
    public func killAPI() {
        api?.kill9()
    }

    /// Gives `official` the login `login` with `petitionctl official password` (as the administrator); the password it drew.
    public func setPassword(_ official: Official, login: String) throws -> String {
        let set = try ctl(["official", "password", official.id, "--login", login, "--data-dir", dataDirectory, "--json"],
                          as: try self.official(.administrator))
        guard set.status == 0, let password = set.json["password"] as? String else { throw TestSystemError("official password: \(set.stderr)") }
        return password
    }

    /// Gives `official` a login and password with `petitionctl official password` (as the administrator), then logs
    /// in over HTTP: a client holding their bearer token.
    public func login(_ official: Official) throws -> HTTPClient {
        let login = "u" + official.id.lowercased()
        let password = try setPassword(official, login: login)
        let client = HTTPClient(base: apiBase)
        let reply = try client.post("/api/v1/login", ["login": login, "password": password])
        guard reply.status == 200, let token = reply.json["token"] as? String else { throw TestSystemError("login \(login): \(reply.status) \(reply.text)") }
        client.token = token
        return client
    }

    /// Starts both.
    public func start() throws {
        try startGateway()
        try startProjector()
    }

    /// Waits for `process` to answer `status`; when it does not, the error carries the end of its output, which the
    /// data folder (removed with the system) would otherwise take with it.
    private func waitForStatus(_ endpoint: String, process: TestProcess) throws {
        let ok = try waitUntil(timeout: 20) {
            // Any admitted key will do; the gateway's own exists once it has started.
            guard let keys = (try? service("petition-gateway"))?.keys else { return false }
            return (try? request(endpoint, bytes: Array(#"{"type":"status"}"#.utf8), keys: keys,
                                 server: endpoint == endpoints.queries ? .projector : .gateway, timeoutMs: 300)) != nil
        }
        guard ok else {
            let output = (try? String(contentsOfFile: process.outputPath, encoding: .utf8)) ?? "(no output)"
            throw TestSystemError("\((process.outputPath as NSString).lastPathComponent) did not answer at \(endpoint) within 20 s; its output ends: \(output.suffix(2000))")
        }
    }

    /// The event log file of this system's data folder.
    public var eventLogPath: String { (dataDirectory as NSString).appendingPathComponent("events.sqlite") }

    /// Runs `petitionctl` against this system, with `--base-port` added, as `official` (through PETITION_IDENTITY;
    /// default: the official in the role `--role` and `--actor-department` name, taken out of the arguments, else the
    /// role that usually runs the verb) and with this system's `servers.json` (PETITION_SERVERS).
    public func ctl(_ arguments: [String], as official: Official? = nil) throws -> CommandOutput {
        var args: [String] = []
        var role: Role?
        var department: String?
        var i = 0
        while i < arguments.count {
            switch arguments[i] {
            case "--role" where i + 1 < arguments.count: role = Role(rawValue: arguments[i + 1]); i += 2
            case "--actor-department" where i + 1 < arguments.count: department = arguments[i + 1]; i += 2
            case "--actor" where i + 1 < arguments.count: i += 2
            default: args.append(arguments[i]); i += 1
            }
        }
        var environment = ProcessInfo.processInfo.environment
        environment["PETITION_SERVERS"] = keyFiles.serversPath
        if FileManager.default.fileExists(atPath: keyFiles.administratorPath) {
            let verb = Self.messageType(ofVerb: args)
            func value(_ option: String) -> String? { args.firstIndex(of: option).flatMap { $0 + 1 < args.count ? args[$0 + 1] : nil } }
            if verb == "session.open", let unit = value("--unit") { try registerCommune(unit) }
            if verb == "petition.refer" || verb == "petition.reassign", let d = value("--to") { try self.department(d) }
            for option in ["--by", "--chair", "--approver"] { if let name = value(option), verb != nil { try person(name) } }
            let chosen = role ?? verb.flatMap { GatewayCommand.action(forMessageType: $0)?.roles.first } ?? .clerk
            let reader = verb == nil && role == nil ? actingAs : nil
            environment["PETITION_IDENTITY"] = try (official ?? reader ?? self.official(chosen, department: department)).path
        }
        return try runTool("petitionctl", args + ["--base-port", String(basePort)], environment: environment)
    }

    /// The command message type a petitionctl verb sends, for the verbs that send one.
    static func messageType(ofVerb args: [String]) -> String? {
        let verbs = ["submit": "petition.submit", "answer": "petition.answer", "refer": "petition.refer", "resolve": "petition.resolve",
                     "feedback": "petition.feedback", "accept": "petition.accept", "extend": "petition.extend", "reassign": "petition.reassign",
                     "reopen": "petition.reopen", "note": "petition.note", "withdraw": "petition.withdraw", "merge": "petition.merge",
                     "unit": "unit.register", "department": "department.register", "official": "official.appoint"]
        guard let first = args.first else { return nil }
        if first == "session", args.count > 1, args[1] == "open" { return "session.open" }
        if first == "person", args.count > 1, args[1] == "forget" { return "person.forget" }
        return verbs[first]
    }

    /// One request/reply on `endpoint`, sent by `official` (default: who ``sender(for:)`` picks); nil on timeout.
    public func request(_ endpoint: String, _ body: [String: Any], timeoutMs: Int = 5000, as official: Official? = nil) throws -> [String: Any]? {
        // With `official` given, what the body names is sent as it is (nothing registered for it).
        let reads = GatewayCommand.action(forMessageType: body["type"] as? String ?? "") == nil
        let official = official ?? (reads ? actingAs : nil)
        var body = official == nil ? body : Self.wire(body)
        let who = try official ?? sender(for: &body)
        let bytes = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])
        return try request(endpoint, bytes: Array(bytes), keys: who.keys, server: endpoint == endpoints.queries ? .projector : .gateway, timeoutMs: timeoutMs)
    }

    /// One request/reply on `endpoint` with CurveZMQ `keys` (nil: a plain socket, no CURVE at all), pinning
    /// `server`'s key (or `serverKey`); nil when no reply comes (a refused key never gets one).
    public func request(_ endpoint: String, bytes: [UInt8], keys: CurveKeyPair?, server: CurveServer, serverKey: String? = nil,
                        timeoutMs: Int = 5000) throws -> [String: Any]? {
        let context = try ZMQContext()
        defer { context.terminate() }
        let pin = try keys.map { CurvePin(keys: $0, serverKey: try serverKey ?? serverKeys.key(of: server)) }
        let client = RequestClient(context: context, endpoint: endpoint, curve: pin)
        defer { client.close() }
        guard let reply = try client.request(bytes, timeoutMs: timeoutMs) else { return nil }
        return try JSONSerialization.jsonObject(with: Data(reply)) as? [String: Any]
    }

    /// Sends raw frames (no delimiter added) to `endpoint` from a DEALER (as a clerk) and returns the reply body.
    public func rawRequest(_ endpoint: String, frames: [[UInt8]], timeoutMs: Int = 3000) throws -> [String: Any]? {
        let context = try ZMQContext()
        defer { context.terminate() }
        let socket = try context.socket(.dealer)
        defer { socket.close() }
        try socket.setMaxMessageSize(64 << 20)
        try socket.pin(CurvePin(keys: try official(.clerk).keys, serverKey: try serverKeys.key(of: endpoint == endpoints.queries ? .projector : .gateway)))
        try socket.connect(endpoint)
        try socket.send(frames)
        guard try ZMQPoll.readable([socket], timeoutMs: timeoutMs)[0], let reply = try socket.receive(), let body = reply.last else { return nil }
        return try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
    }

    /// Every record of the log, read page by page from the gateway's history endpoint.
    public func history() throws -> [[String: Any]] {
        var events: [[String: Any]] = []
        while true {
            guard let page = try request(endpoints.history, ["type": "history.read", "fromPosition": events.count + 1, "limit": 2000]),
                  let batch = page["events"] as? [[String: Any]] else { throw TestSystemError("history endpoint did not answer") }
            events += batch
            if batch.isEmpty || Int64(events.count) >= (page["head"] as? NSNumber)?.int64Value ?? 0 { return events }
        }
    }

    /// `body` as it goes on the wire: without the members that say who sends it (the key does).
    public static func wire(_ body: [String: Any]) -> [String: Any] {
        let own = GatewayCommand.handler(forMessageType: body["type"] as? String ?? "")?.ownMembers ?? []
        return body.filter { !CommandRequest.identityFields.contains($0.key) || own.contains($0.key) }
    }

    /// A command body with a fresh command id; `actor`, `role` and `department` say who sends it (taken out by
    /// ``request(_:_:timeoutMs:as:)``, which sends it with that official's key).
    public static func command(_ type: String, _ fields: [String: Any], commandId: String = UUID().uuidString, actor: String = "clerk",
                               role: Role? = nil, department: String? = nil) -> [String: Any] {
        var body = fields
        body["type"] = type
        body["commandId"] = commandId
        body["actor"] = actor
        body["role"] = (role ?? GatewayCommand.action(forMessageType: type)?.roles.first ?? .system).rawValue
        if let department { body["actorDepartment"] = department }
        return body
    }
}

public struct TestSystemError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
