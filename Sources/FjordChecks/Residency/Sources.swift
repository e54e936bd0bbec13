import FjordDecision
import FjordDiagnostics
import FjordModel
import FjordSource

/// Phases 1 and 2: the personal-data workloads, where they run, and the paths their own
/// proxies open (one hop).
extension FlowEngine {
    /// 1. Where each personal-data workload runs.
    mutating func placeSources(_ personal: [String]) -> [String: ResidencyReport.Holder] {
        var holders: [String: ResidencyReport.Holder] = [:]
        var servicesOf: [String: [String]] = [:]
        for (fqdn, hs) in mesh.hosts {
            for h in hs { for w in h.workloads where policiesOf[w] != nil { servicesOf[w, default: []].append(fqdn) } }
        }
        for id in personal {
            guard let w = mesh.workload(id) else { continue }
            let placement = self.placement(of: w)
            var holder = ResidencyReport.Holder(
                workload: id, placement: placement, services: Array(Set(servicesOf[id] ?? [])).sorted(),
                policies: policiesOf[id] ?? [], reaches: [:])
            var hops = [ResidencyHop(id, resource: ref(w))]
            if let l = w.locality {
                hops.append(
                    ResidencyHop(
                        "locality \(l.description) from \(l.source)",
                        note: "\(quoted(id)) runs in \(quoted(l.description)) (\(l.source))",
                        at: l.range, resource: ref(w)))
            } else {
                hops.append(
                    ResidencyHop(
                        "no locality",
                        note:
                            "no `topology.istio.io/locality` label, node or node placement gives the region of \(quoted(id))",
                        at: w.range, resource: ref(w)))
            }
            hops += placementSteps(placement)
            for p in holder.policies {
                let verdict = policies[p].judge(
                    placement, recipient: ResidencySink.workload(id).recipientNames, catalog: catalog)
                add(&holder, placement, .placement, verdict, sink: .workload(id))
                if case .allowed = verdict { continue }
                let flow = ResidencyFlow(
                    direction: .placement, policy: p, source: id, sourcePlacement: placement, receiver: nil, host: nil,
                    sink: .workload(id), placement: placement, hops: hops, opening: 1, via: .placement,
                    verdict: verdict, latent: false)
                record(flow, rank: 13)
            }
            holders[id] = holder
        }
        return holders
    }

    /// 2. Where the sources' own proxies send requests (and, without a sidecar, anywhere). Sources
    /// of one class share their legs; legs that do not depend on the client's locality are
    /// summarised once per class, the others adjusted for each source.
    mutating func sendFromSources(_ personal: [String], _ holders: inout [String: ResidencyReport.Holder]) {
        var classes: [ClassKey: [String]] = [:]
        var classOrder: [ClassKey] = []
        for id in personal {
            guard let w = mesh.workload(id) else { continue }
            let key = classKey(w, policies: policiesOf[id] ?? [])
            if classes[key] == nil { classOrder.append(key) }
            classes[key, default: []].append(id)
        }
        for key in classOrder {
            let members = classes[key] ?? []
            guard let first = members.first, let w = mesh.workload(first) else { continue }
            let info = self.info(for: w).info
            let legs = info.legs
            var summary: [Int: ResidencyReport.Holder] = [:]
            for p in key.policies {
                var s = ResidencyReport.Holder(
                    workload: "", placement: .unknown(""), services: [], policies: [], reaches: [:])
                for (i, leg) in legs.enumerated() where !info.isDynamic[i] {
                    add(&s, leg.placement, leg.via, leg.verdicts[p], sink: leg.sink)
                }
                summary[p] = s
            }
            for id in members {
                guard let src = mesh.workload(id), var holder = holders[id] else { continue }
                let srcPlacement = holder.placement
                let chain = [ResidencyHop(id, resource: ref(src))]
                for p in holder.policies {
                    if let s = summary[p] { merge(&holder, s) }
                    for i in info.flagged[p] {
                        emit(legs[i], from: src, chain: chain, policy: p, root: id, rootPlacement: srcPlacement)
                    }
                }
                for i in info.dynamic {
                    guard let adjusted = adjust(legs[i], for: src.locality) else { continue }
                    for p in holder.policies {
                        let verdict = adjusted.verdicts[p]
                        add(&holder, adjusted.placement, adjusted.via, verdict, sink: adjusted.sink)
                        if case .allowed = verdict { continue }
                        emit(adjusted, from: src, chain: chain, policy: p, root: id, rootPlacement: srcPlacement)
                    }
                }
                holders[id] = holder
            }
        }
    }

    struct ClassKey: Hashable {
        var scopeClass: RouteTables.ScopeClass?
        var workload: String?
        var drClient: String
        var policies: [Int]
    }

    func classKey(_ w: Workload, policies: [Int]) -> ClassKey {
        let scope = ProxyScope.sidecar(w.id)
        if w.membership.hasSidecar, let cls = tables.scopeClass(scope, port: 0) {
            return ClassKey(
                scopeClass: cls, workload: nil, drClient: rules.clientKey(w.namespace, labels: w.labels),
                policies: policies)
        }
        return ClassKey(
            scopeClass: nil, workload: w.membership.hasSidecar ? w.id : "no-sidecar",
            drClient: rules.clientKey(w.namespace, labels: w.labels), policies: policies)
    }
}
