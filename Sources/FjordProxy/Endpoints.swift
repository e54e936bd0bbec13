import FjordTable

/// Where a workload runs: `region/zone/subzone`, any part possibly empty.
public struct Locality: Hashable, Sendable, CustomStringConvertible {
    public var region: String
    public var zone: String
    public var subzone: String

    public init(region: String = "", zone: String = "", subzone: String = "") {
        self.region = region
        self.zone = zone
        self.subzone = subzone
    }

    /// `region/zone/subzone` (Istio's `topology.istio.io/locality` uses dots; both are accepted).
    public init(parsing s: String) {
        let sep: Character = s.contains("/") ? "/" : "."
        let parts = s.split(separator: sep, omittingEmptySubsequences: false).map(String.init)
        self.init(
            region: parts.count > 0 ? parts[0] : "", zone: parts.count > 1 ? parts[1] : "",
            subzone: parts.count > 2 ? parts[2] : "")
    }

    public var isEmpty: Bool { region.isEmpty && zone.isEmpty && subzone.isEmpty }
    public var description: String { [region, zone, subzone].joined(separator: "/") }
}

/// One upstream address for a service, from the endpoints file (or DNS).
public struct EndpointSpec: Hashable, Sendable {
    /// An IP address or a DNS name.
    public var address: String
    public var port: Int
    public var labels: [String: String]
    public var locality: Locality

    public init(address: String, port: Int, labels: [String: String] = [:], locality: Locality = Locality()) {
        self.address = address
        self.port = port
        self.labels = labels
        self.locality = locality
    }

    public var hostPort: String { address.contains(":") ? "[\(address)]:\(port)" : "\(address):\(port)" }
}

/// The endpoints of every service the proxy knows by host and port: what `endpoints.yaml` says.
/// A host or port without an entry resolves by DNS (the host name itself, on the port asked for).
public struct EndpointDirectory: Hashable, Sendable {
    public struct ServiceKey: Hashable, Sendable {
        public var host: String
        /// 0: any port.
        public var port: Int
        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }
    }

    public var services: [ServiceKey: [EndpointSpec]]

    public init(services: [ServiceKey: [EndpointSpec]] = [:]) { self.services = services }

    /// The endpoints for a host and port: an entry for that port, else one for any port (whose
    /// endpoints keep their own ports), else nil.
    public func endpoints(host: String, port: Int) -> [EndpointSpec]? {
        if let e = services[ServiceKey(host: host, port: port)] { return e }
        return services[ServiceKey(host: host, port: 0)]
    }
}

/// Names an upstream cluster as Envoy does (`outbound|port|subset|host`).
public struct ClusterKey: Hashable, Sendable, CustomStringConvertible {
    public var host: String
    public var subset: String?
    public var port: Int

    public init(host: String, subset: String?, port: Int) {
        self.host = host
        self.subset = subset
        self.port = port
    }

    public var description: String { "outbound|\(port)|\(subset ?? "")|\(host)" }
}

/// The DestinationRule settings of one cluster, with strings resolved.
public struct ClusterSettings: Hashable, Sendable {
    public var loadBalancer: TableProgram.LoadBalancer = .roundRobin
    /// Header (lowercase), cookie or query parameter name for hash balancing.
    public var hashKey: String?
    public var subsetLabels: [String: String] = [:]
    /// The subset was named by a route but no DestinationRule defines it: no endpoints (503 NR).
    public var undefinedSubset = false
    public var maxConnections: Int?
    public var maxPendingRequests: Int?
    public var maxRequestsPerConnection: Int?
    public var connectTimeoutMs: Int?
    public var idleTimeoutMs: Int?
    public var outlier: OutlierSettings?
    /// Locality failover `from` region -> `to` region.
    public var failover: [(from: String, to: String)] = []
    public var failoverPriority: [String] = []

    public init() {}

    public static func == (a: ClusterSettings, b: ClusterSettings) -> Bool {
        a.loadBalancer == b.loadBalancer && a.hashKey == b.hashKey && a.subsetLabels == b.subsetLabels
            && a.undefinedSubset == b.undefinedSubset
            && a.maxConnections == b.maxConnections && a.maxPendingRequests == b.maxPendingRequests
            && a.maxRequestsPerConnection == b.maxRequestsPerConnection && a.connectTimeoutMs == b.connectTimeoutMs
            && a.idleTimeoutMs == b.idleTimeoutMs && a.outlier == b.outlier
            && a.failover.map { $0.from + "\u{0}" + $0.to } == b.failover.map { $0.from + "\u{0}" + $0.to }
            && a.failoverPriority == b.failoverPriority
    }

