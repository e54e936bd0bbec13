import FjordModel
import FjordSource
import FjordTable

/// What a configuration change does to routing, computed on decision diagrams.
///
/// For every proxy scope and listener port, the hosts both states see are compared. Scopes are
/// grouped by the pair of their route classes (`RouteTables.ScopeClass` in the old and in the new
/// state; each gateway is its own class), so a mesh of 2,000 sidecars that all see the same
/// routes costs one comparison, not 2,000. A host whose virtual host and outcomes are equal in
/// both states is skipped without compiling anything. For the others, the old and the new rules
/// are compiled over shared levels into one hash-consed diagram, each side's terminals are mapped
/// to outcome numbers, and the product `old(x) * width + new(x)` is built. Its terminals with
/// different halves are exactly the changed request classes (one per pair of outcomes), and a
/// path to each is a witness request, re-evaluated on both sides' diagrams before it is reported.
///
/// Outcomes are what traffic sees: the decision record without the rule that made it (a renamed
/// or reordered rule with the same action is no change), with the destinations that resolve to
/// no cluster (a subset no DestinationRule defines: Envoy answers 503).
public enum RouteDiff {
    /// A decision as traffic sees it.
    public struct Outcome: Hashable, Sendable, CustomStringConvertible {
        public var decision: DecisionRecord
        /// Destinations (`host subset`) that no cluster serves, so requests routed there fail
        /// with 503.
        public var unresolved: [String]

        public init(decision: DecisionRecord, unresolved: [String] = []) {
            var d = decision
            d.rule = nil
            // A 404, a passthrough or a blackhole is the same for traffic whichever virtual host
            // (or none) the authority selected.
            if d.outcome == .noRoute || d.outcome == .passthrough || d.outcome == .blackhole { d.host = nil }
            self.decision = d
            self.unresolved = unresolved
        }

        public var description: String {
            var s: String
            switch decision.outcome {
            case .matched: s = decision.action.map(Outcome.describe) ?? "matched"
            case .defaultRoute: s = "default route to \(decision.host ?? "?")"
            case .noRoute: s = "404 (no route)"
            case .passthrough: s = "passthrough (unknown host)"
            case .blackhole: s = "502 (unknown host, REGISTRY_ONLY)"
            }
            if !unresolved.isEmpty { s += "; 503 for \(unresolved.joined(separator: ", ")) (no such subset)" }
            return s
        }

        static func describe(_ a: ActionRecord) -> String {
            switch a.kind {
            case .redirect: return "redirect \(a.redirect?.code ?? 301)"
            case .directResponse: return "direct response \(a.directStatus ?? 0)"
            case .route:
                return shares(a).map { "\($0.destination) \($0.percent) %" }.joined(separator: ", ")
            }
        }

        /// The share of requests each destination gets, in percent (weights normalised as Envoy does).
        public static func shares(_ a: ActionRecord) -> [(destination: String, percent: String)] {
            let total = a.destinations.reduce(0) { $0 + max(0, $1.weight) }
            return a.destinations.map { d in
                var name = d.host
                if let s = d.subset { name += " \(s)" }
                let pct = total > 0 ? Double(max(0, d.weight)) * 100 / Double(total) : 0
                let rounded = (pct * 10).rounded() / 10
                let text = rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
                return (name, text)
            }
        }
    }

    /// A class of requests whose outcome changes: every request of a host for which the old
    /// state decides `before` and the new one `after`.
    public struct ChangedClass: Sendable {
        public var before: Outcome
        public var after: Outcome
        /// The rules that decide the witness in each state (nil: no rule, or a built-in route).
        public var beforeRule: RuleRef?
        public var afterRule: RuleRef?
        /// Where the rule that decides the witness is written in the new state (or the old one).
        public var range: SourceRange?
        /// A request of the class, checked on both states' diagrams; nil when none was found.
        public var witness: MeshRequest?
        /// How many (old rule, new rule) pairs this class merges.
        public var rulePairs: Int
    }

