import FjordProxy
import FjordProxyServer
import FjordTable
import NIOHTTP1
import Testing

@Suite struct EndpointsFileTests {
    @Test func parsesTheDocumentedFormat() throws {
        let f = try EndpointsFile(
            parsing: """
                # the proxy's own locality
                locality: norwayeast/norwayeast-1
                services:
                - host: Payment-Service.payments.svc.cluster.local
                  port: 8080
                  endpoints:
                  - address: 10.0.0.7:8080
                    labels: {app: payment-service, version: v1}   # flow style
                    locality: norwayeast/norwayeast-1
                  - address: 10.0.0.8
                    labels:
                      app: payment-service
                      version: "v2"
                - host: ledger.payments.svc.cluster.local
                  endpoints:
                  - address: ledger.internal
                    port: 9000
                - host: empty.example
                  endpoints: []
                """)
        #expect(f.locality == Locality(region: "norwayeast", zone: "norwayeast-1"))
        let pay = try #require(f.directory.endpoints(host: "payment-service.payments.svc.cluster.local", port: 8080))
        #expect(pay.count == 2)
        #expect(
            pay[0]
                == EndpointSpec(
                    address: "10.0.0.7", port: 8080, labels: ["app": "payment-service", "version": "v1"],
                    locality: Locality(region: "norwayeast", zone: "norwayeast-1")))
        #expect(pay[1].port == 8080 && pay[1].labels["version"] == "v2")
        #expect(f.directory.endpoints(host: "payment-service.payments.svc.cluster.local", port: 9999) == nil)
        // A service without a port serves every port with its endpoints' own ports.
        #expect(f.directory.endpoints(host: "ledger.payments.svc.cluster.local", port: 1234)?.first?.port == 9000)
        #expect(f.directory.endpoints(host: "empty.example", port: 80) == [])
    }

    @Test func refusesWhatItDoesNotUnderstand() {
        let bad: [(String, String)] = [
            ("services:\n- host: a\n  endpoints:\n  - address: 10.0.0.1\n", "has no port"),
            ("services:\n- port: 80\n", "needs a `host`"),
            ("servics: []\n", "unknown field `servics`"),
            ("services:\n- host: a\n  port: 99999\n", "`port` must be"),
            ("services:\n- host: a\n  endpoints:\n  - address: 10.0.0.1:80\n    weight: 3\n", "unknown field `weight`"),
            ("services: &x\n", "anchors"),
            ("services:\n- host: a\n  host: b\n", "duplicate key"),
            ("services:\n  - host: a\n     port: 80\n", "indentation"),
            ("locality: [a\n", "unterminated"),
        ]
        for (text, message) in bad {
            do {
                _ = try EndpointsFile(parsing: text)
                Issue.record("accepted \(text.debugDescription)")
            } catch {
                #expect(error.message.contains(message), "\(text.debugDescription): \(error)")
                #expect(error.line >= 1)
            }
        }
        #expect((try? EndpointsFile(parsing: "")) != nil)
        #expect((try? EndpointsFile(parsing: "# nothing\n")) != nil)
    }
}

@Suite struct HeadRequestTests {
    static func head(_ uri: String, _ headers: [(String, String)]) -> HTTPRequestHead {
        HTTPRequestHead(version: .http1_1, method: .GET, uri: uri, headers: HTTPHeaders(headers))
    }

    @Test func readsWhatTheTableAsks() {
        let r = HeadRequest(
            head: Self.head(
                "/api?x=1", [("Host", "reviews:8080"), ("X-User", "alice"), ("x-user", "bob"), ("X-Other", "")]))
        #expect(r.method == "GET" && r.scheme == "http")
        #expect(r.authority == "reviews:8080")
        #expect(r.path == "/api?x=1")
        #expect(r.header("x-user") == "alice,bob")
        #expect(r.header("x-other") == "")
        #expect(r.header("x-missing") == nil)
        let a = HeadRequest(head: Self.head("http://api.example.com:8080/v1/items?q", [("host", "ignored")]))
        #expect(a.authority == "api.example.com:8080" && a.path == "/v1/items?q")
        let b = HeadRequest(head: Self.head("http://api.example.com", []))
        #expect(b.authority == "api.example.com" && b.path == "/")
        #expect(HeadRequest(head: Self.head("/", [])).authority == "")
    }

    @Test func routingPorts() {
        #expect(routingPort(authority: "reviews:8080", defaultPort: 80) == 8080)
        #expect(routingPort(authority: "reviews", defaultPort: 80) == 80)
        #expect(routingPort(authority: "[::1]:9090", defaultPort: 80) == 9090)
        #expect(routingPort(authority: "a:99999", defaultPort: 80) == 80)
        #expect(routingPort(authority: "a:", defaultPort: 81) == 81)
        #expect(routingPort(authority: "", defaultPort: 82) == 82)
        #expect(splitHostPortOptional("[::1]:9090") == ("::1", 9090))
        #expect(splitQuery("/a/b?x=1") == ("/a/b", "?x=1"))
    }

    @Test func regexRewrite() throws {
        let re = try Regex("^/service/([^/]+)(/.*)$")
        #expect(regexReplace("/service/foo/v1/api", re, "\\2/instance/\\1") == "/v1/api/instance/foo")
        let all = try Regex("a")
        #expect(regexReplace("banana", all, "o") == "bonono")
    }
}

@Suite struct HeaderSafetyTests {
    @Test func tableHeadersCannotSplitAMessage() {
        let ops = HeaderOps(
            HeaderOpsRecord(
                set: [
                    HeaderPair("X-Ok", "fine"), HeaderPair("x-bad", "a\r\nx-injected: 1"), HeaderPair("bad name", "v"),
                ],
                add: [HeaderPair("x-tab", "a\tb"), HeaderPair("x-nul", "a\u{0}b")], remove: ["X-Gone"]))
        #expect(ops.setting.map(\.name) == ["x-ok"])
        #expect(ops.adding.map(\.name) == ["x-tab"])
        #expect(ops.removing == ["x-gone"])
        #expect(isHeaderName("x-request-id") && !isHeaderName("") && !isHeaderName("a:b"))
        #expect(isHeaderValue("") && !isHeaderValue("\r"))
    }
}
