import FjordSource
import FjordTable
import Synchronization

/// One match block of a rule as a proxy sees it: config-time selectors (port, sourceLabels,
/// sourceNamespace, gateways) already resolved away.
public struct MatchBlock: Hashable, Sendable {
    public var uri: StringMatch?
    public var scheme: StringMatch?
    public var method: StringMatch?
    public var authority: StringMatch?
    public var headers: [NamedMatch]
    public var queryParams: [NamedMatch]
    public var withoutHeaders: [NamedMatch]
    public var ignoreUriCase: Bool
    /// Index of the block in its rule's `match` list (in the delegate's rule for delegated rules).
    public var index: Int
    @NotCompared public var range: SourceRange = .synthetic

    public init(_ m: HTTPMatchRequest, index: Int) {
        uri = m.uri
        scheme = m.scheme
        method = m.method
        authority = m.authority
        headers = m.headers
        queryParams = m.queryParams
        withoutHeaders = m.withoutHeaders
        ignoreUriCase = m.ignoreUriCase
        self.index = index
        range = m.range
    }

    /// Whether the block matches every request (Istio stops emitting routes after such a rule).
    public var isCatchAll: Bool {
        guard scheme == nil, method == nil, authority == nil, headers.isEmpty, queryParams.isEmpty,
            withoutHeaders.isEmpty
        else {
            return false
        }
        switch uri?.kind {
        case nil, .present?: return true
        case .prefix(let p)?: return p == "/" || p.isEmpty
        case .regex(let r)?: return r == ".*"
        case .exact?: return false
        }
    }
}

/// A rule as one proxy sees it: delegates merged, selectors resolved.
public struct EffectiveRule: Hashable, Sendable {
    public var ref: RuleRef
    /// Empty: the rule matches every request.
    public var blocks: [MatchBlock]
    /// The rule (after merging a delegate's rule into its root), for its actions.
    public var route: HTTPRoute
    /// The namespace the rule's hosts resolve in (the delegate's for delegated rules).
    public var namespace: String
    /// The VirtualService the rule text is in (the delegate, for delegated rules).
    public var source: ResourceKey

    public var matchesEverything: Bool { blocks.isEmpty || blocks.contains(where: \.isCatchAll) }
}

/// A virtual host of a proxy's listener: a host and the rules that route it.
public struct VirtualHostView: Hashable, Sendable {
    /// The service FQDN, ServiceEntry host, or gateway domain.
    public var host: String
    public var port: Int
    /// The VirtualServices whose rules apply, in order; empty for a host without one.
    public var virtualServices: [ResourceKey]
    public var rules: [EffectiveRule]
    /// VirtualServices that bind this host but are ignored (on sidecars only the first counts).
    public var shadowedVirtualServices: [ResourceKey]
    /// Gateways only: the server redirects plain HTTP to HTTPS.
    public var httpsRedirect: Bool

    public var hasVirtualService: Bool { !virtualServices.isEmpty }
}

/// Everything one proxy sees on one listener port.
public struct ListenerView: Sendable {
    public var scope: ProxyScope
    public var port: Int
    /// The proxy's namespace (short host names resolve in it).
    public var namespace: String
    /// Exact hosts (FQDNs, ServiceEntry hosts, gateway domains).
    public var hosts: [String: VirtualHostView]
    /// Wildcard hosts (`*.example.com`, `*`), most specific first.
    public var wildcardHosts: [VirtualHostView]
    public var outboundPolicy: OutboundTrafficMode
    public var domainSuffix: String
}

/// Computes what each proxy sees: visible hosts, the VirtualService that binds each, and the
/// effective rules. Shared by the reference semantics and the decision compiler.
public struct RouteTables: Sendable {
    public let mesh: Mesh
    private let vsOrder: [ResourceKey: Int]
    /// Mesh-bound VirtualServices by resolved exact host, and those with wildcard hosts.
    private let meshVSByHost: [String: [Int]]
    private let meshVSWildcards: [(pattern: String, vs: Int)]
    /// What makes two proxies see different routes; proxies that agree share listener views.
    private let namespaceMatters: Bool
    private let selectorLabelKeys: Set<String>
    private let cache = ListenerCache()

