import FjordDiagnostics
import FjordModel
import FjordSource

/// Transitive flows: a workload that receives personal data holds it from then on, and its own
/// paths are followed with the same rules, to a fixed point (docs/residency.md, "Transitive
/// flows"). Each hop from a client to the host it calls names its evidence.

/// Personal data held by a workload the policy does not select: whose data, how it got there.
struct Taint {
    /// The personal-data workload (or `Gateway namespace/name`) whose data it is.
    var root: String
    var rootPlacement: Placement
    /// Proxy hops from the root to this holder.
    var hops: Int
    var strength: ResidencyStrength
    /// The path from the root up to this holder (its workload and locality hops last).
    var chain: [ResidencyHop]
    /// The receivers after the root, this one last.
    var through: [String]
    var gateway: String?
}

/// Receivers already emitted for a class, policy and root (the same legs give the same findings).
struct EmitKey: Hashable {
    var cls: LegClass
    var policy: Int
    var root: String
    var strength: ResidencyStrength
    var locality: String
}

/// Phases 3 and 4: the fixed point over the receivers, and the receivers' own paths.
extension FlowEngine {
    /// The sources: the personal-data workloads, and the ingress Gateways of each policy.
    mutating func seedTaint(_ personal: [String]) {
        for id in personal {
            guard let w = mesh.workload(id) else { continue }
            let placement = placement(of: w)
            for p in policiesOf[id] ?? [] {
                taint[id, default: [:]][p] = Taint(
                    root: id, rootPlacement: placement, hops: 0, strength: .evidence,
                    chain: [ResidencyHop(id, resource: ref(w))], through: [], gateway: nil)
            }
            taintOrder.append(id)
        }
        for p in policies {
            for id in p.gateways {
                let key = "Gateway \(id)"
                guard let g = mesh.resources.gateways.first(where: { $0.key.qualifiedName == id }) else { continue }
                let entry = p.policy.ingressGateways.first { $0.gateway.value == id }
                let serves = entry?.serves.map(\.value) ?? []
                let step = "Gateway \(id)" + (serves.isEmpty ? "" : " (users in \(serves.joined(separator: ", ")))")
                let hop = ResidencyHop(
                    step, note: "personal data enters the mesh through Gateway \(quoted(id))",
                    at: entry?.gateway.range ?? g.nameRange, resource: ref(g.key))
                if taint[key] == nil { taintOrder.append(key) }
                taint[key, default: [:]][p.index] = Taint(
                    root: id, rootPlacement: .unknown("a gateway"), hops: 0, strength: .evidence, chain: [hop],
                    through: [], gateway: id)
            }
        }
    }

    /// The client a holder key stands for, and the Gateways whose routes it applies.
    func holder(_ key: String) -> (Workload, [String]?)? {
        if key.hasPrefix("Gateway ") {
            let id = String(key.dropFirst("Gateway ".count))
            return gatewayClient(id).map { ($0, [id]) }
        }
        return mesh.workload(key).map { ($0, nil) }
    }

    /// Follows the data every holder receives in requests, to a fixed point: first along hops
    /// with call evidence or routes (so a holder reached both ways keeps the strong path), then
    /// along hops only the Sidecar's egress opens. Each workload holds a policy's data once (the
    /// first, shortest path), so cycles end and nothing is counted twice; processors stop it.
    /// Callers that receive data in responses are judged (`respond`) but not followed: what a
    /// caller reads is its decision, which AuthorizationPolicy controls, not routing.
    mutating func propagate() {
        for phase in [ResidencyStrength.evidence, .reachable] {
            var queue = taintOrder
            var head = 0
            var expanded = Set<EmitKey>()
            while head < queue.count {
                let id = queue[head]
                head += 1
                guard let (w, gws) = holder(id), let held = taint[id] else { continue }
                let (key, info) = self.info(for: w, gateways: gws)
                var edges: [(target: String, ext: [ResidencyHop], strength: ResidencyStrength)] = []
                var weakPolicies = Set<Int>()
                func legEdge(_ leg: Leg, _ strength: ResidencyStrength, _ hop: ResidencyHop) {
                    guard case .workload(let target) = leg.sink else { return }
                    var ext = leg.hops
                    if !ext.isEmpty { ext[0] = hop }
                    ext.removeLast(min(ext.count, placementSteps(leg.placement).count))
                    edges.append((target, ext, strength))
                }
                if phase == .evidence {
                    var indices: [Int] = []
                    if info.routed {
                        indices = Array(info.legs.indices)
                    } else {
                        for e in callEvidence(w) where e.known { indices += info.byEntry[e.host] ?? [] }
                    }
                    for i in indices {
                        var leg = info.legs[i]
                        if info.isDynamic[i] {
                            guard let adjusted = adjust(leg, for: w.locality) else { continue }
                            leg = adjusted
                        }
                        let (hop, s) = entry(leg, client: w, routed: info.routed)
                        if s == .evidence { legEdge(leg, s, hop) }
                    }
                } else {
                    // Holders of one class reach the same places: expand a class once per policy.
                    let locality = info.dynamic.isEmpty ? "" : (w.locality?.description ?? "")
                    for p in held.keys.sorted() {
                        let k = EmitKey(cls: key, policy: p, root: "", strength: .reachable, locality: locality)
                        if expanded.insert(k).inserted { weakPolicies.insert(p) }
                    }
                    if !weakPolicies.isEmpty {
                        for i in info.toWorkloads {
                            let (hop, s) = entry(info.legs[i], client: w, routed: info.routed)
                            legEdge(info.legs[i], s, hop)
                        }
                        for i in info.dynamic {
                            guard let leg = adjust(info.legs[i], for: w.locality) else { continue }
                            let (hop, s) = entry(leg, client: w, routed: info.routed)
                            legEdge(leg, s, hop)
                        }
                    }
                }
                let legEdges = edges.count
                for (p, t) in held.sorted(by: { $0.key < $1.key }) {
                    for (n, e) in edges.enumerated() {
                        let strength = min(t.strength, e.strength)
                        guard phase == .reachable || strength == .evidence else { continue }
                        if phase == .reachable && n < legEdges && !weakPolicies.contains(p) { continue }
                        if offer(e.target, policy: p, from: id, t, ext: e.ext, strength: strength) {
                            queue.append(e.target)
                        }
                    }
                }
            }
        }
    }