    /// The changes of one host on one listener port, for the proxies that see it.
    public struct HostChange: Sendable {
        public var scopes: [ProxyScope]
        public var port: Int
        public var host: String
        /// The VirtualServices that route the host in the new state (in the old one if it has none).
        public var virtualServices: [ResourceKey]
        /// The first of them, in the state it is taken from.
        public var range: SourceRange?
        public var classes: [ChangedClass]
        /// Why the host could not be compared exactly (a diagram budget), when it could not.
        public var incomplete: String?
    }

    /// A host whose DestinationRules changed (subsets, load balancing, locality, TLS, pools).
    public struct DestinationPolicyChange: Sendable {
        public var host: String
        public var destinationRules: [ResourceKey]
        public var subsetsAdded: [String]
        public var subsetsRemoved: [String]
        /// True when a traffic policy (of the host, a port or a subset) differs.
        public var policyChanged: Bool
    }

    public struct Result: Sendable {
        public var hostChanges: [HostChange] = []
        public var destinationPolicyChanges: [DestinationPolicyChange] = []
        public var scopesAdded: [ProxyScope] = []
        public var scopesRemoved: [ProxyScope] = []
        /// Host comparisons made, and how many of them needed a product diagram.
        public var hostsCompared = 0
        public var productsBuilt = 0

        public init() {}

        public var changesRouting: Bool { !hostChanges.isEmpty || !scopesAdded.isEmpty || !scopesRemoved.isEmpty }
    }

    /// The host name used for an unknown authority (one neither state routes).
    public static let unknownHost = "fjord-unknown-host.invalid"

    /// Compares every scope and host of two meshes.
    public static func compute(old: Mesh, new: Mesh) -> Result {
        let o = RouteTables(mesh: old)
        let n = RouteTables(mesh: new)
        var result = Result()
        let oldScopes = Set(o.scopes)
        let newScopes = Set(n.scopes)
        result.scopesAdded = newScopes.subtracting(oldScopes).sorted()
        result.scopesRemoved = oldScopes.subtracting(newScopes).sorted()
        let oldSubsets = definedSubsets(old)
        let newSubsets = definedSubsets(new)

        struct GroupKey: Hashable {
            var old: RouteTables.ScopeClass?
            var new: RouteTables.ScopeClass?
            var gateway: String?
            var port: Int
        }
        var groups: [GroupKey: [ProxyScope]] = [:]
        var groupOrder: [GroupKey] = []
        for scope in oldScopes.intersection(newScopes).sorted() {
            let ports = Set(o.ports(of: scope)).union(n.ports(of: scope))
            for port in ports.sorted() {
                let key: GroupKey
                if case .gateway(let id) = scope {
                    key = GroupKey(old: nil, new: nil, gateway: id, port: port)
                } else {
                    key = GroupKey(
                        old: o.scopeClass(scope, port: port), new: n.scopeClass(scope, port: port), gateway: nil,
                        port: port)
                }
                if groups[key] == nil { groupOrder.append(key) }
                groups[key, default: []].append(scope)
            }
        }
        // Changes with the same content for several groups (namespaces that see the same hosts)
        // are merged into one, with the union of their scopes.
        var merged: [String: Int] = [:]
        for key in groupOrder {
            guard let scopes = groups[key], let rep = scopes.first else { continue }
            let lo = o.listener(rep, port: key.port)
            let ln = n.listener(rep, port: key.port)
            let isGateway: Bool
            if case .gateway = rep { isGateway = true } else { isGateway = false }
            var names = Set<String>()
            for l in [lo, ln].compactMap({ $0 }) {
                names.formUnion(l.hosts.keys)
                for w in l.wildcardHosts { names.insert(concrete(w.host)) }
            }
            if lo?.outboundPolicy != ln?.outboundPolicy, !isGateway { names.insert(unknownHost) }
            for name in names.sorted() {
                result.hostsCompared += 1
                let vo = lo.flatMap { resolve(name, in: $0) }
                let vn = ln.flatMap { resolve(name, in: $0) }
                let so = Side(
                    vhost: vo, listener: lo, mesh: old, subsets: oldSubsets, isGateway: isGateway,
                    fallbackPolicy: o.outboundPolicy(of: rep))
                let sn = Side(
                    vhost: vn, listener: ln, mesh: new, subsets: newSubsets, isGateway: isGateway,
                    fallbackPolicy: n.outboundPolicy(of: rep))
                if vo == vn && so.outcomes == sn.outcomes && so.none == sn.none { continue }
                result.productsBuilt += 1
                let fromNew = vn?.virtualServices.isEmpty == false
                let vss = (fromNew ? vn : vo)?.virtualServices ?? []
                let range = vss.first.flatMap { k in
                    (fromNew ? new : old).resources.virtualServices.first { $0.key == k }?.origin.kindRange
                }
                var change = HostChange(
                    scopes: scopes, port: key.port, host: name, virtualServices: vss, range: range, classes: [],
                    incomplete: nil)
                let names = authorities(
                    name, port: key.port, scopes: scopes, isGateway: isGateway,
                    suffix: (ln ?? lo)?.domainSuffix ?? new.config.domainSuffix)
                do {
                    change.classes = try classes(old: so, new: sn, authorities: names, port: key.port)
                } catch {
                    change.incomplete = "\(error)"
                }
                if change.classes.isEmpty && change.incomplete == nil { continue }
                // Merged only when the witnesses are equal too: each was checked in its own group.
                let signature =
                    "\(key.port) \(name) "
                    + change.classes.map { "\($0.before)|\($0.after)|\($0.witness.map { "\($0)" } ?? "-")" }
                    .joined(separator: ";")
                if let i = merged[signature] {
                    result.hostChanges[i].scopes += scopes
                } else {
                    merged[signature] = result.hostChanges.count
                    result.hostChanges.append(change)
                }
            }
        }
        for i in result.hostChanges.indices { result.hostChanges[i].scopes.sort() }
        result.destinationPolicyChanges = destinationPolicyChanges(old: old, new: new)
        return result
    }

