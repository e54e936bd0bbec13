/// The compiled routing tables of a mesh as plain data: what the decision compiler produces and
/// what the binary table image (`TableImage`) stores. See `docs/table-format.md` for the byte
/// layout and `docs/architecture.md` for how lookup walks it.
///
/// Indexes are into the arrays of this program. A lookup goes:
/// scope -> listener (port) -> host map (authority) -> virtual host -> route table ->
/// segments (decision diagrams over request attributes) -> slot -> action and rule.
public struct TableProgram: Hashable, Sendable {
    /// Deduplicated strings; everything else refers to them by index.
    public var strings: [String] = []
    public var scopes: [Scope] = []
    public var hostMaps: [HostMap] = []
    public var virtualHosts: [VirtualHost] = []
    public var routeTables: [RouteTable] = []
    public var classifiers: [Classifier] = []
    /// Decision nodes of every route table. A node's children that are nodes have smaller
    /// indexes than the node itself (diagrams are emitted bottom-up), which makes every diagram
    /// acyclic by construction; the image loader refuses anything else.
    public var nodes: [Node] = []
    public var actions: [ActionRecord] = []
    public var rules: [RuleRef] = []
    /// DestinationRule policies for upstream clusters, for the proxy.
    public var clusters: [ClusterPolicy] = []
    /// Free-form provenance: compiler version, input digest, creation time.
    public var metadata: [HeaderPair] = []

    public init() {}

    /// Interns a string.
    public mutating func intern(_ s: String, index: inout [String: UInt32]) -> UInt32 {
        if let i = index[s] { return i }
        let i = UInt32(strings.count)
        strings.append(s)
        index[s] = i
        return i
    }

    // MARK: Scopes and listeners

    public enum ScopeKind: UInt8, Hashable, Sendable { case sidecar = 0, gateway = 1 }

    public struct Scope: Hashable, Sendable {
        public var kind: ScopeKind
        /// `namespace/name` of the workload or Gateway.
        public var name: UInt32
        /// The proxy's namespace (short host names resolve in it).
        public var namespace: UInt32
        /// Sorted by port, strictly increasing.
        public var listeners: [Listener]
        /// What a request to a port without a listener gets: sidecars forward it
        /// (`allowAny`, outcome `passthrough`) or refuse it (`registryOnly`, `blackhole`), as the
        /// reference semantics does for a listener that knows no host. The scope's Sidecar
        /// resource's policy, else the mesh's. Gateways ignore it (unknown hosts get 404).
        public var outboundPolicy: OutboundPolicy
        public init(
            kind: ScopeKind, name: UInt32, namespace: UInt32, listeners: [Listener],
            outboundPolicy: OutboundPolicy = .allowAny
        ) {
            self.kind = kind
            self.name = name
            self.namespace = namespace
            self.listeners = listeners
            self.outboundPolicy = outboundPolicy
        }
    }

    public enum OutboundPolicy: UInt8, Hashable, Sendable { case allowAny = 0, registryOnly = 1 }

    public struct Listener: Hashable, Sendable {
        public var port: UInt32
        /// The shared host map.
        public var hostMap: UInt32
        /// A per-scope host map consulted first (hosts whose routing differs for this proxy,
        /// or that it must not see: an entry with `hiddenVirtualHost`).
        public var overlay: UInt32?
        public var outboundPolicy: OutboundPolicy
        /// The cluster domain suffix (`cluster.local`).
        public var domainSuffix: UInt32
        public init(
            port: UInt32, hostMap: UInt32, overlay: UInt32?, outboundPolicy: OutboundPolicy, domainSuffix: UInt32
        ) {
            self.port = port
            self.hostMap = hostMap
            self.overlay = overlay
            self.outboundPolicy = outboundPolicy
            self.domainSuffix = domainSuffix
        }
    }

    /// A host map entry pointing here hides the host (an overlay removing a base entry).
    public static let hiddenVirtualHost = UInt32.max

    public struct HostEntry: Hashable, Sendable {
        /// Lowercase host (`reviews.default.svc.cluster.local`) or wildcard (`*.example.com`, `*`).
        public var host: UInt32
        public var virtualHost: UInt32
        public init(host: UInt32, virtualHost: UInt32) {
            self.host = host
            self.virtualHost = virtualHost
        }
    }

    public struct HostMap: Hashable, Sendable {
        public var exact: [HostEntry]
        /// Wildcard entries; lookup prefers the longest matching suffix, `*` last.
        public var wildcards: [HostEntry]
        public init(exact: [HostEntry] = [], wildcards: [HostEntry] = []) {
            self.exact = exact
            self.wildcards = wildcards
        }
    }

    public enum VirtualHostKind: UInt8, Hashable, Sendable {
        /// No VirtualService: route to the host itself on the listener port.
        case defaultRoute = 0
        /// Route with `routeTable`; no match gives 404.
        case rules = 1
        /// Every request gets 404 (a gateway host without routes).
        case noRoute = 2
    }

