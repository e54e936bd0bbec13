import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ2104: an HTTP rule that routes to destinations without a `timeout`. Istio's default is no
/// timeout at all: a slow or hung upstream holds the caller's request (and its connection) until
/// the caller gives up. Redirects and direct responses answer at once, and a rule that delegates
/// takes its timeout from the delegate's rules, which are checked themselves; a delegate's rule
/// may inherit the timeout of every root rule that delegates to it.
public enum MissingTimeoutCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "missing-timeout", codes: [.missingTimeout], summary: "HTTP routes without a timeout",
        inputs: [.virtualService])

    /// The first character of a rule without a name (its first key): one line, not the whole rule.
    static func firstKey(of range: SourceRange) -> SourceRange {
        guard !range.isSynthetic else { return range }
        return SourceRange(
            file: range.file, start: range.start,
            end: SourcePosition(line: range.start.line, column: range.start.column + 1))
    }

    public static func run(_ ctx: CheckContext) {
        let vss = ctx.resources.virtualServices
        // Delegate VirtualService (namespace/name) -> whether every root rule delegating to it sets a timeout.
        var rootTimeouts: [String: Bool] = [:]
        for vs in vss {
            for r in vs.http {
                guard let d = r.delegate else { continue }
                let key = "\(d.namespace?.value ?? vs.namespace)/\(d.name.value)"
                rootTimeouts[key] = (rootTimeouts[key] ?? true) && r.timeout != nil
            }
        }
        for vs in vss {
            let inherits = vs.isDelegate && (rootTimeouts[vs.key.qualifiedName] ?? false)
            guard !inherits else { continue }
            for r in vs.http
            where r.timeout == nil && !r.route.isEmpty && r.redirect == nil && r.directResponse == nil
                && r.delegate == nil
            {
                ctx.report(
                    .missingTimeout, "\(r.displayName) has no timeout", at: r.name?.range ?? firstKey(of: r.range),
                    in: vs,
                    notes: [
                        Note(
                            "Istio sets no timeout by default: a slow or hung upstream holds every request routed here until the caller gives up"
                        )
                    ],
                    fix: FixIt("add a timeout to the rule, for example", replacement: "timeout: 2s"))
            }
        }
    }
}
