import FjordSource

/// Mesh-wide settings: Istio's MeshConfig fields that change semantics.
public struct MeshConfig: Hashable, Sendable {
    /// The root namespace: mesh-wide policies live here.
    public var rootNamespace: String = "istio-system"
    public var outboundTrafficPolicy: OutboundTrafficMode = .allowAny
    @NotCompared public var outboundTrafficPolicyRange: SourceRange = .synthetic
    /// The cluster domain suffix of service hostnames.
    public var domainSuffix: String = "cluster.local"
    /// Whether the configuration came from an `istio` ConfigMap (else defaults).
    public var fromConfigMap: Bool = false
    public init() {}
}

/// Where a workload runs: cloud region, zone and subzone, with where that was learned.
public struct Locality: Hashable, Sendable, CustomStringConvertible {
    public var region: String
    public var zone: String?
    public var subzone: String?
    /// How the locality was established (`pod label topology.istio.io/locality`, `node eu-1 labels`...).
    public var source: String
    @NotCompared public var range: SourceRange = .synthetic

    public init(
        region: String, zone: String? = nil, subzone: String? = nil, source: String, range: SourceRange = .synthetic
    ) {
        self.region = region
        self.zone = zone
        self.subzone = subzone
        self.source = source
        self.range = range
    }

    /// Parses `region/zone/subzone` (Istio's written form) or `region.zone.subzone` (label form).
    public static func parse(_ text: String, separator: Character, source: String, range: SourceRange = .synthetic)
        -> Locality?
    {
        let parts = text.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
        guard let region = parts.first, !region.isEmpty else { return nil }
        return Locality(
            region: region, zone: parts.count > 1 && !parts[1].isEmpty ? parts[1] : nil,
            subzone: parts.count > 2 && !parts[2].isEmpty ? parts[2] : nil, source: source, range: range)
    }

    public var description: String { [region, zone, subzone].compactMap { $0 }.joined(separator: "/") }
}

/// Why a workload is (or is not) in the mesh.
public struct MeshMembership: Hashable, Sendable {
    public var hasSidecar: Bool
    /// `namespace label istio-injection=enabled`, `pod annotation sidecar.istio.io/inject: "false"`...
    public var reason: String
    @NotCompared public var range: SourceRange = .synthetic
    public init(hasSidecar: Bool, reason: String, range: SourceRange = .synthetic) {
        self.hasSidecar = hasSidecar
        self.reason = reason
        self.range = range
    }
}

/// A running unit of the mesh: a controller's pod template, a standalone Pod, or a WorkloadEntry.
public struct Workload: Hashable, Sendable, Identifiable {
    public enum Origin: Hashable, Sendable {
        case controller(ResourceKind)
        case pod
        case workloadEntry
    }
    /// `namespace/name`
    public var id: String { "\(namespace)/\(name)" }
    public var name: String
    public var namespace: String
    public var origin: Origin
    public var resource: ResourceKey
    public var labels: [String: String]
    public var annotations: [String: String]
    public var serviceAccount: String
    public var membership: MeshMembership
    public var locality: Locality?
    public var containers: [Container]
    /// Node label requirements from nodeSelector / required affinity.
    public var placement: NodePlacement?
    @NotCompared public var range: SourceRange = .synthetic

    public init(
        name: String, namespace: String, origin: Origin, resource: ResourceKey, labels: [String: String],
        annotations: [String: String], serviceAccount: String, membership: MeshMembership, locality: Locality?,
        containers: [Container], placement: NodePlacement?, range: SourceRange
    ) {
        self.name = name
        self.namespace = namespace
        self.origin = origin
        self.resource = resource
        self.labels = labels
        self.annotations = annotations
        self.serviceAccount = serviceAccount
        self.membership = membership
        self.locality = locality
        self.containers = containers
        self.placement = placement
        self.range = range
    }
}

