// How `fjord check` and `fjord compile` grow with the input (issue: "the verifier at scale").
//
// One VirtualService of N rules (N = 1,000, 10,000, 50,000), either all prefix rules that
// overlap (`/p1` is a prefix of `/p10`, so nine in ten rules are unreachable and each gets a
// witness) or a mix of disjoint prefixes, exact paths, exact headers and regexes; and generated
// meshes of 2,000 and 20,000 services (`fjord generate --services N --seed 1`; the 20,000-service
// mesh is about 53 MB of YAML). Setup writes the files; each iteration first runs the next smaller
// size (or, for meshes, a bare libyaml scan of the same bytes) outside the measurement, then the
// measured run, and records the ratio of the two, so that the growth is visible in one run
// whatever the machine's load. The decision compiler's caches are emptied before every run, as
// every `fjord` process starts with them empty.

import BenchSupport
import Benchmark
import FjordCompiler
import FjordDecision
import FjordYAML

enum Kind: String, CaseIterable {
    case prefix = "overlapping prefix"
    case mixed = "mixed"
}

/// One VirtualService of `n` rules of `kind`.
func virtualService(rules n: Int, kind: Kind) -> String {
    var out = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: big
          namespace: default
        spec:
          hosts:
          - big.default.svc.cluster.local
          http:

        """
    out.reserveCapacity(n * 140)
    for i in 1...n {
        out += "  - name: r\(i)\n    match:\n"
        switch (kind, i % 4) {
        case (.prefix, _): out += "    - uri:\n        prefix: /p\(i)\n"
        case (.mixed, 0): out += "    - uri:\n        prefix: /p\(i)/\n"
        case (.mixed, 1): out += "    - uri:\n        exact: /e\(i)\n"
        case (.mixed, 2): out += "    - headers:\n        x-user:\n          exact: u\(i)\n"
        default: out += "    - uri:\n        regex: /r\(i)/[a-z]+\n"
        }
        out += "    route:\n    - destination:\n        host: big.default.svc.cluster.local\n    timeout: 2s\n"
    }
    return out
}

/// A directory holding that VirtualService.
func writeVirtualService(rules n: Int, kind: Kind) throws -> String {
    let dir = try BenchSupport.temporaryDirectory("vs\(n)")
    try BenchSupport.write(virtualService(rules: n, kind: kind), to: dir, name: "vs.yaml")
    return dir
}

enum Command: String {
    case check, compile
}

/// Runs the command in-process with cold caches; returns its seconds.
@discardableResult
func run(_ command: Command, _ dir: String) -> Double {
    DecisionCompilerCaches.removeAll()
    let clock = ContinuousClock()
    let start = clock.now
    var driver = Driver()
    switch command {
    case .check:
        let r = driver.check(paths: [dir])
        precondition(!r.inputFailed, "the generated input should load")
        blackHole(r)
    case .compile:
        let r = driver.compile(paths: [dir])
        precondition(!r.loaded.inputFailed, "the generated input should load")
        blackHole(r)
    }
    return BenchSupport.seconds(clock.now - start)
}

@inline(never)
func scanAll(_ files: [[UInt8]]) -> Int {
    var events = 0
    for f in files { events &+= YAMLLoader.scanEvents(f) }
    return events
}

struct Input {
    let dir: String
    let baselineDir: String?
    let files: [[UInt8]]
}

let benchmarks: @Sendable () -> Void = {
    let ratio = BenchmarkMetric.custom(
        "ratio to the smaller size x100", polarity: .prefersSmaller, useScalingFactor: false)
    let baselineMetric = BenchmarkMetric.custom("smaller size (ms)", polarity: .prefersSmaller, useScalingFactor: false)
    var units: [BenchmarkMetric: BenchmarkUnits] = [:]
    for m in [ratio, baselineMetric] { units[m] = .count }
    func configuration(_ seconds: Int) -> Benchmark.Configuration {
        .init(
            metrics: [.wallClock, .cpuTotal, .peakMemoryResident, ratio, baselineMetric],
            timeUnits: .milliseconds, units: units, warmupIterations: 0, maxDuration: .seconds(seconds),
            maxIterations: 3)
    }
    let sizes = [1_000, 10_000, 50_000]
    let smaller = [1_000: 100, 10_000: 1_000, 50_000: 10_000]
    for command in [Command.check, .compile] {
        for kind in Kind.allCases {
            for n in sizes {
                Benchmark(
                    "\(command) \(n) \(kind.rawValue) rules", configuration: configuration(n >= 50_000 ? 120 : 30)
                ) { (benchmark: Benchmark, input: Input) in
                    var base = 0.0
                    if let b = input.baselineDir { base = run(command, b) }
                    benchmark.startMeasurement()
                    let seconds = run(command, input.dir)
                    benchmark.stopMeasurement()
                    benchmark.measurement(baselineMetric, Int((base * 1e3).rounded()))
                    if base > 0 { benchmark.measurement(ratio, Int((seconds / base * 100).rounded())) }
                } setup: {
                    Input(
                        dir: try writeVirtualService(rules: n, kind: kind),
                        baselineDir: try smaller[n].map { try writeVirtualService(rules: $0, kind: kind) }, files: [])
                } teardown: {
                    BenchSupport.removeTemporaryDirectories()
                }
            }
        }
    }
    // Meshes: the ratio is to a bare libyaml scan of the same bytes, timed right before the run.
    for services in [2_000, 20_000] {
        Benchmark(
            "check \(services) services", configuration: configuration(services >= 20_000 ? 120 : 30)
        ) { (benchmark: Benchmark, input: Input) in
            let clock = ContinuousClock()
            let scanStart = clock.now
            blackHole(scanAll(input.files))
            let scan = BenchSupport.seconds(clock.now - scanStart)
            benchmark.startMeasurement()
            let seconds = run(.check, input.dir)
            benchmark.stopMeasurement()
            benchmark.measurement(baselineMetric, Int((scan * 1e3).rounded()))
            benchmark.measurement(ratio, Int((seconds / scan * 100).rounded()))
        } setup: {
            let (dir, _) = try BenchSupport.generateMesh(services: services, seed: 1)
            let files = MeshGenerator(services: services, seed: 1).files().map { Array($0.text.utf8) }
            return Input(dir: dir, baselineDir: nil, files: files)
        } teardown: {
            BenchSupport.removeTemporaryDirectories()
        }
    }
}
