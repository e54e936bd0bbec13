import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ2111: a VirtualService bound to a Gateway none of whose servers accepts any of its hosts
/// (istioctl's IST0132). A gateway builds its routes from the VirtualServices whose hosts match
/// its servers' hosts (`namespace/host`, `*/host` or `host`, wildcards either way), so it never
/// uses this one. A Gateway that does not exist is FJ2106's.
public enum GatewayHostCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "host-not-on-gateway", codes: [.hostNotOnGateway],
        summary: "VirtualServices bound to a Gateway that serves none of their hosts",
        inputs: [.virtualService, .gateway])

    public static func run(_ ctx: CheckContext) {
        guard !ctx.resources.gateways.isEmpty else { return }
        var gateways: [String: Gateway] = [:]
        for g in ctx.resources.gateways where gateways[g.key.qualifiedName] == nil { gateways[g.key.qualifiedName] = g }
        for vs in ctx.resources.virtualServices where !vs.isDelegate {
            let hosts = vs.hosts.map { $0.value.lowercased() }
            for ref in vs.gateways where ref.value != "mesh" {
                let (ns, name) = GatewayReferenceCheck.resolve(
                    ref.value, in: vs.namespace, suffix: ctx.mesh.config.domainSuffix)
                guard let gw = gateways["\(ns)/\(name)"] else { continue }
                var served: [String] = []
                for s in gw.servers {
                    for h in s.hosts {
                        let (written, host) = Mesh.namespacedHost(h.value)
                        let hostNs = written.map { $0 == "." ? gw.namespace : $0 } ?? "*"
                        if hostNs == "*" || hostNs == vs.namespace { served.append(host.lowercased()) }
                    }
                }
                guard !hosts.contains(where: { vh in served.contains { overlap($0, vh) } }) else { continue }
                let all = gw.servers.flatMap(\.hosts).map(\.value)
                var notes = [
                    Note(
                        all.isEmpty
                            ? "Gateway \(quoted(gw.key.qualifiedName)) has no server hosts"
                            : "its servers accept \(nameList(all, limit: 6))"
                                + (served.count < all.count
                                    ? " (those with a namespace other than \(quoted(vs.namespace)) do not apply to this VirtualService)"
                                    : ""),
                        at: gw.servers.first?.hosts.first?.range ?? gw.nameRange)
                ]
                notes.append(
                    Note("the gateway never uses this VirtualService: its rules are configured on no proxy there"))
                ctx.report(
                    .hostNotOnGateway,
                    "gateway \(quoted(ref.value)) serves none of the hosts of this VirtualService (\(nameList(vs.hosts.map(\.value), limit: 4)))",
                    at: ref.range, in: vs, notes: notes,
                    fix: FixIt(
                        "add the host to a server of Gateway \(quoted(gw.key.qualifiedName)), or bind the VirtualService to the gateway that serves it"
                    ))
            }
        }
    }

    /// Whether two host patterns have a host in common (Istio's `host.Name.Matches`).
    static func overlap(_ a: String, _ b: String) -> Bool {
        let aw = a.hasPrefix("*"), bw = b.hasPrefix("*")
        switch (aw, bw) {
        case (true, true):
            let sa = a.dropFirst(), sb = b.dropFirst()
            return sa.hasSuffix(sb) || sb.hasSuffix(sa)
        case (true, false): return b.hasSuffix(a.dropFirst())
        case (false, true): return a.hasSuffix(b.dropFirst())
        case (false, false): return a == b
        }
    }
}
