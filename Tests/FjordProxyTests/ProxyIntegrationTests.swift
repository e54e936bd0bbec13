import FjordProxy
import FjordProxyServer
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import Testing

/// Issue 4's acceptance over 127.0.0.1: real upstream servers, a real client, the proxy with a
/// table compiled from `TestMeshes.shop`.
@Suite(.serialized) struct ProxyIntegrationTests {
    static let reviews = "reviews.shop.svc.cluster.local"

    /// Upstreams v1, v2, flaky, shadow, ejecty (two endpoints) and a proxy routing to them.
    final class World: Sendable {
        let v1: TestUpstream
        let v2: TestUpstream
        let flaky: TestUpstream
        let shadow: TestUpstream
        let eject1: TestUpstream
        let eject2: TestUpstream
        let proxy: ProxyHarness

        init(configure: (inout ProxyOptions) -> Void = { _ in }) throws {
            v1 = try TestUpstream("v1")
            v2 = try TestUpstream("v2")
            flaky = try TestUpstream("flaky")
            shadow = try TestUpstream("shadow")
            eject1 = try TestUpstream("eject1")
            eject2 = try TestUpstream("eject2")
            let eps = endpointsYAML([
                (reviews, 8080, [(v1, ["version": "v1"]), (v2, ["version": "v2"])]),
                ("flaky.shop.svc.cluster.local", 8080, [(flaky, [:])]),
                ("shadow.shop.svc.cluster.local", 8080, [(shadow, [:])]),
                ("ejecty.shop.svc.cluster.local", 8080, [(eject1, [:]), (eject2, [:])]),
            ])
            proxy = try ProxyHarness(yaml: TestMeshes.shop, endpoints: eps, configure: configure)
        }

        func stop() {
            proxy.stop()
            for u in [v1, v2, flaky, shadow, eject1, eject2] { u.stop() }
        }
    }

    /// Sends `total` requests over `connections` keep-alive connections in parallel.
    static func load(
        port: Int, total: Int, connections: Int, uri: String = "/", host: String = "reviews.shop:8080",
        headers: [(String, String)] = []
    ) throws -> [ClientResponse] {
        let results = NIOLockedValueBox<[ClientResponse]>([])
        let errors = NIOLockedValueBox<[String]>([])
        DispatchQueue.concurrentPerform(iterations: connections) { k in
            do {
                let c = try TestClient(port: port)
                defer { c.close() }
                var local: [ClientResponse] = []
                let mine = total / connections + (k < total % connections ? 1 : 0)
                for _ in 0..<mine { local.append(try c.send(.GET, uri, host: host, headers: headers)) }
                results.withLockedValue { $0 += local }
            } catch {
                errors.withLockedValue { $0.append("\(error)") }
            }
        }
        if let e = errors.withLockedValue({ $0.first }) { throw ClientError(description: e) }
        return results.withLockedValue { $0 }
    }

    @Test func ninetyTenSplitOverTenThousandRequests() throws {
        let w = try World()
        defer { w.stop() }
        let responses = try Self.load(port: w.proxy.port, total: 10_000, connections: 8)
        #expect(responses.count == 10_000)
        #expect(responses.allSatisfy { $0.status == 200 })
        let v2 = responses.filter { $0.upstream == "v2" }.count
        let pct = Double(v2) / 100.0
        #expect(abs(pct - 10) <= 1.5, "v2 got \(pct) % of 10,000 requests")
        #expect(w.v1.count + w.v2.count == 10_000)
        // Keep-alive on both sides: a handful of upstream connections carried 10,000 requests.
        #expect(w.v1.connections.withLockedValue { $0 } <= 16)
    }

    @Test func debugHeaderAlwaysReachesV2() throws {
        let w = try World()
        defer { w.stop() }
        let c = try w.proxy.client()
        defer { c.close() }
        for _ in 0..<200 {
            let r = try c.send(.GET, "/anything", host: "reviews.shop:8080", headers: [("X-Debug-User", "true")])
            #expect(r.status == 200 && r.upstream == "v2")
        }
        // Not `true`: the split, so v1 shows up.
        var sawV1 = false
        for _ in 0..<100 where !sawV1 {
            sawV1 =
                try c.send(.GET, "/x", host: "reviews.shop:8080", headers: [("x-debug-user", "false")]).upstream == "v1"
        }
        #expect(sawV1)
    }

