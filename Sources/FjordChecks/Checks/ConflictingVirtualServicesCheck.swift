import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ2004: on sidecars only the first VirtualService bound to a host takes effect (istioctl's
/// IST0109); the others are ignored there. Gateways concatenate them instead.
public enum ConflictingVirtualServicesCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "conflicting-virtual-services", codes: [.conflictingVirtualServices],
        summary: "several VirtualServices bind one host for sidecars", inputs: [.virtualService])

    public static func run(_ ctx: CheckContext) {
        let mesh = ctx.mesh
        var byHost: [String: [(VirtualService, Located<String>)]] = [:]
        for vs in ctx.resources.virtualServices.oldestFirst()
        where !vs.isDelegate && (vs.gateways.isEmpty || vs.gateways.contains { $0.value == "mesh" }) {
            var seen = Set<String>()
            for h in vs.hosts {
                let fqdn = mesh.fqdn(h.value, in: vs.namespace)
                if seen.insert(fqdn).inserted { byHost[fqdn, default: []].append((vs, h)) }
            }
        }
        for (host, list) in byHost.sorted(by: { $0.key < $1.key }) where list.count > 1 {
            let (first, firstHost) = list[0]
            for (vs, h) in list.dropFirst() {
                // VirtualServices exported to disjoint sets of namespaces never meet on one sidecar.
                guard overlap(first, vs, mesh: mesh) else { continue }
                ctx.report(
                    .conflictingVirtualServices,
                    "\(quoted(vs.key.qualifiedName)) binds host \(quoted(host)), which VirtualService \(quoted(first.key.qualifiedName)) already binds; sidecars use only \(quoted(first.key.qualifiedName))",
                    at: h.range, in: vs,
                    notes: [
                        Note(
                            "\(quoted(first.key.qualifiedName)) binds it here, and is older or sorts first",
                            at: firstHost.range),
                        Note("merge the rules into one VirtualService, or use delegation"),
                    ])
            }
        }
    }

    static func overlap(_ a: VirtualService, _ b: VirtualService, mesh: Mesh) -> Bool {
        let namespaces = mesh.knownNamespaceNames.union([a.namespace, b.namespace])
        return namespaces.contains { ns in
            RouteTables.exportAllows(a.exportTo.map(\.value), owner: a.namespace, viewer: ns)
                && RouteTables.exportAllows(b.exportTo.map(\.value), owner: b.namespace, viewer: ns)
        }
    }
}
