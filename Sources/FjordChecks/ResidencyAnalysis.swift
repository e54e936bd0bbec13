import FjordDecision
import FjordDiagnostics
import FjordModel
import FjordSource

/// One hop of a residency path: a witness step, and optionally a note with the position of the
/// configuration behind it.
public struct ResidencyHop: Hashable, Sendable {
    public var step: String
    public var note: String?
    @NotCompared public var range: SourceRange = .synthetic
    public var resource: ResourceRef?
    public init(_ step: String, note: String? = nil, at range: SourceRange = .synthetic, resource: ResourceRef? = nil) {
        self.step = step
        self.note = note
        self.range = range
        self.resource = resource
    }
}

/// Where a residency path ends.
public enum ResidencySink: Hashable, Sendable {
    /// A workload of the mesh (`namespace/name`).
    case workload(String)
    /// An external host (a ServiceEntry host, an ExternalName target).
    case externalHost(String)
    /// An endpoint address of a ServiceEntry host.
    case endpoint(host: String, address: String)
    /// Any external host (ALLOW_ANY, or a workload without a sidecar).
    case anyExternalHost
    /// The endpoints a locality failover or distribute entry sends to in a region where none runs today.
    case localityTarget(host: String, region: String)
    /// A host whose endpoints the inputs do not show.
    case unresolved(String)

    /// `` `payments/fraud-check-us` ``, `any external host`...
    public var label: String {
        switch self {
        case .workload(let w): return quoted(w)
        case .externalHost(let h): return quoted(h)
        case .endpoint(let h, let a): return "endpoint \(quoted(a)) of \(quoted(h))"
        case .anyExternalHost: return "any external host"
        case .localityTarget(let h, _): return "endpoints of \(quoted(h))"
        case .unresolved(let h): return "the endpoints of \(quoted(h))"
        }
    }

    /// The name an attestation's `recipients` may use for it.
    var recipientNames: [String] {
        switch self {
        case .workload(let w): return [w, String(w.split(separator: "/").last ?? "")]
        case .externalHost(let h): return [h]
        case .endpoint(let h, let a): return [h, a]
        case .anyExternalHost: return []
        case .localityTarget(let h, _): return [h]
        case .unresolved(let h): return [h]
        }
    }
}

/// What makes the path: how the data gets from the source to the sink.
public enum ResidencyVia: String, Hashable, Sendable, CaseIterable {
    /// The personal-data workload itself runs there.
    case placement
    /// A route (a VirtualService rule's only destination, or the default route of a host).
    case route
    /// One of several weighted destinations.
    case weight
    /// A mirror (fire and forget copy).
    case mirror
    /// Locality failover or failoverPriority (other regions at lower priority).
    case failover
    /// Locality `distribute`.
    case distribute
    /// An external host declared by a ServiceEntry.
    case egress
    /// `outboundTrafficPolicy: ALLOW_ANY`.
    case allowAny = "allow-any"
    /// A workload without a sidecar: nothing in the mesh limits where it connects.
    case noSidecar = "no-sidecar"
    /// Responses to a call from a workload elsewhere.
    case response
}

/// What the policy says about a path.
public enum ResidencyVerdict: Hashable, Sendable {
    /// The destination's country is allowed (the text says by what: `EEA`, `adequacy`, `CH`).
    case allowed(String)
    /// The destination is outside the allowed jurisdictions.
    case outside
    /// The destination's location cannot be established.
    case unknown
    /// Allowed only under a conditional adequacy decision; `attestation` is the index of the
    /// attestation that covers the recipient, nil when none does.
    case conditional(attestation: Int?)

    public var kind: String {
        switch self {
        case .allowed: return "allowed"
        case .outside: return "outside"
        case .unknown: return "unknown"
        case .conditional(let a): return a == nil ? "conditional-unattested" : "conditional"
        }
    }
}

