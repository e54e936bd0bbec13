import FjordDecision
import FjordDiagnostics
import FjordModel
import FjordSource

/// The locality load-balancing settings that apply to one destination.
struct LocalitySettings {
    var setting: LocalityLoadBalancerSetting
    var outlierDetection: Bool
    var rule: ResourceRef
}

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

/// A path from a client sidecar to one endpoint (or to anywhere), without the client itself.
struct Leg {
    /// The host the client calls (the virtual host), and the host the request ends up at.
    var entry: String
    var host: String
    var hops: [ResidencyHop]
    var sink: ResidencySink
    var placement: Placement
    var opening: Int
    var via: ResidencyVia
    /// Per policy.
    var verdicts: [ResidencyVerdict]
    /// Locality adjustments, when the destination has locality settings and a known endpoint region.
    var locality: LocalitySettings?
    var endpointRegion: String?
    var endpointZone: String?
    /// Where a locality hop goes (before the endpoint hops).
    var localityAt: Int
    /// Latent legs: the failover or distribute `from` they apply to.
    var latentFrom: String?
    var isMirror: Bool
    /// The rule's `retries.retryRemoteLocalities: true`, when set.
    var retryRemote: SourceRange? = nil
}

enum PortProtocol { case http, l4, unknown }

struct FlowEngine {
    let mesh: Mesh
    let tables: RouteTables
    let locator: Locator
    let policies: [CompiledPolicy]
    let catalog: RegionCatalog
    let rules: DestinationRuleIndex

    let services: [ResourceKey: Service]
    let serviceEntries: [ResourceKey: ServiceEntry]
    var portsCache: [RouteTables.ScopeClass: [Int]] = [:]
    var placementCache: [String: Placement] = [:]
    var legCache: [LegKey: [Leg]] = [:]
    var destinationCache: [DestinationKey: ResolvedDestination?] = [:]
    var reachableCache: [[EffectiveRule]: Set<Int>] = [:]
    var evidenceCache: [String: [CallEvidence]] = [:]
    var groupIndex: [GroupKey: Int] = [:]
    var groups: [ResidencyFindingGroup] = []
    var groupRank: [Int] = []

    struct LegKey: Hashable {
        var scopeClass: RouteTables.ScopeClass?
        var scope: ProxyScope?
        var host: String
        var drClient: String
    }

    struct DestinationKey: Hashable {
        var host: String
        var subset: String?
        var port: Int
        var drClient: String
    }

    struct GroupKey: Hashable {
        var policy: Int
        var direction: ResidencyFlow.Direction
        var file: FileID
        var start: SourcePosition
        var sink: ResidencySink
        var verdict: String
    }

    init(mesh: Mesh, tables: RouteTables, locator: Locator, policies: [CompiledPolicy], catalog: RegionCatalog) {
        self.mesh = mesh
        self.tables = tables
        self.locator = locator
        self.policies = policies
        self.catalog = catalog
        self.rules = DestinationRuleIndex(mesh: mesh)
        self.services = Dictionary(mesh.resources.services.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        self.serviceEntries = Dictionary(
            mesh.resources.serviceEntries.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
    }

    // MARK: Driving

    mutating func run(into report: inout ResidencyReport) {
        var policiesOf: [String: [Int]] = [:]
        for p in policies { for w in p.personal { policiesOf[w, default: []].append(p.index) } }
        let personal = policiesOf.keys.sorted()
        var holders: [String: ResidencyReport.Holder] = [:]
        var servicesOf: [String: [String]] = [:]
        for (fqdn, hs) in mesh.hosts {
            for h in hs { for w in h.workloads where policiesOf[w] != nil { servicesOf[w, default: []].append(fqdn) } }
        }

        // 1. Where each personal-data workload runs.
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
                record(flow, rank: 3)
            }
            holders[id] = holder
        }

        // 2. Where their sidecars send requests (and, without a sidecar, anywhere).
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
            let legs = w.membership.hasSidecar ? outboundLegs(w) : directLegs(w)
            // Legs that do not depend on the client's locality are summarised once per class;
            // the others are adjusted for each source.
            var dynamic: [Int] = []
            var summary: [Int: ResidencyReport.Holder] = [:]
            var flagged: [Int: [Int]] = [:]
            for p in key.policies {
                summary[p] = ResidencyReport.Holder(
                    workload: "", placement: .unknown(""), services: [], policies: [], reaches: [:])
            }
            for (i, leg) in legs.enumerated() {
                if leg.latentFrom != nil || (leg.locality != nil || leg.retryRemote != nil) && leg.endpointRegion != nil
                {
                    dynamic.append(i)
                    continue
                }
                for p in key.policies {
                    let verdict = leg.verdicts[p]
                    add(&summary[p]!, leg.placement, leg.via, verdict, sink: leg.sink)
                    if case .allowed = verdict { continue }
                    flagged[p, default: []].append(i)
                }
            }
            for id in members {
                guard let src = mesh.workload(id), var holder = holders[id] else { continue }
                let srcPlacement = holder.placement
                let srcHop = ResidencyHop(id, resource: ref(src))
                func emit(_ leg: Leg, _ p: Int, _ verdict: ResidencyVerdict) {
                    let flow = ResidencyFlow(
                        direction: .outbound, policy: p, source: id, sourcePlacement: srcPlacement, receiver: nil,
                        host: leg.host, sink: leg.sink, placement: leg.placement,
                        hops: [srcHop] + leg.hops, opening: leg.opening + 1, via: leg.via,
                        verdict: verdict, latent: leg.latentFrom != nil)
                    record(flow, rank: rank(src, entry: leg.entry))
                }
                for p in holder.policies {
                    if let s = summary[p] { merge(&holder, s) }
                    for i in flagged[p] ?? [] { emit(legs[i], p, legs[i].verdicts[p]) }
                }
                for i in dynamic {
                    guard let adjusted = adjust(legs[i], for: src.locality) else { continue }
                    for p in holder.policies {
                        let verdict = adjusted.verdicts[p]
                        add(&holder, adjusted.placement, adjusted.via, verdict, sink: adjusted.sink)
                        if case .allowed = verdict { continue }
                        emit(adjusted, p, verdict)
                    }
                }
                holders[id] = holder
            }
        }

