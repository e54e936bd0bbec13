import FjordSource
import Foundation
import Testing

@testable import FjordDiagnostics

@Suite struct JSONRendererTests {
    func parse(_ s: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(s.utf8))
        return try #require(object as? [String: Any])
    }

    @Test func exactDocument() {
        var f = Fixture()
        let file = f.add("a.yaml", "1️⃣a: 12️⃣\n3️⃣a: 24️⃣\n")
        let d = Diagnostic(
            .duplicateKey, "duplicate key `a`; the earlier value is ignored", at: f.range(file, 3, 4),
            resource: ResourceRef(kind: "ConfigMap", namespace: nil, name: "c"),
            notes: [Note("first defined here", at: f.range(file, 1, 2)), Note("only the last value counts")],
            fix: FixIt("remove the first `a`", replacement: "", at: f.range(file, 1, 2)))
        let out = JSONRenderer().render(
            [d], sources: f.sources,
            summary: RunSummary(files: 1, resources: 1, durationSeconds: 0.0125, diagnostics: [d]))
        expectLines(
            out,
            """
            {
              "version": 1,
              "diagnostics": [
                {
                  "code": "FJ1002",
                  "severity": "warning",
                  "message": "duplicate key `a`; the earlier value is ignored",
                  "file": "a.yaml",
                  "line": 2,
                  "column": 1,
                  "endLine": 2,
                  "endColumn": 5,
                  "resource": {
                    "kind": "ConfigMap",
                    "namespace": null,
                    "name": "c"
                  },
                  "notes": [
                    {
                      "message": "first defined here",
                      "file": "a.yaml",
                      "line": 1,
                      "column": 1,
                      "endLine": 1,
                      "endColumn": 5
                    },
                    {
                      "message": "only the last value counts",
                      "file": null,
                      "line": null,
                      "column": null,
                      "endLine": null,
                      "endColumn": null
                    }
                  ],
                  "fix": {
                    "message": "remove the first `a`",
                    "replacement": "",
                    "file": "a.yaml",
                    "line": 1,
                    "column": 1,
                    "endLine": 1,
                    "endColumn": 5
                  },
                  "witness": null
                }
              ],
              "summary": {
                "files": 1,
                "resources": 1,
                "errors": 0,
                "warnings": 1,
                "infos": 0,
                "suppressed": 0,
                "durationMs": 12.5
              }
            }

            """)
    }

    @Test func emptyRunIsOneDocument() throws {
        let out = JSONRenderer().render(
            [], sources: SourceManager(), summary: RunSummary(files: 0, resources: 0, diagnostics: []))
        #expect(out.contains("\"diagnostics\": []"))
        let doc = try parse(out)
        #expect(doc["version"] as? Int == 1)
        #expect((doc["diagnostics"] as? [Any])?.isEmpty == true)
        let summary = try #require(doc["summary"] as? [String: Any])
        #expect(summary["durationMs"] is NSNull)
        #expect(Set(summary.keys) == ["files", "resources", "errors", "warnings", "infos", "suppressed", "durationMs"])
    }

    static let nasty = [
        "quote \" and backslash \\ and slash /",
        "new\nline\r\ttab",
        "controls \u{0}\u{1}\u{8}\u{C}\u{1B}[31m\u{1F}\u{7F}",
        "emoji 🇳🇴 👩‍👩‍👧 é (e\u{301}) \u{2028}\u{2029} \u{FFFD}",
        "",
    ]

    @Test(arguments: nasty)
    func nastyStringsRoundTrip(_ text: String) throws {
        var sources = SourceManager()
        let file = sources.add(path: text.isEmpty ? "p.yaml" : "dir/\(text).yaml", bytes: [])
        let d = Diagnostic(
            .invalidValue, text,
            at: SourceRange(file: file.id, start: .init(line: 1, column: 1), end: .init(line: 1, column: 1)),
            resource: ResourceRef(kind: text, namespace: text, name: text),
            notes: [Note(text)],
            fix: FixIt(text, replacement: text),
            witness: .request(
                WitnessRequest(method: text, url: text, headers: [(text, text)], port: 8080, source: text),
                outcome: [text]))
        let out = JSONRenderer().render(
            [d], sources: sources, summary: RunSummary(files: 1, resources: 1, diagnostics: [d]))
        // Only the escapes JSON allows; no raw control characters.
        #expect(!out.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        let doc = try parse(out)
        let diagnostics = try #require(doc["diagnostics"] as? [[String: Any]])
        let j = try #require(diagnostics.first)
        #expect(j["message"] as? String == text)
        #expect(j["file"] as? String == sources.path(of: file.id))
        let resource = try #require(j["resource"] as? [String: Any])
        #expect(resource["kind"] as? String == text && resource["namespace"] as? String == text)
        let note = try #require((j["notes"] as? [[String: Any]])?.first)
        #expect(note["message"] as? String == text)
        #expect(note["line"] is NSNull)
        let fix = try #require(j["fix"] as? [String: Any])
        #expect(fix["replacement"] as? String == text)
        let witness = try #require(j["witness"] as? [String: Any])
        #expect(witness["kind"] as? String == "request")
        #expect(witness["steps"] as? [String] == [text])
        let request = try #require(witness["request"] as? [String: Any])
        #expect(
            request["url"] as? String == text && request["port"] as? Int == 8080 && request["source"] as? String == text
        )
        let header = try #require((request["headers"] as? [[String: Any]])?.first)
        #expect(header["name"] as? String == text && header["value"] as? String == text)
    }

    @Test func pathWitnessAndSyntheticPosition() throws {
        let d = Diagnostic(
            DiagnosticCode("FJ4001"), severity: .error, "personal data can leave the EEA", at: .synthetic,
            witness: .path(["ledger", "rule 0", "subset `us`"]))
        let out = JSONRenderer().render(
            [d], sources: SourceManager(), summary: RunSummary(files: 0, resources: 0, diagnostics: [d]))
        let j = try #require((try parse(out)["diagnostics"] as? [[String: Any]])?.first)
        for key in ["file", "line", "column", "endLine", "endColumn", "resource", "fix"] {
            #expect(j[key] is NSNull, "\(key) is null")
        }
        let witness = try #require(j["witness"] as? [String: Any])
        #expect(witness["kind"] as? String == "path")
        #expect(witness["request"] is NSNull)
        #expect(witness["steps"] as? [String] == ["ledger", "rule 0", "subset `us`"])
    }

    @Test func keysComeInTheDocumentedOrder() {
        let d = Diagnostic(.inputLimit, "x", at: .synthetic)
        let out = JSONRenderer().render(
            [d], sources: SourceManager(), summary: RunSummary(files: 0, resources: 0, diagnostics: [d]))
        let keys = [
            "\"code\"", "\"severity\"", "\"message\"", "\"file\"", "\"line\"", "\"column\"", "\"endLine\"",
            "\"endColumn\"", "\"resource\"", "\"notes\"", "\"fix\"", "\"witness\"", "\"summary\"",
        ]
        let positions = keys.map { out.firstRange(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil })
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
    }

    @Test(arguments: [
        (12.0, "12"), (0.0125, "0.013"), (38.215, "38.215"), (1.5, "1.5"), (-2.25, "-2.25"), (0.0001, "0"),
    ])
    func numbers(_ x: Double, _ expected: String) {
        #expect(JSONValue.number(x).written() == expected)
    }
}
