import FjordSource
import Foundation
import Testing

@testable import FjordDiagnostics

@Suite struct SARIFRendererTests {
    struct Run {
        var log: [String: Any]
        var run: [String: Any]
        var rules: [[String: Any]]
        var results: [[String: Any]]
    }

    func sarif(_ diagnostics: [Diagnostic], _ sources: SourceManager, options: RenderOptions = RenderOptions()) throws
        -> Run
    {
        let out = SARIFRenderer(options: options).render(
            diagnostics, sources: sources, summary: RunSummary(files: 1, resources: 1, diagnostics: diagnostics))
        let log = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        let runs = try #require(log["runs"] as? [[String: Any]])
        try #require(runs.count == 1)
        let run = runs[0]
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        return Run(
            log: log, run: run, rules: driver["rules"] as? [[String: Any]] ?? [],
            results: run["results"] as? [[String: Any]] ?? [])
    }

    func fixture() -> (Fixture, [Diagnostic]) {
        var f = Fixture()
        let file = f.add("./mesh/payments.yaml", paymentsYAML)
        let shadow = Diagnostic(
            DiagnosticCode("FJ2002"), severity: .error, "rule `canary-v2` can never match",
            at: f.range(file, 1, 2), resource: paymentsResource,
            notes: [Note("rule `debug` is here", at: f.range(file, 3, 4)), Note("matched by prefix `ali`")],
            fix: FixIt("remove the rule", replacement: "", at: f.range(file, 1, 2)),
            witness: .request(
                WitnessRequest(method: "GET", url: "http://payment-service/api"), outcome: ["rule `debug`"]))
        let duplicate = Diagnostic(
            .duplicateKey, "duplicate key `x-user`; the earlier value is ignored",
            at: f.range(file, 3, 4), resource: paymentsResource)
        let info = Diagnostic(.unknownField, severity: .info, "unknown field `foo` in `spec`", at: f.range(file, 3))
        let synthetic = Diagnostic(.inputLimit, "the input exceeds the limit of 10 MiB", at: .synthetic)
        return (f, [shadow, duplicate, info, synthetic])
    }

    /// Every property the SARIF 2.1.0 schema marks as required, for the objects we emit.
    @Test func requiredPropertiesOfTheSchema() throws {
        let (f, diagnostics) = fixture()
        let s = try sarif(diagnostics, f.sources, options: RenderOptions(toolVersion: "1.4.0"))
        #expect(s.log["version"] as? String == "2.1.0")
        #expect(s.log["$schema"] as? String == "https://json.schemastore.org/sarif-2.1.0.json")
        let driver = try #require((s.run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "fjord")
        #expect(driver["version"] as? String == "1.4.0")
        #expect(driver["semanticVersion"] as? String == "1.4.0")
        #expect((driver["informationUri"] as? String)?.hasPrefix("https://") == true)
        for rule in s.rules {
            #expect(rule["id"] is String)
        }
        #expect(s.results.count == diagnostics.count)
        for result in s.results {
            let message = try #require(result["message"] as? [String: Any])
            #expect(message["text"] is String)
            for location in (result["locations"] as? [[String: Any]] ?? [])
                + (result["relatedLocations"] as? [[String: Any]] ?? [])
            {
                let physical = try #require(location["physicalLocation"] as? [String: Any])
                let artifact = try #require(physical["artifactLocation"] as? [String: Any])
                #expect(artifact["uri"] is String)
                let region = try #require(physical["region"] as? [String: Any])
                let startLine = try #require(region["startLine"] as? Int)
                let startColumn = try #require(region["startColumn"] as? Int)
                #expect(startLine >= 1 && startColumn >= 1)
                let endLine = try #require(region["endLine"] as? Int)
                let endColumn = try #require(region["endColumn"] as? Int)
                #expect((endLine, endColumn) >= (startLine, startColumn))
            }
            let related = result["relatedLocations"] as? [[String: Any]] ?? []
            let ids = related.compactMap { $0["id"] as? Int }
            #expect(ids.count == related.count && Set(ids).count == ids.count)
            for fix in result["fixes"] as? [[String: Any]] ?? [] {
                let changes = try #require(fix["artifactChanges"] as? [[String: Any]])
                for change in changes {
                    #expect(change["artifactLocation"] is [String: Any])
                    let replacements = try #require(change["replacements"] as? [[String: Any]])
                    #expect(replacements.allSatisfy { $0["deletedRegion"] is [String: Any] })
                }
            }
        }
    }