        // 3. Who receives personal data in responses: callers with evidence of a call.
        for w in mesh.workloads.sorted(by: { $0.id < $1.id }) {
            let evidence = callEvidence(w).filter(\.known)
            guard !evidence.isEmpty else { continue }
            let receiverPlacement = placement(of: w)
            for e in evidence {
                let legs = (w.membership.hasSidecar ? outboundLegs(w, only: e.host) : directLegs(w, only: e.host))
                    .filter { !$0.isMirror }
                for leg in legs {
                    guard case .workload(let pid) = leg.sink, pid != w.id, let ps = policiesOf[pid] else { continue }
                    if let port = e.port, !leg.hops.isEmpty, !leg.hops[0].step.hasSuffix(":\(port)") { continue }
                    for p in ps {
                        let verdict = policies[p].judge(
                            receiverPlacement, recipient: ResidencySink.workload(w.id).recipientNames, catalog: catalog)
                        if var holder = holders[pid] {
                            add(&holder, receiverPlacement, .response, verdict, sink: .workload(w.id))
                            holders[pid] = holder
                        }
                        if case .allowed = verdict { continue }
                        var hops = [ResidencyHop(pid, resource: mesh.workload(pid).map(ref))]
                        hops.append(ResidencyHop("response to \(leg.hops.first?.step ?? e.host)"))
                        hops.append(
                            ResidencyHop(
                                "\(e.label) of \(w.id)", note: "\(quoted(w.id)) calls \(quoted(e.host)) (\(e.label))",
                                at: e.range, resource: ref(w)))
                        hops.append(ResidencyHop(w.id, resource: ref(w)))
                        hops += placementSteps(receiverPlacement)
                        let flow = ResidencyFlow(
                            direction: .response, policy: p, source: pid, sourcePlacement: placement(ofID: pid),
                            receiver: w.id,
                            host: e.host, sink: .workload(w.id), placement: receiverPlacement, hops: hops, opening: 2,
                            via: .response, verdict: verdict, latent: false)
                        record(flow, rank: 3)
                    }
                }
            }
        }
        report.holders = personal.compactMap { holders[$0] }
        report.groups = groups
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

    /// Adds a flow to the group of flows that open at the same place and end at the same sink.
    /// The flow shown is the one from the source most likely to take the path (`rank`).
    mutating func record(_ flow: ResidencyFlow, rank: Int) {
        let r = flow.openingHop.range
        let key = GroupKey(
            policy: flow.policy, direction: flow.direction, file: r.file, start: r.start, sink: flow.sink,
            verdict: flow.verdict.kind)
        if let i = groupIndex[key] {
            if !groups[i].sources.contains(flow.source) {
                if rank > groupRank[i] {
                    groups[i].flow = flow
                    groups[i].sources.insert(flow.source, at: 0)
                    groupRank[i] = rank
                } else {
                    groups[i].sources.append(flow.source)
                }
            }
            return
        }
        groupIndex[key] = groups.count
        groups.append(ResidencyFindingGroup(flow: flow, sources: [flow.source]))
        groupRank.append(rank)
    }

