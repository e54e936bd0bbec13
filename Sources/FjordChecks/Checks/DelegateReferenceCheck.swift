import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ2109: a rule delegates to a VirtualService that does not exist, that has hosts (a delegate
/// has none), or that is not exported to the root's namespace. Istio then drops the rule, and
/// the requests it would take fall through to the next rules. Not reported when the inputs hold
/// nothing in the delegate's namespace. Delegation from a delegate is FJ1030's.
public enum DelegateReferenceCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "unknown-delegate", codes: [.unknownDelegate],
        summary: "delegates that do not exist or cannot be delegates",
        inputs: [.virtualService])

    public static func run(_ ctx: CheckContext) {
        let covered = ReferenceIndex.coveredNamespaces(ctx.mesh)
        var byKey: [String: VirtualService] = [:]
        for vs in ctx.resources.virtualServices where byKey[vs.key.qualifiedName] == nil {
            byKey[vs.key.qualifiedName] = vs
        }
        for vs in ctx.resources.virtualServices where !vs.isDelegate {
            for r in vs.http {
                guard let d = r.delegate else { continue }
                let ns = d.namespace?.value ?? vs.namespace
                let ref = "\(ns)/\(d.name.value)"
                let dropped = Note(
                    "Istio drops \(r.displayName): the requests it matches fall through to the next rules")
                guard let target = byKey[ref] else {
                    guard covered.contains(ns) else { continue }
                    let names = ctx.resources.virtualServices.filter { $0.namespace == ns && $0.isDelegate }.map(\.name)
                    let fix = closest(d.name.value, among: names).map {
                        FixIt("did you mean \(quoted($0))?", replacement: $0, at: d.name.range)
                    }
                    ctx.report(
                        .unknownDelegate, "delegate \(quoted(ref)) does not exist", at: d.name.range, in: vs,
                        notes: [dropped], fix: fix)
                    continue
                }
                if !target.isDelegate {
                    ctx.report(
                        .unknownDelegate, "delegate \(quoted(ref)) has hosts, so it cannot be a delegate",
                        at: d.name.range, in: vs,
                        notes: [
                            Note(
                                "a delegate VirtualService has no `hosts`; this one binds its own",
                                at: target.hosts.first?.range), dropped,
                        ],
                        fix: FixIt(
                            "remove `hosts` (and `gateways`) from \(quoted(ref)), or delegate to another VirtualService"
                        ))
                } else if !RouteTables.exportAllows(
                    target.exportTo.map(\.value), owner: target.namespace, viewer: vs.namespace)
                {
                    ctx.report(
                        .unknownDelegate,
                        "delegate \(quoted(ref)) is not exported to namespace \(quoted(vs.namespace))",
                        at: d.name.range, in: vs,
                        notes: [
                            Note("its `exportTo` leaves out the root's namespace", at: target.exportTo.first?.range),
                            dropped,
                        ],
                        fix: FixIt("add \(quoted(vs.namespace)) to the delegate's `exportTo`"))
                }
            }
        }
    }
}
