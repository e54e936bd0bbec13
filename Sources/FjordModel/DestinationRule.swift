import FjordSource

/// networking.istio.io DestinationRule.
public struct DestinationRule: MeshResource, Hashable {
    public static let kind = ResourceKind.destinationRule
    public var meta: ObjectMeta
    public var origin: ResourceOrigin
    public var namespace: String
    public var host: Located<String>
    public var trafficPolicy: TrafficPolicy?
    public var subsets: [Subset]
    public var exportTo: [Located<String>]
    public var workloadSelector: LabelSelector?
    @NotCompared public var specRange: SourceRange = .synthetic

    public init(
        meta: ObjectMeta, origin: ResourceOrigin, namespace: String, host: Located<String>,
        trafficPolicy: TrafficPolicy? = nil, subsets: [Subset] = [], exportTo: [Located<String>] = [],
        workloadSelector: LabelSelector? = nil, specRange: SourceRange = .synthetic
    ) {
        self.meta = meta
        self.origin = origin
        self.namespace = namespace
        self.host = host
        self.trafficPolicy = trafficPolicy
        self.subsets = subsets
        self.exportTo = exportTo
        self.workloadSelector = workloadSelector
        self.specRange = specRange
    }
}

public struct Subset: Hashable, Sendable {
    public var name: Located<String>
    public var labels: [String: String]
    public var trafficPolicy: TrafficPolicy?
    @NotCompared public var range: SourceRange = .synthetic
    public init(
        name: Located<String>, labels: [String: String], trafficPolicy: TrafficPolicy? = nil,
        range: SourceRange = .synthetic
    ) {
        self.name = name
        self.labels = labels
        self.trafficPolicy = trafficPolicy
        self.range = range
    }
}

public struct TrafficPolicy: Hashable, Sendable {
    public var loadBalancer: LoadBalancerSettings?
    public var connectionPool: ConnectionPoolSettings?
    public var outlierDetection: OutlierDetection?
    public var tls: ClientTLSSettings?
    public var portLevelSettings: [PortTrafficPolicy]
    public var tunnel: Located<String>?
    public var proxyProtocol: Located<String>?
    @NotCompared public var range: SourceRange = .synthetic
    public init(range: SourceRange = .synthetic) {
        self.portLevelSettings = []
        self.range = range
    }
}

public struct PortTrafficPolicy: Hashable, Sendable {
    public var port: Located<Int>?
    public var loadBalancer: LoadBalancerSettings?
    public var connectionPool: ConnectionPoolSettings?
    public var outlierDetection: OutlierDetection?
    public var tls: ClientTLSSettings?
    @NotCompared public var range: SourceRange = .synthetic
    public init(range: SourceRange = .synthetic) { self.range = range }
}

public struct LoadBalancerSettings: Hashable, Sendable {
    public enum Simple: String, Hashable, Sendable, CaseIterable {
        case unspecified = "UNSPECIFIED", leastConn = "LEAST_CONN", random = "RANDOM", passthrough = "PASSTHROUGH"
        case roundRobin = "ROUND_ROBIN", leastRequest = "LEAST_REQUEST"
    }
    public struct ConsistentHash: Hashable, Sendable {
        public enum Key: Hashable, Sendable {
            case header(String)
            case cookie(name: String, path: String?, ttl: Duration?)
            case sourceIP
            case queryParameter(String)
        }
        public var key: Key?
        public var minimumRingSize: Located<Int>?
        public var maglevTableSize: Located<Int>?
        @NotCompared public var range: SourceRange = .synthetic
        public init(key: Key?, range: SourceRange = .synthetic) {
            self.key = key
            self.range = range
        }
    }
    public var simple: Located<Simple>?
    public var consistentHash: ConsistentHash?
    public var localityLbSetting: LocalityLoadBalancerSetting?
    public var warmupDuration: Located<Duration>?
    public var warmup: Warmup?
    public struct Warmup: Hashable, Sendable {
        public var duration: Located<Duration>?
        public var minimumPercent: Located<Double>?
        public var aggression: Located<Double>?
        @NotCompared public var range: SourceRange = .synthetic
        public init(range: SourceRange = .synthetic) { self.range = range }
    }
    @NotCompared public var range: SourceRange = .synthetic
    public init(range: SourceRange = .synthetic) { self.range = range }
}

