import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ3002: a DestinationRule's client TLS `DISABLE` (plaintext) or `SIMPLE` (TLS without the
/// mesh's client certificate) toward workloads whose effective PeerAuthentication is STRICT on
/// that port: their sidecars refuse it. FJ3003: `ISTIO_MUTUAL` toward workloads without a
/// sidecar, which cannot answer mutual TLS. Port-aware: the TLS setting that applies to each
/// service port and subset (subset over top level, `portLevelSettings` over the policy), and
/// the mode each workload enforces on the Service's target port.
public enum DestinationRuleMTLSCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "destination-rule-mtls", codes: [.tlsDisabledTowardStrict, .istioMutualWithoutSidecar],
        summary: "DestinationRule TLS modes that the destination's mTLS refuses",
        inputs: [.destinationRule, .peerAuthentication, .service])

    struct Finding {
        var dr: DestinationRule
        var mode: Located<ClientTLSSettings.Mode>
        var ports: [Int] = []
        var workloads: [Workload] = []
        var mtls: [EffectiveMTLS] = []
    }

    public static func run(_ ctx: CheckContext) {
        let mesh = ctx.mesh
        let resolver = MTLSResolver(mesh: mesh)
        let index = DestinationRuleIndex(mesh: mesh)
        var services: [(String, Service)] = []
        for s in ctx.resources.services {
            services.append(("\(s.name).\(s.namespace).svc.\(mesh.config.domainSuffix)", s))
        }
        // The clients that can pick a rule: every namespace with a workload or a DestinationRule.
        var clients: [String: [[String: String]?]] = [:]
        for dr in ctx.resources.destinationRules { clients[dr.namespace] = [nil] }
        for w in mesh.workloads {
            if clients[w.namespace] == nil { clients[w.namespace] = [nil] }
            if index.hasSelectorRules(in: w.namespace) { clients[w.namespace]?.append(w.labels) }
        }
        let clientList = clients.sorted { $0.key < $1.key }
        var findings: [String: Finding] = [:]
        var order: [String] = []
        for (fqdn, svc) in services where !index.rules(for: fqdn).isEmpty {
            let all = (mesh.hosts[fqdn] ?? []).flatMap(\.workloads).compactMap { mesh.workload($0) }
            guard !all.isEmpty else { continue }
            // Each distinct rule set some client uses for the host (the same choice residency,
            // routing and FJ2102 make), in the order of the first client that picks it.
            var seen = Set<[ResourceKey]>()
            var chosen: [DestinationRuleChoice] = []
            var keysSeen = Set<String>()
            for (ns, labelSets) in clientList {
                for labels in labelSets {
                    if labels == nil, !keysSeen.insert(index.clientKey(ns)).inserted { continue }
                    guard
                        let c = index.choice(for: fqdn, hostNamespace: svc.namespace, client: ns, clientLabels: labels)
                    else { continue }
                    if seen.insert(c.rules.map(\.key)).inserted { chosen.append(c) }
                }
            }
            for choice in chosen {
                for subset in [nil] + choice.subsets.map(Optional.some) {
                    let ws =
                        subset.map { s in
                            all.filter { w in
                                let labels = EmptySubsetCheck.endpointLabels(w)
                                return s.subset.labels.allSatisfy { labels[$0.key] == $0.value }
                            }
                        } ?? all
                    for sp in svc.ports.map(\.port.value) {
                        guard let (dr, mode) = tlsMode(choice, subset: subset, port: sp) else { continue }
                        for w in ws {
                            switch mode.value {
                            case .disable, .simple:
                                guard w.membership.hasSidecar else { continue }
                                let tp = mesh.targetPort(of: svc, port: sp, on: w) ?? sp
                                let m = resolver.effective(w, port: tp)
                                guard m.mode == .strict else { continue }
                                record(&findings, &order, dr, mode, port: sp, w, m)
                            case .istioMutual:
                                guard !mesh.hasProxy(w) else { continue }
                                record(&findings, &order, dr, mode, port: sp, w, nil)
                            case .mutual:
                                continue
                            }
                        }
                    }
                }
            }
        }
        for key in order {
            guard let f = findings[key] else { continue }
            report(f, host: f.dr.host.value, ctx)
        }
    }

    static func record(
        _ findings: inout [String: Finding], _ order: inout [String], _ dr: DestinationRule,
        _ mode: Located<ClientTLSSettings.Mode>,
        port: Int, _ w: Workload, _ m: EffectiveMTLS?
    ) {
        let key = "\(mode.range.start.line):\(mode.range.start.column)"
        if findings[key] == nil {
            findings[key] = Finding(dr: dr, mode: mode)
            order.append(key)
        }
        if !findings[key]!.ports.contains(port) { findings[key]!.ports.append(port) }
        if !findings[key]!.workloads.contains(where: { $0.id == w.id }) { findings[key]!.workloads.append(w) }
        if let m, !findings[key]!.mtls.contains(where: { $0.policy == m.policy && $0.mode == m.mode }) {
            findings[key]!.mtls.append(m)
        }
    }

    /// The client TLS mode for one subset (nil: the host as a whole) and service port of the
    /// rules a client uses, as Istio merges them: a subset's settings over the merged rule's
    /// top-level policy (the oldest rule's that has one), port-level settings over the policy.
    /// With the rule that wrote the mode.
    static func tlsMode(
        _ choice: DestinationRuleChoice, subset: (rule: DestinationRule, subset: Subset)?, port: Int
    ) -> (DestinationRule, Located<ClientTLSSettings.Mode>)? {
        func mode(_ p: TrafficPolicy?) -> Located<ClientTLSSettings.Mode>? {
            guard let p else { return nil }
            if let pl = p.portLevelSettings.first(where: { $0.port?.value == port }), let m = pl.tls?.mode { return m }
            return p.tls?.mode
        }
        if let subset, let m = mode(subset.subset.trafficPolicy) { return (subset.rule, m) }
        if let top = choice.trafficPolicy, let m = mode(top.policy) { return (top.rule, m) }
        return nil
    }

    static func report(_ f: Finding, host: String, _ ctx: CheckContext) {
        let ports = "port" + (f.ports.count == 1 ? " " : "s ") + f.ports.map(String.init).joined(separator: ", ")
        let ids = f.workloads.map(\.id)
        switch f.mode.value {
        case .disable, .simple:
            let policies = f.mtls.compactMap(\.policy).map(\.qualifiedName)
            let policyText =
                policies.count == 1
                ? "PeerAuthentication \(quoted(policies[0]))" : "PeerAuthentications " + nameList(policies)
            let what = f.mode.value == .disable ? "plaintext" : "TLS without the mesh's client certificate"
            var notes = [
                Note(
                    "STRICT on \(nameList(ids)): their sidecars accept only Istio mutual TLS, so every call from a sidecar through this rule fails"
                )
            ]
            for m in f.mtls { notes.append(Note("\(m.reason) sets STRICT", at: m.range)) }
            ctx.report(
                .tlsDisabledTowardStrict,
                "TLS mode \(quoted(f.mode.value.rawValue)) sends \(what) to \(quoted(host)) (\(ports)), which \(policyText) makes STRICT",
                at: f.mode.range, in: f.dr, notes: notes,
                fix: FixIt(
                    "use `ISTIO_MUTUAL`, or remove the `tls` setting and let auto mTLS choose",
                    replacement: "ISTIO_MUTUAL", at: f.mode.range))
        case .istioMutual:
            var notes = [
                Note(
                    "Istio mutual TLS needs a sidecar on the server side; these workloads answer plaintext only, so every call through this rule fails"
                )
            ]
            if let w = f.workloads.first {
                notes.append(Note("\(quoted(w.id)) has no sidecar: \(w.membership.reason)", at: w.membership.range))
            }
            ctx.report(
                .istioMutualWithoutSidecar,
                "TLS mode `ISTIO_MUTUAL` toward \(quoted(host)) (\(ports)), whose workload\(ids.count == 1 ? "" : "s") \(nameList(ids)) \(ids.count == 1 ? "has" : "have") no sidecar",
                at: f.mode.range, in: f.dr, notes: notes,
                fix: FixIt(
                    "give the workloads a sidecar, or remove the `tls` setting (auto mTLS then sends plaintext to workloads without one)"
                ))
        case .mutual:
            return
        }
    }
}
