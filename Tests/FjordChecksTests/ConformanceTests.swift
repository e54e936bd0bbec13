import FjordCompiler
import FjordDiagnostics
import Foundation
import Testing
import _FjordTestSupport

/// Fjord against `istioctl analyze`'s own test expectations
/// (`../shared/corpus/istio-analyzer-testdata`, see its EXPECTED.md): for each analyzer Fjord
/// covers, every expected message is found, or is a difference explained here and in
/// `docs/conformance.md`. Like Istio's harness, one analyzer runs per case (only the Fjord codes
/// that correspond to it count), messages are compared as (code, resource) multisets, and an
/// ingress gateway Pod and Service are added in `istio-system`.
@Suite struct ConformanceTests {
    /// A Fjord finding counted as an Istio message of one analyzer.
    struct Mapping: Sendable {
        var fjord: [String]
        /// Fjord code (and, optionally, a message fragment) -> Istio code.
        var translate: @Sendable (Diagnostic) -> [String]
        /// Istio code -> a translated code that also counts for it on the same resource.
        var alsoCounts: [String: String] = [:]
    }

    /// The analyzers Fjord covers, and how its codes correspond.
    static let analyzers: [String: Mapping] = [
        "virtualservice.DestinationHostAnalyzer": Mapping(fjord: ["FJ2101", "FJ2105"]) { d in
            d.code.rawValue == "FJ2105" && d.message.contains("names no port") ? ["IST0112"] : ["IST0101"]
        },
        "virtualservice.DestinationRuleAnalyzer": Mapping(fjord: ["FJ2102"]) { _ in ["IST0101"] },
        "virtualservice.GatewayAnalyzer": Mapping(fjord: ["FJ2106", "FJ2111"]) { d in
            d.code.rawValue == "FJ2106" ? ["IST0101"] : ["IST0132"]
        },
        "virtualservice.ConflictingMeshGatewayHostsAnalyzer": Mapping(fjord: ["FJ2004"]) { _ in ["IST0109"] },
        // A rule that can never match has only ineffective match blocks: it answers Istio's
        // IST0131 too when Istio expects no IST0130 for it (a one-block rule).
        "schema.ValidationAnalyzer.VirtualService": Mapping(
            fjord: ["FJ2002", "FJ2003"], translate: { d in d.code.rawValue == "FJ2002" ? ["IST0130"] : ["IST0131"] },
            alsoCounts: ["IST0131": "IST0130"]),
        "destinationrule.SubsetSelectPodAnalyzer": Mapping(fjord: ["FJ2103", "FJ2115"]) { d in
            d.code.rawValue == "FJ2103" ? ["IST0173"] : ["IST0174"]
        },
        "sidecar.SelectorAnalyzer": Mapping(fjord: ["FJ2112", "FJ2113", "FJ2114"]) { d in
            switch d.code.rawValue {
            case "FJ2112": return d.resource?.kind == "Sidecar" ? ["IST0101"] : []
            case "FJ2113": return ["IST0111"]
            default: return ["IST0110"]
            }
        },
        "auth.AuthorizationPoliciesAnalyzer": Mapping(fjord: ["FJ2112"]) { d in
            d.resource?.kind == "AuthorizationPolicy" ? ["IST0127"] : []
        },
        "gateway.ConflictingGatewayAnalyzer": Mapping(fjord: ["FJ2112", "FJ2117"]) { d in
            d.code.rawValue == "FJ2117" ? ["IST0145"] : d.resource?.kind == "Gateway" ? ["IST0101"] : []
        },
        "serviceentry.ConflictingServiceEntryProtocolAnalyzer": Mapping(fjord: ["FJ2118"]) { d in
            d.severity == .error ? ["IST0177"] : []
        },
    ]

