import Foundation
import Testing
import _FjordTestSupport

/// `fjord residency` and `fjord graph` on the demo mesh, through the built executable.
@Suite struct ResidencyCommandTests {
    static let demo = RepoPaths.path("fixtures/examples/oslo-shop")

    @Test func residencyTableForTheMistakes() throws {
        let r = try FjordProcess.run(["residency", "\(Self.demo)/mistakes"])
        #expect(r.exited(1), "FJ4001 findings fail the run: \(r)")
        #expect(
            r.stdout.contains("ResidencyPolicy istio-system/personal-data-stays-in-eea: personal data may stay in EEA"),
            "\(r)")
        #expect(
            r.stdout.contains("fraud-check.payments.svc.cluster.local\n  runs in\n    payments/fraud-check "), "\(r)")
        #expect(r.stdout.contains("payments/fraud-check-us                      eastus, US"), "\(r)")
        #expect(r.stdout.contains("US  adequacy-partial  OUTSIDE"), "\(r)")
        #expect(r.stdout.contains("*   any country       OUTSIDE  allow-any"), "\(r)")
        #expect(r.stdout.contains("8 FJ4001"), "\(r)")
        // Only input that cannot be read goes to standard error; other findings are `fjord check`'s.
        #expect(r.stderr.isEmpty, "\(r)")
    }

    /// The tree per data-bearing service: hop counts and the evidence per edge, and the stops.
    @Test func residencyTreeWithHopsEvidenceAndStops() throws {
        let fixtures = RepoPaths.path("fixtures/checks")
        let r = try FjordProcess.run(["residency", "\(fixtures)/FJ4001-three-hop-cycle.yaml"])
        #expect(r.exited(1), "\(r)")
        #expect(r.stdout.contains("  where its data goes (proxy hops, place, verdict, evidence of the hop)\n"), "\(r)")
        #expect(
            r.stdout.contains(
                """
                    1  `risk/fraud-check`  norwayeast, NO  allowed  env `FRAUD_CHECK_URL`, line 80
                    2    `ml/features`  swedencentral, SE  allowed  env `FEATURES_URL`, line 114
                    3      `ml/model-scorer`  eastus, US  OUTSIDE  env `SCORER_URL`, line 148
                """), "\(r)")
        #expect(r.stdout.contains("3 workloads receive personal data without being selected"), "\(r)")
        let stop = try FjordProcess.run(["residency", "\(fixtures)/FJ4001-ok-processor-stop.yaml"])
        #expect(stop.exited(0), "\(stop)")
        #expect(stop.stdout.contains("STOP: replaces card numbers by tokens"), "\(stop)")
        #expect(
            stop.stdout.contains(
                "stops (processors the policy says do not forward personal data; not followed)\n"
                    + "  risk/tokenizer                   receives it from `payments/ledger`: replaces card numbers"),
            "\(stop)")
        #expect(!stop.stdout.contains("model-scorer"), "\(stop)")
        let json = try FjordProcess.run(["residency", "--format", "json", "\(fixtures)/FJ4001-ok-processor-stop.yaml"])
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let policy = try #require((doc["policies"] as? [[String: Any]])?.first)
        let stops = try #require(policy["stops"] as? [[String: Any]])
        #expect(stops.first?["workload"] as? String == "risk/tokenizer")
        let tree = try #require(((policy["services"] as? [[String: Any]])?.first)?["tree"] as? [[String: Any]])
        #expect(tree.first?["hops"] as? Int == 1 && tree.first?["stop"] as? String != nil)
    }

    /// `fjord graph --focus residency` and `--from`: only the paths personal data takes, an edge
    /// per hop with its count and evidence.
    @Test func graphOfTheResidencyPaths() throws {
        let fixtures = RepoPaths.path("fixtures/checks")
        let r = try FjordProcess.run(["graph", "--focus", "residency", "\(fixtures)/FJ4001-egress-gateway-s3.yaml"])
        #expect(r.exited(0), "\(r)")
        #expect(
            r.stdout.contains(
                "\"src:ledger.payments.svc.cluster.local\" -> \"place:`istio-system/istio-egressgateway`\" [label=\"1: env ARCHIVE_URL, line 52\""
            ), "\(r)")
        #expect(
            r.stdout.contains(
                "\"place:`istio-system/istio-egressgateway`\" -> \"place:`ledger-archive.s3.us-east-1.amazonaws.com`\" [label=\"2: route of the gateway\""
            ), "\(r)")
        // Only the residency paths: no Service nodes of the whole mesh.
        #expect(!r.stdout.contains("\"svc:"), "\(r)")
        let from = try FjordProcess.run([
            "graph", "--from", "risk/fraud-check", "\(fixtures)/FJ4001-three-hop-cycle.yaml",
        ])
        #expect(from.exited(0), "\(from)")
        #expect(
            from.stdout.contains(
                "\"place:`ml/features`\" -> \"place:`ml/model-scorer`\" [label=\"2: env SCORER_URL, line 148\""),
            "\(from)")
        let unknown = try FjordProcess.run([
            "graph", "--from", "risk/nothing", "\(fixtures)/FJ4001-three-hop-cycle.yaml",
        ])
        #expect(unknown.exited(2) && unknown.stderr.contains("no workload or Service `risk/nothing`"), "\(unknown)")
        let noPolicy = try FjordProcess.run(["graph", "--focus", "residency", "\(fixtures)/FJ2001-canary-weights.yaml"])
        #expect(noPolicy.exited(2) && noPolicy.stderr.contains("need a ResidencyPolicy"), "\(noPolicy)")
    }

    @Test func residencyOfTheCleanMeshStaysInTheEEA() throws {
        let r = try FjordProcess.run(["residency", "\(Self.demo)/clean"])
        #expect(r.exited(0), "\(r)")
        #expect(!r.stdout.contains("OUTSIDE") && !r.stdout.contains("UNKNOWN"), "\(r)")
        #expect(r.stdout.contains("every path stays in the allowed jurisdictions"), "\(r)")
        #expect(r.stderr.isEmpty, "\(r)")
    }

    @Test func residencyJSON() throws {
        let r = try FjordProcess.run(["residency", "--format", "json", "\(Self.demo)/mistakes"])
        #expect(r.exited(1), "\(r)")
        let doc = try #require(
            try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stdout)")
        #expect(doc["version"] as? Int == 1)
        let findings = try #require(doc["findings"] as? [String: Int])
        #expect(findings["FJ4001"] == 8)
        let policies = try #require(doc["policies"] as? [[String: Any]])
        let services = try #require(policies.first?["services"] as? [[String: Any]])
        let fraud = try #require(
            services.first { $0["service"] as? String == "fraud-check.payments.svc.cluster.local" })
        let reaches = try #require(fraud["reaches"] as? [[String: Any]])
        let us = try #require(
            reaches.first { $0["country"] as? String == "US" && $0["verdict"] as? String == "OUTSIDE" })
        let via = try #require(us["via"] as? [String: Int])
        #expect(
            via["weight"] != nil && via["mirror"] != nil && via["egress"] != nil && via["placement"] != nil, "\(via)")
    }

    @Test func residencyWithoutAPolicy() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("clean.yaml", Samples.clean)
        let r = try FjordProcess.run(["residency", file])
        #expect(r.exited(0), "\(r)")
        #expect(r.stdout.contains("no ResidencyPolicy among the inputs"), "\(r)")
    }

    @Test func graphAsDotAndMermaid() throws {
        let dot = try FjordProcess.run(["graph", "--title", "oslo-shop", "\(Self.demo)/mistakes"])
        #expect(dot.exited(0), "\(dot)")
        #expect(dot.stdout.hasPrefix("digraph \"oslo-shop\" {"), "\(dot)")
        #expect(dot.stdout.contains("label=\"payments\\nmTLS STRICT (mesh)\""), "\(dot)")
        #expect(
            dot.stdout.contains(
                "\"svc:fraud-check.payments.svc.cluster.local\" -> \"wl:payments/fraud-check-us\" [label=\"rule score 10 % us\""
            ), "\(dot)")
        #expect(
            dot.stdout.contains(
                "-> \"svc:analytics-ingest.data.svc.cluster.local\" [label=\"mirror 100 %\", style=dashed"), "\(dot)")
        #expect(dot.stdout.contains("-> \"region:eastus\" [label=\"failover norwayeast -> eastus\""), "\(dot)")
        #expect(
            dot.stdout.contains(
                "\"wl:payments/fraud-check-us\" [label=\"fraud-check-us\\neastus (US)\\nmTLS STRICT\\npersonal data\", shape=box, fillcolor=\"#ffcdd2\""
            ), "\(dot)")
        #expect(dot.stdout.hasSuffix("}\n"), "\(dot)")
        let mermaid = try FjordProcess.run(["graph", "--format", "mermaid", "\(Self.demo)/clean"])
        #expect(mermaid.exited(0), "\(mermaid)")
        #expect(mermaid.stdout.contains("flowchart LR\n"), "\(mermaid)")
        #expect(mermaid.stdout.contains("classDef eea fill:#c8e6c9"), "\(mermaid)")
        #expect(
            !mermaid.stdout.contains("class ") || !mermaid.stdout.contains(" other\n"),
            "the clean mesh has nothing outside the EEA: \(mermaid)")
    }
}
