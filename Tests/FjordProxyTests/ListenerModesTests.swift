import FjordProxy
import FjordProxyServer
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import Testing
import _FjordTestSupport

/// The inbound listener, gateways, DNS for hosts without endpoints, endpoint reloads and
/// connection-pool limits.
@Suite(.serialized) struct ListenerModesTests {
    @Test func inboundForwardsToTheApplication() throws {
        let app = try TestUpstream("app")
        defer { app.stop() }
        let proxy = try ProxyHarness(yaml: TestMeshes.shop, endpoints: "services: []\n") { o in
            o.outbound = nil
            o.inbound = HostPort(host: "127.0.0.1", port: 0)
            o.app = HostPort(host: "127.0.0.1", port: app.port)
        }
        defer { proxy.stop() }
        let c = try TestClient(port: proxy.server.inboundAddress!.port!)
        defer { c.close() }
        for i in 0..<5 {
            let r = try c.send(.POST, "/orders/\(i)", host: "client.shop:8080", body: "o\(i)")
            #expect(r.status == 200 && r.upstream == "app")
        }
        #expect(app.received.withLockedValue { $0.map(\.uri) } == (0..<5).map { "/orders/\($0)" })
        // Inbound requests are reported by the destination.
        let m = try #require(proxy.server.inboundMetrics).prometheusText()
        #expect(m.contains("reporter=\"destination\"") && m.contains("destination_workload=\"client\""))
    }

    @Test func gatewayRoutesWithItsScope() throws {
        let web = try TestUpstream("web")
        defer { web.stop() }
        let yaml =
            TestMeshes.shop + """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata:
                  name: public
                  namespace: shop
                spec:
                  selector:
                    istio: ingressgateway
                  servers:
                  - port:
                      number: 80
                      name: http
                      protocol: HTTP
                    hosts:
                    - "shop.example.com"
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: web
                  namespace: shop
                spec:
                  hosts:
                  - shop.example.com
                  gateways:
                  - public
                  http:
                  - route:
                    - destination:
                        host: reviews
                        subset: v1
                        port:
                          number: 8080
                ---

                """
        let eps = endpointsYAML([("reviews.shop.svc.cluster.local", 8080, [(web, ["version": "v1"])])])
        let proxy = try ProxyHarness(yaml: yaml, workload: "shop/public", endpoints: eps) { o in o.scopeKind = .gateway
        }
        defer { proxy.stop() }
        let c = try proxy.client()
        defer { c.close() }
        let r = try c.send(.GET, "/", host: "shop.example.com")
        #expect(r.status == 200 && r.upstream == "web")
        // A host the gateway does not serve: 404.
        #expect(try c.send(.GET, "/", host: "other.example.com").status == 404)
    }

    @Test func hostsWithoutEndpointsResolveByDNS() throws {
        let up = try TestUpstream("dns")
        defer { up.stop() }
        let proxy = try ProxyHarness(yaml: TestMeshes.shop, endpoints: "services: []\n")
        defer { proxy.stop() }
        let c = try proxy.client()
        defer { c.close() }
        // An unknown host passes through (ALLOW_ANY), resolved by name.
        let r = try c.send(.GET, "/via-dns", host: "localhost:\(up.port)")
        #expect(r.status == 200 && r.upstream == "dns")
        #expect(up.received.withLockedValue { $0.first?.uri } == "/via-dns")
    }

