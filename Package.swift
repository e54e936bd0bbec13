// swift-tools-version: 6.1
// Fjord: a service-mesh policy compiler, verifier and table-driven proxy.
// Module layering follows ../shared/DESIGN.md; departures are recorded in docs/architecture.md.
import PackageDescription

let package = Package(
    name: "Fjord",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "fjord", targets: ["fjord"]),
        .executable(name: "fjord-proxy", targets: ["fjord-proxy"]),
        .library(name: "FjordCompiler", targets: ["FjordCompiler"]),
        .library(name: "FjordTable", targets: ["FjordTable"]),
        .library(name: "FjordModel", targets: ["FjordModel"]),
        .library(name: "FjordDecision", targets: ["FjordDecision"]),
        .library(name: "FjordYAML", targets: ["FjordYAML"]),
        // The fuzz targets' entry points, for Fuzz/ (built only by `make fuzz`; docs/fuzzing.md).
        .library(name: "FjordFuzzEntries", targets: ["FjordFuzzEntries"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
    ],
    targets: [
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        // Leaf helpers both sides use (standard library only): JSON string literals, SplitMix64.
        .target(name: "FjordBasics"),
        .target(name: "FjordSource"),
        .target(name: "FjordTable", dependencies: ["FjordBasics"]),
        .target(name: "FjordRegex"),
        .target(name: "FjordDiagnostics", dependencies: ["FjordBasics", "FjordSource"]),
        .target(name: "FjordYAML", dependencies: ["CYAML", "FjordSource", "FjordDiagnostics"]),
        .target(name: "FjordModel", dependencies: ["FjordSource", "FjordTable", "FjordRegex"]),
        .target(
            name: "FjordFrontend",
            dependencies: ["FjordSource", "FjordDiagnostics", "FjordYAML", "FjordModel"]
        ),
        .target(
            name: "FjordDecision",
            dependencies: ["FjordSource", "FjordModel", "FjordTable", "FjordRegex"]
        ),
        .target(
            name: "FjordChecks",
            dependencies: ["FjordSource", "FjordDiagnostics", "FjordModel", "FjordDecision", "FjordRegex"]
        ),
        .target(
            name: "FjordCompiler",
            dependencies: [
                "FjordBasics", "FjordSource", "FjordDiagnostics", "FjordYAML", "FjordModel", "FjordFrontend",
                "FjordChecks", "FjordDecision", "FjordTable", "FjordRegex",
            ]
        ),
        .executableTarget(
            name: "fjord",
            dependencies: [
                "FjordCompiler", "FjordDiagnostics",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The runtime side: never a compiler module (DESIGN.md, "Modules and the layering rule").
        // FjordHTTP1: the proxy's HTTP/1.1 parser, on NIOCore's ByteBuffer and the standard library.
        .target(
            name: "FjordHTTP1",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),
        .target(
            name: "FjordProxy",
            dependencies: [
                "FjordBasics", "FjordTable", "FjordHTTP1",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            // Handlers are confined to their event loop: dynamic exclusivity checks on their
            // properties cost about 2 % of the request path (perf, docs/performance.md).
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),
        .target(
            name: "FjordProxyServer",
            dependencies: [
                "FjordBasics", "FjordProxy", "FjordTable",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "fjord-proxy",
            dependencies: [
                "FjordProxyServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Test support without the compiler (markers, paths, processes, generated sources), for the
        // low-level test targets; `_FjordTestSupport` adds meshes and pipelines and re-exports it.
        .target(
            name: "_FjordTestSupportCore",
            dependencies: ["FjordSource", "FjordDiagnostics", "FjordYAML"],
            path: "Tests/_FjordTestSupportCore"
        ),
        // What every fuzz target runs, shared by Fuzz/ and the corpus replay test. It imports
        // both sides of the layering rule, as only tests and Fuzz/ do.
        .target(
            name: "FjordFuzzEntries",
            dependencies: [
                "FjordCompiler", "FjordDiagnostics", "FjordYAML", "FjordRegex", "FjordTable", "FjordProxy",
                "FjordProxyServer",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "_FjordTestSupport",
            dependencies: [
                "_FjordTestSupportCore", "FjordSource", "FjordDiagnostics", "FjordModel", "FjordCompiler",
            ],
            path: "Tests/_FjordTestSupport"
        ),
        .testTarget(name: "FjordBasicsTests", dependencies: ["FjordBasics"]),
        // Reads Package.swift and every module's imports (no module dependencies).
        .testTarget(name: "FjordLayeringTests"),
        .testTarget(name: "FjordSourceTests", dependencies: ["FjordSource"]),
        .testTarget(name: "FjordRegexTests", dependencies: ["FjordRegex", "FjordBasics"]),
        .testTarget(name: "FjordTableTests", dependencies: ["FjordTable", "FjordBasics"]),
        .testTarget(
            name: "FjordDiagnosticsTests", dependencies: ["FjordDiagnostics", "FjordSource", "_FjordTestSupportCore"]),
        .testTarget(
            name: "FjordYAMLTests",
            dependencies: ["FjordYAML", "FjordSource", "FjordDiagnostics", "FjordBasics", "_FjordTestSupportCore"]),
        .testTarget(name: "FjordModelTests", dependencies: ["FjordModel", "_FjordTestSupport"]),
        .testTarget(
            name: "FjordFrontendTests",
            dependencies: ["FjordFrontend", "FjordModel", "FjordYAML", "FjordDiagnostics", "_FjordTestSupport"]),
        .testTarget(
            name: "FjordChecksTests",
            dependencies: ["FjordChecks", "FjordCompiler", "FjordDiagnostics", "_FjordTestSupport"]),
        .testTarget(
            name: "FjordCLITests",
            dependencies: [
                "FjordCompiler", "FjordDecision", "FjordModel", "FjordDiagnostics", "FjordYAML", "_FjordTestSupport",
            ]),
        .testTarget(
            name: "FjordDecisionTests",
            dependencies: [
                "FjordDecision", "FjordModel", "FjordTable", "FjordRegex", "FjordCompiler", "_FjordTestSupport",
            ]
        ),
        .testTarget(name: "FjordFuzzReplayTests", dependencies: ["FjordFuzzEntries", "_FjordTestSupport"]),
        // The parser's oracle (NIO's decoder) and message generator, shared by FjordHTTP1Tests and
        // the long differential run (`fjord-http1-differential N SEED`, docs/performance.md).
        .target(
            name: "_FjordHTTP1Oracle",
            dependencies: [
                "FjordHTTP1",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            path: "Tests/_FjordHTTP1Oracle"
        ),
        .executableTarget(
            name: "fjord-http1-differential",
            dependencies: ["_FjordHTTP1Oracle"],
            path: "Tests/_FjordHTTP1Differential"
        ),
        .testTarget(
            name: "FjordHTTP1Tests",
            dependencies: [
                "FjordHTTP1", "_FjordHTTP1Oracle",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "FjordProxyTests",
            dependencies: [
                "FjordProxy", "FjordProxyServer", "FjordTable", "FjordCompiler", "FjordDecision", "FjordModel",
                "FjordHTTP1",
                "_FjordTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
    ]
)
