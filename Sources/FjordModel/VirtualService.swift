import FjordSource

/// networking.istio.io VirtualService.
public struct VirtualService: MeshResource, Hashable {
    public static let kind = ResourceKind.virtualService
    public var meta: ObjectMeta
    public var origin: ResourceOrigin
    public var namespace: String
    public var hosts: [Located<String>]
    /// Top-level gateways; empty means `mesh` (sidecars only).
    public var gateways: [Located<String>]
    public var http: [HTTPRoute]
    public var tls: [TLSRoute]
    public var tcp: [TCPRoute]
    public var exportTo: [Located<String>]
    @NotCompared public var specRange: SourceRange = .synthetic

    public init(
        meta: ObjectMeta, origin: ResourceOrigin, namespace: String, hosts: [Located<String>] = [],
        gateways: [Located<String>] = [], http: [HTTPRoute] = [], tls: [TLSRoute] = [], tcp: [TCPRoute] = [],
        exportTo: [Located<String>] = [], specRange: SourceRange = .synthetic
    ) {
        self.meta = meta
        self.origin = origin
        self.namespace = namespace
        self.hosts = hosts
        self.gateways = gateways
        self.http = http
        self.tls = tls
        self.tcp = tcp
        self.exportTo = exportTo
        self.specRange = specRange
    }

    /// A VirtualService without hosts can only be used as a delegate.
    public var isDelegate: Bool { hosts.isEmpty }
}

public struct HTTPRoute: Hashable, Sendable {
    public var name: Located<String>?
    public var match: [HTTPMatchRequest]
    public var route: [HTTPRouteDestination]
    public var redirect: HTTPRedirect?
    public var directResponse: HTTPDirectResponse?
    public var delegate: Delegate?
    public var rewrite: HTTPRewrite?
    public var timeout: Located<Duration>?
    public var retries: HTTPRetry?
    public var fault: HTTPFaultInjection?
    public var mirror: Destination?
    /// `mirrorPercentage.value`; nil when absent (100 % when a mirror is set).
    public var mirrorPercentage: Located<Double>?
    /// Deprecated integer `mirrorPercent`.
    public var mirrorPercent: Located<Int>?
    public var mirrors: [HTTPMirrorPolicy]
    public var corsPolicy: CorsPolicy?
    public var headers: HeaderOperationsSet?
    /// Index of the rule in its VirtualService's `http` list.
    public var index: Int
    /// True when `route`, `redirect`, `directResponse` or `delegate` is written but could not be
    /// decoded (a destination without `host`, a direct response without `status`); the front
    /// end has reported why, so checks do not report the action as missing too.
    @NotCompared public var hasMalformedAction = false
    @NotCompared public var range: SourceRange = .synthetic

    public init(index: Int, range: SourceRange = .synthetic) {
        self.name = nil
        self.match = []
        self.route = []
        self.redirect = nil
        self.directResponse = nil
        self.delegate = nil
        self.rewrite = nil
        self.timeout = nil
        self.retries = nil
        self.fault = nil
        self.mirror = nil
        self.mirrorPercentage = nil
        self.mirrorPercent = nil
        self.mirrors = []
        self.corsPolicy = nil
        self.headers = nil
        self.index = index
        self.range = range
    }

    /// `rule `name`` or `rule 3` for messages.
    public var displayName: String {
        if let n = name?.value, !n.isEmpty { return "rule `\(n)`" }
        return "rule \(index)"
    }
}

public struct HTTPMatchRequest: Hashable, Sendable {
    public var name: Located<String>?
    public var uri: StringMatch?
    public var scheme: StringMatch?
    public var method: StringMatch?
    public var authority: StringMatch?
    public var headers: [NamedMatch]
    public var port: Located<Int>?
    public var sourceLabels: [String: String]
    public var gateways: [Located<String>]
    public var queryParams: [NamedMatch]
    public var ignoreUriCase: Bool
    public var withoutHeaders: [NamedMatch]
    public var sourceNamespace: Located<String>?
    public var statPrefix: Located<String>?
    @NotCompared public var range: SourceRange = .synthetic

    public init(range: SourceRange = .synthetic) {
        self.name = nil
        self.uri = nil
        self.scheme = nil
        self.method = nil
        self.authority = nil
        self.headers = []
        self.port = nil
        self.sourceLabels = [:]
        self.gateways = []
        self.queryParams = []
        self.ignoreUriCase = false
        self.withoutHeaders = []
        self.sourceNamespace = nil
        self.statPrefix = nil
        self.range = range
    }

    /// Whether the block has no request condition at all (selectors may still be set).
    public var hasNoRequestConditions: Bool {
        uri == nil && scheme == nil && method == nil && authority == nil && headers.isEmpty
            && queryParams.isEmpty && withoutHeaders.isEmpty
    }
}

