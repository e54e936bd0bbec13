import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ1025: redirect codes, abort statuses and direct-response statuses.
public enum StatusCodeCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "invalid-status-code", codes: [.invalidStatusCode],
        summary: "HTTP status codes Istio does not accept in this place",
        inputs: [.virtualService])

    public static let redirectCodes = [301, 302, 303, 307, 308]

    public static func run(_ ctx: CheckContext) {
        for (vs, r) in ctx.resources.httpRoutes {
            if let c = r.redirect?.redirectCode, !redirectCodes.contains(c.value) {
                ctx.report(
                    .invalidStatusCode, "redirect code \(c.value) is not one of 301, 302, 303, 307, 308", at: c.range,
                    in: vs)
            }
            if let s = r.fault?.abort?.httpStatus, s.value < 200 || s.value > 599 {
                ctx.report(
                    .invalidStatusCode, "abort status \(s.value) is not an HTTP status between 200 and 599",
                    at: s.range, in: vs)
            }
            if let s = r.directResponse?.status, s.value < 200 || s.value > 599 {
                ctx.report(
                    .invalidStatusCode, "direct response status \(s.value) is not an HTTP status between 200 and 599",
                    at: s.range, in: vs)
            }
        }
    }
}
