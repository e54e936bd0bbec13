import FjordCompiler
import FjordModel
import FjordTable
import Testing
import _FjordTestSupport

@testable import FjordDecision

/// The compiled diagrams against the reference semantics, on generated meshes and requests.
@Suite struct DiagramDifferentialTests {
    @Test(arguments: 0..<20)
    func diagramsAgreeWithTheReferenceSemantics(seed: Int) throws {
        var gen = RoutingGenerator(seed: UInt64(seed) &* 7919 &+ 1)
        let yaml = gen.mesh()
        let (mesh, _) = try MeshLoading.mesh(fromYAML: yaml)
        let semantics = Semantics(mesh: mesh)
        let scopes = semantics.tables.scopes
        #expect(!scopes.isEmpty)
        var compiled: [[EffectiveRule]: CompiledRoutes] = [:]
        var checked = 0
        for _ in 0..<800 {
            let scope = scopes[Int(gen.rng.next(UInt64(scopes.count)))]
            let request = gen.request(
                ports: semantics.tables.ports(of: scope),
                knownHosts: { port in
                    guard let l = semantics.tables.listener(scope, port: port) else { return [] }
                    return l.hosts.keys.sorted() + l.wildcardHosts.map(\.host)
                })
            let expected = semantics.decide(request, at: scope)
            guard let listener = semantics.tables.listener(scope, port: request.port),
                let vhost = semantics.virtualHost(for: request, in: listener), vhost.hasVirtualService,
                !(vhost.httpsRedirect && request.scheme == "http")
            else { continue }
            let routes: CompiledRoutes
            if let hit = compiled[vhost.rules] {
                routes = hit
            } else {
                routes = try RouteCompiler.compile(RouteCompiler.ruleBlocks(vhost.rules))
                compiled[vhost.rules] = routes
            }
            let index = routes.evaluate(request)
            let got = index.map { vhost.rules[$0].ref }
            #expect(
                got == expected.rule,
                "seed \(seed) \(scope) \(request): diagrams say \(got.map(\.description) ?? "none"), reference \(expected)\n\(yaml)"
            )
            checked += 1
        }
        #expect(checked > 30, "too few requests reached rules (\(checked))")
    }
}
