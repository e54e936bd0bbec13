import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ2103: a DestinationRule subset whose labels select none of its host's workloads (istioctl's
/// IST0173). Reported only when the inputs hold workloads of the host: a policy repository
/// without Deployments would otherwise see every subset reported. An error when a route sends
/// traffic to the subset (Envoy answers 503 "no healthy upstream"), a warning otherwise (a
/// subset defined ahead of its rollout).
public enum EmptySubsetCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "empty-subset", codes: [.emptySubset],
        summary: "DestinationRule subsets whose labels select none of the service's workloads",
        inputs: [.destinationRule, .service, .deployment, .pod, .workloadEntry])

    /// Labels Istio adds to every endpoint from its locality, which subsets may select on.
    static func endpointLabels(_ w: Workload) -> [String: String] {
        var labels = w.labels
        if let l = w.locality {
            if !l.region.isEmpty { labels["topology.kubernetes.io/region"] = l.region }
            if let z = l.zone, !z.isEmpty { labels["topology.kubernetes.io/zone"] = z }
            if let s = l.subzone, !s.isEmpty { labels["topology.istio.io/subzone"] = s }
        }
        return labels
    }

    public static func run(_ ctx: CheckContext) {
        let mesh = ctx.mesh
        // Where routes send traffic: host FQDN + subset -> the first destination naming it.
        var routed: [String: (VirtualService, Located<String>)] = [:]
        for vs in ctx.resources.virtualServices {
            for w in vs.writtenDestinations where (w.weight?.value ?? 1) != 0 {
                guard let s = w.destination.subset else { continue }
                let key = mesh.fqdn(w.destination.host.value, in: vs.namespace) + "|" + s.value
                if routed[key] == nil { routed[key] = (vs, s) }
            }
        }
        for dr in ctx.resources.destinationRules where !dr.subsets.isEmpty {
            let fqdn = mesh.fqdn(dr.host.value, in: dr.namespace)
            let ids = Set((mesh.hosts[fqdn] ?? []).flatMap(\.workloads))
            let workloads = ids.sorted().compactMap { mesh.workload($0) }
            guard !workloads.isEmpty else { continue }
            let labelled = workloads.map { ($0, endpointLabels($0)) }
            for s in dr.subsets {
                let selects = labelled.contains { _, labels in
                    s.labels.allSatisfy { k, v in !v.isEmpty && labels[k] == v }
                }
                guard !selects else { continue }
                let selector = s.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(
                    separator: ", ")
                var notes = [Note("its labels \(quoted(selector)) match none of the workloads of \(quoted(fqdn))")]
                notes += workloads.prefix(4).map { w in
                    let l = w.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
                    return Note("\(quoted(w.id)) has labels \(quoted(l))", at: w.range)
                }
                if workloads.count > 4 { notes.append(Note("and \(workloads.count - 4) more workloads")) }
                var severity = Severity.warning
                if let (vs, at) = routed[fqdn + "|" + s.name.value] {
                    severity = .error
                    notes.append(
                        Note(
                            "VirtualService \(quoted(vs.key.qualifiedName)) routes to it: those requests fail with 503 (no healthy upstream)",
                            at: at.range))
                }
                ctx.report(
                    .emptySubset, severity: severity,
                    "subset \(quoted(s.name.value)) of host \(quoted(dr.host.value)) selects none of its workloads",
                    at: s.name.range, in: dr, notes: notes)
            }
        }
    }
}