    public func hash(into h: inout Hasher) {
        h.combine(loadBalancer)
        h.combine(hashKey)
        h.combine(subsetLabels)
        h.combine(maxConnections)
    }
}

/// Outlier detection as Istio defaults it: 5 consecutive 5xx, gateway errors off, 30 s base
/// ejection, at most 10 % of the hosts (but always at least one).
public struct OutlierSettings: Hashable, Sendable {
    public var consecutive5xx: Int? = 5
    public var consecutiveGatewayErrors: Int?
    public var intervalMs: Int = 10_000
    public var baseEjectionMs: Int = 30_000
    public var maxEjectionPercent: Int = 10
    public init() {}
}

extension ClusterSettings {
    /// Resolves the policy for `key` from the image: the subset's entry, else the port's, else
    /// the host's, else defaults.
    public init(image: TableImage, key: ClusterKey, index: ClusterPolicyIndex) {
        self.init()
        let policy = index.policy(host: key.host, subset: key.subset, port: key.port)
        if key.subset != nil, policy?.subset == UInt32.max || policy == nil { undefinedSubset = true }
        guard let p = policy else { return }
        loadBalancer = p.loadBalancer
        hashKey = image.programString(p.hashKey)
        for pair in p.subsetLabels {
            if let k = image.programString(pair.from), let v = image.programString(pair.to) { subsetLabels[k] = v }
        }
        maxConnections = p.maxConnections.map { Int($0) }
        maxPendingRequests = p.maxPendingRequests.map { Int($0) }
        maxRequestsPerConnection = p.maxRequestsPerConnection.map { Int($0) }
        connectTimeoutMs = p.connectTimeoutMs.map { Int($0) }
        idleTimeoutMs = p.idleTimeoutMs.map { Int($0) }
        if p.consecutive5xxErrors != nil || p.consecutiveGatewayErrors != nil || p.outlierIntervalMs != nil
            || p.baseEjectionTimeMs != nil
            || p.maxEjectionPercent != nil
        {
            var o = OutlierSettings()
            // An explicit zero turns a counter off (Istio: `consecutive5xxErrors: 0` disables it).
            if let v = p.consecutive5xxErrors { o.consecutive5xx = v == 0 ? nil : Int(v) }
            if let v = p.consecutiveGatewayErrors { o.consecutiveGatewayErrors = v == 0 ? nil : Int(v) }
            if let v = p.outlierIntervalMs { o.intervalMs = Int(v) }
            if let v = p.baseEjectionTimeMs { o.baseEjectionMs = Int(v) }
            if let v = p.maxEjectionPercent { o.maxEjectionPercent = Int(v) }
            outlier = o
        }
        failover = p.failover.compactMap { pair in
            guard let f = image.programString(pair.from), let t = image.programString(pair.to) else { return nil }
            return (f, t)
        }
        failoverPriority = p.failoverPriority.compactMap { image.programString($0) }
    }
}

/// The image's cluster policies by host, read once per loaded image.
public struct ClusterPolicyIndex: Sendable {
    struct Entry: Sendable {
        var subset: String?
        var port: Int
        var policy: TableProgram.ClusterPolicy
    }
    var byHost: [String: [Entry]] = [:]

    public init(image: TableImage) {
        for i in 0..<image.clusterCount {
            let p = image.clusterPolicy(i)
            guard let host = image.programString(p.host) else { continue }
            byHost[host, default: []].append(Entry(subset: image.programString(p.subset), port: Int(p.port), policy: p))
        }
    }

    /// The most specific policy: the subset's, else the port's, else the host's.
    public func policy(host: String, subset: String?, port: Int) -> TableProgram.ClusterPolicy? {
        guard let entries = byHost[host] else { return nil }
        if let subset, let e = entries.first(where: { $0.subset == subset }) { return e.policy }
        if let e = entries.first(where: { $0.subset == nil && $0.port == port && port != 0 }) { return e.policy }
        return entries.first(where: { $0.subset == nil && $0.port == 0 })?.policy
    }

    public var isEmpty: Bool { byHost.isEmpty }
}
