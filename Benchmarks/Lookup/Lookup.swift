// Table lookup next to the naive reference evaluator, at 10, 100, 1,000 and 10,000 rules in one
// host (issue acceptance: "lookup time and allocations at 10, 100, 1,000 and 10,000 rules in one
// host (prefix, exact, header, regex mixes) next to the naive evaluator in the same run").
//
// Setup (outside every measurement) writes one VirtualService with N rules as YAML, loads it with
// the real pipeline (libyaml, front end, model), compiles it and builds the `TableImage`. Rule i
// cycles through four kinds:
//
//     i % 4 == 0   uri prefix /svc<i>/
//     i % 4 == 1   uri exact  /api/<i>
//     i % 4 == 2   header x-user exact u<i>
//     i % 4 == 3   uri regex  /r<i>/[0-9]+
//
// Each table benchmark runs 1,000 lookups per iteration (`scalingFactor: .kilo`). The framework
// shows `mallocCountTotal` per lookup, rounded (up to 499 allocations in 1,000 lookups would show
// as 0), so each iteration also records the exact count of its 1,000 lookups, read from the
// malloc interposer the framework preloads (`lookup mallocs per 1000`; the target is 0). The naive
// evaluator is timed for the same request in the same process, in setup, and every iteration
// records `naive/table`, the speed-up (rounded: the framework keeps integers). Each iteration
// also times 1,000 lookups in the 10-rule table just before its own (outside the measurement)
// and records the ratio of the pair (`vs 10 rules`, the "within 1.5x" target).

import BenchSupport
import Benchmark
import FjordCompiler
import FjordDecision
import FjordModel
import FjordTable

#if canImport(MallocInterposerSwift)
    import MallocInterposerSwift
#endif

let ruleCounts = [10, 100, 1_000, 10_000]

/// Which rule the request matches.
enum Target: String {
    case first, last
}

/// Everything a lookup benchmark needs, built in setup.
struct LookupFixture {
    let rules: Int
    let image: TableImage
    let imageBytes: Int
    let scope: ScopeHandle
    let semantics: Semantics
    let proxy: ProxyScope
    let tableRequest: SimpleTableRequest
    let meshRequest: MeshRequest
    /// The slot the request must reach (checked in setup and after every measured loop).
    let expectedSlot: Int

    static let namespace = "bench"
    static let host = "big"

    /// The YAML of the mesh: a namespace with injection, the `big` Service and its Deployment,
    /// a `client` Deployment (whose sidecar is the scope looked up), and the VirtualService.
    static func yaml(rules: Int) -> String {
        var y = """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: \(namespace)
              labels:
                istio-injection: enabled
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: \(host)
              namespace: \(namespace)
            spec:
              selector:
                app: \(host)
              ports:
              - name: http
                port: 80
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: \(host)
              namespace: \(namespace)
            spec:
              selector:
                matchLabels:
                  app: \(host)
              template:
                metadata:
                  labels:
                    app: \(host)
                spec:
                  containers:
                  - name: app
                    image: example/\(host)
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: client
              namespace: \(namespace)
            spec:
              selector:
                matchLabels:
                  app: client
              template:
                metadata:
                  labels:
                    app: client
                spec:
                  containers:
                  - name: app
                    image: example/client
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata:
              name: \(host)
              namespace: \(namespace)
            spec:
              hosts:
              - \(host)
              http:

            """
        y.reserveCapacity(y.utf8.count + rules * 110)
        for i in 0..<rules {
            y += "  - name: r\(i)\n    match:\n"
            switch i % 4 {
            case 0: y += "    - uri:\n        prefix: /svc\(i)/\n"
            case 1: y += "    - uri:\n        exact: /api/\(i)\n"
            case 2: y += "    - headers:\n        x-user:\n          exact: u\(i)\n"
            default: y += "    - uri:\n        regex: /r\(i)/[0-9]+\n"
            }
            y += "    route:\n    - destination:\n        host: \(host)\n"
        }
        return y
    }

