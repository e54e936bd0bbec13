import FjordDiagnostics
import FjordModel
import FjordRegex
import FjordSource

/// FJ1006: `regex` string matches and `uriRegexRewrite.match` must be RE2 that Istio accepts:
/// not empty, at most 1,024 bytes, and well formed (Istio validates with Go's `regexp`, Envoy
/// runs C++ RE2; FjordRegex follows both, see grammar/regex.md).
public enum RegexCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "invalid-regex", codes: [.invalidRegex], summary: "regular expressions that RE2 or Istio reject",
        inputs: [.virtualService])

    public static func run(_ ctx: CheckContext) {
        for (vs, r) in ctx.resources.httpRoutes {
            for (label, m) in r.allStringMatches {
                guard let pattern = m.regexPattern else { continue }
                check(
                    pattern, at: m.operandRange.isSynthetic ? m.range : m.operandRange, what: "the \(label) match", vs,
                    ctx)
            }
            if let rx = r.rewrite?.uriRegexRewrite {
                check(rx.match.value, at: rx.match.range, what: "`rewrite.uriRegexRewrite.match`", vs, ctx)
            }
        }
    }

    static func check(_ pattern: String, at range: SourceRange, what: String, _ vs: VirtualService, _ ctx: CheckContext)
    {
        if pattern.isEmpty {
            ctx.report(
                .invalidRegex, "the `regex` of \(what) is empty", at: range, in: vs,
                notes: [
                    Note(
                        "Istio rejects an empty `regex`; to match any value, use `prefix: \"\"` (uri) or an empty match `{}`"
                    )
                ])
            return
        }
        let bytes = pattern.utf8.count
        if bytes > RegexParser.istioMaxPatternLength {
            ctx.report(
                .invalidRegex,
                "the `regex` of \(what) is \(bytes) bytes long; Istio accepts at most \(RegexParser.istioMaxPatternLength)",
                at: range, in: vs)
            return
        }
        guard let e = RegexParser.validate(pattern) else { return }
        // Point at the offending piece when the scalar is written without escapes.
        let utf8 = Array(pattern.utf8)
        let start = min(max(e.offset, 0), utf8.count)
        let end = min(start + max(e.length, 1), utf8.count)
        let offset = String(decoding: utf8[..<start], as: UTF8.self).unicodeScalars.count
        let length = max(1, String(decoding: utf8[start..<end], as: UTF8.self).unicodeScalars.count)
        let at = subrange(of: range, text: pattern, offset: offset, length: length)
        var notes: [Note] = []
        if let n = e.note { notes.append(Note(n)) }
        notes.append(
            Note(
                "Istio matches with RE2 (full match, no backreferences or lookaround): https://github.com/google/re2/wiki/Syntax"
            ))
        let shown = pattern.count > 60 ? String(pattern.prefix(57)) + "..." : pattern
        ctx.report(
            .invalidRegex,
            "invalid regular expression \(quoted(shown)) in \(what): \(e.message), at \(quoted(e.fragment))",
            at: at, in: vs, notes: notes)
    }
}
