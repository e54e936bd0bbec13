import FjordSource

/// Renders diagnostics for people: a header line, the source lines around the range with a
/// caret underline, then notes, a help line for the fix and the witness.
///
/// ```
/// mesh/payments.yaml:17:7: error: [FJ2002] rule `canary-v2` can never match
///     8 |   http:
///     9 |   - name: debug
///       |           ^~~~~ rule `debug` is here
///    10 |     match:
///       :
///    16 |     match:
///    17 |     - headers:
///       |       ^~~~~~~~ every request this matches is taken by rule `debug` (line 9)
///    18 |         x-user: {exact: alice}
///   note: rule `debug` matches header `x-user` with prefix `ali`
///   witness: GET http://payment-service/api  x-user: alice  ->  rule `debug` -> payment-service v2
/// 1 error in 1 file (3 resources) in 38 ms
/// ```
///
/// - Notes whose range lies in the primary file are drawn in the snippet with their own
///   underline and message; a note with exactly the primary range labels the primary underline.
///   Gaps between distant lines show as a `:` line.
/// - Notes elsewhere print as `note: path:line:col: message`, notes without a range as
///   `note: message`.
/// - A diagnostic without a source position prints `fjord: severity: [CODE] message`, followed by
///   a `resource: Kind namespace/name` line when it names one (with a position, the snippet
///   already says where the resource is).
/// - Tabs are expanded, columns count Unicode scalars, wide characters take two cells, and
///   control characters from the input are shown as `�`.
/// - With ``RenderOptions/compact`` each diagnostic is one line: `path:line:col: severity: [CODE] message`.
public struct TextRenderer: DiagnosticRenderer {
    /// The settings this renderer reads.
    public var options: RenderOptions

    /// A renderer with `options` (the defaults suit a pipe).
    public init(options: RenderOptions = RenderOptions()) {
        self.options = options
    }

    /// Renders `diagnostics` in the order given; see the type's documentation for the shape.
    public func render(_ diagnostics: [Diagnostic], sources: SourceManager, summary: RunSummary) -> String {
        var out = ""
        for d in diagnostics {
            out += options.compact ? renderCompact(d, sources: sources) : renderDiagnostic(d, sources: sources)
        }
        if options.showSummary {
            out += style.bold(summary.line) + "\n"
        }
        return out
    }

    /// One diagnostic on one line (message line breaks become spaces), ending with a newline.
    public func renderCompact(_ d: Diagnostic, sources: SourceManager) -> String {
        let message = Self.lines(d.message).map { $0.drop(while: { $0 == " " }) }.joined(separator: " ")
        return header(d, sources: sources, message: [message]) + "\n"
    }

    /// One diagnostic with its source snippet, notes, fix and witness, ending with a newline.
    public func renderDiagnostic(_ d: Diagnostic, sources: SourceManager) -> String {
        var out = header(d, sources: sources, message: Self.lines(d.message)) + "\n"
        var trailingNotes = d.notes
        var snippetShown = false
        if !d.range.isSynthetic, let file = sources[d.range.file],
            let snippet = Snippet(diagnostic: d, file: file, options: options, style: style)
        {
            out += snippet.rendered
            trailingNotes = snippet.unplacedNotes
            snippetShown = true
        }
        if !snippetShown, let resource = d.resource {
            out += trailer("resource", [terminalSafe(resource.description)])
        }
        for note in trailingNotes {
            var lines = Self.lines(note.message)
            if let r = note.range {
                let location = "\(terminalSafe(sources.path(of: r.file))):\(r.start.line):\(r.start.column): "
                lines[0] = location + lines[0]
            }
            out += trailer("note", lines)
        }
        if let fix = d.fix {
            out += trailer("help", Self.fixLines(fix))
        }
        if let witness = d.witness {
            out += trailer(witness.kind == .path ? "path" : "witness", Self.lines(witness.rendered))
        }
        return out
    }

    var style: TerminalStyle { TerminalStyle(enabled: options.color) }

    private func header(_ d: Diagnostic, sources: SourceManager, message: [String]) -> String {
        let location: String
        if d.range.isSynthetic {
            location = "fjord:"
        } else {
            let path = terminalSafe(sources.path(of: d.range.file))
            location = "\(path):\(d.range.start.line):\(d.range.start.column):"
        }
        var s =
            style.bold(location) + " " + style.severity(d.severity, "\(d.severity):") + " "
            + style.bold("[\(terminalSafe(d.code.rawValue))] \(message[0])")
        for continuation in message.dropFirst() {
            s += "\n  " + style.bold(String(continuation))
        }
        return s
    }

    /// `  label: first line` with further lines indented under the first.
    private func trailer(_ label: String, _ lines: [String]) -> String {
        let indent = String(repeating: " ", count: label.count + 4)
        var s = "  " + style.label(label + ":") + " " + (lines.first ?? "") + "\n"
        for line in lines.dropFirst() { s += indent + line + "\n" }
        return s
    }

