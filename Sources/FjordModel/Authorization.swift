import FjordSource

/// The peer of an inbound connection, as Istio's authorization sees it.
public struct AuthorizationPeer: Hashable, Sendable, CustomStringConvertible {
    /// The mTLS peer identity without `spiffe://` (`cluster.local/ns/foo/sa/bar`); nil for a
    /// plaintext peer, which no identity field (`principals`, `namespaces`, `source.principal`...)
    /// matches.
    public var principal: String?
    /// The connection's source address (`ipBlocks`, `source.ip`).
    public var sourceIP: String?
    /// The original client address (`remoteIpBlocks`, `remote.ip`); the source address when nil.
    public var remoteIP: String?
    /// The JWT principal (`iss/sub`) of the request, when RequestAuthentication validated one.
    public var requestPrincipal: String?

    public init(
        principal: String? = nil, sourceIP: String? = nil, remoteIP: String? = nil, requestPrincipal: String? = nil
    ) {
        self.principal = principal.map { $0.hasPrefix("spiffe://") ? String($0.dropFirst(9)) : $0 }
        self.sourceIP = sourceIP
        self.remoteIP = remoteIP
        self.requestPrincipal = requestPrincipal
    }

    /// A sidecar peer: `trustDomain/ns/namespace/sa/serviceAccount` over mTLS.
    public static func workload(
        namespace: String, serviceAccount: String, trustDomain: String = "cluster.local", ip: String? = nil
    ) -> AuthorizationPeer {
        AuthorizationPeer(principal: "\(trustDomain)/ns/\(namespace)/sa/\(serviceAccount)", sourceIP: ip)
    }

    /// Whether the connection is mutual TLS (the peer has an identity).
    public var isMTLS: Bool { principal != nil }

    /// The namespace in the principal (`.../ns/NAME/...`), as Istio derives `source.namespace`.
    public var namespace: String? { principal.flatMap { Self.segment(after: "ns", in: $0) } }

    /// `namespace/serviceAccount` from the principal (what `serviceAccounts` matches).
    public var serviceAccountRef: String? {
        guard let p = principal, let ns = Self.segment(after: "ns", in: p), let sa = Self.segment(after: "sa", in: p)
        else { return nil }
        return "\(ns)/\(sa)"
    }

    static func segment(after key: String, in principal: String) -> String? {
        let parts = principal.split(separator: "/", omittingEmptySubsequences: false)
        var i = parts.startIndex
        while i < parts.endIndex {
            let next = parts.index(after: i)
            if parts[i] == key, next < parts.endIndex { return String(parts[next]) }
            i = next
        }
        return nil
    }

    public var description: String {
        var s = principal.map { "mTLS `\($0)`" } ?? "plaintext"
        if let ip = sourceIP { s += " from `\(ip)`" }
        return s
    }
}

/// A request (or, for TCP, a connection) arriving at a workload's inbound port.
public struct AuthorizationRequest: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable { case http, tcp }
    public var kind: Kind
    /// The `Host` / `:authority` header as sent (`to.hosts`).
    public var host: String
    /// The workload port the connection reaches (`to.ports`, `destination.port`).
    public var port: Int
    public var method: String
    /// The path with its query string as sent; matching uses the normalised path without the query.
    public var path: String
    /// Header names in lowercase.
    public var headers: [MeshRequest.HeaderField]
    /// The TLS server name (`connection.sni`), when the connection carried one.
    public var sni: String?
    /// The destination address (`destination.ip`).
    public var destinationIP: String?
    /// Values of the `request.auth.*` keys other than the principal (`request.auth.audiences`,
    /// `request.auth.claims[groups]`...), by key; a key not present matches no `values`.
    public var authAttributes: [String: [String]]

    public init(
        kind: Kind = .http, host: String = "", port: Int, method: String = "GET", path: String = "/",
        headers: [MeshRequest.HeaderField] = [], sni: String? = nil, destinationIP: String? = nil,
        authAttributes: [String: [String]] = [:]
    ) {
        self.kind = kind
        self.host = host
        self.port = port
        self.method = method
        self.path = path.isEmpty ? "/" : path
        self.headers = headers
        self.sni = sni
        self.destinationIP = destinationIP
        self.authAttributes = authAttributes
    }

    /// The HTTP request `r` at workload port `port`.
    public init(_ r: MeshRequest, port: Int) {
        self.init(host: r.authority, port: port, method: r.method, path: r.path, headers: r.headers)
    }

    public var description: String {
        kind == .tcp ? "TCP to port \(port)" : "\(method) `\(host)\(path)` on port \(port)"
    }

    /// The value of header `name` (repeated headers joined with `,`), nil when absent.
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        let values = headers.filter { $0.name == lower }.map(\.value)
        return values.isEmpty ? nil : values.joined(separator: ",")
    }
}

