import FjordTable
import NIOConcurrencyHelpers
import NIOCore

/// Envoy's response flags for access logs and metrics.
public enum ResponseFlag: String, Sendable {
    case none = "-"
    /// No route configured (404, or a REGISTRY_ONLY refusal).
    case noRoute = "NR"
    /// No healthy upstream.
    case noHealthyUpstream = "UH"
    /// Upstream connection failure.
    case upstreamConnectFailure = "UF"
    /// Upstream overflow (connection pool limits).
    case upstreamOverflow = "UO"
    /// Upstream request timeout.
    case upstreamTimeout = "UT"
    /// Upstream connection termination.
    case upstreamTermination = "UC"
    /// Upstream retry limit exceeded.
    case retryLimitExceeded = "URX"
    /// Fault injection: abort.
    case faultAbort = "FI"
    /// Fault injection: delay.
    case faultDelay = "DI"
    /// Downstream connection termination.
    case downstreamTermination = "DC"
    /// Downstream request timeout (the head did not arrive in time).
    case downstreamTimeout = "DT"
    /// Cluster not found (a subset no DestinationRule defines).
    case clusterNotFound = "NC"
}

/// What the proxy does with a request: forward it to a cluster, or answer it itself.
public struct Decision: @unchecked Sendable {
    public enum Kind: Sendable { case forward, respond }
    public var kind: Kind
    public var outcome: DecisionRecord.Outcome
    public var action: RouteAction?
    public var cluster: Cluster?
    /// The index of the chosen destination in the action's destinations (-1: none of them).
    public var destinationIndex = -1
    /// The path to send upstream (rewritten or as received).
    public var path: String
    /// A rewritten authority, or nil to keep the request's.
    public var authority: String?
    /// Local responses: status, body, `location`.
    public var status: Int = 0
    public var body: String?
    public var location: String?
    public var flag: ResponseFlag = .none
    /// Fault injection: wait this long first.
    public var delay: TimeAmount?
    /// The request's hash for consistent-hash balancing.
    public var hash: UInt64?
    /// The destination service for metrics and logs.
    public var destinationService: String

    static func respond(
        _ status: Int, _ outcome: DecisionRecord.Outcome, flag: ResponseFlag, path: String, service: String,
        body: String? = nil, action: RouteAction? = nil
    ) -> Decision {
        Decision(
            kind: .respond, outcome: outcome, action: action, cluster: nil, path: path, authority: nil, status: status,
            body: body,
            flag: flag, destinationService: service)
    }
}

/// A validated table image loaded for one proxy scope, with the actions compiled for the proxy
/// on first use. Immutable but for the action cache; a reload makes a new one, and a request
/// keeps the one it started with.
public final class LoadedTable: @unchecked Sendable {
    public let image: TableImage
    public let scope: ScopeHandle
    public let scopeName: String
    public let generation: Int
    public let origin: String
    public let policies: ClusterPolicyIndex
    private let lock = NIOLock()
    private var actions: [Int: RouteAction] = [:]

    public struct LoadError: Error, CustomStringConvertible {
        public var description: String
        public init(_ d: String) { description = d }
    }

    /// Validates `bytes` and finds the scope; throws with a one-line reason otherwise.
    public init(bytes: [UInt8], scopeName: String, kind: TableProgram.ScopeKind, generation: Int, origin: String)
        throws(LoadError)
    {
        let image: TableImage
        do { image = try TableImage(bytes: bytes) } catch { throw LoadError("invalid table image \(origin): \(error)") }
        guard let scope = image.scope(named: scopeName, kind: kind) else {
            throw LoadError(
                "table image \(origin) has no \(kind == .gateway ? "gateway" : "sidecar") scope `\(scopeName)`")
        }
        self.image = image
        self.scope = scope
        self.scopeName = scopeName
        self.generation = generation
        self.origin = origin
        self.policies = ClusterPolicyIndex(image: image)
    }

    /// The compiled action for a lookup result (cached per action, virtual host and port).
    func routeAction(_ r: LookupResult, registry: ClusterRegistry) -> RouteAction {
        let key =
            (r.action & 0xFF_FFFF) << 40 | (r.virtualHost & 0xFF_FFFF) << 16 | (r.listenerPort & 0xFFFF)
            | (r.outcome == .defaultRoute ? 1 << 63 : 0)
        if let a = lock.withLock({ actions[key] }) { return a }
        let d = image.decisionRecord(r)
        let record = d.action ?? ActionRecord(kind: .route)
        let name = d.rule.map { $0.name ?? "\($0.virtualService)/\($0.index)" } ?? "default"
        let a = RouteAction(
            record: record, routeName: name, virtualHost: d.host ?? "", listenerPort: r.listenerPort,
            cluster: { registry.cluster(for: $0, table: self) })
        lock.withLock { actions[key] = a }
        return a
    }

