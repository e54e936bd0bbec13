import FjordModel
import FjordSource
import FjordTable

/// Compiles a whole mesh (every proxy scope, or some) into a `TableProgram`.
///
/// Structure is shared wherever Istio's semantics allow: proxies that see the same routes share
/// host maps (most sidecars of a mesh without Sidecar resources or exportTo see the same), route
/// tables are hash-consed by (host, port, effective rules), and classifiers, nodes, actions and
/// rule references are deduplicated across the whole image. The image therefore grows with the
/// number of hosts and rules, not with hosts × proxies.
public struct MeshCompiler {
    public struct Options: Sendable {
        public var order: AttributeOrder = .standard
        /// Compile only these scopes (nil: every sidecar and gateway).
        public var scopes: [ProxyScope]?
        public var maxDFAStates = 50_000
        public var compilerVersion = "0.1.0"
        public init() {}
    }

    /// Something the compiler wants to tell the user (an attribute split over automata, a
    /// route table it could not compile).
    public struct Note: Sendable, CustomStringConvertible {
        public var severity: String
        public var message: String
        public var virtualService: String?
        public var description: String { message }
    }

    public struct Statistics: Sendable {
        public var scopes = 0
        public var listeners = 0
        public var hostMaps = 0
        public var virtualHosts = 0
        public var routeTables = 0
        public var nodes = 0
        public var classifiers = 0
        public var actions = 0
        public var clusters = 0
    }

    public let mesh: Mesh
    public let tables: RouteTables
    public var options: Options
    public private(set) var notes: [Note] = []

    private var program = TableProgram()
    private var stringIndex: [String: UInt32] = [:]
    private var classifierIndex: [TableProgram.Classifier: UInt32] = [:]
    private var nodeIndex: [TableProgram.Node: UInt32] = [:]
    private var actionIndex: [ActionRecord: UInt32] = [:]
    private var ruleIndex: [RuleRef: UInt32] = [:]
    private var routeTableIndex: [RouteTableKey: UInt32] = [:]
    private var virtualHostIndex: [TableProgram.VirtualHost: UInt32] = [:]
    private var hostMapIndex: [TableProgram.HostMap: UInt32] = [:]
    /// The namespaces of the compiled scopes, and the labels of their workloads (nil for a gateway).
    private var clientNamespaces = Set<String>()
    private var clientLabels: [[String: String]?] = []
    private var hostMapByClass: [RouteTables.ScopeClass: UInt32] = [:]

    struct RouteTableKey: Hashable {
        var host: String
        var port: Int
        var rules: [EffectiveRule]
    }

    public init(mesh: Mesh, options: Options = Options()) {
        self.mesh = mesh
        self.tables = RouteTables(mesh: mesh)
        self.options = options
    }

    mutating func intern(_ s: String) -> UInt32 { program.intern(s, index: &stringIndex) }

    /// Compiles and returns the program.
    public mutating func compile() -> TableProgram {
        let scopes = (options.scopes ?? tables.scopes).sorted()
        for scope in scopes {
            let ports = tables.ports(of: scope)
            var listeners: [TableProgram.Listener] = []
            for port in ports {
                guard let view = tables.listener(scope, port: port) else { continue }
                let map: UInt32
                if let cls = tables.scopeClass(scope, port: port), let hit = hostMapByClass[cls] {
                    map = hit
                } else {
                    map = hostMap(view)
                    if let cls = tables.scopeClass(scope, port: port) { hostMapByClass[cls] = map }
                }
                listeners.append(
                    TableProgram.Listener(
                        port: UInt32(port), hostMap: map, overlay: nil,
                        outboundPolicy: view.outboundPolicy == .allowAny ? .allowAny : .registryOnly,
                        domainSuffix: intern(view.domainSuffix)))
            }
            let kind: TableProgram.ScopeKind
            if case .gateway = scope { kind = .gateway } else { kind = .sidecar }
            let ns = tables.listener(scope, port: ports.first ?? -1)?.namespace ?? scope.namespace
            clientNamespaces.insert(ns)
            if case .sidecar(let id) = scope {
                clientLabels.append(mesh.workload(id)?.labels)
            } else {
                clientLabels.append(nil)
            }
            let policy: TableProgram.OutboundPolicy =
                tables.outboundPolicy(of: scope) == .allowAny ? .allowAny : .registryOnly
            program.scopes.append(
                TableProgram.Scope(
                    kind: kind, name: intern(scope.id), namespace: intern(ns), listeners: listeners,
                    outboundPolicy: policy))
        }
        emitClusters()
        program.metadata = [
            HeaderPair("compiler", "fjord \(options.compilerVersion)"),
            HeaderPair("scopes", String(program.scopes.count)),
            HeaderPair("resources", String(mesh.resources.count)),
        ]
        return program
    }

