import FjordCompiler
import FjordDiagnostics
import FjordModel
import Foundation
import Testing
import _FjordTestSupport

/// FJ2002/FJ2003 witnesses are replayed through the reference semantics: the witness request
/// must satisfy the shadowed block and be taken, first, by the rule the witness names.
@Suite struct ShadowingTests {
    static let fixtures = RepoPaths.files(
        under: RepoPaths.root.appendingPathComponent("fixtures/checks"), extensions: ["yaml"]
    )
    .map(\.lastPathComponent).filter { $0.hasPrefix("FJ2002-") || $0.hasPrefix("FJ2003-") }.filter {
        !$0.contains("-ok")
    }

    @Test(arguments: fixtures)
    func witnessReplaysThroughTheReferenceSemantics(_ name: String) throws {
        let path = RepoPaths.path("fixtures/checks/\(name)")
        let result = TestPipeline.check(paths: [path])
        let findings = result.diagnostics.filter { $0.code == .unreachableRule || $0.code == .ineffectiveMatch }
        #expect(!findings.isEmpty, "\(name) reports no shadowing")
        let semantics = Semantics(mesh: result.loaded.mesh)
        for d in findings {
            let w = try #require(d.witness, "\(name): \(d.message) has no witness")
            let wr = try #require(w.request)
            let request = try MeshRequest.parse(
                "\(wr.method) \(wr.url)", headers: wr.headers.map { .init($0.name, $0.value) }, port: wr.port)
            let vs = try #require(
                result.loaded.resources.virtualServices.first { v in
                    v.http.contains { d.range.start >= $0.range.start && d.range.start <= $0.range.end }
                })
            // First rule (and block) that the request satisfies, by the reference matcher.
            func satisfies(_ m: HTTPMatchRequest) -> Bool {
                if let p = m.port?.value, p != request.port { return false }
                return semantics.matches(MatchBlock(m, index: 0), request)
            }
            let first = vs.http.first { r in r.match.isEmpty || r.match.contains(where: satisfies) }
            let taker = try #require(first, "\(name): the witness \(request) matches no rule")
            #expect(
                w.steps.first == taker.displayName,
                "\(name): witness says \(w.steps), the reference semantics picks \(taker.displayName)")
            // The shadowed rule or block matches the request too.
            let shadowed = try #require(
                vs.http.first { r in
                    r.match.contains { d.range.start >= $0.range.start && d.range.start <= $0.range.end }
                        || r.range.start == d.range.start
                })
            let block = shadowed.match.first { d.range.start >= $0.range.start && d.range.start <= $0.range.end }
            if d.code == .unreachableRule {
                #expect(
                    shadowed.match.isEmpty || shadowed.match.contains(where: satisfies),
                    "\(name): the witness does not match the shadowed rule")
            } else if let block {
                #expect(satisfies(block), "\(name): the witness does not match the ineffective block")
            }
            #expect(shadowed.index > taker.index || (d.code == .ineffectiveMatch && shadowed.index >= taker.index))
        }
    }

    /// The IST0130/IST0131 expectations of Istio's own analyzer tests are all found.
    @Test func istioAnalyzerExpectationsAreFound() throws {
        guard let corpus = RepoPaths.corpus("istio-analyzer-testdata") else {
            print("skipping: ../shared/corpus/istio-analyzer-testdata is absent")
            return
        }
        let files = ["virtualservice_dupmatches.yaml", "virtualservice_overlappingmatches.yaml"].map {
            corpus.appendingPathComponent($0).path
        }
        let result = TestPipeline.check(paths: files)
        var found = Set<String>()
        for d in result.diagnostics {
            guard let r = d.resource else { continue }
            let name = "VirtualService " + (r.namespace.map { "\($0)/" } ?? "") + r.name
            if d.code == .unreachableRule {
                found.insert("IST0130 \(name)")
                found.insert("IST0131 \(name)")  // an unreachable rule has ineffective matches too
            }
            if d.code == .ineffectiveMatch { found.insert("IST0131 \(name)") }
        }
        let data = try Data(contentsOf: corpus.appendingPathComponent("EXPECTED.json"))
        let cases = try #require(JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        let dup = try #require(cases.first { $0["case"] as? String == "dupmatches" })
        let expected = try #require(dup["expected"] as? [[String: Any]])
        var missing: [String] = []
        for e in expected {
            let code = e["code"] as? String ?? ""
            var resource = e["resource"] as? String ?? ""
            // Istio writes `Kind name` for resources without a namespace; Fjord fills `default`.
            if !resource.contains("/") {
                resource = resource.replacingOccurrences(of: "VirtualService ", with: "VirtualService default/")
            }
            if !found.contains("\(code) \(resource)") { missing.append("\(code) \(resource)") }
        }
        #expect(missing.isEmpty, "not found: \(missing)\nfound: \(found.sorted())")
    }
}
