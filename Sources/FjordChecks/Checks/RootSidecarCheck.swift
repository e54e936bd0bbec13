import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ2120: a Sidecar in the root namespace with a `workloadSelector` (Kiali's KIA1006). A
/// selector-less Sidecar in the root namespace is the mesh-wide default; with a selector it is
/// not a default at all, and applies only to matching workloads of the root namespace itself,
/// which is rarely what its author meant.
public enum RootSidecarCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "root-sidecar-selector", codes: [.rootSidecarSelector],
        summary: "root-namespace Sidecars with a workload selector, which are no mesh default", inputs: [.sidecar])

    public static func run(_ ctx: CheckContext) {
        let root = ctx.mesh.config.rootNamespace
        for s in ctx.resources.sidecars where s.namespace == root {
            guard let sel = s.workloadSelector, !sel.isEmpty else { continue }
            ctx.report(
                .rootSidecarSelector, "Sidecar in the root namespace \(quoted(root)) has a workload selector",
                at: s.selectorRange, in: s,
                notes: [
                    Note(
                        "only a Sidecar without a selector in the root namespace is the default for the whole mesh; this one applies to matching workloads of \(quoted(root)) only"
                    )
                ],
                fix: FixIt(
                    "remove `workloadSelector` to make it the mesh default, or move it to the workloads' namespace"))
        }
    }
}