    /// The virtual host a listener gives a host name: the exact host, else the first wildcard.
    static func resolve(_ name: String, in l: ListenerView) -> VirtualHostView? {
        if let v = l.hosts[name] { return v }
        return l.wildcardHosts.first { Mesh.hostMatches(pattern: $0.host, host: name) }
    }

    /// The authorities a client writes for `name` that reach it from every one of `scopes`: the
    /// name, with the port, in capitals, and for a sidecar the Kubernetes short forms
    /// (`svc.ns`, `svc.ns.svc`, and `svc` when every scope is in `ns`). Rules can match on the
    /// authority, so the classes of a host are those of these names.
    static func authorities(_ name: String, port: Int, scopes: [ProxyScope], isGateway: Bool, suffix: String)
        -> [String]
    {
        var out = [name, "\(name):\(port)", name.uppercased()]
        let tail = ".svc.\(suffix)"
        if !isGateway, name.hasSuffix(tail), name.count > tail.count {
            let short = String(name.dropLast(tail.count))
            out += [short, short + ".svc"]
            if let dot = short.firstIndex(of: ".") {
                let ns = String(short[short.index(after: dot)...])
                if !ns.contains("."), scopes.allSatisfy({ $0.namespace == ns }) { out.append(String(short[..<dot])) }
            }
        }
        var seen = Set<String>()
        return out.filter { seen.insert($0).inserted }
    }

    /// A host name a wildcard pattern matches (`*.example.com` -> `fjord-diff.example.com`).
    static func concrete(_ pattern: String) -> String {
        if pattern == "*" { return "fjord-diff.example" }
        if pattern.hasPrefix("*") { return "fjord-diff" + pattern.dropFirst() }
        return pattern
    }

    /// Subsets the DestinationRules of a mesh define, as `fqdn subset`.
    static func definedSubsets(_ mesh: Mesh) -> Set<String> {
        var out = Set<String>()
        for dr in mesh.resources.destinationRules where !dr.host.value.isEmpty {
            let host = mesh.fqdn(dr.host.value, in: dr.namespace)
            for s in dr.subsets { out.insert("\(host) \(s.name.value)") }
        }
        return out
    }