public struct Destination: Hashable, Sendable {
    public var host: Located<String>
    public var subset: Located<String>?
    public var port: Located<Int>?
    @NotCompared public var range: SourceRange = .synthetic
    public init(
        host: Located<String>, subset: Located<String>? = nil, port: Located<Int>? = nil,
        range: SourceRange = .synthetic
    ) {
        self.host = host
        self.subset = subset
        self.port = port
        self.range = range
    }
}

public struct HTTPRouteDestination: Hashable, Sendable {
    public var destination: Destination
    /// nil when `weight` is not written.
    public var weight: Located<Int>?
    public var headers: HeaderOperationsSet?
    @NotCompared public var range: SourceRange = .synthetic
    public init(
        destination: Destination, weight: Located<Int>? = nil, headers: HeaderOperationsSet? = nil,
        range: SourceRange = .synthetic
    ) {
        self.destination = destination
        self.weight = weight
        self.headers = headers
        self.range = range
    }
}

public struct HTTPRedirect: Hashable, Sendable {
    public enum DerivePort: String, Hashable, Sendable {
        case fromProtocolDefault = "FROM_PROTOCOL_DEFAULT", fromRequestPort = "FROM_REQUEST_PORT"
    }
    public var uri: Located<String>?
    public var authority: Located<String>?
    public var port: Located<Int>?
    public var derivePort: Located<DerivePort>?
    public var scheme: Located<String>?
    public var redirectCode: Located<Int>?
    @NotCompared public var range: SourceRange = .synthetic
    public init(range: SourceRange = .synthetic) {
        self.range = range
    }
}

public struct HTTPDirectResponse: Hashable, Sendable {
    public var status: Located<Int>
    /// Body as text (`body.string`, or `body.bytes` base64 decoded when valid UTF-8).
    public var body: Located<String>?
    public var bodyIsBytes: Bool
    @NotCompared public var range: SourceRange = .synthetic
    public init(
        status: Located<Int>, body: Located<String>? = nil, bodyIsBytes: Bool = false, range: SourceRange = .synthetic
    ) {
        self.status = status
        self.body = body
        self.bodyIsBytes = bodyIsBytes
        self.range = range
    }
}

public struct Delegate: Hashable, Sendable {
    public var name: Located<String>
    public var namespace: Located<String>?
    @NotCompared public var range: SourceRange = .synthetic
    public init(name: Located<String>, namespace: Located<String>?, range: SourceRange = .synthetic) {
        self.name = name
        self.namespace = namespace
        self.range = range
    }
}

public struct RegexRewrite: Hashable, Sendable {
    public var match: Located<String>
    public var rewrite: Located<String>
    public init(match: Located<String>, rewrite: Located<String>) {
        self.match = match
        self.rewrite = rewrite
    }
}

public struct HTTPRewrite: Hashable, Sendable {
    public var uri: Located<String>?
    public var authority: Located<String>?
    public var uriRegexRewrite: RegexRewrite?
    @NotCompared public var range: SourceRange = .synthetic
    public init(
        uri: Located<String>? = nil, authority: Located<String>? = nil, uriRegexRewrite: RegexRewrite? = nil,
        range: SourceRange = .synthetic
    ) {
        self.uri = uri
        self.authority = authority
        self.uriRegexRewrite = uriRegexRewrite
        self.range = range
    }
}

public struct HTTPRetry: Hashable, Sendable {
    public var attempts: Located<Int>?
    public var perTryTimeout: Located<Duration>?
    public var retryOn: Located<String>?
    public var retryRemoteLocalities: Located<Bool>?
    public var backoff: Located<Duration>?
    @NotCompared public var range: SourceRange = .synthetic
    public init(range: SourceRange = .synthetic) {
        self.range = range
    }
}

public struct HTTPFaultInjection: Hashable, Sendable {
    public struct Delay: Hashable, Sendable {
        public var fixedDelay: Located<Duration>?
        public var exponentialDelay: Located<Duration>?
        public var percentage: Located<Double>?
        public var percent: Located<Int>?
        @NotCompared public var range: SourceRange = .synthetic
        public init(range: SourceRange = .synthetic) { self.range = range }
    }
    public struct Abort: Hashable, Sendable {
        public var httpStatus: Located<Int>?
        public var grpcStatus: Located<String>?
        public var http2Error: Located<String>?
        public var percentage: Located<Double>?
        @NotCompared public var range: SourceRange = .synthetic
        public init(range: SourceRange = .synthetic) { self.range = range }
    }
    public var delay: Delay?
    public var abort: Abort?
    @NotCompared public var range: SourceRange = .synthetic
    public init(delay: Delay? = nil, abort: Abort? = nil, range: SourceRange = .synthetic) {
        self.delay = delay
        self.abort = abort
        self.range = range
    }
}