    @Test func routeTimeoutAnswers504AfterAboutOneSecond() throws {
        let w = try World()
        defer { w.stop() }
        w.v1.setBehaviour { _, _ in .delayed(.seconds(4), status: 200, body: "late") }
        let c = try w.proxy.client()
        defer { c.close() }
        let t0 = Date()
        let r = try c.send(.GET, "/slow", host: "reviews.shop:8080")
        let elapsed = Date().timeIntervalSince(t0)
        #expect(r.status == 504)
        #expect(r.body == "upstream request timeout")
        #expect(elapsed >= 0.9 && elapsed < 5, "took \(elapsed) s")
        // The connection still serves.
        w.v1.setBehaviour { _, _ in .respond(status: 200, body: "ok") }
        #expect(try c.send(.GET, "/slow", host: "reviews.shop:8080").status == 200)
    }

    @Test func retriesRecoverFromAnUpstreamFailingTwice() throws {
        let w = try World()
        defer { w.stop() }
        w.flaky.setBehaviour { _, n in
            n <= 2 ? .respond(status: 503, body: "busy") : .respond(status: 200, body: "fine")
        }
        let c = try w.proxy.client()
        defer { c.close() }
        let r = try c.send(.POST, "/retry", host: "reviews.shop:8080", body: "payload")
        #expect(r.status == 200 && r.body == "fine")
        #expect(w.flaky.count == 3)
        // Every attempt carried the whole body.
        #expect(w.flaky.received.withLockedValue { $0.allSatisfy { $0.body == Array("payload".utf8) } })
        // Without retries the 503 reaches the client.
        w.flaky.setBehaviour { _, _ in .respond(status: 503, body: "busy") }
        #expect(try c.send(.GET, "/noretry", host: "reviews.shop:8080").status == 503)
        // Attempts exhausted: the last 503 is forwarded.
        let before = w.flaky.count
        #expect(try c.send(.GET, "/retry", host: "reviews.shop:8080").status == 503)
        #expect(w.flaky.count - before == 4)
    }

    @Test func faultAbortAtFiftyPercentLandsNearHalf() throws {
        let w = try World()
        defer { w.stop() }
        let responses = try Self.load(port: w.proxy.port, total: 2000, connections: 4, uri: "/fault")
        let aborted = responses.filter { $0.status == 503 && $0.body == "fault filter abort" }.count
        #expect(responses.filter { $0.status == 200 }.count + aborted == 2000)
        #expect(aborted >= 900 && aborted <= 1100, "\(aborted) of 2000 aborted")
        #expect(w.v1.count == 2000 - aborted)
    }

