import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ1022: host names in VirtualServices, DestinationRules, ServiceEntries, Gateways and Sidecars.
public enum HostCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "invalid-host", codes: [.invalidHost], summary: "host names Istio rejects",
        inputs: [.virtualService, .destinationRule, .serviceEntry, .gateway, .sidecar])

    public static func run(_ ctx: CheckContext) {
        let rs = ctx.resources
        for vs in rs.virtualServices {
            let boundToMesh = vs.gateways.isEmpty || vs.gateways.contains { $0.value == "mesh" }
            var seen: [String: SourceRange] = [:]
            for h in vs.hosts {
                if let p = hostProblem(h.value, allowWildcard: true, allowBareWildcard: !boundToMesh) {
                    let note =
                        h.value == "*"
                        ? [Note("`*` is only allowed for VirtualServices bound to gateways other than `mesh`")] : []
                    ctx.report(.invalidHost, "invalid host \(quoted(h.value)): \(p)", at: h.range, in: vs, notes: note)
                }
                let key = h.value.lowercased()
                if let first = seen[key] {
                    ctx.report(
                        .invalidHost, "host \(quoted(h.value)) is listed more than once", at: h.range, in: vs,
                        notes: [Note("first listed here", at: first)])
                } else {
                    seen[key] = h.range
                }
            }
            for r in vs.http {
                for d in r.allDestinations { destination(d, vs, ctx) }
            }
            for r in vs.tcp { for d in r.route { destination(d.destination, vs, ctx) } }
            for r in vs.tls { for d in r.route { destination(d.destination, vs, ctx) } }
        }
        for dr in rs.destinationRules where !dr.host.value.isEmpty {
            if let p = hostProblem(dr.host.value, allowWildcard: true, allowBareWildcard: false) {
                ctx.report(.invalidHost, "invalid host \(quoted(dr.host.value)): \(p)", at: dr.host.range, in: dr)
            }
        }
        for se in rs.serviceEntries {
            for h in se.hosts {
                if h.value == "*" {
                    ctx.report(.invalidHost, "a ServiceEntry host cannot be the wildcard `*`", at: h.range, in: se)
                } else if let p = hostProblem(h.value, allowWildcard: true, allowBareWildcard: false) {
                    ctx.report(.invalidHost, "invalid host \(quoted(h.value)): \(p)", at: h.range, in: se)
                }
            }
        }
        for gw in rs.gateways {
            for s in gw.servers {
                if s.hosts.isEmpty {
                    ctx.report(.invalidHost, "a gateway server needs at least one host", at: s.range, in: gw)
                }
                for h in s.hosts { namespacedHost(h, gw, ctx, allowNamespaceWildcard: true) }
            }
        }
        for sc in rs.sidecars {
            for e in sc.egress {
                for h in e.hosts {
                    if !h.value.contains("/") {
                        ctx.report(
                            .invalidHost, "Sidecar egress host \(quoted(h.value)) must be written `namespace/host`",
                            at: h.range, in: sc,
                            fix: FixIt(
                                "write \(quoted("*/" + h.value)) for any namespace, or \(quoted("./" + h.value)) for this one"
                            ))
                    } else {
                        namespacedHost(h, sc, ctx, allowNamespaceWildcard: true)
                    }
                }
            }
        }
    }

    static func destination(_ d: Destination, _ vs: VirtualService, _ ctx: CheckContext) {
        if let p = hostProblem(d.host.value, allowWildcard: true, allowBareWildcard: false) {
            ctx.report(.invalidHost, "invalid destination host \(quoted(d.host.value)): \(p)", at: d.host.range, in: vs)
        }
    }

    /// `ns/host`, `./host`, `*/host` or plain `host`.
    static func namespacedHost(
        _ h: Located<String>, _ r: some MeshResource, _ ctx: CheckContext, allowNamespaceWildcard: Bool
    ) {
        let parts = h.value.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let host = parts.count == 2 ? parts[1] : parts[0]
        if parts.count == 2 {
            let ns = parts[0]
            if ns != "*", ns != ".", ns != "~", !isDNS1123Label(ns) {
                ctx.report(
                    .invalidHost, "invalid namespace \(quoted(ns)) in host \(quoted(h.value))", at: h.range, in: r)
                return
            }
        }
        if let p = hostProblem(host, allowWildcard: true, allowBareWildcard: true) {
            ctx.report(.invalidHost, "invalid host \(quoted(h.value)): \(p)", at: h.range, in: r)
        }
    }
}
