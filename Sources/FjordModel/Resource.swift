import FjordSource

/// The kinds of resource Fjord understands.
public enum ResourceKind: String, Sendable, Hashable, CaseIterable, Comparable {
    // networking.istio.io
    case virtualService = "VirtualService"
    case destinationRule = "DestinationRule"
    case gateway = "Gateway"
    case serviceEntry = "ServiceEntry"
    case sidecar = "Sidecar"
    case workloadEntry = "WorkloadEntry"
    // security.istio.io
    case peerAuthentication = "PeerAuthentication"
    case authorizationPolicy = "AuthorizationPolicy"
    case requestAuthentication = "RequestAuthentication"
    // core/v1 and apps/v1
    case namespace = "Namespace"
    case service = "Service"
    case pod = "Pod"
    case serviceAccount = "ServiceAccount"
    case node = "Node"
    case configMap = "ConfigMap"
    case deployment = "Deployment"
    case statefulSet = "StatefulSet"
    case daemonSet = "DaemonSet"
    case replicaSet = "ReplicaSet"
    // batch/v1
    case job = "Job"
    case cronJob = "CronJob"
    // fjord.dev
    case residencyPolicy = "ResidencyPolicy"

    public static func < (a: ResourceKind, b: ResourceKind) -> Bool { a.rawValue < b.rawValue }

    /// Whether objects of this kind live in a namespace.
    public var isNamespaced: Bool {
        switch self {
        case .namespace, .node: return false
        default: return true
        }
    }
}

/// `kind namespace/name`: identifies one resource in a mesh.
public struct ResourceKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var kind: ResourceKind
    public var namespace: String
    public var name: String

    public init(kind: ResourceKind, namespace: String, name: String) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
    }

    public static func < (a: ResourceKey, b: ResourceKey) -> Bool {
        (a.kind, a.namespace, a.name) < (b.kind, b.namespace, b.name)
    }

    /// `namespace/name`, or `name` for cluster-scoped kinds.
    public var qualifiedName: String { namespace.isEmpty ? name : "\(namespace)/\(name)" }
    public var description: String { "\(kind.rawValue) \(qualifiedName)" }
}

/// Kubernetes object metadata with positions.
public struct ObjectMeta: Hashable, Sendable {
    public var name: Located<String>
    /// The namespace as written; empty when the document omits it (see `Resource.namespace`).
    public var namespace: Located<String>?
    public var labels: [String: String]
    public var annotations: [String: String]
    /// Ranges of label and annotation entries (key range), for diagnostics.
    @NotCompared public var labelRanges: [String: SourceRange] = [:]
    @NotCompared public var annotationRanges: [String: SourceRange] = [:]
    /// RFC 3339 creation timestamp, used where Istio picks the oldest policy.
    public var creationTimestamp: Located<String>?
    @NotCompared public var range: SourceRange = .synthetic

    public init(
        name: Located<String>, namespace: Located<String>? = nil, labels: [String: String] = [:],
        annotations: [String: String] = [:], creationTimestamp: Located<String>? = nil, range: SourceRange = .synthetic
    ) {
        self.name = name
        self.namespace = namespace
        self.labels = labels
        self.annotations = annotations
        self.creationTimestamp = creationTimestamp
        self.range = range
    }
}

/// Where a resource came from: its document, apiVersion and kind, with ranges.
public struct ResourceOrigin: Hashable, Sendable {
    public var apiVersion: Located<String>
    public var kindRange: SourceRange
    /// The whole document's range.
    public var documentRange: SourceRange
    /// Position of the document among all inputs (file order, then document order); Istio's
    /// "first one wins" rules use it when creation timestamps tie.
    public var sequence: Int

    public init(apiVersion: Located<String>, kindRange: SourceRange, documentRange: SourceRange, sequence: Int) {
        self.apiVersion = apiVersion
        self.kindRange = kindRange
        self.documentRange = documentRange
        self.sequence = sequence
    }

