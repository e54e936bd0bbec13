import FjordDecision
import FjordModel
import FjordTable
import Testing
import _FjordTestSupport

/// A table compiled for one namespace's proxies takes each host's cluster settings from the
/// DestinationRule those clients use (`DestinationRuleIndex`), as FJ2102, mTLS and residency do.
@Suite struct DestinationRuleClusterTests {
    static let mesh = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: shop, labels: {istio-injection: enabled}}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: frontend, labels: {istio-injection: enabled}}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: cart, namespace: shop}
        spec:
          selector: {matchLabels: {app: cart}}
          template:
            metadata: {labels: {app: cart}}
            spec: {containers: [{name: cart, image: example/cart:1}]}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: frontend}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: example/web:1}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: reviews, namespace: bookinfo}
        spec:
          selector: {app: reviews}
          ports: [{name: http, port: 9080}]
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews-plain, namespace: shop}
        spec:
          host: reviews.bookinfo.svc.cluster.local
          trafficPolicy: {tls: {mode: DISABLE}}
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews, namespace: bookinfo}
        spec:
          host: reviews
          subsets: [{name: v1, labels: {version: v1}}]
        """

    static func clusters(for scope: ProxyScope) throws -> [(subset: String?, tls: TableProgram.TLSMode)] {
        let (mesh, _) = try MeshLoading.mesh(fromYAML: mesh)
        var options = MeshCompiler.Options()
        options.scopes = [scope]
        var compiler = MeshCompiler(mesh: mesh, options: options)
        let program = compiler.compile()
        func string(_ i: UInt32) -> String? { Int(i) < program.strings.count ? program.strings[Int(i)] : nil }
        return program.clusters.filter { string($0.host) == "reviews.bookinfo.svc.cluster.local" }.map {
            (string($0.subset), $0.tls)
        }
    }

    @Test func eachNamespaceGetsItsOwnRule() throws {
        // shop's own rule: TLS disabled, no subsets (bookinfo's is hidden from shop).
        let shop = try Self.clusters(for: .sidecar("shop/cart"))
        #expect(shop.count == 1 && shop.allSatisfy { $0.subset == nil && $0.tls == .disable }, "\(shop)")
        // frontend has none of its own: bookinfo's, with subset v1 and no TLS setting.
        let frontend = try Self.clusters(for: .sidecar("frontend/web"))
        #expect(frontend.contains { $0.subset == "v1" }, "\(frontend)")
        #expect(!frontend.contains { $0.tls == .disable }, "\(frontend)")
    }
}
