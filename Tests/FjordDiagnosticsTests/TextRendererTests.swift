import FjordSource
import Testing

@testable import FjordDiagnostics

@Suite struct TextRendererTests {
    let shadow = DiagnosticCode("FJ2002")

    func render(
        _ diagnostics: [Diagnostic], _ fixture: Fixture, options: RenderOptions = RenderOptions(),
        summary: RunSummary? = nil
    ) -> String {
        let s = summary ?? RunSummary(files: fixture.sources.files.count, resources: 1, diagnostics: diagnostics)
        return TextRenderer(options: options).render(diagnostics, sources: fixture.sources, summary: s)
    }

    @Test func caretWithContextAndSummary() {
        var f = Fixture()
        let file = f.add("mesh/payments.yaml", paymentsYAML)
        let d = Diagnostic(shadow, severity: .error, "rule `canary-v2` can never match", at: f.range(file, 1, 2))
        expectLines(
            render([d], f),
            """
            mesh/payments.yaml:17:7: error: [FJ2002] rule `canary-v2` can never match
               16 |     match:
               17 |     - headers:
                  |       ^~~~~~~~
               18 |         x-user: {exact: alice}
            1 error in 1 file (1 resource)

            """)
    }

    @Test func contextLinesAreConfigurable() {
        var f = Fixture()
        let file = f.add("mesh/payments.yaml", paymentsYAML)
        let d = Diagnostic(shadow, severity: .error, "rule `canary-v2` can never match", at: f.range(file, 1, 2))
        expectLines(
            render([d], f, options: RenderOptions(contextLines: 0, showSummary: false)),
            """
            mesh/payments.yaml:17:7: error: [FJ2002] rule `canary-v2` can never match
               17 |     - headers:
                  |       ^~~~~~~~

            """)
        expectLines(
            render([d], f, options: RenderOptions(contextLines: 2, showSummary: false)),
            """
            mesh/payments.yaml:17:7: error: [FJ2002] rule `canary-v2` can never match
               15 |   - name: canary-v2
               16 |     match:
               17 |     - headers:
                  |       ^~~~~~~~
               18 |         x-user: {exact: alice}
               19 |     route:

            """)
    }

    /// The illustration from DESIGN.md: a note at the primary range labels the underline, a note
    /// elsewhere in the file gets its own underline after a `:` gap, other notes, the fix and the
    /// witness follow.
    @Test func notesFixAndWitness() {
        var f = Fixture()
        let file = f.add("mesh/payments.yaml", paymentsYAML)
        let other = f.add("mesh/routes.yaml", "kind: DestinationRule\nspec:\n  1️⃣subsets: []\n")
        let d = Diagnostic(
            shadow, severity: .error, "rule `canary-v2` can never match", at: f.range(file, 1, 2),
            resource: paymentsResource,
            notes: [
                Note("every request this matches is taken by rule `debug` (line 9)", at: f.range(file, 1, 2)),
                Note("rule `debug` is here", at: f.range(file, 3, 4)),
                Note("rule `debug` matches header `x-user` with prefix `ali`"),
                Note("subset `v2` is defined here", at: f.range(other, 1)),
            ],
            fix: FixIt("add a header the earlier rule does not match", replacement: "x-canary: {exact: \"1\"}"),
            witness: .request(
                WitnessRequest(method: "GET", url: "http://payment-service/api", headers: [("x-user", "alice")]),
                outcome: ["rule `debug`", "payment-service v2"]))
        expectLines(
            render([d], f, options: RenderOptions(showSummary: false)),
            """
            mesh/payments.yaml:17:7: error: [FJ2002] rule `canary-v2` can never match
                8 |   http:
                9 |   - name: debug
                  |           ^~~~~ rule `debug` is here
               10 |     match:
                  :
               16 |     match:
               17 |     - headers:
                  |       ^~~~~~~~ every request this matches is taken by rule `debug` (line 9)
               18 |         x-user: {exact: alice}
              note: rule `debug` matches header `x-user` with prefix `ali`
              note: mesh/routes.yaml:3:3: subset `v2` is defined here
              help: add a header the earlier rule does not match: `x-canary: {exact: "1"}`
              witness: GET http://payment-service/api  x-user: alice  ->  rule `debug` -> payment-service v2

            """)
    }

