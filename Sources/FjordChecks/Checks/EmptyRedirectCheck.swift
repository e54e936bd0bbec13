import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ1035: a redirect changes the uri, authority, scheme or port.
public enum EmptyRedirectCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "empty-redirect", codes: [.emptyRedirect], summary: "redirects that change nothing",
        inputs: [.virtualService])

    public static func run(_ ctx: CheckContext) {
        for (vs, r) in ctx.resources.httpRoutes {
            guard let red = r.redirect else { continue }
            if red.uri == nil, red.authority == nil, red.scheme == nil, red.port == nil, red.derivePort == nil {
                ctx.report(
                    .emptyRedirect, "\(r.displayName) redirects without changing the uri, authority, scheme or port",
                    at: red.range, in: vs,
                    notes: [Note("a redirect to the same URL loops; set `uri`, `authority`, `scheme` or `port`")])
            }
        }
    }
}
