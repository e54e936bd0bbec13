import FjordCompiler
import FjordDiagnostics
import FjordProxy
import FjordProxyServer
import FjordRegex
import FjordTable
import FjordYAML
import NIOCore
import NIOEmbedded
import NIOHTTP1

/// The entry points of the fuzz targets: each takes any bytes and must return, without trapping,
/// hanging or growing without bound, whatever they are. `Fuzz/` (built only by `make fuzz`)
/// wraps each in a libFuzzer `LLVMFuzzerTestOneInput`; `FuzzCorpusReplayTests` runs every file
/// of `fixtures/fuzz/<target>/` through the same function in the normal build, so an input
/// that once crashed stays a regression case. docs/fuzzing.md lists the targets.
///
/// Where a target has an oracle it checks it and traps on disagreement (a finding, like a
/// crash): a table image the compiler wrote must load; a regex's DFA must agree with its NFA.
public enum FuzzEntries {
    /// Every target by its name (the folder under `fixtures/fuzz/` and the executable in Fuzz/).
    /// Add a target here, in Fuzz/Package.swift and in docs/fuzzing.md. The HTTP/1.1 parser
    /// module (`FjordHTTP1`, branch `http`) gets its own target `http1-parser` beside `http`.
    public static let targets: [(name: String, run: @Sendable ([UInt8]) -> Void)] = [
        ("mesh", mesh),
        ("regex", regex),
        ("table", table),
        ("endpoints", endpoints),
        ("residency", residency),
        ("http", http),
    ]

    /// Builds what a target initialises lazily once per process (the Unicode tables, the
    /// schema, the `http` target's compiled mesh), so that libFuzzer's per-input timeout does
    /// not count it against the first input.
    public static func prepare(_ target: String) {
        switch target {
        case "regex": regex(Array("\\pL\\p{Greek}[[:alpha:]](?i)k".utf8))
        case "mesh", "residency": mesh(Array(HTTPHarness.mesh.utf8))
        case "http": _ = HTTPHarness.shared
        default: break
        }
    }

    /// Inputs larger than this are ignored (libFuzzer's `-max_len` keeps them smaller anyway);
    /// the size limits themselves are proved by tests, not by the fuzzer.
    public static let maxInputBytes = 1 << 20

    // MARK: mesh: YAML loader, front end, every check, the compiler, the renderers

    /// One in-memory YAML file through `fjord check` (loader, front end, every check) and
    /// `fjord compile` (every proxy scope), then the text and JSON renderers. The image the
    /// compiler wrote must load.
    @Sendable public static func mesh(_ data: [UInt8]) {
        guard data.count <= maxInputBytes else { return }
        let inputs = InputSet(files: [InputFile(path: "fuzz.yaml", bytes: data)])
        var driver = Driver(options: CompilerOptions())
        let compiled = driver.compile(inputs: inputs)
        let findings = compiled.diagnostics
        for format in [OutputFormat.text, .json] {
            _ = format.render(
                findings, sources: compiled.loaded.sources,
                summary: RunSummary(files: 1, resources: compiled.loaded.resources.count, diagnostics: findings))
        }
        do { _ = try TableImage(bytes: compiled.image) } catch {
            fatalError("the compiler wrote a table image that does not load: \(error)")
        }
    }

    // MARK: residency: the residency policy and the analysis

    /// One in-memory YAML file through `fjord residency` (ResidencyPolicy decoding, the
    /// analysis and its checks), rendered as text.
    @Sendable public static func residency(_ data: [UInt8]) {
        guard data.count <= maxInputBytes else { return }
        var driver = Driver(options: CompilerOptions())
        let r = driver.residency(inputs: InputSet(files: [InputFile(path: "fuzz.yaml", bytes: data)]))
        _ = OutputFormat.text.render(
            r.diagnostics, sources: r.sources,
            summary: RunSummary(files: 1, resources: r.loaded.resources.count, diagnostics: r.diagnostics))
    }

    // MARK: regex: parser and automata, with the budgets in force

    /// The input (as UTF-8, invalid sequences replaced) as a regular expression: parsed, then
    /// compiled to a DFA within `MultiDFA.defaultMaxStates`; when one is built it must agree
    /// with the NFA simulation on a few subjects.
    @Sendable public static func regex(_ data: [UInt8]) {
        guard data.count <= 4096 else { return }
        let pattern = String(decoding: data, as: UTF8.self)
        _ = RegexParser.validate(pattern)
        guard case .success(let re) = RegexParser.parseResult(pattern) else { return }
        _ = re.description
        _ = re.literalString
        let nfa = NFA(re)
        var scratch = NFA.Scratch(for: nfa)
        let dfa = MultiDFA.build(re)
        let subjects: [[UInt8]] = [[], Array("a".utf8), Array("/api/v1".utf8), data, Array(data.reversed())]
        for s in subjects {
            let byNFA = s.withUnsafeBufferPointer { nfa.matches($0, scratch: &scratch) }
            if let dfa, dfa.matches(s) != byNFA {
                fatalError("DFA and NFA disagree on \(s) for `\(pattern)`")
            }
        }
    }

