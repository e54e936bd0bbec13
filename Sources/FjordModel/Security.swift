import FjordSource

public enum MTLSMode: String, Hashable, Sendable, CaseIterable {
    case unset = "UNSET", disable = "DISABLE", permissive = "PERMISSIVE", strict = "STRICT"
}

/// security.istio.io PeerAuthentication.
public struct PeerAuthentication: MeshResource, Hashable {
    public static let kind = ResourceKind.peerAuthentication
    public var meta: ObjectMeta
    public var origin: ResourceOrigin
    public var namespace: String
    /// `selector.matchLabels`; nil without a selector (namespace or mesh level).
    public var selector: [String: String]?
    @NotCompared public var selectorRange: SourceRange = .synthetic
    /// `mtls.mode`; nil when `mtls` is absent (which Istio treats as UNSET).
    public var mode: Located<MTLSMode>?
    /// `portLevelMtls`: port -> mode.
    public var portLevelMtls: [(port: Located<Int>, mode: Located<MTLSMode>)]
    /// `portLevelMtls` keys that are not numbers, as written.
    public var invalidPortKeys: [Located<String>] = []
    @NotCompared public var portLevelRange: SourceRange = .synthetic

    public init(
        meta: ObjectMeta, origin: ResourceOrigin, namespace: String, selector: [String: String]?,
        mode: Located<MTLSMode>?, portLevelMtls: [(port: Located<Int>, mode: Located<MTLSMode>)]
    ) {
        self.meta = meta
        self.origin = origin
        self.namespace = namespace
        self.selector = selector
        self.mode = mode
        self.portLevelMtls = portLevelMtls
    }

    public static func == (a: PeerAuthentication, b: PeerAuthentication) -> Bool {
        a.meta == b.meta && a.namespace == b.namespace && a.selector == b.selector && a.mode == b.mode
            && a.portLevelMtls.elementsEqual(b.portLevelMtls, by: { $0.port == $1.port && $0.mode == $1.mode })
    }

    public func hash(into h: inout Hasher) {
        h.combine(meta)
        h.combine(namespace)
        h.combine(selector)
        h.combine(mode)
    }
}

/// security.istio.io AuthorizationPolicy, complete as Istio documents it (v1 and v1beta1).
/// Every node keeps its source range; `docs/authorization.md` states what Fjord evaluates.
public struct AuthorizationPolicy: MeshResource, Hashable {
    public enum Action: String, Hashable, Sendable {
        case allow = "ALLOW", deny = "DENY", audit = "AUDIT", custom = "CUSTOM"
    }
    /// `from[].source`: within one field the values are ORed, the fields are ANDed.
    public struct Source: Hashable, Sendable {
        public var principals: [Located<String>]
        public var namespaces: [Located<String>]
        public var notPrincipals: [Located<String>]
        public var notNamespaces: [Located<String>]
        public var requestPrincipals: [Located<String>] = []
        public var notRequestPrincipals: [Located<String>] = []
        public var ipBlocks: [Located<String>] = []
        public var notIpBlocks: [Located<String>] = []
        public var remoteIpBlocks: [Located<String>] = []
        public var notRemoteIpBlocks: [Located<String>] = []
        public var serviceAccounts: [Located<String>] = []
        public var notServiceAccounts: [Located<String>] = []
        @NotCompared public var range: SourceRange = .synthetic
        public init(
            principals: [Located<String>] = [], namespaces: [Located<String>] = [],
            notPrincipals: [Located<String>] = [],
            notNamespaces: [Located<String>] = [], range: SourceRange = .synthetic
        ) {
            self.principals = principals
            self.namespaces = namespaces
            self.notPrincipals = notPrincipals
            self.notNamespaces = notNamespaces
            self.range = range
        }

        /// The fields that need the peer's mTLS identity (they never match a plaintext peer).
        public var identityValues: [Located<String>] {
            principals + namespaces + serviceAccounts
        }
    }
    /// `to[].operation`.
    public struct Operation: Hashable, Sendable {
        public var hosts: [Located<String>]
        public var ports: [Located<String>]
        public var methods: [Located<String>]
        public var paths: [Located<String>]
        public var notHosts: [Located<String>] = []
        public var notPorts: [Located<String>] = []
        public var notMethods: [Located<String>] = []
        public var notPaths: [Located<String>] = []
        @NotCompared public var range: SourceRange = .synthetic
        public init(
            hosts: [Located<String>] = [], ports: [Located<String>] = [], methods: [Located<String>] = [],
            paths: [Located<String>] = [], range: SourceRange = .synthetic
        ) {
            self.hosts = hosts
            self.ports = ports
            self.methods = methods
            self.paths = paths
            self.range = range
        }