/// A path personal data can take, from a personal-data workload to a location.
public struct ResidencyFlow: Sendable {
    public enum Direction: String, Sendable {
        /// The personal-data workload runs at the location.
        case placement
        /// Its sidecar sends requests there.
        case outbound
        /// A workload there calls it and receives personal data in responses.
        case response
    }
    public var direction: Direction
    /// Index of the policy (in `ResidencyReport.policies`).
    public var policy: Int
    /// The personal-data workload whose data moves.
    public var source: String
    public var sourcePlacement: Placement
    /// Response flows: the calling workload that receives the data.
    public var receiver: String?
    /// The host the request goes to.
    public var host: String?
    public var sink: ResidencySink
    public var placement: Placement
    /// From the source to the country, one entry a hop.
    public var hops: [ResidencyHop]
    /// The hop that opens the path: where a finding points.
    public var opening: Int
    public var via: ResidencyVia
    public var verdict: ResidencyVerdict
    /// A path that no endpoint serves today (a failover target without endpoints).
    public var latent: Bool
    /// Whether every hop from a client to the host it calls is backed by call evidence, a route
    /// or a setting (`.evidence`), or at least one only by what the Sidecar's egress lets it see.
    public var strength: ResidencyStrength = .evidence
    /// The workloads the data passes through before the last hop (transitive paths), in order.
    public var through: [String] = []
    /// Proxy hops from the source: 1 for a direct path, 2 through one receiver...
    public var proxyHops: Int = 1
    /// The source is an ingress Gateway (`namespace/name`), not a workload.
    public var gateway: String? = nil

    public var steps: [String] { hops.map(\.step) }
    public var openingHop: ResidencyHop { hops[min(max(0, opening), hops.count - 1)] }
}

/// How well a path is shown to be taken: by call evidence, a route or a setting at every hop,
/// or only by what a Sidecar's egress lets a client see.
public enum ResidencyStrength: String, Hashable, Sendable, Comparable {
    case reachable
    case evidence
    public static func < (a: Self, b: Self) -> Bool { a == .reachable && b == .evidence }
}

/// Flows that open at the same place and end at the same sink, from several sources.
public struct ResidencyFindingGroup: Sendable {
    /// The flow whose path is shown (from the first source).
    public var flow: ResidencyFlow
    /// Every source (personal-data workload) that has the path, the shown one first.
    public var sources: [String]
}

/// A problem with a ResidencyPolicy itself (FJ4004).
public struct ResidencyPolicyProblem: Sendable {
    public var policy: Int
    public var message: String
    public var severity: Severity
    public var range: SourceRange
    public var notes: [Note]
}

/// The result of the residency analysis: the personal data, where it runs, where it can go.
public struct ResidencyReport: Sendable {
    public struct PolicyInfo: Sendable {
        public var policy: ResidencyPolicy
        /// `allowedJurisdictions` as written.
        public var allowed: [String]
        /// The personal-data workloads the policy selects.
        public var personal: [String]
    }

    /// A kind of destination a personal-data workload's data can reach: a country (or unknown,
    /// or anywhere), how, and what the policy says.
    public struct Reach: Hashable, Sendable {
        /// ISO country, nil when unknown or anywhere.
        public var country: String?
        public var anywhere: Bool
        public var via: ResidencyVia
        /// `allowed`, `outside`, `unknown`, `conditional`, `conditional-unattested`.
        public var verdict: String
    }

    /// The destinations behind one `Reach`: how many paths, and the first few sinks.
    public struct ReachDetail: Sendable {
        public static let sampleLimit = 6
        public var count = 0
        public var sinks: [String] = []
        public init() {}
    }

    /// A personal-data workload: where it runs and where its data can go.
    public struct Holder: Sendable {
        public var workload: String
        public var placement: Placement
        /// The registry hosts that select it (Services, MESH_INTERNAL ServiceEntries).
        public var services: [String]
        public var policies: [Int]
        public var reaches: [Reach: ReachDetail]

        /// The service a workload is best known by: the one whose name starts its name
        /// (`payment-service` for `payment-service-v1`), else the shortest.
        public var primaryService: String? {
            let name = workload.split(separator: "/").last.map(String.init) ?? workload
            let short = { (s: String) in String(s.split(separator: ".").first ?? "") }
            return services.filter { name.hasPrefix(short($0)) }.max { short($0).count < short($1).count }
                ?? services.min { $0.count != $1.count ? $0.count < $1.count : $0 < $1 }
        }
    }