    // MARK: table: the image loader and lookups

    /// The input as a table image. Mutated images almost never keep a valid checksum, so when
    /// the first byte is odd the target seals the rest (writes its length and checksum into the
    /// header) before loading, to reach the section validation; an even first byte loads the
    /// rest as it is. A loaded image is looked up with a set of requests on every scope.
    @Sendable public static func table(_ data: [UInt8]) {
        guard let first = data.first, data.count <= maxInputBytes else { return }
        var bytes = Array(data.dropFirst())
        if first & 1 == 1 { bytes = TableImage.sealed(bytes) }
        guard let image = try? TableImage(bytes: bytes) else { return }
        let requests = [
            SimpleTableRequest(authority: "reviews.shop:8080", path: "/api/v1?x=1"),
            SimpleTableRequest(
                method: "POST", authority: "shop.example.no", path: "/cart",
                headers: [HeaderPair("x-debug", "1"), HeaderPair("cookie", "a=b; user=alice")]),
            SimpleTableRequest(authority: "", path: ""),
            SimpleTableRequest(authority: "[::1]:80", path: "%zz/../"),
            SimpleTableRequest(authority: "*.example.com", path: String(repeating: "/a", count: 64)),
        ]
        for i in 0..<min(image.scopeCount, 64) {
            let handle = image.scopeHandle(at: i)
            for r in requests {
                for port in [80, 8080, 443, 0, 65535] {
                    let result = image.lookup(scope: handle, port: port, request: r)
                    _ = image.decisionRecord(result)
                }
            }
        }
        _ = image.dumpJSON()
    }

    // MARK: endpoints: the endpoints file parser

    @Sendable public static func endpoints(_ data: [UInt8]) {
        guard data.count <= maxInputBytes else { return }
        _ = try? EndpointsFile(parsing: String(decoding: data, as: UTF8.self))
    }

    // MARK: http: NIO's HTTP/1.1 decoder through DownstreamHandler

    /// The input as bytes from a client, through the proxy's real pipeline (NIO's decoder with
    /// the proxy's limits, the encoder, `DownstreamHandler`) on an `EmbeddedChannel`, routing
    /// with a small compiled mesh; every upstream connection answers `200` with a short body.
    @Sendable public static func http(_ data: [UInt8]) {
        guard data.count <= 64 << 10 else { return }
        let h = HTTPHarness.shared
        let connector = EmbeddedConnector()
        let context = ProxyContext(
            role: .outbound, tables: TableStore(h.table), registry: ClusterRegistry(directory: h.directory),
            connector: connector, metrics: ProxyMetrics(workload: "shop/client"), accessLog: nil)
        let loop = EmbeddedEventLoop()
        let channel = EmbeddedChannel(loop: loop)
        defer { _ = try? channel.finish(acceptAlreadyClosed: true) }
        do {
            var limits = NIOHTTPDecoderLimitConfiguration()
            limits.maxHeaderListSize = 64 * 1024
            limits.maxHeaderFieldSize = 64 * 1024
            limits.maxHeaderFieldCount = 100
            let sync = channel.pipeline.syncOperations
            try sync.configureHTTPServerPipeline(
                withPipeliningAssistance: false, withErrorHandling: false, withOutboundHeaderValidation: false,
                withEncoderConfiguration: HTTPResponseEncoder.Configuration(), withDecoderLimitConfiguration: limits)
            try sync.addHandler(DownstreamHandler(context: context, seed: 1))
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 40000)).wait()
        } catch {
            fatalError("the pipeline could not be set up: \(error)")
        }
        // In a few slices, so that heads and bodies split across reads.
        var at = 0
        var slice = 1
        while at < data.count {
            let end = min(data.count, at + slice)
            var buffer = channel.allocator.buffer(capacity: end - at)
            buffer.writeBytes(data[at..<end])
            do { try channel.writeInbound(buffer) } catch { break }
            loop.run()
            connector.answerAll()
            loop.run()
            at = end
            slice = slice * 4
        }
        for _ in 0..<4 {
            connector.answerAll()
            loop.advanceTime(by: .seconds(30))
            loop.run()
        }
        while (try? channel.readOutbound(as: ByteBuffer.self)) != nil {}
        connector.closeAll()
    }
}

/// The compiled mesh the `http` target routes with (compiled once per process).
final class HTTPHarness: Sendable {
    static let shared = HTTPHarness()
    let table: LoadedTable
    let directory: EndpointDirectory