    /// Drops compiled actions (their clusters are re-resolved on next use).
    func forgetActions() { lock.withLock { actions = [:] } }

    // MARK: Deciding

    /// Routes a request arriving on listener `port`: table lookup, then the action's choices
    /// (weighted destination, rewrite, redirect, direct response, fault). `draw` supplies random
    /// numbers; `sourceIP` feeds source-IP hashing.
    public func decide(
        _ req: HeadRequest, port: Int, registry: ClusterRegistry, random: inout SplitMixRandom, sourceIP: String?
    ) -> Decision {
        let r = image.lookup(scope: scope, port: port, request: req)
        switch r.outcome {
        case .noRoute:
            return .respond(404, .noRoute, flag: .noRoute, path: req.path, service: "unknown")
        case .blackhole:
            return .respond(502, .blackhole, flag: .noRoute, path: req.path, service: "BlackHoleCluster")
        case .passthrough:
            let (host, p) = splitHostPort(req.authority, defaultPort: port)
            let c = registry.passthroughCluster(host: host, port: p)
            return Decision(
                kind: .forward, outcome: .passthrough, action: registry.passthroughAction, cluster: c, path: req.path,
                authority: nil,
                destinationService: c.key.host)
        case .defaultRoute, .matched:
            break
        }
        if r.httpsRedirect {
            var d = Decision.respond(301, .matched, flag: .none, path: req.path, service: "unknown")
            d.location = "https://" + req.authority + req.path
            return d
        }
        let action = routeAction(r, registry: registry)
        switch action.kind {
        case .directResponse:
            return .respond(
                action.record.directStatus ?? 200, r.outcome, flag: .none, path: req.path, service: action.virtualHost,
                body: action.record.directBody, action: action)
        case .redirect:
            var d = Decision.respond(
                action.record.redirect?.code ?? 301, r.outcome, flag: .none, path: req.path,
                service: action.virtualHost,
                action: action)
            let location = redirectLocation(action.record.redirect, req)
            d.location = isHeaderValue(location) ? location : nil
            return d
        case .route:
            break
        }
        // Fault injection first (Envoy's fault filter runs before the router).
        var delay: TimeAmount?
        if let f = action.fault {
            if let ms = f.delayMs, ms > 0, roll(f.delayPercentage, &random) { delay = .milliseconds(Int64(ms)) }
            if let status = f.abortStatus, roll(f.abortPercentage, &random) {
                var d = Decision.respond(
                    status, r.outcome, flag: .faultAbort, path: req.path, service: action.virtualHost,
                    body: "fault filter abort", action: action)
                d.delay = delay
                return d
            }
        }
        guard action.totalWeight > 0,
            let index = action.destination(draw: Int(random.next() % UInt64(action.totalWeight)))
        else {
            return .respond(
                503, r.outcome, flag: .noHealthyUpstream, path: req.path, service: action.virtualHost, action: action)
        }
        var path = req.path
        if let rw = action.rewrite {
            switch rw {
            case .uri(let u):
                let n = matchedPrefixLength(req, port: port, slot: r.slot)
                let rest = req.path.utf8.dropFirst(n)
                path = u + String(Substring(rest))
                if path.isEmpty { path = "/" }
            case .regex(let re, let sub):
                // The pattern applies to the path without the query string, which is kept.
                let (p, q) = splitQuery(req.path)
                path = regexReplace(p, re, sub) + q
            }
        }
        let cluster = action.destinations[index].cluster
        var d = Decision(
            kind: .forward, outcome: r.outcome, action: action, cluster: cluster, path: path,
            authority: action.rewriteAuthority,
            destinationService: cluster.key.host)
        d.destinationIndex = index
        d.delay = delay
        if delay != nil { d.flag = .faultDelay }
        let policy = cluster.policy
        if policy.isHash { d.hash = hashValue(policy.settings, req, sourceIP: sourceIP) }
        return d
    }

    func roll(_ percentage: Double, _ random: inout SplitMixRandom) -> Bool {
        if percentage >= 100 { return true }
        if percentage <= 0 { return false }
        // Millionths, as Envoy's fractional percent.
        return Double(random.next() % 1_000_000) < percentage * 10_000
    }

