import FjordChecks
import FjordCompiler
import FjordDiagnostics
import Foundation
import Testing
import _FjordTestSupport

/// The residency findings of each fixture with their whole witness path, not only their codes,
/// and the demo mesh's mistakes 7a-7e.
@Suite struct ResidencyTests {
    struct Expected: CustomStringConvertible {
        var code: String
        var line: Int
        var steps: [String]
        var description: String { "\(code) line \(line): \(steps.joined(separator: " -> "))" }
    }

    /// The evidence of a hop that only the open egress of a workload without a Sidecar resource shows.
    static let openEgress = "(reachable: no Sidecar limits its egress (Istio's default `*/*`); no call evidence)"

    static func findings(_ paths: [String]) -> [Diagnostic] {
        TestPipeline.check(paths: paths).diagnostics.filter {
            $0.code.rawValue.hasPrefix("FJ400") && $0.code != .invalidResidencyPolicy
        }
    }

    static func check(_ fixture: String, _ expected: [Expected]) {
        let found = findings([RepoPaths.path("fixtures/checks/\(fixture)")])
        #expect(
            found.count == expected.count,
            "\(fixture): \(found.map { "\($0.code) \($0.range.start.line) \($0.witness?.steps ?? [])" })")
        for e in expected {
            let match = found.first { $0.code.rawValue == e.code && $0.range.start.line == e.line }
            guard let d = match else {
                Issue.record("\(fixture): missing \(e)")
                continue
            }
            #expect(d.witness?.kind == .path, "\(fixture): \(e.code) has no path witness")
            #expect(
                d.witness?.steps == e.steps, "\(fixture): \(e.code) line \(e.line) path is \(d.witness?.steps ?? [])")
        }
    }

    @Test func weightedCanaryToUSEast1() {
        Self.check(
            "FJ4001-weighted-canary.yaml",
            [
                Expected(
                    code: "FJ4001", line: 161,
                    steps: [
                        "payments/ledger", "risk.risk.svc.cluster.local:8080 (env `UPSTREAM_URL`, line 59)",
                        "VirtualService risk/risk rule `canary`",
                        "weight 10", "subset `v2`",
                        "Deployment risk/risk-v2", "locality us-east-1/us-east-1a",
                        "region us-east-1 (Northern Virginia)", "US",
                    ])
            ])
    }

    @Test func mirrorToUSAnalytics() {
        Self.check(
            "FJ4001-mirror.yaml",
            [
                Expected(
                    code: "FJ4001", line: 163,
                    steps: [
                        "payments/ledger", "risk.risk.svc.cluster.local:8080 (env `UPSTREAM_URL`, line 69)",
                        "VirtualService risk/risk rule `score`", "mirror 100 %",
                        "analytics.analytics.svc.cluster.local:8080", "Deployment analytics/analytics",
                        "locality us-east-2/us-east-2b",
                        "region us-east-2 (Ohio)", "US",
                    ]),
                // The analytics host is visible to the ledger's sidecar: the direct path opens at its
                // placement (a warning: no call evidence, only the open egress).
                Expected(
                    code: "FJ4001", line: 99,
                    steps: [
                        "payments/ledger",
                        "analytics.analytics.svc.cluster.local:8080 \(Self.openEgress)",
                        "Deployment analytics/analytics",
                        "locality us-east-2/us-east-2b", "region us-east-2 (Ohio)", "US",
                    ]),
            ])
    }

    @Test func localityFailoverFromEuropeNorth1ToUSCentral1() {
        Self.check(
            "FJ4001-locality-failover.yaml",
            [
                Expected(
                    code: "FJ4001", line: 141,
                    steps: [
                        "payments/ledger", "risk.risk.svc.cluster.local:8080 (env `UPSTREAM_URL`, line 59)",
                        "locality failover europe-north1 -> us-central1",
                        "Deployment risk/risk-iowa", "locality us-central1/us-central1-c",
                        "region us-central1 (Council Bluffs, Iowa)", "US",
                    ])
            ])
    }

    @Test func egressToAnS3BucketInUSEast1() {
        Self.check(
            "FJ4001-s3-egress.yaml",
            [
                Expected(
                    code: "FJ4001", line: 74,
                    steps: [
                        "payments/ledger",
                        "ledger-archive.s3.us-east-1.amazonaws.com:443 (env `UPSTREAM_URL`, line 52)",
                        "ServiceEntry payments/ledger-archive host ledger-archive.s3.us-east-1.amazonaws.com",
                        "region us-east-1 (Northern Virginia)", "US",
                    ])
            ])
    }

    @Test func localZoneInMexico() {
        Self.check(
            "FJ4001-local-zone-mexico.yaml",
            [
                Expected(
                    code: "FJ4001", line: 87,
                    steps: [
                        "payments/ledger", "tax.tax.svc.cluster.local:8080 (env `UPSTREAM_URL`, line 59)",
                        "Deployment tax/tax",
                        "locality us-east-1/us-east-1-qro-1a",
                        "local zone us-east-1-qro-1a (Queretaro, parent region us-east-1)", "MX",
                    ])
            ])
    }

    @Test func copenhagenLocalZoneStaysInTheEEA() {
        Self.check("FJ4001-ok-local-zone-copenhagen.yaml", [])
    }

    @Test func allowAnyEgress() {
        Self.check(
            "FJ4001-allow-any.yaml",
            [
                Expected(
                    code: "FJ4001", line: 77,
                    steps: [
                        "payments/ledger", "any external host (env `UPSTREAM_URL` names api.partner.example, line 52)",
                        "outboundTrafficPolicy ALLOW_ANY (Sidecar payments/default)", "any country",
                    ])
            ])
    }

    @Test func responsesToACallerInTheUS() {
        Self.check(
            "FJ4001-response.yaml",
            [
                Expected(
                    code: "FJ4001", line: 94,
                    steps: [
                        "payments/ledger", "response to ledger.payments.svc.cluster.local:8080",
                        "env `LEDGER_URL` of reporting/reporting",
                        "reporting/reporting", "region us-east4 (Ashburn, Virginia)", "US",
                    ])
            ])
    }

    @Test func cleanAllEEAMesh() {
        Self.check("FJ4001-ok-all-eea.yaml", [])
    }

    @Test func unknownLocations() {
        Self.check(
            "FJ4002-unknown-location.yaml",
            [
                Expected(
                    code: "FJ4002", line: 89,
                    steps: [
                        "payments/ledger", "risk.risk.svc.cluster.local:8080 \(Self.openEgress)",
                        "Deployment risk/risk",
                        "locality dc-oslo-1/rack-4", "unknown location",
                    ]),
                Expected(
                    code: "FJ4002", line: 115,
                    steps: [
                        "payments/ledger", "ledgerarchive.blob.core.windows.net:443 (env `UPSTREAM_URL`, line 61)",
                        "ServiceEntry payments/blob-archive host ledgerarchive.blob.core.windows.net",
                        "unknown location",
                    ]),
                Expected(
                    code: "FJ4002", line: 131,
                    steps: [
                        "payments/ledger", "api.bank.no:443 \(Self.openEgress)",
                        "ServiceEntry payments/bank-api host api.bank.no",
                        "unknown location",
                    ]),
                Expected(code: "FJ4002", line: 144, steps: ["payments/settlement", "no locality", "unknown location"]),
            ])
        Self.check("FJ4002-ok-declared-locations.yaml", [])
    }

    @Test func conditionalAdequacy() throws {
        Self.check(
            "FJ4003-conditional-adequacy.yaml",
            [
                Expected(
                    code: "FJ4003", line: 95,
                    steps: [
                        "payments/ledger", "fraud-score.risk.svc.cluster.local:8080 \(Self.openEgress)",
                        "Deployment risk/fraud-score",
                        "locality us-east-1/us-east-1b",
                        "region us-east-1 (Northern Virginia)", "US",
                    ]),
                Expected(
                    code: "FJ4003", line: 127,
                    steps: [
                        "payments/ledger", "crm.risk.svc.cluster.local:8080 \(Self.openEgress)", "Deployment risk/crm",
                        "locality us-west-2/us-west-2a",
                        "region us-west-2 (Oregon)", "US",
                    ]),
            ])
        let found = Self.findings([RepoPaths.path("fixtures/checks/FJ4003-conditional-adequacy.yaml")])
        let attested = try #require(found.first { $0.range.start.line == 95 })
        #expect(attested.severity == .info && attested.message.contains("attestation 0"))
        #expect(attested.notes.contains { $0.message.contains("DPF List entry for Example Scoring Inc.") })
        let unattested = try #require(found.first { $0.range.start.line == 127 })
        #expect(unattested.severity == .warning && unattested.message.contains("no attestation covers it"))
        Self.check("FJ4003-ok-full-adequacy.yaml", [])
    }

    // MARK: Locality settings, retries, sidecars

    /// A personal-data ledger in europe-north1 calling `risk`, which runs in europe-north1 and
    /// us-east1 (South Carolina); `extra` is appended (a DestinationRule, a VirtualService...).
    static func localityMesh(_ extra: String, ledgerLabels: String = "") -> String {
        """
        apiVersion: v1
        kind: Namespace
        metadata: {name: payments, labels: {istio-injection: enabled}}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: risk, labels: {istio-injection: enabled}}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: istio, namespace: istio-system}
        data:
          mesh: |-
            outboundTrafficPolicy:
              mode: REGISTRY_ONLY
        ---
        apiVersion: fjord.dev/v1alpha1
        kind: ResidencyPolicy
        metadata: {name: eea, namespace: istio-system}
        spec:
          personalData:
          - namespaces: [payments]
          allowedJurisdictions: [EEA]
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: ledger, namespace: payments}
        spec:
          selector: {matchLabels: {app: ledger}}
          template:
            metadata:
              labels: {app: ledger, topology.istio.io/locality: europe-north1.europe-north1-a\(ledgerLabels)}
            spec:
              containers: [{name: ledger, image: "ledger:1"}]
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: risk-fi, namespace: risk}
        spec:
          selector: {matchLabels: {app: risk, site: fi}}
          template:
            metadata:
              labels: {app: risk, site: fi, topology.istio.io/locality: europe-north1.europe-north1-b}
            spec:
              containers: [{name: risk, image: "risk:1"}]
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: risk-us, namespace: risk}
        spec:
          selector: {matchLabels: {app: risk, site: us}}
          template:
            metadata:
              labels: {app: risk, site: us, topology.istio.io/locality: us-east1.us-east1-b}
            spec:
              containers: [{name: risk, image: "risk:1"}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: risk, namespace: risk}
        spec:
          selector: {app: risk}
          ports: [{name: http, port: 8080}]
        ---
        \(extra)
        """
    }

    static func residencyFindings(_ text: String) throws -> [Diagnostic] {
        try TestPipeline.check(text: text).diagnostics.filter { $0.code.rawValue.hasPrefix("FJ400") }
    }

    @Test func distributeRemovesLocalities() throws {
        let found = try Self.residencyFindings(
            Self.localityMesh(
                """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: risk, namespace: risk}
                spec:
                  host: risk
                  trafficPolicy:
                    loadBalancer:
                      localityLbSetting:
                        distribute:
                        - from: europe-north1/*
                          to:
                            "europe-north1/*": 100
                    outlierDetection: {consecutive5xxErrors: 5}
                """))
        #expect(
            found.isEmpty,
            "distribute keeps the ledger's requests in europe-north1: \(found.map { $0.witness?.steps ?? [] })")
    }

    @Test func distributeToAnotherRegionOpensThePath() throws {
        let found = try Self.residencyFindings(
            Self.localityMesh(
                """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: risk, namespace: risk}
                spec:
                  host: risk
                  trafficPolicy:
                    loadBalancer:
                      localityLbSetting:
                        distribute:
                        - from: europe-north1/*
                          to:
                            "europe-north1/*": 80
                            "us-east1/*": 20
                    outlierDetection: {consecutive5xxErrors: 5}
                """))
        #expect(found.count == 1)
        #expect(
            found.first?.witness?.steps == [
                "payments/ledger", "risk.risk.svc.cluster.local:8080 \(Self.openEgress)",
                "distribute europe-north1/* -> us-east1/* (20 %)", "Deployment risk/risk-us",
                "locality us-east1/us-east1-b", "region us-east1 (Moncks Corner, South Carolina)", "US",
            ])
    }

    @Test func failoverPriorityKeepsOtherRegionsReachable() throws {
        let found = try Self.residencyFindings(
            Self.localityMesh(
                """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: risk, namespace: risk}
                spec:
                  host: risk
                  trafficPolicy:
                    loadBalancer:
                      localityLbSetting:
                        failoverPriority: [site]
                    outlierDetection: {consecutive5xxErrors: 5}
                """))
        #expect(found.count == 1)
        #expect(
            found.first?.witness?.steps == [
                "payments/ledger", "risk.risk.svc.cluster.local:8080 \(Self.openEgress)",
                "failoverPriority (another region, lower priority)", "Deployment risk/risk-us",
                "locality us-east1/us-east1-b", "region us-east1 (Moncks Corner, South Carolina)", "US",
            ])
    }

    @Test func retriesToOtherLocalities() throws {
        let found = try Self.residencyFindings(
            Self.localityMesh(
                """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: risk, namespace: risk}
                spec:
                  hosts: [risk]
                  http:
                  - name: score
                    route:
                    - destination: {host: risk}
                    timeout: 2s
                    retries: {attempts: 2, retryRemoteLocalities: true}
                """))
        #expect(found.count == 1)
        #expect(
            found.first?.witness?.steps == [
                "payments/ledger", "risk.risk.svc.cluster.local:8080 \(Self.openEgress)",
                "VirtualService risk/risk rule `score`", "retry to another locality",
                "Deployment risk/risk-us", "locality us-east1/us-east1-b",
                "region us-east1 (Moncks Corner, South Carolina)", "US",
            ])
    }

    @Test func unreachableRulesOpenNoPath() throws {
        // Rule `all` takes every request: rule `us-only` (a route to the US pods) can never match.
        let found = try Self.residencyFindings(
            Self.localityMesh(
                """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: risk, namespace: risk}
                spec:
                  host: risk
                  subsets:
                  - {name: fi, labels: {site: fi}}
                  - {name: us, labels: {site: us}}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: risk, namespace: risk}
                spec:
                  hosts: [risk]
                  http:
                  - name: all
                    match:
                    - headers: {x-tenant: {prefix: ""}}
                    - withoutHeaders: {x-tenant: {}}
                    route:
                    - destination: {host: risk, subset: fi}
                    timeout: 2s
                  - name: us-only
                    match:
                    - headers: {x-tenant: {exact: acme}}
                    route:
                    - destination: {host: risk, subset: us}
                    timeout: 2s
                """))
        #expect(
            !found.contains { $0.witness?.steps.contains("subset `us`") ?? false },
            "\(found.map { $0.witness?.steps ?? [] })")
        // The control: with `us-only` first, both rules can match and the US path opens.
        let text = Self.localityMesh(
            """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: risk, namespace: risk}
            spec:
              host: risk
              subsets:
              - {name: fi, labels: {site: fi}}
              - {name: us, labels: {site: us}}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: risk, namespace: risk}
            spec:
              hosts: [risk]
              http:
              - name: us-only
                match:
                - headers: {x-tenant: {exact: acme}}
                route:
                - destination: {host: risk, subset: us}
                timeout: 2s
              - name: all
                route:
                - destination: {host: risk, subset: fi}
                timeout: 2s
            """)
        let control = try Self.residencyFindings(text)
        #expect(
            control.contains { $0.witness?.steps.contains("subset `us`") ?? false },
            "\(control.map { $0.witness?.steps ?? [] })")
    }

    @Test func aPersonalWorkloadWithoutSidecarCanReachAnywhere() throws {
        let found = try Self.residencyFindings(
            Self.localityMesh("", ledgerLabels: ", sidecar.istio.io/inject: \"false\""))
        let anywhere = try #require(
            found.first { $0.witness?.steps.contains { $0.hasPrefix("any external host") } ?? false })
        #expect(anywhere.code == .residencyViolation)
        // No call evidence of an external host: open egress only, a warning with a fix.
        #expect(anywhere.severity == .warning && anywhere.fix != nil)
        #expect(
            anywhere.witness?.steps == [
                "payments/ledger", "any external host (reachable: no call evidence of an external host)",
                "no sidecar (pod label `sidecar.istio.io/inject: \"false\"`)", "any country",
            ])
    }

    @Test func workloadEntryLocalityWithSlashes() throws {
        // A VM in the Queretaro Local Zone, behind a MESH_INTERNAL ServiceEntry.
        let found = try Self.residencyFindings(
            Self.localityMesh(
                """
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata: {name: scoring-vm, namespace: risk}
                spec:
                  address: 10.8.0.4
                  labels: {app: scoring}
                  locality: us-east-1/us-east-1-qro-1a
                  serviceAccount: scoring
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: scoring, namespace: risk}
                spec:
                  hosts: [scoring.risk.internal]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: 8080, name: http, protocol: HTTP}]
                  workloadSelector:
                    labels: {app: scoring}
                """))
        let mx = try #require(
            found.first { $0.witness?.steps.last == "MX" }, "\(found.map { $0.witness?.steps ?? [] })")
        #expect(
            mx.witness?.steps == [
                "payments/ledger", "scoring.risk.internal:8080 \(Self.openEgress)", "WorkloadEntry risk/scoring-vm",
                "locality us-east-1/us-east-1-qro-1a",
                "local zone us-east-1-qro-1a (Queretaro, parent region us-east-1)", "MX",
            ])
    }

    // MARK: Transitive flows (fixed point), evidence per hop, gateways

    static func fixtureText(_ name: String) throws -> String {
        try String(contentsOfFile: RepoPaths.path("fixtures/checks/\(name)"), encoding: .utf8)
    }

    static func report(_ text: String) throws -> ResidencyReport {
        let (mesh, _) = try MeshLoading.mesh(fromYAML: text)
        return ResidencyAnalysis.run(mesh: mesh, trees: true)
    }

    @Test func twoHopsThroughFraudCheckWithTheEnvVarsPosition() throws {
        let path = [
            "payments/ledger", "fraud-check.risk.svc.cluster.local:8080 (env `FRAUD_CHECK_URL`, line 82)",
            "Deployment risk/fraud-check", "locality norwayeast/norwayeast-2",
            "model-scorer.ml.svc.cluster.local:8080 (env `SCORER_URL`, line 117)", "Deployment ml/model-scorer",
            "locality eastus/eastus-1", "region eastus (Virginia)", "US",
        ]
        Self.check("FJ4001-two-hop-call-evidence.yaml", [Expected(code: "FJ4001", line: 145, steps: path)])
        let d = try #require(Self.findings([RepoPaths.path("fixtures/checks/FJ4001-two-hop-call-evidence.yaml")]).first)
        #expect(d.severity == .error)
        let env = try #require(d.notes.first { $0.message.contains("env `SCORER_URL`") })
        #expect(env.range?.start.line == 117 && env.range?.start.column == 17)
        Self.check("FJ4001-ok-two-hop-swedencentral.yaml", [])

        // With a wide Sidecar the ledger's own proxy sees the scorer too, but nothing shows it calls
        // it: the finding keeps the true path, through fraud-check, and stays an error.
        let text = try Self.fixtureText("FJ4001-two-hop-call-evidence.yaml").replacingOccurrences(
            of: "    - ./*\n    - risk/*\n    - istio-system/*\n", with: "    - \"*/*\"\n")
        let wide = try Self.residencyFindings(text)
        #expect(wide.count == 1, "\(wide.map { $0.witness?.steps ?? [] })")
        // (Two lines fewer above the env vars.)
        let widePath = path.map {
            $0.replacingOccurrences(of: "line 82", with: "line 80").replacingOccurrences(
                of: "line 117", with: "line 115")
        }
        #expect(wide.first?.witness?.steps == widePath && wide.first?.severity == .error)
        #expect(
            wide.first?.notes.contains { $0.message.contains("the same path is open") } == false,
            "one source, one finding")
    }

    @Test func aThreeHopChainWithACycle() throws {
        Self.check(
            "FJ4001-three-hop-cycle.yaml",
            [
                Expected(
                    code: "FJ4001", line: 178,
                    steps: [
                        "payments/ledger", "fraud-check.risk.svc.cluster.local:8080 (env `FRAUD_CHECK_URL`, line 80)",
                        "Deployment risk/fraud-check", "locality norwayeast/norwayeast-2",
                        "features.ml.svc.cluster.local:8080 (env `FEATURES_URL`, line 114)", "Deployment ml/features",
                        "locality swedencentral/swedencentral-1",
                        "model-scorer.ml.svc.cluster.local:8080 (env `SCORER_URL`, line 148)",
                        "Deployment ml/model-scorer", "locality eastus/eastus-1", "region eastus (Virginia)", "US",
                    ]),
                // The scorer also calls fraud-check, which holds the data: it reads it in responses.
                Expected(
                    code: "FJ4001", line: 185,
                    steps: [
                        "payments/ledger", "fraud-check.risk.svc.cluster.local:8080 (env `FRAUD_CHECK_URL`, line 80)",
                        "Deployment risk/fraud-check", "locality norwayeast/norwayeast-2",
                        "response to fraud-check.risk.svc.cluster.local:8080", "env `FEEDBACK_URL` of ml/model-scorer",
                        "ml/model-scorer", "region eastus (Virginia)", "US",
                    ]),
            ])
        // Each receiver holds the data once, at its fewest hops.
        let r = try Self.report(Self.fixtureText("FJ4001-three-hop-cycle.yaml"))
        let hops = Dictionary(r.receivers.map { ($0.workload, $0.proxyHops) }, uniquingKeysWith: { a, _ in a })
        #expect(r.receivers.count == 3, "\(r.receivers.map(\.workload))")
        #expect(hops == ["risk/fraud-check": 1, "ml/features": 2, "ml/model-scorer": 3])
        #expect(r.receivers.allSatisfy { $0.strength == .evidence && $0.root == "payments/ledger" })
    }

    @Test func aProcessorStopsTheData() throws {
        Self.check("FJ4001-ok-processor-stop.yaml", [])
        let text = try Self.fixtureText("FJ4001-ok-processor-stop.yaml")
        let r = try Self.report(text)
        #expect(r.stops.count == 1)
        #expect(r.stops.first?.workload == "risk/tokenizer" && r.stops.first?.reachedFrom == ["payments/ledger"])
        #expect(r.stops.first?.reason.hasPrefix("replaces card numbers by tokens") == true)
        let tree = try #require(r.trees.first)
        #expect(tree.nodes.contains { $0.label == "`risk/tokenizer`" && $0.stop != nil })
        #expect(!tree.nodes.contains { $0.label == "`ml/model-scorer`" })
        // The control: without the stop, the tokenizer's call to the scorer in the US is followed.
        let open = text.replacingOccurrences(
            of: "  processors:\n  - workload: risk/tokenizer\n", with: "  processors:\n  - workload: risk/elsewhere\n")
        let found = try Self.residencyFindings(open)
        #expect(found.contains { $0.code == .residencyViolation && $0.message.contains("through `risk/tokenizer`") })
        #expect(found.contains { $0.code == .invalidResidencyPolicy && $0.message.contains("`risk/elsewhere`") })
    }

    @Test func personalDataEnteringThroughAnIngressGateway() throws {
        Self.check(
            "FJ4001-ingress-gateway.yaml",
            [
                Expected(
                    code: "FJ4001", line: 178,
                    steps: [
                        "Gateway istio-system/public (users in NO)", "shop.example.no:80 (routed by the gateway)",
                        "VirtualService shop/storefront rule `recommendations`", "recs.shop.svc.cluster.local:8080",
                        "Deployment shop/recs", "locality us-east-1/us-east-1a", "region us-east-1 (Northern Virginia)",
                        "US",
                    ])
            ])
        // A gateway that serves only users the policy does not cover is no source.
        let text = try Self.fixtureText("FJ4001-ingress-gateway.yaml").replacingOccurrences(
            of: "serves: [\"NO\"]", with: "serves: [\"US\"]")
        let found = try Self.residencyFindings(text)
        #expect(!found.contains { $0.message.contains("entering through Gateway") })
    }

    @Test func anEgressGatewayIsFollowedToTheBucket() {
        Self.check(
            "FJ4001-egress-gateway-s3.yaml",
            [
                Expected(
                    code: "FJ4001", line: 105,
                    steps: [
                        "payments/ledger", "ledger-archive.s3.us-east-1.amazonaws.com:80 (env `ARCHIVE_URL`, line 52)",
                        "VirtualService payments/archive-via-egress rule `to-egress-gateway`",
                        "istio-egressgateway.istio-system.svc.cluster.local:80",
                        "Deployment istio-system/istio-egressgateway",
                        "locality norwayeast/norwayeast-1",
                        "ledger-archive.s3.us-east-1.amazonaws.com:80 (routed by the gateway)",
                        "VirtualService payments/archive-via-egress rule `to-bucket`",
                        "ServiceEntry payments/ledger-archive host ledger-archive.s3.us-east-1.amazonaws.com",
                        "region us-east-1 (Northern Virginia)", "US",
                    ])
            ])
    }

    @Test func aDestinationRuleWorkloadSelectorChangesTheSubset() throws {
        Self.check(
            "FJ4001-destination-rule-workload-selector.yaml",
            [
                Expected(
                    code: "FJ4001", line: 176,
                    steps: [
                        "payments/ledger", "risk.risk.svc.cluster.local:8080 (env `RISK_URL`, line 60)",
                        "VirtualService risk/risk rule `score`", "subset `primary`", "Deployment risk/risk-us",
                        "locality us-east1/us-east1-b", "region us-east1 (Moncks Corner, South Carolina)", "US",
                    ])
            ])
        let d = try #require(
            Self.findings([RepoPaths.path("fixtures/checks/FJ4001-destination-rule-workload-selector.yaml")]).first)
        #expect(d.notes.contains { $0.message.contains("DestinationRule payments/risk-for-ledger selects `site=us`") })
        // billing, in the same namespace but not selected, keeps the Finnish subset.
        #expect(!d.notes.contains { $0.message.contains("payments/billing") })
    }

    @Test func strictReadingMakesOpenEgressAnError() throws {
        let mesh = Self.localityMesh(
            """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: risk, namespace: risk}
            spec:
              host: risk
              trafficPolicy:
                loadBalancer:
                  localityLbSetting:
                    failoverPriority: [site]
                outlierDetection: {consecutive5xxErrors: 5}
            """)
        let lenient = try Self.residencyFindings(mesh)
        #expect(lenient.count == 1 && lenient.first?.severity == .warning && lenient.first?.fix != nil)
        let strict = try Self.residencyFindings(
            mesh.replacingOccurrences(
                of: "  allowedJurisdictions: [EEA]\n", with: "  allowedJurisdictions: [EEA]\n  strict: true\n"))
        #expect(strict.count == 1 && strict.first?.severity == .error)
        #expect(strict.first?.witness?.steps == lenient.first?.witness?.steps)
    }

    // MARK: The demo mesh

    static let demo = "fixtures/examples/oslo-shop"

    static func demoFindings(_ variant: String) -> [Diagnostic] {
        findings([RepoPaths.path("\(demo)/\(variant)")])
    }

    @Test func cleanDemoHasNoResidencyFinding() {
        let found = Self.demoFindings("clean")
        #expect(found.isEmpty, "\(found.map(\.message))")
    }

    /// README items 7a-7e of fixtures/examples/oslo-shop: each an FJ4001 at the line that opens
    /// the path, with the path's hops.
    @Test func mistakesDemoShowsEachResidencyMistake() throws {
        let result = TestPipeline.check(paths: [RepoPaths.path("\(Self.demo)/mistakes")])
        let all = result.diagnostics.filter { $0.code == .residencyViolation }
        func at(_ file: String, _ line: Int, _ severity: Severity = .error) throws -> [String] {
            let d = try #require(
                all.first { $0.range.start.line == line && result.sources.path(of: $0.range.file).hasSuffix(file) },
                "no FJ4001 at \(file):\(line); found \(all.map { "\(result.sources.path(of: $0.range.file)):\($0.range.start.line)" })"
            )
            #expect(d.severity == severity, "\(file):\(line) is \(d.severity)")
            return d.witness?.steps ?? []
        }
        // 7a: 10 % of fraud checks to fraud-check-us in eastus.
        #expect(
            try at("fraud-check.yaml", 139) == [
                "payments/payment-service-v1",
                "fraud-check.payments.svc.cluster.local:9000 (annotation `fjord.dev/calls`, line 13)",
                "VirtualService payments/fraud-check rule `score`",
                "weight 10", "subset `us`", "Deployment payments/fraud-check-us", "locality eastus/eastus-1",
                "region eastus (Virginia)", "US",
            ])
        // 7a: fraud-check-us is itself a personal-data workload in the US.
        #expect(
            try at("fraud-check.yaml", 77) == [
                "payments/fraud-check-us", "locality eastus/eastus-1 from pod label `topology.istio.io/locality`",
                "region eastus (Virginia)", "US",
            ])
        // 7b: every booking mirrored to analytics-ingest in us-east-1.
        #expect(
            try at("ledger.yaml", 113) == [
                "payments/payment-service-v1",
                "ledger.payments.svc.cluster.local:8080 (annotation `fjord.dev/calls`, line 13)",
                "VirtualService payments/ledger rule `bookings`",
                "mirror 100 %", "analytics-ingest.data.svc.cluster.local:8080", "Deployment data/analytics-ingest",
                "locality us-east-1/us-east-1a",
                "region us-east-1 (Northern Virginia)", "US",
            ])
        // 7c: locality failover to eastus, latent (no endpoint there). Only a warning: no
        // personal-data workload has evidence of calling payment-service, its sidecar sees it.
        let failover = try at("payments.yaml", 288, .warning)
        #expect(
            failover.contains("locality failover norwayeast -> eastus")
                && failover.contains("no endpoint in eastus today"))
        #expect(Array(failover.suffix(2)) == ["region eastus (Virginia)", "US"])
        // 7d: the S3 bucket in us-east-1.
        #expect(
            try at("egress.yaml", 30) == [
                "payments/ledger", "reports-archive.s3.us-east-1.amazonaws.com:443 (env `ARCHIVE_URL`, line 41)",
                "ServiceEntry payments/reports-archive host reports-archive.s3.us-east-1.amazonaws.com",
                "region us-east-1 (Northern Virginia)", "US",
            ])
        // 7e: ALLOW_ANY in the mesh configuration.
        let allowAny = try at("mesh-config.yaml", 21)
        #expect(
            Array(allowAny.dropFirst()) == [
                "any external host (env `ARCHIVE_URL` names reports-archive.s3.us-east-1.amazonaws.com, line 41)",
                "outboundTrafficPolicy ALLOW_ANY (ConfigMap istio-system/istio)", "any country",
            ])
        // The frontend's clickstream to analytics-ingest is not personal data.
        #expect(!all.contains { $0.witness?.steps.first == "shop/frontend" })
    }
}