    /// A workload that receives personal data without being selected by a policy: it holds the
    /// data from then on, and its own paths are followed (docs/residency.md, "Transitive flows").
    public struct Receiver: Sendable {
        public var workload: String
        public var policy: Int
        /// The personal-data workload (or Gateway) whose data it receives first.
        public var root: String
        /// Proxy hops from the root.
        public var proxyHops: Int
        public var strength: ResidencyStrength
        public var steps: [String]
    }

    /// A processor the policy marks as not forwarding personal data: reached, not followed.
    public struct Stop: Sendable {
        public var policy: Int
        public var workload: String
        public var reason: String
        public var range: SourceRange
        /// How many holders send data to it (0: it receives none).
        public var reachedFrom: [String]
    }

    /// One place in the tree of places a data-bearing service's data can reach.
    public struct TreeNode: Sendable {
        /// `risk/fraud-check`, `` `s3.us-east-1.amazonaws.com` ``, `any external host`.
        public var label: String
        public var place: Placement
        /// `allowed`, `outside`, `unknown`, `conditional`, `conditional-unattested`.
        public var verdict: String
        public var via: ResidencyVia
        /// `env `SCORER_URL` (line 31)`, `route VirtualService ns/name rule `x` (line 12)`, `reachable: ...`.
        public var evidence: String
        /// Proxy hops from the service's workloads (1: its own sidecar sends it there).
        public var hops: Int
        /// Index of the parent node, nil for a direct child of the service.
        public var parent: Int?
        /// A processor's reason when the data stops here.
        public var stop: String?
    }

    /// The tree of one data-bearing service (by its first registry host or workload), per policy.
    public struct Tree: Sendable {
        public var policy: Int
        public var service: String
        public var nodes: [TreeNode]
        /// More places were reachable than `treeLimit`.
        public var truncated: Bool
    }

    public var policies: [PolicyInfo] = []
    public var holders: [Holder] = []
    public var receivers: [Receiver] = []
    public var stops: [Stop] = []
    public var trees: [Tree] = []
    public var groups: [ResidencyFindingGroup] = []
    public var problems: [ResidencyPolicyProblem] = []
    public static let treeLimit = 40
    public var catalog: RegionCatalog = .builtIn

    public init() {}
}

/// Follows every path personal data can take through the mesh and judges each against the
/// ResidencyPolicies. docs/residency.md describes what counts as a path and why.
public struct ResidencyAnalysis {
    public let mesh: Mesh
    public let catalog: RegionCatalog
    let tables: RouteTables
    var locator: Locator
    var compiled: [CompiledPolicy] = []

    public init(mesh: Mesh, catalog: RegionCatalog = .builtIn) {
        self.mesh = mesh
        self.catalog = catalog
        self.tables = RouteTables(mesh: mesh)
        self.locator = Locator(catalog: catalog)
    }

    public static func run(mesh: Mesh, catalog: RegionCatalog = .builtIn, trees: Bool = false) -> ResidencyReport {
        var a = ResidencyAnalysis(mesh: mesh, catalog: catalog)
        return a.run(trees: trees)
    }

    /// The analysis with only the trees of the paths from one workload or Service
    /// (`namespace/name`), personal data or not, judged by every policy (`fjord graph --from`).
    public static func run(mesh: Mesh, catalog: RegionCatalog = .builtIn, treesFrom id: String) -> ResidencyReport {
        var a = ResidencyAnalysis(mesh: mesh, catalog: catalog)
        var report = ResidencyReport()
        report.catalog = catalog
        guard !mesh.resources.residencyPolicies.isEmpty else { return report }
        a.compilePolicies(&report)
        var engine = FlowEngine(
            mesh: mesh, tables: a.tables, locator: a.locator, policies: a.compiled, catalog: catalog)
        engine.run(into: &report)
        var workloads = mesh.workload(id).map { [$0.id] } ?? []
        if workloads.isEmpty {
            let parts = id.split(separator: "/").map(String.init)
            if parts.count == 2 {
                let fqdn = "\(parts[1]).\(parts[0]).svc.\(mesh.config.domainSuffix)"
                workloads = Array(Set((mesh.hosts[fqdn] ?? []).flatMap(\.workloads))).sorted()
            }
        }
        report.trees = []
        for p in a.compiled.indices where !workloads.isEmpty {
            report.trees.append(engine.tree(policy: p, service: id, workloads: workloads))
        }
        return report
    }