    public static func == (a: ResourceOrigin, b: ResourceOrigin) -> Bool { a.apiVersion == b.apiVersion }
    public func hash(into h: inout Hasher) { h.combine(apiVersion) }
}

/// What every decoded resource shares.
public protocol MeshResource: Sendable {
    static var kind: ResourceKind { get }
    var meta: ObjectMeta { get }
    var origin: ResourceOrigin { get }
    /// The effective namespace: the written one, else the default namespace of the run.
    var namespace: String { get }
}

extension MeshResource {
    public var name: String { meta.name.value }
    public var key: ResourceKey { ResourceKey(kind: Self.kind, namespace: namespace, name: name) }
    /// The range to point at when a finding is about the resource as a whole (its name).
    public var nameRange: SourceRange { meta.name.range.isSynthetic ? origin.documentRange : meta.name.range }
}

/// A label selector: `matchLabels`, plus `matchExpressions` for Kubernetes selectors.
public struct LabelSelector: Hashable, Sendable {
    public struct Requirement: Hashable, Sendable {
        public enum Operator: String, Sendable {
            case `in` = "In", notIn = "NotIn", exists = "Exists", doesNotExist = "DoesNotExist"
        }
        public var key: String
        public var op: Operator
        public var values: [String]
        public init(key: String, op: Operator, values: [String]) {
            self.key = key
            self.op = op
            self.values = values
        }
    }

    public var matchLabels: [String: String]
    public var matchExpressions: [Requirement]
    @NotCompared public var range: SourceRange = .synthetic

    public init(
        matchLabels: [String: String] = [:], matchExpressions: [Requirement] = [], range: SourceRange = .synthetic
    ) {
        self.matchLabels = matchLabels
        self.matchExpressions = matchExpressions
        self.range = range
    }

    /// An empty selector selects everything.
    public var isEmpty: Bool { matchLabels.isEmpty && matchExpressions.isEmpty }

    public func matches(_ labels: [String: String]) -> Bool {
        for (k, v) in matchLabels where labels[k] != v { return false }
        for r in matchExpressions {
            let value = labels[r.key]
            switch r.op {
            case .in: guard let value, r.values.contains(value) else { return false }
            case .notIn: if let value, r.values.contains(value) { return false }
            case .exists: if value == nil { return false }
            case .doesNotExist: if value != nil { return false }
            }
        }
        return true
    }
}

// MARK: Istio's age order

extension MeshResource {
    /// Istio's order where the oldest resource wins (`sortConfigByCreationTime`): creation
    /// timestamp, then name, then namespace. Resources without a timestamp sort first, as in a
    /// cluster they would all carry one; between them the name decides. Used for every
    /// precedence Istio decides by age: PeerAuthentications, DestinationRules for one host,
    /// VirtualServices merged for one host.
    public func isOlder(than other: some MeshResource) -> Bool {
        let ta = meta.creationTimestamp?.value ?? ""
        let tb = other.meta.creationTimestamp?.value ?? ""
        if ta != tb { return ta < tb }
        if name != other.name { return name < other.name }
        return namespace < other.namespace
    }
}

extension Sequence where Element: MeshResource {
    /// The resources in Istio's age order (`isOlder(than:)`), oldest first; resources equal in
    /// all three keep their order. Sorts keys rather than the resources themselves (large
    /// structs: moving them dominated the sort).
    public func oldestFirst() -> [Element] {
        let rs = Array(self)
        let keys = rs.map { ($0.meta.creationTimestamp?.value ?? "", $0.name, $0.namespace) }
        let order = keys.indices.sorted { i, j in
            let a = keys[i]
            let b = keys[j]
            if a.0 != b.0 { return a.0 < b.0 }
            if a.1 != b.1 { return a.1 < b.1 }
            if a.2 != b.2 { return a.2 < b.2 }
            return i < j
        }
        return order.map { rs[$0] }
    }
}
