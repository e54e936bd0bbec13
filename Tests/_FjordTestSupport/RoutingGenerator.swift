import FjordCompiler
import FjordModel

/// Seeded generator of small, adversarial meshes for differential testing of routing: every
/// match kind (exact, prefix, regex, presence, ignoreUriCase, withoutHeaders, query parameters,
/// scheme, method, authority), config-time selectors (port, sourceLabels, sourceNamespace,
/// gateways), gateways with several servers, delegates (some conflicting), exportTo and Sidecar
/// egress restrictions, several VirtualServices per host, and every action kind. Values are
/// drawn from small vocabularies so that rules overlap and shadow each other often.
public struct RoutingGenerator {
    public var rng: SplitMix64

    public init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    mutating func pick<T>(_ xs: [T]) -> T { xs[Int(rng.next(UInt64(xs.count)))] }
    mutating func chance(_ percent: Int) -> Bool { rng.next(100) < UInt64(percent) }

    public static let namespaces = ["ns0", "ns1", "ns2"]
    public static let services = [("svc0", "ns0"), ("svc1", "ns0"), ("svc2", "ns1"), ("svc3", "ns1"), ("svc4", "ns2")]
    public static let gatewayHosts = ["shop.example.com", "api.example.com", "www.example.org"]
    public static let exactPaths = ["/", "/api", "/api/v1", "/API/v1", "/healthz", "/items/42", "/a/c"]
    public static let prefixes = ["/", "/api", "/api/", "/a", "/items", "/API", "/api/v1/x"]
    public static let regexes = [
        "/items/[0-9]+", "/api/.*", ".*", "/(a|b)/c", "(?i)/api/v[0-9]", "/[a-z]{1,3}", "/items/4?2",
    ]
    public static let headerNames = ["x-user", "x-debug", "x-tenant"]
    public static let headerValues = ["alice", "bob", "", "true", "al", "ALICE", "42"]
    public static let headerPrefixes = ["ali", "", "b", "t"]
    public static let headerRegexes = ["a.*", "[0-9]+", "(bob|eve)", "(?i)alice"]
    public static let queryNames = ["q", "debug"]
    public static let methods = ["GET", "POST", "PUT", "HEAD"]

