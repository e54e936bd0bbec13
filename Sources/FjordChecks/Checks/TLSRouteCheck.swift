import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ1037: a TLS route matches on SNI hosts, which must be among the VirtualService's hosts.
public enum TLSRouteCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "invalid-tls-route", codes: [.invalidTlsRoute], summary: "TLS routes whose match cannot select traffic",
        inputs: [.virtualService])

    public static func run(_ ctx: CheckContext) {
        for vs in ctx.resources.virtualServices {
            for r in vs.tls {
                if r.match.isEmpty {
                    ctx.report(
                        .invalidTlsRoute, "TLS rule \(r.index) needs a `match` with `sniHosts`", at: r.range, in: vs)
                }
                for m in r.match {
                    if m.sniHosts.isEmpty {
                        ctx.report(
                            .invalidTlsRoute, "a TLS match needs at least one host in `sniHosts`", at: m.range, in: vs)
                    }
                    for sni in m.sniHosts {
                        // Istio: the SNI host must be a subset of one of the hosts, so `*.example.com`
                        // is not covered by `api.example.com` (only the other way round).
                        let covered = vs.hosts.contains { h in
                            Mesh.hostMatches(pattern: h.value.lowercased(), host: sni.value.lowercased())
                        }
                        if !covered {
                            ctx.report(
                                .invalidTlsRoute,
                                "SNI host \(quoted(sni.value)) is not one of the VirtualService's hosts", at: sni.range,
                                in: vs,
                                notes: [
                                    Note(
                                        "Istio rejects SNI hosts that are not covered by `hosts`; add it there or fix the name"
                                    )
                                ])
                        }
                    }
                }
            }
        }
    }
}
