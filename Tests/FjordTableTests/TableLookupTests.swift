import FjordTable
import Testing

extension FjordTableSuite {
    @Suite struct TableLookupTests {
        let image: TableImage
        let sidecar: ScopeHandle
        let gateway: ScopeHandle

        init() throws {
            image = try TableImage(program: meshProgram())
            sidecar = try #require(image.scope(named: "shop/frontend", kind: .sidecar))
            gateway = try #require(image.scope(named: "istio-system/ingress", kind: .gateway))
        }

        func vhost(_ r: LookupResult) -> String? { image.decisionRecord(r).host }

        func at(_ port: Int, _ req: SimpleTableRequest, scope: ScopeHandle? = nil) -> LookupResult {
            image.lookup(scope: scope ?? sidecar, port: port, request: req)
        }

        func at(_ req: SimpleTableRequest, scope: ScopeHandle? = nil) -> LookupResult { at(80, req, scope: scope) }

        @Test func scopesByNameAndKind() {
            #expect(image.scopeCount == 2)
            #expect(image.scope(named: "shop/frontend", kind: .gateway) == nil)
            #expect(image.scope(named: "shop/front", kind: .sidecar) == nil)
            #expect(sidecar != gateway)
        }

        @Test func exactHostAndShortNames() {
            for host in [
                "reviews.shop.svc.cluster.local", "reviews", "reviews.shop", "reviews.shop.svc", "REVIEWS.Shop",
                "reviews:80",
                "reviews.shop.svc.cluster.local:+80",
            ] {
                let r = at(request(host, "/", headers: [("x-user", "alice")]))
                #expect(r.outcome == .matched, "\(host)")
                #expect(r.slot == 0, "\(host)")
                #expect(vhost(r) == "reviews.shop.svc.cluster.local", "\(host)")
            }
            // Short forms are a sidecar's: `reviews.other` is not in namespace `shop`'s reach.
            #expect(at(request("reviews.other")).outcome == .passthrough)
            #expect(at(request("reviews.svc")).outcome == .passthrough)
            #expect(at(request("details.other")).outcome == .noRoute)
            #expect(vhost(at(request("details.other"))) == "details.other.svc.cluster.local")
        }

        @Test func portInAuthority() {
            #expect(at(request("reviews:8080")).outcome == .passthrough)
            #expect(at(request("reviews:-80")).outcome == .passthrough)
            // Not a port: the host keeps it and no entry matches.
            #expect(at(request("reviews:http")).outcome == .passthrough)
            #expect(at(request("reviews:99999999999999999999")).outcome == .passthrough)
            // Port 9080's listener is registry-only.
            #expect(at(9080, request("reviews:8080")).outcome == .blackhole)
            #expect(at(9080, request("reviews:9080", headers: [("x-user", "alice")])).slot == 0)
            // No listener: the scope's policy.
            #expect(at(1234, request("reviews")).outcome == .blackhole)
            #expect(at(-1, request("reviews")).outcome == .blackhole)
            #expect(image.decisionRecord(at(1234, request("reviews"))) == DecisionRecord(outcome: .blackhole))
            // IPv6 literals keep their port in the host.
            #expect(at(request("[::1]:8080")).outcome == .passthrough)
            #expect(at(request("[::1]:80")).outcome == .passthrough)
        }

        @Test func overlayHidesAndReplaces() {
            #expect(at(request("secret.shop.svc.cluster.local")).outcome == .passthrough)
            #expect(at(9080, request("secret")).outcome == .defaultRoute)
            let r = at(request("ratings"))
            #expect(r.outcome == .matched)
            #expect(r.action == 7)
            #expect(at(9080, request("ratings")).outcome == .defaultRoute)
            #expect(
                image.decisionRecord(at(9080, request("ratings:9080")))
                    == DecisionRecord(
                        outcome: .defaultRoute, host: "ratings.shop.svc.cluster.local",
                        action: ActionRecord(
                            kind: .route,
                            destinations: [
                                DestinationRecord(
                                    host: "ratings.shop.svc.cluster.local", subset: nil, port: 9080, weight: 100)
                            ])))
        }

