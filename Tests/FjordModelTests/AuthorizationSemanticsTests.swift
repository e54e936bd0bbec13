import FjordModel
import Testing
import _FjordTestSupport

/// The rows of `docs/authorization.md`, one test each, over meshes decoded by the real front end.
@Suite struct AuthorizationSemanticsTests {
    static let workloadYAML = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: api, namespace: shop}
        spec:
          selector: {matchLabels: {app: api}}
          template:
            metadata: {labels: {app: api}}
            spec:
              serviceAccountName: api
              containers: [{name: api, image: api}]
        """

    /// The decision at `shop/api` with `policies` (YAML documents) in the inputs.
    func decide(_ policies: String, peer: AuthorizationPeer, _ request: AuthorizationRequest) throws
        -> AuthorizationDecision
    {
        let (mesh, _) = try MeshLoading.mesh(fromYAML: Self.workloadYAML + "\n---\n" + policies)
        let w = try #require(mesh.workloads.first { $0.id == "shop/api" })
        return Semantics(mesh: mesh).authorize(workload: w, peer: peer, request: request)
    }

    func policy(_ spec: String, name: String = "p", namespace: String = "shop") -> String {
        """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: \(name), namespace: \(namespace)}
        spec:
        \(spec.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n"))

        """
    }

    let frontend = AuthorizationPeer.workload(namespace: "shop", serviceAccount: "frontend", ip: "10.0.0.5")
    let plaintext = AuthorizationPeer(sourceIP: "10.0.0.5")
    func get(_ path: String, host: String = "api.shop", port: Int = 8080, method: String = "GET")
        -> AuthorizationRequest
    {
        AuthorizationRequest(host: host, port: port, method: method, path: path)
    }

    @Test func noPolicyAllowsAndSpecEmptyDeniesAll() throws {
        let none = try decide("", peer: frontend, get("/"))
        #expect(none.outcome == .allow && none.reason == .noAllowPolicy)
        let empty = try decide(policy("{}"), peer: frontend, get("/"))
        #expect(empty.outcome == .deny && empty.reason == .noAllowMatch)
        let all = try decide(policy("rules: [{}]"), peer: plaintext, get("/"))
        #expect(all.outcome == .allow && all.reason == .allowRule && all.decidingRule?.rule == 0)
    }

    @Test func allowByPrincipalNeedsMTLS() throws {
        let p = policy(
            """
            action: ALLOW
            rules:
            - from: [{source: {principals: ["cluster.local/ns/shop/sa/frontend"]}}]
            """)
        #expect(try decide(p, peer: frontend, get("/")).outcome == .allow)
        let spiffe = AuthorizationPeer(principal: "spiffe://cluster.local/ns/shop/sa/frontend")
        #expect(try decide(p, peer: spiffe, get("/")).outcome == .allow)
        let other = AuthorizationPeer.workload(namespace: "shop", serviceAccount: "batch")
        #expect(try decide(p, peer: other, get("/")).outcome == .deny)
        // The same caller in plaintext has no identity: the rule cannot match.
        #expect(try decide(p, peer: plaintext, get("/")).outcome == .deny)
        let star = policy("rules: [{from: [{source: {principals: [\"*\"]}}]}]")
        #expect(try decide(star, peer: other, get("/")).outcome == .allow)
        #expect(try decide(star, peer: plaintext, get("/")).outcome == .deny)
        let ns = policy("rules: [{from: [{source: {namespaces: [\"shop\"]}}]}]")
        #expect(try decide(ns, peer: other, get("/")).outcome == .allow)
        #expect(try decide(ns, peer: plaintext, get("/")).outcome == .deny)
    }

    @Test func denyWinsOverAllowAndOrderIsCustomDenyAllow() throws {
        let p =
            policy("rules: [{}]", name: "allow-all")
            + "---\n"
            + policy(
                """
                action: DENY
                rules: [{to: [{operation: {paths: ["/admin*"]}}]}]
                """, name: "no-admin")
            + "---\n"
            + policy(
                """
                action: AUDIT
                rules: [{to: [{operation: {methods: ["POST"]}}]}]
                """, name: "audit-post")
            + "---\n"
            + policy(
                """
                action: CUSTOM
                provider: {name: opa}
                rules: [{to: [{operation: {paths: ["/admin/*"]}}]}]
                """, name: "ext")
        let d = try decide(p, peer: frontend, get("/admin/users", method: "POST"))
        #expect(d.outcome == .deny && d.reason == .denyRule)
        #expect(d.decidingRule?.policy.name == "no-admin")
        #expect(d.audited.map(\.policy.name) == ["audit-post"])
        #expect(d.customUnevaluated.map(\.policy.name) == ["ext"])
        let ok = try decide(p, peer: frontend, get("/shop"))
        #expect(ok.outcome == .allow && ok.decidingRule?.policy.name == "allow-all" && ok.audited.isEmpty)
    }

    @Test func stringMatchingIsExactPrefixSuffixPresence() {
        #expect(Semantics.istioStringMatches("/a", "/a"))
        #expect(!Semantics.istioStringMatches("/a", "/ab"))
        #expect(Semantics.istioStringMatches("/a*", "/ab"))
        #expect(Semantics.istioStringMatches("*.png", "/x.png"))
        #expect(!Semantics.istioStringMatches("*.png", "/x.jpg"))
        #expect(Semantics.istioStringMatches("*", "x"))
        #expect(!Semantics.istioStringMatches("*", ""))
    }

    @Test func operationFieldsAndTheirNegations() throws {
        let p = policy(
            """
            rules:
            - to:
              - operation:
                  hosts: ["API.shop*"]
                  ports: ["8080"]
                  methods: ["GET", "HEAD"]
                  notPaths: ["/private*"]
            """)
        #expect(try decide(p, peer: plaintext, get("/x", host: "api.SHOP:8080")).outcome == .allow)
        #expect(try decide(p, peer: plaintext, get("/x", port: 9090)).outcome == .deny)
        #expect(try decide(p, peer: plaintext, get("/x", method: "POST")).outcome == .deny)
        #expect(try decide(p, peer: plaintext, get("/private/x")).outcome == .deny)
        #expect(try decide(p, peer: plaintext, get("/x", host: "web.shop")).outcome == .deny)
        // A negative identity field has nothing to exclude on a plaintext peer.
        let notP = policy("rules: [{from: [{source: {notPrincipals: [\"cluster.local/ns/shop/sa/frontend\"]}}]}]")
        #expect(try decide(notP, peer: plaintext, get("/")).outcome == .allow)
        #expect(try decide(notP, peer: frontend, get("/")).outcome == .deny)
    }

    @Test func pathsAreNormalisedAsIstiosDefault() throws {
        #expect(Semantics.normalizedPath("/public/../admin") == "/admin")
        #expect(Semantics.normalizedPath("/a/./b/") == "/a/b/")
        #expect(Semantics.normalizedPath("/%61dmin?x=1") == "/admin")
        #expect(Semantics.normalizedPath("/a%2Fb") == "/a%2Fb")
        #expect(Semantics.normalizedPath("/a//b") == "/a//b")
        #expect(Semantics.normalizedPath("/%2e%2e/x") == "/x")
        #expect(Semantics.normalizedPath("/..") == "/")
        let deny = policy(
            """
            action: DENY
            rules: [{to: [{operation: {paths: ["/admin"]}}]}]
            """)
        for path in ["/admin", "/public/../admin", "/%61dmin", "/admin?debug=1", "/./admin"] {
            #expect(try decide(deny, peer: frontend, get(path)).outcome == .deny, "\(path)")
        }
        #expect(try decide(deny, peer: frontend, get("/admin/")).outcome == .allow)
    }

    @Test func whenConditionsAndAddresses() throws {
        let p = policy(
            """
            rules:
            - when:
              - {key: "request.headers[x-tenant]", values: ["acme*"], notValues: ["acme-test"]}
              - {key: source.ip, values: ["10.0.0.0/8"]}
              - {key: destination.port, values: ["8080"]}
            """)
        func req(_ tenant: String?) -> AuthorizationRequest {
            var r = get("/")
            if let tenant { r.headers = [.init("X-Tenant", tenant)] }
            return r
        }
        #expect(try decide(p, peer: plaintext, req("acme-prod")).outcome == .allow)
        #expect(try decide(p, peer: plaintext, req("acme-test")).outcome == .deny)
        #expect(try decide(p, peer: plaintext, req(nil)).outcome == .deny)
        #expect(try decide(p, peer: AuthorizationPeer(sourceIP: "192.168.1.1"), req("acme")).outcome == .deny)
        let ns = policy("rules: [{when: [{key: source.namespace, values: [\"shop\"]}]}]")
        #expect(try decide(ns, peer: frontend, get("/")).outcome == .allow)
        #expect(try decide(ns, peer: plaintext, get("/")).outcome == .deny)
        #expect(Semantics.cidrContains("2001:db8::/32", "2001:db8:1::5"))
        #expect(!Semantics.cidrContains("2001:db8::/32", "2001:db9::5"))
        #expect(Semantics.cidrContains("10.1.2.3", "10.1.2.3"))
        #expect(!Semantics.cidrContains("10.0.0.0/8", "2001:db8::1"))
        #expect(!Semantics.cidrContains("10.0.0.0/33", "10.0.0.1"))
        #expect(!Semantics.cidrContains("nonsense", "10.0.0.1"))
        #expect(Semantics.cidrContains("::ffff:10.0.0.0/104", "::ffff:10.2.3.4"))
    }

    @Test func tcpConnectionsAndHTTPOnlyFields() throws {
        let tcp = AuthorizationRequest(kind: .tcp, port: 9000)
        // ALLOW: a rule with an HTTP-only field never matches a TCP connection.
        let allow = policy("rules: [{to: [{operation: {methods: [\"GET\"], ports: [\"9000\"]}}]}]")
        #expect(try decide(allow, peer: frontend, tcp).outcome == .deny)
        // DENY: the HTTP-only fields are dropped, so the rule denies all of port 9000.
        let deny = policy(
            """
            action: DENY
            rules: [{to: [{operation: {methods: ["GET"], ports: ["9000"]}}]}]
            """)
        #expect(try decide(deny, peer: frontend, tcp).outcome == .deny)
        #expect(try decide(deny, peer: frontend, AuthorizationRequest(kind: .tcp, port: 9001)).outcome == .allow)
    }

    @Test func whichPoliciesApply() throws {
        let p =
            policy("selector: {matchLabels: {app: web}}\nrules: [{}]", name: "other-workload")
            + "---\n" + policy("{}", name: "root-deny-all", namespace: "istio-system")
            + "---\n"
            + policy(
                "targetRefs: [{kind: Gateway, group: gateway.networking.k8s.io, name: gw}]\naction: DENY\nrules: [{}]",
                name: "gateway-only")
            + "---\n" + policy("rules: [{}]", name: "elsewhere", namespace: "web")
        let d = try decide(p, peer: frontend, get("/"))
        // Only the root namespace's `{}` applies: ALLOW with no rules denies all.
        #expect(d.outcome == .deny && d.reason == .noAllowMatch)
    }

    @Test func decodingKeepsEveryFieldWithItsRange() throws {
        let text = policy(
            """
            action: CUSTOM
            provider: {name: opa}
            targetRefs: [{kind: Service, group: "", name: api}]
            rules:
            - from:
              - source:
                  principals: [a]
                  notPrincipals: [b]
                  requestPrincipals: [c]
                  notRequestPrincipals: [d]
                  namespaces: [e]
                  notNamespaces: [f]
                  ipBlocks: [1.2.3.4]
                  notIpBlocks: [1.2.3.5]
                  remoteIpBlocks: [1.2.3.6]
                  notRemoteIpBlocks: [1.2.3.7]
              to:
              - operation: {hosts: [h], notHosts: [nh], ports: ["80"], notPorts: ["81"], methods: [GET], notMethods: [PUT], paths: [/p], notPaths: [/q]}
              when:
              - {key: connection.sni, values: [s], notValues: [t]}
            """)
        let (mesh, diags) = try MeshLoading.mesh(fromYAML: text)
        #expect(diags.filter { $0.severity == .error }.isEmpty, "\(diags.map(\.message))")
        let ap = try #require(mesh.resources.authorizationPolicies.first)
        #expect(ap.action?.value == .custom && ap.provider?.value == "opa")
        #expect(ap.targetRefs.map { $0.kind?.value } == ["Service"])
        let rule = try #require(ap.rules.first)
        let s = try #require(rule.from.first)
        #expect(
            [
                s.principals, s.notPrincipals, s.requestPrincipals, s.notRequestPrincipals, s.namespaces,
                s.notNamespaces, s.ipBlocks, s.notIpBlocks, s.remoteIpBlocks, s.notRemoteIpBlocks,
            ].map { $0.map(\.value) } == [
                ["a"], ["b"], ["c"], ["d"], ["e"], ["f"], ["1.2.3.4"], ["1.2.3.5"], ["1.2.3.6"], ["1.2.3.7"],
            ])
        let o = try #require(rule.to.first)
        #expect(
            [o.hosts, o.notHosts, o.ports, o.notPorts, o.methods, o.notMethods, o.paths, o.notPaths].map {
                $0.map(\.value)
            } == [["h"], ["nh"], ["80"], ["81"], ["GET"], ["PUT"], ["/p"], ["/q"]])
        let c = try #require(rule.when.first)
        #expect(c.key.value == "connection.sni" && c.values.map(\.value) == ["s"] && c.notValues.map(\.value) == ["t"])
        for r in [
            rule.range, s.range, o.range, c.range, c.key.range, s.ipBlocks.first?.range ?? .synthetic,
            ap.targetRefs.first?.range ?? .synthetic,
        ] {
            #expect(r != .synthetic)
        }
    }

    @Test func serviceAccountsAreModelled() throws {
        let (mesh, _) = try MeshLoading.mesh(
            fromYAML: Self.workloadYAML
                + "\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: api, namespace: shop}\n")
        #expect(mesh.resources.serviceAccounts.map(\.key.qualifiedName) == ["shop/api"])
        #expect(mesh.workloads.first { $0.id == "shop/api" }?.serviceAccount == "api")
    }
}
