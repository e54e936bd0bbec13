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

/// A caller with evidence of calling a host, and the leg its request takes to a workload.
struct Caller {
    var caller: Workload
    var evidence: CallEvidence
    var leg: Leg
    var target: String
}

/// What the legs of a holder depend on: its proxy's class (or the workload), its choice of
/// DestinationRules, and the Gateways it runs.
struct LegClass: Hashable {
    var scopeClass: RouteTables.ScopeClass?
    var workload: String?
    var drClient: String
    var gateways: [String]
}

/// The legs of one class, with what is precomputed about them.
struct ClassInfo {
    var legs: [Leg]
    /// Legs that depend on the client's locality (adjusted per holder).
    var isDynamic: [Bool]
    var dynamic: [Int]
    /// Per policy: the fixed legs whose verdict is not `allowed`.
    var flagged: [[Int]]
    /// Legs by the host the client calls (for call evidence).
    var byEntry: [String: [Int]]
    /// Fixed legs that end at a workload (the data it receives is followed).
    var toWorkloads: [Int]
    /// A Gateway's legs: every one is a route the Gateway's VirtualServices write.
    var routed: Bool
}

/// Receivers already emitted for a class, policy and root (the same legs give the same findings).
struct EmitKey: Hashable {
    var cls: LegClass
    var policy: Int
    var root: String
    var strength: ResidencyStrength
    var locality: String
}

extension FlowEngine {
    // MARK: Classes and legs

    mutating func indexGateways() {
        for g in mesh.resources.gateways where !g.selector.isEmpty {
            for w in mesh.workloads where g.selector.allSatisfy({ w.labels[$0.key] == $0.value }) {
                gatewaysOf[w.id, default: []].append(g.key.qualifiedName)
            }
        }
    }

    func legClass(_ w: Workload, gateways: [String]? = nil) -> LegClass {
        let gws = gateways ?? gatewaysOf[w.id] ?? []
        let drClient = rules.clientKey(w.namespace, labels: w.labels)
        if !gws.isEmpty { return LegClass(scopeClass: nil, workload: w.id, drClient: drClient, gateways: gws) }
        if w.membership.hasSidecar, let cls = tables.scopeClass(.sidecar(w.id), port: 0) {
            return LegClass(scopeClass: cls, workload: nil, drClient: drClient, gateways: [])
        }
        return LegClass(
            scopeClass: nil, workload: w.membership.hasSidecar ? w.id : "no-sidecar", drClient: drClient, gateways: [])
    }

    /// The legs of a holder's proxy: a Gateway's routes, a sidecar's hosts, or (without a
    /// sidecar) every Service and any external host.
    mutating func info(for w: Workload, gateways: [String]? = nil) -> (key: LegClass, info: ClassInfo) {
        let key = legClass(w, gateways: gateways)
        if let hit = classInfo[key] { return (key, hit) }
        let legs: [Leg]
        if !key.gateways.isEmpty {
            legs = gatewayLegs(key.gateways, client: w)
        } else {
            legs = w.membership.hasSidecar ? outboundLegs(w) : directLegs(w)
        }
        var info = ClassInfo(
            legs: legs, isDynamic: [], dynamic: [], flagged: Array(repeating: [], count: policies.count),
            byEntry: [:], toWorkloads: [], routed: !key.gateways.isEmpty)
        for (i, leg) in legs.enumerated() {
            let dynamic =
                leg.latentFrom != nil || (leg.locality != nil || leg.retryRemote != nil) && leg.endpointRegion != nil
            info.isDynamic.append(dynamic)
            info.byEntry[leg.entry, default: []].append(i)
            if dynamic {
                info.dynamic.append(i)
                continue
            }
            if case .workload = leg.sink { info.toWorkloads.append(i) }
            for p in policies.indices {
                if case .allowed = leg.verdicts[p] { continue }
                info.flagged[p].append(i)
            }
        }
        classInfo[key] = info
        return (key, info)
    }

