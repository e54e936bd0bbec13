import FjordCompiler
import FjordDecision
import FjordModel
import FjordProxy
import FjordTable
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing
import _FjordTestSupport

/// The proxy's decisions agree with `fjord explain` (the image's decision records) on the
/// differential request set: seeded RoutingGenerator meshes, each request written as HTTP/1.1
/// bytes, parsed by the proxy's decoder, adapted by `HeadRequest`, decided by
/// `LoadedTable.decide`, and compared with `image.decisionRecord(image.lookup(...))` for the
/// same request as `fjord explain` builds it.
@Suite struct DecisionDifferentialTests {
    static let meshes = 16
    static let requestsPerMesh = 300

    /// Parses raw request bytes with NIO's decoder, as the proxy's pipeline does.
    static func parse(_ bytes: String) throws -> HTTPRequestHead? {
        let ch = EmbeddedChannel(handler: ByteToMessageHandler(HTTPRequestDecoder()))
        defer { _ = try? ch.finish() }
        try ch.writeInbound(ByteBuffer(string: bytes))
        if case .head(let h)? = try ch.readInbound(as: HTTPServerRequestPart.self) { return h }
        return nil
    }

    @Test(arguments: 0..<meshes)
    func proxyAgreesWithTheTable(seed: Int) throws {
        var gen = RoutingGenerator(seed: UInt64(seed) &* 7919 &+ 3)
        let yaml = gen.mesh()
        let (mesh, _) = try MeshLoading.mesh(fromYAML: yaml)
        let semantics = Semantics(mesh: mesh)
        var compiler = MeshCompiler(mesh: mesh)
        let bytes = TableImage.write(compiler.compile())
        let image = try TableImage(bytes: bytes)
        let registry = ClusterRegistry(directory: EndpointDirectory())
        var random = SplitMixRandom(seed: UInt64(seed))
        var checked = 0
        var outcomes: [DecisionRecord.Outcome: Int] = [:]
        var loaded: [String: LoadedTable] = [:]
        for _ in 0..<Self.requestsPerMesh {
            let scopes = semantics.tables.scopes
            let scope = scopes[Int(gen.rng.next(UInt64(scopes.count)))]
            let request = gen.request(
                ports: semantics.tables.ports(of: scope),
                knownHosts: { port in
                    guard let l = semantics.tables.listener(scope, port: port) else { return [] }
                    return l.hosts.keys.sorted() + l.wildcardHosts.map(\.host)
                })
            // The proxy sees plain HTTP; `https` requests are a gateway's TLS listener's business.
            guard request.scheme == "http" else { continue }
            var raw = "\(request.method) \(request.path) HTTP/1.1\r\nhost: \(request.authority)\r\n"
            for h in request.headers { raw += "\(h.name): \(h.value)\r\n" }
            raw += "\r\n"
            guard let head = try Self.parse(raw) else { continue }
            let kind: TableProgram.ScopeKind
            if case .gateway = scope { kind = .gateway } else { kind = .sidecar }
            let table: LoadedTable
            if let t = loaded[scope.id] {
                table = t
            } else {
                table = try LoadedTable(
                    bytes: bytes, scopeName: scope.id, kind: kind, generation: 1, origin: "seed \(seed)")
                loaded[scope.id] = table
            }
            let handle = try #require(image.scope(named: scope.id, kind: kind))
            // What `fjord explain --tables` answers.
            let explain = image.decisionRecord(
                image.lookup(
                    scope: handle, port: request.port,
                    request: SimpleTableRequest(
                        method: request.method, scheme: request.scheme, authority: request.authority,
                        path: request.path,
                        headers: request.headers.map { HeaderPair($0.name, $0.value) })))
            // What the proxy decides from the parsed head.
            let adapted = HeadRequest(head: head)
            let proxyLookup = image.decisionRecord(image.lookup(scope: handle, port: request.port, request: adapted))
            #expect(proxyLookup == explain, "seed \(seed) \(request)")
            let d = table.decide(adapted, port: request.port, registry: registry, random: &random, sourceIP: "10.0.0.1")
            outcomes[explain.outcome, default: 0] += 1
            checked += 1
            switch explain.outcome {
            case .noRoute:
                #expect(d.kind == .respond && d.status == 404)
            case .blackhole:
                #expect(d.kind == .respond && d.status == 502)
            case .passthrough:
                #expect(d.kind == .forward && d.cluster != nil)
            case .defaultRoute, .matched:
                guard let a = explain.action else { continue }
                if a.kind == .directResponse && explain.rule != nil {
                    #expect(d.kind == .respond && d.status == a.directStatus)
                } else if a.kind == .redirect {
                    #expect(d.kind == .respond && d.status == (a.redirect?.code ?? 301) && d.location != nil)
                } else if let f = a.fault, f.abortStatus != nil, f.abortPercentage >= 100 {
                    #expect(d.kind == .respond && d.status == f.abortStatus)
                } else if a.kind == .route, a.fault?.abortStatus == nil || (a.fault?.abortPercentage ?? 0) <= 0 {
                    if a.destinations.contains(where: { $0.weight > 0 }) || a.destinations.count == 1 {
                        #expect(d.kind == .forward, "seed \(seed) \(request): \(explain)")
                        if let c = d.cluster {
                            #expect(
                                a.destinations.contains { $0.host == c.key.host && $0.subset == c.key.subset },
                                "seed \(seed) \(request): picked \(c.key) of \(a.destinations)")
                        }
                    }
                }
            }
        }
        #expect(checked >= Self.requestsPerMesh / 2)
        #expect(outcomes[.matched, default: 0] > 0)
    }
}