    public var statistics: Statistics {
        var s = Statistics()
        s.scopes = program.scopes.count
        s.listeners = program.scopes.reduce(0) { $0 + $1.listeners.count }
        s.hostMaps = program.hostMaps.count
        s.virtualHosts = program.virtualHosts.count
        s.routeTables = program.routeTables.count
        s.nodes = program.nodes.count
        s.classifiers = program.classifiers.count
        s.actions = program.actions.count
        s.clusters = program.clusters.count
        return s
    }

    // MARK: Host maps and virtual hosts

    mutating func hostMap(_ view: ListenerView) -> UInt32 {
        var exact: [TableProgram.HostEntry] = []
        for (host, vh) in view.hosts.sorted(by: { $0.key < $1.key }) {
            exact.append(TableProgram.HostEntry(host: intern(host), virtualHost: virtualHost(vh)))
        }
        let wild = view.wildcardHosts.map {
            TableProgram.HostEntry(host: intern($0.host), virtualHost: virtualHost($0))
        }
        let map = TableProgram.HostMap(exact: exact, wildcards: wild)
        if let i = hostMapIndex[map] { return i }
        let i = UInt32(program.hostMaps.count)
        program.hostMaps.append(map)
        hostMapIndex[map] = i
        return i
    }

    mutating func virtualHost(_ vh: VirtualHostView) -> UInt32 {
        let record: TableProgram.VirtualHost
        if vh.hasVirtualService {
            record = TableProgram.VirtualHost(
                host: intern(vh.host), kind: .rules, routeTable: routeTable(vh), httpsRedirect: vh.httpsRedirect)
        } else {
            record = TableProgram.VirtualHost(
                host: intern(vh.host), kind: .defaultRoute, routeTable: .max, httpsRedirect: vh.httpsRedirect)
        }
        if let i = virtualHostIndex[record] { return i }
        let i = UInt32(program.virtualHosts.count)
        program.virtualHosts.append(record)
        virtualHostIndex[record] = i
        return i
    }

    // MARK: Route tables

    mutating func routeTable(_ vh: VirtualHostView) -> UInt32 {
        let key = RouteTableKey(host: vh.host, port: vh.port, rules: vh.rules)
        if let i = routeTableIndex[key] { return i }
        let builder = ActionBuilder(mesh: mesh)
        var slots: [TableProgram.Slot] = []
        for r in vh.rules {
            let action = builder.action(for: r, vhost: vh, listenerPort: vh.port)
            slots.append(TableProgram.Slot(action: self.action(action), rule: rule(r.ref)))
        }
        var attributes: [TableProgram.Attribute] = []
        var segments: [TableProgram.NodeRef] = []
        do {
            let compiled = try RouteCompiler.compile(
                RouteCompiler.ruleBlocks(vh.rules), order: options.order, maxDFAStates: options.maxDFAStates)
            for a in compiled.splitAttributes {
                notes.append(
                    Note(
                        severity: "info",
                        message:
                            "the \(a) conditions of `\(vh.host)` are split over several automata; lookup tests each",
                        virtualService: vh.virtualServices.first?.qualifiedName))
            }
            for level in compiled.levels {
                let (kind, name) = level.attribute.tableKind ?? (.path, nil)
                let classifier = level.classifier.tableClassifier(intern: { self.intern($0) })
                attributes.append(
                    TableProgram.Attribute(
                        kind: kind, name: name.map { intern($0) } ?? 0, classifier: self.classifier(classifier)))
            }
            var emitted: [Int: TableProgram.NodeRef] = [:]
            for s in compiled.segments { segments.append(emit(s, compiled.diagram, &emitted)) }
        } catch {
            // Cannot happen for Istio-valid configurations within the budgets; keep the image
            // correct by routing nothing and say so.
            notes.append(
                Note(
                    severity: "error", message: "cannot compile the routes of `\(vh.host)`: \(error)",
                    virtualService: vh.virtualServices.first?.qualifiedName))
            attributes = []
            segments = []
        }
        let table = TableProgram.RouteTable(attributes: attributes, segments: segments, slots: slots)
        let i = UInt32(program.routeTables.count)
        program.routeTables.append(table)
        routeTableIndex[key] = i
        return i
    }