    /// How likely a source is to call a host: evidence of the call (2), the host's own namespace
    /// without being behind the host (1), or only the configuration allows it (0).
    mutating func rank(_ w: Workload, entry: String) -> Int {
        if entry == "*" {
            let suffix = ".svc." + mesh.config.domainSuffix
            return callEvidence(w).contains { !$0.host.hasSuffix(suffix) } ? 2 : 0
        }
        if calls(w, entry) { return 2 }
        let behind = mesh.hosts[entry]?.contains { $0.workloads.contains(w.id) } ?? false
        if !behind, mesh.hosts[entry]?.first?.namespace == w.namespace { return 1 }
        return 0
    }

    func add(
        _ holder: inout ResidencyReport.Holder, _ placement: Placement, _ via: ResidencyVia,
        _ verdict: ResidencyVerdict, sink: ResidencySink
    ) {
        var anywhere = false
        if case .anywhere = placement { anywhere = true }
        let reach = ResidencyReport.Reach(
            country: placement.place?.country, anywhere: anywhere, via: via, verdict: verdict.kind)
        var detail = holder.reaches[reach] ?? ResidencyReport.ReachDetail()
        detail.count += 1
        if detail.sinks.count < ResidencyReport.ReachDetail.sampleLimit {
            let label = sink.label
            if !detail.sinks.contains(label) { detail.sinks.append(label) }
        }
        holder.reaches[reach] = detail
    }

    func merge(_ holder: inout ResidencyReport.Holder, _ other: ResidencyReport.Holder) {
        for (reach, d) in other.reaches {
            var detail = holder.reaches[reach] ?? ResidencyReport.ReachDetail()
            detail.count += d.count
            for s in d.sinks
            where detail.sinks.count < ResidencyReport.ReachDetail.sampleLimit && !detail.sinks.contains(s) {
                detail.sinks.append(s)
            }
            holder.reaches[reach] = detail
        }
    }

    // MARK: Evidence and placement

    mutating func callEvidence(_ w: Workload) -> [CallEvidence] {
        if let e = evidenceCache[w.id] { return e }
        let e = mesh.callEvidence(of: w)
        evidenceCache[w.id] = e
        return e
    }

    mutating func calls(_ w: Workload, _ host: String) -> Bool {
        callEvidence(w).contains { $0.host == host }
    }

    mutating func placement(of w: Workload) -> Placement {
        if let p = placementCache[w.id] { return p }
        let p: Placement
        if let l = w.locality {
            p = locator.locate(l)
        } else {
            p = .unknown(
                "\(quoted(w.id)) has no `topology.istio.io/locality` label, and no node or node placement gives its region"
            )
        }
        placementCache[w.id] = p
        return p
    }

    mutating func placement(ofID id: String) -> Placement {
        guard let w = mesh.workload(id) else { return .unknown("\(quoted(id)) is not among the inputs") }
        return placement(of: w)
    }

    func placementSteps(_ p: Placement) -> [ResidencyHop] {
        switch p {
        case .known(let place):
            return [
                ResidencyHop(place.step, note: place.range.isSynthetic ? nil : "declared here", at: place.range),
                ResidencyHop(place.country),
            ]
        case .unknown(let why): return [ResidencyHop("unknown location", note: why)]
        case .anywhere(let why): return [ResidencyHop("any country", note: why)]
        }
    }

    func ref(_ w: Workload) -> ResourceRef {
        ResourceRef(kind: w.resource.kind.rawValue, namespace: w.namespace, name: w.resource.name)
    }

    func ref(_ k: ResourceKey) -> ResourceRef {
        ResourceRef(kind: k.kind.rawValue, namespace: k.namespace.isEmpty ? nil : k.namespace, name: k.name)
    }

    func verdicts(_ placement: Placement, _ sink: ResidencySink) -> [ResidencyVerdict] {
        policies.map { $0.judge(placement, recipient: sink.recipientNames, catalog: catalog) }
    }

    // MARK: Per-client adjustments (locality)

