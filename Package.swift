// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// `TAILOR_DEBUG_OPTIMIZE=1` compiles Engine and Recipes (training, scoring, import) with `-O` even in debug
/// builds: unoptimised, the MovieLens quick start takes minutes instead of seconds and the tests' training
/// outlasts their deadlines. `scripts/test` and the README's quick start set it. It is off by default so that
/// the manifest has no unsafe flags: SwiftPM refuses them in a dependency, and the Engine and EngineAPI
/// library products must stay usable by other packages (which build them with `-c release` for speed).
let optimizedInDebug: [SwiftSetting] =
    Context.environment["TAILOR_DEBUG_OPTIMIZE"] == "1" ? [.unsafeFlags(["-O"])] : []

let package = Package(
    name: "tailor",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tailor", targets: ["tailor"]),
        .library(name: "EngineAPI", targets: ["EngineAPI"]),
        .library(name: "Engine", targets: ["Engine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.25.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        // MARK: API and computation
        .target(
            /** Personalize operations as Codable types, the service protocol and its errors */
            name: "EngineAPI",
            swiftSettings: swiftSettings
        ),
        .target(
            /** Personalize's rules, written once for the engine and the planner: recipes and use cases, resource
             statuses, schemas and dataset rules, the filter grammar, schedules; no I/O */
            name: "PersonalizeRules",
            dependencies: ["EngineAPI"],
            swiftSettings: swiftSettings
        ),
        .target(
            /** Pure training, scoring and offline metrics; no I/O */
            name: "Recipes",
            swiftSettings: swiftSettings + optimizedInDebug
        ),
        // MARK: Engine
        .target(
            /** The embedded engine, LocalEngine: ControlPlane/ (resource operations), Serving/ (GetRecommendations...),
             Events/ (PutEvents...), Jobs/ (JobRunner and each job's run), Training/, Import/, Storage/ (SQLite) */
            name: "Engine",
            dependencies: [
                "EngineAPI", "PersonalizeRules", "Recipes", "ObjectStore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings + optimizedInDebug
        ),
        // MARK: Wire protocol
        .target(
            /** AWS Signature Version 4: canonical requests, signing and verification */
            name: "SigV4",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .target(
            /** S3's REST protocol over AsyncHTTPClient, signed with SigV4: the objects jobs read and write */
            name: "ObjectStore",
            dependencies: [
                "SigV4",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            /** Personalize's wire protocols (AWS JSON 1.1 and REST-JSON) over the engine, with SigV4 */
            name: "EngineServer",
            dependencies: [
                "Engine", "EngineAPI", "SigV4",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            /** `RemoteEngine`: a PersonalizeService over HTTP with SigV4 signing and retries */
            name: "EngineClient",
            dependencies: [
                "EngineAPI", "SigV4",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // MARK: Planner
        .target(
            /** Manifests, state, diff, plan and apply over any PersonalizeService */
            name: "Planner",
            dependencies: [
                "EngineAPI", "PersonalizeRules", "ObjectStore", "SigV4",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        // MARK: Command line
        .target(
            /** The `tailor` commands, as a library */
            name: "TailorCLI",
            dependencies: [
                "Planner", "Engine", "EngineAPI", "EngineServer", "EngineClient", "ObjectStore", "PersonalizeRules",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            /** The `tailor` executable */
            name: "tailor",
            dependencies: ["TailorCLI", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings
        ),
        // MARK: Benchmarks
        .executableTarget(
            /** Quality and speed of the recipes on MovieLens and synthetic data */
            name: "RecipesBenchmark",
            dependencies: ["Recipes"],
            path: "Benchmarks/RecipesBenchmark",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            /** Bulk import and serving speed of the embedded engine */
            name: "EngineBenchmark",
            dependencies: ["Engine", "EngineAPI", "ObjectStore", .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/EngineBenchmark",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            /** The reference of Benchmarks/serve-benchmark: a bare Hummingbird route with a fixed body */
            name: "BareServer",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")],
            path: "Benchmarks/BareServer",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            /** Fuzzing (HTTP, CSV, filters, schemas, manifests, state files) and the kill -9 soak of tailor serve */
            name: "RobustnessBenchmark",
            dependencies: [
                "Engine", "EngineAPI", "PersonalizeRules", "Planner", "SigV4", "TailorTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/RobustnessBenchmark",
            swiftSettings: swiftSettings
        ),
        // MARK: Tests
        .target(
            /** Helpers shared by the test targets */
            name: "TailorTestSupport",
            dependencies: ["Engine", "EngineAPI", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "RecipesTests", dependencies: ["Recipes", "TailorTestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "EngineTests",
            dependencies: [
                "Engine", "EngineAPI", "ObjectStore", "PersonalizeRules", "Recipes", "TailorTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PlannerTests",
            dependencies: [
                "Planner", "EngineAPI", "Engine", "PersonalizeRules", "TailorTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EngineServerTests",
            dependencies: [
                "EngineServer", "Engine", "EngineAPI", "EngineClient", "SigV4", "TailorTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ObjectStoreTests",
            dependencies: [
                "ObjectStore", "SigV4", "TailorTestSupport", .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EngineClientTests",
            dependencies: [
                "EngineClient", "EngineAPI", "Engine", "ObjectStore", "SigV4", "TailorTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TailorEndToEndTests",
            dependencies: [
                "TailorTestSupport", "Engine", "EngineAPI",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            exclude: ["Golden"],  // read by path (CLIOutputGoldenTests), rewritten with TAILOR_UPDATE_GOLDEN=1
            swiftSettings: swiftSettings
        ),
    ]
)