    @Test func nearbyBlocksMergeInsteadOfEliding() {
        var f = Fixture()
        let file = f.add("a.yaml", "a: 1\n1️⃣b: 2\nc: 3\nd: 4\n2️⃣e: 5\nf: 6\n")
        let d = Diagnostic(
            .duplicateKey, "duplicate key `e`; the earlier value is ignored", at: f.range(file, 2),
            notes: [Note("first defined here", at: f.range(file, 1))])
        // Lines 2±1 and 5±1 leave one line (4) between them: it is shown rather than elided.
        expectLines(
            render([d], f, options: RenderOptions(showSummary: false)),
            """
            a.yaml:5:1: warning: [FJ1002] duplicate key `e`; the earlier value is ignored
               1 | a: 1
               2 | b: 2
                 | ^ first defined here
               3 | c: 3
               4 | d: 4
               5 | e: 5
                 | ^
               6 | f: 6

            """)
    }

    @Test func stackedAnnotationsOnOneLine() {
        var f = Fixture()
        let file = f.add("a.yaml", "match: {1️⃣prefix2️⃣: /api, 3️⃣exact4️⃣: /api}\n")
        let d = Diagnostic(
            .invalidValue, "a match sets both `prefix` and `exact`", at: f.range(file, 3, 4),
            notes: [Note("`prefix` is set here", at: f.range(file, 1, 2))])
        expectLines(
            render([d], f, options: RenderOptions(showSummary: false)),
            """
            a.yaml:1:23: error: [FJ1004] a match sets both `prefix` and `exact`
               1 | match: {prefix: /api, exact: /api}
                 |         ^~~~~~ `prefix` is set here
                 |                       ^~~~~

            """)
    }

    @Test func nonASCIIColumnsAlign() {
        var f = Fixture()
        // ø, € and ü are one column each; 東京 takes two terminal cells per character.
        let file = f.add("ü.yaml", "name: ø€-1️⃣bad2️⃣\nhost: 東京-3️⃣svc4️⃣\n")
        let a = Diagnostic(.invalidValue, "`bad` is not allowed", at: f.range(file, 1, 2))
        let b = Diagnostic(.invalidValue, "`svc` is not allowed", at: f.range(file, 3, 4))
        expectLines(
            render([a, b], f, options: RenderOptions(contextLines: 0, showSummary: false)),
            """
            ü.yaml:1:10: error: [FJ1004] `bad` is not allowed
               1 | name: ø€-bad
                 |          ^~~
            ü.yaml:2:10: error: [FJ1004] `svc` is not allowed
               2 | host: 東京-svc
                 |            ^~~

            """)
    }

    @Test func tabsExpandToTabStops() {
        var f = Fixture()
        let file = f.add("t.yaml", "a:\tb\n\tkey:\t1️⃣value2️⃣\n")
        let d = Diagnostic(.invalidValue, "tabs are not indentation", at: f.range(file, 1, 2))
        // Column 7 in scalars; on screen the tab after `key:` reaches the next stop at 8.
        expectLines(
            render([d], f, options: RenderOptions(showSummary: false)),
            """
            t.yaml:2:7: error: [FJ1004] tabs are not indentation
               1 | a:  b
               2 |     key:    value
                 |             ^~~~~

            """)
    }