    public init(mesh: Mesh) {
        self.mesh = mesh
        let vss = mesh.resources.virtualServices
        let sorted = vss.oldestFirst()
        var order: [ResourceKey: Int] = [:]
        for (i, vs) in sorted.enumerated() { order[vs.key] = i }
        vsOrder = order
        var byHost: [String: [Int]] = [:]
        var wild: [(String, Int)] = []
        var labelKeys = Set<String>()
        var nsMatters = !mesh.resources.sidecars.isEmpty
        for (i, vs) in vss.enumerated() {
            if !vs.exportTo.isEmpty && !vs.exportTo.contains(where: { $0.value == "*" }) { nsMatters = true }
            for r in vs.http {
                for m in r.match {
                    labelKeys.formUnion(m.sourceLabels.keys)
                    if m.sourceNamespace != nil { nsMatters = true }
                }
            }
            guard RouteTables.boundToMesh(vs), !vs.isDelegate else { continue }
            for h in vs.hosts {
                let pattern = mesh.fqdn(h.value, in: vs.namespace)
                if pattern.hasPrefix("*") { wild.append((pattern, i)) } else { byHost[pattern, default: []].append(i) }
            }
        }
        // Delegates' selectors count too (they are merged into their roots).
        for (_, hosts) in mesh.hosts where hosts.contains(where: { $0.exportTo != ["*"] }) { nsMatters = true }
        meshVSByHost = byHost
        meshVSWildcards = wild
        selectorLabelKeys = labelKeys
        namespaceMatters = nsMatters
    }

    /// The part of a proxy's identity that its routes depend on.
    public struct ScopeClass: Hashable, Sendable {
        var namespace: String
        var sidecar: ResourceKey?
        var labels: [String: String]
        var port: Int
    }

    // MARK: Scopes

    /// Every proxy scope of the mesh: each workload with a sidecar, and each Gateway.
    public var scopes: [ProxyScope] {
        mesh.workloads.filter { $0.membership.hasSidecar }.map { .sidecar($0.id) }
            + mesh.resources.gateways.map { .gateway($0.key.qualifiedName) }
    }

    struct ProxyContext {
        var namespace: String
        var labels: [String: String]
        var sidecar: Sidecar?
        var gateway: Gateway?
    }

    func context(_ scope: ProxyScope) -> ProxyContext? {
        switch scope {
        case .sidecar(let id):
            guard let w = mesh.workload(id) else { return nil }
            return ProxyContext(
                namespace: w.namespace, labels: w.labels, sidecar: sidecarResource(for: w), gateway: nil)
        case .gateway(let id):
            guard let g = mesh.resources.gateways.first(where: { $0.key.qualifiedName == id }) else { return nil }
            let pods =
                g.selector.isEmpty
                ? [] : mesh.workloads.filter { w in g.selector.allSatisfy { w.labels[$0.key] == $0.value } }
            return ProxyContext(
                namespace: pods.first?.namespace ?? g.namespace, labels: pods.first?.labels ?? g.selector, sidecar: nil,
                gateway: g)
        }
    }

    /// The Sidecar resource that configures a workload: one selecting it, else its namespace's
    /// default, else the root namespace's default.
    func sidecarResource(for w: Workload) -> Sidecar? {
        let sidecars = mesh.resources.sidecars
        if let s = sidecars.first(where: {
            $0.namespace == w.namespace
                && ($0.workloadSelector.map { sel in !sel.isEmpty && sel.allSatisfy { w.labels[$0.key] == $0.value } }
                    ?? false)
        }) {
            return s
        }
        if let s = sidecars.first(where: { $0.namespace == w.namespace && ($0.workloadSelector?.isEmpty ?? true) }) {
            return s
        }
        return sidecars.first(where: {
            $0.namespace == mesh.config.rootNamespace && ($0.workloadSelector?.isEmpty ?? true)
        })
    }

    /// The outbound traffic policy of a scope: its Sidecar resource's, else the mesh's (gateways
    /// refuse unknown hosts).
    public func outboundPolicy(of scope: ProxyScope) -> OutboundTrafficMode {
        guard let ctx = context(scope), ctx.gateway == nil else { return .registryOnly }
        return ctx.sidecar?.outboundTrafficPolicy?.value ?? mesh.config.outboundTrafficPolicy
    }