    /// The help line of a fix: its message, and its replacement when the message does not
    /// already show it (a replacement of several lines goes below, indented).
    static func fixLines(_ fix: FixIt) -> [String] {
        var lines = Self.lines(fix.message)
        guard let replacement = fix.replacement, !replacement.isEmpty, !fix.message.contains(replacement) else {
            return lines
        }
        let replacementLines = Self.lines(replacement)
        if replacementLines.count == 1 {
            lines[lines.count - 1] += ": " + quoted(replacementLines[0])
        } else {
            lines[lines.count - 1] += ":"
            lines += replacementLines.map { "  " + $0 }
        }
        return lines
    }

    /// The lines of a message made safe for a terminal (never empty).
    static func lines(_ s: String) -> [String] {
        terminalSafe(s).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
}

// MARK: - Snippet

/// The annotated source lines of one diagnostic in its primary file.
private struct Snippet {
    struct Annotation {
        var line: Int
        var startColumn: Int
        /// Exclusive; equal to `startColumn` for an empty range.
        var endColumn: Int
        var label: [String]
        var isPrimary: Bool
    }

    var rendered = ""
    /// Notes that could not be drawn in the snippet (other files, out-of-range lines, no range).
    var unplacedNotes: [Note] = []

    init?(diagnostic d: Diagnostic, file: SourceFile, options: RenderOptions, style: TerminalStyle) {
        // An unreadable (or empty) file has no line to show.
        guard !file.bytes.isEmpty, d.range.start.line >= 1, d.range.start.line <= file.lineCount else { return nil }
        // Columns each line needs: enough to show every annotation on it and a window around it
        // (a source line may be megabytes long; only what is shown is read).
        let limit = min(max(0, options.maxLineWidth), 1 << 20)
        var columnsNeeded: [Int: Int] = [:]
        for r in [d.range] + d.notes.compactMap(\.range) where r.file == d.range.file {
            // The window shows at most `limit` cells from the start of a range, so the end of a
            // long range (a 50 MB scalar) is never read past that.
            let start = min(max(1, r.start.column), Int.max / 4)
            let end = r.end.line == r.start.line ? r.end.column : 0
            let furthest = limit == 0 ? max(start, min(end, Int.max / 4)) : max(start, min(end, start + limit))
            columnsNeeded[r.start.line] = max(columnsNeeded[r.start.line] ?? 0, furthest)
        }
        var cellCache: [Int: SourceLineCells] = [:]
        func cells(_ line: Int) -> SourceLineCells {
            if let c = cellCache[line] { return c }
            let maxColumns = limit == 0 ? Int.max : (columnsNeeded[line] ?? 0) + 2 * limit + 1
            let c = SourceLineCells(file: file, line: line, tabWidth: options.tabWidth, maxColumns: maxColumns)
            cellCache[line] = c
            return c
        }
        func annotation(_ r: SourceRange, label: [String], primary: Bool) -> Annotation {
            // Columns past the end of the line stop just after it.
            let lineEnd = cells(r.start.line).cells.count + 1
            let start = min(max(1, r.start.column), lineEnd)
            var end = start
            if r.end.line == r.start.line {
                end = min(max(start, r.end.column), lineEnd)
            } else if r.end.line > r.start.line {
                // Several lines: underline to the end of the first line's text, not over a
                // trailing `# comment` or the blanks before it.
                end = max(start + 1, Self.textEnd(of: cells(r.start.line), from: start))
            }
            return Annotation(line: r.start.line, startColumn: start, endColumn: end, label: label, isPrimary: primary)
        }

        var primary = annotation(d.range, label: [], primary: true)
        var annotations: [Annotation] = []
        for note in d.notes {
            guard let r = note.range, r.file == d.range.file, r.start.line >= 1, r.start.line <= file.lineCount else {
                unplacedNotes.append(note)
                continue
            }
            if r == d.range, primary.label.isEmpty {
                primary.label = TextRenderer.lines(note.message)
            } else {
                annotations.append(annotation(r, label: TextRenderer.lines(note.message), primary: false))
            }
        }
        annotations.append(primary)
        annotations.sort {
            ($0.line, $0.startColumn, $0.isPrimary ? 0 : 1) < ($1.line, $1.startColumn, $1.isPrimary ? 0 : 1)
        }

        // Lines to show: each annotated line with its context; blocks closer than two lines merge.
        let context = min(max(0, options.contextLines), file.lineCount)
        var lastRealLine = file.lineCount
        // The empty "line" after a final line break is not shown as context.
        if lastRealLine > 1, file.lineStarts[lastRealLine - 1] == file.bytes.count { lastRealLine -= 1 }
        var blocks: [ClosedRange<Int>] = []
        for line in Set(annotations.map(\.line)).sorted() {
            let block = max(1, line - context)...max(line, min(lastRealLine, line + context))
            if let last = blocks.last, block.lowerBound <= last.upperBound + 2 {
                blocks[blocks.count - 1] = last.lowerBound...max(last.upperBound, block.upperBound)
            } else {
                blocks.append(block)
            }
        }
        let gutterWidth = String(blocks.last?.upperBound ?? 1).count
        let blankGutter = "   " + String(repeating: " ", count: gutterWidth) + " "

        for (b, block) in blocks.enumerated() {
            if b > 0 { rendered += style.gutter(blankGutter + ":") + "\n" }
            for line in block {
                let lineCells = cells(line)
                let onLine = annotations.filter { $0.line == line }
                let window = Self.window(
                    lineCells, anchor: onLine.map { lineCells.displayStart(ofColumn: $0.startColumn) }.min(),
                    limit: limit)
                var text = window.prefix + lineCells.text(in: window.range) + window.suffix
                while text.last == " " { text.removeLast() }
                let number = String(line)
                let numberGutter = "   " + String(repeating: " ", count: gutterWidth - number.count) + number + " |"
                rendered += style.gutter(numberGutter) + (text.isEmpty ? "" : " " + text) + "\n"
                for a in onLine {
                    var start = lineCells.displayStart(ofColumn: a.startColumn)
                    var end = start + lineCells.displayWidth(from: a.startColumn, to: a.endColumn)
                    // Clip to the visible part of a cut line.
                    start = min(max(start, window.range.lowerBound), window.range.upperBound)
                    end = min(max(end, start + 1), max(window.range.upperBound, start + 1))
                    let offset = start - window.range.lowerBound + window.prefix.count
                    let marks = "^" + String(repeating: "~", count: end - start - 1)
                    var caretLine =
                        style.gutter(blankGutter + "|") + " " + String(repeating: " ", count: offset)
                        + (a.isPrimary ? style.severity(d.severity, marks) : style.note(marks))
                    if let first = a.label.first { caretLine += " " + first }
                    rendered += caretLine + "\n"
                    let labelIndent = String(repeating: " ", count: offset + marks.count + 1)
                    for more in a.label.dropFirst() {
                        rendered += style.gutter(blankGutter + "|") + " " + labelIndent + more + "\n"
                    }
                }
            }
        }
    }

