import FjordDecision
import FjordDiagnostics
import FjordModel
import FjordSource

/// An endpoint of a destination: where a request can land.
struct Endpoint {
    var hops: [ResidencyHop]
    var sink: ResidencySink
    var placement: Placement
    /// The locality region as written (for comparing with the client's), when known.
    var region: String?
    var zone: String?
    var via: ResidencyVia
}

/// A destination resolved for one client namespace.
struct ResolvedDestination {
    var subsetHop: ResidencyHop?
    var endpoints: [Endpoint]
    var locality: LocalitySettings?
    /// The host's namespace (for messages).
    var host: String
}

/// Destinations: the DestinationRule a client gets, its subset and locality settings, and the
/// endpoints behind a host.
extension FlowEngine {
    mutating func resolve(host: String, subset: String?, port: Int, client: Workload) -> ResolvedDestination? {
        let key = DestinationKey(
            host: host, subset: subset, port: port, drClient: rules.clientKey(client.namespace, labels: client.labels))
        if let hit = destinationCache[key] { return hit }
        let made = makeDestination(host: host, subset: subset, port: port, client: client)
        destinationCache[key] = made
        return made
    }

    mutating func makeDestination(host: String, subset: String?, port: Int, client: Workload) -> ResolvedDestination? {
        var entries = mesh.hosts[host] ?? []
        if entries.isEmpty {
            // A wildcard ServiceEntry host (`*.s3.amazonaws.com`) covers it.
            if let pattern = mesh.wildcardHosts.first(where: { Mesh.hostMatches(pattern: $0, host: host) }) {
                entries = mesh.hosts[pattern] ?? []
            }
        }
        guard !entries.isEmpty else { return nil }  // no cluster: Envoy answers 503
        let hostNamespace = entries.first?.namespace
        let choice = rules.choice(
            for: host, hostNamespace: hostNamespace, client: client.namespace, clientLabels: client.labels)
        var dr = choice?.trafficPolicy?.rule ?? choice?.primary
        var labels: [String: String]?
        var subsetHop: ResidencyHop?
        var policy = choice?.trafficPolicy?.policy
        if let subset {
            // undefined subset: 503
            guard let (subsetRule, s) = choice?.subset(named: subset) else { return nil }
            labels = s.labels
            let sel = s.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            subsetHop = ResidencyHop(
                "subset `\(subset)`",
                note:
                    "subset \(quoted(subset)) of DestinationRule \(subsetRule.key.qualifiedName) selects \(quoted(sel))",
                at: s.name.range, resource: ref(subsetRule.key))
            if let sp = s.trafficPolicy {
                policy = merge(base: policy, override: sp)
                dr = subsetRule
            }
        }
        var locality: LocalitySettings?
        if let dr, let p = policy {
            let portLevel = p.portLevelSettings.first { $0.port?.value == port }
            let lb = portLevel?.loadBalancer ?? p.loadBalancer
            let outlier = (portLevel?.outlierDetection ?? p.outlierDetection) != nil
            if let l = lb?.localityLbSetting, l.enabled?.value != false {
                locality = LocalitySettings(setting: l, outlierDetection: outlier, rule: ref(dr.key))
            }
        }
        var endpoints: [Endpoint] = []
        for h in entries {
            switch h.source {
            case .service(let key):
                guard let svc = services[key] else { continue }
                if svc.type?.value == "ExternalName", let target = svc.externalName {
                    let placement = locator.locate(host: target.value)
                    endpoints.append(
                        Endpoint(
                            hops: [
                                ResidencyHop(
                                    "ExternalName \(target.value) (Service \(key.qualifiedName))",
                                    note: "Service \(quoted(key.qualifiedName)) points at \(quoted(target.value))",
                                    at: target.range, resource: ref(key))
                            ],
                            sink: .externalHost(target.value), placement: placement, region: nil, zone: nil,
                            via: .egress))
                    continue
                }
                if svc.selector == nil || svc.selector?.isEmpty == true {
                    endpoints.append(
                        unresolved(
                            host,
                            "Service \(quoted(key.qualifiedName)) has no selector: its endpoints are managed outside the inputs",
                            svc.nameRange, ref(key)))
                    continue
                }
                let ws = h.workloads.compactMap { mesh.workload($0) }.filter { w in
                    labels.map { l in l.allSatisfy { w.labels[$0.key] == $0.value } } ?? true
                }
                if ws.isEmpty && labels == nil {
                    endpoints.append(
                        unresolved(
                            host, "no workload among the inputs runs behind Service \(quoted(key.qualifiedName))",
                            svc.nameRange, ref(key)))
                }
                for w in ws { endpoints.append(workloadEndpoint(w)) }
            case .serviceEntry(let key):
                guard let se = serviceEntries[key] else { continue }
                if se.workloadSelector != nil {
                    let ws = h.workloads.compactMap { mesh.workload($0) }.filter { w in
                        labels.map { l in l.allSatisfy { w.labels[$0.key] == $0.value } } ?? true
                    }
                    for w in ws { endpoints.append(workloadEndpoint(w)) }
                    continue
                }
                let hostRange = se.hosts.first { $0.value.lowercased() == h.fqdn }?.range ?? se.nameRange
                if !se.endpoints.isEmpty {
                    for (i, ep) in se.endpoints.enumerated()
                    where labels.map({ l in l.allSatisfy { ep.labels[$0.key] == $0.value } }) ?? true {
                        let address = ep.address?.value ?? "endpoint \(i)"
                        var placement: Placement
                        var region: String?
                        var zone: String?
                        var why: String
                        if let loc = ep.effectiveLocality(owner: "endpoint") {
                            placement = locator.locate(loc)
                            region = loc.region
                            zone = loc.zone
                            let written = ep.locality?.value ?? ep.labels["topology.istio.io/locality"] ?? ""
                            why =
                                "endpoint \(quoted(address)) of ServiceEntry \(quoted(key.qualifiedName)) has locality \(quoted(written))"
                        } else {
                            placement = locator.locate(host: address)
                            why = "endpoint \(quoted(address)) of ServiceEntry \(quoted(key.qualifiedName))"
                        }
                        endpoints.append(
                            Endpoint(
                                hops: [
                                    ResidencyHop(
                                        "endpoint \(address) (ServiceEntry \(key.qualifiedName))", note: why,
                                        at: ep.locality?.range ?? ep.labelRanges["topology.istio.io/locality"]
                                            ?? ep.address?.range ?? ep.range, resource: ref(key))
                                ],
                                sink: .endpoint(host: h.fqdn, address: address),
                                placement: placement, region: region, zone: zone, via: se.isExternal ? .egress : .route)
                        )
                    }
                    continue
                }
                if se.isExternal {
                    let placement = locator.locate(host: host.hasPrefix("*") ? h.fqdn : host)
                    var note = "ServiceEntry \(quoted(key.qualifiedName)) declares the external host \(quoted(h.fqdn))"
                    if let p = placement.place, case .region = p.basis {
                        note += "; its name places it in \(quoted(p.name))"
                    }
                    endpoints.append(
                        Endpoint(
                            hops: [
                                ResidencyHop(
                                    "ServiceEntry \(key.qualifiedName) host \(h.fqdn)", note: note, at: hostRange,
                                    resource: ref(key))
                            ],
                            sink: .externalHost(host), placement: placement, region: nil, zone: nil, via: .egress))
                } else {
                    endpoints.append(
                        unresolved(
                            host,
                            "ServiceEntry \(quoted(key.qualifiedName)) is MESH_INTERNAL without endpoints or a workload selector",
                            hostRange, ref(key)))
                }
            }
        }
        return ResolvedDestination(subsetHop: subsetHop, endpoints: endpoints, locality: locality, host: host)
    }

