import FjordRegex
import FjordSource
import FjordTable
import Synchronization

/// The reference semantics: Istio's first-match routing, evaluated naively over the model.
///
/// This is the oracle that compiled tables and the proxy are tested against, so it is written
/// to be obviously correct, not fast: it resolves the request's authority to a virtual host,
/// then tries the host's rules in order and each rule's match blocks in order, testing every
/// condition directly (regexes with FjordRegex's reference matcher).
public struct Semantics: Sendable {
    public let tables: RouteTables
    private let regexCache = RegexCache()

    public init(mesh: Mesh) {
        self.tables = RouteTables(mesh: mesh)
    }

    public var mesh: Mesh { tables.mesh }

    /// The decision for `request` at `scope` (the request's `port` is the listener port).
    public func decide(_ request: MeshRequest, at scope: ProxyScope) -> DecisionRecord {
        guard let listener = tables.listener(scope, port: request.port) else {
            return unknownHost(scope: scope, policy: scopePolicy(scope))
        }
        return decide(request, in: listener)
    }

    func scopePolicy(_ scope: ProxyScope) -> OutboundTrafficMode { tables.outboundPolicy(of: scope) }

    func unknownHost(scope: ProxyScope, policy: OutboundTrafficMode) -> DecisionRecord {
        if case .gateway = scope { return DecisionRecord(outcome: .noRoute) }
        return DecisionRecord(outcome: policy == .allowAny ? .passthrough : .blackhole)
    }

    public func decide(_ request: MeshRequest, in listener: ListenerView) -> DecisionRecord {
        guard let vhost = virtualHost(for: request, in: listener) else {
            return unknownHost(scope: listener.scope, policy: listener.outboundPolicy)
        }
        if vhost.httpsRedirect, request.scheme == "http" {
            return DecisionRecord(
                outcome: .matched, host: vhost.host, rule: nil,
                action: ActionRecord(
                    kind: .redirect,
                    redirect: RedirectRecord(
                        uri: nil, authority: nil, scheme: "https", port: nil, derivePort: nil, code: 301),
                    retries: .none))
        }
        if !vhost.hasVirtualService {
            if case .gateway = listener.scope { return DecisionRecord(outcome: .noRoute, host: vhost.host) }
            return DecisionRecord(
                outcome: .defaultRoute, host: vhost.host,
                action: ActionRecord(
                    kind: .route,
                    destinations: [DestinationRecord(host: vhost.host, subset: nil, port: listener.port, weight: 100)]))
        }
        for rule in vhost.rules where matches(rule, request) {
            return DecisionRecord(
                outcome: .matched, host: vhost.host, rule: rule.ref,
                action: ActionBuilder(mesh: mesh).action(for: rule, vhost: vhost, listenerPort: listener.port))
        }
        return DecisionRecord(outcome: .noRoute, host: vhost.host)
    }

    // MARK: Authority

    /// Resolves the request's authority to a virtual host: the literal host, then the
    /// Kubernetes short forms relative to the proxy's namespace (sidecars), then wildcard hosts.
    public func virtualHost(for request: MeshRequest, in listener: ListenerView) -> VirtualHostView? {
        if let p = MeshRequest.authorityPort(request.authority), p != listener.port { return nil }
        let host = request.hostName
        for candidate in Semantics.candidates(
            host, namespace: listener.namespace, suffix: listener.domainSuffix, sidecar: isSidecar(listener))
        {
            if let v = listener.hosts[candidate] { return v }
        }
        for w in listener.wildcardHosts where Mesh.hostMatches(pattern: w.host, host: host) { return w }
        return nil
    }

    func isSidecar(_ l: ListenerView) -> Bool {
        if case .sidecar = l.scope { return true }
        return false
    }

    /// The names a sidecar tries for `host`, in order.
    public static func candidates(_ host: String, namespace: String, suffix: String, sidecar: Bool) -> [String] {
        var out = [host]
        guard sidecar, !host.isEmpty else { return out }
        let dots = host.reduce(0) { $0 + ($1 == "." ? 1 : 0) }
        if dots == 0 { out.append("\(host).\(namespace).svc.\(suffix)") }
        if dots == 1 { out.append("\(host).svc.\(suffix)") }
        if dots == 2, host.hasSuffix(".svc") { out.append("\(host).\(suffix)") }
        return out
    }

