import FjordDiagnostics
import FjordModel
import FjordRegex
import FjordSource

/// FJ1006: regular expressions must be RE2 (Istio validates them with Go's regexp, Envoy runs
/// them with RE2). The finding points at the offending piece inside the pattern.
public enum RegexCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "invalid-regex", codes: [.invalidRegex], summary: "regular expressions that RE2 rejects", inputs: [.virtualService])

    public static func run(_ ctx: CheckContext) {
        for vs in ctx.resources.virtualServices {
            for r in vs.http {
                for (label, m) in r.allStringMatches {
                    guard case .regex(let pattern) = m.kind else { continue }
                    check(pattern, range: m.operandRange, label: label, vs, ctx)
                }
                if let rx = r.rewrite?.uriRegexRewrite {
                    check(rx.match.value, range: rx.match.range, label: "`uriRegexRewrite.match`", vs, ctx)
                }
            }
        }
    }

    static func check(_ pattern: String, range: SourceRange, label: String, _ vs: VirtualService, _ ctx: CheckContext) {
        if pattern.isEmpty {
            ctx.report(.invalidRegex, "the regular expression of \(label) is empty", at: range, in: vs,
                       notes: [Note("use `{}` to match any value, or `prefix: \"\"`")])
            return
        }
        guard let error = RegexParser.validate(pattern) else { return }
        // Byte offset -> scalar offset inside the pattern, for the caret.
        let bytes = Array(pattern.utf8)
        let start = String(decoding: bytes[..<min(error.offset, bytes.count)], as: UTF8.self).unicodeScalars.count
        let end = String(decoding: bytes[..<min(error.offset + max(error.length, 1), bytes.count)], as: UTF8.self).unicodeScalars.count
        let at = subrange(of: range, text: pattern, offset: start, length: max(1, end - start))
        var notes: [Note] = []
        if let n = error.note { notes.append(Note(n)) }
        if !error.code.isRE2SyntaxError {
            notes.append(Note("RE2 may accept it, but fjord cannot analyse or compile a pattern this large"))
            ctx.report(.invalidRegex, severity: .warning, "regular expression \(quoted(pattern)) is too large to analyse", at: at, in: vs, notes: notes)
            return
        }
        ctx.report(.invalidRegex, "invalid regular expression \(quoted(pattern)) in \(label): \(error.message): \(quoted(error.fragment))",
                   at: at, in: vs, notes: notes)
    }
}