    /// The listener ports a scope serves.
    public func ports(of scope: ProxyScope) -> [Int] {
        guard let ctx = context(scope) else { return [] }
        if let g = ctx.gateway {
            return Array(Set(g.servers.compactMap { $0.port?.number?.value })).sorted()
        }
        // Proxies with the same visibility (namespace when it matters, Sidecar resource) serve
        // the same ports: compute once per class, not once per proxy.
        let key = ScopeClass(
            namespace: namespaceMatters ? ctx.namespace : "", sidecar: ctx.sidecar?.key, labels: [:], port: -1)
        return cache.ports(for: key) {
            var ports = Set<Int>()
            for (_, hosts) in mesh.hosts {
                for h in hosts where visible(h, to: ctx) { ports.formUnion(h.ports) }
            }
            return ports.sorted()
        }
    }

    // MARK: Visibility

    public static func exportAllows(_ exportTo: [String], owner: String, viewer: String) -> Bool {
        if exportTo.isEmpty { return true }
        for e in exportTo {
            if e == "*" || e == viewer || (e == "." && owner == viewer) { return true }
        }
        return false
    }

    /// Whether the Sidecar's egress hosts let the proxy see `host` from `namespace`.
    static func egressAllows(_ sidecar: Sidecar?, proxyNamespace: String, namespace: String, host: String, port: Int?)
        -> Bool
    {
        guard let sidecar, !sidecar.egress.isEmpty else { return true }
        for listener in sidecar.egress {
            if let p = listener.port?.number?.value, let port, p != port { continue }
            for entry in listener.hosts {
                guard case (let ns?, let pattern) = Mesh.namespacedHost(entry.value) else { continue }
                let nsOK = ns == "*" || ns == namespace || (ns == "." && namespace == proxyNamespace)
                if nsOK && Mesh.hostMatches(pattern: pattern.lowercased(), host: host) { return true }
            }
        }
        return false
    }

    func visible(_ h: ServiceHost, to ctx: ProxyContext) -> Bool {
        RouteTables.exportAllows(h.exportTo, owner: h.namespace, viewer: ctx.namespace)
            && RouteTables.egressAllows(
                ctx.sidecar, proxyNamespace: ctx.namespace, namespace: h.namespace, host: h.fqdn, port: nil)
    }

    // MARK: Listener views

    /// Listener views per class of proxies, computed once.
    final class ListenerCache: Sendable {
        private let portsLock = Mutex<[ScopeClass: [Int]]>([:])
        func ports(for key: ScopeClass, _ make: () -> [Int]) -> [Int] {
            if let hit = portsLock.withLock({ $0[key] }) { return hit }
            let value = make()
            portsLock.withLock { $0[key] = value }
            return value
        }
        private let lock = Mutex<[ScopeClass: ([String: VirtualHostView], [VirtualHostView])]>([:])
        func hosts(for key: ScopeClass, _ make: () -> ([String: VirtualHostView], [VirtualHostView])) -> (
            [String: VirtualHostView], [VirtualHostView]
        ) {
            if let hit = lock.withLock({ $0[key] }) { return hit }
            let value = make()
            lock.withLock { $0[key] = value }
            return value
        }
    }

    public func listener(_ scope: ProxyScope, port: Int) -> ListenerView? {
        guard let ctx = context(scope) else { return nil }
        if let g = ctx.gateway { return gatewayListener(scope, g, ctx, port: port) }
        let key = ScopeClass(
            namespace: namespaceMatters ? ctx.namespace : "", sidecar: ctx.sidecar?.key,
            labels: ctx.labels.filter { selectorLabelKeys.contains($0.key) }, port: port)
        let policy = ctx.sidecar?.outboundTrafficPolicy?.value ?? mesh.config.outboundTrafficPolicy
        let (exact, wildcards) = cache.hosts(for: key) {
            var exact: [String: VirtualHostView] = [:]
            var wildcards: [VirtualHostView] = []
            for (fqdn, hostList) in mesh.hosts {
                guard hostList.contains(where: { $0.ports.contains(port) && visible($0, to: ctx) }) else { continue }
                let view = sidecarVirtualHost(fqdn, port: port, ctx: ctx, scope: scope)
                if fqdn.hasPrefix("*") { wildcards.append(view) } else { exact[fqdn] = view }
            }
            wildcards.sort { $0.host.count != $1.host.count ? $0.host.count > $1.host.count : $0.host < $1.host }
            return (exact, wildcards)
        }
        return ListenerView(
            scope: scope, port: port, namespace: ctx.namespace, hosts: exact, wildcardHosts: wildcards,
            outboundPolicy: policy, domainSuffix: mesh.config.domainSuffix)
    }