    public struct VirtualHost: Hashable, Sendable {
        public var host: UInt32
        public var kind: VirtualHostKind
        public var routeTable: UInt32
        /// Gateways: redirect plain HTTP to HTTPS before routing.
        public var httpsRedirect: Bool
        public init(host: UInt32, kind: VirtualHostKind, routeTable: UInt32, httpsRedirect: Bool) {
            self.host = host
            self.kind = kind
            self.routeTable = routeTable
            self.httpsRedirect = httpsRedirect
        }
    }

    // MARK: Route tables and decision diagrams

    public enum AttributeKind: UInt8, Hashable, Sendable {
        /// The path without query string or fragment (`exact` and `regex` uri matches).
        case path = 0
        /// The path with its query string, without fragment (`prefix` uri matches).
        case pathWithQuery = 1
        case method = 2
        case scheme = 3
        /// The `Host`/`:authority` header as sent.
        case authority = 4
        /// A request header by lowercase name (repeated headers joined with `,`); absent when
        /// the request lacks it.
        case header = 5
        /// A query parameter by name, percent-decoded; `""` for `?name`; absent when missing.
        case query = 6
    }

    public struct Attribute: Hashable, Sendable {
        public var kind: AttributeKind
        /// Header or query parameter name (`header`, `query`); else unused (0).
        public var name: UInt32
        public var classifier: UInt32
        public init(kind: AttributeKind, name: UInt32 = 0, classifier: UInt32) {
            self.kind = kind
            self.name = name
            self.classifier = classifier
        }
    }

    /// What a leaf of a route table's diagrams selects.
    public struct Slot: Hashable, Sendable {
        /// Index into `actions`.
        public var action: UInt32
        /// Index into `rules`, or `UInt32.max` when the slot has no rule reference.
        public var rule: UInt32
        public init(action: UInt32, rule: UInt32) {
            self.action = action
            self.rule = rule
        }
    }

    public struct RouteTable: Hashable, Sendable {
        /// The attributes the diagrams test (node attribute indexes point here).
        public var attributes: [Attribute]
        /// Roots of the segment diagrams. The decision is the smallest slot any segment
        /// reaches (slots are in first-match order), or no match when none does.
        public var segments: [NodeRef]
        /// Slot k: the k-th rule (in first-match order) of the table.
        public var slots: [Slot]
        public init(attributes: [Attribute], segments: [NodeRef], slots: [Slot]) {
            self.attributes = attributes
            self.segments = segments
            self.slots = slots
        }
    }

    /// A reference to a diagram node or a leaf.
    public struct NodeRef: Hashable, Sendable, CustomStringConvertible {
        public var raw: UInt32
        public init(raw: UInt32) { self.raw = raw }
        public static let leafBit: UInt32 = 0x8000_0000
        public static let noMatch = NodeRef(raw: 0xFFFF_FFFF)
        public static func node(_ i: UInt32) -> NodeRef { NodeRef(raw: i) }
        public static func leaf(slot: UInt32) -> NodeRef { NodeRef(raw: leafBit | slot) }
        public var isLeaf: Bool { raw & Self.leafBit != 0 }
        public var isNoMatch: Bool { raw == Self.noMatch.raw }
        /// The slot of a leaf that is not `noMatch`.
        public var slot: UInt32 { raw & ~Self.leafBit }
        public var nodeIndex: UInt32 { raw }
        public var description: String { isNoMatch ? "none" : isLeaf ? "slot \(slot)" : "node \(raw)" }
    }

