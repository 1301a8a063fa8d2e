// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "petition-followup",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "petition-gateway", targets: ["petition-gateway"]),
        .executable(name: "petition-projector", targets: ["petition-projector"]),
        .executable(name: "petitionctl", targets: ["petitionctl"]),
        .executable(name: "petition-bench", targets: ["petition-bench"]),
        .executable(name: "petition-escalator", targets: ["petition-escalator"]),
        .executable(name: "petition-notifier", targets: ["petition-notifier"]),
        .executable(name: "petition-api", targets: ["petition-api"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // Pure: the log's vocabulary, deciders, hash chain.
        .target(name: "EventSourcing", dependencies: [
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Pure: sessions and petitions.
        .target(name: "PetitionDomain", dependencies: ["EventSourcing"]),
        .target(name: "EventStoreSQLite", dependencies: [
            "EventSourcing",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ]),
        // The province's store: the same log in PostgreSQL (postgres-nio), backed up into the SQLite file format.
        .target(name: "EventStorePostgres", dependencies: [
            "EventSourcing", "EventStoreSQLite",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOFoundationCompat", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .systemLibrary(name: "CZeroMQ", pkgConfig: "libzmq", providers: [.apt(["libzmq3-dev"])]),
        .target(name: "ZeroMQ", dependencies: ["CZeroMQ"]),
        .target(name: "Messaging", dependencies: [
            "EventSourcing", "PetitionDomain", "ZeroMQ",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
        ]),
        .target(name: "Projections", dependencies: [
            "EventSourcing", "PetitionDomain", "Messaging", "EventStoreSQLite",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The deadline and alert workers: escalation schedule, unit configuration.
        .target(name: "Workers", dependencies: [
            "EventSourcing", "PetitionDomain", "Messaging", "ZeroMQ", "Delivery",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
        ]),
        .target(name: "Runtime", dependencies: [
            "EventSourcing", "PetitionDomain", "EventStoreSQLite", "EventStorePostgres", "Messaging", "Projections", "ZeroMQ", "Workers", "Delivery",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            // Each process's own /metrics (--metrics-port).
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        // SHA-256 of eight messages at once on 256-bit vectors: compiled for AVX2 (Haswell and later), so
        // called only after a check of the CPU (Audit's RecordLanes); `audit verify` hashes one record at a
        // time without it.
        .target(name: "SHA256x8", swiftSettings: [.unsafeFlags(["-target-cpu", "haswell"])]),
        // Inspectors' tools on the store file: verify the chain, rebuild views as of any moment, reports, export.
        .target(name: "Audit", dependencies: [
            "SHA256x8", "EventSourcing", "PetitionDomain", "EventStoreSQLite", "EventStorePostgres", "Messaging", "Projections",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
            // The report's .xlsx workbook is a ZIP of SpreadsheetML parts.
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        // Alerts and the sinks that deliver them (webhook, SMTP, file), on POSIX sockets.
        .target(name: "Delivery"),
        // The HTTP API's credentials: logins with bcrypt hashes, sessions, failed-login locks.
        .target(name: "Accounts", dependencies: [
            "EventSourcing",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
        ]),
        // The HTTP door on Hummingbird: REST under /api/v1, acting through the gateway and projector over ZeroMQ.
        .target(name: "HTTPAPI", dependencies: [
            "Accounts", "Audit", "EventSourcing", "PetitionDomain", "Projections", "Messaging", "Runtime", "Workers", "ZeroMQ",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            // The officials' web pages: server-rendered Mustache templates, their CSS and script shipped as resources.
            .product(name: "Mustache", package: "swift-mustache"),
        ], resources: [.copy("Web/Templates"), .copy("Web/Assets")]),
        .executableTarget(name: "petition-api", dependencies: [
            "HTTPAPI", "Runtime", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "petition-gateway", dependencies: [
            "Runtime", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "petition-projector", dependencies: [
            "Runtime", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "petition-escalator", dependencies: [
            "Runtime", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "petition-notifier", dependencies: [
            "Runtime", "Workers", "Delivery", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "petitionctl", dependencies: [
            "Runtime", "Audit", "Accounts", "Workers", "Projections", "ZeroMQ", "EventStorePostgres", "EventStoreSQLite",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .executableTarget(name: "petition-bench", dependencies: [
            "Runtime", "Workers", "Audit", "Projections", "Accounts", "EventStorePostgres", "EventStoreSQLite", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "TestSupport", dependencies: ["EventSourcing", "PetitionDomain", "Messaging", "Runtime", "EventStoreSQLite",
                                            .product(name: "GRDB", package: "GRDB.swift")], path: "Tests/TestSupport"),
        .testTarget(name: "EventSourcingTests", dependencies: [
            "EventSourcing", "EventStoreSQLite", "EventStorePostgres", "TestSupport", .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "PetitionDomainTests", dependencies: ["PetitionDomain", "TestSupport"]),
        .testTarget(name: "ZeroMQTests", dependencies: ["ZeroMQ"]),
        .testTarget(name: "WorkersTests", dependencies: ["Workers", "PetitionDomain", "EventSourcing"]),
        .testTarget(name: "ProjectionsTests", dependencies: ["Projections", "Messaging", "EventStoreSQLite", "PetitionDomain", "EventSourcing"]),
        .testTarget(name: "MessagingTests", dependencies: ["Messaging", "EventStoreSQLite", "TestSupport"]),
        .testTarget(name: "DeliveryTests", dependencies: ["Delivery", "TestSupport"]),
        .testTarget(name: "SystemTests", dependencies: [
            "TestSupport", "Messaging", "EventStoreSQLite", "EventSourcing", "ZeroMQ",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Browser/: the selenium scripts the web app tests run in headless Chromium.
        .testTarget(name: "APITests", dependencies: ["TestSupport", "Messaging", "PetitionDomain", "Runtime"], exclude: ["Browser"]),
        .testTarget(name: "AuditTests", dependencies: [
            "Audit", "SHA256x8", "EventStoreSQLite", "Projections", "PetitionDomain", "EventSourcing", "TestSupport",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
    ]
)