/// A host name the mesh knows: a Kubernetes Service, a ServiceEntry host or a WorkloadEntry's service.
public struct ServiceHost: Hashable, Sendable {
    public enum Source: Hashable, Sendable {
        case service(ResourceKey)
        case serviceEntry(ResourceKey)
    }
    /// Fully qualified (`reviews.default.svc.cluster.local`) or the ServiceEntry host as written.
    public var fqdn: String
    public var namespace: String
    public var source: Source
    public var ports: [Int]
    /// Workloads selected by the service (ids), in sorted order.
    public var workloads: [String]
    public var external: Bool
    public var exportTo: [String]
    public init(
        fqdn: String, namespace: String, source: Source, ports: [Int], workloads: [String], external: Bool,
        exportTo: [String]
    ) {
        self.fqdn = fqdn
        self.namespace = namespace
        self.source = source
        self.ports = ports
        self.workloads = workloads
        self.external = external
        self.exportTo = exportTo
    }
}

/// The resolved mesh: resources plus everything derived from them (workloads, hosts, membership).
public struct Mesh: Sendable {
    public var resources: ResourceSet
    public var config: MeshConfig
    /// Namespace name -> labels (declared namespaces, and those only referred to, with no labels).
    public var namespaceLabels: [String: [String: String]]
    public var declaredNamespaces: Set<String>
    public var workloads: [Workload]
    public var workloadIndex: [String: Int]
    /// FQDN -> hosts (several when a Service and a ServiceEntry share a name).
    public var hosts: [String: [ServiceHost]]
    /// The wildcard keys of `hosts` (`*.example.com`), longest first.
    public private(set) var wildcardHosts: [String] = []

    public init(resources: ResourceSet, config: MeshConfig? = nil) {
        self.resources = resources
        self.config = config ?? MeshConfig.from(resources.configMaps)
        var nsLabels: [String: [String: String]] = [:]
        var declared = Set<String>()
        for ns in resources.namespaces {
            nsLabels[ns.name] = ns.meta.labels
            declared.insert(ns.name)
        }
        self.namespaceLabels = nsLabels
        self.declaredNamespaces = declared
        self.workloads = []
        self.workloadIndex = [:]
        self.hosts = [:]
        buildWorkloads()
        buildHosts()
        var known = declaredNamespaces
        for w in workloads { known.insert(w.namespace) }
        for svc in resources.services { known.insert(svc.namespace) }
        for se in resources.serviceEntries { known.insert(se.namespace) }
        knownNamespaceNames = known
    }

    public func workload(_ id: String) -> Workload? { workloadIndex[id].map { workloads[$0] } }

    public func workloads(in namespace: String, matching selector: [String: String]) -> [Workload] {
        workloads.filter { w in w.namespace == namespace && selector.allSatisfy { k, v in w.labels[k] == v } }
    }

    // MARK: Host names

    /// Resolves a host as written in a resource of `namespace` to its FQDN: short names become
    /// `name.namespace.svc.<suffix>`, `name.ns` becomes `name.ns.svc.<suffix>` when `ns` is a
    /// known namespace, `name.ns.svc` gets the suffix. Wildcards and other names are kept.
    public func fqdn(_ host: String, in namespace: String) -> String {
        Mesh.fqdn(host, in: namespace, suffix: config.domainSuffix, knownNamespaces: knownNamespaceNames)
    }

    /// Declared namespaces and every namespace a workload or service lives in.
    public private(set) var knownNamespaceNames: Set<String> = []

    public static func fqdn(
        _ host: String, in namespace: String, suffix: String = "cluster.local", knownNamespaces: Set<String> = []
    ) -> String {
        let h = host.lowercased()
        if h.hasPrefix("*") || h.isEmpty { return h }
        let parts = h.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 1 { return "\(h).\(namespace).svc.\(suffix)" }
        if parts.count == 2, knownNamespaces.contains(String(parts[1])) { return "\(h).svc.\(suffix)" }
        if parts.count == 3, parts[2] == "svc" { return "\(h).\(suffix)" }
        return h
    }