    /// A decision node: classify the value of one attribute, follow the class's child.
    public struct Node: Hashable, Sendable {
        /// Index into the route table's `attributes`.
        public var attribute: UInt16
        /// Children by class id, when stored densely (count == the classifier's class count).
        public var dense: [NodeRef]
        /// Otherwise: `fallback` for every class not listed in `sparse` (sorted by class).
        public var fallback: NodeRef
        public var sparse: [SparseChild]
        public init(attribute: UInt16, dense: [NodeRef]) {
            self.attribute = attribute
            self.dense = dense
            self.fallback = .noMatch
            self.sparse = []
        }
        public init(attribute: UInt16, fallback: NodeRef, sparse: [SparseChild]) {
            self.attribute = attribute
            self.dense = []
            self.fallback = fallback
            self.sparse = sparse
        }
        public var isDense: Bool { !dense.isEmpty }
        /// The child for a class.
        public func child(_ c: UInt32) -> NodeRef {
            if isDense { return Int(c) < dense.count ? dense[Int(c)] : .noMatch }
            var lo = 0
            var hi = sparse.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if sparse[mid].classID < c { lo = mid + 1 } else { hi = mid }
            }
            return lo < sparse.count && sparse[lo].classID == c ? sparse[lo].child : fallback
        }
    }

    public struct SparseChild: Hashable, Sendable {
        public var classID: UInt32
        public var child: NodeRef
        public init(classID: UInt32, child: NodeRef) {
            self.classID = classID
            self.child = child
        }
    }

    // MARK: Classifiers

    /// Maps an attribute value (or its absence) to a class id in `0..<classCount`. Every value
    /// of a class satisfies the same predicates, so a node can branch on classes.
    public struct Classifier: Hashable, Sendable {
        public enum Kind: Hashable, Sendable {
            /// Exact values only: a hash lookup; values not listed get `otherClass`.
            case exact(entries: [ExactEntry], otherClass: UInt32)
            /// A DFA over bytes with byte classes and a dense transition table.
            case dense(DenseDFA)
            /// A DFA with sorted byte-range edges per state (large trie-like automata).
            case sparse(SparseDFA)
        }
        public var kind: Kind
        public var classCount: UInt32
        /// The class of an absent value (a header or query parameter the request lacks).
        public var absentClass: UInt32
        public init(kind: Kind, classCount: UInt32, absentClass: UInt32) {
            self.kind = kind
            self.classCount = classCount
            self.absentClass = absentClass
        }
    }

    public struct ExactEntry: Hashable, Sendable {
        public var value: UInt32
        public var classID: UInt32
        /// Compare ASCII case-insensitively.
        public var caseInsensitive: Bool
        public init(value: UInt32, classID: UInt32, caseInsensitive: Bool = false) {
            self.value = value
            self.classID = classID
            self.caseInsensitive = caseInsensitive
        }
    }

    /// State 0 is the dead state. The class of an input is `stateClass[final state]`.
    public struct DenseDFA: Hashable, Sendable {
        /// 256 entries: byte -> byte class.
        public var byteClasses: [UInt8]
        public var byteClassCount: UInt32
        public var start: UInt32
        /// `stateCount * byteClassCount` entries, row-major.
        public var transitions: [UInt32]
        public var stateClass: [UInt32]
        public init(
            byteClasses: [UInt8], byteClassCount: UInt32, start: UInt32, transitions: [UInt32], stateClass: [UInt32]
        ) {
            self.byteClasses = byteClasses
            self.byteClassCount = byteClassCount
            self.start = start
            self.transitions = transitions
            self.stateClass = stateClass
        }
        public var stateCount: Int { stateClass.count }
    }

    /// State 0 is the dead state. Each state's edges are sorted, disjoint byte ranges; a byte
    /// no edge covers leads to the dead state.
    public struct SparseDFA: Hashable, Sendable {
        public struct State: Hashable, Sendable {
            public var firstEdge: UInt32
            public var edgeCount: UInt32
            public var classID: UInt32
            public init(firstEdge: UInt32, edgeCount: UInt32, classID: UInt32) {
                self.firstEdge = firstEdge
                self.edgeCount = edgeCount
                self.classID = classID
            }
        }
        public struct Edge: Hashable, Sendable {
            public var lo: UInt8
            public var hi: UInt8
            public var target: UInt32
            public init(lo: UInt8, hi: UInt8, target: UInt32) {
                self.lo = lo
                self.hi = hi
                self.target = target
            }
        }
        public var start: UInt32
        public var states: [State]
        public var edges: [Edge]
        public init(start: UInt32, states: [State], edges: [Edge]) {
            self.start = start
            self.states = states
            self.edges = edges
        }
    }

    // MARK: Cluster policies (DestinationRule), for the proxy

    public enum LoadBalancer: UInt8, Hashable, Sendable {
        case roundRobin = 0, leastRequest = 1, random = 2, passthrough = 3
        case hashHeader = 4, hashCookie = 5, hashSourceIP = 6, hashQuery = 7
    }

    public enum TLSMode: UInt8, Hashable, Sendable {
        case unset = 0, disable = 1, simple = 2, mutual = 3, istioMutual = 4
    }

    public struct ClusterPolicy: Hashable, Sendable {
        public var host: UInt32
        /// `UInt32.max` when the policy is for every subset.
        public var subset: UInt32
        /// 0 when for every port.
        public var port: UInt32
        /// The subset's label selector, as (key, value) string indexes.
        public var subsetLabels: [RegionPair]
        public var loadBalancer: LoadBalancer
        /// Header, cookie or query parameter name for hash balancing (`UInt32.max`: none).
        public var hashKey: UInt32
        public var maxConnections: UInt32?
        public var maxPendingRequests: UInt32?
        public var maxRequestsPerConnection: UInt32?
        public var connectTimeoutMs: UInt32?
        public var idleTimeoutMs: UInt32?
        public var consecutive5xxErrors: UInt32?
        public var consecutiveGatewayErrors: UInt32?
        public var outlierIntervalMs: UInt32?
        public var baseEjectionTimeMs: UInt32?
        public var maxEjectionPercent: UInt32?
        /// Locality failover: `from` region -> `to` region, in order.
        public var failover: [RegionPair]
        /// Label keys (string indexes) for priority-based failover, in order.
        public var failoverPriority: [UInt32]
        public var tls: TLSMode
        public init(host: UInt32, subset: UInt32 = .max, port: UInt32 = 0) {
            self.host = host
            self.subset = subset
            self.port = port
            self.subsetLabels = []
            self.loadBalancer = .roundRobin
            self.hashKey = .max
            self.failover = []
            self.failoverPriority = []
            self.tls = .unset
        }
    }

    public struct RegionPair: Hashable, Sendable {
        public var from: UInt32
        public var to: UInt32
        public init(from: UInt32, to: UInt32) {
            self.from = from
            self.to = to
        }
    }
}
