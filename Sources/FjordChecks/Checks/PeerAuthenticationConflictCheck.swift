import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ3004: PeerAuthentications that Istio ignores. At each level (mesh: no selector in the root
/// namespace; namespace: no selector elsewhere; workload: a selector matching the workload) only
/// the oldest applies (creation time, then name); the others are ignored, whatever mode they
/// set. A policy with a selector in the root namespace applies to no workload at all.
public enum PeerAuthenticationConflictCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "ignored-peer-authentication", codes: [.ignoredPeerAuthentication],
        summary: "PeerAuthentications that an older one at the same level overrides", inputs: [.peerAuthentication])

    public static func run(_ ctx: CheckContext) {
        let mesh = ctx.mesh
        let root = mesh.config.rootNamespace
        let sorted = ctx.resources.peerAuthentications.oldestFirst()
        // Mesh and namespace level: several without a selector in one namespace.
        var byNamespace: [String: [PeerAuthentication]] = [:]
        var nsOrder: [String] = []
        for pa in sorted where !MTLSResolver.hasSelector(pa) {
            if byNamespace[pa.namespace] == nil { nsOrder.append(pa.namespace) }
            byNamespace[pa.namespace, default: []].append(pa)
        }
        for ns in nsOrder {
            guard let list = byNamespace[ns], list.count > 1 else { continue }
            let scope =
                ns == root
                ? "the whole mesh (mesh-wide policies live in the root namespace \(quoted(root)))"
                : "namespace \(quoted(ns))"
            for pa in list.dropFirst() {
                report(pa, winner: list[0], scope: scope, level: ns == root ? "mesh-wide" : "namespace-wide", ctx)
            }
        }
        // Workload level: several selectors matching one workload.
        let resolver = MTLSResolver(mesh: mesh)
        var ignored: [ResourceKey: (pa: PeerAuthentication, winner: PeerAuthentication, workloads: [String])] = [:]
        var order: [ResourceKey] = []
        for w in mesh.workloads {
            let list = resolver.levels(for: w).workload
            guard list.count > 1 else { continue }
            for pa in list.dropFirst() {
                if ignored[pa.key] == nil {
                    ignored[pa.key] = (pa, list[0], [])
                    order.append(pa.key)
                }
                ignored[pa.key]!.workloads.append(w.id)
            }
        }
        for key in order {
            guard let (pa, winner, workloads) = ignored[key] else { continue }
            let scope = "workload" + (workloads.count == 1 ? " " : "s ") + nameList(workloads)
            report(pa, winner: winner, scope: scope, level: "workload-level", ctx)
        }
        // Selectors in the root namespace.
        for pa in sorted where pa.namespace == root && MTLSResolver.hasSelector(pa) {
            ctx.report(
                .ignoredPeerAuthentication,
                "\(quoted(pa.key.qualifiedName)) is ignored: a PeerAuthentication with a selector in the root namespace \(quoted(root)) applies to no workload",
                at: pa.selectorRange, in: pa,
                notes: [Note("Istio reads root-namespace policies only as mesh-wide policies, which have no selector")],
                fix: FixIt(
                    "move it to the namespace of the workloads it selects, or remove the selector to make it mesh-wide")
            )
        }
    }

    static func report(
        _ pa: PeerAuthentication, winner: PeerAuthentication, scope: String, level: String, _ ctx: CheckContext
    ) {
        let mode = pa.mode?.value ?? .unset
        let winnerMode = winner.mode?.value ?? .unset
        var notes = [
            Note(
                "\(quoted(winner.key.qualifiedName)) is the \(level) policy Istio uses: it is older"
                    + (winner.meta.creationTimestamp == nil || pa.meta.creationTimestamp == nil
                        ? " (without creation timestamps on both, the name decides)" : ""),
                at: winner.nameRange)
        ]
        if mode == winnerMode && pa.portLevelMtls.isEmpty {
            notes.append(
                Note(
                    "both set \(mode.rawValue), so nothing changes today; the day one of them is edited, it may be the wrong one"
                ))
        } else {
            let gets =
                winnerMode == .unset
                ? "the older policy leaves the mode UNSET there (inherited from the next level up)"
                : "\(scope) gets \(winnerMode.rawValue) from the older policy"
            notes.append(
                Note(
                    "it sets \(mode.rawValue)\(pa.portLevelMtls.isEmpty ? "" : " with port-level modes"), but \(gets)",
                    at: pa.mode?.range))
        }
        ctx.report(
            .ignoredPeerAuthentication,
            "\(quoted(pa.key.qualifiedName)) is ignored: the older \(quoted(winner.key.qualifiedName)) applies to \(scope)",
            at: pa.nameRange, in: pa, notes: notes,
            fix: FixIt("keep one \(level) PeerAuthentication: merge the two, or delete this one"))
    }
}