    /// A leg as one client sees it: locality `distribute` may remove it, and failover entries that
    /// name the endpoint's region become the hop that opens the path.
    func adjust(_ leg: Leg, for source: Locality?) -> Leg? {
        if let from = leg.latentFrom {
            guard let source else { return leg }
            return LocalityPattern.matches(from, source) ? leg : nil
        }
        guard let region = leg.endpointRegion else { return leg }
        guard let ls = leg.locality else {
            // Without locality settings, retries to other localities explain the hop.
            guard let r = leg.retryRemote, let source, region != source.region else { return leg }
            var out = leg
            out.hops.insert(
                ResidencyHop(
                    "retry to another locality",
                    note: "`retryRemoteLocalities` lets retries go to endpoints in other localities", at: r),
                at: out.localityAt)
            return out
        }
        var out = leg
        let setting = ls.setting
        if !setting.distribute.isEmpty {
            guard let source,
                let d = setting.distribute.first(where: { LocalityPattern.matches($0.from.value, source) })
            else { return leg }
            let endpoint = Locality(region: region, zone: leg.endpointZone, source: "")
            guard let to = d.to.first(where: { $0.weight > 0 && LocalityPattern.matches($0.locality.value, endpoint) })
            else { return nil }
            if region != source.region {
                out.hops.insert(
                    ResidencyHop(
                        "distribute \(d.from.value) -> \(to.locality.value) (\(to.weight) %)",
                        note:
                            "locality `distribute` from \(quoted(d.from.value)) sends \(to.weight) % to \(quoted(to.locality.value)) (DestinationRule \(ls.rule.qualifiedName))",
                        at: to.locality.range, resource: ls.rule), at: out.localityAt)
                out.opening = out.localityAt
                out.via = .distribute
            }
            return out
        }
        guard ls.outlierDetection, let source, region != source.region else { return leg }
        if let f = setting.failover.first(where: { $0.from.value == source.region && $0.to.value == region }) {
            out.hops.insert(
                ResidencyHop(
                    "locality failover \(f.from.value) -> \(f.to.value)",
                    note:
                        "locality failover from \(quoted(f.from.value)) to \(quoted(f.to.value)) (DestinationRule \(ls.rule.qualifiedName))",
                    at: f.to.range, resource: ls.rule), at: out.localityAt)
            out.opening = out.localityAt
            out.via = .failover
        } else if let fp = setting.failoverPriority.first {
            out.hops.insert(
                ResidencyHop(
                    "failoverPriority (another region, lower priority)",
                    note:
                        "`failoverPriority` keeps endpoints in other regions reachable at lower priority (DestinationRule \(ls.rule.qualifiedName))",
                    at: fp.range, resource: ls.rule), at: out.localityAt)
            if out.via == .route { out.via = .failover }
        } else {
            out.hops.insert(
                ResidencyHop(
                    "another region (locality failover)",
                    note:
                        "with outlier detection, Istio fails over to other regions when \(quoted(source.region)) has no healthy endpoint (DestinationRule \(ls.rule.qualifiedName))",
                    at: setting.range, resource: ls.rule), at: out.localityAt)
            if out.via == .route { out.via = .failover }
        }
        return out
    }

    // MARK: Legs

    /// Every path from a sidecar: each host it sees, on each port, through the VirtualService
    /// rules that can match, plus ALLOW_ANY.
    mutating func outboundLegs(_ w: Workload, only: String? = nil) -> [Leg] {
        let scope = ProxyScope.sidecar(w.id)
        let drClient = rules.clientKey(w.namespace, labels: w.labels)
        var legs: [Leg] = []
        var allowAny = false
        var ports: [Int]
        if let cls = tables.scopeClass(scope, port: 0) {
            if let hit = portsCache[cls] {
                ports = hit
            } else {
                ports = tables.ports(of: scope)
                portsCache[cls] = ports
            }
        } else {
            ports = tables.ports(of: scope)
        }
        for port in ports {
            guard let view = tables.listener(scope, port: port) else { continue }
            if view.outboundPolicy == .allowAny { allowAny = true }
            let cls = tables.scopeClass(scope, port: port)
            var hosts: [VirtualHostView]
            if let only {
                hosts =
                    view.hosts[only].map { [$0] }
                    ?? view.wildcardHosts.filter { Mesh.hostMatches(pattern: $0.host, host: only) }.prefix(1).map { $0 }
            } else {
                hosts = view.hosts.keys.sorted().compactMap { view.hosts[$0] } + view.wildcardHosts
            }
            for vh in hosts {
                let key = LegKey(
                    scopeClass: cls, scope: cls == nil ? scope : nil, host: "\(vh.host):\(port)", drClient: drClient)
                if let hit = legCache[key] {
                    legs += hit
                    continue
                }
                let made = virtualHostLegs(vh, port: port, client: w)
                legCache[key] = made
                legs += made
            }
        }
        if allowAny && only == nil { legs.append(allowAnyLeg(w)) }
        return legs
    }

