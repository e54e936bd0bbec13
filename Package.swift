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
        .target(
            name: "FjordProxy",
            dependencies: [
                "FjordBasics", "FjordTable",
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
        .testTarget(
            name: "FjordProxyTests",
            dependencies: [
                "FjordProxy", "FjordProxyServer", "FjordTable", "FjordCompiler", "FjordDecision", "FjordModel",
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