    init() {
        var driver = Driver(options: CompilerOptions())
        let compiled = driver.compile(
            inputs: InputSet(files: [InputFile(path: "http-mesh.yaml", bytes: Array(HTTPHarness.mesh.utf8))]))
        do {
            table = try LoadedTable(
                bytes: compiled.image, scopeName: "shop/client", kind: .sidecar, generation: 1, origin: "fuzz")
        } catch {
            fatalError("the fuzz mesh does not compile: \(error)\n\(compiled.diagnostics)")
        }
        directory = EndpointDirectory(services: [
            .init(host: "reviews.shop.svc.cluster.local", port: 8080): [
                EndpointSpec(address: "10.0.0.1", port: 9080, labels: ["version": "v1"]),
                EndpointSpec(address: "10.0.0.2", port: 9080, labels: ["version": "v2"]),
            ]
        ])
    }

    static let mesh = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: shop, labels: {istio-injection: enabled}}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: client, namespace: shop}
        spec:
          selector: {matchLabels: {app: client}}
          template:
            metadata: {labels: {app: client}}
            spec: {containers: [{name: app, image: example/client}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: reviews, namespace: shop}
        spec:
          selector: {app: reviews}
          ports: [{name: http, port: 8080}]
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews, namespace: shop}
        spec:
          host: reviews
          subsets:
          - {name: v1, labels: {version: v1}}
          - {name: v2, labels: {version: v2}}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews, namespace: shop}
        spec:
          hosts: [reviews]
          http:
          - name: debug
            match: [{headers: {x-debug: {exact: "1"}}}]
            route: [{destination: {host: reviews, subset: v2}}]
          - name: regex
            match: [{uri: {regex: "/api/v[0-9]+/.*"}, queryParams: {q: {prefix: a}}}]
            rewrite: {uri: /v1/}
            route: [{destination: {host: reviews, subset: v1}}]
            retries: {attempts: 2, retryOn: "5xx,connect-failure"}
          - name: redirect
            match: [{uri: {prefix: /old}}]
            redirect: {uri: /new}
          - name: direct
            match: [{uri: {exact: /teapot}}]
            directResponse: {status: 418, body: {string: teapot}}
          - name: abort
            match: [{method: {exact: DELETE}}]
            fault: {abort: {httpStatus: 503, percentage: {value: 100}}}
            route: [{destination: {host: reviews, subset: v1}}]
          - name: default
            route:
            - {destination: {host: reviews, subset: v1}, weight: 90}
            - {destination: {host: reviews, subset: v2}, weight: 10}
            timeout: 2s
        """
}

/// Upstream connections on embedded channels that answer every request `200`.
final class EmbeddedConnector: UpstreamConnector, @unchecked Sendable {
    var channels: [EmbeddedChannel] = []
    var answered = Set<ObjectIdentifier>()

    func idleConnection(to endpoint: UpstreamEndpoint, cluster: Cluster, on eventLoop: EventLoop)
        -> UpstreamConnection?
    { nil }

    func connect(to endpoint: UpstreamEndpoint, cluster: Cluster, on eventLoop: EventLoop) -> EventLoopFuture<
        UpstreamConnection
    > {
        guard channels.count < 16 else { return eventLoop.makeFailedFuture(UpstreamConnectError.failed("enough")) }
        let conn = UpstreamConnection(endpoint: endpoint, cluster: cluster)
        let ch = EmbeddedChannel()
        do {
            try ch.pipeline.syncOperations.addHandler(conn)
            try ch.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        } catch {
            return eventLoop.makeFailedFuture(UpstreamConnectError.failed("\(error)"))
        }
        channels.append(ch)
        return eventLoop.makeSucceededFuture(conn)
    }

    func release(_ c: UpstreamConnection, reuse: Bool) { c.close() }

    /// Answers, once, each upstream that received a whole request head.
    func answerAll() {
        for ch in channels where !answered.contains(ObjectIdentifier(ch)) {
            var sawHead = false
            while let part = try? ch.readOutbound(as: HTTPClientRequestPart.self) {
                if case .head = part { sawHead = true }
            }
            guard sawHead else { continue }
            answered.insert(ObjectIdentifier(ch))
            let headers = HTTPHeaders([("content-length", "2")])
            _ = try? ch.writeInbound(
                HTTPClientResponsePart.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers)))
            _ = try? ch.writeInbound(HTTPClientResponsePart.body(ByteBuffer(string: "ok")))
            _ = try? ch.writeInbound(HTTPClientResponsePart.end(nil))
        }
    }

    func closeAll() {
        for ch in channels { _ = try? ch.finish(acceptAlreadyClosed: true) }
        channels = []
    }
}
