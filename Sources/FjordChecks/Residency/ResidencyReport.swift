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