    func unresolved(_ host: String, _ why: String, _ range: SourceRange, _ resource: ResourceRef) -> Endpoint {
        Endpoint(
            hops: [ResidencyHop("endpoints of \(host) not among the inputs", note: why, at: range, resource: resource)],
            sink: .unresolved(host), placement: .unknown(why), region: nil, zone: nil, via: .route)
    }

    mutating func workloadEndpoint(_ w: Workload) -> Endpoint {
        let placement = placement(of: w)
        var hops = [ResidencyHop("\(w.resource.kind.rawValue) \(w.id)", resource: ref(w))]
        if let l = w.locality {
            hops.append(
                ResidencyHop(
                    "locality \(l.description)", note: "\(quoted(w.id)) runs in \(quoted(l.description)) (\(l.source))",
                    at: l.range, resource: ref(w)))
        } else {
            hops.append(
                ResidencyHop(
                    "no locality",
                    note:
                        "no `topology.istio.io/locality` label, node or node placement gives the region of \(quoted(w.id))",
                    at: w.range, resource: ref(w)))
        }
        return Endpoint(
            hops: hops, sink: .workload(w.id), placement: placement, region: w.locality?.region, zone: w.locality?.zone,
            via: .route)
    }

    func merge(base: TrafficPolicy?, override: TrafficPolicy) -> TrafficPolicy {
        guard var b = base else { return override }
        if let lb = override.loadBalancer { b.loadBalancer = lb }
        if let o = override.outlierDetection { b.outlierDetection = o }
        if !override.portLevelSettings.isEmpty { b.portLevelSettings = override.portLevelSettings }
        return b
    }
}