    /// The YAML of one mesh.
    public mutating func mesh() -> String {
        var y = ""
        for ns in Self.namespaces {
            y += doc(
                """
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: \(ns)
                  labels:
                    istio-injection: enabled
                """)
        }
        for (svc, ns) in Self.services {
            let ports = chance(40) ? [80, 8080] : [80]
            y += doc(
                """
                apiVersion: v1
                kind: Service
                metadata:
                  name: \(svc)
                  namespace: \(ns)
                spec:
                  selector:
                    app: \(svc)
                  ports:
                \(ports.map { "  - name: http-\($0)\n    port: \($0)" }.joined(separator: "\n"))
                """)
            for tier in ["front", "back"] where tier == "back" || chance(50) {
                y += doc(
                    """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: \(svc)-\(tier)
                      namespace: \(ns)
                    spec:
                      selector:
                        matchLabels:
                          app: \(svc)
                          tier: \(tier)
                      template:
                        metadata:
                          labels:
                            app: \(svc)
                            tier: \(tier)
                            version: v\(1 + rng.next(2))
                        spec:
                          containers:
                          - name: app
                            image: example/\(svc)
                    """)
            }
        }
        // A gateway with two servers on port 80, one redirecting to HTTPS on 8088.
        y += doc(
            """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata:
              name: gw0
              namespace: ns0
            spec:
              selector:
                istio: ingressgateway
              servers:
              - port: {number: 80, name: http, protocol: HTTP}
                hosts: ["*/*.example.com"]
              - port: {number: 80, name: http2, protocol: HTTP}
                hosts: ["ns1/www.example.org"]
              - port: {number: 8088, name: redirect, protocol: HTTP}
                hosts: ["*/shop.example.com"]
                tls: {httpsRedirect: \(chance(50))}
            """)
        if chance(40) {
            y += doc(
                """
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata:
                  name: default
                  namespace: ns2
                spec:
                  egress:
                  - hosts: ["./*", "ns0/*"]
                """)
        }
        if chance(30) {
            y += doc(
                """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: istio
                  namespace: istio-system
                data:
                  mesh: |
                    outboundTrafficPolicy:
                      mode: REGISTRY_ONLY
                """)
        }
        // Delegates (no hosts) in ns2.
        for d in 0..<2 {
            y += doc(
                """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: delegate\(d)
                  namespace: ns2
                spec:
                  http:
                \(rules(count: 1 + Int(rng.next(3)), allowDelegate: false, selectors: false))
                """)
        }
        let vsCount = 5 + Int(rng.next(6))
        for v in 0..<vsCount {
            let onGateway = v >= Self.services.count && chance(50) || chance(15)
            let ns = pick(Self.namespaces)
            var hosts: [String]
            var gateways: [String] = []
            if onGateway {
                hosts = [pick(Self.gatewayHosts)]
                if chance(30) { hosts.append("*.example.com") }
                gateways = ["ns0/gw0"]
                if chance(25) {
                    gateways.append("mesh"); hosts.append(pick(Self.services).0 + "." + pick(Self.namespaces))
                }
            } else {
                // The first VirtualServices bind each service once; later ones pick at random.
                let (svc, sns) = v < Self.services.count && chance(80) ? Self.services[v] : pick(Self.services)
                hosts = [sns == ns && chance(50) ? svc : "\(svc).\(sns).svc.cluster.local"]
                if chance(20) { hosts.append("*.ns1.svc.cluster.local") }
            }
            let export = chance(15) ? "\n  exportTo: [\".\"]" : ""
            let gw = gateways.isEmpty ? "" : "\n  gateways: [\(gateways.map { "\"\($0)\"" }.joined(separator: ", "))]"
            y += doc(
                """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: vs\(v)
                  namespace: \(ns)
                  creationTimestamp: "2026-01-0\(1 + rng.next(9))T00:00:00Z"
                spec:
                  hosts: [\(hosts.map { "\"\($0)\"" }.joined(separator: ", "))]\(gw)\(export)
                  http:
                \(rules(count: 1 + Int(rng.next(7)), allowDelegate: true, selectors: true))
                """)
        }
        return y
    }

    func doc(_ s: String) -> String { s + "\n---\n" }

    mutating func stringMatch(header: Bool) -> String {
        switch rng.next(header ? 5 : 4) {
        case 0: return "{exact: \"\(header ? pick(Self.headerValues) : pick(Self.methods))\"}"
        case 1: return "{prefix: \"\(header ? pick(Self.headerPrefixes) : "P")\"}"
        case 2: return "{regex: \"\(header ? pick(Self.headerRegexes) : "GET|HEAD")\"}"
        default: return "{}"
        }
    }

    mutating func matchBlock(selectors: Bool) -> String {
        var lines: [String] = []
        switch rng.next(5) {
        case 0: lines.append("uri: {exact: \"\(pick(Self.exactPaths))\"}")
        case 1: lines.append("uri: {prefix: \"\(pick(Self.prefixes))\"}")
        case 2: lines.append("uri: {regex: \"\(pick(Self.regexes))\"}")
        default: break
        }
        if !lines.isEmpty && chance(25) { lines.append("ignoreUriCase: true") }
        if chance(25) { lines.append("method: \(stringMatch(header: false))") }
        if chance(40) {
            var hs: [String] = []
            for n in Self.headerNames where chance(40) { hs.append("\(n): \(stringMatch(header: true))") }
            if !hs.isEmpty { lines.append("headers: {\(hs.joined(separator: ", "))}") }
        }
        if chance(20) {
            lines.append(
                "queryParams: {\(pick(Self.queryNames)): \(pick(["{exact: \"1\"}", "{exact: \"\"}", "{regex: \"[0-9]+\"}", "{}"]))}"
            )
        }
        if chance(15) { lines.append("withoutHeaders: {\(pick(Self.headerNames)): \(stringMatch(header: true))}") }
        if chance(10) { lines.append("scheme: {exact: \"\(pick(["http", "https"]))\"}") }
        if chance(10) { lines.append("authority: {prefix: \"\(pick(["svc", "shop", "api.", "www"]))\"}") }
        if selectors {
            if chance(10) { lines.append("port: \(pick([80, 8080, 8088]))") }
            if chance(10) { lines.append("sourceLabels: {tier: \(pick(["front", "back"]))}") }
            if chance(8) { lines.append("sourceNamespace: \(pick(Self.namespaces))") }
            if chance(10) { lines.append("gateways: [\(pick(["mesh", "ns0/gw0"]))]") }
        }
        if lines.isEmpty { lines.append("uri: {prefix: \"\(pick(Self.prefixes))\"}") }
        return "{"
            + lines.map { l in
                let colon = l.firstIndex(of: ":")!
                return String(l[..<colon]) + ":" + String(l[l.index(after: colon)...])
            }.joined(separator: ", ") + "}"
    }

    mutating func destination() -> String {
        let (svc, ns) = pick(Self.services)
        var d = "host: \(svc).\(ns).svc.cluster.local"
        if chance(30) { d += ", subset: v\(1 + rng.next(2))" }
        if chance(20) { d += ", port: {number: \(pick([80, 8080]))}" }
        return "{\(d)}"
    }

    mutating func rules(count: Int, allowDelegate: Bool, selectors: Bool) -> String {
        var out: [String] = []
        for r in 0..<count {
            var lines = ["- name: r\(r)"]
            if !chance(15) {
                let blocks = 1 + Int(rng.next(3))
                lines.append("  match:")
                for _ in 0..<blocks { lines.append("  - " + matchBlock(selectors: selectors)) }
            }
            let kind = rng.next(100)
            if allowDelegate && kind < 12 {
                lines.append("  delegate: {name: delegate\(rng.next(2)), namespace: ns2}")
            } else if kind < 20 {
                lines.append("  redirect: {uri: /moved, redirectCode: \(pick([301, 302, 308]))}")
            } else if kind < 27 {
                lines.append("  directResponse: {status: \(pick([200, 404, 503])), body: {string: \"r\(r)\"}}")
            } else {
                let n = 1 + Int(rng.next(3))
                lines.append("  route:")
                for i in 0..<n {
                    lines.append("  - destination: \(destination())")
                    if n > 1 { lines.append("    weight: \(i == 0 ? 100 - 10 * (n - 1) : 10)") }
                    if chance(10) {
                        lines.append(
                            "    headers: {request: {add: {x-dest: d\(i)}}, response: {set: {x-served-by: d\(i)}, remove: [etag]}}"
                        )
                    }
                }
                if chance(50) { lines.append("  timeout: \(1 + rng.next(5))s") }
                if chance(30) {
                    lines.append(
                        "  retries: {attempts: \(rng.next(4)), perTryTimeout: 500ms, retryOn: \"5xx,connect-failure\"}")
                }
                if chance(15) { lines.append("  fault: {abort: {httpStatus: 503, percentage: {value: 50}}}") }
                if chance(15) { lines.append("  mirror: \(destination())") }
                if chance(15) { lines.append("  rewrite: {uri: /v2}") }
                if chance(15) {
                    lines.append("  headers: {request: {set: {x-routed: r\(r)}}, response: {remove: [server]}}")
                }
            }
            out.append(lines.map { "  " + $0 }.joined(separator: "\n"))
        }
        return out.joined(separator: "\n")
    }

    /// A request likely to exercise the mesh's rules. `knownHosts` are hosts the proxy knows on
    /// the chosen port (FQDNs or wildcard patterns); most requests address one of them, in one of
    /// the forms clients write.
    public mutating func request(ports: [Int], knownHosts: (Int) -> [String] = { _ in [] }) -> MeshRequest {
        let port = chance(85) ? pick(ports.isEmpty ? [80] : ports) : pick([80, 8080, 8088, 9999])
        let known = knownHosts(port)
        let (svc, ns) = pick(Self.services)
        var authority: String
        if !known.isEmpty && chance(75) {
            let h = pick(known)
            if h.hasPrefix("*") {
                authority = pick(["a", "shop", "x-1"]) + h.dropFirst()
            } else {
                let labels = h.split(separator: ".").map(String.init)
                if h.hasSuffix(".svc.cluster.local"), labels.count >= 2 {
                    authority = pick([
                        h, "\(labels[0]).\(labels[1])", "\(labels[0]).\(labels[1]).svc", labels[0], "\(h):\(port)",
                        h.uppercased(),
                    ])
                } else {
                    authority = pick([h, "\(h):\(port)", h.uppercased()])
                }
            }
        } else {
            switch rng.next(9) {
            case 0: authority = svc
            case 1: authority = "\(svc).\(ns)"
            case 2: authority = "\(svc).\(ns).svc"
            case 3: authority = "\(svc).\(ns).svc.cluster.local"
            case 4: authority = pick(Self.gatewayHosts)
            case 5: authority = "x\(rng.next(3)).example.com"
            case 6: authority = "unknown.example.net"
            case 7: authority = "\(svc).\(ns).svc.cluster.local:\(pick([80, 8080, 9090]))"
            default: authority = pick(["SVC0.ns0", "Shop.Example.com", svc])
            }
        }
        var path = pick(
            Self.exactPaths + Self.prefixes + ["/items/7", "/items/123", "/b/c", "/apiv", "/API/V1", "/api/v12", "/x"])
        if chance(30) { path += pick(["/sub", "x", "/", "9"]) }
        if chance(30) { path += "?" + pick(["q=1", "q=12", "debug", "debug=", "q=%31", "x=1&q=7", "q"]) }
        var headers: [MeshRequest.HeaderField] = []
        for n in Self.headerNames where chance(35) { headers.append(.init(n, pick(Self.headerValues))) }
        if chance(5), let h = headers.first { headers.append(.init(h.name, "second")) }
        return MeshRequest(
            method: pick(Self.methods), scheme: pick(["http", "http", "https"]), authority: authority, path: path,
            headers: headers, port: port)
    }
}
