// `fjord check` next to a bare libyaml event scan of the same bytes (foundation issue: "check
// within 4x of the bare scan, and under 2 s" for a generated 2,000-service mesh).
//
// Setup (outside every measurement) writes the mesh of
// `fjord generate --services 2000 --seed 1` to a temporary directory and keeps each file's bytes.
// `check` runs the whole in-process pipeline (`Driver.check`: read, parse, decode, resolve, every
// check); `scan` runs `YAMLLoader.scanEvents` over each file's bytes (libyaml's parser, events
// counted and dropped: no tree, no strings, no model). The check benchmark times the scan right
// before every run, outside the measurement, and records `check/scan` for each iteration, with
// the driver's stage timings.

import BenchSupport
import Benchmark
import FjordCompiler
import FjordDecision
import FjordYAML

let services = 2_000
let seed: UInt64 = 1

struct CheckState {
    let dir: String
    let files: [[UInt8]]
}

/// Writes the mesh and reads each file's bytes back.
func makeMesh() throws -> (dir: String, files: [[UInt8]]) {
    let (dir, _) = try BenchSupport.generateMesh(services: services, seed: seed)
    let files = MeshGenerator(services: services, seed: seed).files().map { Array($0.text.utf8) }
    return (dir, files)
}

@inline(never)
func scanAll(_ files: [[UInt8]]) -> Int {
    var events = 0
    for f in files { events &+= YAMLLoader.scanEvents(f) }
    return events
}

let stages = ["read", "parse", "decode", "resolve", "check"]
let stageMetrics = stages.map {
    BenchmarkMetric.custom("stage \($0) (us)", polarity: .prefersSmaller, useScalingFactor: false)
}
let scanMetric = BenchmarkMetric.custom(
    "bare scan before the run (us)", polarity: .prefersSmaller, useScalingFactor: false)
let ratioMetric = BenchmarkMetric.custom("check/scan x100", polarity: .prefersSmaller, useScalingFactor: false)

let benchmarks: @Sendable () -> Void = {
    let custom = stageMetrics + [scanMetric, ratioMetric]
    var units: [BenchmarkMetric: BenchmarkUnits] = [:]
    for m in custom { units[m] = .count }

    // Cold: the decision compiler's process-wide caches are emptied before each run (outside the
    // measurement), as every `fjord check` process starts. Warm: they are kept, which shows what
    // the classifier cache saves a long-lived process (a watch mode, an admission webhook).
    for warm in [false, true] {
        Benchmark(
            "check \(services) services" + (warm ? " warm caches" : ""),
            configuration: .init(
                metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident] + custom,
                timeUnits: .milliseconds, units: units, warmupIterations: 1, maxDuration: .seconds(20),
                maxIterations: warm ? 5 : 10),
        ) { (benchmark: Benchmark, state: CheckState) in
            // The baseline, timed right before each run so that both see the same machine load
            // (the 2 vCPUs are shared): the ratio is taken per iteration.
            let clock = ContinuousClock()
            let scanStart = clock.now
            blackHole(scanAll(state.files))
            let scanSeconds = BenchSupport.seconds(clock.now - scanStart)
            if !warm { DecisionCompilerCaches.removeAll() }
            benchmark.startMeasurement()
            let start = clock.now
            var driver = Driver()
            let result = driver.check(paths: [state.dir])
            let elapsed = clock.now - start
            benchmark.stopMeasurement()
            guard !result.inputFailed, result.diagnostics.isEmpty else {
                fatalError("the generated mesh should check clean: \(result.diagnostics.prefix(3))")
            }
            for (name, metric) in zip(stages, stageMetrics) {
                let s = result.timings.filter { $0.name == name }.reduce(0) { $0 + $1.seconds }
                benchmark.measurement(metric, Int((s * 1e6).rounded()))
            }
            benchmark.measurement(scanMetric, Int((scanSeconds * 1e6).rounded()))
            benchmark.measurement(ratioMetric, Int((BenchSupport.seconds(elapsed) / scanSeconds * 100).rounded()))
            blackHole(result)
        } setup: {
            let (dir, files) = try makeMesh()
            blackHole(scanAll(files))  // warm up libyaml and the bytes
            return CheckState(dir: dir, files: files)
        } teardown: {
            BenchSupport.removeTemporaryDirectories()
        }
    }

    Benchmark(
        "scan \(services) services",
        configuration: .init(
            metrics: [.wallClock, .cpuTotal, .mallocCountTotal], timeUnits: .microseconds, warmupIterations: 2,
            maxDuration: .seconds(5), maxIterations: 100),
    ) { (benchmark: Benchmark, files: [[UInt8]]) in
        blackHole(scanAll(files))
    } setup: {
        MeshGenerator(services: services, seed: seed).files().map { Array($0.text.utf8) }
    }
}
