import Crypto
import Delivery
import EventSourcing
import EventStorePostgres
import EventStoreSQLite
import Foundation
import Logging
import Messaging
import PetitionDomain
import Projections
import ServiceLifecycle
import Workers
import ZeroMQ

/// What every server process is told on its command line.
public struct ProcessOptions: Sendable {
    public var dataDirectory: String
    public var endpoints: Endpoints
    /// When set, the process stops once this parent process is gone.
    public var parentPid: Int32?
    /// The unit configuration folder; default `<data>/config`.
    public var configDirectory: String
    /// The event log's `postgresql://` address; nil: the SQLite file `events.sqlite` in the data folder.
    public var store: String?

    /// Where this process serves its own metrics (`--metrics-port`), nil: nowhere.
    public var metrics: (host: String, port: Int)?

    public init(dataDirectory: String, endpoints: Endpoints, parentPid: Int32? = nil, configDirectory: String? = nil, store: String? = nil,
                metrics: (host: String, port: Int)? = nil) {
        self.dataDirectory = dataDirectory
        self.store = store
        self.metrics = metrics
        self.endpoints = endpoints
        self.parentPid = parentPid
        self.configDirectory = configDirectory ?? (dataDirectory as NSString).appendingPathComponent("config")
    }

    /// The configuration, with the shipped defaults written out where files are missing.
    public func config() throws -> ConfigDirectory {
        let config = ConfigDirectory(path: configDirectory)
        try config.prepare()
        return config
    }

    public var eventLogPath: String { (dataDirectory as NSString).appendingPathComponent("events.sqlite") }
    /// Where the log is read from: the PostgreSQL address when there is one, else the SQLite file.
    public var eventLogLocation: String { store ?? eventLogPath }

    public var projectionPath: String { (dataDirectory as NSString).appendingPathComponent("projections.sqlite") }

    /// Creates the data folder if needed, readable by its owner only: from here on this process creates every file
    /// 0600 and every folder 0700 (umask 077), and what an earlier version left open to others is closed
    /// (``DataFolderPermissions``). The log holds every citizen's sealed data and, beside it, their keys.
    public func prepareDataDirectory() throws {
        umask(0o077)
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        try DataFolderPermissions.restrict(dataDirectory)
    }
}

/// An exclusive lock on a data folder: only one gateway may write its log.
///
/// `flock` is released by the kernel when the process ends, however it ends,
/// so a gateway killed with -9 never leaves a stale lock behind.
public final class WriterLock {
    private var fd: Int32

    public init(directory: String) throws {
        let path = (directory as NSString).appendingPathComponent("events.lock")
        fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CLIError("cannot open \(path): \(String(cString: strerror(errno)))", exitCode: 2) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw CLIError("another petition-gateway is already writing to \(directory); stop it first (only one writer per data folder)", exitCode: 2)
        }
    }

    public func release() {
        if fd >= 0 { flock(fd, LOCK_UN); close(fd); fd = -1 }
    }

    deinit { release() }
}

