import FjordSource

public struct PortSpec: Hashable, Sendable {
    public var number: Located<Int>?
    public var `protocol`: Located<String>?
    public var name: Located<String>?
    public var targetPort: Located<Int>?
    @NotCompared public var range: SourceRange = .synthetic
    public init(
        number: Located<Int>?, protocol: Located<String>?, name: Located<String>?, targetPort: Located<Int>? = nil,
        range: SourceRange = .synthetic
    ) {
        self.number = number
        self.protocol = `protocol`
        self.name = name
        self.targetPort = targetPort
        self.range = range
    }
}

/// networking.istio.io Gateway.
public struct Gateway: MeshResource, Hashable {
    public struct Server: Hashable, Sendable {
        public var port: PortSpec?
        public var bind: Located<String>?
        public var hosts: [Located<String>]
        public var tlsMode: Located<String>?
        public var httpsRedirect: Located<Bool>?
        public var credentialName: Located<String>?
        public var name: Located<String>?
        @NotCompared public var range: SourceRange = .synthetic
        public init(port: PortSpec?, hosts: [Located<String>], range: SourceRange = .synthetic) {
            self.port = port
            self.hosts = hosts
            self.range = range
        }
    }
    public static let kind = ResourceKind.gateway
    public var meta: ObjectMeta
    public var origin: ResourceOrigin
    public var namespace: String
    public var selector: [String: String]
    /// Where `selector` is written (synthetic without one).
    @NotCompared public var selectorRange: SourceRange = .synthetic
    public var servers: [Server]
    public init(
        meta: ObjectMeta, origin: ResourceOrigin, namespace: String, selector: [String: String], servers: [Server]
    ) {
        self.meta = meta
        self.origin = origin
        self.namespace = namespace
        self.selector = selector
        self.servers = servers
    }
}

/// The shared shape of a WorkloadEntry spec and a ServiceEntry endpoint.
public struct WorkloadEntrySpec: Hashable, Sendable {
    public var address: Located<String>?
    public var ports: [String: Int]
    public var labels: [String: String]
    public var network: Located<String>?
    /// `region/zone/subzone`, written with slashes.
    public var locality: Located<String>?
    public var weight: Located<Int>?
    public var serviceAccount: Located<String>?
    /// Where each label's key is written.
    @NotCompared public var labelRanges: [String: SourceRange] = [:]
    @NotCompared public var range: SourceRange = .synthetic
    public init(range: SourceRange = .synthetic) {
        self.ports = [:]
        self.labels = [:]
        self.range = range
    }

    /// The endpoint's locality as Istio reads it (`convertWorkloadEntryToWorkloadInstance`,
    /// `convertEndpoint`): `locality` (`region/zone/subzone`, with slashes), else the
    /// `topology.istio.io/locality` label (`region.zone.subzone`, with dots, as label values cannot
    /// hold `/`). `owner` names the resource in the locality's source text.
    public func effectiveLocality(owner: String) -> Locality? {
        if let l = locality, !l.value.isEmpty {
            return Locality.parse(l.value, separator: "/", source: "\(owner) locality", range: l.range)
        }
        let key = "topology.istio.io/locality"
        guard let v = labels[key], !v.isEmpty else { return nil }
        return Locality.parse(
            v, separator: ".", source: "\(owner) label `\(key)`", range: labelRanges[key] ?? range)
    }
}

/// networking.istio.io ServiceEntry.
public struct ServiceEntry: MeshResource, Hashable {
    public enum Location: String, Hashable, Sendable {
        case meshExternal = "MESH_EXTERNAL", meshInternal = "MESH_INTERNAL"
    }
    public enum Resolution: String, Hashable, Sendable {
        case none = "NONE", `static` = "STATIC", dns = "DNS", dnsRoundRobin = "DNS_ROUND_ROBIN"
    }
    public static let kind = ResourceKind.serviceEntry
    public var meta: ObjectMeta
    public var origin: ResourceOrigin
    public var namespace: String
    public var hosts: [Located<String>]
    public var addresses: [Located<String>]
    public var ports: [PortSpec]
    public var location: Located<Location>?
    public var resolution: Located<Resolution>?
    public var endpoints: [WorkloadEntrySpec]
    public var workloadSelector: [String: String]?
    public var exportTo: [Located<String>]
    public init(meta: ObjectMeta, origin: ResourceOrigin, namespace: String) {
        self.meta = meta
        self.origin = origin
        self.namespace = namespace
        self.hosts = []
        self.addresses = []
        self.ports = []
        self.endpoints = []
        self.exportTo = []
    }
    /// MESH_EXTERNAL is the default location.
    public var isExternal: Bool { (location?.value ?? .meshExternal) == .meshExternal }
}

/// networking.istio.io WorkloadEntry.
public struct WorkloadEntry: MeshResource, Hashable {
    public static let kind = ResourceKind.workloadEntry
    public var meta: ObjectMeta
    public var origin: ResourceOrigin
    public var namespace: String
    public var spec: WorkloadEntrySpec
    public init(meta: ObjectMeta, origin: ResourceOrigin, namespace: String, spec: WorkloadEntrySpec) {
        self.meta = meta
        self.origin = origin
        self.namespace = namespace
        self.spec = spec
    }
}

public enum OutboundTrafficMode: String, Hashable, Sendable {
    case allowAny = "ALLOW_ANY", registryOnly = "REGISTRY_ONLY"
}

/// networking.istio.io Sidecar.
public struct Sidecar: MeshResource, Hashable {
    public struct Egress: Hashable, Sendable {
        public var port: PortSpec?
        public var bind: Located<String>?
        public var hosts: [Located<String>]
        @NotCompared public var range: SourceRange = .synthetic
        public init(port: PortSpec?, hosts: [Located<String>], range: SourceRange = .synthetic) {
            self.port = port
            self.hosts = hosts
            self.range = range
        }
    }
    public static let kind = ResourceKind.sidecar
    public var meta: ObjectMeta
    public var origin: ResourceOrigin
    public var namespace: String
    /// `workloadSelector.labels`; nil for a namespace-wide Sidecar.
    public var workloadSelector: [String: String]?
    /// Where `workloadSelector` is written (synthetic without one).
    @NotCompared public var selectorRange: SourceRange = .synthetic
    public var egress: [Egress]
    public var outboundTrafficPolicy: Located<OutboundTrafficMode>?
    public init(
        meta: ObjectMeta, origin: ResourceOrigin, namespace: String, workloadSelector: [String: String]?,
        egress: [Egress], outboundTrafficPolicy: Located<OutboundTrafficMode>?
    ) {
        self.meta = meta
        self.origin = origin
        self.namespace = namespace
        self.workloadSelector = workloadSelector
        self.egress = egress
        self.outboundTrafficPolicy = outboundTrafficPolicy
    }
}
