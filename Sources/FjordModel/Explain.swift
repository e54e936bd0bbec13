import FjordTable

/// A decision with the reasoning behind it: the virtual host chosen, and for each rule tried
/// before the one taken, the condition that failed.
public struct Explanation: Sendable {
    public struct BlockTrace: Sendable {
        public var index: Int
        /// The first condition the request fails, or nil when the block matches.
        public var failed: String?
    }

    public struct RuleTrace: Sendable {
        public var ref: RuleRef
        public var matched: Bool
        /// Empty for a rule without `match` (it matches everything).
        public var blocks: [BlockTrace]
        /// The conditions of the block that matched, described.
        public var matchedConditions: [String]
    }

    public var decision: DecisionRecord
    public var scope: ProxyScope
    public var port: Int
    /// The VirtualServices that bind the host, in order.
    public var virtualServices: [String]
    /// VirtualServices that bind the host but that this proxy ignores (only the first counts).
    public var ignoredVirtualServices: [String]
    public var rules: [RuleTrace]
    /// How the authority was resolved (`payment-service` -> `payment-service.default.svc.cluster.local`).
    public var hostResolution: String?
}

extension Semantics {
    /// Decides like `decide` and records why.
    public func explain(_ request: MeshRequest, at scope: ProxyScope) -> Explanation {
        let decision = decide(request, at: scope)
        var ex = Explanation(
            decision: decision, scope: scope, port: request.port, virtualServices: [], ignoredVirtualServices: [],
            rules: [],
            hostResolution: nil)
        guard let listener = tables.listener(scope, port: request.port),
            let vhost = virtualHost(for: request, in: listener)
        else {
            if tables.listener(scope, port: request.port) == nil {
                ex.hostResolution = "the proxy has no listener on port \(request.port)"
            } else {
                ex.hostResolution = "`\(request.hostName)` is not a host this proxy knows on port \(request.port)"
            }
            return ex
        }
        ex.hostResolution = request.hostName == vhost.host ? nil : "`\(request.authority)` resolves to `\(vhost.host)`"
        ex.virtualServices = vhost.virtualServices.map(\.qualifiedName)
        ex.ignoredVirtualServices = vhost.shadowedVirtualServices.map(\.qualifiedName)
        for rule in vhost.rules {
            var trace = Explanation.RuleTrace(ref: rule.ref, matched: false, blocks: [], matchedConditions: [])
            if rule.blocks.isEmpty {
                trace.matched = true
            } else {
                for (i, b) in rule.blocks.enumerated() {
                    let failed = firstFailure(b, request)
                    trace.blocks.append(.init(index: b.index == i ? i : b.index, failed: failed))
                    if failed == nil {
                        trace.matched = true
                        trace.matchedConditions = describe(b)
                        break
                    }
                }
            }
            ex.rules.append(trace)
            if trace.matched { break }
        }
        return ex
    }

    /// The first condition of a block that the request fails, described for people.
    public func firstFailure(_ b: MatchBlock, _ r: MeshRequest) -> String? {
        if let u = b.uri, !uriMatches(u, r, ignoreCase: b.ignoreUriCase) {
            return
                "path `\(u.kind.isPrefix ? r.pathAndQuery : r.pathOnly)` does not match uri \(u)\(b.ignoreUriCase ? " (ignoring case)" : "")"
        }
        if let s = b.scheme, !stringMatches(s, r.scheme) { return "scheme `\(r.scheme)` does not match \(s)" }
        if let m = b.method, !stringMatches(m, r.method) { return "method `\(r.method)` does not match \(m)" }
        if let a = b.authority, !stringMatches(a, r.authority) {
            return "authority `\(r.authority)` does not match \(a)"
        }
        for h in b.headers {
            guard let v = r.header(h.name.value) else { return "header `\(h.name.value)` is absent" }
            if !stringMatches(h.match, v) {
                return "header `\(h.name.value)` is `\(v)`, which does not match \(h.match)"
            }
        }
        for q in b.queryParams {
            guard let v = r.queryParameter(q.name.value) else { return "query parameter `\(q.name.value)` is absent" }
            if !stringMatches(q.match, v) {
                return "query parameter `\(q.name.value)` is `\(v)`, which does not match \(q.match)"
            }
        }
        for h in b.withoutHeaders {
            if let v = r.header(h.name.value), stringMatches(h.match, v) {
                return "header `\(h.name.value)` is `\(v)`, which `withoutHeaders` excludes (\(h.match))"
            }
        }
        return nil
    }

    func describe(_ b: MatchBlock) -> [String] {
        var out: [String] = []
        if let u = b.uri { out.append("uri \(u)\(b.ignoreUriCase ? " (ignoring case)" : "")") }
        if let s = b.scheme { out.append("scheme \(s)") }
        if let m = b.method { out.append("method \(m)") }
        if let a = b.authority { out.append("authority \(a)") }
        for h in b.headers { out.append("header `\(h.name.value)` \(h.match)") }
        for q in b.queryParams { out.append("query parameter `\(q.name.value)` \(q.match)") }
        for h in b.withoutHeaders { out.append("without header `\(h.name.value)` \(h.match)") }
        return out
    }
}

extension StringMatch.Kind {
    var isPrefix: Bool {
        if case .prefix = self { return true }
        return false
    }
}
