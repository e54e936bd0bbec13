import FjordChecks
import FjordModel

/// A picture of the mesh: services and workloads grouped by namespace (with the namespace's mTLS
/// mode), the routes between them with their weights and mirrors, calls the configuration names,
/// external hosts, and where everything runs, coloured by jurisdiction.
public struct MeshGraph: Sendable {
    /// How a place counts for personal data from the EEA.
    public enum Jurisdiction: String, Sendable, CaseIterable {
        case eea, adequacy, other, unknown

        var colour: (fill: String, stroke: String) {
            switch self {
            case .eea: return ("#c8e6c9", "#2e7d32")
            case .adequacy: return ("#bbdefb", "#1565c0")
            case .other: return ("#ffcdd2", "#c62828")
            case .unknown: return ("#e0e0e0", "#616161")
            }
        }

        var legend: String {
            switch self {
            case .eea: return "EEA"
            case .adequacy: return "adequacy decision"
            case .other: return "no adequacy decision, a conditional one (US, CA), or anywhere"
            case .unknown: return "location unknown"
            }
        }
    }

    public enum NodeKind: String, Sendable { case service, workload, external, anywhere, gateway, missing }

    public struct Node: Sendable {
        public var id: String
        public var label: String
        public var kind: NodeKind
        public var namespace: String?
        public var jurisdiction: Jurisdiction
        public var personal: Bool
    }

    public enum EdgeKind: String, Sendable, CaseIterable {
        case selects, route, weight, mirror, failover, call, egress, allowAny = "allow-any", broken

        /// What the edge style means, for the legend.
        var legend: String {
            switch self {
            case .selects: return "service selects workload"
            case .route: return "route"
            case .weight: return "weighted route (share)"
            case .mirror: return "mirror (copy of traffic)"
            case .failover: return "locality failover"
            case .call: return "call named in the configuration"
            case .egress: return "call to an external host"
            case .allowAny: return "may reach any external host"
            case .broken: return "broken route (no such host or subset)"
            }
        }

        var dotAttributes: String {
            switch self {
            case .selects: return "color=\"#9e9e9e\", arrowhead=none"
            case .route: return "color=\"#424242\""
            case .weight: return "color=\"#424242\", penwidth=1.5"
            case .mirror: return "style=dashed, color=\"#6a1b9a\""
            case .failover: return "style=dashed, color=\"#ef6c00\""
            case .call: return "style=dotted, color=\"#757575\""
            case .egress: return "style=dotted, color=\"#ef6c00\""
            case .allowAny: return "style=dashed, color=\"#c62828\""
            case .broken: return "style=bold, color=\"#c62828\", arrowhead=tee"
            }
        }

        var mermaidArrow: String {
            switch self {
            case .selects: return "---"
            case .route, .weight: return "-->"
            case .broken: return "--x"
            case .mirror, .failover, .call, .egress, .allowAny: return "-.->"
            }
        }
    }

    public struct Edge: Sendable {
        public var from: String
        public var to: String
        public var label: String
        public var kind: EdgeKind
    }

    public struct Namespace: Sendable {
        public var name: String
        /// `STRICT`, `PERMISSIVE`, `DISABLE`, with where it comes from.
        public var mtls: String
        public var sidecars: Bool
    }

    public var namespaces: [Namespace] = []
    public var nodes: [Node] = []
    public var edges: [Edge] = []
    public var title: String = "mesh"

    // MARK: Building

    /// What to draw: the whole mesh, only the paths personal data takes (the tree of each
    /// data-bearing service), or only the paths from one workload or service.
    public enum Focus: Sendable, Equatable {
        case all
        case residency
        /// `namespace/name` of a workload or a Service.
        case from(String)
    }

    public init(_ loaded: LoadedMesh, title: String = "mesh", focus: Focus = .all) {
        self.title = title
        switch focus {
        case .all: build(loaded.mesh)
        case .residency: buildFocused(ResidencyAnalysis.run(mesh: loaded.mesh, trees: true))
        case .from(let id): buildFocused(ResidencyAnalysis.run(mesh: loaded.mesh, treesFrom: id))
        }
    }