    /// A workload without a sidecar connects straight to the endpoints of any Service, and to
    /// any external host.
    mutating func directLegs(_ w: Workload, only: String? = nil) -> [Leg] {
        var legs: [Leg] = []
        let hosts = only.map { [$0] } ?? mesh.hosts.keys.sorted()
        for host in hosts {
            guard let entries = mesh.hosts[host],
                entries.contains(where: { if case .service = $0.source { return true } else { return false } })
            else { continue }
            for port in Set(entries.flatMap(\.ports)).sorted() {
                guard let d = resolve(host: host, subset: nil, port: port, client: w) else { continue }
                let entry = ResidencyHop("\(host):\(port)")
                legs += assemble(
                    entry: entry, prefix: [], destination: d, via: .route, opening: nil, host: host, isMirror: false)
            }
        }
        if only == nil {
            let hops = [
                ResidencyHop("any external host"),
                ResidencyHop(
                    "no sidecar (\(w.membership.reason))",
                    note: "\(quoted(w.id)) has no sidecar, so nothing in the mesh limits where it connects",
                    at: w.membership.range, resource: ref(w)),
                ResidencyHop("any country", note: "a workload without a sidecar can reach any external host"),
            ]
            let placement = Placement.anywhere("a workload without a sidecar can reach any external host")
            legs.append(
                Leg(
                    entry: "*", host: "*", hops: hops, sink: .anyExternalHost, placement: placement, opening: 1,
                    via: .noSidecar,
                    verdicts: verdicts(placement, .anyExternalHost), locality: nil, endpointRegion: nil,
                    endpointZone: nil,
                    localityAt: 0, latentFrom: nil, isMirror: false))
        }
        return legs
    }

    func allowAnyLeg(_ w: Workload) -> Leg {
        var hop: ResidencyHop
        if let sc = tables.sidecar(for: w), let p = sc.outboundTrafficPolicy, p.value == .allowAny {
            hop = ResidencyHop(
                "outboundTrafficPolicy ALLOW_ANY (Sidecar \(sc.key.qualifiedName))",
                note: "Sidecar \(quoted(sc.key.qualifiedName)) lets the proxy reach any external host",
                at: p.range, resource: ref(sc.key))
        } else if mesh.config.fromConfigMap,
            let cm = mesh.resources.configMaps.first(where: { $0.name == "istio" || $0.data["mesh"] != nil })
        {
            hop = ResidencyHop(
                "outboundTrafficPolicy ALLOW_ANY (ConfigMap \(cm.key.qualifiedName))",
                note: "the mesh configuration lets every sidecar reach any external host",
                at: meshModeRange(cm), resource: ref(cm.key))
        } else {
            hop = ResidencyHop(
                "outboundTrafficPolicy ALLOW_ANY (Istio's default)",
                note:
                    "no `istio` ConfigMap among the inputs sets `outboundTrafficPolicy`, so Istio's default ALLOW_ANY applies"
            )
        }
        let placement = Placement.anywhere("ALLOW_ANY lets the sidecar reach any external host")
        return Leg(
            entry: "*", host: "*", hops: [ResidencyHop("any external host"), hop, ResidencyHop("any country")],
            sink: .anyExternalHost,
            placement: placement, opening: 1, via: .allowAny, verdicts: verdicts(placement, .anyExternalHost),
            locality: nil,
            endpointRegion: nil, endpointZone: nil, localityAt: 0, latentFrom: nil, isMirror: false)
    }

    /// The line of `mode:` inside the `mesh` key of the istio ConfigMap (a block scalar: its lines
    /// start on the line after the key, indented two columns past it).
    func meshModeRange(_ cm: ConfigMap) -> SourceRange {
        guard let mesh = cm.data["mesh"], !mesh.range.isSynthetic else { return cm.nameRange }
        let lines = mesh.value.split(separator: "\n", omittingEmptySubsequences: false)
        var inOutbound = false
        for (i, raw) in lines.enumerated() {
            let line = String(raw)
            let indent = line.prefix { $0 == " " }.count
            let trimmed = line.dropFirst(indent)
            if indent == 0 { inOutbound = trimmed.hasPrefix("outboundTrafficPolicy:") }
            if (inOutbound && indent > 0 && trimmed.hasPrefix("mode:"))
                || (indent == 0 && trimmed.hasPrefix("outboundTrafficPolicy:") && trimmed.contains("ALLOW_ANY"))
            {
                let blockStart = mesh.range.start
                // A block scalar (`mesh: |`) starts at its indicator and its content on the next
                // line, indented two columns past the key; a quoted or plain scalar starts on its line.
                let block = mesh.range.end.line > blockStart.line && lines.count > 1
                let line0 = block ? blockStart.line + 1 : blockStart.line
                let column = (block ? max(1, blockStart.column - "mesh: ".count + 2) : blockStart.column) + indent
                let start = SourcePosition(line: line0 + i, column: column)
                return SourceRange(
                    file: mesh.range.file, start: start,
                    end: SourcePosition(line: line0 + i, column: column + trimmed.count))
            }
        }
        return mesh.range
    }