    /// One state of one host: its blocks in first-match order and the outcome of each slot.
    struct Side {
        var blocks: [(value: Int, conjunction: Conjunction)] = []
        var outcomes: [Outcome] = []
        var rules: [RuleRef?] = []
        var ranges: [SourceRange?] = []
        var none: Outcome

        init(
            vhost: VirtualHostView?, listener: ListenerView?, mesh: Mesh, subsets: Set<String>, isGateway: Bool,
            fallbackPolicy: OutboundTrafficMode
        ) {
            guard let v = vhost else {
                if isGateway {
                    none = Outcome(decision: DecisionRecord(outcome: .noRoute))
                } else {
                    let policy = listener?.outboundPolicy ?? fallbackPolicy
                    none = Outcome(decision: DecisionRecord(outcome: policy == .allowAny ? .passthrough : .blackhole))
                }
                return
            }
            if v.httpsRedirect {
                blocks.append((0, Conjunction([Condition(.scheme, [Predicate(.exact("http"))])])))
                outcomes.append(
                    Outcome(
                        decision: DecisionRecord(
                            outcome: .matched, host: v.host, rule: nil,
                            action: ActionRecord(
                                kind: .redirect,
                                redirect: RedirectRecord(
                                    uri: nil, authority: nil, scheme: "https", port: nil, derivePort: nil, code: 301),
                                retries: .none))))
                rules.append(nil)
                ranges.append(nil)
            }
            guard v.hasVirtualService else {
                if isGateway {
                    none = Outcome(decision: DecisionRecord(outcome: .noRoute, host: v.host))
                } else {
                    none = Outcome(
                        decision: DecisionRecord(
                            outcome: .defaultRoute, host: v.host,
                            action: ActionRecord(
                                kind: .route,
                                destinations: [
                                    DestinationRecord(host: v.host, subset: nil, port: v.port, weight: 100)
                                ])))
                }
                return
            }
            none = Outcome(decision: DecisionRecord(outcome: .noRoute, host: v.host))
            let builder = ActionBuilder(mesh: mesh)
            let offset = outcomes.count
            for (i, r) in v.rules.enumerated() {
                let action = builder.action(for: r, vhost: v, listenerPort: v.port)
                var unresolved: [String] = []
                for d in action.destinations {
                    if let s = d.subset, !subsets.contains("\(d.host) \(s)") { unresolved.append("\(d.host) \(s)") }
                }
                outcomes.append(
                    Outcome(
                        decision: DecisionRecord(outcome: .matched, host: v.host, rule: nil, action: action),
                        unresolved: unresolved))
                rules.append(r.ref)
                ranges.append(r.route.range.isSynthetic ? nil : r.route.range)
                if r.blocks.isEmpty {
                    blocks.append((offset + i, Conjunction([])))
                } else {
                    for b in r.blocks { blocks.append((offset + i, Conjunction(b))) }
                }
            }
        }
    }