    /// Emits the nodes under `r` in post-order (children before parents, so every child index is
    /// lower than its parent's) and returns the table reference.
    mutating func emit(_ r: Diagram.Ref, _ d: Diagram, _ emitted: inout [Int: TableProgram.NodeRef])
        -> TableProgram.NodeRef
    {
        if r.isTerminal {
            return r.terminalValue == Diagram.noneValue ? .noMatch : .leaf(slot: UInt32(r.terminalValue))
        }
        if let hit = emitted[r.raw] { return hit }
        let n = d.node(r)
        var children: [TableProgram.NodeRef] = []
        children.reserveCapacity(n.children.count)
        var memo: [Diagram.Ref: TableProgram.NodeRef] = [:]
        for c in n.children {
            if let m = memo[c] {
                children.append(m)
                continue
            }
            let e = emit(c, d, &emitted)
            memo[c] = e
            children.append(e)
        }
        // Dense when small or varied; else sparse around the most common child.
        var counts: [TableProgram.NodeRef: Int] = [:]
        for c in children { counts[c, default: 0] += 1 }
        let (common, commonCount) = counts.max { $0.value != $1.value ? $0.value < $1.value : $0.key.raw > $1.key.raw }!
        let node: TableProgram.Node
        if children.count <= 8 || children.count - commonCount > children.count / 3 {
            node = TableProgram.Node(attribute: UInt16(n.level), dense: children)
        } else {
            let sparse = children.enumerated().filter { $0.element != common }.map {
                TableProgram.SparseChild(classID: UInt32($0.offset), child: $0.element)
            }
            node = TableProgram.Node(attribute: UInt16(n.level), fallback: common, sparse: sparse)
        }
        let out: TableProgram.NodeRef
        if let i = nodeIndex[node] {
            out = .node(i)
        } else {
            let i = UInt32(program.nodes.count)
            program.nodes.append(node)
            nodeIndex[node] = i
            out = .node(i)
        }
        emitted[r.raw] = out
        return out
    }

    mutating func classifier(_ c: TableProgram.Classifier) -> UInt32 {
        if let i = classifierIndex[c] { return i }
        let i = UInt32(program.classifiers.count)
        program.classifiers.append(c)
        classifierIndex[c] = i
        return i
    }

    mutating func action(_ a: ActionRecord) -> UInt32 {
        if let i = actionIndex[a] { return i }
        let i = UInt32(program.actions.count)
        program.actions.append(a)
        actionIndex[a] = i
        return i
    }

    mutating func rule(_ r: RuleRef) -> UInt32 {
        if let i = ruleIndex[r] { return i }
        let i = UInt32(program.rules.count)
        program.rules.append(r)
        ruleIndex[r] = i
        return i
    }

    // MARK: Clusters