    /// The column just after the last character of YAML text on a line, from column `start`: a
    /// `#` after a blank and outside quotes starts a comment, and trailing blanks do not count.
    static func textEnd(of line: SourceLineCells, from start: Int) -> Int {
        var end = line.cells.count + 1
        var quote: String?
        var previousBlank =
            start <= 1 || (line.cells.indices.contains(start - 2) && isBlank(line.cells[start - 2].text))
        var index = max(start, 1) - 1
        while index < line.cells.count {
            let text = line.cells[index].text
            if let q = quote {
                if text == q { quote = nil }
            } else if text == "\"" || text == "'" {
                quote = text
            } else if text == "#" && previousBlank {
                end = index + 1
                break
            }
            previousBlank = isBlank(text)
            index += 1
        }
        while end > start + 1, line.cells.indices.contains(end - 2), isBlank(line.cells[end - 2].text) { end -= 1 }
        return end
    }

    static func isBlank(_ text: String) -> Bool { text.allSatisfy { $0 == " " } }

    struct Window {
        var range: Range<Int>
        var prefix = ""
        var suffix = ""
    }

    /// The part of a line to show: all of it, or `limit` cells around `anchor` between `...`.
    static func window(_ cells: SourceLineCells, anchor: Int?, limit: Int) -> Window {
        let width = cells.width
        guard limit > 0, width > limit || !cells.isComplete else { return Window(range: 0..<max(width, Int.max / 2)) }
        let anchor = anchor ?? 0
        var low = anchor <= limit / 2 ? 0 : anchor - limit / 4
        // Start on a cell boundary.
        if let first = cells.cells.first(where: { $0.start >= low }) { low = first.start } else { low = width }
        let high = low + limit
        return Window(
            range: low..<high, prefix: low > 0 ? "..." : "", suffix: high < width || !cells.isComplete ? "..." : "")
    }
}

// MARK: - Colour

/// ANSI styling, or none.
struct TerminalStyle {
    var enabled: Bool

    private func wrap(_ code: String, _ s: String) -> String {
        enabled && !s.isEmpty ? "\u{1B}[\(code)m" + s + "\u{1B}[0m" : s
    }

    func bold(_ s: String) -> String { wrap("1", s) }
    func gutter(_ s: String) -> String { wrap("36", s) }
    func note(_ s: String) -> String { wrap("1;36", s) }
    func label(_ s: String) -> String { wrap("1;36", s) }

    func severity(_ severity: Severity, _ s: String) -> String {
        switch severity {
        case .error: wrap("1;31", s)
        case .warning: wrap("1;33", s)
        case .info: wrap("1;36", s)
        }
    }
}
