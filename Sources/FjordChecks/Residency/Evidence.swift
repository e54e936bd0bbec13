import FjordDiagnostics
import FjordModel
import FjordSource

/// Each hop from a client to the host it calls names its evidence: call evidence (env var,
/// ConfigMap key, argument, annotation) with its line, a Gateway's route, or only what the
/// Sidecar's egress lets the client see.
extension FlowEngine {
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
}