    mutating func emitClusters() {
        func ms(_ d: Located<Duration>?) -> UInt32? {
            d.map { UInt32(clamping: ActionBuilder.ms($0.value)) }
        }
        func u(_ v: Located<Int>?) -> UInt32? { v.map { UInt32(clamping: $0.value) } }
        func fill(
            _ c: inout TableProgram.ClusterPolicy, lb: LoadBalancerSettings?, pool: ConnectionPoolSettings?,
            outlier: OutlierDetection?, tls: ClientTLSSettings?
        ) {
            if let lb {
                switch lb.simple?.value {
                case .leastRequest?, .leastConn?: c.loadBalancer = .leastRequest
                case .random?: c.loadBalancer = .random
                case .passthrough?: c.loadBalancer = .passthrough
                default: c.loadBalancer = .roundRobin
                }
                if let ch = lb.consistentHash {
                    switch ch.key {
                    case .header(let h)?: c.loadBalancer = .hashHeader; c.hashKey = intern(h.lowercased())
                    case .cookie(let name, _, _)?: c.loadBalancer = .hashCookie; c.hashKey = intern(name)
                    case .sourceIP?: c.loadBalancer = .hashSourceIP
                    case .queryParameter(let q)?: c.loadBalancer = .hashQuery; c.hashKey = intern(q)
                    case nil: break
                    }
                }
                if let l = lb.localityLbSetting {
                    c.failover = l.failover.map {
                        TableProgram.RegionPair(from: intern($0.from.value), to: intern($0.to.value))
                    }
                    c.failoverPriority = l.failoverPriority.map { intern($0.value) }
                }
            }
            if let pool {
                c.maxConnections = u(pool.tcp?.maxConnections) ?? c.maxConnections
                c.connectTimeoutMs = ms(pool.tcp?.connectTimeout) ?? c.connectTimeoutMs
                c.maxPendingRequests = u(pool.http?.http1MaxPendingRequests) ?? c.maxPendingRequests
                c.maxRequestsPerConnection = u(pool.http?.maxRequestsPerConnection) ?? c.maxRequestsPerConnection
                c.idleTimeoutMs = ms(pool.http?.idleTimeout) ?? ms(pool.tcp?.idleTimeout) ?? c.idleTimeoutMs
            }
            if let o = outlier {
                c.consecutive5xxErrors = u(o.consecutive5xxErrors ?? o.consecutiveErrors) ?? c.consecutive5xxErrors
                c.consecutiveGatewayErrors = u(o.consecutiveGatewayErrors) ?? c.consecutiveGatewayErrors
                c.outlierIntervalMs = ms(o.interval) ?? c.outlierIntervalMs
                c.baseEjectionTimeMs = ms(o.baseEjectionTime) ?? c.baseEjectionTimeMs
                c.maxEjectionPercent = u(o.maxEjectionPercent) ?? c.maxEjectionPercent
            }
            if let mode = tls?.mode?.value {
                switch mode {
                case .disable: c.tls = .disable
                case .simple: c.tls = .simple
                case .mutual: c.tls = .mutual
                case .istioMutual: c.tls = .istioMutual
                }
            }
        }
        func emit(host: String, policy: TrafficPolicy?, subsets: [Subset]) {
            let host = intern(host)
            var base = TableProgram.ClusterPolicy(host: host)
            if let p = policy {
                fill(&base, lb: p.loadBalancer, pool: p.connectionPool, outlier: p.outlierDetection, tls: p.tls)
            }
            program.clusters.append(base)
            for pl in policy?.portLevelSettings ?? [] {
                guard let port = pl.port?.value, port > 0 else { continue }
                var c = base
                c.port = UInt32(port)
                fill(&c, lb: pl.loadBalancer, pool: pl.connectionPool, outlier: pl.outlierDetection, tls: pl.tls)
                program.clusters.append(c)
            }
            for s in subsets {
                var c = base
                c.subset = intern(s.name.value)
                c.subsetLabels = s.labels.sorted { $0.key < $1.key }.map {
                    TableProgram.RegionPair(from: intern($0.key), to: intern($0.value))
                }
                if let p = s.trafficPolicy {
                    fill(&c, lb: p.loadBalancer, pool: p.connectionPool, outlier: p.outlierDetection, tls: p.tls)
                }
                program.clusters.append(c)
            }
        }
        // A table for the proxies of one namespace (one workload's sidecar, one gateway): the
        // DestinationRule those clients use for each host (`DestinationRuleIndex`, the choice
        // FJ2102, mTLS and residency make). Several namespaces share the cluster section, which
        // is not per scope: then every rule contributes, as written.
        if clientNamespaces.count == 1, let client = clientNamespaces.first {
            let index = DestinationRuleIndex(mesh: mesh)
            let labels = clientLabels.count == 1 ? clientLabels[0] : nil
            for host in mesh.hosts.keys.sorted() where !host.hasPrefix("*") && !index.rules(for: host).isEmpty {
                guard
                    let choice = index.choice(
                        for: host, hostNamespace: mesh.hosts[host]?.first?.namespace, client: client,
                        clientLabels: labels)
                else { continue }
                emit(host: host, policy: choice.trafficPolicy?.policy, subsets: choice.subsets.map(\.subset))
            }
            return
        }
        for dr in mesh.resources.destinationRules where !dr.host.value.isEmpty {
            emit(host: mesh.fqdn(dr.host.value, in: dr.namespace), policy: dr.trafficPolicy, subsets: dr.subsets)
        }
    }
}