/// Builds and runs each server process; the executables' `main` calls these, and so can tests.
public enum ProcessRunner {
    /// Runs the gateway until SIGTERM/SIGINT: command writer, event feed, history.
    /// It signs a checkpoint of the head as `checkpoints` says, with the key in `<data>/keys` (created on the first start).
    public static func runGateway(_ options: ProcessOptions, checkpoints: CheckpointOptions = CheckpointOptions(), logger: Logger) async throws {
        try options.prepareDataDirectory()
        let contexts: @Sendable (String) -> DeadlineContext
        do { contexts = try options.config().deadlineContexts() } catch { throw CLIError("configuration: \(error)", exitCode: 1) }
        let kek = try personalDataKey(options, logger: logger)
        let store: any EventStore
        var lock: WriterLock?
        if let address = options.store {
            store = try openPostgresWriter(address, kek: kek, logger: logger)
        } else {
            lock = try WriterLock(directory: options.dataDirectory)
            let sqlite = try SQLiteEventStore(path: options.eventLogPath, kek: kek)
            store = sqlite
            // People recorded before citizens could be searched by name get their folded name, once per file.
            let found = try sqlite.backfillSearchNames(fromRecordsOf: SealedPersonalData.carriedBy) { record, keys in
                guard let sealed = try SealedPersonalData.carried(by: record), let key = keys[sealed.personId],
                      let citizen = PersonalDataVault.open(sealed, key: key) else { return nil }
                return (sealed.personId, PersonalDataVault.searchName(citizen))
            }
            if found > 0 { logger.notice("citizens recorded before search can now be found by name", metadata: ["people": "\(found)"]) }
        }
        defer {
            // The loop threads may still hold the store for a moment: close it now, so the WAL is checkpointed before exit.
            if let sqlite = store as? SQLiteEventStore {
                do { try sqlite.close() } catch { logger.error("event log not closed cleanly", metadata: ["error": "\(error)"]) }
            }
            lock?.release()
        }
        let processor = try CommandProcessor(store: store, deadlineContext: contexts, logger: logger)
        let keyFiles = CurveKeyFiles(dataDirectory: options.dataDirectory)
        let (access, admission) = try keyFiles.access(for: "petition-gateway")
        try foundRegistryIfNew(processor, keyFiles: keyFiles, logger: logger)
        let registryStream = StreamName(category: Registry.category, id: Registry.streamId)
        admission.admit(try processor.registry(), version: try processor.version(of: registryStream))
        var signing: CheckpointSigning?
        if checkpoints.isEnabled {
            let key: Curve25519.Signing.PrivateKey
            do { key = try CheckpointKeyFiles(dataDirectory: options.dataDirectory).loadOrCreate() } catch { throw CLIError("checkpoint signing key: \(error)", exitCode: 2) }
            // Only the last checkpoint record matters: the schedule counts records and time from it.
            let last = try store.lastRecord(of: LogCheckpoint.stream)
            let schedule = CheckpointSchedule(everyRecords: checkpoints.checkpointEveryRecords, everySeconds: checkpoints.checkpointEverySeconds,
                                              lastCheckpointRecord: last?.position ?? 0,
                                              secondsAgo: last.map { Date().timeIntervalSince($0.recordedAt) } ?? 0,
                                              nowNanos: DispatchTime.now().uptimeNanoseconds)
            signing = CheckpointSigning(key: key, schedule: schedule)
        }
        let context = try ZMQContext()
        // Our ZAP handler answers for every socket of the context: it must run before any of them binds.
        let zap = try ZAPHandler(context: context) { admission.decide($0) }
        defer { withExtendedLifetime(zap) {} }
        let endpoints = try options.endpoints.with(access).checkedForBinding()
        let gateway = GatewayLoop(context: context, endpoints: endpoints, processor: processor, logger: logger,
                                  checkpoints: signing, admission: admission)
        let history = HistoryLoop(context: context, endpoints: endpoints, store: store, logger: logger, admission: admission, deadlineContext: contexts)
        try await run(LoopService(context: context, loops: [
            ("gateway", { try gateway.run() }),
            ("history", { try history.run() }),
        ]), context: context, options: options, logger: logger)
    }

    /// The PostgreSQL log, once this gateway holds the writer's lease: a standby waits here, before it binds any
    /// socket, until the writer before it is gone. A writer that loses its session stops at once (exit code 75),
    /// so that its supervisor starts it again as the standby, and the standby takes over.
    static func openPostgresWriter(_ address: String, kek: KeyEncryptionKey, logger: Logger) throws -> PostgresEventStore {
        let store: PostgresEventStore
        let started = Date()
        do {
            store = try PostgresEventStore(address: address, kek: kek)
            try store.acquireWriterLease {
                logger.notice("standby: another gateway holds the writer's lease on the log; waiting to take over", metadata: ["store": "\(store.location)"])
            }
        } catch {
            throw CLIError(error.debugDescription, exitCode: 2) // the store's own words: what it could not do, and why
        }
        store.onWriterLost = { detail in
            logger.critical("the writer's session to the log was lost; stopping so that a standby takes over", metadata: ["error": "\(detail)"])
            exit(75)
        }
        let head = try store.headPosition()
        logger.notice("this gateway is the log's writer", metadata: [
            "store": "\(store.location)", "waited.seconds": "\(Int(Date().timeIntervalSince(started)))", "log.head": "\(head)",
        ])
        return store
    }