    /// Makes `target` hold policy `p`'s data, unless it already does or is a processor.
    mutating func offer(
        _ target: String, policy p: Int, from: String, _ t: Taint, ext: [ResidencyHop], strength: ResidencyStrength
    ) -> Bool {
        if policies[p].stops[target] != nil {
            var reached = stopsReached[p, default: [:]][target, default: []]
            if !reached.contains(t.root) { reached.append(t.root) }
            stopsReached[p, default: [:]][target] = reached
            return false
        }
        if taint[target]?[p] != nil { return false }
        let isNew = taint[target] == nil
        taint[target, default: [:]][p] = Taint(
            root: t.root, rootPlacement: t.rootPlacement, hops: t.hops + 1, strength: strength, chain: t.chain + ext,
            through: t.through + [target], gateway: t.gateway)
        if isNew { taintOrder.append(target) }
        return true
    }

    /// 4. The paths of every receiver (and of the ingress Gateways), with the path that brought
    /// the data there in front. Receivers of one class with the same root and strength have the
    /// same legs: their findings are recorded once.
    mutating func emitFromReceivers() {
        for id in taintOrder {
            guard let held = taint[id], let (w, gws) = holder(id) else { continue }
            let (key, info) = self.info(for: w, gateways: gws)
            let locality = info.dynamic.isEmpty ? "" : (w.locality?.description ?? "")
            for (p, t) in held.sorted(by: { $0.key < $1.key }) where t.hops > 0 || t.gateway != nil {
                let k = EmitKey(cls: key, policy: p, root: t.root, strength: t.strength, locality: locality)
                if emitted.insert(k).inserted {
                    for i in info.flagged[p] {
                        emit(
                            info.legs[i], from: w, chain: t.chain, policy: p, root: t.root,
                            rootPlacement: t.rootPlacement, taint: t, routed: info.routed)
                    }
                    for i in info.dynamic {
                        guard let leg = adjust(info.legs[i], for: w.locality) else { continue }
                        if case .allowed = leg.verdicts[p] { continue }
                        emit(
                            leg, from: w, chain: t.chain, policy: p, root: t.root, rootPlacement: t.rootPlacement,
                            taint: t, routed: info.routed)
                    }
                } else if t.strength == .evidence && !info.routed {
                    // Another receiver of the class: only its own call evidence can make a path stronger.
                    for e in callEvidence(w) where e.known {
                        for i in info.byEntry[e.host] ?? [] where !info.isDynamic[i] {
                            if case .allowed = info.legs[i].verdicts[p] { continue }
                            emit(
                                info.legs[i], from: w, chain: t.chain, policy: p, root: t.root,
                                rootPlacement: t.rootPlacement, taint: t)
                        }
                    }
                }
            }
        }
    }

    // MARK: Report

    func receivers() -> [ResidencyReport.Receiver] {
        var out: [ResidencyReport.Receiver] = []
        for id in taintOrder {
            for (p, t) in (taint[id] ?? [:]).sorted(by: { $0.key < $1.key }) where t.hops > 0 {
                out.append(
                    .init(
                        workload: id, policy: p, root: t.gateway.map { "Gateway \($0)" } ?? t.root, proxyHops: t.hops,
                        strength: t.strength, steps: t.chain.map(\.step)))
            }
        }
        return out
    }

    func stops() -> [ResidencyReport.Stop] {
        var out: [ResidencyReport.Stop] = []
        for p in policies {
            for (id, k) in p.stops.sorted(by: { $0.key < $1.key }) {
                let proc = p.policy.processors[k]
                out.append(
                    .init(
                        policy: p.index, workload: id, reason: proc.reason.value, range: proc.range,
                        reachedFrom: stopsReached[p.index]?[id] ?? []))
            }
        }
        return out
    }
}
