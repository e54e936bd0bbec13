import FjordDecision
import FjordDiagnostics
import FjordModel
import FjordSource

/// The legs of a proxy: every host it sees, on each port, through the rules that can match, to
/// every endpoint; ALLOW_ANY and workloads without a sidecar.
extension FlowEngine {
    /// Every path from a sidecar: each host it sees, on each port, through the VirtualService
    /// rules that can match, plus ALLOW_ANY.
    mutating func outboundLegs(_ w: Workload, only: String? = nil) -> [Leg] {
        let scope = ProxyScope.sidecar(w.id)
        let drClient = rules.clientKey(w.namespace, labels: w.labels)
        var legs: [Leg] = []
        var allowAny = false
        var ports: [Int]
        if let cls = tables.scopeClass(scope, port: 0) {
            if let hit = portsCache[cls] {
                ports = hit
            } else {
                ports = tables.ports(of: scope)
                portsCache[cls] = ports
            }
        } else {
            ports = tables.ports(of: scope)
        }
        for port in ports {
            guard let view = tables.listener(scope, port: port) else { continue }
            if view.outboundPolicy == .allowAny { allowAny = true }
            let cls = tables.scopeClass(scope, port: port)
            var hosts: [VirtualHostView]
            if let only {
                hosts =
                    view.hosts[only].map { [$0] }
                    ?? view.wildcardHosts.filter { Mesh.hostMatches(pattern: $0.host, host: only) }.prefix(1).map { $0 }
            } else {
                hosts = view.hosts.keys.sorted().compactMap { view.hosts[$0] } + view.wildcardHosts
            }
            for vh in hosts {
                let key = LegKey(
                    scopeClass: cls, scope: cls == nil ? scope : nil, host: "\(vh.host):\(port)", drClient: drClient)
                if let hit = legCache[key] {
                    legs += hit
                    continue
                }
                let made = virtualHostLegs(vh, port: port, client: w)
                legCache[key] = made
                legs += made
            }
        }
        if allowAny && only == nil { legs.append(allowAnyLeg(w)) }
        return legs
    }

    /// A workload without a sidecar connects straight to the endpoints of any Service, and to
    /// any external host.
    mutating func directLegs(_ w: Workload, only: String? = nil) -> [Leg] {
        var legs: [Leg] = []
        let hosts = only.map { [$0] } ?? mesh.hosts.keys.sorted()
        for host in hosts {
            guard let entries = mesh.hosts[host],
                entries.contains(where: { if case .service = $0.source { return true } else { return false } })
            else { continue }
            for port in Set(entries.flatMap(\.ports)).sorted() {
                guard let d = resolve(host: host, subset: nil, port: port, client: w) else { continue }
                let entry = ResidencyHop("\(host):\(port)")
                legs += assemble(
                    entry: entry, prefix: [], destination: d, via: .route, opening: nil, host: host, isMirror: false)
            }
        }
        if only == nil {
            let hops = [
                ResidencyHop("any external host"),
                ResidencyHop(
                    "no sidecar (\(w.membership.reason))",
                    note: "\(quoted(w.id)) has no sidecar, so nothing in the mesh limits where it connects",
                    at: w.membership.range, resource: ref(w)),
                ResidencyHop("any country", note: "a workload without a sidecar can reach any external host"),
            ]
            let placement = Placement.anywhere("a workload without a sidecar can reach any external host")
            legs.append(
                Leg(
                    entry: "*", host: "*", hops: hops, sink: .anyExternalHost, placement: placement, opening: 1,
                    via: .noSidecar,
                    verdicts: verdicts(placement, .anyExternalHost), locality: nil, endpointRegion: nil,
                    endpointZone: nil,
                    localityAt: 0, latentFrom: nil, isMirror: false))
        }
        return legs
    }