    /// What GitHub code scanning reads: rules with names, descriptions, help links and levels;
    /// results with rule ids, levels, relative locations and fingerprints.
    @Test func propertiesGitHubNeeds() throws {
        let (f, diagnostics) = fixture()
        let s = try sarif(diagnostics, f.sources)
        #expect(s.run["columnKind"] as? String == "unicodeCodePoints")
        #expect(s.rules.compactMap { $0["id"] as? String } == ["FJ1002", "FJ1003", "FJ1005", "FJ2002"])
        let duplicateRule = try #require(s.rules.first)
        #expect(duplicateRule["name"] as? String == "duplicate-key")
        #expect(
            (duplicateRule["shortDescription"] as? [String: Any])?["text"] as? String
                == "a mapping holds the same key twice and only the last value takes effect")
        #expect(
            duplicateRule["helpUri"] as? String
                == "https://github.com/fjord-mesh/fjord/blob/main/docs/diagnostics/FJ1002.md")
        #expect((duplicateRule["defaultConfiguration"] as? [String: Any])?["level"] as? String == "warning")

        for result in s.results {
            let id = try #require(result["ruleId"] as? String)
            let index = try #require(result["ruleIndex"] as? Int)
            #expect(s.rules[index]["id"] as? String == id)
            let fingerprints = try #require(result["partialFingerprints"] as? [String: String])
            #expect(fingerprints[SARIFRenderer.fingerprintKey]?.count == 16)
        }
        #expect(s.results.map { $0["level"] as? String } == ["error", "warning", "note", "error"])

        let shadow = s.results[0]
        #expect(
            (shadow["message"] as? [String: Any])?["text"] as? String
                == "rule `canary-v2` can never match\nnote: matched by prefix `ali`\nhelp: remove the rule\nwitness: GET http://payment-service/api  ->  rule `debug`"
        )
        let location = try #require(
            (shadow["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        let artifact = try #require(location["artifactLocation"] as? [String: String])
        #expect(artifact == ["uri": "mesh/payments.yaml", "uriBaseId": "%SRCROOT%"])
        let region = try #require(location["region"] as? [String: Int])
        #expect(region == ["startLine": 17, "startColumn": 7, "endLine": 17, "endColumn": 15])
        let related = try #require(shadow["relatedLocations"] as? [[String: Any]])
        #expect(related.count == 1)
        #expect((related[0]["message"] as? [String: Any])?["text"] as? String == "rule `debug` is here")
        let properties = try #require(shadow["properties"] as? [String: Any])
        #expect((properties["resource"] as? [String: Any])?["name"] as? String == "payments")

        // A result without a source position has no locations.
        #expect(s.results[3]["locations"] == nil)
    }

    @Test func fingerprintsIgnoreLinesButNotMessages() throws {
        var f = Fixture()
        let a = f.add("a.yaml", "1️⃣x: 1\n")
        let b = f.add("a.yaml", "\n\n\n1️⃣x: 1\n")
        let one = Diagnostic(.duplicateKey, "duplicate key `x`", at: f.range(a, 1), resource: paymentsResource)
        let moved = Diagnostic(.duplicateKey, "duplicate key `x`", at: f.range(b, 1), resource: paymentsResource)
        let other = Diagnostic(.duplicateKey, "duplicate key `y`", at: f.range(a, 1), resource: paymentsResource)
        #expect(
            SARIFRenderer.fingerprint(one, sources: f.sources) == SARIFRenderer.fingerprint(moved, sources: f.sources))
        #expect(
            SARIFRenderer.fingerprint(one, sources: f.sources) != SARIFRenderer.fingerprint(other, sources: f.sources))
        // Known value: the hash must not change between runs or releases.
        #expect(
            SARIFRenderer.fingerprint(Diagnostic(.duplicateKey, "m", at: .synthetic), sources: f.sources)
                == "6071a2ab0ff821bb")  // FNV-1a 64, checked with an independent implementation

        // Identical findings in one run get distinct fingerprints.
        let s = try sarif([one, one], f.sources)
        let prints = s.results.compactMap {
            ($0["partialFingerprints"] as? [String: String])?[SARIFRenderer.fingerprintKey]
        }
        #expect(prints.count == 2 && prints[0] != prints[1] && prints[1].hasPrefix(prints[0]))
    }

    @Test func pathsBecomeRelativeURIs() throws {
        var sources = SourceManager()
        let paths = ["mesh\\win dows.yaml", "/repo/mesh/abs.yaml", "/elsewhere/ø.yaml", "./a/./b#c.yaml"]
        let diagnostics = paths.map { path in
            let file = sources.add(path: path, bytes: Array("a: 1\n".utf8))
            return Diagnostic(
                .invalidValue, "bad",
                at: SourceRange(file: file.id, start: .init(line: 1, column: 1), end: .init(line: 1, column: 2)))
        }
        let s = try sarif(diagnostics, sources, options: RenderOptions(sourceRoot: "/repo/"))
        let artifacts = s.results.compactMap {
            ((($0["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["artifactLocation"])
                as? [String: String]
        }
        #expect(
            artifacts == [
                ["uri": "mesh/win%20dows.yaml", "uriBaseId": "%SRCROOT%"],
                ["uri": "mesh/abs.yaml", "uriBaseId": "%SRCROOT%"],
                ["uri": "file:///elsewhere/%C3%B8.yaml"],
                ["uri": "a/./b%23c.yaml", "uriBaseId": "%SRCROOT%"],
            ])
        let bases = try #require(s.run["originalUriBaseIds"] as? [String: [String: String]])
        #expect(bases["%SRCROOT%"]?["uri"] == "file:///repo/")
    }

    @Test func unknownCodesStillGetARule() throws {
        let d = Diagnostic(DiagnosticCode("FJ9999"), severity: .warning, "x", at: .synthetic)
        let s = try sarif([d], SourceManager())
        #expect(s.rules.count == 1)
        #expect(s.rules[0]["id"] as? String == "FJ9999")
        #expect((s.rules[0]["defaultConfiguration"] as? [String: Any])?["level"] as? String == "warning")
        #expect(s.results[0]["ruleIndex"] as? Int == 0)
    }

    @Test func emptyRunIsValid() throws {
        let s = try sarif([], SourceManager())
        #expect(s.rules.isEmpty && s.results.isEmpty)
        #expect(s.run["results"] is [Any])
    }
}
