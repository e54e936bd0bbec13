import FjordDiagnostics
import FjordModel
import FjordSource

/// What the reference checks (FJ21xx) share: which namespaces the inputs cover, where a host
/// is defined and visible, and "did you mean".
struct ReferenceIndex {
    let mesh: Mesh
    /// Namespaces the inputs declare or hold any resource in. A reference into a namespace the
    /// inputs do not cover is not reported: the inputs are likely one repository of several.
    let covered: Set<String>
    /// Wildcard hosts (`*.example.com`) of ServiceEntries.
    let wildcardHosts: [String]
    /// WorkloadEntry addresses that are host names.
    let workloadEntryAddresses: Set<String>
    /// Namespaces holding at least one Kubernetes Service in the inputs.
    let serviceNamespaces: Set<String>
    /// Whether the inputs hold any ServiceEntry or WorkloadEntry.
    let hasServiceEntries: Bool

    init(mesh: Mesh) {
        self.mesh = mesh
        covered = ReferenceIndex.coveredNamespaces(mesh)
        wildcardHosts = mesh.hosts.keys.filter { $0.hasPrefix("*") }.sorted()
        workloadEntryAddresses = Set(mesh.resources.workloadEntries.compactMap { $0.spec.address?.value.lowercased() })
        serviceNamespaces = Set(mesh.resources.services.map(\.namespace))
        hasServiceEntries = !mesh.resources.serviceEntries.isEmpty || !mesh.resources.workloadEntries.isEmpty
    }

    /// Namespaces the inputs declare or hold any resource in.
    static func coveredNamespaces(_ mesh: Mesh) -> Set<String> {
        var ns = mesh.knownNamespaceNames
        let rs = mesh.resources
        func add<R: MeshResource>(_ list: [R]) { for r in list where !r.namespace.isEmpty { ns.insert(r.namespace) } }
        add(rs.pods)
        add(rs.configMaps)
        add(rs.controllers)
        add(rs.virtualServices)
        add(rs.destinationRules)
        add(rs.gateways)
        add(rs.sidecars)
        add(rs.workloadEntries)
        add(rs.peerAuthentications)
        add(rs.authorizationPolicies)
        add(rs.requestAuthentications)
        add(rs.residencyPolicies)
        return ns
    }

    /// Whether the inputs can tell that a host does not exist: for a cluster-local name, they
    /// hold Services of its namespace; for another name, they hold ServiceEntries. Otherwise the
    /// definitions are likely in inputs Fjord was not given (a routing-only repository).
    func canJudge(_ fqdn: String) -> Bool {
        if let ns = clusterNamespace(of: fqdn) { return serviceNamespaces.contains(ns) }
        return hasServiceEntries
    }

    /// The namespace a cluster-local FQDN (`name.ns.svc.<suffix>`) lives in.
    func clusterNamespace(of fqdn: String) -> String? {
        let suffix = ".svc." + mesh.config.domainSuffix
        guard fqdn.hasSuffix(suffix) else { return nil }
        let parts = fqdn.dropLast(suffix.count).split(separator: ".")
        return parts.count == 2 ? String(parts[1]) : nil
    }

    /// The namespaces whose sidecars use a VirtualService (for host visibility): its own, and
    /// those its `exportTo` names.
    func viewers(of vs: VirtualService) -> [String] {
        if vs.exportTo.isEmpty { return [vs.namespace] }
        var out: [String] = []
        for e in vs.exportTo {
            let v = e.value == "." || e.value == "*" ? vs.namespace : e.value
            if !out.contains(v) { out.append(v) }
        }
        return out
    }

    enum Lookup {
        /// Defined and visible: the definitions.
        case found([ServiceHost])
        /// Defined, but exported to none of the viewing namespaces.
        case notVisible([ServiceHost])
        /// Defined by a WorkloadEntry address.
        case workloadEntry
        case unknown
    }

