import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ2105: a destination port that the destination's Service or ServiceEntry does not expose
/// (istioctl's IST0101 for `host:port`); and, on gateways, a destination without a port toward
/// a service with several ports, where Envoy uses the gateway's listener port instead.
public enum DestinationPortCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "unknown-destination-port", codes: [.unknownDestinationPort],
        summary: "destination ports that the destination service does not expose",
        inputs: [.virtualService, .service, .serviceEntry, .gateway])

    public static func run(_ ctx: CheckContext) {
        let index = ReferenceIndex(mesh: ctx.mesh)
        for vs in ctx.resources.virtualServices {
            let viewers = index.viewers(of: vs)
            for w in vs.writtenDestinations {
                let d = w.destination
                guard !d.host.value.isEmpty else { continue }
                let fqdn = ctx.mesh.fqdn(d.host.value, in: vs.namespace)
                guard case .found(let defs) = index.lookup(fqdn, viewers: viewers) else { continue }
                let ports = Array(Set(defs.flatMap(\.ports))).sorted()
                guard !ports.isEmpty else { continue }
                if let p = d.port {
                    guard !ports.contains(p.value) else { continue }
                    let exposes =
                        ports.count == 1
                        ? "port \(ports[0])" : "ports " + ports.map(String.init).joined(separator: ", ")
                    let fix =
                        ports.count == 1
                        ? FixIt("use port \(ports[0])", replacement: String(ports[0]), at: p.range) : nil
                    ctx.report(
                        .unknownDestinationPort, "port \(p.value) is not a port of \(quoted(d.host.value))",
                        at: p.range, in: vs,
                        notes: [
                            Note(
                                "\(defs.prefix(2).map(ReferenceIndex.describe).joined(separator: " and ")) exposes \(exposes)"
                            ),
                            Note("Envoy has no cluster for this port: requests routed here fail with 503"),
                        ],
                        fix: fix)
                } else if ports.count > 1, !vs.boundToMesh, !vs.gateways.isEmpty {
                    // On a gateway, a destination without a port goes to the listener's port.
                    let listenerPorts = gatewayPorts(vs, ctx)
                    if !listenerPorts.isEmpty, listenerPorts.allSatisfy(ports.contains) { continue }
                    let listened =
                        listenerPorts.isEmpty
                        ? "the port the request arrived on"
                        : "the gateway's port (" + listenerPorts.map(String.init).joined(separator: ", ") + ")"
                    ctx.report(
                        .unknownDestinationPort,
                        "destination \(quoted(d.host.value)) names no port, and the service exposes several (\(ports.map(String.init).joined(separator: ", ")))",
                        at: d.host.range, in: vs,
                        notes: [
                            Note(
                                "on a gateway Istio then routes to \(listened), which the service does not expose: requests fail with 503"
                            )
                        ],
                        fix: FixIt("add `port: {number: \(ports[0])}` (or the port you mean) to the destination"))
                }
            }
        }
    }

    static func gatewayPorts(_ vs: VirtualService, _ ctx: CheckContext) -> [Int] {
        var out = Set<Int>()
        for g in vs.gateways where g.value != "mesh" {
            let ref = g.value.contains("/") ? g.value : "\(vs.namespace)/\(g.value)"
            for gw in ctx.resources.gateways where gw.key.qualifiedName == ref {
                for s in gw.servers { if let p = s.port?.number?.value { out.insert(p) } }
            }
        }
        return out.sorted()
    }
}
