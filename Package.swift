// swift-tools-version: 6.1
// Fjord: a service-mesh policy compiler, verifier and table-driven proxy.
// Module layering follows ../shared/DESIGN.md; departures are recorded in docs/architecture.md.
import PackageDescription

let package = Package(
    name: "Fjord",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "fjord", targets: ["fjord"]),
        .library(name: "FjordCompiler", targets: ["FjordCompiler"]),
        .library(name: "FjordTable", targets: ["FjordTable"]),
        .library(name: "FjordModel", targets: ["FjordModel"]),
        .library(name: "FjordDecision", targets: ["FjordDecision"]),
        .library(name: "FjordYAML", targets: ["FjordYAML"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .target(name: "FjordSource"),
        .target(name: "FjordTable"),
        .target(name: "FjordRegex"),
        .target(name: "FjordDiagnostics", dependencies: ["FjordSource"]),
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
                "FjordSource", "FjordDiagnostics", "FjordYAML", "FjordModel", "FjordFrontend",
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
        .target(
            name: "_FjordTestSupport",
            dependencies: ["FjordSource", "FjordDiagnostics", "FjordYAML", "FjordModel", "FjordFrontend", "FjordCompiler", "FjordTable"],
            path: "Tests/_FjordTestSupport"
        ),
        .testTarget(name: "FjordSourceTests", dependencies: ["FjordSource"]),
        .testTarget(name: "FjordRegexTests", dependencies: ["FjordRegex"]),
        .testTarget(name: "FjordTableTests", dependencies: ["FjordTable"]),
        .testTarget(name: "FjordDiagnosticsTests", dependencies: ["FjordDiagnostics", "FjordSource", "_FjordTestSupport"]),
        .testTarget(name: "FjordYAMLTests", dependencies: ["FjordYAML", "FjordSource", "FjordDiagnostics", "_FjordTestSupport"]),
        .testTarget(name: "FjordModelTests", dependencies: ["FjordModel", "_FjordTestSupport"]),
        .testTarget(name: "FjordFrontendTests", dependencies: ["FjordFrontend", "FjordModel", "FjordYAML", "FjordDiagnostics", "_FjordTestSupport"]),
        .testTarget(name: "FjordChecksTests", dependencies: ["FjordChecks", "FjordCompiler", "FjordDiagnostics", "_FjordTestSupport"]),
        .testTarget(name: "FjordCLITests", dependencies: ["FjordCompiler", "FjordDecision", "FjordModel", "FjordDiagnostics", "_FjordTestSupport"]),
        .testTarget(
            name: "FjordDecisionTests",
            dependencies: ["FjordDecision", "FjordModel", "FjordTable", "FjordRegex", "FjordCompiler", "_FjordTestSupport"]
        ),
    ]
)