    @Test func multiLineAndEmptyRanges() {
        var f = Fixture()
        let file = f.add("m.yaml", "key: 1️⃣|\n  text\n  more2️⃣\nlast: 3️⃣\n")
        let multi = Diagnostic(.invalidValue, "a block scalar is not allowed here", at: f.range(file, 1, 2))
        let empty = Diagnostic(.invalidValue, "`last` needs a value", at: f.range(file, 3))
        expectLines(
            render([multi, empty], f, options: RenderOptions(contextLines: 0, showSummary: false)),
            """
            m.yaml:1:6: error: [FJ1004] a block scalar is not allowed here
               1 | key: |
                 |      ^
            m.yaml:4:7: error: [FJ1004] `last` needs a value
               4 | last:
                 |       ^

            """)
        // A range from column 1 to the next line underlines the whole first line.
        let wide = Diagnostic(
            .invalidValue, "bad",
            at: SourceRange(file: file, start: .init(line: 2, column: 1), end: .init(line: 3, column: 3)))
        expectLines(
            render([wide], f, options: RenderOptions(contextLines: 0, showSummary: false)),
            """
            m.yaml:2:1: error: [FJ1004] bad
               2 |   text
                 | ^~~~~~

            """)
    }

    /// A range over several lines stops at the end of its first line's text: a trailing
    /// `# comment` and the blanks before it are not underlined (a `#` in quotes is text).
    @Test func multiLineRangeStopsBeforeATrailingComment() {
        var f = Fixture()
        let file = f.add(
            "vs.yaml",
            "  - 1️⃣headers:  # MISTAKE: never matches\n      x: 2️⃣y\n  - 3️⃣name: \"a #1\"   # why\n    x: 4️⃣y\n")
        let comment = Diagnostic(shadow, "rule can never match", at: f.range(file, 1, 2))
        let quoted = Diagnostic(shadow, "rule can never match", at: f.range(file, 3, 4))
        expectLines(
            render([comment, quoted], f, options: RenderOptions(contextLines: 0, showSummary: false)),
            """
            vs.yaml:1:5: warning: [FJ2002] rule can never match
               1 |   - headers:  # MISTAKE: never matches
                 |     ^~~~~~~~
            vs.yaml:3:5: warning: [FJ2002] rule can never match
               3 |   - name: "a #1"   # why
                 |     ^~~~~~~~~~~~

            """)
    }

    @Test func trailingEmptyLineIsNotContext() {
        var f = Fixture()
        let file = f.add("a.yaml", "a: 1\nb: 1️⃣x\n")
        let d = Diagnostic(.invalidValue, "bad", at: f.range(file, 1))
        expectLines(
            render([d], f, options: RenderOptions(showSummary: false)),
            """
            a.yaml:2:4: error: [FJ1004] bad
               1 | a: 1
               2 | b: x
                 |    ^

            """)
    }

    @Test func syntheticRangeAndResource() {
        let f = Fixture()
        let d = Diagnostic(
            .inputLimit, "alias expansion exceeds the limit of 10000 nodes", at: .synthetic,
            resource: ResourceRef(kind: "VirtualService", namespace: nil, name: "bomb"),
            notes: [Note("raise it with `--max-alias-nodes`")],
            witness: .path(["ledger", "VirtualService risk/fraud-check rule 0", "subset `us`"]))
        expectLines(
            render([d], f, options: RenderOptions(showSummary: false)),
            """
            fjord: error: [FJ1005] alias expansion exceeds the limit of 10000 nodes
              resource: VirtualService bomb
              note: raise it with `--max-alias-nodes`
              path: ledger -> VirtualService risk/fraud-check rule 0 -> subset `us`

            """)
    }

    @Test func multiLineMessagesAndFixes() {
        var f = Fixture()
        let file = f.add("a.yaml", "1️⃣timeout: 02️⃣\n")
        let d = Diagnostic(
            .invalidValue, severity: .warning, "a zero timeout\nwaits forever", at: f.range(file, 1, 2),
            notes: [Note("istio treats 0 as\nno timeout")],
            fix: FixIt("set a timeout", replacement: "timeout: 2s\nretries: 3", at: f.range(file, 1, 2)))
        expectLines(
            render([d], f, options: RenderOptions(showSummary: false)),
            """
            a.yaml:1:1: warning: [FJ1004] a zero timeout
              waits forever
               1 | timeout: 0
                 | ^~~~~~~~~~
              note: istio treats 0 as
                    no timeout
              help: set a timeout:
                      timeout: 2s
                      retries: 3

            """)
        #expect(TextRenderer.fixLines(FixIt("add `timeout: 2s`", replacement: "timeout: 2s")) == ["add `timeout: 2s`"])
    }

