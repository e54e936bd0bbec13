import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ2119: a Sidecar egress host (`namespace/host`) that matches no Service or ServiceEntry of
/// the namespaces it names (Kiali's KIA1004). The proxies it applies to import nothing for the
/// entry; a typo here cuts them off from a dependency once `REGISTRY_ONLY` or the Sidecar's own
/// scope applies. `*` hosts and `~/` entries are not judged; like FJ2101, a cluster-local host is
/// judged only when the inputs hold Services of its namespace, another only when they hold
/// ServiceEntries.
public enum SidecarEgressCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "unknown-egress-host", codes: [.unknownEgressHost],
        summary: "Sidecar egress hosts that match no Service or ServiceEntry",
        inputs: [.sidecar, .service, .serviceEntry])

    public static func run(_ ctx: CheckContext) {
        guard ctx.resources.sidecars.contains(where: { !$0.egress.isEmpty }) else { return }
        let mesh = ctx.mesh
        let index = ReferenceIndex(mesh: mesh)
        let all = mesh.hosts.values.flatMap { $0 }
        for s in ctx.resources.sidecars {
            for e in s.egress {
                for entry in e.hosts {
                    let (nsPart, hostPart) = Mesh.namespacedHost(entry.value.lowercased())
                    guard let nsPart, !nsPart.isEmpty, nsPart != "~", !hostPart.isEmpty, hostPart != "*" else {
                        continue
                    }
                    let target: String? = nsPart == "*" ? nil : nsPart == "." ? s.namespace : nsPart
                    let inScope = all.filter { target == nil || $0.namespace == target }
                    let matched: Bool
                    if hostPart.hasPrefix("*") {
                        guard index.hasServiceEntries || !index.serviceNamespaces.isEmpty else { continue }
                        if let t = target, !index.serviceNamespaces.contains(t), !index.hasServiceEntries { continue }
                        matched = inScope.contains { Mesh.hostMatches(pattern: hostPart, host: $0.fqdn) }
                    } else {
                        let fqdn = mesh.fqdn(hostPart, in: target ?? s.namespace)
                        guard index.canJudge(fqdn) else { continue }
                        matched = inScope.contains {
                            $0.fqdn == fqdn || $0.fqdn == hostPart || Mesh.hostMatches(pattern: $0.fqdn, host: fqdn)
                        }
                    }
                    guard !matched else { continue }
                    let scope =
                        target.map { "namespace \(quoted($0))" } ?? "any namespace"
                    ctx.report(
                        .unknownEgressHost,
                        "egress host \(quoted(entry.value)) matches no Service or ServiceEntry in \(scope)",
                        at: entry.range, in: s,
                        notes: [Note("the proxies this Sidecar applies to import nothing for this entry")],
                        fix: FixIt("name a host that a Service or ServiceEntry of \(scope) defines"))
                }
            }
        }
    }
}
