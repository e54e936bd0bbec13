import FjordCompiler
import FjordDiagnostics
import FjordModel
import Foundation
import Testing
import _FjordTestSupport

/// The model under the verifier checks: effective mTLS modes, call edges, observed traffic, and
/// the Istio-version-dependent severity of FJ2001.
@Suite struct VerifierTests {
    static let policies = """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: payments
          labels:
            istio-injection: enabled
        ---
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata:
          name: default
          namespace: istio-system
          creationTimestamp: "2026-01-01T00:00:00Z"
        spec:
          mtls:
            mode: STRICT
        ---
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata:
          name: a-newer-mesh-policy
          namespace: istio-system
          creationTimestamp: "2026-02-01T00:00:00Z"
        spec:
          mtls:
            mode: DISABLE
        ---
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata:
          name: root-selector
          namespace: istio-system
        spec:
          selector:
            matchLabels:
              app: ledger
          mtls:
            mode: DISABLE
        ---
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata:
          name: default
          namespace: reports
        spec:
          mtls:
            mode: PERMISSIVE
        ---
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata:
          name: ledger
          namespace: payments
        spec:
          selector:
            matchLabels:
              app: ledger
          mtls:
            mode: UNSET
          portLevelMtls:
            9090:
              mode: PERMISSIVE
            9091:
              mode: UNSET
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: ledger
          namespace: payments
        spec:
          selector:
            matchLabels:
              app: ledger
          template:
            metadata:
              labels:
                app: ledger
            spec:
              containers:
              - name: ledger
                image: example/ledger:1
                ports:
                - name: export
                  containerPort: 9090
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: ledger
          namespace: payments
        spec:
          selector:
            app: ledger
          ports:
          - name: http
            port: 8080
          - name: http-export
            port: 19090
            targetPort: export
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: archive
          namespace: reports
        spec:
          selector:
            matchLabels:
              app: archive
          template:
            metadata:
              labels:
                app: archive
            spec:
              containers:
              - name: archive
                image: example/archive:1
        """