    func portProtocol(host: String, port: Int) -> PortProtocol {
        func classify(_ name: String?, _ proto: String?) -> PortProtocol {
            let p = (proto ?? "").lowercased()
            if ["http", "http2", "grpc", "grpc-web"].contains(p) { return .http }
            if ["tcp", "tls", "https", "mongo", "mysql", "redis", "udp"].contains(p) { return .l4 }
            let n = (name ?? "").lowercased()
            let prefix = n.split(separator: "-").first.map(String.init) ?? n
            if ["http", "http2", "grpc", "grpc-web"].contains(prefix) { return .http }
            if ["tcp", "tls", "https", "mongo", "mysql", "redis"].contains(prefix) { return .l4 }
            return .unknown
        }
        for h in mesh.hosts[host] ?? [] {
            switch h.source {
            case .service(let key):
                if let svc = services[key], let sp = svc.ports.first(where: { $0.port.value == port }) {
                    let c = classify(sp.name?.value, sp.appProtocol?.value)
                    if c != .unknown { return c }
                }
            case .serviceEntry(let key):
                if let se = serviceEntries[key], let sp = se.ports.first(where: { $0.number?.value == port }) {
                    let c = classify(sp.name?.value, sp.protocol?.value)
                    if c != .unknown { return c }
                }
            }
        }
        return .unknown
    }

    mutating func reachable(_ rules: [EffectiveRule]) -> Set<Int> {
        if rules.count <= 1 { return Set(rules.indices) }
        if let hit = reachableCache[rules] { return hit }
        var result = Set(rules.indices)
        if let routes = try? RouteCompiler.compile(RouteCompiler.ruleBlocks(rules), maxNodes: 500_000),
            let all = try? routes.combined()
        {
            result = routes.diagram.terminals(all).subtracting([Diagram.noneValue])
        }
        reachableCache[rules] = result
        return result
    }

    func ruleHop(_ rule: EffectiveRule, name: String, range: SourceRange, resource: ResourceRef?) -> ResidencyHop {
        var step = "VirtualService \(rule.ref.virtualService) \(name)"
        if let d = rule.ref.delegate { step += " (delegate \(d))" }
        return ResidencyHop(step, note: nil, at: range, resource: resource)
    }