    /// The trees of a residency report as a graph: each data-bearing service (or the `--from`
    /// workload), each place its data reaches, an edge per hop labelled with its evidence.
    mutating func buildFocused(_ report: ResidencyReport) {
        func jurisdiction(_ p: Placement) -> Jurisdiction {
            switch p {
            case .known(let place):
                switch report.catalog.status(of: place.country) {
                case .eea: return .eea
                case .adequacy: return .adequacy
                case .adequacyPartial, .other: return .other
                }
            case .unknown: return .unknown
            case .anywhere: return .other
            }
        }
        func placeLabel(_ p: Placement) -> String {
            switch p {
            case .known(let place): return "\(place.name) (\(place.country))"
            case .unknown: return "location unknown"
            case .anywhere: return "anywhere"
            }
        }
        var have = Set<String>()
        var edgeSeen = Set<String>()
        let personal = Set(report.holders.map(\.workload))
        for tree in report.trees {
            let root = "src:\(tree.service)"
            if have.insert(root).inserted {
                let holders = report.holders.filter { ($0.primaryService ?? "workload \($0.workload)") == tree.service }
                let js = holders.map { jurisdiction($0.placement) }
                nodes.append(
                    Node(
                        id: root, label: tree.service.replacingBackticks(), kind: .service, namespace: nil,
                        jurisdiction: js.contains(.other)
                            ? .other : js.contains(.unknown) ? .unknown : js.first ?? .eea,
                        personal: !holders.isEmpty))
            }
            var ids: [String] = []
            for n in tree.nodes {
                let id = "place:\(n.label)"
                ids.append(id)
                if have.insert(id).inserted {
                    let kind: NodeKind =
                        n.label.hasPrefix("`") && n.label.contains("/")
                        ? .workload
                        : n.label == "any external host" ? .anywhere : .external
                    var label = n.label.replacingBackticks() + "\n" + placeLabel(n.place)
                    if n.stop != nil { label += "\nstop: processor" }
                    let bare = n.label.replacingBackticks()
                    nodes.append(
                        Node(
                            id: id, label: label, kind: kind, namespace: nil, jurisdiction: jurisdiction(n.place),
                            personal: personal.contains(bare)))
                }
                let from = n.parent.map { ids[$0] } ?? root
                let evidence = n.evidence.hasPrefix("reachable") ? "reachable, no call evidence" : n.evidence
                let label =
                    "\(n.hops): \(evidence.split(separator: ";").first.map(String.init) ?? evidence)"
                    .replacingBackticks()
                guard edgeSeen.insert("\(from)|\(id)").inserted else { continue }
                let kind: EdgeKind
                switch n.via {
                case .mirror: kind = .mirror
                case .weight: kind = .weight
                case .failover, .distribute: kind = .failover
                case .egress: kind = .egress
                case .allowAny, .noSidecar: kind = .allowAny
                case .response: kind = .call
                default: kind = n.evidence.hasPrefix("reachable") ? .call : .route
                }
                edges.append(Edge(from: from, to: id, label: label, kind: kind))
            }
        }
    }

