import FjordCompiler
import FjordDiagnostics
import FjordModel
import Foundation
import Testing
import _FjordTestSupport

/// One DestinationRule choice (`DestinationRuleIndex`) serves every consumer: a mesh where the
/// rule a sidecar uses for `reviews` differs by the client's namespace, and each consumer
/// (routing in the mesh graph, FJ2102 references, FJ3002 mTLS, FJ4001 residency) follows it.
@Suite struct DestinationRuleChoiceTests {
    static let host = "reviews.bookinfo.svc.cluster.local"

    static func namespace(_ n: String) -> String {
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: \(n)\n  labels:\n    istio-injection: enabled\n---\n"
    }

    static func client(_ name: String, _ ns: String) -> String {
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: \(name)
          namespace: \(ns)
        spec:
          selector:
            matchLabels:
              app: \(name)
          template:
            metadata:
              labels:
                app: \(name)
                topology.istio.io/locality: europe-north1.europe-north1-a
            spec:
              containers:
              - name: \(name)
                image: example/\(name):1
                env:
                - name: REVIEWS_URL
                  value: http://\(host):9080/reviews
        ---

        """
    }

    static func route(_ ns: String) -> String {
        """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: reviews
          namespace: \(ns)
        spec:
          hosts:
          - \(host)
          exportTo: ["."]
          http:
          - name: v1-only
            route:
            - destination:
                host: \(host)
                subset: v1
            timeout: 2s
        ---

        """
    }

    /// `shop` has its own rule (no subsets, TLS disabled) that hides the host namespace's;
    /// `frontend` has none and gets `bookinfo`'s (subset v1); `other`'s rule serves only `other`.
    static let mesh: String =
        ["shop", "frontend", "bookinfo", "other"].map(namespace).joined()
            + """
            apiVersion: security.istio.io/v1
            kind: PeerAuthentication
            metadata:
              name: default
              namespace: istio-system
            spec:
              mtls:
                mode: STRICT
            ---
            apiVersion: fjord.dev/v1alpha1
            kind: ResidencyPolicy
            metadata:
              name: eea
              namespace: istio-system
            spec:
              personalData:
              - namespaces: [shop, frontend]
              allowedJurisdictions: [EEA]
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: istio
              namespace: istio-system
            data:
              mesh: |-
                outboundTrafficPolicy:
                  mode: REGISTRY_ONLY
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: reviews-v1
              namespace: bookinfo
            spec:
              selector:
                matchLabels:
                  app: reviews
              template:
                metadata:
                  labels:
                    app: reviews
                    version: v1
                    topology.istio.io/locality: us-east-1.us-east-1a
                spec:
                  containers:
                  - name: reviews
                    image: example/reviews:1
                    ports:
                    - containerPort: 9080
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: reviews
              namespace: bookinfo
            spec:
              selector:
                app: reviews
              ports:
              - name: http
                port: 9080
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata:
              name: reviews-plain
              namespace: shop
            spec:
              host: \(host)
              trafficPolicy:
                tls:
                  mode: DISABLE
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata:
              name: reviews
              namespace: bookinfo
            spec:
              host: reviews
              subsets:
              - name: v1
                labels:
                  version: v1
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata:
              name: reviews
              namespace: other
            spec:
              host: \(host)
              trafficPolicy:
                tls:
                  mode: SIMPLE
              subsets:
              - name: v1
                labels:
                  version: v1
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata:
              name: reviews-extra
              namespace: other
              creationTimestamp: "2024-05-01T00:00:00Z"
            spec:
              host: \(host)
              trafficPolicy:
                tls:
                  mode: DISABLE
            ---

            """
        + client("cart", "shop") + client("web", "frontend") + route("shop") + route("frontend")

    @Test func theIndexChoosesByClientNamespace() throws {
        let (mesh, _) = try MeshLoading.mesh(fromYAML: Self.mesh)
        let index = DestinationRuleIndex(mesh: mesh)
        func chosen(_ client: String) -> String? {
            index.choice(for: Self.host, hostNamespace: "bookinfo", client: client)?.primary.key.qualifiedName
        }
        #expect(chosen("shop") == "shop/reviews-plain")
        #expect(chosen("frontend") == "bookinfo/reviews")
        #expect(chosen("other") == "other/reviews")
        #expect(chosen("istio-system") == "bookinfo/reviews")
        #expect(index.choice(for: Self.host, hostNamespace: "bookinfo", client: "shop")?.subset(named: "v1") == nil)
    }

    @Test func everyConsumerFollowsTheChoice() throws {
        let result = try TestPipeline.check(text: Self.mesh)
        let d = result.diagnostics
        // References: only the shop route's subset is undefined for its clients.
        let unknown = d.filter { $0.code.rawValue == "FJ2102" }
        #expect(unknown.count == 1, "\(unknown.map(\.message))")
        #expect(unknown.first?.resource?.qualifiedName == "shop/reviews", "\(unknown.map(\.message))")
        #expect(unknown.first?.message.contains("that sidecars in `shop` use") ?? false)
        // mTLS: shop's rule disables TLS toward the STRICT reviews (its clients use it); other's
        // SIMPLE applies to other's clients, and the newer `other/reviews-extra` merges into it
        // with its top-level policy ignored (the older rule has one), so its DISABLE breaks
        // nothing; bookinfo's rule sets no TLS.
        let tls = d.filter { $0.code.rawValue == "FJ3002" }
        #expect(
            Set(tls.compactMap(\.resource?.qualifiedName)) == ["shop/reviews-plain", "other/reviews"],
            "\(tls.map(\.message))")
        // Residency: frontend's web reaches reviews-v1 in us-east-1 through subset v1; shop's
        // cart gets a 503 (no subset v1 in its rule), so no data goes there from it.
        let residency = d.filter { $0.code.rawValue == "FJ4001" }
        #expect(residency.contains { $0.message.contains("`frontend/web`") }, "\(residency.map(\.message))")
        #expect(!residency.contains { $0.message.contains("`shop/cart`") }, "\(residency.map(\.message))")
    }

    @Test func theGraphRoutesOnlyWhereTheSubsetResolves() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fjord-dr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("mesh.yaml")
        try Self.mesh.write(to: file, atomically: true, encoding: .utf8)
        var driver = Driver()
        let loaded = driver.load(paths: [file.path], emit: { _ in })
        let graph = MeshGraph(loaded)
        // Both VirtualServices route `reviews` to subset v1: the frontend one resolves it
        // (bookinfo's rule), the shop one does not (its own rule has no subsets): one edge.
        let toV1 = graph.edges.filter { $0.to == "wl:bookinfo/reviews-v1" && $0.kind == .route }
        #expect(toV1.count == 1, "\(graph.edges.map { "\($0.from) -> \($0.to) \($0.label)" })")
    }
}
