import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ2108: an `exportTo` entry (on a VirtualService, DestinationRule, ServiceEntry, or a
/// Service's `networking.istio.io/exportTo` annotation) names a namespace that does not exist.
/// Checked only when the inputs declare Namespaces; a namespace holding any resource counts as
/// existing.
public enum ExportToNamespaceCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "export-to-unknown-namespace", codes: [.exportToUnknownNamespace],
        summary: "`exportTo` entries naming namespaces that do not exist",
        inputs: [.namespace, .virtualService, .destinationRule, .serviceEntry, .service])

    static let annotation = "networking.istio.io/exportTo"

    public static func run(_ ctx: CheckContext) {
        guard !ctx.mesh.declaredNamespaces.isEmpty else { return }
        let known = ReferenceIndex.coveredNamespaces(ctx.mesh)
        func check(_ entries: [Located<String>], _ r: some MeshResource) {
            for e in entries {
                let v = e.value.trimmingCharacters(in: " ")
                guard v != ".", v != "*", v != "~", isDNS1123Label(v), !known.contains(v) else { continue }
                let fix = closest(v, among: known).map {
                    FixIt("did you mean \(quoted($0))?", replacement: $0, at: e.range)
                }
                ctx.report(
                    .exportToUnknownNamespace, "`exportTo` names namespace \(quoted(v)), which does not exist",
                    at: e.range, in: r,
                    notes: [
                        Note(
                            "no Namespace \(quoted(v)) is declared in the inputs, and no resource lives there: the entry exports to nobody"
                        )
                    ],
                    fix: fix)
            }
        }
        for r in ctx.resources.virtualServices { check(r.exportTo, r) }
        for r in ctx.resources.destinationRules { check(r.exportTo, r) }
        for r in ctx.resources.serviceEntries { check(r.exportTo, r) }
        for s in ctx.resources.services {
            guard let value = s.meta.annotations[annotation] else { continue }
            let range = s.meta.annotationRanges[annotation] ?? s.nameRange
            check(value.split(separator: ",").map { Located(String($0), range) }, s)
        }
    }
}
