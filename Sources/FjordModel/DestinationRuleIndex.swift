/// The DestinationRule a client sidecar uses for a host, as Istio chooses it
/// (`PushContext.destinationRule` and `SidecarScope.DestinationRule` in pilot/pkg/model):
///
/// 1. the rules in the client's namespace, whatever their `exportTo` (for a client in the root
///    namespace: only the root namespace's rules exported to `.` alone);
/// 2. else the rules in the host's namespace exported to the client;
/// 3. else the rules in the root namespace exported to the client;
/// 4. else none: a rule in any other namespace is never used, whatever its `exportTo`.
///
/// In each namespace the most specific host wins (an exact host before the longest matching
/// wildcard), and the export check applies to that host's rules only (a wildcard rule does not
/// step in when the exact one is not exported). The rules of one namespace for one host merge,
/// oldest first (creation time, then name, then namespace, as `sortConfigByCreationTime`): the
/// subsets of each are added unless the name is taken, and the top-level `trafficPolicy` is the
/// oldest one's that has one. A rule with a `workloadSelector` applies only to the client
/// workloads it selects, only in its own namespace, and then instead of the namespace's others.
///
/// This is the one choice every consumer makes: routing (subset endpoints), references
/// (FJ2102), mTLS (FJ3002/FJ3003) and residency.
public struct DestinationRuleIndex: Sendable {
    /// The rules of one namespace, by host.
    struct NamespaceRules: Sendable {
        var exact: [String: [DestinationRule]] = [:]
        /// Most specific (longest) pattern first.
        var wildcard: [(pattern: String, rules: [DestinationRule])] = []

        /// The rules of the most specific host that covers `host`, oldest first.
        func mostSpecific(_ host: String) -> [DestinationRule]? {
            if let e = exact[host] { return e }
            return wildcard.first { Mesh.hostMatches(pattern: $0.pattern, host: host) }?.rules
        }

        mutating func add(_ host: String, _ dr: DestinationRule) {
            if host.hasPrefix("*") {
                if let i = wildcard.firstIndex(where: { $0.pattern == host }) {
                    wildcard[i].rules.append(dr)
                } else {
                    wildcard.append((host, [dr]))
                }
            } else {
                exact[host, default: []].append(dr)
            }
        }

        mutating func finish() {
            wildcard.sort {
                $0.pattern.count != $1.pattern.count ? $0.pattern.count > $1.pattern.count : $0.pattern < $1.pattern
            }
        }
    }

    public let root: String
    /// Every rule of a namespace (step 1).
    var local: [String: NamespaceRules] = [:]
    /// The rules of a namespace that are exported beyond it (steps 2 and 3).
    var exported: [String: NamespaceRules] = [:]
    /// The root namespace's rules exported to `.` only (step 1 for root-namespace clients).
    var rootPrivate = NamespaceRules()
    /// Every rule by host FQDN, whoever the client (oldest first).
    var everyRule: [String: [DestinationRule]] = [:]
    var everyWildcard: [(pattern: String, rules: [DestinationRule])] = []
    /// Namespaces holding a rule for a host outside the namespace (or a wildcard host), and
    /// whether any rule limits its export or selects workloads: only then does the rule a client
    /// gets depend on the client's namespace.
    var namespaces = Set<String>()
    var clientDependent = false
    /// Namespace -> its rules with a workload selector.
    var selectorRules: [String: [DestinationRule]] = [:]

    public init(mesh: Mesh) {
        root = mesh.config.rootNamespace
        for dr in mesh.resources.destinationRules.oldestFirst() where !dr.host.value.isEmpty {
            let host = mesh.fqdn(dr.host.value, in: dr.namespace)
            local[dr.namespace, default: NamespaceRules()].add(host, dr)
            if DestinationRuleIndex.isPrivate(dr) {
                if dr.namespace == root { rootPrivate.add(host, dr) }
            } else {
                exported[dr.namespace, default: NamespaceRules()].add(host, dr)
            }
            if host.hasPrefix("*") {
                if let i = everyWildcard.firstIndex(where: { $0.pattern == host }) {
                    everyWildcard[i].rules.append(dr)
                } else {
                    everyWildcard.append((host, [dr]))
                }
            } else {
                everyRule[host, default: []].append(dr)
            }
            if host.hasPrefix("*") || !host.hasSuffix(".\(dr.namespace).svc.\(mesh.config.domainSuffix)") {
                namespaces.insert(dr.namespace)
            }
            if !dr.exportTo.isEmpty && !dr.exportTo.contains(where: { $0.value == "*" }) { clientDependent = true }
            if !(dr.workloadSelector?.isEmpty ?? true) {
                clientDependent = true
                selectorRules[dr.namespace, default: []].append(dr)
            }
        }
        for k in local.keys { local[k]?.finish() }
        for k in exported.keys { exported[k]?.finish() }
        rootPrivate.finish()
        everyWildcard.sort { $0.pattern.count > $1.pattern.count }
    }

    /// Whether a rule in `namespace` selects workloads (then the choice depends on the client's labels).
    public func hasSelectorRules(in namespace: String) -> Bool { selectorRules[namespace] != nil }

    /// Istio's "private only": `exportTo` is exactly `.` (or the rule's own namespace).
    static func isPrivate(_ dr: DestinationRule) -> Bool {
        guard dr.exportTo.count == 1, let e = dr.exportTo.first?.value else { return false }
        return e == "." || e == dr.namespace
    }

