// Compiling a generated mesh into a table image (issue targets: compile time for 2,000 services
// under 3 s; image size for 200 vs 2,000 services within 12x).
//
// Setup (outside every measurement) writes the mesh of `fjord generate --services N --seed 1`
// to a temporary directory. `compile N services` runs `fjord compile` in-process
// (`Driver.compile`: load, every check, the decision compiler and the image writer), as the
// command does; `compile stage N services` runs only `MeshCompiler.compile()` and
// `TableImage.write` over a mesh loaded in setup. Image sizes are recorded as metrics; the
// 2,000-service benchmark also compiles the 200-service mesh in its setup and records the ratio.

import BenchSupport
import Benchmark
import FjordCompiler
import FjordDecision
import FjordModel
import FjordTable

let seed: UInt64 = 1

let imageBytesMetric = BenchmarkMetric.custom("image bytes", polarity: .prefersSmaller, useScalingFactor: false)
let smallImageBytesMetric = BenchmarkMetric.custom(
    "image bytes at 200 services", polarity: .prefersSmaller, useScalingFactor: false)
let imageRatioMetric = BenchmarkMetric.custom("image 2000/200 x100", polarity: .prefersSmaller, useScalingFactor: false)
let compileStageMetric = BenchmarkMetric.custom(
    "stage compile (us)", polarity: .prefersSmaller, useScalingFactor: false)

struct CompileState {
    let dir: String
    /// The image size at 200 services (only for the 2,000-service benchmark).
    let smallImageBytes: Int?
}

func fullCompile(_ dir: String) -> CompileResult {
    var driver = Driver()
    return driver.compile(paths: [dir])
}

let benchmarks: @Sendable () -> Void = {
    let units: [BenchmarkMetric: BenchmarkUnits] = [
        imageBytesMetric: .count, smallImageBytesMetric: .count, imageRatioMetric: .count,
        compileStageMetric: .count,
    ]
    for services in [200, 2_000] {
        let big = services == 2_000
        let custom = [imageBytesMetric, compileStageMetric] + (big ? [smallImageBytesMetric, imageRatioMetric] : [])
        Benchmark(
            "compile \(services) services",
            configuration: .init(
                metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident] + custom,
                timeUnits: .milliseconds, units: units, warmupIterations: 1, maxDuration: .seconds(big ? 20 : 5),
                maxIterations: big ? 8 : 30),
        ) { (benchmark: Benchmark, state: CompileState) in
            // Every `fjord compile` process starts with empty caches (see Check.swift).
            DecisionCompilerCaches.removeAll()
            benchmark.startMeasurement()
            let result = fullCompile(state.dir)
            benchmark.stopMeasurement()
            guard result.diagnostics.allSatisfy({ $0.severity != .error }), !result.loaded.inputFailed else {
                fatalError("the generated mesh should compile: \(result.diagnostics.prefix(3))")
            }
            let stage = result.timings.filter { $0.name == "compile" }.reduce(0) { $0 + $1.seconds }
            benchmark.measurement(compileStageMetric, Int((stage * 1e6).rounded()))
            benchmark.measurement(imageBytesMetric, result.image.count)
            if let small = state.smallImageBytes {
                benchmark.measurement(smallImageBytesMetric, small)
                benchmark.measurement(
                    imageRatioMetric, Int((Double(result.image.count) / Double(small) * 100).rounded()))
            }
        } setup: {
            let (dir, _) = try BenchSupport.generateMesh(services: services, seed: seed)
            var small: Int?
            if big {
                let (smallDir, _) = try BenchSupport.generateMesh(services: 200, seed: seed)
                small = fullCompile(smallDir).image.count
                BenchSupport.removeDirectory(smallDir)
            }
            return CompileState(dir: dir, smallImageBytes: small)
        } teardown: {
            BenchSupport.removeTemporaryDirectories()
        }

        // The decision compiler and image writer alone, over a mesh loaded in setup.
        Benchmark(
            "compile stage \(services) services",
            configuration: .init(
                metrics: [.wallClock, .cpuTotal, .mallocCountTotal, imageBytesMetric],
                timeUnits: .milliseconds, units: units, warmupIterations: 1, maxDuration: .seconds(big ? 10 : 5),
                maxIterations: big ? 10 : 30),
        ) { (benchmark: Benchmark, mesh: Mesh) in
            DecisionCompilerCaches.removeAll()
            benchmark.startMeasurement()
            var compiler = MeshCompiler(mesh: mesh)
            let image = TableImage.write(compiler.compile())
            benchmark.stopMeasurement()
            benchmark.measurement(imageBytesMetric, image.count)
        } setup: {
            let (dir, _) = try BenchSupport.generateMesh(services: services, seed: seed)
            defer { BenchSupport.removeDirectory(dir) }
            var driver = Driver()
            return driver.load(paths: [dir], emit: { _ in }).mesh
        }
    }
}