    /// The changed classes of one host: the product of its two states' diagrams, restricted to
    /// requests whose authority is one of `authorities` (rules may test the authority; other
    /// authorities do not reach this host).
    static func classes(old: Side, new: Side, authorities: [String], port: Int) throws -> [ChangedClass] {
        let (levels, diagram, segments, _, _) = try RouteCompiler.compileSides(
            [old.blocks, new.blocks], maxNodes: 1_000_000, minimizeAutomata: false)
        var oldRef = Diagram.none
        for s in segments[0] { oldRef = try diagram.min(oldRef, s) }
        var newRef = Diagram.none
        for s in segments[1] { newRef = try diagram.min(newRef, s) }
        // Outcome numbers shared by both sides.
        var ids: [Outcome: Int] = [:]
        var outcomes: [Outcome] = []
        func id(_ o: Outcome) -> Int {
            if let i = ids[o] { return i }
            ids[o] = outcomes.count
            outcomes.append(o)
            return outcomes.count - 1
        }
        let oldIDs = old.outcomes.map(id)
        let oldNone = id(old.none)
        let newIDs = new.outcomes.map(id)
        let newNone = id(new.none)
        let width = outcomes.count
        guard width > 1 else { return [] }
        let oldMapped = try diagram.mapTerminals(oldRef) { $0 == Diagram.noneValue ? oldNone : oldIDs[$0] }
        let newMapped = try diagram.mapTerminals(newRef) { $0 == Diagram.noneValue ? newNone : newIDs[$0] }
        let product = try diagram.product(oldMapped, newMapped, width: width)
        // The slot product, for the count of (old rule, new rule) pairs each class merges.
        let slotWidth = max(old.outcomes.count, new.outcomes.count) + 1
        let slotProduct = try diagram.product(
            diagram.mapTerminals(oldRef) { $0 == Diagram.noneValue ? slotWidth - 1 : $0 },
            diagram.mapTerminals(newRef) { $0 == Diagram.noneValue ? slotWidth - 1 : $0 }, width: slotWidth)
        // Each authority fixes the classes of the authority levels.
        let authorityLevels = levels.indices.filter { levels[$0].attribute == .authority }
        // Paths start with `/`: only the path classes that hold such a value are real requests.
        var pathClasses: [Int: Set<Int>] = [:]
        for l in levels.indices where levels[l].attribute == .path || levels[l].attribute == .pathWithQuery {
            pathClasses[l] = levels[l].classifier.classes(withPrefix: "/")
        }
        let fixings: [(authority: String, fixed: [Int: Set<Int>])] = authorities.map { a in
            var fixed = pathClasses
            for l in authorityLevels { fixed[l] = [levels[l].classifier.classify(a)] }
            return (a, fixed)
        }
        let uniqueFixings = authorityLevels.isEmpty ? Array(fixings.prefix(1)) : fixings
        var pairsPerClass: [Int: Set<Int>] = [:]
        var reachable = Set<Int>()
        for f in uniqueFixings {
            reachable.formUnion(terminals(diagram, product, fixed: f.fixed))
            for v in terminals(diagram, slotProduct, fixed: f.fixed) {
                let (a, b) = (v / slotWidth, v % slotWidth)
                let oa = a == slotWidth - 1 ? oldNone : oldIDs[a]
                let ob = b == slotWidth - 1 ? newNone : newIDs[b]
                if oa != ob { pairsPerClass[oa * width + ob, default: []].insert(v) }
            }
        }
        var out: [ChangedClass] = []
        for value in reachable.sorted() {
            let (a, b) = (value / width, value % width)
            guard a != b else { continue }
            var c = ChangedClass(
                before: outcomes[a], after: outcomes[b], beforeRule: nil, afterRule: nil, witness: nil,
                rulePairs: max(1, pairsPerClass[value]?.count ?? 1))
            for f in uniqueFixings {
                guard let path = path(diagram, product, to: value, fixed: f.fixed) else { continue }
                guard let built = ReachabilityAnalysis.request(levels: levels, path: path, host: f.authority)
                else { continue }
                var request = built.request
                request.authority = f.authority
                request.port = port
                let classes = ReachabilityAnalysis.classes(of: request, selectors: built.selectors, levels: levels)
                let so = diagram.evaluate(oldRef, classOf: { classes[$0] })
                let sn = diagram.evaluate(newRef, classOf: { classes[$0] })
                let oa = so == Diagram.noneValue ? oldNone : oldIDs[so]
                let ob = sn == Diagram.noneValue ? newNone : newIDs[sn]
                // The witness must be in the class: the same outcomes on both diagrams.
                guard oa == a, ob == b else { continue }
                c.witness = request
                c.beforeRule = so == Diagram.noneValue ? nil : old.rules[so]
                c.afterRule = sn == Diagram.noneValue ? nil : new.rules[sn]
                c.range =
                    (sn == Diagram.noneValue ? nil : new.ranges[sn]) ?? (so == Diagram.noneValue ? nil : old.ranges[so])
                break
            }
            out.append(c)
        }
        return out
    }