public struct LocalityLoadBalancerSetting: Hashable, Sendable {
    public struct Distribute: Hashable, Sendable {
        public var from: Located<String>
        public var to: [(locality: Located<String>, weight: Int)]
        @NotCompared public var range: SourceRange = .synthetic
        public init(
            from: Located<String>, to: [(locality: Located<String>, weight: Int)], range: SourceRange = .synthetic
        ) {
            self.from = from
            self.to = to
            self.range = range
        }
        public static func == (a: Distribute, b: Distribute) -> Bool {
            a.from == b.from && a.to.elementsEqual(b.to, by: { $0.locality == $1.locality && $0.weight == $1.weight })
        }
        public func hash(into h: inout Hasher) {
            h.combine(from)
            for t in to {
                h.combine(t.locality)
                h.combine(t.weight)
            }
        }
    }
    public struct Failover: Hashable, Sendable {
        public var from: Located<String>
        public var to: Located<String>
        @NotCompared public var range: SourceRange = .synthetic
        public init(from: Located<String>, to: Located<String>, range: SourceRange = .synthetic) {
            self.from = from
            self.to = to
            self.range = range
        }
    }
    public var distribute: [Distribute]
    public var failover: [Failover]
    public var failoverPriority: [Located<String>]
    public var enabled: Located<Bool>?
    @NotCompared public var range: SourceRange = .synthetic
    public init(range: SourceRange = .synthetic) {
        self.distribute = []
        self.failover = []
        self.failoverPriority = []
        self.range = range
    }
}

public struct ConnectionPoolSettings: Hashable, Sendable {
    public struct TCP: Hashable, Sendable {
        public var maxConnections: Located<Int>?
        public var connectTimeout: Located<Duration>?
        public var maxConnectionDuration: Located<Duration>?
        public var idleTimeout: Located<Duration>?
        @NotCompared public var range: SourceRange = .synthetic
        public init(range: SourceRange = .synthetic) { self.range = range }
    }
    public struct HTTP: Hashable, Sendable {
        public var http1MaxPendingRequests: Located<Int>?
        public var http2MaxRequests: Located<Int>?
        public var maxRequestsPerConnection: Located<Int>?
        public var maxRetries: Located<Int>?
        public var idleTimeout: Located<Duration>?
        public var h2UpgradePolicy: Located<String>?
        public var useClientProtocol: Located<Bool>?
        public var maxConcurrentStreams: Located<Int>?
        @NotCompared public var range: SourceRange = .synthetic
        public init(range: SourceRange = .synthetic) { self.range = range }
    }
    public var tcp: TCP?
    public var http: HTTP?
    @NotCompared public var range: SourceRange = .synthetic
    public init(tcp: TCP? = nil, http: HTTP? = nil, range: SourceRange = .synthetic) {
        self.tcp = tcp
        self.http = http
        self.range = range
    }
}

public struct OutlierDetection: Hashable, Sendable {
    public var splitExternalLocalOriginErrors: Located<Bool>?
    public var consecutiveLocalOriginFailures: Located<Int>?
    public var consecutiveGatewayErrors: Located<Int>?
    public var consecutive5xxErrors: Located<Int>?
    public var consecutiveErrors: Located<Int>?
    public var interval: Located<Duration>?
    public var baseEjectionTime: Located<Duration>?
    public var maxEjectionPercent: Located<Int>?
    public var minHealthPercent: Located<Int>?
    @NotCompared public var range: SourceRange = .synthetic
    public init(range: SourceRange = .synthetic) { self.range = range }
}

public struct ClientTLSSettings: Hashable, Sendable {
    public enum Mode: String, Hashable, Sendable, CaseIterable {
        case disable = "DISABLE", simple = "SIMPLE", mutual = "MUTUAL", istioMutual = "ISTIO_MUTUAL"
    }
    public var mode: Located<Mode>?
    public var clientCertificate: Located<String>?
    public var privateKey: Located<String>?
    public var caCertificates: Located<String>?
    public var credentialName: Located<String>?
    public var subjectAltNames: [Located<String>]
    public var sni: Located<String>?
    public var insecureSkipVerify: Located<Bool>?
    @NotCompared public var range: SourceRange = .synthetic
    public init(range: SourceRange = .synthetic) {
        self.subjectAltNames = []
        self.range = range
    }
}