    // MARK: Matching

    public func matches(_ rule: EffectiveRule, _ request: MeshRequest) -> Bool {
        rule.blocks.isEmpty || rule.blocks.contains { matches($0, request) }
    }

    /// The index (in `rule.blocks`) of the first block that matches.
    public func firstMatchingBlock(_ rule: EffectiveRule, _ request: MeshRequest) -> Int? {
        rule.blocks.firstIndex { matches($0, request) }
    }

    public func matches(_ block: MatchBlock, _ r: MeshRequest) -> Bool {
        if let u = block.uri, !uriMatches(u, r, ignoreCase: block.ignoreUriCase) { return false }
        if let s = block.scheme, !stringMatches(s, r.scheme) { return false }
        if let m = block.method, !stringMatches(m, r.method) { return false }
        if let a = block.authority, !stringMatches(a, r.authority) { return false }
        for h in block.headers {
            guard let v = r.header(h.name.value), stringMatches(h.match, v) else { return false }
        }
        for q in block.queryParams {
            guard let v = r.queryParameter(q.name.value), stringMatches(q.match, v) else { return false }
        }
        for h in block.withoutHeaders {
            if let v = r.header(h.name.value), stringMatches(h.match, v) { return false }
        }
        return true
    }

    /// `exact` and `regex` see the path without its query; `prefix` sees the path with its
    /// query (as Envoy's prefix match does); `ignoreUriCase` folds ASCII for exact and prefix.
    public func uriMatches(_ m: StringMatch, _ r: MeshRequest, ignoreCase: Bool) -> Bool {
        switch m.kind {
        case .exact(let e):
            return ignoreCase ? asciiLower(r.pathOnly) == asciiLower(e) : r.pathOnly == e
        case .prefix(let p):
            return ignoreCase
                ? asciiLower(r.pathAndQuery).hasPrefix(asciiLower(p)) : r.pathAndQuery.utf8.starts(with: p.utf8)
        case .regex(let x):
            return regexCache.fullMatch(x, r.pathOnly)
        case .present:
            return true
        }
    }

    public func stringMatches(_ m: StringMatch, _ value: String) -> Bool {
        switch m.kind {
        case .exact(let e): return value == e
        case .prefix(let p): return value.utf8.starts(with: p.utf8)
        case .regex(let x): return regexCache.fullMatch(x, value)
        case .present: return true
        }
    }

    func asciiLower(_ s: String) -> String {
        String(decoding: s.utf8.map { ($0 >= 0x41 && $0 <= 0x5A) ? $0 + 32 : $0 }, as: UTF8.self)
    }
}

/// Parsed regexes, shared across evaluations. An invalid regex matches nothing (Istio rejects the
/// configuration; FJ1006 reports it).
final class RegexCache: Sendable {
    private let cache = Mutex<[String: FjordRegex.Regex?]>([:])

    func fullMatch(_ pattern: String, _ text: String) -> Bool {
        let regex: FjordRegex.Regex? = cache.withLock { c in
            if let hit = c[pattern] { return hit }
            let parsed = try? RegexParser.parse(pattern)
            c[pattern] = parsed
            return parsed
        }
        return regex?.fullMatch(text) ?? false
    }
}

/// Turns a matched rule into the action record Envoy would execute.
public struct ActionBuilder {
    public let mesh: Mesh

    public init(mesh: Mesh) { self.mesh = mesh }

    public static func ms(_ d: Duration) -> Int {
        let (s, a) = d.components
        return Int(s) * 1000 + Int(a / 1_000_000_000_000_000)
    }

    func destination(_ d: Destination, namespace: String, vhost: VirtualHostView, listenerPort: Int, weight: Int)
        -> DestinationRecord
    {
        let host = mesh.fqdn(d.host.value, in: namespace)
        var port = d.port?.value
        if port == nil {
            if host == vhost.host {
                port = listenerPort
            } else if let h = mesh.hosts[host]?.first, h.ports.count == 1 {
                port = h.ports[0]
            } else {
                port = listenerPort
            }
        }
        return DestinationRecord(host: host, subset: d.subset?.value, port: port, weight: weight)
    }

