import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ2115: a DestinationRule whose host no Service, ServiceEntry (wildcards included) or
/// WorkloadEntry defines (istioctl's IST0174, Kiali's KIA0202). Istio builds no cluster for the
/// host, so the rule configures nothing; it is usually a typo or a leftover. As for FJ2101, a
/// cluster-local host is judged only when the inputs hold Services of its namespace, another
/// host only when they hold ServiceEntries. Wildcard hosts (`*.example.com`) are not judged.
public enum DestinationRuleHostCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "unknown-destination-rule-host", codes: [.unknownDestinationRuleHost],
        summary: "DestinationRule hosts that match no Service, ServiceEntry or WorkloadEntry",
        inputs: [.destinationRule, .service, .serviceEntry, .workloadEntry])

    public static func run(_ ctx: CheckContext) {
        guard !ctx.resources.destinationRules.isEmpty else { return }
        let index = ReferenceIndex(mesh: ctx.mesh)
        let namespaces = Array(index.covered)
        for dr in ctx.resources.destinationRules {
            let written = dr.host
            guard !written.value.isEmpty, !written.value.hasPrefix("*"),
                hostProblem(written.value, allowWildcard: true, allowBareWildcard: false) == nil
            else { continue }
            let fqdn = ctx.mesh.fqdn(written.value, in: dr.namespace)
            guard case .unknown = index.lookup(fqdn, viewers: namespaces), index.canJudge(fqdn) else { continue }
            var notes: [Note] = []
            if fqdn != written.value.lowercased() {
                notes.append(
                    Note("\(quoted(written.value)) resolves to \(quoted(fqdn)) in namespace \(quoted(dr.namespace))"))
            }
            notes.append(Note("Istio has no cluster for this host: the DestinationRule configures nothing"))
            var fix = FixIt("name a host the mesh defines, or remove the DestinationRule")
            if let s = index.suggestion(for: written.value, fqdn: fqdn) {
                fix = FixIt("did you mean \(quoted(s))?", replacement: s, at: written.range)
            }
            ctx.report(
                .unknownDestinationRuleHost,
                "host \(quoted(written.value)) of this DestinationRule matches no Service, ServiceEntry or WorkloadEntry",
                at: written.range, in: dr, notes: notes, fix: fix)
        }
    }
}