    /// The policies and their problems (FJ4004), without following flows.
    public mutating func policiesOnly() -> ResidencyReport {
        var report = ResidencyReport()
        report.catalog = catalog
        compilePolicies(&report)
        return report
    }

    /// `trees`: also build the tree of places each data-bearing service's data can reach
    /// (`fjord residency`), limited to `ResidencyReport.treeLimit` places per service.
    public mutating func run(trees: Bool = false) -> ResidencyReport {
        var report = ResidencyReport()
        report.catalog = catalog
        guard !mesh.resources.residencyPolicies.isEmpty else { return report }
        compilePolicies(&report)
        var engine = FlowEngine(mesh: mesh, tables: tables, locator: locator, policies: compiled, catalog: catalog)
        engine.run(into: &report)
        if trees { engine.buildTrees(into: &report) }
        return report
    }
}

// MARK: Policies

/// The jurisdictions a policy allows.
struct AllowedSet {
    var eea = false
    var adequacy = false
    var codes = Set<String>()
    var written: [String] = []

    var description: String { written.joined(separator: ", ") }
}

struct CompiledPolicy {
    var index: Int
    var policy: ResidencyPolicy
    var allowed: AllowedSet
    var personal: Set<String>
    var scopeNamespaces: Set<String>?
    /// Processors: workload -> index in `policy.processors`.
    var stops: [String: Int] = [:]
    /// Ingress Gateways (`namespace/name`) whose users' data the policy covers.
    var gateways: [String] = []
    var strict: Bool { policy.strict?.value ?? false }

    /// The verdict for a destination in `country`, received by `recipient`.
    func judge(_ placement: Placement, recipient: [String], catalog: RegionCatalog) -> ResidencyVerdict {
        switch placement {
        case .unknown: return .unknown
        case .anywhere: return .outside
        case .known(let place):
            let country = place.country.uppercased()
            let status = catalog.status(of: country)
            if allowed.codes.contains(country) {
                if status == .adequacyPartial {
                    let covering = policy.attestations.firstIndex { a in
                        a.jurisdiction.value.uppercased() == country
                            && (a.recipients.isEmpty
                                || a.recipients.contains { r in
                                    recipient.contains { $0.lowercased() == r.value.lowercased() }
                                })
                    }
                    return .conditional(attestation: covering)
                }
                return .allowed(country)
            }
            switch status {
            case .eea: return allowed.eea ? .allowed("EEA") : .outside
            case .adequacy: return allowed.adequacy ? .allowed("adequacy") : .outside
            case .adequacyPartial, .other: return .outside
            }
        }
    }
}

extension ResidencyAnalysis {
    static let aliases = ["UK": "GB", "EL": "GR", "EU": "EEA"]