    @Test func compactFormat() {
        var f = Fixture()
        let file = f.add("mesh/payments.yaml", paymentsYAML)
        let a = Diagnostic(
            shadow, severity: .error, "rule `canary-v2` can never match\n  (shadowed)", at: f.range(file, 1, 2),
            notes: [Note("not shown")])
        let b = Diagnostic(.inputLimit, "input too large", at: .synthetic)
        expectLines(
            render(
                [a, b], f, options: RenderOptions(compact: true),
                summary: RunSummary(files: 1, resources: 2, diagnostics: [a, b])),
            """
            mesh/payments.yaml:17:7: error: [FJ2002] rule `canary-v2` can never match (shadowed)
            fjord: error: [FJ1005] input too large
            2 errors in 1 file (2 resources)

            """)
    }

    @Test func colourOnlyWhenAsked() {
        var f = Fixture()
        let file = f.add("a.yaml", "1️⃣a: 12️⃣\n")
        let d = Diagnostic(.duplicateKey, "duplicate key `a`; the earlier value is ignored", at: f.range(file, 1, 2))
        let plain = render([d], f)
        #expect(!plain.contains("\u{1B}"))
        let coloured = render([d], f, options: RenderOptions(color: true))
        #expect(coloured.contains("\u{1B}[1;33mwarning:\u{1B}[0m"))
        #expect(coloured.contains("\u{1B}[1;33m^~~~\u{1B}[0m"))
        // Without the escape sequences the text is the same.
        #expect(stripANSI(coloured) == plain)
    }

    @Test func inputCannotInjectTerminalEscapes() {
        var f = Fixture()
        let file = f.add("evil\u{1B}[2J.yaml", "key: \u{1B}]0;pwned\u{07}1️⃣x\n")
        let d = Diagnostic(
            .invalidValue, "bad value `\u{1B}[31mred`", at: f.range(file, 1),
            notes: [Note("\u{9B}31m"), Note("line\r\nbreak")])
        let out = render([d], f, options: RenderOptions(showSummary: false))
        #expect(!out.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        #expect(!out.unicodeScalars.contains { $0.value == 0x9B })
        expectLines(
            out,
            """
            evil�[2J.yaml:1:16: error: [FJ1004] bad value `�[31mred`
               1 | key: �]0;pwned�x
                 |                ^
              note: �31m
              note: line
                    break

            """)
    }

    @Test func invalidUTF8CountsOneColumnPerByte() {
        var f = Fixture()
        let file = f.sources.add(path: "bin.yaml", bytes: [0x61, 0x3A, 0x20, 0xFF, 0xFE, 0x62, 0x0A])
        let bOffset = 5
        let position = file.position(ofByte: bOffset)
        let d = Diagnostic(.invalidValue, "bad", at: SourceRange(file: file.id, start: position, end: position))
        expectLines(
            render([d], f, options: RenderOptions(showSummary: false)),
            """
            bin.yaml:1:6: error: [FJ1004] bad
               1 | a: ��b
                 |      ^

            """)
    }

    @Test func longLinesAreCutAroundTheCaret() {
        var f = Fixture()
        let long = String(repeating: "x", count: 300) + "1️⃣bad2️⃣" + String(repeating: "y", count: 300)
        let file = f.add("long.yaml", "k: [\(long)]\n")
        let d = Diagnostic(.invalidValue, "bad", at: f.range(file, 1, 2))
        let out = render([d], f, options: RenderOptions(maxLineWidth: 40, showSummary: false))
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        // The source line is 40 cells plus `...` at both ends, and the caret sits under `bad`.
        let code = lines[1].dropFirst("   1 | ".count)
        #expect(code.hasPrefix("...") && code.hasSuffix("..."))
        #expect(code.count == 46)
        let caretColumn = lines[2].dropFirst("     | ".count).prefix(while: { $0 == " " }).count
        let badColumn = code.distance(
            from: code.startIndex, to: code.firstRange(of: "bad")?.lowerBound ?? code.startIndex)
        #expect(caretColumn == badColumn)
        #expect(lines[2].hasSuffix("^~~"))
    }

