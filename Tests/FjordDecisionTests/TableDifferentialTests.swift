import FjordCompiler
import FjordModel
import FjordTable
import Testing
import _FjordTestSupport

@testable import FjordDecision

/// The acceptance differential test: compiled table images against the reference semantics on
/// seeded random (configuration, request) pairs — 125 generated meshes × 800 requests = 100,000
/// pairs — comparing whole decision records (outcome, host, rule, and the full action).
/// Failures found while building it are kept as named regression fixtures in
/// fixtures/conformance/ (see RegressionTests).
@Suite struct TableDifferentialTests {
    static let meshes = 125
    static let requestsPerMesh = 800

    @Test(arguments: 0..<meshes)
    func tableAgreesWithTheReferenceSemantics(seed: Int) throws {
        var gen = RoutingGenerator(seed: UInt64(seed) &* 104_729 &+ 17)
        let yaml = gen.mesh()
        let (mesh, _) = try MeshLoading.mesh(fromYAML: yaml)
        let semantics = Semantics(mesh: mesh)
        var compiler = MeshCompiler(mesh: mesh)
        let program = compiler.compile()
        let image = try TableImage(program: program)
        let scopes = semantics.tables.scopes
        try #require(!scopes.isEmpty)
        var mismatches = 0
        var outcomes: [DecisionRecord.Outcome: Int] = [:]
        var rulesSeen = Set<RuleRef>()
        for _ in 0..<Self.requestsPerMesh {
            let scope = scopes[Int(gen.rng.next(UInt64(scopes.count)))]
            let request = gen.request(
                ports: semantics.tables.ports(of: scope),
                knownHosts: { port in
                    guard let l = semantics.tables.listener(scope, port: port) else { return [] }
                    return l.hosts.keys.sorted() + l.wildcardHosts.map(\.host)
                })
            let expected = semantics.decide(request, at: scope)
            let kind: TableProgram.ScopeKind
            if case .gateway = scope { kind = .gateway } else { kind = .sidecar }
            let handle = try #require(
                image.scope(named: scope.id, kind: kind), "scope \(scope) is missing from the image")
            let table = SimpleTableRequest(
                method: request.method, scheme: request.scheme, authority: request.authority, path: request.path,
                headers: request.headers.map { HeaderPair($0.name, $0.value) })
            let got = image.decisionRecord(image.lookup(scope: handle, port: request.port, request: table))
            outcomes[expected.outcome, default: 0] += 1
            if let r = expected.rule { rulesSeen.insert(r) }
            if got != expected {
                mismatches += 1
                if mismatches <= 3 {
                    Issue.record(
                        "seed \(seed) \(scope) \(request)\n  table:     \(got)\n  reference: \(expected)\n  action table: \(String(describing: got.action))\n  action ref:   \(String(describing: expected.action))"
                    )
                }
            }
        }
        #expect(mismatches == 0, "seed \(seed): \(mismatches) of \(Self.requestsPerMesh) requests disagree")
        // Not vacuous: requests reach rules, several distinct ones, and other outcomes too.
        #expect(outcomes[.matched, default: 0] >= Self.requestsPerMesh / 20, "seed \(seed): outcomes \(outcomes)")
        #expect(rulesSeen.count >= 2, "seed \(seed): only \(rulesSeen.count) rules reached")
        if seed == 0 {
            print(
                "differential seed 0: outcomes \(outcomes), \(rulesSeen.count) distinct rules, \(program.routeTables.count) route tables"
            )
        }
    }
}

/// With a tiny automaton budget every attribute's predicates are split over several automata
/// (levels); the decisions must not change.
@Suite struct SplitClassifierDifferentialTests {
    @Test(arguments: 0..<10)
    func splitAutomataGiveTheSameDecisions(seed: Int) throws {
        var gen = RoutingGenerator(seed: UInt64(seed) &* 7_561 &+ 3)
        let (mesh, _) = try MeshLoading.mesh(fromYAML: gen.mesh())
        let semantics = Semantics(mesh: mesh)
        var options = MeshCompiler.Options()
        options.maxDFAStates = 6
        var compiler = MeshCompiler(mesh: mesh, options: options)
        let image = try TableImage(program: compiler.compile())
        #expect(!compiler.notes.contains { $0.severity == "error" }, "\(compiler.notes)")
        for _ in 0..<400 {
            let scopes = semantics.tables.scopes
            let scope = scopes[Int(gen.rng.next(UInt64(scopes.count)))]
            let request = gen.request(
                ports: semantics.tables.ports(of: scope),
                knownHosts: { port in
                    semantics.tables.listener(scope, port: port).map {
                        $0.hosts.keys.sorted() + $0.wildcardHosts.map(\.host)
                    } ?? []
                })
            let kind: TableProgram.ScopeKind
            if case .gateway = scope { kind = .gateway } else { kind = .sidecar }
            let handle = try #require(image.scope(named: scope.id, kind: kind))
            let got = image.decisionRecord(
                image.lookup(
                    scope: handle, port: request.port,
                    request: SimpleTableRequest(
                        method: request.method, scheme: request.scheme, authority: request.authority,
                        path: request.path,
                        headers: request.headers.map { HeaderPair($0.name, $0.value) })))
            #expect(got == semantics.decide(request, at: scope), "seed \(seed) \(scope) \(request)")
        }
    }
}
