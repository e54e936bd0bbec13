import FjordCompiler
import FjordDiagnostics
import Foundation
import Testing
import _FjordTestSupport

/// Fjord against configuration nobody on this project wrote: Istio's samples and test data, and
/// the CRD validation cases of istioctl's own test suite (`../shared/corpus`, see its README).
/// Each test skips, saying so, when the corpus is not beside the clone.
@Suite struct CorpusTests {
    static let samples = RepoPaths.corpus("istio-samples")
    static let validationCRDs = RepoPaths.corpus("istio-analyzer-testdata/validation-crds")

    /// Files of the samples corpus that are expected to get an error, each with the reason. The
    /// test fails when one of them stops getting exactly these codes, so the list stays true.
    static let expectedErrors:
        [(name: String, matches: @Sendable (String) -> Bool, codes: Set<String>, reason: String)] = [
            (
                "ambient peer-authn outputs",
                { $0.hasPrefix("pilot/pkg/serviceregistry/ambient/testdata/peer-authn-") && !$0.hasSuffix("-in.yaml") },
                ["FJ1014"],
                "the expected outputs of Istio's ambient tests: converted authorization policies without `kind`, or empty; not Kubernetes resources, so `no resources found`"
            ),
            (
                "egress gateway example routing to a host it does not declare",
                { $0 == "tests/testdata/config/se-example-gw.yaml" }, ["FJ2101"],
                "the gateway route sends `httpbin.com` to destination `httpbin.com`, but the file's ServiceEntry declares `httpbin.org`: there is no cluster for it (FJ2101)"
            ),
        ]

    static func relative(_ url: URL, to base: URL) -> String {
        String(url.path.dropFirst(base.path.count).drop { $0 == "/" })
    }