    /// The class of proxies that see the same routes as `scope` on `port` (nil for gateways,
    /// which are each their own class).
    public func scopeClass(_ scope: ProxyScope, port: Int) -> ScopeClass? {
        guard let ctx = context(scope), ctx.gateway == nil else { return nil }
        return ScopeClass(
            namespace: namespaceMatters ? ctx.namespace : "", sidecar: ctx.sidecar?.key,
            labels: ctx.labels.filter { selectorLabelKeys.contains($0.key) }, port: port)
    }

    /// Whether a VirtualService is bound to sidecars (`gateways` empty or naming `mesh`).
    static func boundToMesh(_ vs: VirtualService) -> Bool {
        vs.gateways.isEmpty || vs.gateways.contains { $0.value == "mesh" }
    }

    func sidecarVirtualHost(_ fqdn: String, port: Int, ctx: ProxyContext, scope: ProxyScope) -> VirtualHostView {
        var exactMatches: [VirtualService] = []
        var wildcardMatches: [(VirtualService, Int)] = []
        let vss = mesh.resources.virtualServices
        func allowed(_ vs: VirtualService) -> Bool {
            RouteTables.exportAllows(vs.exportTo.map(\.value), owner: vs.namespace, viewer: ctx.namespace)
                && RouteTables.egressAllows(
                    ctx.sidecar, proxyNamespace: ctx.namespace, namespace: vs.namespace, host: fqdn, port: port)
        }
        var seen = Set<Int>()
        for i in meshVSByHost[fqdn] ?? [] where seen.insert(i).inserted && allowed(vss[i]) {
            exactMatches.append(vss[i])
        }
        var best: [Int: Int] = [:]
        for (pattern, i) in meshVSWildcards where !seen.contains(i) && Mesh.hostMatches(pattern: pattern, host: fqdn) {
            best[i] = max(best[i] ?? 0, pattern.count)
        }
        for (i, b) in best where allowed(vss[i]) { wildcardMatches.append((vss[i], b)) }
        let order = vsOrder
        exactMatches.sort { order[$0.key, default: 0] < order[$1.key, default: 0] }
        wildcardMatches.sort { $0.1 != $1.1 ? $0.1 > $1.1 : order[$0.0.key, default: 0] < order[$1.0.key, default: 0] }
        let all = exactMatches + wildcardMatches.map(\.0)
        guard let chosen = all.first else {
            return VirtualHostView(
                host: fqdn, port: port, virtualServices: [], rules: [], shadowedVirtualServices: [],
                httpsRedirect: false)
        }
        let rules = effectiveRules(chosen, ctx: ctx, port: port, gatewayRef: "mesh", gatewayScope: nil)
        return VirtualHostView(
            host: fqdn, port: port, virtualServices: [chosen.key], rules: rules,
            shadowedVirtualServices: all.dropFirst().map(\.key), httpsRedirect: false)
    }

    /// `name` or `namespace/name` as written in a VirtualService, resolved to `namespace/name`.
    static func gatewayRef(_ ref: String, vsNamespace: String) -> String {
        ref == "mesh" || ref.contains("/") ? ref : "\(vsNamespace)/\(ref)"
    }