    mutating func virtualHostLegs(_ vh: VirtualHostView, port: Int, client: Workload) -> [Leg] {
        let entry = ResidencyHop("\(vh.host):\(port)")
        guard let vsKey = vh.virtualServices.first else {
            guard let d = resolve(host: vh.host, subset: nil, port: port, client: client) else { return [] }
            return assemble(
                entry: entry, prefix: [], destination: d, via: .route, opening: nil, host: vh.host, isMirror: false)
        }
        let proto = portProtocol(host: vh.host, port: port)
        var legs: [Leg] = []
        if proto != .l4 {
            let live = reachable(vh.rules)
            for (i, rule) in vh.rules.enumerated() where live.contains(i) {
                let route = rule.route
                let range = route.match.first?.range ?? route.name?.range ?? route.range
                let rh = ruleHop(rule, name: route.displayName, range: range, resource: ref(rule.source))
                let several = route.route.count > 1
                let retryRemote = route.retries?.retryRemoteLocalities.flatMap { $0.value ? $0.range : nil }
                for rd in route.route {
                    let weight = several ? (rd.weight?.value ?? 0) : 100
                    guard weight > 0 else { continue }
                    var made = destinationLegs(
                        entry: entry, rule: rh, rd.destination,
                        weight: several ? rd.weight.map { ($0.value, $0.range) } ?? (0, rd.range) : nil,
                        namespace: rule.namespace, vhost: vh, port: port, client: client, mirror: nil,
                        resource: ref(rule.source))
                    if let retryRemote {
                        for i in made.indices where made[i].latentFrom == nil { made[i].retryRemote = retryRemote }
                    }
                    legs += made
                }
                var mirrors: [(Destination, Double, SourceRange)] = []
                if let m = route.mirror {
                    let pct = route.mirrorPercentage?.value ?? route.mirrorPercent.map { Double($0.value) } ?? 100
                    mirrors.append((m, pct, m.range))
                }
                for m in route.mirrors { mirrors.append((m.destination, m.percentage?.value ?? 100, m.range)) }
                for (m, pct, r) in mirrors where pct > 0 {
                    legs += destinationLegs(
                        entry: entry, rule: rh, m, weight: nil, namespace: rule.namespace, vhost: vh, port: port,
                        client: client,
                        mirror: (pct, r), resource: ref(rule.source))
                }
            }
        }
        if proto != .http, let vs = mesh.resources.virtualServices.first(where: { $0.key == vsKey }) {
            var any = false
            let l4: [(String, [L4Match], [RouteDestination], Int, SourceRange)] =
                vs.tcp.map { ("TCP", $0.match, $0.route, $0.index, $0.range) }
                + vs.tls.map { ("TLS", $0.match, $0.route, $0.index, $0.range) }
            for (kind, matches, dests, index, range) in l4 {
                let fits =
                    matches.isEmpty
                    || matches.contains { m in
                        (m.port.map { $0.value == port } ?? true)
                            && m.sourceLabels.allSatisfy { client.labels[$0.key] == $0.value }
                            && (m.sourceNamespace.map { $0.value == client.namespace } ?? true)
                            && (m.gateways.isEmpty || m.gateways.contains { $0.value == "mesh" })
                    }
                guard fits else { continue }
                any = true
                let rh = ResidencyHop(
                    "VirtualService \(vs.key.qualifiedName) \(kind) rule \(index)", at: matches.first?.range ?? range,
                    resource: ref(vs.key))
                let several = dests.count > 1
                for rd in dests {
                    let weight = several ? (rd.weight?.value ?? 0) : 100
                    guard weight > 0 else { continue }
                    legs += destinationLegs(
                        entry: entry, rule: rh, rd.destination,
                        weight: several ? rd.weight.map { ($0.value, $0.range) } ?? (0, rd.range) : nil,
                        namespace: vs.namespace, vhost: vh, port: port, client: client, mirror: nil,
                        resource: ref(vs.key))
                }
                if matches.isEmpty { break }
            }
            if !any, let d = resolve(host: vh.host, subset: nil, port: port, client: client) {
                legs += assemble(
                    entry: entry, prefix: [], destination: d, via: .route, opening: nil, host: vh.host, isMirror: false)
            }
        }
        return legs
    }

    mutating func destinationLegs(
        entry: ResidencyHop, rule: ResidencyHop, _ d: Destination, weight: (Int, SourceRange)?, namespace: String,
        vhost: VirtualHostView, port: Int, client: Workload, mirror: (Double, SourceRange)?, resource: ResourceRef
    ) -> [Leg] {
        let host = mesh.fqdn(d.host.value, in: namespace)
        var destPort = d.port?.value
        if destPort == nil {
            if host == vhost.host {
                destPort = port
            } else if let h = mesh.hosts[host]?.first, h.ports.count == 1 {
                destPort = h.ports[0]
            } else {
                destPort = port
            }
        }
        guard let resolved = resolve(host: host, subset: d.subset?.value, port: destPort ?? port, client: client) else {
            return []
        }
        var prefix = [rule]
        var opening: Int?
        var via = ResidencyVia.route
        if let (pct, r) = mirror {
            prefix.append(
                ResidencyHop(
                    "mirror \(Self.percent(pct)) %",
                    note: "the rule mirrors \(Self.percent(pct)) % of its requests to \(quoted(host))", at: r,
                    resource: resource))
            opening = prefix.count - 1
            via = .mirror
        } else if let (w, r) = weight {
            prefix.append(
                ResidencyHop(
                    "weight \(w)",
                    note:
                        "the rule sends weight \(w) to \(quoted(host))\(d.subset.map { " subset \(quoted($0.value))" } ?? "")",
                    at: r, resource: resource))
            opening = prefix.count - 1
            via = .weight
        }
        if host != vhost.host { prefix.append(ResidencyHop("\(host):\(destPort ?? port)")) }
        if var s = resolved.subsetHop, let sub = d.subset {
            s.range = sub.range
            s.resource = resource
            prefix.append(s)
            if opening == nil { opening = prefix.count - 1 }
        }
        return assemble(
            entry: entry, prefix: prefix, destination: resolved, via: via, opening: opening, host: host,
            isMirror: mirror != nil,
            subsetAlreadyIn: true)
    }