    /// Runs the projector until SIGTERM/SIGINT.
    public static func runProjector(_ options: ProcessOptions, logger: Logger) async throws {
        try options.prepareDataDirectory()
        let model = try OutstandingReadModel(path: options.projectionPath)
        let (access, admission) = try CurveKeyFiles(dataDirectory: options.dataDirectory).access(for: "petition-projector")
        readRegistry(into: admission, options: options, logger: logger)
        let context = try ZMQContext()
        let zap = try ZAPHandler(context: context) { admission.decide($0) }
        defer { withExtendedLifetime(zap) {} }
        let projector = ProjectorLoop(context: context, endpoints: try options.endpoints.with(access).checkedForBinding(), model: model,
                                      logger: logger, admission: admission)
        try await run(LoopService(context: context, loops: [("projector", { try projector.run() })]),
                      context: context, options: options, logger: logger)
    }

    /// Runs the escalator until SIGTERM/SIGINT. `clock` gives now; tests pass a clock they can move.
    public static func runEscalator(_ options: ProcessOptions, clock: @escaping @Sendable () -> Date?, tickMs: Int, logger: Logger) async throws {
        try options.prepareDataDirectory()
        let units: UnitDirectory
        do { units = try options.config().units() } catch { throw CLIError("configuration: \(error)", exitCode: 1) }
        let access = try CurveKeyFiles(dataDirectory: options.dataDirectory).access(for: "petition-escalator").access
        let context = try ZMQContext()
        let escalator = EscalatorLoop(context: context, endpoints: options.endpoints.with(access), directory: units, clock: clock, tickMs: tickMs, logger: logger)
        try await run(LoopService(context: context, loops: [("escalator", { try escalator.run() })]),
                      context: context, options: options, logger: logger)
    }

    /// Runs the notifier until SIGTERM/SIGINT.
    public static func runNotifier(_ options: ProcessOptions, sinks: NotifierSinks, backoff: Backoff, logger: Logger) async throws {
        try options.prepareDataDirectory()
        let access = try CurveKeyFiles(dataDirectory: options.dataDirectory).access(for: "petition-notifier").access
        let units: UnitDirectory
        do { units = try options.config().units() } catch { throw CLIError("configuration: \(error)", exitCode: 1) }
        let context = try ZMQContext()
        let notifier = NotifierLoop(context: context, endpoints: options.endpoints.with(access), sinks: sinks, directory: units, backoff: backoff, logger: logger)
        try await run(LoopService(context: context, loops: [("notifier", { try notifier.run() })]),
                      context: context, options: options, logger: logger)
    }

    /// The key-encryption key of the data folder's log (``KeyEncryptionKey``): `PETITION_KEK`, else
    /// `keys/personal-data.key`, made now (mode 0600) for a log that has never had one. A log whose keys are wrapped
    /// while no key is found is refused: a new key would open no one, and their data would be lost.
    static func personalDataKey(_ options: ProcessOptions, logger: Logger) throws -> KeyEncryptionKey {
        if let kek = try KeyEncryptionKey.load(forLogAt: options.eventLogPath) { return kek }
        let file = KeyEncryptionKey.path(forLogAt: options.eventLogPath)
        // (In PostgreSQL, a writer also checks, once it holds the lease, that its key opens the log's keys: a standby on
        // another host that made a key of its own is stopped there.)
        let wrapped = try options.store.map { try PostgresEventStore.holdsWrappedKeys(at: $0) } ?? SQLiteEventStore.holdsWrappedKeys(at: options.eventLogPath)
        guard !wrapped else {
            throw CLIError("the log's personal-data keys are wrapped, but \(file) is missing and PETITION_KEK is not set: restore the key file (or set PETITION_KEK); without it no citizen's data can be opened", exitCode: 2)
        }
        let (kek, bytes) = KeyEncryptionKey.generate()
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        try IdentityFiles.writeAtomically(Data((bytes.base64EncodedString() + "\n").utf8), to: file, mode: 0o600)
        logger.notice("made the key-encryption key of citizens' keys; keep a copy apart from the log's backups", metadata: ["file": "\(file)"])
        return kek
    }