    func gatewayListener(_ scope: ProxyScope, _ g: Gateway, _ ctx: ProxyContext, port: Int) -> ListenerView? {
        let servers = g.servers.filter { $0.port?.number?.value == port }
        guard !servers.isEmpty else { return nil }
        let gref = g.key.qualifiedName
        // Server host entries: (namespace pattern, host pattern, httpsRedirect).
        var entries: [(ns: String, host: String, redirect: Bool)] = []
        for s in servers {
            for h in s.hosts {
                let (written, host) = Mesh.namespacedHost(h.value)
                let ns = written ?? "*"
                entries.append((ns == "." ? g.namespace : ns, host.lowercased(), s.httpsRedirect?.value ?? false))
            }
        }
        var byDomain: [String: [VirtualService]] = [:]
        var redirectDomains = Set<String>()
        let bound = mesh.resources.virtualServices.filter { vs in
            !vs.isDelegate
                && (vs.gateways.contains { RouteTables.gatewayRef($0.value, vsNamespace: vs.namespace) == gref }
                    || vs.http.contains { r in
                        r.match.contains { m in
                            m.gateways.contains { RouteTables.gatewayRef($0.value, vsNamespace: vs.namespace) == gref }
                        }
                    })
        }.filter { RouteTables.exportAllows($0.exportTo.map(\.value), owner: $0.namespace, viewer: g.namespace) }
        for vs in bound.sorted(by: { vsOrder[$0.key, default: 0] < vsOrder[$1.key, default: 0] }) {
            for h in vs.hosts {
                let vh = mesh.fqdn(h.value, in: vs.namespace)
                for e in entries where e.ns == "*" || e.ns == vs.namespace {
                    guard let domain = RouteTables.intersect(vh, e.host) else { continue }
                    if !(byDomain[domain]?.contains(where: { $0.key == vs.key }) ?? false) {
                        byDomain[domain, default: []].append(vs)
                    }
                    if e.redirect { redirectDomains.insert(domain) }
                }
            }
        }
        var exact: [String: VirtualHostView] = [:]
        var wildcards: [VirtualHostView] = []
        for (domain, vss) in byDomain {
            var normal: [EffectiveRule] = []
            var catchAlls: [EffectiveRule] = []
            for vs in vss {
                for r in effectiveRules(vs, ctx: ctx, port: port, gatewayRef: gref, gatewayScope: g) {
                    if r.matchesEverything { catchAlls.append(r) } else { normal.append(r) }
                }
            }
            let view = VirtualHostView(
                host: domain, port: port, virtualServices: vss.map(\.key), rules: normal + catchAlls,
                shadowedVirtualServices: [], httpsRedirect: redirectDomains.contains(domain))
            if domain.hasPrefix("*") { wildcards.append(view) } else { exact[domain] = view }
        }
        wildcards.sort { $0.host.count > $1.host.count }
        return ListenerView(
            scope: scope, port: port, namespace: ctx.namespace, hosts: exact, wildcardHosts: wildcards,
            outboundPolicy: .registryOnly, domainSuffix: mesh.config.domainSuffix)
    }

    /// The more specific of two host patterns when one covers the other; nil when disjoint.
    static func intersect(_ a: String, _ b: String) -> String? {
        if a == b { return a }
        if Mesh.hostMatches(pattern: b, host: a) { return a }
        if Mesh.hostMatches(pattern: a, host: b) { return b }
        return nil
    }

    // MARK: Rules

    /// The rules of `vs` for a proxy: delegates expanded and merged, blocks whose selectors do
    /// not fit the proxy dropped, rules after a catch-all dropped (as Istio does).
    func effectiveRules(_ vs: VirtualService, ctx: ProxyContext, port: Int, gatewayRef: String, gatewayScope: Gateway?)
        -> [EffectiveRule]
    {
        var out: [EffectiveRule] = []
        for rule in vs.http {
            var candidates: [(RuleRef, HTTPRoute, String, ResourceKey)] = []
            if let d = rule.delegate {
                let ns = d.namespace?.value ?? vs.namespace
                guard
                    let delegateVS = mesh.resources.virtualServices.first(where: {
                        $0.namespace == ns && $0.name == d.name.value && $0.isDelegate
                    })
                else { continue }
                for dr in delegateVS.http where dr.delegate == nil {
                    guard let merged = RouteTables.mergeDelegate(root: rule, delegate: dr) else { continue }
                    candidates.append(
                        (
                            RuleRef(
                                virtualService: vs.key.qualifiedName, index: rule.index, name: merged.name?.value,
                                delegate: delegateVS.key.qualifiedName, delegateIndex: dr.index),
                            merged, delegateVS.namespace, delegateVS.key
                        ))
                }
            } else {
                candidates.append(
                    (
                        RuleRef(virtualService: vs.key.qualifiedName, index: rule.index, name: rule.name?.value), rule,
                        vs.namespace, vs.key
                    ))
            }
            var stop = false
            for (ref, route, ns, source) in candidates {
                var blocks: [MatchBlock] = []
                if !route.match.isEmpty {
                    for (i, m) in route.match.enumerated()
                    where selectorsFit(m, ctx: ctx, port: port, gatewayRef: gatewayRef, vsNamespace: vs.namespace) {
                        blocks.append(MatchBlock(m, index: i))
                    }
                    if blocks.isEmpty { continue }
                }
                let r = EffectiveRule(ref: ref, blocks: blocks, route: route, namespace: ns, source: source)
                out.append(r)
                if r.matchesEverything {
                    stop = true
                    break
                }
            }
            if stop { break }
        }
        return out
    }