    func allowAnyLeg(_ w: Workload) -> Leg {
        var hop: ResidencyHop
        if let sc = tables.sidecar(for: w), let p = sc.outboundTrafficPolicy, p.value == .allowAny {
            hop = ResidencyHop(
                "outboundTrafficPolicy ALLOW_ANY (Sidecar \(sc.key.qualifiedName))",
                note: "Sidecar \(quoted(sc.key.qualifiedName)) lets the proxy reach any external host",
                at: p.range, resource: ref(sc.key))
        } else if mesh.config.fromConfigMap,
            let cm = mesh.resources.configMaps.first(where: { $0.name == "istio" || $0.data["mesh"] != nil })
        {
            hop = ResidencyHop(
                "outboundTrafficPolicy ALLOW_ANY (ConfigMap \(cm.key.qualifiedName))",
                note: "the mesh configuration lets every sidecar reach any external host",
                at: meshModeRange(cm), resource: ref(cm.key))
        } else {
            hop = ResidencyHop(
                "outboundTrafficPolicy ALLOW_ANY (Istio's default)",
                note:
                    "no `istio` ConfigMap among the inputs sets `outboundTrafficPolicy`, so Istio's default ALLOW_ANY applies"
            )
        }
        let placement = Placement.anywhere("ALLOW_ANY lets the sidecar reach any external host")
        return Leg(
            entry: "*", host: "*", hops: [ResidencyHop("any external host"), hop, ResidencyHop("any country")],
            sink: .anyExternalHost,
            placement: placement, opening: 1, via: .allowAny, verdicts: verdicts(placement, .anyExternalHost),
            locality: nil,
            endpointRegion: nil, endpointZone: nil, localityAt: 0, latentFrom: nil, isMirror: false)
    }

    /// The line of `mode:` inside the `mesh` key of the istio ConfigMap (a block scalar: its lines
    /// start on the line after the key, indented two columns past it).
    func meshModeRange(_ cm: ConfigMap) -> SourceRange {
        guard let mesh = cm.data["mesh"], !mesh.range.isSynthetic else { return cm.nameRange }
        let lines = mesh.value.split(separator: "\n", omittingEmptySubsequences: false)
        var inOutbound = false
        for (i, raw) in lines.enumerated() {
            let line = String(raw)
            let indent = line.prefix { $0 == " " }.count
            let trimmed = line.dropFirst(indent)
            if indent == 0 { inOutbound = trimmed.hasPrefix("outboundTrafficPolicy:") }
            if (inOutbound && indent > 0 && trimmed.hasPrefix("mode:"))
                || (indent == 0 && trimmed.hasPrefix("outboundTrafficPolicy:") && trimmed.contains("ALLOW_ANY"))
            {
                let blockStart = mesh.range.start
                // A block scalar (`mesh: |`) starts at its indicator and its content on the next
                // line, indented two columns past the key; a quoted or plain scalar starts on its line.
                let block = mesh.range.end.line > blockStart.line && lines.count > 1
                let line0 = block ? blockStart.line + 1 : blockStart.line
                let column = (block ? max(1, blockStart.column - "mesh: ".count + 2) : blockStart.column) + indent
                let start = SourcePosition(line: line0 + i, column: column)
                return SourceRange(
                    file: mesh.range.file, start: start,
                    end: SourcePosition(line: line0 + i, column: column + trimmed.count))
            }
        }
        return mesh.range
    }

    func portProtocol(host: String, port: Int) -> PortProtocol {
        func classify(_ name: String?, _ proto: String?) -> PortProtocol {
            let p = (proto ?? "").lowercased()
            if ["http", "http2", "grpc", "grpc-web"].contains(p) { return .http }
            if ["tcp", "tls", "https", "mongo", "mysql", "redis", "udp"].contains(p) { return .l4 }
            let n = (name ?? "").lowercased()
            let prefix = n.split(separator: "-").first.map(String.init) ?? n
            if ["http", "http2", "grpc", "grpc-web"].contains(prefix) { return .http }
            if ["tcp", "tls", "https", "mongo", "mysql", "redis"].contains(prefix) { return .l4 }
            return .unknown
        }
        for h in mesh.hosts[host] ?? [] {
            switch h.source {
            case .service(let key):
                if let svc = services[key], let sp = svc.ports.first(where: { $0.port.value == port }) {
                    let c = classify(sp.name?.value, sp.appProtocol?.value)
                    if c != .unknown { return c }
                }
            case .serviceEntry(let key):
                if let se = serviceEntries[key], let sp = se.ports.first(where: { $0.number?.value == port }) {
                    let c = classify(sp.name?.value, sp.protocol?.value)
                    if c != .unknown { return c }
                }
            }
        }
        return .unknown
    }

