import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ1018: an HTTP rule does one thing: route, redirect, answer directly, or delegate.
public enum ConflictingActionsCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "conflicting-actions", codes: [.conflictingActions],
        summary: "an HTTP rule combines actions that exclude each other", inputs: [.virtualService])

    public static func run(_ ctx: CheckContext) {
        for (vs, r) in ctx.resources.httpRoutes {
            var present: [(String, SourceRange)] = []
            if let first = r.route.first { present.append(("`route`", first.range)) }
            if let x = r.redirect { present.append(("`redirect`", x.range)) }
            if let x = r.directResponse { present.append(("`directResponse`", x.range)) }
            if let x = r.delegate { present.append(("`delegate`", x.range)) }
            if present.count > 1 {
                let (a, aRange) = present[0]
                for (b, bRange) in present.dropFirst() {
                    ctx.report(
                        .conflictingActions, "\(r.displayName) has both \(a) and \(b)", at: bRange, in: vs,
                        notes: [
                            Note("\(a) is set here", at: aRange),
                            Note("a rule routes, redirects, answers directly or delegates; split it into two rules"),
                        ])
                }
            }
            // A redirect or a direct response answers by itself: a rewrite or a fault next to it
            // would never act (Istio: "HTTP route rule cannot contain both rewrite and redirect",
            // "... fault and direct_response"). `rewrite.uri` with `rewrite.uriRegexRewrite` is an
            // exclusive pair of the schema: the front end reports it as FJ1011.
            let answer: (String, SourceRange)? =
                r.redirect.map { ("`redirect`", $0.range) } ?? r.directResponse.map { ("`directResponse`", $0.range) }
            if let (answerName, answerRange) = answer {
                if let rw = r.rewrite {
                    ctx.report(
                        .conflictingActions, "\(r.displayName) has both `rewrite` and \(answerName)", at: rw.range,
                        in: vs,
                        notes: [Note("\(answerName) is set here", at: answerRange)])
                }
                if let f = r.fault {
                    ctx.report(
                        .conflictingActions, "\(r.displayName) has both `fault` and \(answerName)", at: f.range, in: vs,
                        notes: [Note("\(answerName) is set here", at: answerRange)])
                }
            }
            if let m = r.mirror, !r.mirrors.isEmpty {
                ctx.report(
                    .conflictingActions, "\(r.displayName) has both `mirror` and `mirrors`", at: m.range, in: vs,
                    notes: [Note("move the mirror into `mirrors`")])
            }
            if r.mirrorPercent != nil, let p = r.mirrorPercentage {
                ctx.report(
                    .conflictingActions, "\(r.displayName) has both `mirrorPercent` and `mirrorPercentage`",
                    at: p.range, in: vs)
            }
        }
    }
}
