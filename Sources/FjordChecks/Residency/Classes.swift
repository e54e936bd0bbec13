import FjordDiagnostics
import FjordModel
import FjordSource

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

/// The legs of a holder, shared by its class: a Gateway's routes, a sidecar's hosts, or every
/// Service and any external host without a sidecar.
extension FlowEngine {
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
}