    /// A request that matches rule `i` and no earlier rule.
    static func request(matching i: Int) -> (path: String, headers: [(String, String)]) {
        switch i % 4 {
        case 0: ("/svc\(i)/x", [])
        case 1: ("/api/\(i)", [])
        case 2: ("/", [("x-user", "u\(i)")])
        default: ("/r\(i)/12345", [])
        }
    }

    static func make(rules: Int, target: Target) throws -> LookupFixture {
        let dir = try BenchSupport.temporaryDirectory("lookup\(rules)")
        defer { BenchSupport.removeDirectory(dir) }
        let file = try BenchSupport.write(yaml(rules: rules), to: dir, name: "mesh.yaml")
        var driver = Driver()
        let messages = Messages()
        let loaded = driver.load(paths: [file], emit: { messages.all.append(String(describing: $0)) })
        guard !loaded.inputFailed else { fatalError("the \(rules)-rule mesh did not load: \(messages.all)") }
        var compiler = MeshCompiler(mesh: loaded.mesh)
        let program = compiler.compile()
        for note in compiler.notes { print("note (\(rules) rules): \(note.message)") }
        let image = try TableImage(program: program)
        let workload = "\(namespace)/client"
        guard let scope = image.scope(named: workload, kind: .sidecar) else {
            fatalError("no sidecar scope \(workload)")
        }
        let rule = target == .first ? 0 : rules - 1
        let (path, headers) = request(matching: rule)
        let tableRequest = SimpleTableRequest(
            authority: host, path: path, headers: headers.map { HeaderPair($0.0, $0.1) })
        let meshRequest = MeshRequest(
            authority: host, path: path, headers: headers.map { MeshRequest.HeaderField($0.0, $0.1) }, port: 80)
        let semantics = Semantics(mesh: loaded.mesh)
        let proxy = ProxyScope.sidecar(workload)
        // Both evaluators must agree on the whole decision, and reach the intended rule.
        let result = image.lookup(scope: scope, port: 80, request: tableRequest)
        let expected = semantics.decide(meshRequest, at: proxy)
        let got = image.decisionRecord(result)
        guard got == expected, expected.outcome == .matched, expected.rule?.index == rule else {
            fatalError("\(rules) rules, rule \(rule): table \(got) vs reference \(expected)")
        }
        return LookupFixture(
            rules: rules, image: image, imageBytes: TableImage.write(program).count, scope: scope, semantics: semantics,
            proxy: proxy,
            tableRequest: tableRequest, meshRequest: meshRequest, expectedSlot: result.slot)
    }
}

/// Diagnostics of a setup load (only printed when the mesh does not load).
final class Messages {
    var all: [String] = []
}

/// The table benchmark's state: the fixture plus the naive evaluator's time for the same request.
struct TableState {
    let fixture: LookupFixture
    let naiveNanoseconds: Double
    /// The 10-rule fixture for the same target (the reference of the 1.5x target).
    let tenRules: LookupFixture
}

let exactMallocsMetric = BenchmarkMetric.custom(
    "lookup mallocs per 1000", polarity: .prefersSmaller, useScalingFactor: false)
let naiveNanosecondsMetric = BenchmarkMetric.custom(
    "naive ns/op (same process)", polarity: .prefersSmaller, useScalingFactor: false)
let speedupMetric = BenchmarkMetric.custom("naive/table (x)", polarity: .prefersLarger, useScalingFactor: false)
let imageBytesMetric = BenchmarkMetric.custom("image bytes", polarity: .prefersSmaller, useScalingFactor: false)
let tenRulesRatioMetric = BenchmarkMetric.custom("vs 10 rules x100", polarity: .prefersSmaller, useScalingFactor: false)

/// Allocations counted so far by the malloc interposer (0 without it).
@inline(__always)
func mallocCount() -> Int {
    #if canImport(MallocInterposerSwift)
        MallocInterposerSwift.getStatistics().mallocCount
    #else
        0
    #endif
}

