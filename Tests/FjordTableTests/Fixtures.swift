import FjordTable
import Testing

/// Every suite of this target, run one test at a time: the allocation meter reads process-wide
/// heap statistics, which tests allocating on other threads would disturb.
@Suite(.serialized) struct FjordTableSuite {}

/// Builds programs by hand, interning strings as it goes.
struct ProgramBuilder {
    var p = TableProgram()
    var index: [String: UInt32] = [:]

    mutating func s(_ x: String) -> UInt32 { p.intern(x, index: &index) }

    mutating func classifier(_ c: TableProgram.Classifier) -> UInt32 {
        p.classifiers.append(c)
        return UInt32(p.classifiers.count - 1)
    }

    mutating func node(_ n: TableProgram.Node) -> TableProgram.NodeRef {
        p.nodes.append(n)
        return .node(UInt32(p.nodes.count - 1))
    }

    mutating func vhost(_ host: String, _ kind: TableProgram.VirtualHostKind, table: UInt32 = 0, redirect: Bool = false)
        -> UInt32
    {
        let h = s(host)
        p.virtualHosts.append(TableProgram.VirtualHost(host: h, kind: kind, routeTable: table, httpsRedirect: redirect))
        return UInt32(p.virtualHosts.count - 1)
    }

    mutating func entry(_ host: String, _ vh: UInt32) -> TableProgram.HostEntry {
        TableProgram.HostEntry(host: s(host), virtualHost: vh)
    }
}

/// A trie automaton over byte strings none of which is a prefix of another: class `i + 1` for
/// inputs starting with `prefixes[i]` (`exact`: equal to it), class 0 for anything else.
struct PrefixAutomaton {
    var prefixes: [[UInt8]]
    var exact = false

    /// States: 0 dead, 1 start, then trie states; accepting states follow their prefix.
    func trie() -> (edges: [[(UInt8, Int)]], accept: [Int: Int]) {
        var edges: [[(UInt8, Int)]] = [[], []]
        var accept: [Int: Int] = [:]
        for (i, p) in prefixes.enumerated() {
            var s = 1
            for b in p {
                if let t = edges[s].first(where: { $0.0 == b }) {
                    s = t.1
                } else {
                    edges.append([])
                    edges[s].append((b, edges.count - 1))
                    s = edges.count - 1
                }
            }
            accept[s] = i + 1
        }
        return (edges, accept)
    }

    var dense: TableProgram.DenseDFA {
        let (edges, accept) = trie()
        var alphabet: [UInt8: UInt8] = [:]
        for p in prefixes { for b in p where alphabet[b] == nil { alphabet[b] = UInt8(alphabet.count + 1) } }
        let classes = alphabet.count + 1
        var byteClasses = [UInt8](repeating: 0, count: 256)
        for (b, c) in alphabet { byteClasses[Int(b)] = c }
        var transitions = [UInt32](repeating: 0, count: edges.count * classes)
        var stateClass = [UInt32](repeating: 0, count: edges.count)
        for (s, out) in edges.enumerated() {
            for (b, t) in out { transitions[s * classes + Int(alphabet[b]!)] = UInt32(t) }
            if let c = accept[s] {
                stateClass[s] = UInt32(c)
                if !exact { for k in 0..<classes { transitions[s * classes + k] = UInt32(s) } }
            }
        }
        return TableProgram.DenseDFA(
            byteClasses: byteClasses, byteClassCount: UInt32(classes), start: 1, transitions: transitions,
            stateClass: stateClass)
    }

    var sparse: TableProgram.SparseDFA {
        let (edges, accept) = trie()
        var states: [TableProgram.SparseDFA.State] = []
        var list: [TableProgram.SparseDFA.Edge] = []
        for (s, out) in edges.enumerated() {
            let first = UInt32(list.count)
            if accept[s] != nil, !exact {
                list.append(.init(lo: 0, hi: 255, target: UInt32(s)))
            } else {
                for (b, t) in out.sorted(by: { $0.0 < $1.0 }) { list.append(.init(lo: b, hi: b, target: UInt32(t))) }
            }
            states.append(
                .init(firstEdge: first, edgeCount: UInt32(list.count) - first, classID: UInt32(accept[s] ?? 0)))
        }
        return TableProgram.SparseDFA(start: 1, states: states, edges: list)
    }
}

func action(_ host: String, _ n: Int) -> ActionRecord {
    ActionRecord(kind: .route, destinations: [DestinationRecord(host: host, subset: "v\(n)", port: 9080, weight: 100)])
}

func rule(_ n: Int) -> RuleRef { RuleRef(virtualService: "shop/reviews", index: n, name: "r\(n)") }