    /// The length of the path prefix that made the rule match: the shortest prefix of the
    /// request's path that still routes to the same slot (the image keeps the decision, not the
    /// match; for `prefix` matches this is the matched prefix, for `exact` ones the whole path).
    func matchedPrefixLength(_ req: HeadRequest, port: Int, slot: Int) -> Int {
        let (p, _) = splitQuery(req.path)
        let bytes = Array(p.utf8)
        var n = 1
        while n < bytes.count {
            let probe = PathOverride(base: req, path: String(decoding: bytes[0..<n], as: UTF8.self))
            if image.lookup(scope: scope, port: port, request: probe).slot == slot { return n }
            n += 1
        }
        return bytes.count
    }

    func hashValue(_ s: ClusterSettings, _ req: HeadRequest, sourceIP: String?) -> UInt64? {
        switch s.loadBalancer {
        case .hashHeader:
            guard let k = s.hashKey, let v = req.header(k) else { return nil }
            return fnv1a(v)
        case .hashCookie:
            guard let k = s.hashKey, let c = req.header("cookie") else { return nil }
            for part in c.split(separator: ";") {
                let kv = part.split(separator: "=", maxSplits: 1)
                if kv.count == 2, kv[0].trimmingCharacters(in: " ") == k { return fnv1a(String(kv[1])) }
            }
            return nil
        case .hashQuery:
            guard let k = s.hashKey else { return nil }
            let (_, q) = splitQuery(req.path)
            for part in q.dropFirst().split(separator: "&") {
                let kv = part.split(separator: "=", maxSplits: 1)
                if kv.first.map(String.init) == k { return fnv1a(kv.count > 1 ? String(kv[1]) : "") }
            }
            return nil
        case .hashSourceIP:
            return sourceIP.map(fnv1a)
        default:
            return nil
        }
    }

    func redirectLocation(_ r: RedirectRecord?, _ req: HeadRequest) -> String {
        guard let r else { return req.path }
        let scheme = r.scheme ?? req.scheme
        var (host, port) = splitHostPortOptional(req.authority)
        if let a = r.authority {
            let (h, p) = splitHostPortOptional(a)
            host = h
            if p != nil { port = p }
        }
        if let p = r.port { port = p }
        if r.derivePort == "FROM_PROTOCOL_DEFAULT" { port = nil }
        if let p = port, (scheme == "http" && p == 80) || (scheme == "https" && p == 443) { port = nil }
        let (reqPath, reqQuery) = splitQuery(req.path)
        var path = reqPath + reqQuery
        if let u = r.uri { path = u.contains("?") ? u : u + reqQuery }
        return scheme + "://" + host + (port.map { ":\($0)" } ?? "") + path
    }
}

extension TableProgram.LoadBalancer {
    public var isHash: Bool {
        switch self {
        case .hashHeader, .hashCookie, .hashQuery, .hashSourceIP: return true
        default: return false
        }
    }
}

/// A request with another path (for the prefix probe of `rewrite.uri`).
struct PathOverride: TableRequest {
    let base: HeadRequest
    let path: String
    var method: String { base.method }
    var scheme: String { base.scheme }
    var authority: String { base.authority }
    func header(_ lowercaseName: String) -> String? { base.header(lowercaseName) }
}

/// `/a/b?x=1` -> (`/a/b`, `?x=1`).
public func splitQuery(_ path: String) -> (String, String) {
    guard let q = path.utf8.firstIndex(of: UInt8(ascii: "?")) else { return (path, "") }
    return (String(Substring(path.utf8[..<q])), String(Substring(path.utf8[q...])))
}

/// `host:port` -> (host, port); a missing port gives `defaultPort`.
public func splitHostPort(_ authority: String, defaultPort: Int) -> (String, Int) {
    let (h, p) = splitHostPortOptional(authority)
    return (h, p ?? defaultPort)
}

public func splitHostPortOptional(_ authority: String) -> (String, Int?) {
    if authority.hasPrefix("[") {
        if let close = authority.firstIndex(of: "]") {
            let host = String(authority[authority.index(after: authority.startIndex)..<close])
            let rest = authority[authority.index(after: close)...]
            if rest.hasPrefix(":"), let p = Int(rest.dropFirst()) { return (host, p) }
            return (host, nil)
        }
        return (authority, nil)
    }
    if let colon = authority.lastIndex(of: ":"), let p = Int(authority[authority.index(after: colon)...]) {
        return (String(authority[..<colon]), p)
    }
    return (authority, nil)
}

/// The port a request is routed on: the authority's explicit port, else the listener's default
/// (80 unless configured: without iptables the original destination port is not known).
@inlinable
public func routingPort(authority: String, defaultPort: Int) -> Int {
    // Fast path without allocating: scan for the last ':' and digits after it.
    var port = 0
    var digits = 0
    for b in authority.utf8.reversed() {
        if b >= 0x30 && b <= 0x39 {
            if digits >= 5 { return defaultPort }
            var m = 1
            for _ in 0..<digits { m *= 10 }
            port += Int(b - 0x30) * m
            digits += 1
        } else if b == UInt8(ascii: ":") {
            return digits > 0 && port <= 65535 ? port : defaultPort
        } else {
            return defaultPort
        }
    }
    return defaultPort
}

