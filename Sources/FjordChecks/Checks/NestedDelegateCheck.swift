import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ1030: delegation is one level deep.
public enum NestedDelegateCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "nested-delegate", codes: [.nestedDelegate], summary: "a delegate VirtualService that delegates again",
        inputs: [.virtualService])

    public static func run(_ ctx: CheckContext) {
        for vs in ctx.resources.virtualServices where vs.isDelegate {
            for r in vs.http {
                guard let d = r.delegate else { continue }
                ctx.report(
                    .nestedDelegate, "\(r.displayName) delegates from a delegate VirtualService", at: d.range, in: vs,
                    notes: [Note("Istio supports one level of delegation; it ignores this rule")])
            }
        }
    }
}