    /// Terminal values reachable from `r` when the levels in `fixed` take only the given classes.
    static func terminals(_ d: Diagram, _ r: Diagram.Ref, fixed: [Int: Set<Int>]) -> Set<Int> {
        guard !fixed.isEmpty else { return d.terminals(r) }
        var out = Set<Int>()
        var seen = Set<Int>()
        var stack = [r]
        while let cur = stack.popLast() {
            if cur.isTerminal {
                out.insert(cur.terminalValue)
                continue
            }
            guard seen.insert(cur.raw).inserted else { continue }
            let n = d.node(cur)
            if let cs = fixed[n.level] {
                for c in cs { stack.append(n.children[c]) }
            } else {
                stack.append(contentsOf: n.children)
            }
        }
        return out
    }

    /// A path to `value` with the levels in `fixed` taking only the given classes.
    static func path(_ d: Diagram, _ r: Diagram.Ref, to value: Int, fixed: [Int: Set<Int>]) -> [(
        level: Int, classID: Int
    )]? {
        var failed = Set<Int>()
        func dfs(_ cur: Diagram.Ref) -> [(level: Int, classID: Int)]? {
            if cur.isTerminal { return cur.terminalValue == value ? [] : nil }
            if failed.contains(cur.raw) { return nil }
            let n = d.node(cur)
            let choices: [Int] = fixed[n.level].map { $0.sorted() } ?? Array(n.children.indices)
            var tried = Set<Diagram.Ref>()
            for c in choices where tried.insert(n.children[c]).inserted {
                if let rest = dfs(n.children[c]) { return [(n.level, c)] + rest }
            }
            failed.insert(cur.raw)
            return nil
        }
        return dfs(r)
    }

    static func destinationPolicyChanges(old: Mesh, new: Mesh) -> [DestinationPolicyChange] {
        struct Policy: Hashable {
            var key: ResourceKey
            var trafficPolicy: TrafficPolicy?
            var subsets: [Subset]
            var exportTo: [String]
            var selector: LabelSelector?
        }
        func byHost(_ m: Mesh) -> [String: [Policy]] {
            var out: [String: [Policy]] = [:]
            for dr in m.resources.destinationRules where !dr.host.value.isEmpty {
                out[m.fqdn(dr.host.value, in: dr.namespace), default: []].append(
                    Policy(
                        key: dr.key, trafficPolicy: dr.trafficPolicy, subsets: dr.subsets,
                        exportTo: dr.exportTo.map(\.value), selector: dr.workloadSelector))
            }
            for k in out.keys { out[k]?.sort { $0.key < $1.key } }
            return out
        }
        let o = byHost(old)
        let n = byHost(new)
        var out: [DestinationPolicyChange] = []
        for host in Set(o.keys).union(n.keys).sorted() {
            let po = o[host] ?? []
            let pn = n[host] ?? []
            guard po != pn else { continue }
            let so = Set(po.flatMap { $0.subsets.map(\.name.value) })
            let sn = Set(pn.flatMap { $0.subsets.map(\.name.value) })
            // Policies of the rules and subsets both states have (a subset added or removed is
            // reported as such, not as a policy change).
            struct Value: Hashable {
                var policy: TrafficPolicy?
                var exportTo: [String] = []
                var selector: LabelSelector?
                var labels: [String: String] = [:]
            }
            func policies(_ ps: [Policy]) -> [String: Value] {
                var d: [String: Value] = [:]
                for p in ps {
                    d["\(p.key)"] = Value(policy: p.trafficPolicy, exportTo: p.exportTo, selector: p.selector)
                    for s in p.subsets {
                        d["\(p.key) \(s.name.value)"] = Value(policy: s.trafficPolicy, labels: s.labels)
                    }
                }
                return d
            }
            let qo = policies(po)
            let qn = policies(pn)
            let policyChanged = Set(qo.keys).intersection(qn.keys).contains { qo[$0] != qn[$0] }
            let added = sn.subtracting(so).sorted()
            let removed = so.subtracting(sn).sorted()
            // A renamed or moved DestinationRule with the same content changes nothing.
            guard policyChanged || !added.isEmpty || !removed.isEmpty else { continue }
            let keys = Set((pn.isEmpty ? po : pn).map(\.key)).sorted()
            out.append(
                DestinationPolicyChange(
                    host: host, destinationRules: keys, subsetsAdded: added, subsetsRemoved: removed,
                    policyChanged: policyChanged))
        }
        return out
    }
}
