import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ2101: a route or mirror destination whose host no Service, ServiceEntry (wildcards
/// included) or WorkloadEntry defines, or that is defined but not exported to the namespaces
/// where the VirtualService applies (istioctl's IST0101 for hosts). Envoy has no cluster for it
/// and answers 503. A cluster-local host is judged only when the inputs hold Services of its
/// namespace, another host only when they hold ServiceEntries: a repository of routing
/// resources alone says nothing about which services exist.
public enum DestinationHostCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "unknown-host", codes: [.unknownHost],
        summary:
            "destination and mirror hosts that match no Service, ServiceEntry or WorkloadEntry visible to the route",
        inputs: [.virtualService, .service, .serviceEntry, .workloadEntry])

    public static func run(_ ctx: CheckContext) {
        let index = ReferenceIndex(mesh: ctx.mesh)
        for vs in ctx.resources.virtualServices {
            let viewers = index.viewers(of: vs)
            for w in vs.writtenDestinations {
                let written = w.destination.host
                guard !written.value.isEmpty,
                    hostProblem(written.value, allowWildcard: true, allowBareWildcard: false) == nil
                else { continue }
                let fqdn = ctx.mesh.fqdn(written.value, in: vs.namespace)
                switch index.lookup(fqdn, viewers: viewers) {
                case .found, .workloadEntry:
                    continue
                case .notVisible(let defs):
                    let where_ =
                        viewers.count == 1 ? "namespace \(quoted(viewers[0]))" : "namespaces " + nameList(viewers)
                    var notes = defs.prefix(3).map { h in
                        Note(
                            "\(ReferenceIndex.describe(h)) defines it, exported to \(ReferenceIndex.describeExport(h.exportTo)) only"
                        )
                    }
                    notes.append(Note("sidecars in \(where_) have no route to it: Envoy answers 503"))
                    ctx.report(
                        .unknownHost, "\(w.role) host \(quoted(written.value)) is not visible in \(where_)",
                        at: written.range, in: vs,
                        notes: notes,
                        fix: FixIt("export it to \(quoted(viewers[0])), or route to a host exported there"))
                case .unknown:
                    // A host whose definitions would be in inputs Fjord was not given: not ours to judge.
                    guard index.canJudge(fqdn) else { continue }
                    var notes: [Note] = []
                    if fqdn != written.value.lowercased() {
                        notes.append(
                            Note(
                                "\(quoted(written.value)) resolves to \(quoted(fqdn)) in namespace \(quoted(vs.namespace))"
                            ))
                    }
                    notes.append(
                        Note(
                            w.role == "mirror"
                                ? "Envoy has no cluster for it: the mirrored copies go nowhere"
                                : "Envoy has no cluster for it: requests routed here fail with 503"))
                    var fix: FixIt?
                    if let s = index.suggestion(for: written.value, fqdn: fqdn) {
                        fix = FixIt("did you mean \(quoted(s))?", replacement: s, at: written.range)
                    }
                    ctx.report(
                        .unknownHost,
                        "\(w.role) host \(quoted(written.value)) matches no Service, ServiceEntry or WorkloadEntry",
                        at: written.range, in: vs, notes: notes, fix: fix)
                }
            }
        }
    }
}
