import FjordDecision
import FjordDiagnostics
import FjordModel
import FjordSource

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
    var groupSources: [Set<String>] = []

    // Transitive flows (ResidencyPropagation.swift).
    var policiesOf: [String: [Int]] = [:]
    var taint: [String: [Int: Taint]] = [:]
    var taintOrder: [String] = []
    var classInfo: [LegClass: ClassInfo] = [:]
    var gatewaysOf: [String: [String]] = [:]
    var callers: [String: [Caller]] = [:]
    var stopsReached: [Int: [String: [String]]] = [:]
    var emitted = Set<EmitKey>()
    var visibilityCache: [String: String] = [:]

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

    /// The phases of the analysis (docs/residency.md, "What counts as a path"): where the
    /// sources run; the paths their own proxies open, one hop; the receivers of those paths,
    /// followed to a fixed point; the receivers' paths; responses to callers of any holder.
    mutating func run(into report: inout ResidencyReport) {
        for p in policies { for w in p.personal { policiesOf[w, default: []].append(p.index) } }
        indexGateways()
        let personal = policiesOf.keys.sorted()
        var holders = placeSources(personal)
        sendFromSources(personal, &holders)
        let calls = indexCallers()
        seedTaint(personal)
        propagate()
        emitFromReceivers()
        respond(calls, &holders)
        report.holders = personal.compactMap { holders[$0] }
        report.groups = groups
        report.receivers = receivers()
        report.stops = stops()
    }

    // MARK: Findings and the report

    /// Adds a flow to the group of flows that open at the same place and end at the same sink.
    /// The flow shown is the one from the source most likely to take the path (`rank`).
    mutating func record(_ flow: ResidencyFlow, rank: Int) {
        let r = flow.openingHop.range
        let key = GroupKey(
            policy: flow.policy, direction: flow.direction, file: r.file, start: r.start, sink: flow.sink,
            verdict: flow.verdict.kind)
        if let i = groupIndex[key] {
            let isNew = groupSources[i].insert(flow.source).inserted
            if rank > groupRank[i] {
                groups[i].flow = flow
                groupRank[i] = rank
                if let k = groups[i].sources.firstIndex(of: flow.source) { groups[i].sources.remove(at: k) }
                groups[i].sources.insert(flow.source, at: 0)
            } else if isNew {
                groups[i].sources.append(flow.source)
            }
            return
        }
        groupIndex[key] = groups.count
        groups.append(ResidencyFindingGroup(flow: flow, sources: [flow.source]))
        groupRank.append(rank)
        groupSources.append([flow.source])
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
}