    @Test func effectiveModeFollowsIstiosLevels() throws {
        let (mesh, _) = try MeshLoading.mesh(fromYAML: Self.policies)
        let resolver = MTLSResolver(mesh: mesh)
        let ledger = try #require(mesh.workload("payments/ledger"))
        // The workload policy is UNSET: it inherits the oldest mesh-wide policy (STRICT), not the
        // newer DISABLE one, and the root-namespace selector policy applies to nothing.
        let whole = resolver.effective(ledger, port: nil)
        #expect(
            whole.mode == .strict && whole.level == .mesh && whole.policy?.qualifiedName == "istio-system/default",
            "\(whole)")
        #expect(resolver.effective(ledger, port: 8080).mode == .strict)
        let export = resolver.effective(ledger, port: 9090)
        #expect(
            export.mode == .permissive && export.level == .port && export.policy?.qualifiedName == "payments/ledger",
            "\(export)")
        // An UNSET port inherits the workload's mode.
        #expect(resolver.effective(ledger, port: 9091).mode == .strict)
        #expect(mesh.effectiveMTLS(workload: ledger, port: 9090) == export)
        // A namespace policy overrides the mesh's.
        let archive = try #require(mesh.workload("reports/archive"))
        let a = resolver.effective(archive, port: 8080)
        #expect(a.mode == .permissive && a.level == .namespace, "\(a)")
        // Levels list every candidate, oldest first.
        let levels = resolver.levels(for: ledger)
        #expect(levels.mesh.map(\.name) == ["default", "a-newer-mesh-policy"])
        #expect(levels.workload.map(\.name) == ["ledger"])
        // A Service port reaches the workload on its (named) target port.
        let svc = try #require(mesh.service(fqdn: "ledger.payments.svc.cluster.local"))
        #expect(mesh.targetPort(of: svc, port: 19090, on: ledger) == 9090)
        #expect(mesh.targetPort(of: svc, port: 8080, on: ledger) == 8080)
        #expect(mesh.targetPort(of: svc, port: 1, on: ledger) == nil)
    }

    @Test func withoutPoliciesTheModeIsPermissive() throws {
        let (mesh, _) = try MeshLoading.mesh(
            fromYAML: """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: p
                  namespace: default
                spec:
                  containers:
                  - name: c
                    image: example/c:1
                """)
        let w = try #require(mesh.workload("default/p"))
        let m = mesh.effectiveMTLS(workload: w, port: 80)
        #expect(m.mode == .permissive && m.level == .default && m.policy == nil)
    }

    static let callers = """
        apiVersion: v1
        kind: Service
        metadata:
          name: payment-service
          namespace: payments
        spec:
          selector:
            app: payment-service
          ports:
          - name: http
            port: 8080
          - name: grpc
            port: 9090
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: inventory
          namespace: shop
        spec:
          selector:
            app: inventory
          ports:
          - name: http
            port: 80
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: checkout
          namespace: shop
          annotations:
            fjord.dev/calls: "payment-service.payments:9090, inventory"
        spec:
          selector:
            matchLabels:
              app: checkout
          template:
            metadata:
              labels:
                app: checkout
            spec:
              serviceAccountName: checkout
              containers:
              - name: checkout
                image: example/checkout:1
                args:
                - --payments=http://payment-service.payments.svc.cluster.local:8080/pay
                - --verbose
                env:
                - name: INVENTORY_URL
                  value: http://inventory
                - name: INVENTORY_HOST
                  value: inventory
                - name: PAYMENTS
                  value: payment-service.payments.svc
                - name: PAYMENTS_GRPC
                  value: "payment-service.payments:9090"
                - name: DISPLAY_NAME
                  value: inventory
                - name: RATIO
                  value: "0.82"
                - name: UNKNOWN_URL
                  value: http://nowhere.example.com:8080
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: payment-service
          namespace: payments
        spec:
          selector:
            matchLabels:
              app: payment-service
          template:
            metadata:
              labels:
                app: payment-service
            spec:
              containers:
              - name: payment-service
                image: example/payment-service:1
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata:
          name: payment-service
          namespace: payments
        spec:
          selector:
            matchLabels:
              app: payment-service
          rules:
          - from:
            - source:
                principals: ["cluster.local/ns/shop/sa/checkout"]
            - source:
                namespaces: ["shop"]
            to:
            - operation:
                ports: ["9090"]
        """

    @Test func callEdgesComeFromEvidence() throws {
        let (mesh, _) = try MeshLoading.mesh(fromYAML: Self.callers)
        let edges = mesh.callEdges(observed: [
            ObservedCall(
                sourceNamespace: "shop", sourceWorkload: "checkout-6d4b9c7f8-x2x7q", destination: "inventory",
                port: nil, file: "t.csv", line: 2),
            ObservedCall(
                sourceNamespace: "shop", sourceWorkload: "nobody", destination: "inventory", port: nil, file: "t.csv",
                line: 3),
        ])
        func targets(_ kind: (CallEdge.Evidence) -> Bool) -> [String] {
            edges.filter { kind($0.evidence) }.map { e in
                switch e.target {
                case .service(let fqdn, let port): return "\(fqdn):\(port.map(String.init) ?? "-")"
                case .workloads(let ids, let port):
                    return ids.joined(separator: ",") + ":\(port.map(String.init) ?? "-")"
                }
            }
        }
        let env = edges.filter { if case .environment = $0.evidence { return true } else { return false } }.map {
            e -> String in
            guard case .environment(let v) = e.evidence, case .service(let fqdn, let port) = e.target else { return "" }
            return "\(v) \(fqdn):\(port.map(String.init) ?? "-")"
        }
        #expect(
            env == [
                "INVENTORY_URL inventory.shop.svc.cluster.local:80",
                "INVENTORY_HOST inventory.shop.svc.cluster.local:80",
                "PAYMENTS payment-service.payments.svc.cluster.local:8080",
                "PAYMENTS_GRPC payment-service.payments.svc.cluster.local:9090",
            ], "a bare name counts only in a variable named like an address; numbers and unknown hosts are no edges")
        #expect(
            targets { if case .argument = $0 { return true } else { return false } } == [
                "payment-service.payments.svc.cluster.local:8080"
            ])
        #expect(
            targets { if case .annotation = $0 { return true } else { return false } }
                == ["payment-service.payments.svc.cluster.local:9090", "inventory.shop.svc.cluster.local:80"])
        #expect(
            targets { if case .authorizationPolicy = $0 { return true } else { return false } } == [
                "payments/payment-service:9090", "payments/payment-service:9090",
            ])
        #expect(
            targets { if case .observed = $0 { return true } else { return false } } == [
                "inventory.shop.svc.cluster.local:80"
            ],
            "a pod name resolves to its controller; an unknown workload is skipped")
        #expect(Set(edges.map(\.client)) == ["shop/checkout"], "payment-service itself calls nothing")
        #expect(edges.allSatisfy { !$0.label.isEmpty })
    }

    @Test func observedTrafficParses() throws {
        let calls = try ObservedTraffic.parse(
            """
            # exported from the mesh's telemetry
            destination_service,port,source_workload,source_namespace
            payment-service.payments,8080,batch-reporter,legacy

            inventory,,checkout,shop
            """, file: "t.csv")
        #expect(
            calls.map {
                "\($0.sourceNamespace)/\($0.sourceWorkload)->\($0.destination):\($0.port.map(String.init) ?? "-")@\($0.line)"
            }
                == ["legacy/batch-reporter->payment-service.payments:8080@3", "shop/checkout->inventory:-@5"])
        #expect(throws: ObservedTraffic.ParseError.self) { try ObservedTraffic.parse("a,b\n", file: "t.csv") }
        #expect(throws: ObservedTraffic.ParseError.self) {
            try ObservedTraffic.parse(
                "source_namespace,source_workload,destination_service,port\nlegacy,x,y,99999\n", file: "t.csv")
        }
        #expect(throws: ObservedTraffic.ParseError.self) { try ObservedTraffic.parse("", file: "t.csv") }
    }

    @Test func observedTrafficFindsAPlaintextCaller() throws {
        var options = CompilerOptions()
        options.checks.observedCalls = [
            ObservedCall(
                sourceNamespace: "legacy", sourceWorkload: "batch-reporter",
                destination: "fraud-check.payments", port: 9000, file: "t.csv", line: 2)
        ]
        let result = TestPipeline.check(paths: [RepoPaths.path("fixtures/examples/oslo-shop/clean")], options: options)
        let found = result.diagnostics.filter { $0.code == .plaintextClientToStrict }
        #expect(found.count == 1, "\(found.map(\.message))")
        #expect(found.first?.message.contains("`fraud-check.payments` on port 9000") ?? false)
        #expect(found.first?.notes.contains { $0.message.contains("observed traffic `t.csv` line 2") } ?? false)
    }

    @Test func weightSeverityDependsOnTheIstioVersion() throws {
        let path = RepoPaths.path("fixtures/checks/FJ2001-canary-weights.yaml")
        let latest = TestPipeline.check(paths: [path]).diagnostics.filter { $0.code == .weightsNot100 }
        #expect(latest.count == 3 && latest.allSatisfy { $0.severity == .warning })
        #expect(
            latest.contains { d in
                d.notes.contains { $0.message == "Istio 1.15+ splits traffic 94.7 % `v1` / 5.3 % `v2`" }
            })
        var options = CompilerOptions()
        options.checks.istioVersion = try #require(IstioVersion("1.14"))
        let old = TestPipeline.check(paths: [path], options: options).diagnostics.filter { $0.code == .weightsNot100 }
        #expect(old.count == 3 && old.allSatisfy { $0.severity == .error })
        #expect(
            old.allSatisfy { d in d.notes.contains { $0.message.contains("Istio 1.14 rejects this VirtualService") } })
        options.checks.istioVersion = try #require(IstioVersion("1.15"))
        #expect(
            TestPipeline.check(paths: [path], options: options).diagnostics.filter { $0.code == .weightsNot100 }
                .allSatisfy { $0.severity == .warning })
    }

    /// The demo: `clean/` is silent; `mistakes/` shows routing (FJ20xx), reference, timeout and
    /// retry (FJ21xx) and mTLS (FJ3xxx) findings.
    @Test func demoMeshShowsEachGroup() throws {
        let clean = TestPipeline.check(paths: [RepoPaths.path("fixtures/examples/oslo-shop/clean")])
        #expect(clean.diagnostics.isEmpty, "\(clean.diagnostics.map { "\($0.code) \($0.message)" })")
        let mistakes = TestPipeline.check(paths: [RepoPaths.path("fixtures/examples/oslo-shop/mistakes")])
        let codes = Set(mistakes.diagnostics.map(\.code.rawValue))
        for expected in ["FJ2001", "FJ2002", "FJ2101", "FJ2102", "FJ2104", "FJ3001", "FJ3002"] {
            #expect(codes.contains(expected), "mistakes/ does not show \(expected): \(codes.sorted())")
        }
    }
}