        @Test func wildcardsPreferTheLongestSuffix() {
            #expect(vhost(at(9080, request("x.api.example.com"))) == "*.api.example.com")
            #expect(vhost(at(9080, request("a.b.api.example.com"))) == "*.api.example.com")
            #expect(vhost(at(9080, request("api.example.com"))) == "*.example.com")
            #expect(at(9080, request("example.com")).outcome == .blackhole)
            #expect(at(9080, request(".example.com")).outcome == .blackhole)
            #expect(vhost(at(9080, request("x.example.com"))) == "*.example.com")
            // The overlay hides `*.api.example.com` on port 80: the next longest suffix wins.
            #expect(vhost(at(request("x.api.example.com"))) == "*.example.com")
        }

        @Test func starMatchesEverythingLast() throws {
            var p = meshProgram()
            let star = UInt32(p.strings.count)
            p.strings.append("*")
            p.virtualHosts.append(
                TableProgram.VirtualHost(host: star, kind: .defaultRoute, routeTable: 0, httpsRedirect: false))
            p.hostMaps[0].wildcards.insert(
                TableProgram.HostEntry(host: star, virtualHost: UInt32(p.virtualHosts.count - 1)), at: 0)
            let image = try TableImage(program: p)
            let s = try #require(image.scope(named: "shop/frontend", kind: .sidecar))
            func host(_ a: String) -> String? {
                image.decisionRecord(image.lookup(scope: s, port: 9080, request: request(a))).host
            }
            #expect(host("anything") == "*")
            #expect(host("") == "*")
            #expect(host("x.example.com") == "*.example.com")
            #expect(host("reviews") == "reviews.shop.svc.cluster.local")
            // Hidden in the overlay.
            p.hostMaps[1].wildcards.append(
                TableProgram.HostEntry(host: star, virtualHost: TableProgram.hiddenVirtualHost))
            let hidden = try TableImage(program: p)
            #expect(hidden.lookup(scope: s, port: 80, request: request("anything")).outcome == .passthrough)
        }