    /// A `namespace/host` entry (a Gateway server's host, a Sidecar egress host): the text before
    /// the first `/` and the text after it, or no namespace when there is no `/`. Empty halves stay
    /// empty (`/` is namespace "" and host "", `ns/` is host ""): `split` would drop them and leave
    /// nothing to index.
    public static func namespacedHost(_ entry: String) -> (namespace: String?, host: String) {
        guard let slash = entry.firstIndex(of: "/") else { return (nil, entry) }
        return (String(entry[..<slash]), String(entry[entry.index(after: slash)...]))
    }

    /// Whether a host pattern (possibly `*.example.com` or `*`) covers a concrete host.
    public static func hostMatches(pattern: String, host: String) -> Bool {
        if pattern == "*" { return true }
        if pattern.hasPrefix("*") {
            let suffix = pattern.dropFirst()  // ".example.com"
            return host.hasSuffix(suffix) && host.count > suffix.count
        }
        return pattern == host
    }

    // MARK: Building

    private mutating func buildWorkloads() {
        var list: [Workload] = []
        let nodesByName = Dictionary(resources.nodes.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for c in resources.controllers {
            let membership = Mesh.membership(
                namespace: c.namespace, namespaceLabels: namespaceLabels[c.namespace] ?? [:],
                podLabels: c.template.labels, podAnnotations: c.template.annotations,
                annotationRanges: c.template.annotationRanges, templateRange: c.template.range,
                hostNetwork: c.template.spec.hostNetwork)
            let loc = Mesh.locality(
                labels: c.template.labels, labelRanges: c.template.labelRanges, placement: c.template.spec.placement,
                node: nil, nodes: resources.nodes)
            list.append(
                Workload(
                    name: c.name, namespace: c.namespace, origin: .controller(c.controllerKind), resource: c.key,
                    labels: c.template.labels,
                    annotations: c.template.annotations.merging(c.meta.annotations) { a, _ in a },
                    serviceAccount: c.template.spec.serviceAccountName?.value ?? "default", membership: membership,
                    locality: loc,
                    containers: c.template.spec.containers, placement: c.template.spec.placement,
                    range: c.meta.name.range))
        }
        for p in resources.pods {
            // A pod owned by a controller that is also among the inputs is the same workload.
            if p.hasController,
                resources.controllers.contains(where: {
                    $0.namespace == p.namespace && ($0.selector?.matches(p.meta.labels) ?? false)
                })
            {
                continue
            }
            let membership = Mesh.membership(
                namespace: p.namespace, namespaceLabels: namespaceLabels[p.namespace] ?? [:],
                podLabels: p.meta.labels, podAnnotations: p.meta.annotations,
                annotationRanges: p.meta.annotationRanges, templateRange: p.meta.range,
                hostNetwork: p.spec.hostNetwork)
            let node = p.spec.nodeName.flatMap { nodesByName[$0.value] }
            let loc = Mesh.locality(
                labels: p.meta.labels, labelRanges: p.meta.labelRanges, placement: p.spec.placement,
                node: node, nodes: resources.nodes)
            list.append(
                Workload(
                    name: p.name, namespace: p.namespace, origin: .pod, resource: p.key, labels: p.meta.labels,
                    annotations: p.meta.annotations, serviceAccount: p.spec.serviceAccountName?.value ?? "default",
                    membership: membership, locality: loc, containers: p.spec.containers, placement: p.spec.placement,
                    range: p.meta.name.range))
        }
        for we in resources.workloadEntries {
            let loc = we.spec.effectiveLocality(owner: "WorkloadEntry \(we.key.qualifiedName)")
            // A WorkloadEntry runs a sidecar when the VM has one; Istio assumes it does (it carries a
            // service account identity). Treat it as in the mesh.
            list.append(
                Workload(
                    name: we.name, namespace: we.namespace, origin: .workloadEntry, resource: we.key,
                    labels: we.spec.labels,
                    annotations: we.meta.annotations, serviceAccount: we.spec.serviceAccount?.value ?? "default",
                    membership: MeshMembership(
                        hasSidecar: true, reason: "WorkloadEntry (a VM with an Istio agent)", range: we.meta.name.range),
                    locality: loc, containers: [], placement: nil, range: we.meta.name.range))
        }
        workloads = list
        var index: [String: Int] = [:]
        for (i, w) in list.enumerated() where index[w.id] == nil { index[w.id] = i }
        workloadIndex = index
    }

    private mutating func buildHosts() {
        var out: [String: [ServiceHost]] = [:]
        var byNamespace: [String: [Int]] = [:]
        for (i, w) in workloads.enumerated() { byNamespace[w.namespace, default: []].append(i) }
        for svc in resources.services {
            let fq = "\(svc.name).\(svc.namespace).svc.\(config.domainSuffix)"
            var selected: [String] = []
            if let sel = svc.selector, !sel.isEmpty {
                for i in byNamespace[svc.namespace] ?? [] where sel.allSatisfy({ k, v in workloads[i].labels[k] == v })
                {
                    selected.append(workloads[i].id)
                }
            }
            let exportTo =
                svc.meta.annotations["networking.istio.io/exportTo"].map {
                    $0.split(separator: ",").map { String($0).trimmingCharacters() }
                } ?? ["*"]
            out[fq, default: []].append(
                ServiceHost(
                    fqdn: fq, namespace: svc.namespace, source: .service(svc.key), ports: svc.ports.map(\.port.value),
                    workloads: selected.sorted(), external: svc.type?.value == "ExternalName", exportTo: exportTo))
        }
        for se in resources.serviceEntries {
            var selected: [String] = []
            if let sel = se.workloadSelector {
                for i in byNamespace[se.namespace] ?? [] where sel.allSatisfy({ k, v in workloads[i].labels[k] == v }) {
                    selected.append(workloads[i].id)
                }
            }
            for h in se.hosts {
                let host = h.value.lowercased()
                out[host, default: []].append(
                    ServiceHost(
                        fqdn: host, namespace: se.namespace, source: .serviceEntry(se.key),
                        ports: se.ports.compactMap { $0.number?.value },
                        workloads: selected.sorted(), external: se.isExternal,
                        exportTo: se.exportTo.isEmpty ? ["*"] : se.exportTo.map(\.value)))
            }
        }
        hosts = out
        wildcardHosts = out.keys.filter { $0.hasPrefix("*") }.sorted {
            $0.count != $1.count ? $0.count > $1.count : $0 < $1
        }
    }

    // MARK: Membership and locality

    /// Sidecar injection as Istio's injector decides it (for the default injection policy).
    public static func membership(
        namespace: String, namespaceLabels: [String: String], podLabels: [String: String],
        podAnnotations: [String: String], annotationRanges: [String: SourceRange],
        templateRange: SourceRange, hostNetwork: Located<Bool>? = nil
    ) -> MeshMembership {
        // Istio's injector skips host-network pods whatever the labels say (`injectRequired`):
        // the sidecar's iptables rules would rewrite the node's routing.
        if let h = hostNetwork, h.value {
            return MeshMembership(
                hasSidecar: false, reason: "`hostNetwork: true` (Istio never injects a sidecar into host-network pods)",
                range: h.range)
        }
        if namespace == "kube-system" || namespace == "kube-public" {
            return MeshMembership(
                hasSidecar: false, reason: "namespace `\(namespace)` is never injected (Istio's injector ignores it)",
                range: templateRange)
        }
        let label = podLabels["sidecar.istio.io/inject"]
        let labelReason = label.map { "pod label `sidecar.istio.io/inject: \"\($0)\"`" }
        // Which of the injector's webhooks sees the pod (the default install's
        // MutatingWebhookConfiguration): the namespace ones when the namespace is labelled
        // (`istio-injection=enabled`, else `istio.io/rev`), skipping pods labelled
        // `sidecar.istio.io/inject: "false"`; the object ones only in an unlabelled namespace, for
        // pods labelled `sidecar.istio.io/inject: "true"` or `istio.io/rev`.
        var webhook: String
        if let v = namespaceLabels["istio-injection"] {
            guard v == "enabled" else {
                return MeshMembership(
                    hasSidecar: false,
                    reason: "namespace `\(namespace)` label `istio-injection=\(v)`"
                        + (label == nil ? "" : " (its pods' `sidecar.istio.io/inject` label does not matter then)"),
                    range: templateRange)
            }
            webhook = "namespace `\(namespace)` label `istio-injection=enabled`"
        } else if let rev = namespaceLabels["istio.io/rev"] {
            webhook = "namespace `\(namespace)` label `istio.io/rev=\(rev)`"
        } else if label == "true", podLabels["istio.io/rev"] == nil, let labelReason {
            webhook = labelReason
        } else if label == nil, let rev = podLabels["istio.io/rev"] {
            webhook = "pod label `istio.io/rev=\(rev)`"
        } else {
            var reason = "namespace `\(namespace)` has no `istio-injection` or `istio.io/rev` label"
            if podAnnotations["sidecar.istio.io/inject"] != nil || label != nil {
                reason +=
                    ", so no injection webhook sees the pod (the `sidecar.istio.io/inject` "
                    + (label != nil ? "label" : "annotation") + " does not matter then)"
            }
            return MeshMembership(hasSidecar: false, reason: reason, range: templateRange)
        }
        if label == "false", let labelReason {
            return MeshMembership(hasSidecar: false, reason: labelReason, range: templateRange)
        }
        // The injector then (`injectRequired`): the label, else the annotation; `y`, `yes`,
        // `true` or `on` (any case) inject, unset injects (the default policy), anything else not.
        if let v = label ?? podAnnotations["sidecar.istio.io/inject"] {
            let byLabel = label != nil
            let reason = byLabel ? labelReason ?? webhook : "pod annotation `sidecar.istio.io/inject: \"\(v)\"`"
            let range = byLabel ? templateRange : annotationRanges["sidecar.istio.io/inject"] ?? templateRange
            switch v.lowercased() {
            case "y", "yes", "true", "on":
                return MeshMembership(hasSidecar: true, reason: byLabel ? reason : webhook, range: templateRange)
            case "":
                return MeshMembership(hasSidecar: true, reason: webhook, range: templateRange)
            default:
                return MeshMembership(hasSidecar: false, reason: reason, range: range)
            }
        }
        return MeshMembership(hasSidecar: true, reason: webhook, range: templateRange)
    }

    /// A pod's locality: its `topology.istio.io/locality` label (dots), else its node's topology
    /// labels, else the node labels its placement pins it to.
    public static func locality(
        labels: [String: String], labelRanges: [String: SourceRange], placement: NodePlacement?,
        node: Node?, nodes: [Node]
    ) -> Locality? {
        for key in ["topology.istio.io/locality", "istio-locality"] {
            if let v = labels[key] {
                return Locality.parse(
                    v, separator: ".", source: "pod label `\(key)`", range: labelRanges[key] ?? .synthetic)
            }
        }
        func fromLabels(_ l: [String: String]) -> (String, String?, String?)? {
            guard let region = l["topology.kubernetes.io/region"] ?? l["failure-domain.beta.kubernetes.io/region"]
            else { return nil }
            return (
                region, l["topology.kubernetes.io/zone"] ?? l["failure-domain.beta.kubernetes.io/zone"],
                l["topology.istio.io/subzone"]
            )
        }
        if let node, let (r, z, s) = fromLabels(node.meta.labels) {
            return Locality(
                region: r, zone: z, subzone: s, source: "node `\(node.name)` labels", range: node.meta.name.range)
        }
        if let placement {
            let regionKeys = ["topology.kubernetes.io/region", "failure-domain.beta.kubernetes.io/region"]
            let zoneKeys = ["topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/zone"]
            let region = regionKeys.lazy.compactMap { placement.required[$0] }.first
            let zone = zoneKeys.lazy.compactMap { placement.required[$0] }.first
            if let region, region.count == 1 {
                return Locality(
                    region: region[0], zone: zone?.count == 1 ? zone?[0] : nil,
                    source: "node placement (nodeSelector or required affinity)", range: placement.range)
            }
            // Pinned by zone alone: find the region from a node carrying that zone.
            if let zone, zone.count == 1,
                let n = nodes.first(where: { node in zoneKeys.contains { k in node.meta.labels[k] == zone[0] } }),
                let (r, _, _) = fromLabels(n.meta.labels)
            {
                return Locality(
                    region: r, zone: zone[0], source: "node placement on zone `\(zone[0])` (node `\(n.name)`)",
                    range: placement.range)
            }
            // Pinned to specific hostnames: take the node's labels when all candidates agree.
            if let hostnames = placement.required["kubernetes.io/hostname"] {
                let regions = Set(
                    hostnames.compactMap { h in nodes.first { $0.name == h }.flatMap { fromLabels($0.meta.labels)?.0 } }
                )
                if regions.count == 1, let r = regions.first {
                    return Locality(region: r, source: "node placement on hostname", range: placement.range)
                }
            }
        }
        return nil
    }
}

extension MeshConfig {
    /// Reads the `mesh` key of the `istio` ConfigMap (in any namespace, normally istio-system).
    public static func from(_ configMaps: [ConfigMap]) -> MeshConfig {
        var config = MeshConfig()
        guard
            let cm = configMaps.first(where: {
                $0.name == "istio" || $0.name.hasPrefix("istio-") && $0.data["mesh"] != nil
            }),
            let mesh = cm.data["mesh"]
        else { return config }
        config.fromConfigMap = true
        // The mesh config is YAML inside a string; read the few top-level keys that matter with a
        // line scan (nested keys are indented; only `outboundTrafficPolicy.mode` is nested).
        var inOutbound = false
        for rawLine in mesh.value.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(rawLine)
            let indented = line.first == " " || line.first == "\t"
            let trimmed = line.trimmingCharacters()
            if !indented { inOutbound = false }
            if let v = trimmed.value(forKey: "rootNamespace"), !indented { config.rootNamespace = v }
            if let v = trimmed.value(forKey: "trustDomain"), !indented, !v.isEmpty { _ = v }
            if !indented, trimmed.hasPrefix("outboundTrafficPolicy:") {
                inOutbound = true
                if trimmed.contains("REGISTRY_ONLY") { config.outboundTrafficPolicy = .registryOnly }
                config.outboundTrafficPolicyRange = mesh.range
            }
            if inOutbound, indented, let v = trimmed.value(forKey: "mode") {
                config.outboundTrafficPolicy = v == "REGISTRY_ONLY" ? .registryOnly : .allowAny
                config.outboundTrafficPolicyRange = mesh.range
            }
        }
        return config
    }
}

extension String {
    func trimmingCharacters() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s.removeLast() }
        return String(s)
    }

    /// `key: value` -> value (unquoted), when this line sets `key`.
    fileprivate func value(forKey key: String) -> String? {
        guard hasPrefix(key + ":") else { return nil }
        var v = String(dropFirst(key.count + 1)).trimmingCharacters()
        if v.count >= 2, (v.first == "\"" && v.last == "\"") || (v.first == "'" && v.last == "'") {
            v = String(v.dropFirst().dropLast())
        }
        return v
    }
}