    func selectorsFit(_ m: HTTPMatchRequest, ctx: ProxyContext, port: Int, gatewayRef: String, vsNamespace: String)
        -> Bool
    {
        if let p = m.port?.value, p != port { return false }
        for (k, v) in m.sourceLabels where ctx.labels[k] != v { return false }
        if let ns = m.sourceNamespace?.value, ns != ctx.namespace { return false }
        if !m.gateways.isEmpty,
            !m.gateways.contains(where: { RouteTables.gatewayRef($0.value, vsNamespace: vsNamespace) == gatewayRef })
        {
            return false
        }
        return true
    }

    // MARK: Delegation (Istio's mergeHTTPRoute)

    /// Merges a delegate rule into its root rule; nil when a delegate match block conflicts with
    /// every root block (Istio then drops the delegate rule silently).
    public static func mergeDelegate(root: HTTPRoute, delegate: HTTPRoute) -> HTTPRoute? {
        guard let matches = mergeMatches(root: root.match, delegate: delegate.match) else { return nil }
        var d = delegate
        d.match = matches
        if let rn = root.name?.value, !rn.isEmpty {
            if let dn = d.name?.value, !dn.isEmpty {
                d.name = Located(rn + "-" + dn, d.name!.range)
            } else {
                d.name = root.name
            }
        }
        if d.rewrite == nil { d.rewrite = root.rewrite }
        if d.directResponse == nil { d.directResponse = root.directResponse }
        if d.timeout == nil { d.timeout = root.timeout }
        if d.retries == nil { d.retries = root.retries }
        if d.fault == nil { d.fault = root.fault }
        if d.mirror == nil { d.mirror = root.mirror }
        if d.mirrorPercent == nil { d.mirrorPercent = root.mirrorPercent }
        if d.mirrorPercentage == nil { d.mirrorPercentage = root.mirrorPercentage }
        if d.corsPolicy == nil { d.corsPolicy = root.corsPolicy }
        if d.mirrors.isEmpty { d.mirrors = root.mirrors }
        if d.headers == nil { d.headers = root.headers }
        return d
    }

    /// Each delegate block must find at least one compatible root block; the result holds one
    /// merged block per compatible pair. nil on conflict.
    public static func mergeMatches(root: [HTTPMatchRequest], delegate: [HTTPMatchRequest]) -> [HTTPMatchRequest]? {
        if root.isEmpty { return delegate }
        if delegate.isEmpty { return root }
        var out: [HTTPMatchRequest] = []
        for sub in delegate {
            var found = false
            for r in root where !conflict(root: r, leaf: sub) {
                out.append(merge(root: r, delegate: sub))
                found = true
            }
            if !found { return nil }
        }
        return out.isEmpty ? nil : out
    }

