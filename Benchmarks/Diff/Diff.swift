// `fjord diff` of two generated 2,000-service meshes that differ in 10 services, next to one
// `fjord check` of NEW (issue 13: "under 2 s, and within 3x of one `fjord check` of NEW").
//
// Setup (outside every measurement) writes the mesh of `fjord generate --services 2000 --seed 1`
// twice: OLD as generated, NEW with a header rule (`x-canary: yes`, timeout 9 s) inserted at the
// top of the VirtualService of every 200th service. Each iteration first runs `Driver.check` on
// NEW (the baseline, timed right before the measured run, so that both see the same machine
// load), then measures `Driver.diff(old:new:)`: both checks, the findings diff and the route diff
// over every scope and host. The ratio diff/check is recorded per iteration.

import BenchSupport
import Benchmark
import FjordCompiler
import FjordDecision
import Foundation

let services = 2_000
let changed = 10
let seed: UInt64 = 1

struct DiffState {
    let old: String
    let new: String
}

/// OLD and NEW directories; NEW differs in `changed` services.
func makeMeshes() throws -> DiffState {
    let (old, _) = try BenchSupport.generateMesh(services: services, seed: seed)
    let (new, _) = try BenchSupport.generateMesh(services: services, seed: seed)
    let files = try FileManager.default.contentsOfDirectory(atPath: new).filter { $0.hasSuffix(".yaml") }.sorted()
    let serviceFiles = files.filter { $0 != "00-mesh.yaml" }
    let step = max(1, serviceFiles.count / changed)
    var edited = 0
    for (i, name) in serviceFiles.enumerated() where i % step == 0 && edited < changed {
        let path = (new as NSString).appendingPathComponent(name)
        var text = try String(contentsOfFile: path, encoding: .utf8)
        guard let hostLine = text.range(of: "\n  hosts:\n  - "),
            let end = text[hostLine.upperBound...].firstIndex(of: "\n")
        else { continue }
        let host = String(text[hostLine.upperBound..<end])
        let rule = """

              http:
              - name: canary-header
                match:
                - headers:
                    x-canary:
                      exact: "yes"
                route:
                - destination:
                    host: \(host)
                    subset: v1
                timeout: 9s

            """
        guard let http = text.range(of: "\n  http:\n") else { continue }
        text.replaceSubrange(http, with: rule)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        edited += 1
    }
    guard edited == changed else { fatalError("edited \(edited) services, wanted \(changed)") }
    return DiffState(old: old, new: new)
}

let checkMetric = BenchmarkMetric.custom(
    "check of NEW before the run (us)", polarity: .prefersSmaller, useScalingFactor: false)
let ratioMetric = BenchmarkMetric.custom("diff/check x100", polarity: .prefersSmaller, useScalingFactor: false)
let routeMetric = BenchmarkMetric.custom("route diff stage (us)", polarity: .prefersSmaller, useScalingFactor: false)

let benchmarks: @Sendable () -> Void = {
    let custom = [checkMetric, ratioMetric, routeMetric]
    var units: [BenchmarkMetric: BenchmarkUnits] = [:]
    for m in custom { units[m] = .count }
    Benchmark(
        "diff \(services) services, \(changed) changed",
        configuration: .init(
            metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident] + custom,
            timeUnits: .milliseconds, units: units, warmupIterations: 1, maxDuration: .seconds(30),
            maxIterations: 5),
    ) { (benchmark: Benchmark, state: DiffState) in
        let clock = ContinuousClock()
        DecisionCompilerCaches.removeAll()
        let checkStart = clock.now
        var checker = Driver()
        let checked = checker.check(paths: [state.new])
        let checkSeconds = BenchSupport.seconds(clock.now - checkStart)
        blackHole(checked)
        DecisionCompilerCaches.removeAll()
        benchmark.startMeasurement()
        let start = clock.now
        var driver = Driver()
        let result = driver.diff(old: [state.old], new: [state.new])
        let elapsed = BenchSupport.seconds(clock.now - start)
        benchmark.stopMeasurement()
        guard !result.inputFailed, result.routes.hostChanges.count >= changed,
            result.routes.hostChanges.allSatisfy({ !$0.classes.isEmpty && $0.classes.allSatisfy { $0.witness != nil } })
        else {
            fatalError(
                "the diff should find the \(changed) changed hosts with witnesses: \(result.routes.hostChanges.count)")
        }
        let routeSeconds = driver.timings.filter { $0.name == "diff" }.reduce(0) { $0 + $1.seconds }
        benchmark.measurement(checkMetric, Int((checkSeconds * 1e6).rounded()))
        benchmark.measurement(ratioMetric, Int((elapsed / checkSeconds * 100).rounded()))
        benchmark.measurement(routeMetric, Int((routeSeconds * 1e6).rounded()))
        print(
            "diff \(String(format: "%.3f", elapsed)) s, check of NEW \(String(format: "%.3f", checkSeconds)) s, ratio \(String(format: "%.2f", elapsed / checkSeconds))x, route diff \(String(format: "%.3f", routeSeconds)) s, \(result.routes.hostsCompared) hosts compared, \(result.routes.productsBuilt) products"
        )
        blackHole(result)
    } setup: {
        try makeMeshes()
    } teardown: {
        BenchSupport.removeTemporaryDirectories()
    }
}