    /// The name the first administrator is given.
    public static let administratorName = "Quản trị viên"

    /// On a data folder whose log has no registry yet: makes the first administrator's key pair, writes their
    /// identity file (0600) and founds the registry with their public key (`registry.founded.v1`).
    static func foundRegistryIfNew(_ processor: CommandProcessor, keyFiles: CurveKeyFiles, logger: Logger) throws {
        let stream = StreamName(category: Registry.category, id: Registry.streamId)
        guard try processor.version(of: stream) == 0 else { return }
        let keys = try CurveKeyPair.generate()
        try FileManager.default.createDirectory(atPath: keyFiles.identitiesFolder, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        try IdentityFiles.write(IdentityFile(officialId: RegistryFounded.firstOfficialId, name: administratorName, keys: keys),
                                to: keyFiles.administratorPath)
        let record = try processor.foundRegistry(administratorName: administratorName, publicKey: keys.publicKey)
        logger.notice("registry founded: the first administrator's identity is in the data folder",
                      metadata: ["identity": "\(keyFiles.administratorPath)", "official": "\(RegistryFounded.firstOfficialId)", "log.position": "\(record.position)"])
    }

    /// The registry as the log in the data folder holds it now (nothing when the gateway has not made the log yet);
    /// the projector follows it from the events it applies.
    static func readRegistry(into admission: KeyAdmission, options: ProcessOptions, logger: Logger) {
        // The gateway may be creating the log this very moment (`up` starts both together): try for a while.
        for attempt in 1...30 {
            guard options.store != nil || FileManager.default.fileExists(atPath: options.eventLogPath) else { return }
            do { return try readRegistryOnce(into: admission, options: options) } catch {
                if attempt == 30 {
                    logger.warning("the registry could not be read from the log; officials' keys are admitted as their events are applied",
                                   metadata: ["error": "\(error)"])
                }
                usleep(100_000)
            }
        }
    }

    private static func readRegistryOnce(into admission: KeyAdmission, options: ProcessOptions) throws {
        let (state, version) = try registry(inLogAt: options.eventLogLocation)
        admission.admit(state, version: version)
    }

    /// The registry as the log at `location` (a file or a `postgresql://` address) holds it, and the version of its stream.
    public static func registry(inLogAt location: String) throws -> (RegistryState, Int64) {
        try RegistryState.read(from: try EventLogLocation.reader(location).connect())
    }

    private static func run(_ loops: LoopService, context: ZMQContext, options: ProcessOptions, logger: Logger) async throws {
        var services = [ServiceGroupConfiguration.ServiceConfiguration(service: loops, successTerminationBehavior: .gracefullyShutdownGroup)]
        // Bootstrapped before the loops run, which make every count they keep (a count made earlier is not kept).
        if let metrics = options.metrics.map({ ProcessMetrics.bootstrap(host: $0.host, port: $0.port) }) {
            services.append(.init(service: metrics.service(process: logger.label, logger: logger), successTerminationBehavior: .gracefullyShutdownGroup,
                                  failureTerminationBehavior: .gracefullyShutdownGroup))
        }
        if let parent = options.parentPid {
            services.append(.init(service: ParentWatchService(parent: parent), successTerminationBehavior: .gracefullyShutdownGroup))
        }
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        defer { context.terminate() }
        try await group.run()
    }
}
