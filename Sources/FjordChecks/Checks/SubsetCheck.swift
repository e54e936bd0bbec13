import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ2102: a route or mirror destination names a subset that the DestinationRule its clients use
/// for the host does not define (istioctl's IST0101 for subsets). The rule is the one Istio picks
/// for a sidecar in the VirtualService's namespace (`DestinationRuleIndex`: the client's
/// namespace, then the host's, then the root namespace, within `exportTo`), so a subset defined
/// only by a rule those sidecars never use is undefined for them; VirtualServices bound only to
/// gateways are checked against every rule for the host (the gateway's namespace is not known
/// here). An error when some DestinationRule configures the host and the subset is not defined
/// where the clients look; a warning when no DestinationRule in the inputs configures the host
/// but the host itself is defined there (the rule may be missing, or live in inputs Fjord was not
/// given). A host the inputs know nothing about is not reported here.
public enum SubsetCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "unknown-subset", codes: [.unknownSubset],
        summary: "destination subsets that no DestinationRule for the host defines",
        inputs: [.virtualService, .destinationRule])

    public static func run(_ ctx: CheckContext) {
        let index = ReferenceIndex(mesh: ctx.mesh)
        let drs = DestinationRuleIndex(mesh: ctx.mesh)
        for vs in ctx.resources.virtualServices {
            let sidecars = vs.gateways.isEmpty || vs.gateways.contains { $0.value == "mesh" }
            for w in vs.writtenDestinations {
                // An invalid subset name is FJ1031's.
                guard let subset = w.destination.subset, !w.destination.host.value.isEmpty, isDNS1123Label(subset.value)
                else { continue }
                let fqdn = ctx.mesh.fqdn(w.destination.host.value, in: vs.namespace)
                let everyRule = drs.rules(for: fqdn)
                let consequence = Note(
                    "Envoy has no cluster for subset \(quoted(subset.value)): "
                        + (w.role == "mirror" ? "the mirrored copies go nowhere" : "requests routed here fail with 503")
                )
                let host = quoted(w.destination.host.value)
                if everyRule.isEmpty {
                    if case .unknown = index.lookup(fqdn, viewers: [vs.namespace]) { continue }
                    ctx.report(
                        .unknownSubset, severity: .warning,
                        "subset \(quoted(subset.value)) of host \(host) is not defined by any DestinationRule",
                        at: subset.range, in: vs,
                        notes: [
                            Note(
                                "no DestinationRule in the inputs configures \(quoted(fqdn)); if one exists elsewhere, check it with these files"
                            ),
                            consequence,
                        ],
                        fix: FixIt(
                            "define subset \(quoted(subset.value)) in a DestinationRule for \(quoted(fqdn)), or route without a subset"
                        ))
                    continue
                }
                func defines(_ dr: DestinationRule) -> String {
                    let names = dr.subsets.map(\.name.value)
                    return names.isEmpty
                        ? "defines no subsets"
                        : "defines subset\(names.count == 1 ? "" : "s") \(nameList(names, limit: 8))"
                }
                func describe(_ dr: DestinationRule) -> String {
                    "DestinationRule \(quoted(dr.key.qualifiedName)) \(defines(dr))"
                }
                guard sidecars else {
                    // Bound to gateways only: any rule for the host may be the gateway's.
                    let defined = everyRule.flatMap { $0.subsets.map(\.name.value) }
                    if defined.contains(subset.value) { continue }
                    var notes = everyRule.prefix(3).map { Note(describe($0), at: $0.host.range) }
                    notes.append(consequence)
                    ctx.report(
                        .unknownSubset,
                        "subset \(quoted(subset.value)) of host \(host) is not defined by any DestinationRule",
                        at: subset.range, in: vs, notes: notes,
                        fix: fix(subset, among: defined, addTo: everyRule.first))
                    continue
                }
                let client = vs.namespace
                let hostNamespace = ctx.mesh.hosts[fqdn]?.first?.namespace
                let choice = drs.choice(for: fqdn, hostNamespace: hostNamespace, client: client)
                if choice?.subset(named: subset.value) != nil { continue }
                var notes: [Note] = []
                if let choice {
                    for (i, dr) in choice.rules.prefix(3).enumerated() {
                        notes.append(
                            Note(
                                i == 0
                                    ? "sidecars in \(quoted(client)) use DestinationRule \(quoted(dr.key.qualifiedName)) for \(quoted(fqdn)) (from \(choice.step.rawValue)), which \(defines(dr))"
                                    : "DestinationRule \(quoted(dr.key.qualifiedName)), merged into it, \(defines(dr))",
                                at: dr.host.range))
                    }
                } else {
                    notes.append(
                        Note(
                            "sidecars in \(quoted(client)) use no DestinationRule for \(quoted(fqdn)): Istio looks in the client's namespace, then the host's (\(quoted(hostNamespace ?? "unknown"))), then the root namespace (\(quoted(drs.root))), within each rule's `exportTo`"
                        ))
                }
                for dr in everyRule
                where !(choice?.contains(dr) ?? false) && dr.subsets.contains(where: { $0.name.value == subset.value })
                {
                    notes.append(
                        Note(
                            "DestinationRule \(quoted(dr.key.qualifiedName)) defines subset \(quoted(subset.value)) but sidecars in \(quoted(client)) do not use it: "
                                + unusedReason(
                                    dr, choice: choice, client: client, hostNamespace: hostNamespace, root: drs.root),
                            at: dr.host.range))
                    if notes.count >= 6 { break }
                }
                notes.append(consequence)
                let definedElsewhere = everyRule.contains { r in r.subsets.contains { $0.name.value == subset.value } }
                ctx.report(
                    .unknownSubset,
                    "subset \(quoted(subset.value)) of host \(host) is not defined by any DestinationRule"
                        + (definedElsewhere || choice == nil ? " that sidecars in \(quoted(client)) use" : ""),
                    at: subset.range, in: vs, notes: notes,
                    fix: fix(subset, among: choice?.subsets.map(\.subset.name.value) ?? [], addTo: choice?.primary))
            }
        }
    }

    /// Why a sidecar in `client` does not use `dr` for its host.
    static func unusedReason(
        _ dr: DestinationRule, choice: DestinationRuleChoice?, client: String, hostNamespace: String?, root: String
    ) -> String {
        if let choice, choice.namespace != dr.namespace {
            return "a rule in \(choice.step.rawValue) \(quoted(choice.namespace)) comes first"
        }
        if dr.namespace == client { return "its `workloadSelector` does not select every client there" }
        if dr.namespace != hostNamespace && dr.namespace != root {
            return "namespace \(quoted(dr.namespace)) is neither the client's, the host's nor the root namespace"
        }
        if !RouteTables.exportAllows(dr.exportTo.map(\.value), owner: dr.namespace, viewer: client) {
            return "its `exportTo` does not include \(quoted(client))"
        }
        return "a more specific rule for the host in \(quoted(dr.namespace)) is not exported to it"
    }

    static func fix(_ subset: Located<String>, among defined: [String], addTo rule: DestinationRule?) -> FixIt? {
        if let near = closest(subset.value, among: Set(defined)) {
            return FixIt("did you mean \(quoted(near))?", replacement: near, at: subset.range)
        }
        guard let rule else { return nil }
        return FixIt("add subset \(quoted(subset.value)) to DestinationRule \(quoted(rule.key.qualifiedName))")
    }
}