/// One rule of one policy.
public struct AuthorizationRuleRef: Hashable, Sendable, CustomStringConvertible {
    public var policy: ResourceKey
    public var action: AuthorizationPolicy.Action
    /// The index in `rules`.
    public var rule: Int
    public init(policy: ResourceKey, action: AuthorizationPolicy.Action, rule: Int) {
        self.policy = policy
        self.action = action
        self.rule = rule
    }
    public var description: String { "rule \(rule) of \(action.rawValue) policy `\(policy.qualifiedName)`" }
}

/// What Istio decides for one request at one workload.
public struct AuthorizationDecision: Hashable, Sendable, CustomStringConvertible {
    public enum Outcome: String, Hashable, Sendable { case allow, deny }
    public enum Reason: String, Hashable, Sendable {
        /// A DENY rule matched.
        case denyRule = "a DENY rule matched"
        /// An ALLOW rule matched.
        case allowRule = "an ALLOW rule matched"
        /// ALLOW policies apply and none of their rules matched.
        case noAllowMatch = "no ALLOW rule matched"
        /// No ALLOW policy applies (and no DENY rule matched).
        case noAllowPolicy = "no ALLOW policy applies"
    }
    public var outcome: Outcome
    public var reason: Reason
    /// The rule that decided (nil for `noAllowMatch` and `noAllowPolicy`).
    public var decidingRule: AuthorizationRuleRef?
    /// Matching AUDIT rules (they change nothing but the access log).
    public var audited: [AuthorizationRuleRef] = []
    /// Matching CUSTOM rules: Istio would ask the external provider first; Fjord does not know its
    /// answer, so the decision shown is the one if the provider allows.
    public var customUnevaluated: [AuthorizationRuleRef] = []

    public var description: String {
        var s = "\(outcome.rawValue): \(reason.rawValue)"
        if let r = decidingRule { s += " (\(r))" }
        return s
    }
}

extension Semantics {
    /// The policies that apply to a sidecar workload, ordered by namespace and name: those in its
    /// namespace and in the root namespace without a selector or whose `matchLabels` the workload
    /// carries. A policy with `targetRefs` attaches to gateways and waypoints, never to a sidecar.
    public static func authorizationPolicies(
        for w: Workload, in resources: ResourceSet, rootNamespace: String
    ) -> [AuthorizationPolicy] {
        resources.authorizationPolicies.filter { p in
            guard p.targetRefs.isEmpty, p.namespace == w.namespace || p.namespace == rootNamespace else { return false }
            return (p.selector ?? [:]).allSatisfy { w.labels[$0.key] == $0.value }
        }.sorted { $0.key < $1.key }
    }

    /// Istio's decision at workload `w` for `request` from `peer`.
    public func authorize(workload w: Workload, peer: AuthorizationPeer, request: AuthorizationRequest)
        -> AuthorizationDecision
    {
        Semantics.authorize(
            policies: Semantics.authorizationPolicies(
                for: w, in: mesh.resources, rootNamespace: mesh.config.rootNamespace),
            peer: peer, request: request)
    }