let benchmarks: @Sendable () -> Void = {
    let tableMetrics: [BenchmarkMetric] = [
        .wallClock, .throughput, .instructions, .mallocCountTotal, exactMallocsMetric, naiveNanosecondsMetric,
        speedupMetric, tenRulesRatioMetric, imageBytesMetric,
    ]
    let naiveMetrics: [BenchmarkMetric] = [.wallClock, .throughput, .instructions, .mallocCountTotal]
    let countUnits: [BenchmarkMetric: BenchmarkUnits] = [
        exactMallocsMetric: .count, naiveNanosecondsMetric: .count, speedupMetric: .count,
        tenRulesRatioMetric: .count, imageBytesMetric: .count, .mallocCountTotal: .count,
    ]

    for rules in ruleCounts {
        for target in [Target.first, .last] {
            Benchmark(
                "table \(rules) rules \(target.rawValue)",
                configuration: .init(
                    metrics: tableMetrics, timeUnits: .nanoseconds, units: countUnits, warmupIterations: 10,
                    scalingFactor: .kilo,
                    maxDuration: .seconds(2), maxIterations: 20_000)
            ) { (benchmark: Benchmark, state: TableState) in
                let f = state.fixture
                let clock = ContinuousClock()
                // The 10-rule table (same target), timed right before this iteration so that both
                // see the same load on the shared vCPUs: `rules/10 rules` per iteration.
                let r = state.tenRules
                var referenceSink = 0
                let referenceStart = clock.now
                for _ in benchmark.scaledIterations {
                    referenceSink &+= r.image.lookup(scope: r.scope, port: 80, request: r.tableRequest).slot
                }
                let referenceElapsed = clock.now - referenceStart
                blackHole(referenceSink)
                benchmark.startMeasurement()
                var sink = 0
                let mallocsBefore = mallocCount()
                let start = clock.now
                for _ in benchmark.scaledIterations {
                    sink &+= f.image.lookup(scope: f.scope, port: 80, request: f.tableRequest).slot
                }
                let elapsed = clock.now - start
                let mallocs = mallocCount() - mallocsBefore
                benchmark.stopMeasurement()
                benchmark.measurement(exactMallocsMetric, mallocs)  // 1,000 lookups: `scalingFactor: .kilo`
                let count = benchmark.scaledIterations.count
                guard sink == f.expectedSlot &* count else { fatalError("lookups reached the wrong slot") }
                let tableNanoseconds = BenchSupport.seconds(elapsed) * 1e9 / Double(count)
                benchmark.measurement(naiveNanosecondsMetric, Int(state.naiveNanoseconds.rounded()))
                benchmark.measurement(speedupMetric, Int((state.naiveNanoseconds / tableNanoseconds).rounded()))
                benchmark.measurement(tenRulesRatioMetric, Int((elapsed / referenceElapsed * 100).rounded()))
                benchmark.measurement(imageBytesMetric, f.imageBytes)
            } setup: {
                let f = try LookupFixture.make(rules: rules, target: target)
                let naive = BenchSupport.nanosecondsPerCall {
                    blackHole(f.semantics.decide(f.meshRequest, at: f.proxy))
                }
                let tenRules = rules == 10 ? f : try LookupFixture.make(rules: 10, target: target)
                return TableState(fixture: f, naiveNanoseconds: naive, tenRules: tenRules)
            }
        }

        // The naive evaluator on its own (the same requests), with its allocations.
        for target in [Target.first, .last] {
            Benchmark(
                "naive \(rules) rules \(target.rawValue)",
                configuration: .init(
                    metrics: naiveMetrics, timeUnits: .nanoseconds, units: [.mallocCountTotal: .count],
                    warmupIterations: 3,
                    scalingFactor: rules <= 100 ? .kilo : .one,
                    maxDuration: .seconds(2), maxIterations: 20_000)
            ) { (benchmark: Benchmark, f: LookupFixture) in
                for _ in benchmark.scaledIterations {
                    blackHole(f.semantics.decide(f.meshRequest, at: f.proxy))
                }
            } setup: {
                try LookupFixture.make(rules: rules, target: target)
            }
        }
    }
}