    /// The routes of Gateways, for a client running them (an ingress or egress gateway pod).
    mutating func gatewayLegs(_ gateways: [String], client: Workload) -> [Leg] {
        var legs: [Leg] = []
        let drClient = rules.clientKey(client.namespace, labels: client.labels)
        for id in gateways {
            let scope = ProxyScope.gateway(id)
            for port in tables.ports(of: scope) {
                guard let view = tables.listener(scope, port: port) else { continue }
                let hosts = view.hosts.keys.sorted().compactMap { view.hosts[$0] } + view.wildcardHosts
                for vh in hosts {
                    let key = LegKey(scopeClass: nil, scope: scope, host: "\(vh.host):\(port)", drClient: drClient)
                    if let hit = legCache[key] {
                        legs += hit
                        continue
                    }
                    let made = virtualHostLegs(vh, port: port, client: client)
                    legCache[key] = made
                    legs += made
                }
            }
        }
        return legs
    }

    /// A stand-in client for a Gateway whose pods are not among the inputs.
    func gatewayClient(_ id: String) -> Workload? {
        guard let g = mesh.resources.gateways.first(where: { $0.key.qualifiedName == id }) else { return nil }
        if let pod = mesh.workloads.first(where: { w in
            !g.selector.isEmpty && g.selector.allSatisfy { w.labels[$0.key] == $0.value }
        }) {
            return pod
        }
        return Workload(
            name: g.name, namespace: g.namespace, origin: .pod, resource: g.key, labels: g.selector, annotations: [:],
            serviceAccount: "", membership: MeshMembership(hasSidecar: false, reason: "gateway", range: g.nameRange),
            locality: nil, containers: [], placement: nil, range: g.nameRange)
    }

    // MARK: Evidence per hop

    /// The host and port a leg's client calls, with the evidence that it does: call evidence
    /// naming the host, a Gateway's route, or only what its Sidecar's egress lets it see.
    mutating func entry(_ leg: Leg, client: Workload, routed: Bool) -> (hop: ResidencyHop, strength: ResidencyStrength)
    {
        let (hop, strength, _) = entryEvidence(leg, client: client, routed: routed)
        return (hop, strength)
    }

    /// `entry` with the evidence as a short text (`env `SCORER_URL`, line 31`).
    mutating func entryEvidence(_ leg: Leg, client: Workload, routed: Bool) -> (
        hop: ResidencyHop, strength: ResidencyStrength, text: String
    ) {
        guard var hop = leg.hops.first else { return (ResidencyHop(leg.entry), .evidence, "") }
        if leg.entry == "*" {
            // ALLOW_ANY, no sidecar: the setting opens the path; the evidence is a call to a host
            // outside the mesh's registry, which the setting lets through.
            let setting = leg.hops.dropFirst().first?.step ?? hop.step
            let suffix = ".svc." + mesh.config.domainSuffix
            if let e = callEvidence(client).first(where: { !$0.host.hasSuffix(suffix) }) {
                hop.step += " (\(e.label) names \(e.host), line \(e.range.start.line))"
                hop.note = "\(quoted(client.id)) calls \(quoted(e.host)) (\(e.label))"
                hop.range = e.range
                hop.resource = ref(client)
                return (hop, .evidence, "\(setting); \(e.label) names \(quoted(e.host)), line \(e.range.start.line)")
            }
            hop.step += " (reachable: no call evidence of an external host)"
            return (hop, .reachable, "\(setting); no call evidence of an external host")
        }
        var route = ""
        if let r = leg.hops.first(where: { $0.step.hasPrefix("VirtualService ") }) {
            route = "; \(r.step)" + (r.range.isSynthetic ? "" : " (line \(r.range.start.line))")
        }
        if routed {
            hop.step += " (routed by the gateway)"
            return (hop, .evidence, "route of the gateway" + route)
        }
        let port = hop.step.split(separator: ":").last.map(String.init) ?? ""
        if let e = callEvidence(client).first(where: {
            $0.host == leg.entry && ($0.port.map { "\($0)" == port } ?? true)
        }) {
            hop.step += " (\(e.label), line \(e.range.start.line))"
            hop.note = "\(quoted(client.id)) calls \(quoted(leg.entry)) (\(e.label))"
            hop.range = e.range
            hop.resource = ref(client)
            return (hop, .evidence, "\(e.label), line \(e.range.start.line)" + route)
        }
        let why = "reachable: \(visibility(client, host: leg.entry)); no call evidence"
        hop.step += " (\(why))"
        return (hop, .reachable, why + route)
    }