    /// The reference evaluator over the policies that apply to one workload: CUSTOM (recorded, not
    /// evaluated), then DENY, then ALLOW; without ALLOW policies the request is allowed; with some
    /// and none matching it is denied. AUDIT rules are recorded only.
    public static func authorize(
        policies: [AuthorizationPolicy], peer: AuthorizationPeer, request: AuthorizationRequest
    ) -> AuthorizationDecision {
        func matching(_ action: AuthorizationPolicy.Action) -> [AuthorizationRuleRef] {
            var out: [AuthorizationRuleRef] = []
            for p in policies where p.effectiveAction == action {
                for (i, rule) in p.rules.enumerated()
                where ruleMatches(rule, action: action, peer: peer, request: request) {
                    out.append(AuthorizationRuleRef(policy: p.key, action: action, rule: i))
                }
            }
            return out
        }
        let custom = matching(.custom)
        let audited = matching(.audit)
        if let deny = matching(.deny).first {
            return AuthorizationDecision(
                outcome: .deny, reason: .denyRule, decidingRule: deny, audited: audited, customUnevaluated: custom)
        }
        guard policies.contains(where: { $0.effectiveAction == .allow }) else {
            return AuthorizationDecision(
                outcome: .allow, reason: .noAllowPolicy, audited: audited, customUnevaluated: custom)
        }
        if let allow = matching(.allow).first {
            return AuthorizationDecision(
                outcome: .allow, reason: .allowRule, decidingRule: allow, audited: audited, customUnevaluated: custom)
        }
        return AuthorizationDecision(outcome: .deny, reason: .noAllowMatch, audited: audited, customUnevaluated: custom)
    }

    // MARK: Rules

    /// Keys of `when` that only an HTTP request has.
    static func isHTTPOnlyKey(_ key: String) -> Bool { key.hasPrefix("request.") }

    /// Whether `rule` matches: any `from` (or none), any `to` (or none), and every `when`.
    /// On a TCP connection an ALLOW or CUSTOM rule with HTTP-only fields never matches, and a DENY
    /// or AUDIT rule is evaluated without them (Istio's more restrictive reading for each).
    public static func ruleMatches(
        _ rule: AuthorizationPolicy.Rule, action: AuthorizationPolicy.Action, peer: AuthorizationPeer,
        request: AuthorizationRequest
    ) -> Bool {
        let tcp = request.kind == .tcp
        if tcp, action == .allow || action == .custom {
            let httpOnly =
                rule.from.contains { !($0.requestPrincipals.isEmpty && $0.notRequestPrincipals.isEmpty) }
                || rule.to.contains(where: \.hasHTTPFields) || rule.when.contains { isHTTPOnlyKey($0.key.value) }
            if httpOnly { return false }
        }
        let fromOK = rule.from.isEmpty || rule.from.contains { sourceMatches($0, peer, ignoreHTTP: tcp) }
        let toOK = rule.to.isEmpty || rule.to.contains { operationMatches($0, request, ignoreHTTP: tcp) }
        let whenOK = rule.when.allSatisfy { c in
            (tcp && isHTTPOnlyKey(c.key.value)) || conditionMatches(c, peer, request)
        }
        return fromOK && toOK && whenOK
    }

    /// A field's positive and negative lists: some positive value matches (or the list is empty)
    /// and no negative value does. `value` nil (the attribute is absent) matches no value.
    static func field(
        _ values: [Located<String>], _ notValues: [Located<String>], _ value: String?,
        _ match: (String, String) -> Bool
    ) -> Bool {
        if !values.isEmpty {
            guard let v = value, values.contains(where: { match($0.value, v) }) else { return false }
        }
        if let v = value, notValues.contains(where: { match($0.value, v) }) { return false }
        return true
    }

