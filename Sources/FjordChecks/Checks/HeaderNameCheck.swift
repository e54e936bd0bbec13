import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ1023: header names in matches and header operations.
public enum HeaderNameCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "invalid-header-name", codes: [.invalidHeaderName],
        summary: "header names that cannot be matched or edited",
        inputs: [.virtualService])

    static func validToken(_ s: String) -> Bool {
        !s.isEmpty
            && s.utf8.allSatisfy { c in
                (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39)
                    || c == UInt8(ascii: "-") || c == UInt8(ascii: "_")
                    || c == UInt8(ascii: ".")
            }
    }

    public static func run(_ ctx: CheckContext) {
        for (vs, r) in ctx.resources.httpRoutes {
            for m in r.match {
                for h in m.headers + m.withoutHeaders {
                    let name = h.name.value.hasPrefix(":") ? String(h.name.value.dropFirst()) : h.name.value
                    // `@request.auth.claims.<claim>` routes on a JWT claim (gateways with RequestAuthentication).
                    if h.name.value.hasPrefix("@request.auth.claims.") { continue }
                    if h.name.value.isEmpty {
                        ctx.report(.invalidHeaderName, "a header match needs a header name", at: h.name.range, in: vs)
                    } else if !validToken(name) {
                        ctx.report(
                            .invalidHeaderName, "\(quoted(h.name.value)) is not a valid header name", at: h.name.range,
                            in: vs)
                    }
                }
                for q in m.queryParams where q.name.value.isEmpty {
                    ctx.report(
                        .invalidHeaderName, "a query parameter match needs a parameter name", at: q.name.range, in: vs)
                }
            }
            var ops: [HeaderOperations] = []
            if let h = r.headers { ops += [h.request, h.response].compactMap { $0 } }
            for d in r.route { if let h = d.headers { ops += [h.request, h.response].compactMap { $0 } } }
            for op in ops {
                for name in op.set.map(\.name) + op.add.map(\.name) + op.remove {
                    let n = name.value
                    if n.isEmpty {
                        ctx.report(.invalidHeaderName, "a header operation needs a header name", at: name.range, in: vs)
                    } else if n.hasPrefix(":") {
                        ctx.report(
                            .invalidHeaderName, "pseudo-header \(quoted(n)) cannot be edited", at: name.range, in: vs,
                            notes: [Note("use `rewrite.uri` or `rewrite.authority` to change the path or host")])
                    } else if n.lowercased() == "host" {
                        ctx.report(
                            .invalidHeaderName, "header \(quoted(n)) cannot be edited", at: name.range, in: vs,
                            fix: FixIt("use `rewrite.authority` to change the host"))
                    } else if !validToken(n) {
                        ctx.report(
                            .invalidHeaderName, "\(quoted(n)) is not a valid header name", at: name.range, in: vs)
                    }
                }
            }
        }
    }
}