    mutating func reachable(_ rules: [EffectiveRule]) -> Set<Int> {
        if rules.count <= 1 { return Set(rules.indices) }
        if let hit = reachableCache[rules] { return hit }
        var result = Set(rules.indices)
        if let routes = try? RouteCompiler.compile(RouteCompiler.ruleBlocks(rules), maxNodes: 500_000),
            let all = try? routes.combined()
        {
            result = routes.diagram.terminals(all).subtracting([Diagram.noneValue])
        }
        reachableCache[rules] = result
        return result
    }

    func ruleHop(_ rule: EffectiveRule, name: String, range: SourceRange, resource: ResourceRef?) -> ResidencyHop {
        var step = "VirtualService \(rule.ref.virtualService) \(name)"
        if let d = rule.ref.delegate { step += " (delegate \(d))" }
        // The route is evidence of the hop: its position is a note of every path through it.
        let note = "\(name) of VirtualService \(quoted(rule.ref.virtualService)) routes the request"
        return ResidencyHop(step, note: note, at: range, resource: resource)
    }

    mutating func virtualHostLegs(_ vh: VirtualHostView, port: Int, client: Workload) -> [Leg] {
        let entry = ResidencyHop("\(vh.host):\(port)")
        guard let vsKey = vh.virtualServices.first else {
            guard let d = resolve(host: vh.host, subset: nil, port: port, client: client) else { return [] }
            return assemble(
                entry: entry, prefix: [], destination: d, via: .route, opening: nil, host: vh.host, isMirror: false)
        }
        let proto = portProtocol(host: vh.host, port: port)
        var legs: [Leg] = []
        if proto != .l4 {
            let live = reachable(vh.rules)
            for (i, rule) in vh.rules.enumerated() where live.contains(i) {
                let route = rule.route
                let range = route.match.first?.range ?? route.name?.range ?? route.range
                let rh = ruleHop(rule, name: route.displayName, range: range, resource: ref(rule.source))
                let several = route.route.count > 1
                let retryRemote = route.retries?.retryRemoteLocalities.flatMap { $0.value ? $0.range : nil }
                for rd in route.route {
                    let weight = several ? (rd.weight?.value ?? 0) : 100
                    guard weight > 0 else { continue }
                    var made = destinationLegs(
                        entry: entry, rule: rh, rd.destination,
                        weight: several ? rd.weight.map { ($0.value, $0.range) } ?? (0, rd.range) : nil,
                        namespace: rule.namespace, vhost: vh, port: port, client: client, mirror: nil,
                        resource: ref(rule.source))
                    if let retryRemote {
                        for i in made.indices where made[i].latentFrom == nil { made[i].retryRemote = retryRemote }
                    }
                    legs += made
                }
                var mirrors: [(Destination, Double, SourceRange)] = []
                if let m = route.mirror {
                    let pct = route.mirrorPercentage?.value ?? route.mirrorPercent.map { Double($0.value) } ?? 100
                    mirrors.append((m, pct, m.range))
                }
                for m in route.mirrors { mirrors.append((m.destination, m.percentage?.value ?? 100, m.range)) }
                for (m, pct, r) in mirrors where pct > 0 {
                    legs += destinationLegs(
                        entry: entry, rule: rh, m, weight: nil, namespace: rule.namespace, vhost: vh, port: port,
                        client: client,
                        mirror: (pct, r), resource: ref(rule.source))
                }
            }
        }
        if proto != .http, let vs = mesh.resources.virtualServices.first(where: { $0.key == vsKey }) {
            var any = false
            let l4: [(String, [L4Match], [RouteDestination], Int, SourceRange)] =
                vs.tcp.map { ("TCP", $0.match, $0.route, $0.index, $0.range) }
                + vs.tls.map { ("TLS", $0.match, $0.route, $0.index, $0.range) }
            for (kind, matches, dests, index, range) in l4 {
                let fits =
                    matches.isEmpty
                    || matches.contains { m in
                        (m.port.map { $0.value == port } ?? true)
                            && m.sourceLabels.allSatisfy { client.labels[$0.key] == $0.value }
                            && (m.sourceNamespace.map { $0.value == client.namespace } ?? true)
                            && (m.gateways.isEmpty || m.gateways.contains { $0.value == "mesh" })
                    }
                guard fits else { continue }
                any = true
                let rh = ResidencyHop(
                    "VirtualService \(vs.key.qualifiedName) \(kind) rule \(index)", at: matches.first?.range ?? range,
                    resource: ref(vs.key))
                let several = dests.count > 1
                for rd in dests {
                    let weight = several ? (rd.weight?.value ?? 0) : 100
                    guard weight > 0 else { continue }
                    legs += destinationLegs(
                        entry: entry, rule: rh, rd.destination,
                        weight: several ? rd.weight.map { ($0.value, $0.range) } ?? (0, rd.range) : nil,
                        namespace: vs.namespace, vhost: vh, port: port, client: client, mirror: nil,
                        resource: ref(vs.key))
                }
                if matches.isEmpty { break }
            }
            if !any, let d = resolve(host: vh.host, subset: nil, port: port, client: client) {
                legs += assemble(
                    entry: entry, prefix: [], destination: d, via: .route, opening: nil, host: vh.host, isMirror: false)
            }
        }
        return legs
    }

