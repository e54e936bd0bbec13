import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ2116: a DestinationRule subset without labels (Kiali's KIA0209). Istio accepts it, and the
/// subset's cluster holds every endpoint of the host: a route to it is not a canary. An info: a
/// subset that only carries a traffic policy for all endpoints is legitimate.
public enum SubsetLabelsCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "subset-without-labels", codes: [.subsetWithoutLabels],
        summary: "DestinationRule subsets without labels, which select every endpoint", inputs: [.destinationRule])

    public static func run(_ ctx: CheckContext) {
        for dr in ctx.resources.destinationRules {
            for s in dr.subsets where s.labels.isEmpty {
                ctx.report(
                    .subsetWithoutLabels,
                    "subset \(quoted(s.name.value)) has no labels and selects every endpoint of \(quoted(dr.host.value))",
                    at: s.name.range, in: dr,
                    notes: [Note("traffic routed to this subset goes to all versions of the service")],
                    fix: FixIt("add the `labels` of the version this subset is for"))
            }
        }
    }
}
