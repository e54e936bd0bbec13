import FjordSource
import Testing

@testable import FjordDiagnostics

@Suite struct RunSummaryTests {
    func diagnostics(errors: Int, warnings: Int, infos: Int) -> [Diagnostic] {
        Array(repeating: Diagnostic(.yamlSyntax, severity: .error, "e", at: .synthetic), count: errors)
            + Array(repeating: Diagnostic(.yamlSyntax, severity: .warning, "w", at: .synthetic), count: warnings)
            + Array(repeating: Diagnostic(.yamlSyntax, severity: .info, "i", at: .synthetic), count: infos)
    }

    @Test func countsComeFromTheDiagnostics() {
        let s = RunSummary(files: 6, resources: 41, diagnostics: diagnostics(errors: 3, warnings: 1, infos: 2))
        #expect(s.errors == 3 && s.warnings == 1 && s.infos == 2 && s.total == 6)
        #expect(s.count(.warning) == 1)
    }

    @Test(
        arguments: [
            (3, 1, 0, 6, 41, 0.038, 0, "3 errors, 1 warning in 6 files (41 resources) in 38 ms"),
            (1, 0, 0, 1, 1, nil, 0, "1 error in 1 file (1 resource)"),
            (0, 2, 0, 2, 0, nil, 0, "2 warnings in 2 files (0 resources)"),
            (0, 0, 1, 1, 3, nil, 0, "1 info in 1 file (3 resources)"),
            (2, 0, 3, 1, 3, nil, 0, "2 errors, 3 infos in 1 file (3 resources)"),
            (0, 0, 0, 6, 41, nil, 0, "no problems found in 6 files (41 resources)"),
            (0, 0, 0, 1, 1, 0.0002, 2, "no problems found in 1 file (1 resource) in <1 ms (2 suppressed)"),
            (1, 1, 1, 2, 2, 1.2345, 0, "1 error, 1 warning, 1 info in 2 files (2 resources) in 1.23 s"),
            (0, 0, 0, 0, 0, 0.9996, 0, "no problems found in 0 files (0 resources) in 1.00 s"),
        ] as [(Int, Int, Int, Int, Int, Double?, Int, String)])
    func summaryLine(
        e: Int, w: Int, i: Int, files: Int, resources: Int, seconds: Double?, suppressed: Int, expected: String
    ) {
        let s = RunSummary(
            files: files, resources: resources, durationSeconds: seconds, suppressed: suppressed,
            diagnostics: diagnostics(errors: e, warnings: w, infos: i))
        #expect(s.line == expected)
    }

    @Test func nonsenseDurationsAreLeftOut() {
        for seconds in [Double.nan, .infinity, -1, 1e300] {
            let s = RunSummary(files: 1, resources: 1, durationSeconds: seconds, diagnostics: [])
            #expect(s.line == "no problems found in 1 file (1 resource)")
            #expect(s.durationMilliseconds == nil)
        }
    }

    @Test func everyFormatDispatches() {
        var sources = SourceManager()
        let file = sources.add(path: "a.yaml", bytes: Array("a: 1\na: 2\n".utf8))
        let d = Diagnostic(
            .duplicateKey, "duplicate key `a`; the earlier value is ignored",
            at: SourceRange(file: file.id, start: .init(line: 2, column: 1), end: .init(line: 2, column: 2)))
        let summary = RunSummary(files: 1, resources: 1, diagnostics: [d])
        #expect(OutputFormat.allCases.map(\.rawValue) == ["text", "json", "sarif", "junit", "github"])
        for format in OutputFormat.allCases {
            let out = format.render([d], sources: sources, summary: summary)
            #expect(out.hasSuffix("\n"))
            #expect(out.contains("FJ1002"))
            #expect(out == format.render([d], sources: sources, summary: summary), "output is deterministic")
        }
        #expect(OutputFormat(rawValue: "sarif") == .sarif)
    }
}
