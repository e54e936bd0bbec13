import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ2006: Istio merges each delegate rule's match into its root rule's match; a delegate rule
/// with a block that fits no root block is dropped without a word. Fjord says so.
public enum DelegateConflictCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "delegate-conflict", codes: [.delegateConflict],
        summary: "delegate rules that conflict with their root rule and are dropped", inputs: [.virtualService])

    public static func run(_ ctx: CheckContext) {
        for vs in ctx.resources.virtualServices where !vs.isDelegate {
            let (_, dropped) = RouteAnalysisSupport.rules(of: vs, in: ctx.mesh)
            for (root, dvs, rule) in dropped {
                let at = rule.match.first?.range ?? rule.range
                ctx.report(
                    .delegateConflict,
                    "\(rule.displayName) of delegate \(quoted(dvs.key.qualifiedName)) conflicts with the match of \(root.displayName) of \(quoted(vs.key.qualifiedName)) and is dropped",
                    at: at, in: dvs,
                    notes: [
                        Note(
                            "the root rule matches here; each delegate match block must fit inside one of its blocks",
                            at: root.match.first?.range ?? root.range),
                        Note("Istio drops the delegate rule silently, so its traffic falls through to later rules"),
                    ])
            }
        }
    }
}