    @Test func mirrorGetsCopiesAndTheClientOnlyThePrimary() throws {
        let w = try World()
        defer { w.stop() }
        // A slow mirror must not slow the primary.
        w.shadow.setBehaviour { _, _ in .delayed(.seconds(2), status: 500, body: "shadow answer") }
        let c = try w.proxy.client()
        defer { c.close() }
        let t0 = Date()
        for i in 0..<20 {
            let r = try c.send(.POST, "/mirror/\(i)", host: "reviews.shop:8080", body: "copy \(i)")
            #expect(r.status == 200 && r.upstream == "v1")
        }
        #expect(Date().timeIntervalSince(t0) < 1.5, "the primary waited for the mirror")
        // Copies arrive (fire and forget): wait for the twentieth.
        #expect(w.shadow.waitForRequests(20, timeout: 5))
        #expect(w.shadow.count == 20)
        let got = w.shadow.received.withLockedValue { $0 }
        #expect(
            got.allSatisfy {
                ($0.header("host") ?? "").hasSuffix("-shadow:8080") || ($0.header("host") ?? "").contains("-shadow")
            })
        #expect(Set(got.map { String(decoding: $0.body, as: UTF8.self) }) == Set((0..<20).map { "copy \($0)" }))
    }

    @Test func ejectedEndpointGetsNoTrafficUntilItsEjectionEnds() throws {
        let w = try World()
        defer { w.stop() }
        w.eject1.setBehaviour { _, _ in .respond(status: 500, body: "broken") }
        let c = try w.proxy.client()
        defer { c.close() }
        // Round robin: within a few requests eject1 answers 3 consecutive 500s and is ejected.
        var tries = 0
        while w.eject1.count < 3 && tries < 50 {
            _ = try c.send(.GET, "/eject", host: "reviews.shop:8080")
            tries += 1
        }
        #expect(w.eject1.count == 3)
        let ejectedAt = Date()
        // While ejected (1 s base ejection), every request goes to eject2.
        var during = 0
        while Date().timeIntervalSince(ejectedAt) < 0.7 && during < 500 {
            let r = try c.send(.GET, "/eject", host: "reviews.shop:8080")
            #expect(r.upstream == "eject2")
            during += 1
        }
        #expect(w.eject1.count == 3, "an ejected endpoint got traffic")
        // After the ejection ends, it gets traffic again: requests go on until it does (bounded),
        // and that is not before the ejection time.
        w.eject1.setBehaviour { _, _ in .respond(status: 200, body: "healed") }
        var after = 0
        while w.eject1.count == 3 && Date().timeIntervalSince(ejectedAt) < 5 && after < 20_000 {
            _ = try c.send(.GET, "/eject", host: "reviews.shop:8080")
            after += 1
        }
        #expect(w.eject1.count > 3)
        #expect(Date().timeIntervalSince(ejectedAt) >= 0.9, "the ejection ended early")
    }

    /// `route[].headers` apply to the destination the split picked, before the rule's own
    /// header operations (which win where both set a header, as Envoy's route level does).
    @Test func perDestinationHeadersFollowTheSplit() throws {
        let w = try World()
        defer { w.stop() }
        let c = try w.proxy.client()
        defer { c.close() }
        var seen: Set<String> = []
        for _ in 0..<40 {
            let r = try c.send(.GET, "/canary", host: "reviews.shop:8080")
            #expect(r.status == 200)
            let upstream = try #require(r.upstream)
            seen.insert(upstream)
            #expect(r.header("x-variant") == upstream)
            #expect(r.header("x-served-by") == "route")
            let got = try #require((upstream == "v1" ? w.v1 : w.v2).received.withLockedValue { $0.last })
            #expect(got.header("x-canary") == (upstream == "v1" ? "no" : "yes"))
            #expect(got.header("x-route") == "canary")
        }
        #expect(seen == ["v1", "v2"])
    }

    @Test func rewriteHeadersRedirectAndDirectResponse() throws {
        let w = try World()
        defer { w.stop() }
        let c = try w.proxy.client()
        defer { c.close() }
        let r = try c.send(.GET, "/old/page?q=1", host: "reviews.shop:8080", headers: [("x-secret", "s3cret")])
        #expect(r.status == 200 && r.upstream == "v1")
        #expect(r.header("x-served-by") == "fjord")
        let seen = try #require(w.v1.received.withLockedValue { $0.last })
        #expect(seen.uri == "/new/page?q=1")
        #expect(seen.header("host") == "reviews-rewritten")
        #expect(seen.header("x-route") == "rewrite")
        #expect(seen.header("x-secret") == nil)
        let red = try c.send(.GET, "/moved?a=b", host: "reviews.shop:8080")
        #expect(red.status == 308)
        #expect(red.header("location") == "http://reviews.shop:8080/elsewhere?a=b")
        let tea = try c.send(.GET, "/teapot", host: "reviews.shop:8080")
        #expect(tea.status == 418 && tea.body == "short and stout")
        // Unknown host: REGISTRY_ONLY is not set, so ALLOW_ANY passes through by DNS... to a
        // port nothing listens on here: a clean 503.
        let unknown = try c.send(.GET, "/", host: "127.0.0.1:1")
        #expect(unknown.status == 503)
    }
}