    @Test func unknownFileFallsBackToHeaderOnly() {
        let f = Fixture()
        let d = Diagnostic(
            .invalidValue, "bad",
            at: SourceRange(file: FileID(7), start: .init(line: 3, column: 2), end: .init(line: 3, column: 4)),
            resource: paymentsResource)
        expectLines(
            render([d], f, options: RenderOptions(showSummary: false)),
            """
            <unknown>:3:2: error: [FJ1004] bad
              resource: VirtualService default/payments

            """)
    }
}

func stripANSI(_ s: String) -> String {
    var out = ""
    var inEscape = false
    for c in s.unicodeScalars {
        if inEscape {
            if c == "m" { inEscape = false }
        } else if c == "\u{1B}" {
            inEscape = true
        } else {
            out.unicodeScalars.append(c)
        }
    }
    return out
}

@Suite struct TextRendererRobustnessTests {
    @Test func hugeLinesAreReadOnlyAsFarAsShown() {
        var sources = SourceManager()
        let huge = "k: " + String(repeating: "a", count: 2_000_000) + "\n"
        let file = sources.add(path: "huge.yaml", bytes: Array(huge.utf8))
        let d = Diagnostic(
            .inputLimit, "scalar exceeds the limit of 1 MiB",
            at: SourceRange(file: file.id, start: .init(line: 1, column: 4), end: .init(line: 2, column: 1)))
        let out = TextRenderer(options: RenderOptions(maxLineWidth: 80, showSummary: false))
            .render([d], sources: sources, summary: RunSummary(files: 1, resources: 0, diagnostics: [d]))
        let lines = out.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[1] == "   1 | k: " + String(repeating: "a", count: 77) + "...")
        #expect(lines[2] == "     |    ^" + String(repeating: "~", count: 76))
    }

    @Test func absurdOptionsAndPositionsDoNotCrash() {
        var sources = SourceManager()
        let file = sources.add(path: "a.yaml", bytes: Array("a:\tb\nc: d\n".utf8))
        let ranges = [
            SourceRange(
                file: file.id, start: .init(line: 1, column: 1_000_000_000), end: .init(line: 1, column: Int.max)),
            SourceRange(file: file.id, start: .init(line: 2, column: -5), end: .init(line: 9, column: 1)),
            SourceRange(file: file.id, start: .init(line: 99, column: 1), end: .init(line: 99, column: 1)),
            SourceRange(file: file.id, start: .init(line: 0, column: 0), end: .init(line: 0, column: 0)),
        ]
        let diagnostics = ranges.map { r in
            Diagnostic(.invalidValue, "x", at: r, notes: ranges.map { Note("n", at: $0) })
        }
        for options in [
            RenderOptions(contextLines: Int.max, tabWidth: Int.max, maxLineWidth: Int.max),
            RenderOptions(contextLines: -3, tabWidth: -1, maxLineWidth: -1),
            RenderOptions(contextLines: 0, tabWidth: 0, maxLineWidth: 1),
        ] {
            let out = TextRenderer(options: options)
                .render(
                    diagnostics, sources: sources, summary: RunSummary(files: 1, resources: 0, diagnostics: diagnostics)
                )
            #expect(out.utf8.count < 10_000)
        }
        // A caret past the end of a line stops just after it.
        let out = TextRenderer(options: RenderOptions(contextLines: 0, showSummary: false))
            .render([diagnostics[0]], sources: sources, summary: RunSummary(files: 1, resources: 0, diagnostics: []))
        #expect(out.contains("   1 | a:  b\n     |      ^ n\n"))
    }
}
