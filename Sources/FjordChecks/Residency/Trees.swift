import FjordDecision
import FjordDiagnostics
import FjordModel
import FjordSource

extension FlowEngine {
    /// Per policy and data-bearing service, the places its data can reach: breadth first from
    /// its workloads (so each place appears once, at its fewest hops), problems first among
    /// siblings, at most `ResidencyReport.treeLimit` places.
    mutating func buildTrees(into report: inout ResidencyReport) {
        var order: [String] = []
        var members: [String: (policy: Int, service: String, workloads: [String])] = [:]
        for h in report.holders {
            for p in h.policies {
                let name = h.primaryService ?? "workload \(h.workload)"
                let key = "\(p)|\(name)"
                if members[key] == nil {
                    order.append(key)
                    members[key] = (p, name, [])
                }
                members[key]?.workloads.append(h.workload)
            }
        }
        for key in order {
            guard let m = members[key] else { continue }
            report.trees.append(tree(policy: m.policy, service: m.service, workloads: m.workloads))
        }
    }

    /// A tree in three passes, as the fixed point: hops with evidence first (so a place reached
    /// both ways shows its evidence-backed path), then hops only open egress allows, then the
    /// callers that read the data in responses (leaves: they are not followed).
    mutating func tree(policy p: Int, service: String, workloads: [String]) -> ResidencyReport.Tree {
        struct Child {
            var node: ResidencyReport.TreeNode
            var next: Workload?
            var strength: ResidencyStrength
            /// The leg whose evidence is still to be worked out.
            var leg: Leg? = nil
        }
        var nodes: [ResidencyReport.TreeNode] = []
        var expandable: [(w: Workload, depth: Int, index: Int?)] = workloads.compactMap { id in
            mesh.workload(id).map { ($0, 0, nil) }
        }
        var seen = Set(workloads.map { ResidencySink.workload($0).label })
        var truncated = false
        let limit = ResidencyReport.treeLimit
        func severity(_ v: String) -> Int { v == "outside" ? 0 : v == "unknown" ? 1 : v == "allowed" ? 3 : 2 }
        func place(_ children: inout [Child], client: Workload? = nil, routed: Bool = false) -> [(Workload, Int)] {
            children.sort { a, b in
                let sa = severity(a.node.verdict)
                let sb = severity(b.node.verdict)
                if sa != sb { return sa < sb }
                if a.strength != b.strength { return a.strength > b.strength }
                return a.node.label < b.node.label
            }
            var added: [(Workload, Int)] = []
            for c in children {
                guard seen.insert(c.node.label).inserted else { continue }
                if nodes.count >= limit {
                    truncated = true
                    break
                }
                var node = c.node
                if let leg = c.leg, let client {
                    node.evidence = entryEvidence(leg, client: client, routed: routed).text
                }
                nodes.append(node)
                if let n = c.next { added.append((n, nodes.count - 1)) }
            }
            return added
        }
        for pass in [ResidencyStrength.evidence, .reachable] {
            var queue = expandable
            var head = 0
            while head < queue.count && !truncated {
                let (w, depth, parent) = queue[head]
                head += 1
                let (_, info) = self.info(for: w)
                var children: [Child] = []
                // Evidence-backed legs are found by the client's call evidence (all of a Gateway's
                // legs are routes); the evidence of the other legs is worked out only for the
                // places shown.
                var indices = Array(info.legs.indices)
                if pass == .evidence && !info.routed {
                    var set = Set(info.byEntry["*"] ?? [])
                    for e in callEvidence(w) { set.formUnion(info.byEntry[e.host] ?? []) }
                    indices = set.sorted()
                }
                for i in indices {
                    var leg = info.legs[i]
                    if info.isDynamic[i] {
                        guard let adjusted = adjust(leg, for: w.locality) else { continue }
                        leg = adjusted
                    }
                    if seen.contains(leg.sink.label) || leg.sink == .workload(w.id) { continue }
                    var strength = ResidencyStrength.reachable
                    var text = ""
                    if pass == .evidence {
                        (_, strength, text) = entryEvidence(leg, client: w, routed: info.routed)
                        if strength != .evidence { continue }
                    }
                    var next: Workload?
                    var stop: String?
                    if case .workload(let id) = leg.sink {
                        if let k = policies[p].stops[id] {
                            stop = policies[p].policy.processors[k].reason.value
                        } else {
                            next = mesh.workload(id)
                        }
                    }
                    children.append(
                        Child(
                            node: .init(
                                label: leg.sink.label, place: leg.placement, verdict: leg.verdicts[p].kind,
                                via: leg.via, evidence: text, hops: depth + 1, parent: parent, stop: stop),
                            next: next, strength: strength, leg: text.isEmpty ? leg : nil))
                }
                for (n, index) in place(&children, client: w, routed: info.routed) {
                    queue.append((n, depth + 1, index))
                    if pass == .evidence { expandable.append((n, depth + 1, index)) }
                }
            }
        }
        // Responses: callers of the roots and of every workload in the tree.
        for (w, depth, parent) in expandable where !truncated {
            var children: [Child] = []
            for c in callers[w.id] ?? [] {
                let placement = self.placement(of: c.caller)
                let verdict = policies[p].judge(
                    placement, recipient: ResidencySink.workload(c.caller.id).recipientNames, catalog: catalog)
                children.append(
                    Child(
                        node: .init(
                            label: ResidencySink.workload(c.caller.id).label, place: placement, verdict: verdict.kind,
                            via: .response,
                            evidence: "reads it in responses: \(c.evidence.label), line \(c.evidence.range.start.line)",
                            hops: depth + 1, parent: parent, stop: nil), next: nil, strength: .evidence))
            }
            _ = place(&children)
        }
        return .init(policy: p, service: service, nodes: nodes, truncated: truncated)
    }
}