    mutating func build(_ mesh: Mesh) {
        let report = ResidencyAnalysis.run(mesh: mesh)
        var declarations: [DeclaredLocation] = []
        for p in mesh.resources.residencyPolicies {
            for l in p.locations {
                declarations.append(
                    DeclaredLocation(
                        region: l.region?.value, host: l.host?.value, country: l.country.value.uppercased(),
                        reference: l.reference?.value, policy: p.key.qualifiedName))
            }
        }
        let locator = Locator(catalog: report.catalog, declarations: declarations)
        let personal = Set(report.holders.map(\.workload))
        func jurisdiction(_ p: Placement) -> Jurisdiction {
            switch p {
            case .known(let place):
                switch report.catalog.status(of: place.country) {
                case .eea: return .eea
                case .adequacy: return .adequacy
                // A conditional decision (US, CA) covers only some recipients: not by default.
                case .adequacyPartial, .other: return .other
                }
            case .unknown: return .unknown
            case .anywhere: return .other
            }
        }
        func placeLabel(_ p: Placement) -> String {
            switch p {
            case .known(let place):
                if case .declared = place.basis { return "\(place.country) (declared)" }
                return "\(place.name) (\(place.country))"
            case .unknown: return "location unknown"
            case .anywhere: return "anywhere"
            }
        }
        func worst(_ js: [Jurisdiction]) -> Jurisdiction {
            if js.contains(.other) { return .other }
            if js.contains(.unknown) { return .unknown }
            if js.contains(.adequacy) { return .adequacy }
            return js.isEmpty ? .unknown : .eea
        }

        // Workloads.
        var placements: [String: Placement] = [:]
        for w in mesh.workloads {
            let p = w.locality.map { locator.locate($0) } ?? .unknown("no locality")
            placements[w.id] = p
            // Each workload's effective PeerAuthentication mode (workload, namespace and mesh
            // levels), and whether it has a sidecar at all.
            let mtls =
                w.membership.hasSidecar
                ? "mTLS \(mesh.effectiveMTLS(workload: w, port: nil).mode.rawValue)" : "no sidecar (plaintext)"
            nodes.append(
                Node(
                    id: "wl:\(w.id)", label: "\(w.name)\n\(placeLabel(p))\n\(mtls)", kind: .workload,
                    namespace: w.namespace,
                    jurisdiction: jurisdiction(p), personal: personal.contains(w.id)))
        }
        // Services and external hosts.
        var hostNode: [String: String] = [:]
        for (fqdn, hosts) in mesh.hosts.sorted(by: { $0.key < $1.key }) {
            guard let h = hosts.first else { continue }
            if h.external, h.workloads.isEmpty {
                let p = locator.locate(host: fqdn)
                let id = "ext:\(fqdn)"
                hostNode[fqdn] = id
                nodes.append(
                    Node(
                        id: id, label: "\(fqdn)\n\(placeLabel(p))", kind: .external, namespace: nil,
                        jurisdiction: jurisdiction(p), personal: false))
                continue
            }
            let id = "svc:\(fqdn)"
            hostNode[fqdn] = id
            let ws = hosts.flatMap(\.workloads)
            let short =
                fqdn.hasSuffix(".svc.\(mesh.config.domainSuffix)")
                ? String(fqdn.split(separator: ".").first ?? "") : fqdn
            nodes.append(
                Node(
                    id: id, label: short, kind: .service, namespace: h.namespace,
                    jurisdiction: worst(ws.compactMap { placements[$0] }.map(jurisdiction)),
                    personal: ws.contains(where: personal.contains)))
        }
        // Routes: each VirtualService bound to sidecars, rule by rule.
        let rules = DestinationRuleIndex(mesh: mesh)
        var routed = Set<String>()
        var gatewayNodes = Set<String>()
        func gatewayNode(_ ref: String, _ vs: VirtualService) -> String {
            let qualified = ref.contains("/") ? ref : "\(vs.namespace)/\(ref)"
            let id = "gw:\(qualified)"
            if gatewayNodes.insert(id).inserted {
                let gw = mesh.resources.gateways.first { $0.key.qualifiedName == qualified }
                let ns = String(qualified.split(separator: "/").first ?? "")
                let hosts = Set(gw?.servers.flatMap { $0.hosts.map(\.value) } ?? []).sorted()
                nodes.append(
                    Node(
                        id: id,
                        label: "gateway \(qualified.split(separator: "/").last ?? "")"
                            + (gw == nil
                                ? "\n(no such Gateway)"
                                : hosts.isEmpty ? "" : "\n" + hosts.prefix(3).joined(separator: "\n")),
                        kind: gw == nil ? .missing : .gateway, namespace: gw == nil ? nil : ns, jurisdiction: .unknown,
                        personal: false))
            }
            return id
        }
        func missingNode(_ label: String) -> String {
            let id = "missing:\(label)"
            if !nodes.contains(where: { $0.id == id }) {
                nodes.append(
                    Node(id: id, label: label, kind: .missing, namespace: nil, jurisdiction: .unknown, personal: false))
            }
            return id
        }
        for vs in mesh.resources.virtualServices where !vs.isDelegate {
            let sidecars = vs.gateways.isEmpty || vs.gateways.contains { $0.value == "mesh" }
            let gatewayRefs = vs.gateways.map(\.value).filter { $0 != "mesh" }
            for h in vs.hosts {
                let host = mesh.fqdn(h.value, in: vs.namespace)
                // Sources: the host's service for sidecars, each bound Gateway for gateways.
                var sources: [String] = []
                if sidecars, let from = hostNode[host] {
                    sources.append(from)
                    routed.insert(host)
                }
                for g in gatewayRefs { sources.append(gatewayNode(g, vs)) }
                guard !sources.isEmpty else { continue }
                /// The workloads or services a destination reaches, or a node saying why none.
                func targets(_ d: Destination, _ ns: String) -> (ids: [String], broken: Bool) {
                    let dh = mesh.fqdn(d.host.value, in: ns)
                    guard
                        let known = mesh.hosts[dh]
                            ?? mesh.hosts.first(where: { Mesh.hostMatches(pattern: $0.key, host: dh) })?.value
                    else {
                        return ([missingNode("\(d.host.value)\n(no such host)")], true)
                    }
                    if let sub = d.subset?.value {
                        let choice = rules.choice(for: dh, hostNamespace: known.first?.namespace, client: vs.namespace)
                        guard let labels = choice?.subset(named: sub)?.subset.labels else {
                            return ([missingNode("\(d.host.value) subset \(sub)\n(no such subset)")], true)
                        }
                        return (
                            known.flatMap(\.workloads).filter { id in
                                guard let w = mesh.workload(id) else { return false }
                                return labels.allSatisfy { w.labels[$0.key] == $0.value }
                            }.map { "wl:\($0)" }, false
                        )
                    }
                    if dh == host, hostNode[dh]?.hasPrefix("svc:") == true {
                        let ws = known.flatMap(\.workloads).map { "wl:\($0)" }
                        if !ws.isEmpty { return (ws, false) }
                    }
                    return (hostNode[dh].map { [$0] } ?? [], false)
                }
                for r in vs.http {
                    let several = r.route.count > 1
                    for rd in r.route {
                        let w = rd.weight?.value ?? 0
                        if several && w <= 0 { continue }
                        let label =
                            "\(r.displayName.replacingBackticks())" + (several ? " \(w) %" : "")
                            + (rd.destination.subset.map { " \($0.value)" } ?? "")
                        let (ids, broken) = targets(rd.destination, vs.namespace)
                        for from in sources {
                            for t in ids where t != from {
                                edges.append(
                                    Edge(
                                        from: from, to: t, label: label,
                                        kind: broken ? .broken : several ? .weight : .route
                                    ))
                            }
                        }
                    }
                    var mirrors: [(Destination, Double)] = []
                    if let m = r.mirror {
                        mirrors.append(
                            (m, r.mirrorPercentage?.value ?? r.mirrorPercent.map { Double($0.value) } ?? 100))
                    }
                    for m in r.mirrors { mirrors.append((m.destination, m.percentage?.value ?? 100)) }
                    for (m, pct) in mirrors where pct > 0 {
                        let (ids, broken) = targets(m, vs.namespace)
                        for from in sources {
                            for t in ids {
                                edges.append(
                                    Edge(
                                        from: from, to: t,
                                        label: "mirror \(pct == pct.rounded() ? String(Int(pct)) : String(pct)) %",
                                        kind: broken ? .broken : .mirror))
                            }
                        }
                    }
                }
                for r in vs.tcp + vs.tls.map({ TCPRoute(match: $0.match, route: $0.route, index: $0.index) }) {
                    let several = r.route.count > 1
                    for rd in r.route {
                        let w = rd.weight?.value ?? 0
                        if several && w <= 0 { continue }
                        let (ids, broken) = targets(rd.destination, vs.namespace)
                        for from in sources {
                            for t in ids where t != from {
                                edges.append(
                                    Edge(
                                        from: from, to: t, label: "tcp rule \(r.index)" + (several ? " \(w) %" : ""),
                                        kind: broken ? .broken : several ? .weight : .route))
                            }
                        }
                    }
                }
            }
        }
        // Locality failover targets: an edge to each target region, to a region node when no
        // endpoint of the host runs there.
        for dr in mesh.resources.destinationRules {
            let host = mesh.fqdn(dr.host.value, in: dr.namespace)
            guard let from = hostNode[host], let setting = dr.trafficPolicy?.loadBalancer?.localityLbSetting else {
                continue
            }
            let regions = Set(
                (mesh.hosts[host] ?? []).flatMap(\.workloads).compactMap { mesh.workload($0)?.locality?.region })
            for f in setting.failover {
                let p = locator.locate(region: f.to.value, zone: nil)
                let target: String
                if regions.contains(f.to.value) {
                    let ws = (mesh.hosts[host] ?? []).flatMap(\.workloads).filter {
                        mesh.workload($0)?.locality?.region == f.to.value
                    }
                    guard let first = ws.first else { continue }
                    target = "wl:\(first)"
                } else {
                    target = "region:\(f.to.value)"
                    if !nodes.contains(where: { $0.id == target }) {
                        nodes.append(
                            Node(
                                id: target, label: "region \(placeLabel(p))\nno endpoint today", kind: .anywhere,
                                namespace: nil,
                                jurisdiction: jurisdiction(p), personal: false))
                    }
                }
                edges.append(
                    Edge(from: from, to: target, label: "failover \(f.from.value) -> \(f.to.value)", kind: .failover))
            }
        }
        // Hosts without a VirtualService: the service selects its workloads.
        for (fqdn, hosts) in mesh.hosts where !routed.contains(fqdn) {
            guard let from = hostNode[fqdn], from.hasPrefix("svc:") else { continue }
            for id in Set(hosts.flatMap(\.workloads)).sorted() {
                edges.append(Edge(from: from, to: "wl:\(id)", label: "", kind: .selects))
            }
        }
        // Calls the configuration names (env vars, arguments, the fjord.dev/calls annotation).
        for w in mesh.workloads {
            var seen = Set<String>()
            for e in mesh.callEvidence(of: w) {
                let target =
                    hostNode[e.host]
                    ?? mesh.hosts.keys.first { $0.hasPrefix("*") && Mesh.hostMatches(pattern: $0, host: e.host) }
                    .flatMap { hostNode[$0] }
                guard let target, seen.insert(target).inserted else { continue }
                edges.append(
                    Edge(from: "wl:\(w.id)", to: target, label: "", kind: target.hasPrefix("ext:") ? .egress : .call))
            }
        }
        // ALLOW_ANY: personal-data workloads whose sidecar may reach any external host.
        let anyHolders = report.holders.filter { h in
            h.reaches.keys.contains { $0.via == .allowAny || $0.via == .noSidecar }
        }
        if !anyHolders.isEmpty {
            nodes.append(
                Node(
                    id: "any", label: "any external host\n(ALLOW_ANY or no sidecar)", kind: .anywhere, namespace: nil,
                    jurisdiction: .other, personal: false))
            for h in anyHolders { edges.append(Edge(from: "wl:\(h.workload)", to: "any", label: "", kind: .allowAny)) }
        }
        // Namespaces with their default mTLS mode (namespace-level PeerAuthentication, else
        // mesh-wide); workloads show their own effective mode.
        let root = mesh.config.rootNamespace
        let meshWide = mesh.resources.peerAuthentications.first {
            $0.namespace == root && ($0.selector?.isEmpty ?? true)
        }?.mode?.value
        let used = Set(nodes.compactMap(\.namespace))
        for ns in used.sorted() {
            let own = mesh.resources.peerAuthentications.first { $0.namespace == ns && ($0.selector?.isEmpty ?? true) }?
                .mode?.value
            let mode: String
            if let own, own != .unset {
                mode = "mTLS \(own.rawValue)"
            } else if let meshWide, meshWide != .unset {
                mode = "mTLS \(meshWide.rawValue) (mesh)"
            } else {
                mode = "mTLS PERMISSIVE (default)"
            }
            let sidecars = mesh.workloads.filter { $0.namespace == ns }.allSatisfy(\.membership.hasSidecar)
            namespaces.append(Namespace(name: ns, mtls: mode, sidecars: sidecars))
        }
    }

