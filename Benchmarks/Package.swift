// swift-tools-version: 6.1
// Fjord's benchmarks (ordo-one/benchmark), kept out of the main package so that `swift build`,
// `make test` and CI never resolve or build the benchmark framework. Run them with `make bench`
// from the repository root, or `swift package benchmark --no-progress` here. See
// docs/performance.md for the figures and the commands that reproduce each.
import PackageDescription

let benchmarkDependencies: [Target.Dependency] = [
    "BenchSupport",
    .product(name: "Benchmark", package: "benchmark"),
    .product(name: "FjordCompiler", package: "Fjord"),
    .product(name: "FjordDecision", package: "Fjord"),
    .product(name: "FjordModel", package: "Fjord"),
    .product(name: "FjordTable", package: "Fjord"),
    .product(name: "FjordYAML", package: "Fjord"),
]

let package = Package(
    name: "FjordBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        // The MallocInterposer trait counts allocations through an LD_PRELOADed interposer:
        // no jemalloc (libjemalloc-dev) is needed.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        // Already in the graph through the trait; named here so that Lookup can read the exact
        // allocation count of 1,000 lookups (the framework's column shows it rounded per lookup).
        .package(url: "https://github.com/ordo-one/malloc-interposer", from: "1.5.0"),
        // The name keeps `package: "Fjord"` valid whatever the checkout directory is called.
        .package(name: "Fjord", path: ".."),
    ],
    targets: [
        // Shared helpers: temporary directories and the same-process baseline timer.
        .target(
            name: "BenchSupport",
            dependencies: [.product(name: "FjordCompiler", package: "Fjord")],
            path: "Support"
        ),
        // Table lookup next to the naive reference evaluator at 10 to 10,000 rules in one host.
        .executableTarget(
            name: "Lookup",
            dependencies: benchmarkDependencies + [
                .product(name: "MallocInterposerSwift", package: "malloc-interposer")
            ],
            path: "Lookup",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // Compiling a generated mesh into a table image; image size at 200 and 2,000 services.
        .executableTarget(
            name: "Compile",
            dependencies: benchmarkDependencies,
            path: "Compile",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // Check and compile of one VirtualService of 1,000 to 50,000 rules, and meshes of 2,000
        // and 20,000 services, each next to the smaller size (or a bare scan) in the same run.
        .executableTarget(
            name: "Scale",
            dependencies: benchmarkDependencies,
            path: "Scale",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // `fjord check` in-process next to a bare libyaml event scan of the same bytes.
        .executableTarget(
            name: "Check",
            dependencies: benchmarkDependencies,
            path: "Check",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // `fjord diff` of two 2,000-service meshes differing in 10 services, next to one check.
        .executableTarget(
            name: "Diff",
            dependencies: benchmarkDependencies,
            path: "Diff",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
