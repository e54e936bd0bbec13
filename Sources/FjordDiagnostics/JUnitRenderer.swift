import FjordSource

/// Renders JUnit XML for CI test reports.
///
/// `<testsuites name="fjord check">` holds one `<testsuite>` per input file (named by its path,
/// in the order the files were read), plus one named `fjord` for diagnostics without a source
/// position. Every diagnostic is one `<testcase>`: an error carries exactly one `<failure>`
/// (`message` is the diagnostic's message, `type` its code, the body the caret rendering); a
/// warning or info passes and carries its rendering in `<system-out>`. A file without findings
/// gets one passing test case, so no suite is empty. Text is escaped, and characters XML 1.0
/// does not allow are left out.
public struct JUnitRenderer: DiagnosticRenderer {
    /// The settings this renderer reads.
    public var options: RenderOptions

    /// A renderer with `options` (the defaults suit a pipe).
    public init(options: RenderOptions = RenderOptions()) {
        self.options = options
    }

    /// Renders `diagnostics` in the order given; see the type's documentation for the shape.
    public func render(_ diagnostics: [Diagnostic], sources: SourceManager, summary: RunSummary) -> String {
        // Group by file: every file read, in order, then files the manager does not know, then
        // diagnostics without a position.
        var groups: [(name: String, diagnostics: [Diagnostic])] = sources.files.map { ($0.path, []) }
        var groupIndex: [FileID: Int] = [:]
        for (i, file) in sources.files.enumerated() { groupIndex[file.id] = i }
        for d in diagnostics {
            let key = d.range.isSynthetic ? FileID.synthetic : d.range.file
            if let i = groupIndex[key] {
                groups[i].diagnostics.append(d)
            } else {
                groupIndex[key] = groups.count
                groups.append((key == .synthetic ? "fjord" : sources.path(of: key), [d]))
            }
        }

        let detail = TextRenderer(
            options: RenderOptions(
                color: false, contextLines: options.contextLines, tabWidth: options.tabWidth,
                maxLineWidth: options.maxLineWidth, showSummary: false))
        var suites = ""
        var totalTests = 0
        var totalFailures = 0
        for group in groups {
            let name = Self.escaped(group.name)
            var cases = ""
            var failures = 0
            for d in group.diagnostics {
                let position = d.range.isSynthetic ? "" : "\(d.range.start.line):\(d.range.start.column): "
                let caseName = Self.escaped(position + "[\(d.code.rawValue)] " + d.message.firstLine)
                let body = Self.escaped(detail.renderDiagnostic(d, sources: sources), attribute: false)
                cases += "    <testcase name=\"\(caseName)\" classname=\"\(name)\""
                if !d.range.isSynthetic { cases += " file=\"\(name)\" line=\"\(d.range.start.line)\"" }
                cases += ">\n"
                if d.severity == .error {
                    failures += 1
                    cases +=
                        "      <failure message=\"\(Self.escaped(d.message))\" type=\"\(Self.escaped(d.code.rawValue))\">"
                    cases += body + "</failure>\n"
                } else {
                    cases += "      <system-out>" + body + "</system-out>\n"
                }
                cases += "    </testcase>\n"
            }
            var tests = group.diagnostics.count
            if tests == 0 {
                tests = 1
                cases += "    <testcase name=\"no problems found\" classname=\"\(name)\" file=\"\(name)\"/>\n"
            }
            totalTests += tests
            totalFailures += failures
            suites +=
                "  <testsuite name=\"\(name)\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"0\" skipped=\"0\">\n"
            suites += cases
            suites += "  </testsuite>\n"
        }

        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"fjord check\" tests=\"\(totalTests)\" failures=\"\(totalFailures)\" errors=\"0\""
        if let ms = summary.durationMilliseconds, case .rawNumber(let seconds) = JSONValue.number(ms / 1000) {
            out += " time=\"\(seconds)\""
        }
        if groups.isEmpty {
            return out + "/>\n"
        }
        return out + ">\n" + suites + "</testsuites>\n"
    }

    /// Escapes `&<>"'` (and, in attributes, tab and line breaks as character references) and
    /// leaves out characters that XML 1.0 does not allow.
    static func escaped(_ s: String, attribute: Bool = true) -> String {
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            switch u {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
            case "'": out.append(contentsOf: "&apos;".unicodeScalars)
            case "\r": out.append(contentsOf: "&#13;".unicodeScalars)
            case "\n" where attribute: out.append(contentsOf: "&#10;".unicodeScalars)
            case "\t" where attribute: out.append(contentsOf: "&#9;".unicodeScalars)
            case "\n", "\t": out.append(u)
            default:
                if isAllowedInXML(u) { out.append(u) }
            }
        }
        return String(out)
    }

    /// XML 1.0 `Char`: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
    static func isAllowedInXML(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}