        /// Whether the operation uses fields only an HTTP request has.
        public var hasHTTPFields: Bool {
            !(hosts.isEmpty && notHosts.isEmpty && methods.isEmpty && notMethods.isEmpty && paths.isEmpty
                && notPaths.isEmpty)
        }
    }
    /// `when[]`: a condition on one attribute key.
    public struct Condition: Hashable, Sendable {
        public var key: Located<String>
        public var values: [Located<String>]
        public var notValues: [Located<String>]
        @NotCompared public var range: SourceRange = .synthetic
        public init(
            key: Located<String>, values: [Located<String>] = [], notValues: [Located<String>] = [],
            range: SourceRange = .synthetic
        ) {
            self.key = key
            self.values = values
            self.notValues = notValues
            self.range = range
        }
    }
    public struct Rule: Hashable, Sendable {
        public var from: [Source]
        public var to: [Operation]
        public var when: [Condition] = []
        @NotCompared public var range: SourceRange = .synthetic
        public init(from: [Source], to: [Operation], when: [Condition] = [], range: SourceRange = .synthetic) {
            self.from = from
            self.to = to
            self.when = when
            self.range = range
        }
    }
    /// One of `targetRef` / `targetRefs` (a Gateway, GatewayClass, Service or ServiceEntry).
    public struct TargetRef: Hashable, Sendable {
        public var group: Located<String>?
        public var kind: Located<String>?
        public var name: Located<String>?
        public var namespace: Located<String>?
        @NotCompared public var range: SourceRange = .synthetic
        public init(
            group: Located<String>? = nil, kind: Located<String>? = nil, name: Located<String>? = nil,
            namespace: Located<String>? = nil, range: SourceRange = .synthetic
        ) {
            self.group = group
            self.kind = kind
            self.name = name
            self.namespace = namespace
            self.range = range
        }
    }
    public static let kind = ResourceKind.authorizationPolicy
    public var meta: ObjectMeta
    public var origin: ResourceOrigin
    public var namespace: String
    public var selector: [String: String]?
    /// Where `selector` is written (synthetic without one).
    @NotCompared public var selectorRange: SourceRange = .synthetic
    /// `targetRef` (deprecated) and `targetRefs`, in that order.
    public var targetRefs: [TargetRef] = []
    public var action: Located<Action>?
    /// `provider.name` (CUSTOM only).
    public var provider: Located<String>?
    public var rules: [Rule]
    public init(
        meta: ObjectMeta, origin: ResourceOrigin, namespace: String, selector: [String: String]?,
        action: Located<Action>?, rules: [Rule]
    ) {
        self.meta = meta
        self.origin = origin
        self.namespace = namespace
        self.selector = selector
        self.action = action
        self.rules = rules
    }

    /// The action Istio applies (`ALLOW` when unset).
    public var effectiveAction: Action { action?.value ?? .allow }
}

/// A Kubernetes ServiceAccount (core/v1); only its identity matters to Fjord.
public struct ServiceAccount: MeshResource, Hashable {
    public static let kind = ResourceKind.serviceAccount
    public var meta: ObjectMeta
    public var origin: ResourceOrigin
    public var namespace: String
    public init(meta: ObjectMeta, origin: ResourceOrigin, namespace: String) {
        self.meta = meta
        self.origin = origin
        self.namespace = namespace
    }
}

/// security.istio.io RequestAuthentication (decoded for completeness; no check reads it yet).
public struct RequestAuthentication: MeshResource, Hashable {
    public static let kind = ResourceKind.requestAuthentication
    public var meta: ObjectMeta
    public var origin: ResourceOrigin
    public var namespace: String
    public var selector: [String: String]?
    /// Where `selector` is written (synthetic without one).
    @NotCompared public var selectorRange: SourceRange = .synthetic
    public var issuers: [Located<String>]
    public init(
        meta: ObjectMeta, origin: ResourceOrigin, namespace: String, selector: [String: String]?,
        issuers: [Located<String>]
    ) {
        self.meta = meta
        self.origin = origin
        self.namespace = namespace
        self.selector = selector
        self.issuers = issuers
    }
}
