import FjordSource
import Foundation
import Testing

@testable import FjordDiagnostics

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite struct JUnitRendererTests {
    func junit(_ diagnostics: [Diagnostic], _ sources: SourceManager, seconds: Double? = nil) -> String {
        JUnitRenderer().render(
            diagnostics, sources: sources,
            summary: RunSummary(
                files: sources.files.count, resources: 1, durationSeconds: seconds, diagnostics: diagnostics))
    }

    func parse(_ xml: String) throws -> XMLElement {
        let document = try XMLDocument(xmlString: xml)
        return try #require(document.rootElement())
    }

    func elements(_ e: XMLElement, _ name: String) -> [XMLElement] {
        e.elements(forName: name)
    }

    @Test func oneFailurePerError() throws {
        var f = Fixture()
        let a = f.add("mesh/a.yaml", "1️⃣a: 1\na: 2\n")
        f.add("mesh/clean.yaml", "b: 1\n")
        let diagnostics = [
            Diagnostic(.invalidValue, "`a` must be a string, found 1", at: f.range(a, 1)),
            Diagnostic(.duplicateKey, "duplicate key `a`; the earlier value is ignored", at: f.range(a, 1)),
            Diagnostic(.unknownField, severity: .info, "unknown field `a`", at: f.range(a, 1)),
            Diagnostic(.inputLimit, "too many documents", at: .synthetic),
            Diagnostic(.yamlSyntax, "unexpected end of input", at: f.range(a, 1)),
        ]
        let xml = junit(diagnostics, f.sources, seconds: 0.25)
        #expect(xml.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"fjord check\""))
        let root = try parse(xml)
        #expect(root.name == "testsuites")
        #expect(root.attribute(forName: "tests")?.stringValue == "6")
        #expect(root.attribute(forName: "failures")?.stringValue == "3")
        #expect(root.attribute(forName: "time")?.stringValue == "0.25")

        let suites = elements(root, "testsuite")
        #expect(
            suites.map { $0.attribute(forName: "name")?.stringValue } == ["mesh/a.yaml", "mesh/clean.yaml", "fjord"])
        let cases = suites.flatMap { elements($0, "testcase") }
        let failures = cases.flatMap { elements($0, "failure") }
        #expect(failures.count == diagnostics.filter { $0.severity == .error }.count)
        #expect(failures.map { $0.attribute(forName: "type")?.stringValue } == ["FJ1004", "FJ1001", "FJ1005"])

        let first = suites[0]
        #expect(first.attribute(forName: "tests")?.stringValue == "4")
        #expect(first.attribute(forName: "failures")?.stringValue == "2")
        #expect(first.attribute(forName: "errors")?.stringValue == "0")
        let firstCase = elements(first, "testcase")[0]
        #expect(firstCase.attribute(forName: "name")?.stringValue == "1:1: [FJ1004] `a` must be a string, found 1")
        #expect(firstCase.attribute(forName: "classname")?.stringValue == "mesh/a.yaml")
        let failure = try #require(elements(firstCase, "failure").first)
        #expect(failure.attribute(forName: "message")?.stringValue == "`a` must be a string, found 1")
        #expect(
            failure.stringValue == """
                mesh/a.yaml:1:1: error: [FJ1004] `a` must be a string, found 1
                   1 | a: 1
                     | ^
                   2 | a: 2

                """)

        // Warnings and infos pass and carry their text.
        let warningCase = elements(first, "testcase")[1]
        #expect(elements(warningCase, "failure").isEmpty)
        #expect(elements(warningCase, "system-out").first?.stringValue?.contains("warning: [FJ1002]") == true)

        // A clean file gets one passing test case.
        let clean = suites[1]
        #expect(clean.attribute(forName: "tests")?.stringValue == "1")
        #expect(clean.attribute(forName: "failures")?.stringValue == "0")
        #expect(elements(clean, "testcase").count == 1)
        #expect(elements(clean, "testcase").first?.childCount == 0)
    }

    @Test func escapingAndIllegalCharacters() throws {
        var sources = SourceManager()
        let nasty = "a & b < c > d \"e\" 'f' \u{0}\u{1}\u{1B}[31m\u{B}\u{FFFE}\u{FFFF} tab\there\r\nline 😀 ]]> --"
        let file = sources.add(path: "dir/\(nasty).yaml", bytes: Array("x: \(nasty)\n".utf8))
        let d = Diagnostic(
            DiagnosticCode("FJ1004"), severity: .error, nasty,
            at: SourceRange(file: file.id, start: .init(line: 1, column: 4), end: .init(line: 1, column: 5)),
            notes: [Note(nasty)])
        let xml = junit([d], sources)
        let illegal = xml.unicodeScalars.filter { !JUnitRenderer.isAllowedInXML($0) }
        #expect(illegal.isEmpty)
        let root = try parse(xml)
        let suite = try #require(elements(root, "testsuite").first)
        let stripped = "a & b < c > d \"e\" 'f' [31m tab\there\r\nline 😀 ]]> --"
        #expect(suite.attribute(forName: "name")?.stringValue == "dir/\(stripped).yaml")
        let failure = try #require(elements(elements(suite, "testcase")[0], "failure").first)
        // Attribute values keep tabs and line breaks through character references.
        #expect(failure.attribute(forName: "message")?.stringValue == stripped)
        #expect(failure.stringValue?.contains("note: a & b < c > d \"e\" 'f'") == true)
    }

    @Test func escapeFunction() {
        #expect(JUnitRenderer.escaped("<a href=\"x\">&'</a>") == "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;")
        #expect(JUnitRenderer.escaped("a\nb\tc\u{1}") == "a&#10;b&#9;c")
        #expect(JUnitRenderer.escaped("a\nb\tc\u{1}", attribute: false) == "a\nb\tc")
    }

    @Test func noFilesNoSuites() throws {
        let xml = junit([], SourceManager())
        #expect(
            xml
                == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"fjord check\" tests=\"0\" failures=\"0\" errors=\"0\"/>\n"
        )
        _ = try parse(xml)
    }

    @Test func wellFormedForEveryDiagnosticShape() throws {
        // Every output parses with a strict XML parser, including through XMLParser.
        var f = Fixture()
        let file = f.add("a.yaml", "1️⃣k: v2️⃣\n")
        let shapes: [Diagnostic] = [
            Diagnostic(
                .invalidValue, "m", at: f.range(file, 1, 2), resource: paymentsResource,
                fix: FixIt("add `x`", replacement: "x"),
                witness: .request(WitnessRequest(method: "GET", url: "http://h/?a=1&b=<2>"), outcome: ["-> <x>"])),
            Diagnostic(.invalidValue, severity: .warning, "", at: .synthetic),
        ]
        for d in shapes {
            let xml = junit([d], f.sources)
            let parser = XMLParser(data: Data(xml.utf8))
            #expect(parser.parse(), "\(xml)")
        }
    }
}
