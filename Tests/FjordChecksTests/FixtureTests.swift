import FjordCompiler
import FjordDiagnostics
import Foundation
import Testing
import _FjordTestSupport

/// Every fixture under `fixtures/checks/` is checked against the expectations written inside it
/// (`#   ^ FJ1016` comment lines whose caret marks the column on the line above). A fixture
/// without expectations must produce no finding at all (infos aside).
@Suite struct FixtureTests {
    static let fixtures: [String] = {
        let dir = RepoPaths.root.appendingPathComponent("fixtures/checks")
        return RepoPaths.files(under: dir, extensions: ["yaml"]).map { $0.lastPathComponent }
    }()

    @Test(arguments: fixtures)
    func fixtureProducesExactlyItsExpectations(_ name: String) throws {
        let path = RepoPaths.path("fixtures/checks/\(name)")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let expected = Expectation.parse(text)
        let result = TestPipeline.check(paths: [path])
        let expectedCodes = Set(expected.map(\.code))
        let actual = result.diagnostics.filter { d in d.severity != .info || expectedCodes.contains(d.code.rawValue) }
        var unmatched = actual
        for e in expected {
            guard
                let i = unmatched.firstIndex(where: {
                    $0.code.rawValue == e.code && $0.range.start.line == e.line && $0.range.start.column == e.column
                })
            else {
                Issue.record(
                    "\(name): expected \(e) was not reported; got \(actual.map { "\($0.range.start) \($0.code) \($0.message)" })"
                )
                continue
            }
            let d = unmatched.remove(at: i)
            if let s = e.severity { #expect(d.severity.description == s, "\(name): \(e) has severity \(d.severity)") }
            if let f = e.messageFragment { #expect(d.message.contains(f), "\(name): \(e) message is `\(d.message)`") }
            let message = d.message
            #expect(!message.hasSuffix(".") && !message.hasSuffix(" "), "\(name): message style: \(message)")
            let first = message.first
            #expect(
                first.map { !$0.isUppercase } ?? false || message.hasPrefix("TCP") || message.hasPrefix("TLS")
                    || message.hasPrefix("SNI")
                    || message.hasPrefix("CIDR") || message.hasPrefix("HTTP") || message.hasPrefix("Sidecar")
                    || message.hasPrefix("Istio"),
                "\(name): message should start lowercase: \(message)")
        }
        for d in unmatched {
            Issue.record("\(name): unexpected \(d.range.start) \(d.code) \(d.severity): \(d.message)")
        }
    }

    /// The fixed codes of the foundation issue each have a fixture that triggers them.
    @Test func everyCatalogCodeIsTriggeredByAFixture() throws {
        var triggered = Set<String>()
        for name in Self.fixtures {
            let text = try String(contentsOfFile: RepoPaths.path("fixtures/checks/\(name)"), encoding: .utf8)
            for e in Expectation.parse(text) { triggered.insert(e.code) }
        }
        // Codes a fixture file cannot trigger, with the test that covers them instead.
        let elsewhere: [String: String] = [
            "FJ1008": "a path that cannot be read (FjordCLITests)",
            "FJ5001": "reported by `fjord compile`, not `fjord check` (ExplainCommandTests.splitAutomataAreReported)",
            "FJ5002":
                "reported by `fjord compile` when a single predicate exceeds 200,000 automaton states; no Istio-valid pattern reaches it",
            "FJ5003":
                "a table image, not YAML (ExplainCommandTests.badTableImagesAreRefusedWithFJ5003, FjordTableTests)",
        ]
        for entry in DiagnosticCatalog.entries where !entry.retired && elsewhere[entry.code.rawValue] == nil {
            #expect(triggered.contains(entry.code.rawValue), "no fixture in fixtures/checks triggers \(entry.code)")
        }
    }

    /// Each code has a fixture that must not trigger it: `FJxxxx-ok-*.yaml`.
    @Test func everyCheckCodeHasANegativeFixture() {
        for m in CheckCatalog.checks {
            for code in m.codes {
                #expect(
                    Self.fixtures.contains { $0.hasPrefix("\(code.rawValue)-ok") },
                    "no `\(code.rawValue)-ok-*.yaml` fixture for \(code)")
            }
        }
    }
}