/// The clusters of the proxy by key, shared by every event loop, kept across table and
/// endpoint reloads so balancing and outlier state survive them.
public final class ClusterRegistry: @unchecked Sendable {
    private let lock = NIOLock()
    private var clusters: [ClusterKey: Cluster] = [:]
    private var passthrough: [ClusterKey: Cluster] = [:]
    private var directory: EndpointDirectory
    private var nextID = 0
    public let proxyLocality: Locality
    /// The action of passthrough requests: no retries, no timeout.
    public let passthroughAction: RouteAction

    public init(directory: EndpointDirectory, proxyLocality: Locality = Locality()) {
        self.directory = directory
        self.proxyLocality = proxyLocality
        self.passthroughAction = RouteAction(
            record: ActionRecord(kind: .route, retries: .none), routeName: "passthrough", virtualHost: "",
            listenerPort: 0, cluster: { _ in fatalError("passthrough has no fixed cluster") })
    }

    /// The cluster for a key, made with the table's policy and the directory's endpoints.
    public func cluster(for key: ClusterKey, table: LoadedTable) -> Cluster {
        lock.withLock {
            if let c = clusters[key] { return c }
            let (eps, dns) = endpointsLocked(key)
            nextID += 1
            let c = Cluster(
                key: key, id: nextID, settings: ClusterSettings(image: table.image, key: key, index: table.policies),
                endpoints: eps,
                proxyLocality: proxyLocality, usesDNS: dns)
            clusters[key] = c
            return c
        }
    }

    /// A cluster for a host the table does not know (ALLOW_ANY passthrough): DNS, no policy.
    public func passthroughCluster(host: String, port: Int) -> Cluster {
        let key = ClusterKey(host: host, subset: nil, port: port)
        return lock.withLock {
            if let c = passthrough[key] { return c }
            if passthrough.count >= 1024 { passthrough = [:] }
            let (eps, dns) = endpointsLocked(key)
            nextID += 1
            let c = Cluster(
                key: key, id: nextID, settings: ClusterSettings(), endpoints: eps, proxyLocality: proxyLocality,
                usesDNS: dns)
            passthrough[key] = c
            return c
        }
    }

    /// A fixed cluster (the inbound application).
    public func staticCluster(name: String, endpoint: EndpointSpec) -> Cluster {
        let key = ClusterKey(host: name, subset: nil, port: endpoint.port)
        return lock.withLock {
            if let c = clusters[key] { return c }
            nextID += 1
            let c = Cluster(
                key: key, id: nextID, settings: ClusterSettings(), endpoints: [endpoint], proxyLocality: proxyLocality)
            clusters[key] = c
            return c
        }
    }

    private func endpointsLocked(_ key: ClusterKey) -> ([EndpointSpec], Bool) {
        if let e = directory.endpoints(host: key.host, port: key.port) { return (e, false) }
        return ([EndpointSpec(address: key.host, port: key.port)], true)
    }

    /// A new table: clusters take its DestinationRule settings.
    public func tableChanged(_ table: LoadedTable) {
        let all = lock.withLock { Array(clusters.values) }
        for c in all where !c.key.host.hasPrefix("inbound|") {
            c.update(settings: ClusterSettings(image: table.image, key: c.key, index: table.policies))
        }
    }

    /// A new endpoints file.
    public func directoryChanged(_ d: EndpointDirectory) {
        let all: [Cluster] = lock.withLock {
            directory = d
            passthrough = [:]
            return Array(clusters.values)
        }
        for c in all where !c.key.host.hasPrefix("inbound|") {
            let (eps, dns) = lock.withLock { endpointsLocked(c.key) }
            c.update(endpoints: eps, usesDNS: dns)
        }
    }

    public var all: [Cluster] { lock.withLock { clusters.values.sorted { $0.id < $1.id } } }
}

/// The current table of a proxy, swapped atomically on reload. A request reads it once, at its
/// head, and keeps that table to its end.
public final class TableStore: @unchecked Sendable {
    private let box: NIOLockedValueBox<LoadedTable>
    public init(_ t: LoadedTable) { box = NIOLockedValueBox(t) }
    public var current: LoadedTable { box.withLockedValue { $0 } }
    public func swap(_ t: LoadedTable) { box.withLockedValue { $0 = t } }
}