    func headerOps(_ ops: HeaderOperations?) -> HeaderOpsRecord {
        guard let ops else { return HeaderOpsRecord() }
        return HeaderOpsRecord(
            set: ops.set.map { HeaderPair($0.name.value.lowercased(), $0.value) },
            add: ops.add.map { HeaderPair($0.name.value.lowercased(), $0.value) },
            remove: ops.remove.map { $0.value.lowercased() })
    }

    public func action(for rule: EffectiveRule, vhost: VirtualHostView, listenerPort: Int) -> ActionRecord {
        let r = rule.route
        var action: ActionRecord
        if let d = r.directResponse {
            action = ActionRecord(kind: .directResponse, directStatus: d.status.value, directBody: d.body?.value)
        } else if let red = r.redirect {
            action = ActionRecord(
                kind: .redirect,
                redirect: RedirectRecord(
                    uri: red.uri?.value, authority: red.authority?.value, scheme: red.scheme?.value,
                    port: red.port?.value,
                    derivePort: red.derivePort?.value.rawValue, code: red.redirectCode?.value ?? 301))
        } else {
            var dests: [DestinationRecord] = []
            for rd in r.route {
                let w = r.route.count == 1 ? 100 : rd.weight?.value ?? 0
                guard w > 0 else { continue }
                var d = destination(
                    rd.destination, namespace: rule.namespace, vhost: vhost, listenerPort: listenerPort, weight: w)
                d.requestHeaders = headerOps(rd.headers?.request)
                d.responseHeaders = headerOps(rd.headers?.response)
                dests.append(d)
            }
            action = ActionRecord(kind: .route, destinations: dests)
            if let rw = r.rewrite {
                action.rewrite = RewriteRecord(
                    uri: rw.uri?.value, authority: rw.authority?.value,
                    regexMatch: rw.uriRegexRewrite?.match.value, regexSubstitution: rw.uriRegexRewrite?.rewrite.value)
            }
            var mirrors: [MirrorRecord] = []
            if let m = r.mirror {
                let pct = r.mirrorPercentage?.value ?? r.mirrorPercent.map { Double($0.value) } ?? 100
                mirrors.append(
                    MirrorRecord(
                        destination: destination(
                            m, namespace: rule.namespace, vhost: vhost, listenerPort: listenerPort, weight: 100),
                        percentage: pct))
            }
            for m in r.mirrors {
                mirrors.append(
                    MirrorRecord(
                        destination: destination(
                            m.destination, namespace: rule.namespace, vhost: vhost, listenerPort: listenerPort,
                            weight: 100),
                        percentage: m.percentage?.value ?? 100))
            }
            action.mirrors = mirrors
        }
        action.requestHeaders = headerOps(r.headers?.request)
        action.responseHeaders = headerOps(r.headers?.response)
        if action.kind == .route {
            action.timeoutMs = r.timeout.map { ActionBuilder.ms($0.value) }
            if let retry = r.retries {
                let attempts = retry.attempts?.value ?? 2
                action.retries =
                    attempts <= 0
                    ? .none
                    : RetryRecord(
                        attempts: attempts, perTryTimeoutMs: retry.perTryTimeout.map { ActionBuilder.ms($0.value) },
                        retryOn: retry.retryOn?.value ?? RetryRecord.istioDefault.retryOn,
                        backoffMs: retry.backoff.map { ActionBuilder.ms($0.value) })
            }
        } else {
            action.retries = .none
        }
        if let f = r.fault {
            action.fault = FaultRecord(
                delayMs: f.delay?.fixedDelay.map { ActionBuilder.ms($0.value) },
                delayPercentage: f.delay.map { $0.percentage?.value ?? $0.percent.map { Double($0.value) } ?? 0 } ?? 0,
                abortStatus: f.abort?.httpStatus?.value, abortGrpcStatus: f.abort?.grpcStatus?.value,
                abortPercentage: f.abort?.percentage?.value ?? 0)
            // With client-side faults Istio turns off the route's timeout and retries.
            action.timeoutMs = nil
            action.retries = .none
        }
        return action
    }
}
