import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ2102: a route or mirror destination names a subset that no DestinationRule for its host
/// defines (istioctl's IST0101 for subsets). An error when some DestinationRule configures the
/// host and none defines the subset; a warning when no DestinationRule in the inputs configures
/// the host but the host itself is defined there (the rule may be missing, or live in inputs
/// Fjord was not given). A host the inputs know nothing about is not reported here.
public enum SubsetCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "unknown-subset", codes: [.unknownSubset],
        summary: "destination subsets that no DestinationRule for the host defines",
        inputs: [.virtualService, .destinationRule])

    public static func run(_ ctx: CheckContext) {
        let index = ReferenceIndex(mesh: ctx.mesh)
        let drs = DestinationRuleIndex(mesh: ctx.mesh)
        for vs in ctx.resources.virtualServices {
            for w in vs.writtenDestinations {
                // An invalid subset name is FJ1031's.
                guard let subset = w.destination.subset, !w.destination.host.value.isEmpty, isDNS1123Label(subset.value)
                else { continue }
                let fqdn = ctx.mesh.fqdn(w.destination.host.value, in: vs.namespace)
                let rules = drs.rules(for: fqdn)
                let defined = rules.flatMap { $0.subsets.map(\.name.value) }
                if defined.contains(subset.value) { continue }
                let consequence = Note(
                    "Envoy has no cluster for subset \(quoted(subset.value)): "
                        + (w.role == "mirror" ? "the mirrored copies go nowhere" : "requests routed here fail with 503")
                )
                let host = quoted(w.destination.host.value)
                if rules.isEmpty {
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
                var notes: [Note] = rules.prefix(3).map { dr in
                    let names = dr.subsets.map(\.name.value)
                    return Note(
                        "DestinationRule \(quoted(dr.key.qualifiedName)) "
                            + (names.isEmpty
                                ? "defines no subsets"
                                : "defines subset\(names.count == 1 ? "" : "s") \(nameList(names, limit: 8))"),
                        at: dr.host.range)
                }
                notes.append(consequence)
                let fix =
                    closest(subset.value, among: Set(defined)).map {
                        FixIt("did you mean \(quoted($0))?", replacement: $0, at: subset.range)
                    }
                    ?? FixIt(
                        "add subset \(quoted(subset.value)) to DestinationRule \(quoted(rules[0].key.qualifiedName))")
                ctx.report(
                    .unknownSubset,
                    "subset \(quoted(subset.value)) of host \(host) is not defined by any DestinationRule",
                    at: subset.range, in: vs, notes: notes, fix: fix)
            }
        }
    }
}