/// The mesh the lookup tests route through.
///
/// Scope 0: sidecar `shop/frontend` (namespace `shop`, registry-only outside its listeners).
///   port 80: base host map 0, overlay 1 (allow any); port 9080: base map 0, no overlay
///   (registry only).
/// Scope 1: gateway `istio-system/ingress`, port 80 and 443 with host map 2.
///
/// Route table 0 (reviews): attributes path (dense), header `x-user` (exact, `alice` and
/// case-insensitive `BOB`), query `debug` (exact), method (exact), path with query (sparse);
/// segments: [x-user alice -> slot 0], [path /api/ -> method GET -> slot 1 else slot 3;
/// /static/ -> slot 2], [query debug=1 -> slot 4, absent -> none], [slot 5 for `/search?q=`
/// (sparse), else none]. Route table 1 (gateway shop): slot 0 for everything.
func meshProgram() -> TableProgram {
    var b = ProgramBuilder()
    let reviews = b.vhost("reviews.shop.svc.cluster.local", .rules, table: 0)
    let ratings = b.vhost("ratings.shop.svc.cluster.local", .defaultRoute)
    let details = b.vhost("details.other.svc.cluster.local", .noRoute)
    let example = b.vhost("*.example.com", .defaultRoute)
    let api = b.vhost("*.api.example.com", .defaultRoute)
    let ratingsOverlay = b.vhost("ratings.shop.svc.cluster.local", .rules, table: 1)
    let shop = b.vhost("shop.example.com", .rules, table: 1, redirect: true)
    let gatewayWild = b.vhost("*.example.com", .defaultRoute)
    let secret = b.vhost("secret.shop.svc.cluster.local", .defaultRoute)

    let hiddenVH = TableProgram.hiddenVirtualHost
    b.p.hostMaps = [
        TableProgram.HostMap(
            exact: [
                b.entry("reviews.shop.svc.cluster.local", reviews), b.entry("ratings.shop.svc.cluster.local", ratings),
                b.entry("details.other.svc.cluster.local", details), b.entry("secret.shop.svc.cluster.local", secret),
            ],
            wildcards: [b.entry("*.example.com", example), b.entry("*.api.example.com", api)]),
        TableProgram.HostMap(
            exact: [
                b.entry("secret.shop.svc.cluster.local", hiddenVH),
                b.entry("ratings.shop.svc.cluster.local", ratingsOverlay),
            ],
            wildcards: [b.entry("*.api.example.com", hiddenVH)]),
        TableProgram.HostMap(
            exact: [b.entry("shop.example.com", shop)], wildcards: [b.entry("*.example.com", gatewayWild)]),
    ]
    let suffix = b.s("cluster.local")
    b.p.scopes = [
        TableProgram.Scope(
            kind: .sidecar, name: b.s("shop/frontend"), namespace: b.s("shop"),
            listeners: [
                TableProgram.Listener(
                    port: 80, hostMap: 0, overlay: 1, outboundPolicy: .allowAny, domainSuffix: suffix),
                TableProgram.Listener(
                    port: 9080, hostMap: 0, overlay: nil, outboundPolicy: .registryOnly, domainSuffix: suffix),
            ], outboundPolicy: .registryOnly),
        TableProgram.Scope(
            kind: .gateway, name: b.s("istio-system/ingress"), namespace: b.s("istio-system"),
            listeners: [
                TableProgram.Listener(
                    port: 80, hostMap: 2, overlay: nil, outboundPolicy: .registryOnly, domainSuffix: suffix),
                TableProgram.Listener(
                    port: 443, hostMap: 2, overlay: nil, outboundPolicy: .registryOnly, domainSuffix: suffix),
            ]),
    ]

    let pathC = b.classifier(
        .init(
            kind: .dense(PrefixAutomaton(prefixes: [Array("/api/".utf8), Array("/static/".utf8)]).dense),
            classCount: 3, absentClass: 0))
    let userC = b.classifier(
        .init(
            kind: .exact(
                entries: [
                    .init(value: b.s("alice"), classID: 1), .init(value: b.s("BOB"), classID: 2, caseInsensitive: true),
                ],
                otherClass: 0), classCount: 4, absentClass: 3))
    let debugC = b.classifier(
        .init(
            kind: .exact(
                entries: [.init(value: b.s("1"), classID: 1), .init(value: b.s("é"), classID: 3)], otherClass: 0),
            classCount: 4, absentClass: 2))
    let methodC = b.classifier(
        .init(
            kind: .exact(entries: [.init(value: b.s("GET"), classID: 1)], otherClass: 0), classCount: 2, absentClass: 0)
    )
    let searchC = b.classifier(
        .init(
            kind: .sparse(PrefixAutomaton(prefixes: [Array("/search?q=".utf8)]).sparse), classCount: 2, absentClass: 0))
    let anyC = b.classifier(.init(kind: .exact(entries: [], otherClass: 0), classCount: 1, absentClass: 0))

    let userNode = b.node(
        .init(
            attribute: 1, fallback: .noMatch,
            sparse: [.init(classID: 1, child: .leaf(slot: 0)), .init(classID: 2, child: .leaf(slot: 0))]))
    let methodNode = b.node(.init(attribute: 3, dense: [.leaf(slot: 3), .leaf(slot: 1)]))
    let pathNode = b.node(.init(attribute: 0, dense: [.noMatch, methodNode, .leaf(slot: 2)]))
    let debugNode = b.node(
        .init(
            attribute: 2, fallback: .noMatch,
            sparse: [.init(classID: 1, child: .leaf(slot: 4)), .init(classID: 3, child: .leaf(slot: 6))]))
    let searchNode = b.node(.init(attribute: 4, fallback: .noMatch, sparse: [.init(classID: 1, child: .leaf(slot: 5))]))
    _ = anyC
    b.p.routeTables = [
        TableProgram.RouteTable(
            attributes: [
                .init(kind: .path, classifier: pathC), .init(kind: .header, name: b.s("x-user"), classifier: userC),
                .init(kind: .query, name: b.s("debug"), classifier: debugC), .init(kind: .method, classifier: methodC),
                .init(kind: .pathWithQuery, classifier: searchC),
            ],
            segments: [userNode, pathNode, debugNode, searchNode],
            slots: (0..<7).map { TableProgram.Slot(action: UInt32($0), rule: UInt32($0)) }),
        TableProgram.RouteTable(
            attributes: [], segments: [.leaf(slot: 0)], slots: [TableProgram.Slot(action: 7, rule: .max)]),
    ]
    b.p.actions =
        (0..<7).map { action("reviews.shop.svc.cluster.local", $0) } + [action("shop.shop.svc.cluster.local", 7)]
    b.p.rules = (0..<7).map(rule)
    b.p.metadata = [HeaderPair("compiler", "fjord test")]
    return b.p
}