    static func sourceMatches(_ s: AuthorizationPolicy.Source, _ peer: AuthorizationPeer, ignoreHTTP: Bool) -> Bool {
        let str = { (p: String, v: String) in istioStringMatches(p, v) }
        return field(s.principals, s.notPrincipals, peer.principal, str)
            && field(s.namespaces, s.notNamespaces, peer.namespace, str)
            && field(s.serviceAccounts, s.notServiceAccounts, peer.serviceAccountRef, { $0 == $1 })
            && (ignoreHTTP || field(s.requestPrincipals, s.notRequestPrincipals, peer.requestPrincipal, str))
            && field(s.ipBlocks, s.notIpBlocks, peer.sourceIP, cidrContains)
            && field(s.remoteIpBlocks, s.notRemoteIpBlocks, peer.remoteIP ?? peer.sourceIP, cidrContains)
    }

    static func operationMatches(
        _ o: AuthorizationPolicy.Operation, _ r: AuthorizationRequest, ignoreHTTP: Bool
    ) -> Bool {
        let portOK = field(o.ports, o.notPorts, String(r.port), { Int($0) != nil && Int($0) == Int($1) })
        if ignoreHTTP { return portOK }
        let path = normalizedPath(r.path)
        return portOK
            && field(o.hosts, o.notHosts, r.host, { istioStringMatches($0.lowercased(), $1.lowercased()) })
            && field(o.methods, o.notMethods, r.method, istioStringMatches)
            && field(o.paths, o.notPaths, path, istioStringMatches)
    }

    /// `when`: the key's value matches some of `values` (if any) and none of `notValues`.
    static func conditionMatches(
        _ c: AuthorizationPolicy.Condition, _ peer: AuthorizationPeer, _ r: AuthorizationRequest
    ) -> Bool {
        let key = c.key.value
        let str = { (p: String, v: String) in istioStringMatches(p, v) }
        func one(_ value: String?, _ m: (String, String) -> Bool) -> Bool { field(c.values, c.notValues, value, m) }
        if key.hasPrefix("request.headers["), key.hasSuffix("]") {
            let name = String(key.dropFirst("request.headers[".count).dropLast())
            return one(r.header(name), str)
        }
        switch key {
        case "source.ip": return one(peer.sourceIP, cidrContains)
        case "remote.ip": return one(peer.remoteIP ?? peer.sourceIP, cidrContains)
        case "destination.ip": return one(r.destinationIP, cidrContains)
        case "source.namespace": return one(peer.namespace, str)
        case "source.principal": return one(peer.principal, str)
        case "destination.port": return one(String(r.port), { Int($0) != nil && Int($0) == Int($1) })
        case "connection.sni": return one(r.sni, str)
        case "request.auth.principal": return one(peer.requestPrincipal, str)
        default:
            guard key.hasPrefix("request.auth.") else { return false }
            // A list attribute (audiences, a claim array) matches when one of its values does.
            let values = r.authAttributes[key] ?? []
            if !c.values.isEmpty, !values.contains(where: { v in c.values.contains { str($0.value, v) } }) {
                return false
            }
            return !values.contains { v in c.notValues.contains { str($0.value, v) } }
        }
    }

    // MARK: Strings, paths, addresses

    /// Istio's authorization string match: `*` is presence (any non-empty value), `abc*` a prefix,
    /// `*abc` a suffix, anything else exact.
    public static func istioStringMatches(_ pattern: String, _ value: String) -> Bool {
        if pattern == "*" { return !value.isEmpty }
        if pattern.hasSuffix("*") { return value.hasPrefix(pattern.dropLast()) }
        if pattern.hasPrefix("*") { return value.hasSuffix(pattern.dropFirst()) }
        return pattern == value
    }

