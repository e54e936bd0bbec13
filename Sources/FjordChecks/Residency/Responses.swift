import FjordDiagnostics
import FjordModel
import FjordSource

/// A caller with evidence of calling a host, and the leg its request takes to a workload.
struct Caller {
    var caller: Workload
    var evidence: CallEvidence
    var leg: Leg
    var target: String
}

/// Phase 5: a caller with evidence of calling a holder reads its data in the responses.
extension FlowEngine {
    /// Callers with evidence of a call, by the workload their request reaches.
    mutating func indexCallers() -> [Caller] {
        var out: [Caller] = []
        for w in mesh.workloads.sorted(by: { $0.id < $1.id }) {
            let evidence = callEvidence(w).filter(\.known)
            guard !evidence.isEmpty else { continue }
            for e in evidence {
                let legs = (w.membership.hasSidecar ? outboundLegs(w, only: e.host) : directLegs(w, only: e.host))
                    .filter { !$0.isMirror }
                for leg in legs {
                    guard case .workload(let pid) = leg.sink, pid != w.id else { continue }
                    if let port = e.port, !leg.hops.isEmpty, !leg.hops[0].step.hasSuffix(":\(port)") { continue }
                    let c = Caller(caller: w, evidence: e, leg: leg, target: pid)
                    callers[pid, default: []].append(c)
                    out.append(c)
                }
            }
        }
        return out
    }

    /// 5. Responses: a workload that calls a holder receives its data in the responses.
    mutating func respond(_ calls: [Caller], _ holders: inout [String: ResidencyReport.Holder]) {
        for c in calls {
            let w = c.caller
            let pid = c.target
            guard let held = taint[pid] else { continue }
            let receiverPlacement = placement(of: w)
            for (p, t) in held.sorted(by: { $0.key < $1.key }) {
                let verdict = policies[p].judge(
                    receiverPlacement, recipient: ResidencySink.workload(w.id).recipientNames, catalog: catalog)
                if t.hops == 0, t.gateway == nil, var holder = holders[pid] {
                    add(&holder, receiverPlacement, .response, verdict, sink: .workload(w.id))
                    holders[pid] = holder
                }
                if case .allowed = verdict { continue }
                var hops = t.chain
                hops.append(ResidencyHop("response to \(c.leg.hops.first?.step ?? c.evidence.host)"))
                hops.append(
                    ResidencyHop(
                        "\(c.evidence.label) of \(w.id)",
                        note: "\(quoted(w.id)) calls \(quoted(c.evidence.host)) (\(c.evidence.label))",
                        at: c.evidence.range, resource: ref(w)))
                hops.append(ResidencyHop(w.id, resource: ref(w)))
                hops += placementSteps(receiverPlacement)
                var flow = ResidencyFlow(
                    direction: .response, policy: p, source: t.root, sourcePlacement: t.rootPlacement, receiver: w.id,
                    host: c.evidence.host, sink: .workload(w.id), placement: receiverPlacement, hops: hops,
                    opening: t.chain.count + 1, via: .response, verdict: verdict, latent: false)
                flow.strength = t.strength
                flow.through = t.through
                flow.proxyHops = t.hops + 1
                flow.gateway = t.gateway
                record(flow, rank: t.strength == .evidence ? 13 : 3)
            }
        }
    }
}