    @Test func endpointsFileReloads() throws {
        let a = try TestUpstream("a")
        let b = try TestUpstream("b")
        defer {
            a.stop()
            b.stop()
        }
        let eps = endpointsYAML([("reviews.shop.svc.cluster.local", 8080, [(a, ["version": "v2"])])])
        let proxy = try ProxyHarness(yaml: TestMeshes.shop, endpoints: eps) { o in o.pollInterval = .milliseconds(50) }
        defer { proxy.stop() }
        let c = try proxy.client()
        defer { c.close() }
        #expect(try c.send(.GET, "/", host: "reviews.shop:8080", headers: [("x-debug-user", "true")]).upstream == "a")
        let next = endpointsYAML([("reviews.shop.svc.cluster.local", 8080, [(b, ["version": "v2"])])])
        let tmp = proxy.dir.path("next-endpoints.yaml")
        try next.write(toFile: tmp, atomically: false, encoding: .utf8)
        _ = rename(tmp, proxy.endpointsPath)
        // The reload shows in the answers: ask until `b` answers (bounded).
        let deadline = Date().addingTimeInterval(5)
        var last: String?
        var asked = 0
        while Date() < deadline && asked < 20_000 {
            last = try c.send(.GET, "/", host: "reviews.shop:8080", headers: [("x-debug-user", "true")]).upstream
            asked += 1
            if last == "b" { break }
        }
        #expect(last == "b")
        // A broken endpoints file is refused; the last good one stays.
        try "services:\n- host: [broken\n".write(toFile: tmp, atomically: false, encoding: .utf8)
        _ = rename(tmp, proxy.endpointsPath)
        // Until the refusal shows in the metrics (bounded), every answer still comes from `b`.
        func refused() -> Int { proxy.server.metrics.counterValues["endpoints_reload_refused", default: 0] }
        let refusalDeadline = Date().addingTimeInterval(5)
        asked = 0
        repeat {
            #expect(
                try c.send(.GET, "/", host: "reviews.shop:8080", headers: [("x-debug-user", "true")]).upstream == "b")
            asked += 1
        } while refused() == 0 && Date() < refusalDeadline && asked < 20_000
        #expect(try c.send(.GET, "/", host: "reviews.shop:8080", headers: [("x-debug-user", "true")]).upstream == "b")
        #expect(refused() >= 1)
    }

    @Test func connectionPoolLimitsOverflowWith503() throws {
        let slow = try TestUpstream("slow") { _, _ in .delayed(.milliseconds(500), status: 200, body: "ok") }
        defer { slow.stop() }
        let yaml =
            TestMeshes.shop + """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata:
                  name: flaky
                  namespace: shop
                spec:
                  host: flaky
                  trafficPolicy:
                    connectionPool:
                      tcp:
                        maxConnections: 1
                      http:
                        http1MaxPendingRequests: 1
                ---

                """
        let eps = endpointsYAML([("flaky.shop.svc.cluster.local", 8080, [(slow, [:])])])
        let proxy = try ProxyHarness(yaml: yaml, endpoints: eps)
        defer { proxy.stop() }
        let statuses = NIOLockedValueBox<[Int]>([])
        // Threads, not concurrentPerform: that runs only as many at once as there are cores.
        let group = DispatchGroup()
        for i in 0..<3 {
            // The first request holds the connection (the upstream has it) before the other two
            // go: one waits for the connection, the other overflows.
            if i == 1 { #expect(slow.waitForRequests(1, timeout: 5)) }
            group.enter()
            Thread {
                defer { group.leave() }
                if let c = try? proxy.client() {
                    if let r = try? c.send(.GET, "/noretry", host: "reviews.shop:8080") {
                        statuses.withLockedValue { $0.append(r.status) }
                    }
                    c.close()
                }
            }.start()
        }
        #expect(group.wait(timeout: .now() + 15) == .success)
        // One connection serves the first request, the second waits for it, the third overflows.
        let s = statuses.withLockedValue { $0 }.sorted()
        #expect(s == [200, 200, 503], "statuses \(s)")
        // One connection at a time; the waiter may sit on another event loop, which then opens
        // its own connection with the freed slot.
        #expect(slow.connections.withLockedValue { $0 } <= 2)
        #expect(
            proxy.server.registry.all.first { $0.key.host.hasPrefix("flaky") }.map { $0.stats.connections } ?? 0 <= 1)
    }
}

/// The sidecar deployment example passes `fjord check` and compiles to an image whose
/// productpage scope routes as docs/deploy/README.md says.
@Suite struct DeploymentExampleTests {
    @Test func exampleManifestsCompileForTheSidecar() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("fixtures/examples/fjord-proxy-sidecar")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".yaml") }
            .sorted()
        #expect(files.count >= 4)
        let yaml = try files.map { try String(contentsOfFile: dir.appendingPathComponent($0).path, encoding: .utf8) }
            .joined(separator: "\n---\n")
        let table = try LoadedTable(
            bytes: try compileImage(yaml), scopeName: "shop/productpage", kind: .sidecar, generation: 1,
            origin: "example")
        let registry = ClusterRegistry(directory: EndpointDirectory())
        var random = SplitMixRandom(seed: 1)
        let head = HTTPRequestHead(
            version: .http1_1, method: .GET, uri: "/reviews/1",
            headers: ["host": "reviews.shop.svc.cluster.local:9080", "x-debug-user": "true"])
        let d = table.decide(HeadRequest(head: head), port: 9080, registry: registry, random: &random, sourceIP: nil)
        #expect(d.kind == .forward && d.cluster?.key.subset == "v2")
        // `fjord check` finds nothing (docs/deploy/README.md promises it).
        let check = try FjordProcess.run(["check", dir.path])
        #expect(check.status == 0, "\(check)")
    }
}