    public static func conflict(root: HTTPMatchRequest, leaf: HTTPMatchRequest) -> Bool {
        let pairs: [(StringMatch?, StringMatch?)] = [
            (root.uri, leaf.uri), (root.scheme, leaf.scheme), (root.method, leaf.method),
            (root.authority, leaf.authority),
        ]
        for (r, l) in pairs where stringMatchConflict(r, l) { return true }
        for h in leaf.headers where stringMatchConflict(root.headers.first { $0.name == h.name }?.match, h.match) {
            return true
        }
        for h in leaf.withoutHeaders
        where stringMatchConflict(root.withoutHeaders.first { $0.name == h.name }?.match, h.match) { return true }
        for q in leaf.queryParams
        where stringMatchConflict(root.queryParams.first { $0.name == q.name }?.match, q.match) { return true }
        if root.ignoreUriCase != leaf.ignoreUriCase { return true }
        if let rp = root.port?.value, let lp = leaf.port?.value, rp > 0, lp > 0, rp != lp { return true }
        if let rn = root.sourceNamespace?.value, !rn.isEmpty, leaf.sourceNamespace?.value != rn { return true }
        for (k, v) in leaf.sourceLabels { if let rv = root.sourceLabels[k], rv != v { return true } }
        if !root.gateways.isEmpty, !leaf.gateways.isEmpty {
            if root.gateways.count < leaf.gateways.count { return true }
            let rootSet = Set(root.gateways.map(\.value))
            if leaf.gateways.contains(where: { !rootSet.contains($0.value) }) { return true }
        }
        return false
    }

    static func stringMatchConflict(_ root: StringMatch?, _ leaf: StringMatch?) -> Bool {
        guard let root, let leaf else { return false }
        func parts(_ m: StringMatch) -> (exact: String?, prefix: String?, regex: String?) {
            switch m.kind {
            case .exact(let s): return (s.isEmpty ? nil : s, nil, nil)
            case .prefix(let s): return (nil, s.isEmpty ? nil : s, nil)
            case .regex(let s): return (nil, nil, s.isEmpty ? nil : s)
            case .present: return (nil, nil, nil)
            }
        }
        let r = parts(root)
        let l = parts(leaf)
        if r.regex != nil, l.regex != nil || l.prefix != nil || l.exact != nil { return true }
        if l.regex != nil, r.regex != nil || r.prefix != nil || r.exact != nil { return true }
        if let exact = r.exact {
            if l.prefix != nil { return true }
            if l.exact != exact { return true }
        }
        if let prefix = r.prefix {
            if let lp = l.prefix, !lp.hasPrefix(prefix) { return true }
            if let le = l.exact, !le.hasPrefix(prefix) { return true }
        }
        return false
    }

    static func merge(root: HTTPMatchRequest, delegate: HTTPMatchRequest) -> HTTPMatchRequest {
        var m = delegate
        if let rn = root.name?.value, !rn.isEmpty {
            if let dn = m.name?.value, !dn.isEmpty {
                m.name = Located(rn + "-" + dn, m.name!.range)
            } else {
                m.name = root.name
            }
        }
        if m.uri == nil { m.uri = root.uri }
        if m.scheme == nil { m.scheme = root.scheme }
        if m.method == nil { m.method = root.method }
        if m.authority == nil { m.authority = root.authority }
        func mergeNamed(_ r: [NamedMatch], _ d: [NamedMatch]) -> [NamedMatch] {
            var out = r.filter { x in !d.contains { $0.name == x.name } }
            out += d
            return out
        }
        m.headers = mergeNamed(root.headers, delegate.headers)
        m.withoutHeaders = mergeNamed(root.withoutHeaders, delegate.withoutHeaders)
        m.queryParams = mergeNamed(root.queryParams, delegate.queryParams)
        if m.port == nil || m.port?.value == 0 { m.port = root.port }
        m.sourceLabels = root.sourceLabels.merging(delegate.sourceLabels) { _, d in d }
        if m.sourceNamespace == nil || m.sourceNamespace?.value.isEmpty == true {
            m.sourceNamespace = root.sourceNamespace
        }
        if m.gateways.isEmpty { m.gateways = root.gateways }
        return m
    }
}

extension RouteTables {
    /// The Sidecar resource that configures a workload's proxy (one selecting it, else its
    /// namespace's default, else the root namespace's default).
    public func sidecar(for w: Workload) -> Sidecar? { sidecarResource(for: w) }

    /// Whether a registry host is visible to a proxy (its exportTo and the proxy's Sidecar egress).
    public func isVisible(_ host: ServiceHost, to scope: ProxyScope) -> Bool {
        guard let ctx = context(scope) else { return false }
        return visible(host, to: ctx)
    }
}