    mutating func compilePolicies(_ report: inout ResidencyReport) {
        let root = mesh.config.rootNamespace
        var declarations: [DeclaredLocation] = []
        let policies = mesh.resources.residencyPolicies.sorted { $0.origin.sequence < $1.origin.sequence }
        for (i, p) in policies.enumerated() {
            var allowed = AllowedSet()
            func problem(_ m: String, _ r: SourceRange, _ s: Severity = .error, _ notes: [Note] = []) {
                report.problems.append(
                    ResidencyPolicyProblem(
                        policy: i, message: m, severity: s, range: r.isSynthetic ? p.nameRange : r, notes: notes))
            }
            for j in p.allowedJurisdictions {
                let v = String(j.value.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
                switch v.lowercased() {
                case "eea":
                    allowed.eea = true
                    allowed.written.append("EEA")
                case "adequacy":
                    allowed.adequacy = true
                    allowed.written.append("adequacy")
                default:
                    let code = v.uppercased()
                    if catalog.jurisdiction(code) != nil || isISOShaped(code) && Self.aliases[code] == nil {
                        allowed.codes.insert(code)
                        allowed.written.append(code)
                    } else {
                        var notes = [
                            Note(
                                "fjord knows `EEA` (the EU plus Iceland, Liechtenstein and Norway), `adequacy` (every full adequacy decision) and the ISO 3166-1 codes of data/regions.yaml"
                            )
                        ]
                        if let s = Self.aliases[code] { notes.insert(Note("did you mean `\(s)`?"), at: 0) }
                        problem("unknown jurisdiction \(quoted(v)) in `allowedJurisdictions`", j.range, .error, notes)
                    }
                }
            }
            for (k, a) in p.attestations.enumerated() {
                let code = a.jurisdiction.value.uppercased()
                guard let j = catalog.jurisdiction(code) else {
                    problem(
                        "attestation \(k) names unknown jurisdiction \(quoted(a.jurisdiction.value))",
                        a.jurisdiction.range,
                        .error, Self.aliases[code].map { [Note("did you mean `\($0)`?")] } ?? [])
                    continue
                }
                if !allowed.codes.contains(code) {
                    let why =
                        j.status == .eea || j.status == .adequacy && allowed.adequacy
                        ? "\(quoted(code)) is allowed without it" : "\(quoted(code)) is not in `allowedJurisdictions`"
                    problem(
                        "attestation \(k) for \(quoted(code)) has no effect: \(why)", a.jurisdiction.range, .warning)
                }
                if let c = j.condition, a.mechanism.value != c.mechanism,
                    a.mechanism.value == "DataPrivacyFramework" || a.mechanism.value == "PIPEDA"
                {
                    problem(
                        "mechanism \(quoted(a.mechanism.value)) does not apply to \(quoted(code)); its adequacy decision requires \(quoted(c.mechanism))",
                        a.mechanism.range, .error)
                } else if j.condition == nil,
                    a.mechanism.value == "DataPrivacyFramework" || a.mechanism.value == "PIPEDA"
                {
                    problem(
                        "mechanism \(quoted(a.mechanism.value)) does not apply to \(quoted(code))", a.mechanism.range,
                        .error)
                }
            }
            for l in p.locations {
                let country = l.country.value.uppercased()
                if !isISOShaped(country) {
                    problem(
                        "declared country \(quoted(l.country.value)) is not an ISO 3166-1 alpha-2 code", l.country.range
                    )
                    continue
                }
                if l.region == nil && l.host == nil {
                    problem("a declared location needs `region` or `host`", l.range)
                    continue
                }
                if let r = l.region, let known = catalog.region(r.value), known.country != country {
                    problem(
                        "declared location of region \(quoted(r.value)) (\(quoted(country))) contradicts fjord's catalog (\(quoted(known.country)))",
                        l.country.range, .warning, [Note("the declaration takes precedence")])
                }
                declarations.append(
                    DeclaredLocation(
                        region: l.region?.value, host: l.host?.value, country: country, reference: l.reference?.value,
                        policy: p.key.qualifiedName, range: l.range))
            }
            // Scope: a policy in the root namespace covers the mesh; elsewhere only its namespace.
            let scope: Set<String>? = p.namespace == root ? nil : [p.namespace]
            var personal = Set<String>()
            for (k, sel) in p.personalData.enumerated() {
                var namespaces = sel.namespaces.map(\.value)
                if let scope {
                    for n in sel.namespaces where !scope.contains(n.value) {
                        problem(
                            "namespace \(quoted(n.value)) is outside the scope of this policy, which is not in the root namespace \(quoted(root))",
                            n.range, .warning,
                            [Note("a ResidencyPolicy in \(quoted(p.namespace)) covers only that namespace")])
                    }
                    namespaces = namespaces.isEmpty ? Array(scope) : namespaces.filter { scope.contains($0) }
                    if namespaces.isEmpty { continue }
                }
                let selected = select(sel, namespaces: namespaces)
                if selected.isEmpty {
                    problem(
                        "`personalData` entry \(k) selects no workload", sel.range, .warning,
                        [
                            Note(
                                "no Deployment, StatefulSet, DaemonSet, Pod or WorkloadEntry among the inputs matches it"
                            )
                        ])
                }
                personal.formUnion(selected)
            }
            var stops: [String: Int] = [:]
            for (k, proc) in p.processors.enumerated() {
                let id = proc.workload.value
                if mesh.workload(id) == nil {
                    problem(
                        "processor \(quoted(id)) is not a workload among the inputs", proc.workload.range, .warning,
                        [Note("name it `namespace/name` (a Deployment, StatefulSet, DaemonSet, Pod or WorkloadEntry)")])
                    continue
                }
                if personal.contains(id) {
                    problem(
                        "processor \(quoted(id)) is itself selected by `personalData`, so its paths are followed anyway",
                        proc.workload.range, .warning)
                }
                stops[id] = k
            }
            var gateways: [String] = []
            for g in p.ingressGateways {
                let id = g.gateway.value
                guard mesh.resources.gateways.contains(where: { $0.key.qualifiedName == id }) else {
                    problem(
                        "ingress gateway \(quoted(id)) is not a Gateway among the inputs", g.gateway.range, .warning,
                        [Note("name the Gateway resource `namespace/name`")])
                    continue
                }
                // The gateway is a source when its users are ones whose data the policy keeps
                // in (they are in an allowed jurisdiction), or when `serves` is empty.
                let serves = g.serves.map { $0.value.uppercased() }
                let covered =
                    serves.isEmpty
                    || serves.contains { s in
                        s == "EEA" || s == "ADEQUACY" || allowed.codes.contains(s)
                            || catalog.jurisdiction(s).map {
                                $0.status == .eea && allowed.eea || $0.status == .adequacy && allowed.adequacy
                            } ?? false
                    }
                if covered { gateways.append(id) }
            }
            var cp = CompiledPolicy(index: i, policy: p, allowed: allowed, personal: personal, scopeNamespaces: scope)
            cp.stops = stops
            cp.gateways = gateways
            compiled.append(cp)
            report.policies.append(.init(policy: p, allowed: allowed.written, personal: personal.sorted()))
        }
        locator.declarations = declarations
    }

    func isISOShaped(_ s: String) -> Bool { s.count == 2 && s.allSatisfy { $0.isASCII && $0.isUppercase } }

    /// The workloads one `personalData` entry selects: every condition of the entry holds.
    func select(_ sel: ResidencyPolicy.DataSelector, namespaces: [String]) -> Set<String> {
        var out = Set<String>()
        let nsSet = Set(namespaces)
        var behindServices: Set<String>?
        if let s = sel.serviceSelector {
            var ids = Set<String>()
            for svc in mesh.resources.services
            where s.matches(svc.meta.labels) && (nsSet.isEmpty || nsSet.contains(svc.namespace)) {
                for h in mesh.hosts["\(svc.name).\(svc.namespace).svc.\(mesh.config.domainSuffix)"] ?? []
                where h.source == .service(svc.key) {
                    ids.formUnion(h.workloads)
                }
            }
            for se in mesh.resources.serviceEntries
            where s.matches(se.meta.labels) && (nsSet.isEmpty || nsSet.contains(se.namespace)) {
                for host in se.hosts {
                    for h in mesh.hosts[host.value.lowercased()] ?? [] where h.source == .serviceEntry(se.key) {
                        ids.formUnion(h.workloads)
                    }
                }
            }
            behindServices = ids
        }
        for w in mesh.workloads {
            if !nsSet.isEmpty, !nsSet.contains(w.namespace) { continue }
            if let ws = sel.workloadSelector, !ws.matches(w.labels) { continue }
            if let b = behindServices, !b.contains(w.id) { continue }
            out.insert(w.id)
        }
        return out
    }
}