/// A program using every field: every classifier kind, every action field, every cluster
/// field, metadata, odd strings.
func everyFieldProgram() -> TableProgram {
    var p = meshProgram()
    var index: [String: UInt32] = [:]
    for (i, s) in p.strings.enumerated() { index[s] = UInt32(i) }
    func s(_ x: String) -> UInt32 { p.intern(x, index: &index) }
    p.scopes[0].listeners[1].outboundPolicy = .registryOnly
    p.virtualHosts.append(
        TableProgram.VirtualHost(host: s("zone.\u{1F600}.example"), kind: .noRoute, routeTable: 7, httpsRedirect: true))
    var full = ActionRecord(
        kind: .redirect,
        destinations: [
            DestinationRecord(
                host: "a", subset: nil, port: nil, weight: 30,
                requestHeaders: HeaderOpsRecord(set: [HeaderPair("x-dest", "a")], remove: ["x-g"]),
                responseHeaders: HeaderOpsRecord(add: [HeaderPair("x-h", "a")])),
            DestinationRecord(
                host: "b", subset: "v2", port: -1, weight: 70, responseHeaders: HeaderOpsRecord(remove: ["x-i"])),
        ],
        redirect: RedirectRecord(
            uri: "/new", authority: "new.example.com", scheme: "https", port: 8443, derivePort: "FROM_REQUEST_PORT",
            code: 308),
        directStatus: 503, directBody: "{\"down\": true}\n\t\u{0}",
        rewrite: RewriteRecord(
            uri: "/v2", authority: "backend", regexMatch: "^/old/(.*)$", regexSubstitution: "/new/\\1"),
        requestHeaders: HeaderOpsRecord(
            set: [HeaderPair("x-a", "1")], add: [HeaderPair("x-b", "2"), HeaderPair("x-b", "3")], remove: ["x-c"]),
        responseHeaders: HeaderOpsRecord(set: [], add: [HeaderPair("x-d", "")], remove: ["x-e", "x-f"]),
        timeoutMs: 1500, retries: RetryRecord(attempts: 3, perTryTimeoutMs: 200, retryOn: "5xx", backoffMs: 25),
        fault: FaultRecord(
            delayMs: 5000, delayPercentage: 12.5, abortStatus: 418, abortGrpcStatus: "UNAVAILABLE",
            abortPercentage: 0.001),
        mirrors: [
            MirrorRecord(
                destination: DestinationRecord(host: "mirror", subset: nil, port: 80, weight: 100), percentage: 33.3)
        ])
    p.actions.append(full)
    full.fault = FaultRecord(
        delayMs: nil, delayPercentage: 0, abortStatus: nil, abortGrpcStatus: nil, abortPercentage: 100)
    full.redirect = RedirectRecord(uri: nil, authority: nil, scheme: nil, port: nil, derivePort: nil, code: 301)
    full.retries = .none
    full.kind = .directResponse
    p.actions.append(full)
    p.rules.append(RuleRef(virtualService: "shop/root", index: 4, name: nil, delegate: "shop/leaf", delegateIndex: 2))
    p.rules.append(RuleRef(virtualService: "shop/root", index: -7, name: "", delegate: nil, delegateIndex: nil))
    var c = TableProgram.ClusterPolicy(host: s("reviews.shop.svc.cluster.local"), subset: s("v1"), port: 9080)
    c.subsetLabels = [.init(from: s("version"), to: s("v1")), .init(from: s("track"), to: s("stable"))]
    c.loadBalancer = .hashCookie
    c.hashKey = s("session")
    c.maxConnections = 100
    c.maxPendingRequests = 10
    c.maxRequestsPerConnection = 1
    c.connectTimeoutMs = 250
    c.idleTimeoutMs = 60000
    c.consecutive5xxErrors = 5
    c.consecutiveGatewayErrors = 0
    c.outlierIntervalMs = 10000
    c.baseEjectionTimeMs = 30000
    c.maxEjectionPercent = 50
    c.failover = [.init(from: s("norwayeast"), to: s("swedencentral"))]
    c.failoverPriority = [s("topology.kubernetes.io/region"), s("topology.kubernetes.io/zone")]
    c.tls = .istioMutual
    p.clusters = [c, TableProgram.ClusterPolicy(host: s("ratings.shop.svc.cluster.local"))]
    p.metadata.append(HeaderPair("input-digest", "sha256:00"))
    // A dense DFA with identity byte classes and a sparse one with ranges.
    var identity = PrefixAutomaton(prefixes: [Array("GET".utf8), Array("POST".utf8)], exact: true).dense
    identity.byteClasses = (0..<256).map { UInt8($0 % 7) }
    identity.byteClassCount = 7
    identity.transitions = [UInt32](repeating: 0, count: identity.stateClass.count * 7)
    p.classifiers.append(.init(kind: .dense(identity), classCount: 3, absentClass: 2))
    p.classifiers.append(
        .init(
            kind: .sparse(
                .init(
                    start: 1,
                    states: [
                        .init(firstEdge: 0, edgeCount: 0, classID: 0), .init(firstEdge: 0, edgeCount: 2, classID: 1),
                    ],
                    edges: [.init(lo: 0x30, hi: 0x39, target: 1), .init(lo: 0x61, hi: 0x7A, target: 1)])),
            classCount: 2, absentClass: 0))
    return p
}