    /// What the choice of rule depends on for clients in `namespace` with pod labels `labels`
    /// (a cache key): the namespace itself when the choice can differ between namespaces, and
    /// the workload-selecting rules that select the client; else the empty string.
    public func clientKey(_ namespace: String, labels: [String: String]? = nil) -> String {
        guard clientDependent || namespaces.contains(namespace) else { return "" }
        guard let labels, let selecting = selectorRules[namespace] else { return namespace }
        let keys = selecting.filter { $0.workloadSelector?.matches(labels) ?? false }.map(\.name)
        return keys.isEmpty ? namespace : namespace + "|" + keys.joined(separator: ",")
    }

    /// Every DestinationRule that configures a host for some client: the exact ones, else those
    /// with the most specific wildcard; oldest first.
    public func rules(for fqdn: String) -> [DestinationRule] {
        if let e = everyRule[fqdn] { return e }
        return everyWildcard.first { Mesh.hostMatches(pattern: $0.pattern, host: fqdn) }?.rules ?? []
    }

    /// The rule a sidecar in namespace `client` (with pod labels `clientLabels`, when a
    /// particular workload is asking) uses for `host`, whose Service or ServiceEntry lives in
    /// `hostNamespace`. Nil when it uses none.
    public func choice(
        for host: String, hostNamespace: String?, client: String, clientLabels: [String: String]? = nil
    ) -> DestinationRuleChoice? {
        func exportedRules(_ ns: String) -> [DestinationRule]? {
            guard let rs = exported[ns]?.mostSpecific(host) else { return nil }
            guard
                rs.contains(where: {
                    RouteTables.exportAllows($0.exportTo.map(\.value), owner: $0.namespace, viewer: client)
                })
            else { return nil }
            return rs
        }
        var found: (rules: [DestinationRule], step: DestinationRuleChoice.Step)?
        if client != root {
            if let rs = local[client]?.mostSpecific(host) { found = (rs, .clientNamespace) }
        } else if let rs = rootPrivate.mostSpecific(host) {
            found = (rs, .clientNamespace)
        }
        if found == nil, let hostNamespace, let rs = exportedRules(hostNamespace) { found = (rs, .hostNamespace) }
        if found == nil, let rs = exportedRules(root) { found = (rs, .rootNamespace) }
        guard let (rules, step) = found else { return nil }
        // Workload selectors: only for rules in the client's own namespace, and only the
        // workloads they select; they take precedence over the namespace's other rules.
        func selects(_ dr: DestinationRule) -> Bool {
            guard let sel = dr.workloadSelector, !sel.isEmpty else { return false }
            guard dr.namespace == client, let clientLabels else { return false }
            return sel.matches(clientLabels)
        }
        if let first = rules.first(where: selects), let sel = first.workloadSelector {
            let group = rules.filter { $0.workloadSelector.map { $0.matchLabels == sel.matchLabels } ?? false }
            return DestinationRuleChoice(rules: group, step: step)
        }
        let catchAll = rules.filter { $0.workloadSelector?.isEmpty ?? true }
        guard !catchAll.isEmpty else { return nil }
        return DestinationRuleChoice(rules: catchAll, step: step)
    }

    /// The oldest rule of `choice(...)`: the one whose top-level settings and name Istio keeps.
    public func rule(
        for host: String, hostNamespace: String?, client: String, clientLabels: [String: String]? = nil
    ) -> DestinationRule? {
        choice(for: host, hostNamespace: hostNamespace, client: client, clientLabels: clientLabels)?.primary
    }
}

/// The DestinationRules one client uses for one host, merged as Istio merges them.
public struct DestinationRuleChoice: Sendable {
    /// Which step of the lookup found the rules.
    public enum Step: String, Sendable {
        case clientNamespace = "the client's namespace"
        case hostNamespace = "the host's namespace"
        case rootNamespace = "the root namespace"
    }
    /// Oldest first, never empty.
    public let rules: [DestinationRule]
    public let step: Step
    public let primary: DestinationRule

    init(rules: [DestinationRule], step: Step) {
        self.rules = rules
        self.step = step
        // `rules` is never empty (the index builds it from non-empty lists).
        self.primary = rules[0]
    }

    /// The namespace of the rules.
    public var namespace: String { primary.namespace }

    /// The subsets of the merged rule: each rule's, unless an older one took the name.
    public var subsets: [(rule: DestinationRule, subset: Subset)] {
        var seen = Set<String>()
        var out: [(rule: DestinationRule, subset: Subset)] = []
        for dr in rules {
            for s in dr.subsets where seen.insert(s.name.value).inserted { out.append((dr, s)) }
        }
        return out
    }

    public func subset(named name: String) -> (rule: DestinationRule, subset: Subset)? {
        for dr in rules {
            if let s = dr.subsets.first(where: { $0.name.value == name }) { return (dr, s) }
        }
        return nil
    }

    /// The merged rule's top-level traffic policy: the oldest rule's that has one.
    public var trafficPolicy: (rule: DestinationRule, policy: TrafficPolicy)? {
        for dr in rules { if let p = dr.trafficPolicy { return (dr, p) } }
        return nil
    }

    /// Whether `dr` is one of the merged rules.
    public func contains(_ dr: DestinationRule) -> Bool { rules.contains { $0.key == dr.key } }
}
