import FjordCompiler
import FjordModel
import FjordTable
import Foundation
import Testing
import _FjordTestSupport

@testable import FjordDecision

@Suite struct ScopeSharingTests {
    static func image(services: Int) throws -> (TableProgram, [UInt8]) {
        let files = MeshGenerator(services: services, seed: 1).files()
        let (mesh, _) = try MeshLoading.mesh(fromYAML: files.map(\.text).joined(separator: "\n---\n"))
        var compiler = MeshCompiler(mesh: mesh)
        let program = compiler.compile()
        return (program, TableImage.write(program))
    }

    /// Without Sidecar resources every sidecar sees every host; a naive image would hold hosts ×
    /// proxies entries. Fjord's shares host maps and route tables, so ten times the services
    /// gives at most twelve times the image (`docs/performance.md` has the 200/2,000 figures).
    @Test func imageGrowsLinearlyNotQuadratically() throws {
        let (smallProgram, small) = try Self.image(services: 100)
        let (largeProgram, large) = try Self.image(services: 1000)
        #expect(largeProgram.scopes.count > 9 * smallProgram.scopes.count / 2)
        #expect(
            largeProgram.hostMaps.count == 1,
            "every sidecar should share one host map, found \(largeProgram.hostMaps.count)")
        let ratio = Double(large.count) / Double(small.count)
        #expect(ratio <= 12, "image size grew \(ratio)× for 10× the services (\(small.count) -> \(large.count) bytes)")
    }

    static let narrowed = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: a, labels: {istio-injection: enabled}}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: b, labels: {istio-injection: enabled}}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: alpha, namespace: a}
        spec: {selector: {app: alpha}, ports: [{name: http, port: 80}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: beta, namespace: b}
        spec: {selector: {app: beta}, ports: [{name: http, port: 80}]}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: alpha, namespace: a}
        spec:
          selector: {matchLabels: {app: alpha}}
          template: {metadata: {labels: {app: alpha}}, spec: {containers: [{name: c, image: x}]}}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: beta, namespace: b}
        spec:
          selector: {matchLabels: {app: beta}}
          template: {metadata: {labels: {app: beta}}, spec: {containers: [{name: c, image: x}]}}
        ---
        # Sidecars in `a` see only their own namespace.
        apiVersion: networking.istio.io/v1
        kind: Sidecar
        metadata: {name: default, namespace: a}
        spec:
          egress:
          - hosts: ["./*"]
          outboundTrafficPolicy: {mode: REGISTRY_ONLY}
        ---
        # Only proxies in `b` see this VirtualService.
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: alpha-from-b, namespace: b}
        spec:
          hosts: [alpha.a.svc.cluster.local]
          exportTo: ["."]
          http:
          - route: [{destination: {host: alpha.a.svc.cluster.local}}]
            timeout: 5s
        """

    /// Sidecar `egress.hosts` and `exportTo` narrow what each proxy sees, in the reference
    /// semantics and in the compiled image alike.
    @Test func sidecarEgressAndExportToNarrowScopes() throws {
        let (mesh, _) = try MeshLoading.mesh(fromYAML: Self.narrowed)
        let semantics = Semantics(mesh: mesh)
        var compiler = MeshCompiler(mesh: mesh)
        let image = try TableImage(program: compiler.compile())
        func both(_ scope: String, _ url: String) throws -> (DecisionRecord, DecisionRecord) {
            let r = try MeshRequest.parse(url)
            let handle = try #require(image.scope(named: scope, kind: .sidecar))
            let t = image.decisionRecord(
                image.lookup(
                    scope: handle, port: r.port, request: SimpleTableRequest(authority: r.authority, path: r.path)))
            return (semantics.decide(r, at: .sidecar(scope)), t)
        }
        // a/alpha: the Sidecar hides namespace b, and its policy refuses unknown hosts.
        let (hidden, hiddenTable) = try both("a/alpha", "http://beta.b/")
        #expect(hidden.outcome == .blackhole)
        #expect(hiddenTable == hidden)
        // a/alpha sees its own service, without b's VirtualService (exported to b only).
        let (own, ownTable) = try both("a/alpha", "http://alpha/")
        #expect(own.outcome == .defaultRoute)
        #expect(ownTable == own)
        // b/beta sees alpha through the VirtualService exported to b.
        let (routed, routedTable) = try both("b/beta", "http://alpha.a/")
        #expect(routed.outcome == .matched)
        #expect(routed.rule?.virtualService == "b/alpha-from-b")
        #expect(routedTable == routed)
    }
}
