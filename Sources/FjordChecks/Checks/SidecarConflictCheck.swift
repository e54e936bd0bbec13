import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ2113 and FJ2114: several Sidecars that apply to the same proxies. Istio uses one Sidecar
/// per workload: with several namespace-wide ones (no `workloadSelector`) in a namespace, or
/// several whose selectors match one workload, which one applies is undefined (istioctl's
/// IST0111 and IST0110, Kiali's KIA0002 and KIA0003). Each Sidecar involved is reported once.
public enum SidecarConflictCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "conflicting-sidecars", codes: [.severalNamespaceSidecars, .severalSidecarsForWorkload],
        summary: "several Sidecars for one namespace or one workload, where Istio applies an arbitrary one",
        inputs: [.sidecar])

    public static func run(_ ctx: CheckContext) {
        let sidecars = ctx.resources.sidecars
        guard sidecars.count > 1 else { return }
        // Namespace-wide: no selector (an empty selector is the same).
        var defaults: [String: [Int]] = [:]
        var order: [String] = []
        for (i, s) in sidecars.enumerated() where (s.workloadSelector ?? [:]).isEmpty {
            if defaults[s.namespace] == nil { order.append(s.namespace) }
            defaults[s.namespace, default: []].append(i)
        }
        for ns in order {
            guard let list = defaults[ns], list.count > 1 else { continue }
            for i in list {
                let s = sidecars[i]
                let others = list.filter { $0 != i }.map { sidecars[$0] }
                ctx.report(
                    .severalNamespaceSidecars,
                    "namespace \(quoted(ns)) has \(list.count) Sidecars without a workload selector; Istio uses only one",
                    at: s.nameRange, in: s,
                    notes: others.prefix(3).map {
                        Note("Sidecar \(quoted($0.key.qualifiedName)) is one of them", at: $0.nameRange)
                    }
                        + [Note("which one a proxy gets is undefined")],
                    fix: FixIt("merge them into one Sidecar, or give all but one a `workloadSelector`"))
            }
        }
        // Workload level: selectors of one namespace matching the same workload.
        var selecting: [String: [Int]] = [:]
        var workloadOrder: [String] = []
        for (i, s) in sidecars.enumerated() {
            guard let sel = s.workloadSelector, !sel.isEmpty else { continue }
            for w in ctx.mesh.workloads(in: s.namespace, matching: sel) {
                if selecting[w.id] == nil { workloadOrder.append(w.id) }
                selecting[w.id, default: []].append(i)
            }
        }
        var reported = Set<Int>()
        for id in workloadOrder {
            guard let list = selecting[id], list.count > 1 else { continue }
            let workload = ctx.mesh.workload(id)
            for i in list where !reported.contains(i) {
                reported.insert(i)
                let s = sidecars[i]
                let others = list.filter { $0 != i }.map { sidecars[$0] }
                var notes = others.prefix(3).map {
                    Note("Sidecar \(quoted($0.key.qualifiedName)) selects it too", at: $0.selectorRange)
                }
                if let w = workload { notes.append(Note("\(quoted(w.id)) is the workload", at: w.range)) }
                notes.append(Note("which Sidecar its proxy gets is undefined"))
                ctx.report(
                    .severalSidecarsForWorkload,
                    "workload \(quoted(id)) is selected by \(list.count) Sidecars; Istio uses only one",
                    at: s.selectorRange, in: s, notes: notes,
                    fix: FixIt("make the selectors disjoint, or merge the Sidecars"))
            }
        }
    }
}
