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

/// security.istio.io AuthorizationPolicy (the parts the checks read).
public struct AuthorizationPolicy: MeshResource, Hashable {
    public enum Action: String, Hashable, Sendable {
        case allow = "ALLOW", deny = "DENY", audit = "AUDIT", custom = "CUSTOM"
    }
    public struct Source: Hashable, Sendable {
        public var principals: [Located<String>]
        public var namespaces: [Located<String>]
        public var notPrincipals: [Located<String>]
        public var notNamespaces: [Located<String>]
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
    }
    public struct Operation: Hashable, Sendable {
        public var hosts: [String]
        public var ports: [String]
        public var methods: [String]
        public var paths: [String]
        public init(hosts: [String] = [], ports: [String] = [], methods: [String] = [], paths: [String] = []) {
            self.hosts = hosts
            self.ports = ports
            self.methods = methods
            self.paths = paths
        }
    }
    public struct Rule: Hashable, Sendable {
        public var from: [Source]
        public var to: [Operation]
        @NotCompared public var range: SourceRange = .synthetic
        public init(from: [Source], to: [Operation], range: SourceRange = .synthetic) {
            self.from = from
            self.to = to
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
    public var action: Located<Action>?
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