    /// `FJ1007 i×4, FJ1003 w×2`
    static func counts(_ diagnostics: [Diagnostic]) -> String {
        var byCode: [String: Int] = [:]
        for d in diagnostics { byCode["\(d.code) \(d.severity.description.prefix(1))", default: 0] += 1 }
        return byCode.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: ", ")
    }

    // MARK: (a) Istio's samples

    @Test(.enabled(if: samples != nil, "../shared/corpus/istio-samples is absent; skipping the samples corpus"))
    func samplesLoadWithoutErrors() throws {
        let base = try #require(Self.samples)
        let files = RepoPaths.files(under: base, extensions: ["yaml", "yml"])
        #expect(files.count > 100, "the corpus holds 180 files; found \(files.count)")
        var table: [(String, Int, String)] = []
        var unexpected: [String] = []
        var expectedSeen = Set<String>()
        for url in files {
            let path = Self.relative(url, to: base)
            let result = TestPipeline.check(paths: [url.path])
            table.append((path, result.summary.resources, Self.counts(result.diagnostics)))
            let errors = result.diagnostics.filter { $0.severity == .error }
            if let rule = Self.expectedErrors.first(where: { $0.matches(path) }) {
                expectedSeen.insert(rule.name)
                let codes = Set(errors.map(\.code.rawValue))
                #expect(codes == rule.codes, "\(path): expected exactly \(rule.codes) (\(rule.reason)); got \(codes)")
                continue
            }
            for e in errors {
                unexpected.append("\(path):\(e.range.start.line):\(e.range.start.column): [\(e.code)] \(e.message)")
            }
        }
        let width = min(100, table.map(\.0.count).max() ?? 0)
        var out =
            "fjord on ../shared/corpus/istio-samples (\(files.count) files): path, modelled resources, findings by code and severity\n"
        for (path, resources, counts) in table {
            out +=
                "  \(path.padding(toLength: max(width, path.count), withPad: " ", startingAt: 0))  \(String(resources).leftPad(4))  \(counts.isEmpty ? "-" : counts)\n"
        }
        print(out, terminator: "")
        #expect(unexpected.isEmpty, "errors on valid samples:\n\(unexpected.joined(separator: "\n"))")
        #expect(expectedSeen == Set(Self.expectedErrors.map(\.name)), "an expected-error rule matches no file any more")
    }

    // MARK: (b) CRD validation cases

    /// One document of a `validation-crds` file.
    struct Case {
        var file: String
        var index: Int
        var name: String
        /// Istio's expected error (`_err:`), nil in the valid files.
        var expected: String?
        /// The document without its `_err` line.
        var text: String
        var label: String { "\(file)#\(index) \(name)" }
    }

    /// Splits a file into documents at `---` lines, drops documents that are only comments, and
    /// takes the `_err:` line out of each.
    static func cases(in url: URL) throws -> [Case] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var documents: [[Substring]] = [[]]
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.trimmingCharacters(in: .whitespaces) == "---" {
                documents.append([])
            } else {
                documents[documents.count - 1].append(line)
            }
        }
        var out: [Case] = []
        for lines in documents {
            let content = lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty && !$0.hasPrefix("#") }
            guard !content.isEmpty else { continue }
            var expected: String?
            var kept: [Substring] = []
            for line in lines {
                if line.hasPrefix("_err:") {
                    var value = line.dropFirst(5).trimmingCharacters(in: .whitespaces)
                    if value.count >= 2, let q = value.first, q == "'" || q == "\"", value.last == q {
                        value = String(value.dropFirst().dropLast())
                    }
                    expected = value
                } else {
                    kept.append(line)
                }
            }
            let name =
                kept.first { $0.hasPrefix("  name:") }.map { $0.dropFirst(7).trimmingCharacters(in: .whitespaces) }
                ?? "?"
            out.append(
                Case(
                    file: url.lastPathComponent, index: out.count, name: name, expected: expected,
                    text: kept.joined(separator: "\n") + "\n"))
        }
        return out
    }

    /// Documents where Fjord and Istio disagree for a reason outside Fjord's checks, asserted so
    /// that the test notices when the difference goes away.
    static let expectedDifferences: [String: (code: String, reason: String)] = [
        "serviceentry-valid.yaml#0 full": (
            "FJ1001",
            "`addresses: [1.2.3.4, 001:db8::]`: libyaml 0.2.5 rejects a plain `:` inside a flow sequence (\"found unexpected ':'\") that Go's YAML parser accepts"
        )
    ]

    /// Invalid documents whose error Fjord does not report yet, with the reason.
    static let knownGaps: [String: String] = [:]

    @Test(
        .enabled(
            if: validationCRDs != nil, "../shared/corpus/istio-analyzer-testdata/validation-crds is absent; skipping"))
    func validationCRDCasesAgreeWithIstio() throws {
        let base = try #require(Self.validationCRDs)
        let files = RepoPaths.files(under: base, extensions: ["yaml"])
        #expect(files.count == 8, "validation-crds holds 8 files; found \(files.count)")
        var rows: [(String, String, String)] = []
        var seenDifferences = Set<String>()
        var seenGaps = Set<String>()
        var checked = 0
        for url in files {
            let valid = url.lastPathComponent.hasSuffix("-valid.yaml")
            for c in try Self.cases(in: url) {
                checked += 1
                let result = try TestPipeline.check(text: c.text, name: "\(c.file.dropLast(5))-\(c.index).yaml")
                let errors = result.diagnostics.filter { $0.severity == .error }
                let findings = result.diagnostics.map {
                    "\($0.code) \($0.severity.description.prefix(1)) \($0.range.start.line):\($0.range.start.column) \($0.message)"
                }
                rows.append(
                    (
                        c.label, c.expected ?? (valid ? "(valid)" : "(no _err)"),
                        findings.isEmpty ? "-" : findings.joined(separator: "; ")
                    ))
                if let difference = Self.expectedDifferences[c.label] {
                    seenDifferences.insert(c.label)
                    #expect(
                        errors.map(\.code.rawValue) == [difference.code],
                        "\(c.label): the known difference (\(difference.reason)) changed: \(findings)")
                    continue
                }
                if valid {
                    #expect(errors.isEmpty, "\(c.label) is valid for Istio; Fjord reports \(findings)")
                } else {
                    #expect(c.expected != nil, "\(c.label): an invalid case without `_err`")
                    if let gap = Self.knownGaps[c.label] {
                        seenGaps.insert(c.label)
                        #expect(
                            errors.isEmpty,
                            "\(c.label) is listed as a known gap (\(gap)) but Fjord now reports it: remove it from the list"
                        )
                    } else {
                        #expect(
                            !errors.isEmpty,
                            "\(c.label): Istio rejects it with `\(c.expected ?? "")`; Fjord reports \(findings)")
                    }
                }
            }
        }
        #expect(checked >= 30, "expected about 35 documents; checked \(checked)")
        #expect(seenDifferences == Set(Self.expectedDifferences.keys), "an expected difference names no document")
        #expect(seenGaps == Set(Self.knownGaps.keys), "a known gap names no document")
        let w0 = rows.map(\.0.count).max() ?? 0, w1 = min(70, rows.map(\.1.count).max() ?? 0)
        var out = "validation-crds: document, Istio's _err, Fjord's findings (code, severity, position, message)\n"
        for (doc, err, fjord) in rows {
            out +=
                "  \(doc.padding(toLength: w0, withPad: " ", startingAt: 0))  \(err.padding(toLength: max(w1, err.count), withPad: " ", startingAt: 0))  \(fjord)\n"
        }
        print(out, terminator: "")
    }
}

extension String {
    func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
