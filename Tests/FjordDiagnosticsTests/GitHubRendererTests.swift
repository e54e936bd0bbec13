import FjordSource
import Testing

@testable import FjordDiagnostics

@Suite struct GitHubRendererTests {
    func github(_ diagnostics: [Diagnostic], _ sources: SourceManager, options: RenderOptions = RenderOptions())
        -> String
    {
        GitHubRenderer(options: options).render(
            diagnostics, sources: sources,
            summary: RunSummary(files: sources.files.count, resources: 1, diagnostics: diagnostics))
    }

    @Test func commandsPerSeverity() {
        var f = Fixture()
        let file = f.add("./mesh/payments.yaml", paymentsYAML)
        let routes = f.add("mesh/routes.yaml", "1️⃣x: 1\n")
        let diagnostics = [
            Diagnostic(
                DiagnosticCode("FJ2002"), severity: .error, "rule `canary-v2` can never match", at: f.range(file, 1, 2),
                notes: [
                    Note("rule `debug` is here", at: f.range(file, 3, 4)),
                    Note("subset in routes", at: f.range(routes, 1)),
                    Note("matched by prefix `ali`"),
                ],
                fix: FixIt("remove the rule"),
                witness: .request(
                    WitnessRequest(method: "GET", url: "http://payment-service/api", headers: [("x-user", "alice")]),
                    outcome: ["rule `debug`"])),
            Diagnostic(.duplicateKey, "duplicate key `a`", at: f.range(file, 3)),
            Diagnostic(
                .unknownField, severity: .info, "unknown field `b`",
                at: SourceRange(file: file, start: .init(line: 2, column: 3), end: .init(line: 4, column: 1))),
            Diagnostic(.inputLimit, "too large", at: .synthetic, witness: .path(["a", "b"])),
        ]
        expectLines(
            github(diagnostics, f.sources),
            """
            ::error file=mesh/payments.yaml,line=17,col=7,endLine=17,endColumn=14,title=FJ2002::rule `canary-v2` can never match%0Anote: mesh/payments.yaml:9:11: rule `debug` is here%0Anote: mesh/routes.yaml:1:1: subset in routes%0Anote: matched by prefix `ali`%0Ahelp: remove the rule%0Awitness: GET http://payment-service/api  x-user: alice  ->  rule `debug`
            ::warning file=mesh/payments.yaml,line=9,col=11,endLine=9,endColumn=11,title=FJ1002::duplicate key `a`
            ::notice file=mesh/payments.yaml,line=2,endLine=4,title=FJ1003::unknown field `b`
            ::error title=FJ1005::too large%0Apath: a -> b

            """)
    }

    @Test func escaping() {
        #expect(GitHubRenderer.escapedData("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext: a,b")
        #expect(GitHubRenderer.escapedProperty("C:\\a,b%\n") == "C%3A\\a%2Cb%25%0A")

        var sources = SourceManager()
        let file = sources.add(path: "odd: dir,1/50%.yaml", bytes: Array("a: 1\n".utf8))
        let d = Diagnostic(
            .invalidValue, severity: .warning, "value `50%`\nis odd, isn't it: yes",
            at: SourceRange(file: file.id, start: .init(line: 1, column: 4), end: .init(line: 1, column: 5)))
        #expect(
            github([d], sources)
                == "::warning file=odd%3A dir%2C1/50%25.yaml,line=1,col=4,endLine=1,endColumn=4,title=FJ1004::value `50%25`%0Ais odd, isn't it: yes\n"
        )
    }

    @Test func pathsAreRelativeToTheSourceRoot() {
        var sources = SourceManager()
        let file = sources.add(path: "/home/runner/work/repo/mesh\\a.yaml", bytes: Array("a: 1\n".utf8))
        let d = Diagnostic(
            .invalidValue, "bad",
            at: SourceRange(file: file.id, start: .init(line: 1, column: 1), end: .init(line: 1, column: 2)))
        #expect(
            github([d], sources, options: RenderOptions(sourceRoot: "/home/runner/work/repo"))
                == "::error file=mesh/a.yaml,line=1,col=1,endLine=1,endColumn=1,title=FJ1004::bad\n")
    }

    @Test func nothingToSay() {
        #expect(github([], SourceManager()) == "")
    }
}