    /// Differences, by case, `CODE Kind namespace/name` and the count that differs: why Fjord
    /// does not report an expected message, or reports one Istio does not. docs/conformance.md
    /// gives the same list.
    static let explainedMissing: [String: String] = [
        "virtualServiceDestinationHosts|IST0101 VirtualService default/reviews-bogushost":
            "the route `- {}` has no destination at all: Fjord reports it as FJ1009 missing-field (`destination` requires `host`), not as an unknown host",
        "virtualServiceDestinationHosts|IST0112 VirtualService default/reviews-2port-missing":
            "on sidecars a destination without a port goes to the port the request arrived on, which is right for a mesh VirtualService; Fjord reports a missing port (FJ2105) only on gateways, where the listener port is used instead",
        "virtualServiceConflictingMeshGatewayHostsWithExportTo|IST0109 VirtualService foo/productpage-d":
            "the hosts are `*.productpage.d` and `*.d`: Fjord's FJ2004 reports VirtualServices that bind the same host, and resolves a request host to the most specific wildcard (RouteTables), so neither VirtualService is ignored; Istio's analyzer reports any overlap of wildcard hosts",
        "virtualServiceConflictingMeshGatewayHostsWithExportTo|IST0109 VirtualService bar/productpage-d":
            "as for `foo/productpage-d`: different wildcard hosts, each the most specific match for its own requests",
        "virtualServiceGateways|IST0132 VirtualService default/httpbin-bogus":
            "the Gateway does not exist: Fjord reports that (FJ2106, IST0101 here) and does not add that a gateway it cannot find serves none of the hosts",
        "virtualServiceKubernetesGateways|IST0132 VirtualService default/my-vs-host-mismatch":
            "IST0132 for a Gateway API `Gateway`: Fjord skips Gateway API kinds (FJ1007), a gap",
        "virtualServiceInternalGatewayRef|IST0165 VirtualService default/httpbin":
            "IST0165 (a reference to Istio's internal `*-istio-autogenerated-k8s-gateway`) is not covered: a gap",
        "Route Rule no effect on Ingress|IST0140 VirtualService default/testing-service-01-test-01":
            "IST0140 (a route rule with sourceLabels/sourceNamespace on a gateway-only VirtualService has no effect on ingress) is not covered: a gap",
        "DestinationRuleWithFakeHost|IST0174 DestinationRule default/fake-host":
            "the inputs hold no Service of namespace `default` at all; like FJ2101, FJ2115 judges a cluster-local host only when the inputs hold Services of its namespace, so that a repository of routing resources alone does not get every DestinationRule reported",
        "sidecarDefaultSelector|IST0167 Sidecar ns-ambient/namespace-scoped":
            "IST0167 (a Sidecar in an ambient namespace) is about ambient mode, which Fjord does not model",
        "sidecarDefaultSelector|IST0167 Sidecar ns-ambient/pod-scoped":
            "IST0167 (a Sidecar in an ambient namespace) is about ambient mode, which Fjord does not model",
        "authorizationpolicies|IST0101 AuthorizationPolicy httpbin/httpbin-bogus-ns":
            "IST0101 for a source namespace that does not exist is not covered: a gap",
        "authorizationpolicies|IST0101 AuthorizationPolicy httpbin/httpbin-bogus-not-ns":
            "IST0101 for a `notNamespaces` entry that does not exist is not covered: a gap",
        "authorizationpolicies|IST0127 AuthorizationPolicy httpbin-empty/httpbin-empty-namespace-wide":
            "a policy without a selector in a namespace whose workloads are not among the inputs: FJ2112 judges selectors only, and only where the inputs hold workloads, so that a repository of policies alone does not get every policy reported",
        "DestinationRuleSubsetsNotSelectPods|IST0173 DestinationRule default/subsets-not-select-pods":
            "the inputs hold no pod of `httpbin` at all; Fjord reports an empty subset only when the inputs hold the service's workloads, so that a repository without Deployments does not get every subset reported",
    ]

    /// Fjord findings of a covered analyzer's kind that Istio's case does not expect.
    static let explainedExtra: [String: String] = [
        "dupmatches|IST0131 VirtualService default/uri-with-prefix-exact":
            "the second match block (`exact: /` and GET) is covered by the first (`prefix: /`) of the same rule; Istio's syntactic check ignores exact URIs, Fjord proves it on the decision diagram (FJ2003)"
    ]

    struct Row {
        var analyzer: String
        var cases = 0
        var expected = 0
        var found = 0
        var missed = 0
        var extra = 0
    }