    static func percent(_ d: Double) -> String {
        d == d.rounded() ? String(Int(d)) : String(d)
    }

    /// Legs to each endpoint of a resolved destination, plus latent legs for locality targets
    /// without endpoints.
    func assemble(
        entry: ResidencyHop, prefix: [ResidencyHop], destination d: ResolvedDestination, via: ResidencyVia,
        opening: Int?, host: String,
        isMirror: Bool, subsetAlreadyIn: Bool = false
    ) -> [Leg] {
        var head = [entry] + prefix
        let entryHost = String(entry.step[..<(entry.step.lastIndex(of: ":") ?? entry.step.endIndex)])
        if !subsetAlreadyIn, let s = d.subsetHop { head.append(s) }
        var legs: [Leg] = []
        for e in d.endpoints {
            let hops = head + e.hops + placementSteps(e.placement)
            // Without a more specific hop, the endpoint's own placement opens the path.
            let open = opening.map { $0 + 1 } ?? (head.count + max(0, e.hops.count - 1))
            legs.append(
                Leg(
                    entry: entryHost, host: host, hops: hops, sink: e.sink, placement: e.placement, opening: open,
                    via: via == .route && e.via != .route ? e.via : via, verdicts: verdicts(e.placement, e.sink),
                    locality: d.locality, endpointRegion: e.region, endpointZone: e.zone, localityAt: head.count,
                    latentFrom: nil, isMirror: isMirror))
        }
        // Failover and distribute targets where no endpoint runs today.
        if let ls = d.locality, ls.outlierDetection || !ls.setting.distribute.isEmpty {
            let regions = Set(d.endpoints.compactMap(\.region))
            var targets: [(from: String, region: String, hop: ResidencyHop, via: ResidencyVia)] = []
            for f in ls.setting.failover where !regions.contains(f.to.value) && ls.outlierDetection {
                targets.append(
                    (
                        f.from.value, f.to.value,
                        ResidencyHop(
                            "locality failover \(f.from.value) -> \(f.to.value)",
                            note:
                                "locality failover from \(quoted(f.from.value)) to \(quoted(f.to.value)) (DestinationRule \(ls.rule.qualifiedName))",
                            at: f.to.range, resource: ls.rule), .failover
                    ))
            }
            for dist in ls.setting.distribute {
                for t in dist.to where t.weight > 0 {
                    let region = String(t.locality.value.split(separator: "/").first ?? "")
                    guard !region.isEmpty, region != "*", !regions.contains(region) else { continue }
                    targets.append(
                        (
                            dist.from.value, region,
                            ResidencyHop(
                                "distribute \(dist.from.value) -> \(t.locality.value) (\(t.weight) %)",
                                note:
                                    "locality `distribute` from \(quoted(dist.from.value)) sends \(t.weight) % to \(quoted(t.locality.value)) (DestinationRule \(ls.rule.qualifiedName))",
                                at: t.locality.range, resource: ls.rule), .distribute
                        ))
                }
            }
            for t in targets {
                let placement = locator.locate(region: t.region, zone: nil)
                let sink = ResidencySink.localityTarget(host: host, region: t.region)
                let hops =
                    head + [
                        t.hop,
                        ResidencyHop(
                            "no endpoint in \(t.region) today",
                            note:
                                "no endpoint of \(quoted(host)) runs in \(quoted(t.region)) today; the path opens as soon as one does"
                        ),
                    ]
                    + placementSteps(placement)
                legs.append(
                    Leg(
                        entry: entryHost, host: host, hops: hops, sink: sink, placement: placement, opening: head.count,
                        via: t.via,
                        verdicts: verdicts(placement, sink), locality: nil, endpointRegion: nil, endpointZone: nil,
                        localityAt: head.count,
                        latentFrom: t.from, isMirror: isMirror))
            }
        }
        return legs
    }

    // MARK: Destinations

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

/// Istio locality patterns: `region`, `region/zone`, `region/zone/subzone`, `*` as a segment.
enum LocalityPattern {
    static func matches(_ pattern: String, _ l: Locality) -> Bool {
        let p = pattern.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let v = [l.region, l.zone ?? "", l.subzone ?? ""]
        for (i, part) in p.enumerated() where i < 3 {
            if part == "*" { return true }
            if part != v[i] { return false }
        }
        return true
    }
}