    // MARK: Rendering

    /// Graphviz DOT (`dot -Tsvg`).
    public func dot() -> String {
        func q(_ s: String) -> String {
            "\""
                + s.replacingOccurrences("\\", "\\\\").replacingOccurrences("\"", "\\\"").replacingOccurrences(
                    "\n", "\\n") + "\""
        }
        var out = "digraph \(q(title)) {\n"
        out +=
            "  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=11, labelloc=t, label=\(q(title)), compound=true, newrank=true];\n"
        out += "  node [fontname=\"Helvetica\", fontsize=10, style=filled];\n"
        out += "  edge [fontname=\"Helvetica\", fontsize=9];\n"
        func node(_ n: Node) -> String {
            let c = n.jurisdiction.colour
            let shape: String
            switch n.kind {
            case .service: shape = "ellipse"
            case .workload: shape = "box"
            case .external: shape = "hexagon"
            case .anywhere: shape = "doubleoctagon"
            case .gateway: shape = "invhouse"
            case .missing: shape = "octagon"
            }
            if n.kind == .missing {
                return
                    "\(q(n.id)) [label=\(q(n.label)), shape=\(shape), style=\"filled,dashed\", fillcolor=\"#ffffff\", color=\"#c62828\"];"
            }
            let label = n.personal ? n.label + "\npersonal data" : n.label
            return
                "\(q(n.id)) [label=\(q(label)), shape=\(shape), fillcolor=\(q(c.fill)), color=\(q(c.stroke)), penwidth=\(n.personal ? 2.5 : 1)];"
        }
        for (i, ns) in namespaces.enumerated() {
            out += "  subgraph \(q("cluster_\(i)")) {\n"
            out += "    label=\(q("\(ns.name)\n\(ns.mtls)\(ns.sidecars ? "" : ", workloads without sidecars")"));\n"
            out += "    style=rounded; color=\"#9e9e9e\";\n"
            for n in nodes where n.namespace == ns.name { out += "    \(node(n))\n" }
            out += "  }\n"
        }
        for n in nodes where n.namespace == nil { out += "  \(node(n))\n" }
        for e in edges {
            var attrs: [String] = []
            if !e.label.isEmpty { attrs.append("label=\(q(e.label))") }
            attrs.append(e.kind.dotAttributes)
            out += "  \(q(e.from)) -> \(q(e.to)) [\(attrs.joined(separator: ", "))];\n"
        }
        // Legend.
        out += "  subgraph \"cluster_legend\" {\n    label=\"jurisdiction\"; style=rounded; color=\"#bdbdbd\";\n"
        for j in Jurisdiction.allCases {
            let c = j.colour
            out +=
                "    \(q("legend:\(j.rawValue)")) [label=\(q(j.legend)), shape=note, fillcolor=\(q(c.fill)), color=\(q(c.stroke))];\n"
        }
        out += "  }\n"
        // Edge styles: a short sample edge for each, with what it means.
        out += "  subgraph \"cluster_legend_edges\" {\n    label=\"edges\"; style=rounded; color=\"#bdbdbd\";\n"
        for k in EdgeKind.allCases {
            let a = q("legend:edge:\(k.rawValue)")
            let b = q("legend:edge:\(k.rawValue):label")
            out += "    \(a) [label=\"\", shape=point, width=0.05];\n"
            out += "    \(b) [label=\(q(k.legend)), shape=plaintext, style=\"\"];\n"
            out += "    \(a) -> \(b) [\(k.dotAttributes)];\n"
        }
        out += "  }\n}\n"
        return out
    }