    /// Why a client's sidecar sees a host: `the Sidecar payments/default allows `*/*``.
    mutating func visibility(_ w: Workload, host: String) -> String {
        let sc = tables.sidecar(for: w)
        let hostNamespace = mesh.hosts[host]?.first?.namespace ?? ""
        let key = "\(sc?.key.qualifiedName ?? "-")|\(w.namespace)|\(hostNamespace)|\(host)"
        if let hit = visibilityCache[key] { return hit }
        var text = "no Sidecar limits its egress (Istio's default `*/*`)"
        if let sc {
            if sc.egress.isEmpty {
                text = "the Sidecar \(sc.key.qualifiedName) does not limit egress hosts (`*/*`)"
            } else {
                outer: for l in sc.egress {
                    for entry in l.hosts {
                        let parts = entry.value.split(separator: "/", maxSplits: 1).map(String.init)
                        guard parts.count == 2 else { continue }
                        let ns = parts[0]
                        let nsOK = ns == "*" || ns == hostNamespace || (ns == "." && hostNamespace == w.namespace)
                        if nsOK && Mesh.hostMatches(pattern: parts[1].lowercased(), host: host) {
                            text = "the Sidecar \(sc.key.qualifiedName) allows `\(entry.value)`"
                            break outer
                        }
                    }
                }
            }
        }
        visibilityCache[key] = text
        return text
    }

    /// Records the flow of one leg from a holder whose path so far is `chain`.
    mutating func emit(
        _ leg: Leg, from client: Workload, chain: [ResidencyHop], policy p: Int, root: String,
        rootPlacement: Placement, taint: Taint? = nil, routed: Bool = false
    ) {
        if leg.sink == .workload(client.id) && taint != nil { return }  // a receiver calling itself
        let (hop, strength) = entry(leg, client: client, routed: routed)
        var hops = chain + leg.hops
        if !leg.hops.isEmpty { hops[chain.count] = hop }
        let total: ResidencyStrength = min(strength, taint?.strength ?? .evidence)
        var flow = ResidencyFlow(
            direction: .outbound, policy: p, source: root, sourcePlacement: rootPlacement, receiver: nil,
            host: leg.host, sink: leg.sink, placement: leg.placement, hops: hops, opening: chain.count + leg.opening,
            via: leg.via, verdict: leg.verdicts[p], latent: leg.latentFrom != nil)
        flow.strength = total
        flow.through = taint?.through ?? []
        flow.proxyHops = (taint?.hops ?? 0) + 1
        flow.gateway = taint?.gateway
        // Stronger evidence first; then a direct path before a longer one.
        let r = (total == .evidence ? 10 : 0) + (taint == nil ? rank(client, entry: leg.entry) : 0)
        record(flow, rank: r)
    }

    // MARK: The fixed point

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

// MARK: Trees

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
        }
        var nodes: [ResidencyReport.TreeNode] = []
        var expandable: [(w: Workload, depth: Int, index: Int?)] = workloads.compactMap { id in
            mesh.workload(id).map { ($0, 0, nil) }
        }
        var seen = Set(workloads.map { ResidencySink.workload($0).label })
        var truncated = false
        let limit = ResidencyReport.treeLimit
        func severity(_ v: String) -> Int { v == "outside" ? 0 : v == "unknown" ? 1 : v == "allowed" ? 3 : 2 }
        func place(_ children: inout [Child]) -> [(Workload, Int)] {
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
                nodes.append(c.node)
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
                for i in info.legs.indices {
                    var leg = info.legs[i]
                    if info.isDynamic[i] {
                        guard let adjusted = adjust(leg, for: w.locality) else { continue }
                        leg = adjusted
                    }
                    if seen.contains(leg.sink.label) || leg.sink == .workload(w.id) { continue }
                    let (_, strength, text) = entryEvidence(leg, client: w, routed: info.routed)
                    if pass == .evidence && strength != .evidence { continue }
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
                            next: next, strength: strength))
                }
                for (n, index) in place(&children) {
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