        @Test func gatewayHostsAndHTTPSRedirect() {
            let r = at(request("shop.example.com"), scope: gateway)
            #expect(r.httpsRedirect)
            #expect(
                image.decisionRecord(r)
                    == DecisionRecord(
                        outcome: .matched, host: "shop.example.com", rule: nil,
                        action: ActionRecord(
                            kind: .redirect,
                            redirect: RedirectRecord(
                                uri: nil, authority: nil, scheme: "https", port: nil, derivePort: nil, code: 301),
                            retries: .none)))
            let https = at(443, request("shop.example.com", scheme: "https"), scope: gateway)
            #expect(https.outcome == .matched)
            #expect(!https.httpsRedirect)
            #expect(https.rule == -1)
            #expect(image.decisionRecord(https).rule == nil)
            #expect(image.decisionRecord(https).action == action("shop.shop.svc.cluster.local", 7))
            // A gateway host without a VirtualService is a 404; unknown hosts too, without a host.
            #expect(
                image.decisionRecord(at(443, request("www.example.com"), scope: gateway))
                    == DecisionRecord(outcome: .noRoute, host: "*.example.com"))
            #expect(
                image.decisionRecord(at(443, request("example.org"), scope: gateway))
                    == DecisionRecord(outcome: .noRoute))
            #expect(at(8443, request("shop.example.com"), scope: gateway).outcome == .noRoute)
            // Gateways have no short names.
            #expect(at(443, request("reviews"), scope: gateway).outcome == .noRoute)
        }

        func slot(_ path: String, method: String = "GET", headers: [(String, String)] = []) -> Int {
            at(request("reviews", path, method: method, headers: headers)).slot
        }

        @Test func segmentsTakeTheSmallestSlot() {
            #expect(slot("/api/x", headers: [("x-user", "alice")]) == 0)
            #expect(slot("/api/x") == 1)
            #expect(slot("/api/x", method: "POST") == 3)
            #expect(slot("/static/logo.png?debug=1") == 2)
            #expect(slot("/other?debug=1") == 4)
            #expect(slot("/search?q=fjord") == 5)
            #expect(slot("/search?q=fjord&debug=1") == 4)
            #expect(slot("/other") == -1)
            let none = at(request("reviews", "/other"))
            #expect(none.outcome == .noRoute)
            #expect(
                image.decisionRecord(none) == DecisionRecord(outcome: .noRoute, host: "reviews.shop.svc.cluster.local"))
            let matched = at(request("reviews", "/api/x"))
            #expect(
                image.decisionRecord(matched)
                    == DecisionRecord(
                        outcome: .matched, host: "reviews.shop.svc.cluster.local", rule: rule(1),
                        action: action("reviews.shop.svc.cluster.local", 1)))
        }

        @Test func pathAttributesStopAtQueryAndFragment() {
            // `path` ends at `?` or `#`; `pathWithQuery` at `#`.
            #expect(slot("/api?x=/api/") == -1)
            #expect(slot("/api/#frag") == 1)
            #expect(slot("/sea#rch?q=") == -1)
            #expect(slot("") == -1)
        }

        @Test func headersAbsentAndCaseInsensitiveEntries() {
            #expect(slot("/", headers: [("x-user", "alice")]) == 0)
            #expect(slot("/", headers: [("x-user", "Alice")]) == -1)
            #expect(slot("/", headers: [("x-user", "bob")]) == 0)
            #expect(slot("/", headers: [("x-user", "bOB")]) == 0)
            #expect(slot("/", headers: [("x-user", "bobby")]) == -1)
            #expect(slot("/", headers: [("x-user", "")]) == -1)
            // Repeated headers are joined with `,` by the request.
            #expect(slot("/", headers: [("x-user", "alice"), ("x-user", "bob")]) == -1)
        }

        @Test func queryParametersAreDecoded() {
            #expect(slot("/?debug=1") == 4)
            #expect(slot("/?debug=%31") == 4)
            #expect(slot("/?%64ebug=1") == 4)
            #expect(slot("/?a=b&&debug=1&debug=2") == 4)
            #expect(slot("/?debug=2&debug=1") == -1)
            #expect(slot("/?debug") == -1)
            #expect(slot("/?debug=1#x") == 4)
            #expect(slot("/#?debug=1") == -1)
            #expect(slot("/?debug=%C3%A9") == 6)
            #expect(slot("/?debug=%c3%a9") == 6)
            // Malformed escapes stay as written; ill-formed UTF-8 becomes U+FFFD.
            #expect(slot("/?debug=%3") == -1)
            #expect(slot("/?debug=%FF") == -1)
        }

        @Test func invalidScopeHandleIsRefused() throws {
            let other = try TableImage(program: manyRulesProgram(3, sparse: false))
            let foreign = try #require(image.scope(named: "istio-system/ingress", kind: .gateway))
            #expect(other.lookup(scope: foreign, port: 80, request: request("x")).outcome == .blackhole)
        }

        @Test func nonASCIIAuthorities() throws {
            var b = ProgramBuilder()
            let vh = b.vhost("straße.example", .defaultRoute)
            b.p.hostMaps = [TableProgram.HostMap(exact: [b.entry("straße.example", vh)])]
            b.p.scopes = [
                TableProgram.Scope(
                    kind: .gateway, name: b.s("g"), namespace: b.s("ns"),
                    listeners: [
                        TableProgram.Listener(
                            port: 80, hostMap: 0, overlay: nil, outboundPolicy: .registryOnly,
                            domainSuffix: b.s("cluster.local"))
                    ])
            ]
            let image = try TableImage(program: b.p)
            let g = try #require(image.scope(named: "g", kind: .gateway))
            #expect(image.lookup(scope: g, port: 80, request: request("STRASSE.example")).outcome == .noRoute)
            #expect(
                image.decisionRecord(image.lookup(scope: g, port: 80, request: request("Straße.EXAMPLE:80"))).host
                    == "straße.example")
            #expect(
                image.decisionRecord(image.lookup(scope: g, port: 80, request: request("Straße.EXAMPLE:81"))).host
                    == nil)
        }

        @Test func manyRules() throws {
            for sparse in [false, true] {
                let image = try TableImage(program: manyRulesProgram(1000, sparse: sparse))
                let s = try #require(image.scope(named: "shop/frontend", kind: .sidecar))
                for i in [0, 1, 9, 10, 999] {
                    let path = "/svc-\(String(repeating: "0", count: 5 - String(i).count))\(i)/x"
                    #expect(image.lookup(scope: s, port: 80, request: request("big", path)).slot == i)
                }
                #expect(image.lookup(scope: s, port: 80, request: request("big", "/svc-01000/")).slot == -1)
                #expect(image.lookup(scope: s, port: 80, request: request("big", "/svc-0000")).slot == -1)
            }
        }
    }
}
