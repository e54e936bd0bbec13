import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ2107: two DestinationRules in one namespace for the same host (and the same, or no,
/// workload selector). Istio merges them in age order (`mergeDestinationRule`): the newer one's
/// subsets are added unless the name is taken, and its top-level `trafficPolicy` is used only
/// when the older has none; its `exportTo` is ignored. Rules in different namespaces are not
/// merged: a client uses the one in its own namespace first, which is a deliberate override.
public enum DuplicateDestinationRuleCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "duplicate-destination-rule", codes: [.duplicateDestinationRule],
        summary: "several DestinationRules of one namespace for the same host", inputs: [.destinationRule])

    public static func run(_ ctx: CheckContext) {
        struct Key: Hashable { var namespace: String, host: String, selector: String }
        var groups: [Key: [DestinationRule]] = [:]
        var order: [Key] = []
        for dr in ctx.resources.destinationRules.oldestFirst() where !dr.host.value.isEmpty {
            let host = ctx.mesh.fqdn(dr.host.value, in: dr.namespace)
            let selector = (dr.workloadSelector?.matchLabels ?? [:]).sorted { $0.key < $1.key }.map {
                "\($0.key)=\($0.value)"
            }.joined(separator: ",")
            let key = Key(namespace: dr.namespace, host: host, selector: selector)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(dr)
        }
        for key in order {
            guard let list = groups[key], list.count > 1 else { continue }
            let host = key.host
            let first = list[0]
            var merged = Set(first.subsets.map(\.name.value))
            var hasPolicy = first.trafficPolicy != nil
            for dr in list.dropFirst() {
                var notes = [
                    Note(
                        "Istio merges it into the older DestinationRule \(quoted(first.key.qualifiedName))",
                        at: first.host.range)
                ]
                if first.meta.creationTimestamp == nil || dr.meta.creationTimestamp == nil {
                    notes.append(Note("without creation timestamps on both, Istio takes them in name order"))
                }
                if let p = dr.trafficPolicy {
                    notes.append(
                        hasPolicy
                            ? Note(
                                "its top-level `trafficPolicy` is ignored: the merged rule keeps the older one's",
                                at: p.range)
                            : Note("its top-level `trafficPolicy` applies, as the older rule has none", at: p.range))
                    hasPolicy = true
                }
                var added: [String] = []
                for s in dr.subsets {
                    if merged.contains(s.name.value) {
                        notes.append(
                            Note(
                                "its subset \(quoted(s.name.value)) is ignored: an older rule defines that name",
                                at: s.name.range))
                    } else {
                        merged.insert(s.name.value)
                        added.append(s.name.value)
                    }
                }
                if !added.isEmpty {
                    notes.append(
                        Note(
                            "its subset\(added.count == 1 ? "" : "s") \(nameList(added)) \(added.count == 1 ? "is" : "are") added"
                        ))
                }
                if dr.exportTo.map(\.value) != first.exportTo.map(\.value) {
                    notes.append(Note("its `exportTo` is ignored: the merged rule is exported as the older one says"))
                }
                ctx.report(
                    .duplicateDestinationRule,
                    "\(quoted(dr.key.qualifiedName)) configures host \(quoted(host)), which the older DestinationRule \(quoted(first.key.qualifiedName)) already configures",
                    at: dr.host.range, in: dr, notes: notes,
                    fix: FixIt("merge the two into one DestinationRule"))
            }
        }
    }
}