    /// Istio's `AddDefaultResources()`: an ingress gateway Pod and Service in istio-system.
    static let defaultResources = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: istio-ingressgateway-dummypod
          namespace: istio-system
          labels:
            istio: ingressgateway
        spec:
          containers:
          - name: istio-proxy
            image: auto
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: istio-ingressgateway
          namespace: istio-system
        spec:
          selector:
            istio: ingressgateway
          ports:
          - name: http2
            port: 80
          - name: https
            port: 443
          - name: tcp
            port: 31400
          - name: tls
            port: 15443
        """

    @Test func istioAnalyzerExpectationsAreFoundOrExplained() throws {
        guard let corpus = RepoPaths.corpus("istio-analyzer-testdata") else {
            print("skipping: ../shared/corpus/istio-analyzer-testdata is absent")
            return
        }
        let data = try Data(contentsOf: corpus.appendingPathComponent("EXPECTED.json"))
        let cases = try #require(JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "fjord-conformance-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let defaults = dir.appendingPathComponent("istio-defaults.yaml")
        try Self.defaultResources.write(to: defaults, atomically: true, encoding: .utf8)

        var rows: [String: Row] = [:]
        var unexplained: [String] = []
        var differences: [String] = []
        var usedExplanations = Set<String>()
        for c in cases {
            guard let analyzer = c["analyzer"] as? String, let mapping = Self.analyzers[analyzer],
                let name = c["case"] as? String, let inputs = c["inputs"] as? [String]
            else { continue }
            var paths = inputs.map { corpus.appendingPathComponent($0).path } + [defaults.path]
            if let mc = c["meshConfig"] as? String { paths.append(corpus.appendingPathComponent(mc).path) }
            let result = TestPipeline.check(paths: paths)
            // Istio's messages: `Kind name` without a namespace in the YAML; Fjord fills `default`.
            var expected: [String: Int] = [:]
            for e in c["expected"] as? [[String: Any]] ?? [] {
                let code = e["code"] as? String ?? ""
                var resource = e["resource"] as? String ?? ""
                if let space = resource.firstIndex(of: " "), !resource.contains("/") {
                    resource = String(resource[..<space]) + " default/" + resource[resource.index(after: space)...]
                }
                expected["\(code) \(resource)", default: 0] += 1
            }
            var actual: [String: Int] = [:]
            for d in result.diagnostics where mapping.fjord.contains(d.code.rawValue) {
                guard let r = d.resource else { continue }
                for ist in mapping.translate(d) {
                    actual["\(ist) \(r.kind) \(r.namespace ?? "default")/\(r.name)", default: 0] += 1
                }
                // Fjord reports a conflict once, on the VirtualService Istio ignores, naming the one it keeps;
                // Istio reports both.
                if d.code.rawValue == "FJ2004",
                    let other = Self.firstQuoted(in: d.message, after: "which VirtualService ")
                {
                    actual["IST0109 VirtualService \(other)", default: 0] += 1
                }
            }
            var row = rows[analyzer] ?? Row(analyzer: analyzer)
            row.cases += 1
            var consumed = Set<String>()
            for (key, n) in expected {
                var got = min(n, actual[key] ?? 0)
                if got < n, let code = key.split(separator: " ").first, let alt = mapping.alsoCounts[String(code)] {
                    let altKey = alt + key.dropFirst(code.count)
                    if actual[altKey] != nil {
                        got = n
                        consumed.insert(altKey)
                    }
                }
                row.expected += n
                row.found += got
                if got < n {
                    row.missed += n - got
                    let id = "\(name)|\(key)"
                    if let why = Self.explainedMissing[id] {
                        usedExplanations.insert(id)
                        differences.append("missed \(n - got)x \(key) [\(name)]: \(why)")
                    } else {
                        unexplained.append("missed \(n - got)x \(key) [\(name)]")
                    }
                }
            }
            for (key, _) in actual.sorted(by: { $0.key < $1.key }) where expected[key] == nil && !consumed.contains(key)
            {
                row.extra += 1
                let id = "\(name)|\(key)"
                if let why = Self.explainedExtra[id] {
                    usedExplanations.insert(id)
                    differences.append("extra \(key) [\(name)]: \(why)")
                } else {
                    unexplained.append(
                        "extra \(key) [\(name)]: \(result.diagnostics.filter { mapping.fjord.contains($0.code.rawValue) }.map(\.message))"
                    )
                }
            }
            rows[analyzer] = row
        }
        var table = "| analyzer | cases | expected | found | missed | extra |\n|---|---|---|---|---|---|\n"
        var total = Row(analyzer: "total")
        for r in rows.values.sorted(by: { $0.analyzer < $1.analyzer }) + [] {
            table += "| `\(r.analyzer)` | \(r.cases) | \(r.expected) | \(r.found) | \(r.missed) | \(r.extra) |\n"
            total.cases += r.cases
            total.expected += r.expected
            total.found += r.found
            total.missed += r.missed
            total.extra += r.extra
        }
        table += "| total | \(total.cases) | \(total.expected) | \(total.found) | \(total.missed) | \(total.extra) |\n"
        print("Conformance with istioctl analyze's test expectations:\n" + table)
        for d in differences.sorted() { print("  " + d) }
        #expect(
            unexplained.isEmpty,
            Comment(
                rawValue: "differences without an explanation (add one here and in docs/conformance.md):\n"
                    + unexplained.joined(separator: "\n")))
        let stale = Set(Self.explainedMissing.keys).union(Self.explainedExtra.keys).subtracting(usedExplanations)
        #expect(stale.isEmpty, "explanations for differences that no longer occur: \(stale.sorted())")
        // The table in docs/conformance.md is this one.
        let doc = try RepoPaths.read("docs/conformance.md")
        #expect(doc.contains(table), "docs/conformance.md should hold the table:\n\(table)" as Comment)
    }

    /// `ns/name` from the first backticked name after `marker` in a message.
    static func firstQuoted(in message: String, after marker: String) -> String? {
        guard let r = message.range(of: marker + "`") else { return nil }
        let rest = message[r.upperBound...]
        guard let end = rest.firstIndex(of: "`") else { return nil }
        return String(rest[..<end])
    }
}
