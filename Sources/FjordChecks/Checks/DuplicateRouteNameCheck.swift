import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ1032: route names identify rules in stats, delegation and Fjord's findings.
public enum DuplicateRouteNameCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "duplicate-route-name", codes: [.duplicateRouteName],
        summary: "two HTTP rules of one VirtualService share a name",
        inputs: [.virtualService])

    public static func run(_ ctx: CheckContext) {
        for vs in ctx.resources.virtualServices {
            var seen: [String: SourceRange] = [:]
            for r in vs.http {
                guard let n = r.name, !n.value.isEmpty else { continue }
                if let first = seen[n.value] {
                    ctx.report(
                        .duplicateRouteName, "route name \(quoted(n.value)) is used more than once", at: n.range,
                        in: vs,
                        notes: [Note("first used here", at: first)])
                } else {
                    seen[n.value] = n.range
                }
            }
        }
    }
}