    /// Where a host written in a resource of `namespace` is defined, seen from `viewers`.
    func lookup(_ fqdn: String, viewers: [String]) -> Lookup {
        var defs = mesh.hosts[fqdn] ?? []
        if defs.isEmpty {
            if fqdn.hasPrefix("*") {
                let tail = fqdn.dropFirst()
                for p in wildcardHosts where tail.hasSuffix(p.dropFirst()) { defs += mesh.hosts[p] ?? [] }
            } else {
                for p in wildcardHosts where Mesh.hostMatches(pattern: p, host: fqdn) { defs += mesh.hosts[p] ?? [] }
            }
        }
        if defs.isEmpty { return workloadEntryAddresses.contains(fqdn) ? .workloadEntry : .unknown }
        let visible = defs.filter { h in
            viewers.contains { RouteTables.exportAllows(h.exportTo, owner: h.namespace, viewer: $0) }
        }
        return visible.isEmpty ? .notVisible(defs) : .found(visible)
    }

    /// Describes a host definition for notes: ``Service `shop/inventory```.
    static func describe(_ h: ServiceHost) -> String {
        switch h.source {
        case .service(let k): return "Service \(quoted(k.qualifiedName))"
        case .serviceEntry(let k): return "ServiceEntry \(quoted(k.qualifiedName))"
        }
    }

    static func describeExport(_ list: [String]) -> String {
        list.map { quoted($0) }.joined(separator: ", ")
    }

    /// A known host close to an unknown one, written the way the unknown one was: for
    /// `invetory` in `shop`, `inventory`; for `invetory.shop.svc.cluster.local`, the FQDN.
    func suggestion(for written: String, fqdn: String) -> String? {
        let firstLabel = String(fqdn.split(separator: ".").first ?? "")
        if let ns = clusterNamespace(of: fqdn) {
            let names = mesh.resources.services.filter { $0.namespace == ns }.map(\.name)
            if let best = closest(firstLabel, among: names) {
                let rest = written.split(separator: ".", maxSplits: 1)
                return rest.count == 2 ? best + "." + rest[1] : best
            }
        }
        let all = mesh.hosts.keys.filter { !$0.hasPrefix("*") }
        return closest(fqdn, among: all).map { best in
            if let ns = clusterNamespace(of: best), !written.contains("."), ns == clusterNamespace(of: fqdn) {
                return String(best.prefix { $0 != "." })
            }
            return best
        }
    }
}

/// The candidate closest to `word` when it is a plausible typo: at most a third of the word's
/// letters differ (so `v3` never suggests `v1`).
func closest(_ word: String, among candidates: some Sequence<String>) -> String? {
    suggestion(for: word, among: candidates, minimumDistance: 0)
}

/// `a`, `b` and `c` (backticked), with at most `limit` names and "and N more".
func nameList(_ names: [String], limit: Int = 5) -> String {
    let shown = names.prefix(limit).map { quoted($0) }
    var s: String
    if let last = shown.last, shown.count > 1 {
        s = shown.dropLast().joined(separator: ", ") + " and " + last
    } else {
        s = shown.first ?? ""
    }
    if names.count > limit {
        s = shown.joined(separator: ", ") + " and \(names.count - limit) more"
    }
    return s
}

/// One destination written in a VirtualService, with what kind of destination it is.
struct WrittenDestination {
    var destination: Destination
    /// `destination`, `mirror`
    var role: String
    /// The HTTP rule it belongs to, if any.
    var httpRule: HTTPRoute?
    /// Weight as written, for route destinations.
    var weight: Located<Int>?
}

extension VirtualService {
    /// Route destinations of HTTP, TCP and TLS rules, and HTTP mirrors.
    var writtenDestinations: [WrittenDestination] {
        var out: [WrittenDestination] = []
        for r in http {
            for d in r.route {
                out.append(
                    WrittenDestination(destination: d.destination, role: "destination", httpRule: r, weight: d.weight))
            }
            if let m = r.mirror { out.append(WrittenDestination(destination: m, role: "mirror", httpRule: r)) }
            for m in r.mirrors {
                out.append(WrittenDestination(destination: m.destination, role: "mirror", httpRule: r))
            }
        }
        for r in tcp {
            for d in r.route {
                out.append(WrittenDestination(destination: d.destination, role: "destination", weight: d.weight))
            }
        }
        for r in tls {
            for d in r.route {
                out.append(WrittenDestination(destination: d.destination, role: "destination", weight: d.weight))
            }
        }
        return out
    }

    /// Whether the VirtualService applies to sidecars (no `gateways`, or `mesh` among them).
    var boundToMesh: Bool { gateways.isEmpty || gateways.contains { $0.value == "mesh" } }
}
