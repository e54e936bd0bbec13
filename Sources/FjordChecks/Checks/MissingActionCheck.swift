import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ1019: an HTTP rule needs something to do.
public enum MissingActionCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "missing-action", codes: [.missingAction],
        summary: "an HTTP rule has no route, redirect, direct response or delegate", inputs: [.virtualService])

    public static func run(_ ctx: CheckContext) {
        for (vs, r) in ctx.resources.httpRoutes
        where r.route.isEmpty && r.redirect == nil && r.directResponse == nil && r.delegate == nil
            && !r.hasMalformedAction
        {
            ctx.report(
                .missingAction, "\(r.displayName) has no `route`, `redirect`, `directResponse` or `delegate`",
                at: r.range, in: vs,
                notes: [Note("Istio rejects the VirtualService; add a `route` with a destination")])
        }
        for vs in ctx.resources.virtualServices {
            for r in vs.tcp where r.route.isEmpty && !r.hasMalformedAction {
                ctx.report(.missingAction, "TCP rule \(r.index) has no `route`", at: r.range, in: vs)
            }
            for r in vs.tls where r.route.isEmpty && !r.hasMalformedAction {
                ctx.report(.missingAction, "TLS rule \(r.index) has no `route`", at: r.range, in: vs)
            }
        }
    }
}