    mutating func destinationLegs(
        entry: ResidencyHop, rule: ResidencyHop, _ d: Destination, weight: (Int, SourceRange)?, namespace: String,
        vhost: VirtualHostView, port: Int, client: Workload, mirror: (Double, SourceRange)?, resource: ResourceRef
    ) -> [Leg] {
        let host = mesh.fqdn(d.host.value, in: namespace)
        var destPort = d.port?.value
        if destPort == nil {
            if host == vhost.host {
                destPort = port
            } else if let h = mesh.hosts[host]?.first, h.ports.count == 1 {
                destPort = h.ports[0]
            } else {
                destPort = port
            }
        }
        guard let resolved = resolve(host: host, subset: d.subset?.value, port: destPort ?? port, client: client) else {
            return []
        }
        var prefix = [rule]
        var opening: Int?
        var via = ResidencyVia.route
        if let (pct, r) = mirror {
            prefix.append(
                ResidencyHop(
                    "mirror \(Self.percent(pct)) %",
                    note: "the rule mirrors \(Self.percent(pct)) % of its requests to \(quoted(host))", at: r,
                    resource: resource))
            opening = prefix.count - 1
            via = .mirror
        } else if let (w, r) = weight {
            prefix.append(
                ResidencyHop(
                    "weight \(w)",
                    note:
                        "the rule sends weight \(w) to \(quoted(host))\(d.subset.map { " subset \(quoted($0.value))" } ?? "")",
                    at: r, resource: resource))
            opening = prefix.count - 1
            via = .weight
        }
        if host != vhost.host { prefix.append(ResidencyHop("\(host):\(destPort ?? port)")) }
        if var s = resolved.subsetHop, let sub = d.subset {
            s.range = sub.range
            s.resource = resource
            prefix.append(s)
            if opening == nil { opening = prefix.count - 1 }
        }
        return assemble(
            entry: entry, prefix: prefix, destination: resolved, via: via, opening: opening, host: host,
            isMirror: mirror != nil,
            subsetAlreadyIn: true)
    }