    /// Mermaid flowchart.
    public func mermaid() -> String {
        var ids: [String: String] = [:]
        func id(_ raw: String) -> String {
            if let hit = ids[raw] { return hit }
            var s = "n\(ids.count)_"
            for c in raw.unicodeScalars {
                s.unicodeScalars.append(c.properties.isAlphabetic || ("0"..."9").contains(c) ? c : "_")
            }
            ids[raw] = s
            return s
        }
        func text(_ s: String) -> String {
            "\"" + s.replacingOccurrences("\"", "#quot;").replacingOccurrences("\n", "<br/>") + "\""
        }
        func node(_ n: Node) -> String {
            let label = text(n.personal ? n.label + "\npersonal data" : n.label)
            switch n.kind {
            case .service: return "\(id(n.id))([\(label)])"
            case .workload: return "\(id(n.id))[\(label)]"
            case .external: return "\(id(n.id)){{\(label)}}"
            case .anywhere: return "\(id(n.id))[[\(label)]]"
            case .gateway: return "\(id(n.id))[/\(label)\\]"
            case .missing: return "\(id(n.id))>\(label)]"
            }
        }
        var out = "---\ntitle: \(title)\n---\nflowchart LR\n"
        for ns in namespaces {
            out += "  subgraph \(id("ns:\(ns.name)"))[\(text("\(ns.name) (\(ns.mtls))"))]\n"
            for n in nodes where n.namespace == ns.name { out += "    \(node(n))\n" }
            out += "  end\n"
        }
        for n in nodes where n.namespace == nil { out += "  \(node(n))\n" }
        for e in edges {
            let arrow = e.kind.mermaidArrow
            out += "  \(id(e.from)) \(arrow)\(e.label.isEmpty ? "" : "|\(text(e.label))|") \(id(e.to))\n"
        }
        for j in Jurisdiction.allCases {
            let c = j.colour
            out += "  classDef \(j.rawValue) fill:\(c.fill),stroke:\(c.stroke)\n"
            let members = nodes.filter { $0.jurisdiction == j }.map { id($0.id) }
            if !members.isEmpty { out += "  class \(members.joined(separator: ",")) \(j.rawValue)\n" }
        }
        // Edge styles: Mermaid has no legend, so a subgraph of sample edges stands for one.
        out += "  subgraph legend_edges[\"edges\"]\n"
        for k in EdgeKind.allCases {
            out +=
                "    \(id("legend:edge:\(k.rawValue)"))[\" \"] \(k.mermaidArrow)|\(text(k.legend))| \(id("legend:edge:\(k.rawValue):to"))[\" \"]\n"
        }
        out += "  end\n"
        let personal = nodes.filter(\.personal).map { id($0.id) }
        if !personal.isEmpty {
            out += "  classDef personal stroke-width:3px\n  class \(personal.joined(separator: ",")) personal\n"
        }
        return out
    }
}

extension String {
    func replacingOccurrences(_ a: String, _ b: String) -> String {
        guard contains(a) else { return self }
        var out = ""
        var rest = Substring(self)
        while let r = rest.firstRange(of: a) {
            out += rest[..<r.lowerBound]
            out += b
            rest = rest[r.upperBound...]
        }
        return out + rest
    }

    func replacingBackticks() -> String { replacingOccurrences("`", "") }
}
