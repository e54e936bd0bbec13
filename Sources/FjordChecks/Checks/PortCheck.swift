import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ1016: port numbers must lie in 1-65535.
public enum PortCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "invalid-port", codes: [.invalidPort], summary: "port numbers outside 1-65535",
        inputs: [
            .virtualService, .destinationRule, .peerAuthentication, .serviceEntry, .gateway, .sidecar, .service,
            .workloadEntry,
        ])

    public static func run(_ ctx: CheckContext) {
        let rs = ctx.resources
        for vs in rs.virtualServices {
            for r in vs.http {
                for m in r.match { check(m.port, "match port", vs, ctx) }
                for d in r.allDestinations { check(d.port, "destination port", vs, ctx) }
                if let red = r.redirect { check(red.port, "redirect port", vs, ctx) }
            }
            for r in vs.tcp {
                for m in r.match { check(m.port, "match port", vs, ctx) }
                for d in r.route { check(d.destination.port, "destination port", vs, ctx) }
            }
            for r in vs.tls {
                for m in r.match { check(m.port, "match port", vs, ctx) }
                for d in r.route { check(d.destination.port, "destination port", vs, ctx) }
            }
        }
        for dr in rs.destinationRules {
            for p in rs.trafficPolicies(of: dr) {
                for pl in p.portLevelSettings {
                    if let port = pl.port {
                        check(port, "port-level setting port", dr, ctx)
                    } else {
                        ctx.report(
                            .invalidPort, "a port-level setting must name its `port.number`", at: pl.range, in: dr)
                    }
                }
            }
        }
        for pa in rs.peerAuthentications {
            for (port, _) in pa.portLevelMtls { check(port, "`portLevelMtls` port", pa, ctx) }
            for key in pa.invalidPortKeys {
                ctx.report(
                    .invalidPort, "`portLevelMtls` key \(quoted(key.value)) is not a port number", at: key.range, in: pa
                )
            }
        }
        for se in rs.serviceEntries {
            for p in se.ports {
                check(p.number, "port", se, ctx)
                check(p.targetPort, "target port", se, ctx)
            }
            for e in se.endpoints {
                for (name, port) in e.ports.sorted(by: { $0.key < $1.key }) {
                    check(Located(port, e.range), "endpoint port `\(name)`", se, ctx)
                }
            }
        }
        for gw in rs.gateways {
            for s in gw.servers {
                check(s.port?.number, "server port", gw, ctx)
                check(s.port?.targetPort, "server target port", gw, ctx)
            }
        }
        for sc in rs.sidecars {
            for e in sc.egress { check(e.port?.number, "egress port", sc, ctx) }
        }
        for svc in rs.services {
            for p in svc.ports { check(p.port, "service port", svc, ctx) }
        }
        for we in rs.workloadEntries {
            for (name, port) in we.spec.ports.sorted(by: { $0.key < $1.key }) {
                check(Located(port, we.spec.range), "port `\(name)`", we, ctx)
            }
        }
    }

    static func check(_ port: Located<Int>?, _ what: String, _ r: some MeshResource, _ ctx: CheckContext) {
        guard let port, port.value < 1 || port.value > 65535 else { return }
        ctx.report(.invalidPort, "\(what) \(port.value) is outside 1-65535", at: port.range, in: r)
    }
}