    static func percent(_ d: Double) -> String {
        d == d.rounded() ? String(Int(d)) : String(d)
    }

    /// Legs to each endpoint of a resolved destination, plus latent legs for locality targets
    /// without endpoints.
    func assemble(
        entry: ResidencyHop, prefix: [ResidencyHop], destination d: ResolvedDestination, via: ResidencyVia,
        opening: Int?, host: String,
        isMirror: Bool, subsetAlreadyIn: Bool = false
    ) -> [Leg] {
        var head = [entry] + prefix
        let entryHost = String(entry.step[..<(entry.step.lastIndex(of: ":") ?? entry.step.endIndex)])
        if !subsetAlreadyIn, let s = d.subsetHop { head.append(s) }
        var legs: [Leg] = []
        for e in d.endpoints {
            let hops = head + e.hops + placementSteps(e.placement)
            // Without a more specific hop, the endpoint's own placement opens the path.
            let open = opening.map { $0 + 1 } ?? (head.count + max(0, e.hops.count - 1))
            legs.append(
                Leg(
                    entry: entryHost, host: host, hops: hops, sink: e.sink, placement: e.placement, opening: open,
                    via: via == .route && e.via != .route ? e.via : via, verdicts: verdicts(e.placement, e.sink),
                    locality: d.locality, endpointRegion: e.region, endpointZone: e.zone, localityAt: head.count,
                    latentFrom: nil, isMirror: isMirror))
        }
        // Failover and distribute targets where no endpoint runs today.
        if let ls = d.locality, ls.outlierDetection || !ls.setting.distribute.isEmpty {
            let regions = Set(d.endpoints.compactMap(\.region))
            var targets: [(from: String, region: String, hop: ResidencyHop, via: ResidencyVia)] = []
            for f in ls.setting.failover where !regions.contains(f.to.value) && ls.outlierDetection {
                targets.append(
                    (
                        f.from.value, f.to.value,
                        ResidencyHop(
                            "locality failover \(f.from.value) -> \(f.to.value)",
                            note:
                                "locality failover from \(quoted(f.from.value)) to \(quoted(f.to.value)) (DestinationRule \(ls.rule.qualifiedName))",
                            at: f.to.range, resource: ls.rule), .failover
                    ))
            }
            for dist in ls.setting.distribute {
                for t in dist.to where t.weight > 0 {
                    let region = String(t.locality.value.split(separator: "/").first ?? "")
                    guard !region.isEmpty, region != "*", !regions.contains(region) else { continue }
                    targets.append(
                        (
                            dist.from.value, region,
                            ResidencyHop(
                                "distribute \(dist.from.value) -> \(t.locality.value) (\(t.weight) %)",
                                note:
                                    "locality `distribute` from \(quoted(dist.from.value)) sends \(t.weight) % to \(quoted(t.locality.value)) (DestinationRule \(ls.rule.qualifiedName))",
                                at: t.locality.range, resource: ls.rule), .distribute
                        ))
                }
            }
            for t in targets {
                let placement = locator.locate(region: t.region, zone: nil)
                let sink = ResidencySink.localityTarget(host: host, region: t.region)
                let hops =
                    head + [
                        t.hop,
                        ResidencyHop(
                            "no endpoint in \(t.region) today",
                            note:
                                "no endpoint of \(quoted(host)) runs in \(quoted(t.region)) today; the path opens as soon as one does"
                        ),
                    ]
                    + placementSteps(placement)
                legs.append(
                    Leg(
                        entry: entryHost, host: host, hops: hops, sink: sink, placement: placement, opening: head.count,
                        via: t.via,
                        verdicts: verdicts(placement, sink), locality: nil, endpointRegion: nil, endpointZone: nil,
                        localityAt: head.count,
                        latentFrom: t.from, isMirror: isMirror))
            }
        }
        return legs
    }
}