public struct HTTPMirrorPolicy: Hashable, Sendable {
    public var destination: Destination
    public var percentage: Located<Double>?
    @NotCompared public var range: SourceRange = .synthetic
    public init(destination: Destination, percentage: Located<Double>?, range: SourceRange = .synthetic) {
        self.destination = destination
        self.percentage = percentage
        self.range = range
    }
}

public struct CorsPolicy: Hashable, Sendable {
    public var allowOrigins: [StringMatch]
    public var allowMethods: [Located<String>]
    public var allowHeaders: [Located<String>]
    public var exposeHeaders: [Located<String>]
    public var maxAge: Located<Duration>?
    public var allowCredentials: Located<Bool>?
    @NotCompared public var range: SourceRange = .synthetic
    public init(range: SourceRange = .synthetic) {
        self.allowOrigins = []
        self.allowMethods = []
        self.allowHeaders = []
        self.exposeHeaders = []
        self.range = range
    }
}

/// `set`, `add`, `remove` of request or response headers.
public struct HeaderOperations: Hashable, Sendable {
    public var set: [(name: Located<String>, value: String)]
    public var add: [(name: Located<String>, value: String)]
    public var remove: [Located<String>]
    @NotCompared public var range: SourceRange = .synthetic

    public init(
        set: [(name: Located<String>, value: String)] = [], add: [(name: Located<String>, value: String)] = [],
        remove: [Located<String>] = [], range: SourceRange = .synthetic
    ) {
        self.set = set
        self.add = add
        self.remove = remove
        self.range = range
    }

    public static func == (a: HeaderOperations, b: HeaderOperations) -> Bool {
        a.set.elementsEqual(b.set, by: { $0.name == $1.name && $0.value == $1.value })
            && a.add.elementsEqual(b.add, by: { $0.name == $1.name && $0.value == $1.value })
            && a.remove == b.remove
    }

    public func hash(into h: inout Hasher) {
        for (n, v) in set {
            h.combine(n)
            h.combine(v)
        }
        h.combine(0xADD)
        for (n, v) in add {
            h.combine(n)
            h.combine(v)
        }
        h.combine(remove)
    }

    public var isEmpty: Bool { self.set.isEmpty && self.add.isEmpty && self.remove.isEmpty }
}

public struct HeaderOperationsSet: Hashable, Sendable {
    public var request: HeaderOperations?
    public var response: HeaderOperations?
    public init(request: HeaderOperations? = nil, response: HeaderOperations? = nil) {
        self.request = request
        self.response = response
    }
}

public struct RouteDestination: Hashable, Sendable {
    public var destination: Destination
    public var weight: Located<Int>?
    @NotCompared public var range: SourceRange = .synthetic
    public init(destination: Destination, weight: Located<Int>?, range: SourceRange = .synthetic) {
        self.destination = destination
        self.weight = weight
        self.range = range
    }
}

public struct L4Match: Hashable, Sendable {
    public var destinationSubnets: [Located<String>]
    public var port: Located<Int>?
    public var sniHosts: [Located<String>]
    public var sourceLabels: [String: String]
    public var gateways: [Located<String>]
    public var sourceNamespace: Located<String>?
    @NotCompared public var range: SourceRange = .synthetic
    public init(range: SourceRange = .synthetic) {
        self.destinationSubnets = []
        self.sniHosts = []
        self.sourceLabels = [:]
        self.gateways = []
        self.range = range
    }
}

public struct TLSRoute: Hashable, Sendable {
    public var match: [L4Match]
    public var route: [RouteDestination]
    public var index: Int
    /// True when `route` is written but none of its destinations could be decoded.
    @NotCompared public var hasMalformedAction = false
    @NotCompared public var range: SourceRange = .synthetic
    public init(match: [L4Match], route: [RouteDestination], index: Int, range: SourceRange = .synthetic) {
        self.match = match
        self.route = route
        self.index = index
        self.range = range
    }
}

public struct TCPRoute: Hashable, Sendable {
    public var match: [L4Match]
    public var route: [RouteDestination]
    public var index: Int
    /// True when `route` is written but none of its destinations could be decoded.
    @NotCompared public var hasMalformedAction = false
    @NotCompared public var range: SourceRange = .synthetic
    public init(match: [L4Match], route: [RouteDestination], index: Int, range: SourceRange = .synthetic) {
        self.match = match
        self.route = route
        self.index = index
        self.range = range
    }
}