/// A table with `n` rules in one virtual host: one path classifier with `n` prefix classes
/// (`/svc-00000/` ...), one node, slot `i` for prefix `i`.
func manyRulesProgram(_ n: Int, sparse: Bool) -> TableProgram {
    var b = ProgramBuilder()
    let vh = b.vhost("big.shop.svc.cluster.local", .rules, table: 0)
    b.p.hostMaps = [TableProgram.HostMap(exact: [b.entry("big.shop.svc.cluster.local", vh)])]
    b.p.scopes = [
        TableProgram.Scope(
            kind: .sidecar, name: b.s("shop/frontend"), namespace: b.s("shop"),
            listeners: [
                TableProgram.Listener(
                    port: 80, hostMap: 0, overlay: nil, outboundPolicy: .allowAny, domainSuffix: b.s("cluster.local"))
            ])
    ]
    let prefixes = (0..<n).map { Array("/svc-\(String(repeating: "0", count: 5 - String($0).count))\($0)/".utf8) }
    let automaton = PrefixAutomaton(prefixes: prefixes)
    let c = b.classifier(
        .init(
            kind: sparse ? .sparse(automaton.sparse) : .dense(automaton.dense), classCount: UInt32(n + 1),
            absentClass: 0))
    let root = b.node(.init(attribute: 0, dense: [.noMatch] + (0..<n).map { .leaf(slot: UInt32($0)) }))
    b.p.routeTables = [
        TableProgram.RouteTable(
            attributes: [.init(kind: .path, classifier: c)], segments: [root],
            slots: (0..<n).map { TableProgram.Slot(action: UInt32($0), rule: UInt32($0)) })
    ]
    b.p.actions = (0..<n).map { action("svc-\($0)", $0) }
    b.p.rules = (0..<n).map(rule)
    return b.p
}

func request(
    _ authority: String, _ path: String = "/", method: String = "GET", scheme: String = "http",
    headers: [(String, String)] = []
) -> SimpleTableRequest {
    SimpleTableRequest(
        method: method, scheme: scheme, authority: authority, path: path,
        headers: headers.map { HeaderPair($0.0, $0.1) })
}