    /// The path Istio's default normalisation (`BASE`, Envoy's `normalize_path`, RFC 3986) gives
    /// the policy matchers: without query and fragment, percent-encoded unreserved characters
    /// decoded, dot segments removed. `%2F` stays encoded and slashes are not merged (`BASE`).
    public static func normalizedPath(_ raw: String) -> String {
        let cut = raw.firstIndex(where: { $0 == "?" || $0 == "#" }) ?? raw.endIndex
        let path = decodeUnreserved(String(raw[..<cut]))
        var out: [Substring] = []
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        for (i, seg) in segments.enumerated() {
            let last = i == segments.count - 1
            if seg == "." {
                if last { out.append("") }
            } else if seg == ".." {
                if out.count > 1 { out.removeLast() }
                if last { out.append("") }
            } else {
                out.append(seg)
            }
        }
        let joined = out.joined(separator: "/")
        if joined.isEmpty { return "/" }
        return joined.hasPrefix("/") ? joined : "/" + joined
    }

    static func decodeUnreserved(_ s: String) -> String {
        guard s.contains("%") else { return s }
        var bytes = Array(s.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        func hex(_ b: UInt8) -> UInt8? {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count, let h = hex(bytes[i + 1]), let l = hex(bytes[i + 2])
            {
                let c = h << 4 | l
                let unreserved =
                    (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x2D
                    || c == 0x2E || c == 0x5F || c == 0x7E
                if unreserved {
                    out.append(c)
                    i += 3
                    continue
                }
            }
            out.append(bytes[i])
            i += 1
        }
        bytes = out
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether address `ip` lies in `cidr` (an address alone is a /32 or /128). Unparsable text
    /// on either side matches nothing.
    public static func cidrContains(_ cidr: String, _ ip: String) -> Bool {
        let parts = cidr.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = parts.first, let net = parseIP(first), let addr = parseIP(Substring(ip)),
            net.count == addr.count
        else { return false }
        var bits = net.count * 8
        if parts.count == 2 {
            guard let p = Int(parts[1]), p >= 0, p <= bits else { return false }
            bits = p
        }
        for i in 0..<net.count {
            let take = min(8, max(0, bits - i * 8))
            if take == 0 { break }
            let mask: UInt8 = take == 8 ? 0xFF : ~(0xFF >> UInt8(take))
            if net[i] & mask != addr[i] & mask { return false }
        }
        return true
    }

    /// An IPv4 (4 bytes) or IPv6 (16 bytes) address.
    static func parseIP(_ s: Substring) -> [UInt8]? {
        if !s.contains(":") {
            let parts = s.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 4 else { return nil }
            var out: [UInt8] = []
            for p in parts {
                guard !p.isEmpty, p.count <= 3, p.allSatisfy(\.isASCII), let v = UInt8(p) else { return nil }
                out.append(v)
            }
            return out
        }
        var halves = [String(s)]
        if let gap = s.firstRange(of: "::") {
            let rest = s[gap.upperBound...]
            if rest.contains("::") || rest.hasPrefix(":") { return nil }
            halves = [String(s[..<gap.lowerBound]), String(rest)]
        }
        func groups(_ t: String) -> [UInt8]? {
            if t.isEmpty { return [] }
            var out: [UInt8] = []
            let gs = t.split(separator: ":", omittingEmptySubsequences: false)
            for (i, g) in gs.enumerated() {
                if i == gs.count - 1, g.contains("."), let v4 = parseIP(g) {
                    out += v4
                    continue
                }
                guard !g.isEmpty, g.count <= 4, let v = UInt16(g, radix: 16) else { return nil }
                out += [UInt8(v >> 8), UInt8(v & 0xFF)]
            }
            return out
        }
        guard let head = groups(halves[0]) else { return nil }
        if halves.count == 1 { return head.count == 16 ? head : nil }
        guard let tail = groups(halves[1]), head.count + tail.count <= 14 else { return nil }
        return head + [UInt8](repeating: 0, count: 16 - head.count - tail.count) + tail
    }
}
