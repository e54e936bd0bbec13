import FjordProxy
import FjordProxyServer
import Foundation
import NIOCore
import Testing

/// Bad traffic gets a clean error or close, and the proxy keeps serving others.
@Suite(.serialized) struct BadTrafficTests {
    final class World: Sendable {
        let v1: TestUpstream
        let v2: TestUpstream
        let proxy: ProxyHarness
        init() throws {
            v1 = try TestUpstream("v1") { r, _ in
                .respond(status: 200, body: "body:" + String(decoding: r.body, as: UTF8.self))
            }
            v2 = try TestUpstream("v2")
            let eps = endpointsYAML([
                ("reviews.shop.svc.cluster.local", 8080, [(v1, ["version": "v1"]), (v2, ["version": "v2"])])
            ])
            proxy = try ProxyHarness(yaml: TestMeshes.shop, endpoints: eps) { o in
                o.headTimeout = .milliseconds(800)
                o.maxHeaderBytes = 16 * 1024
                o.maxHeaderCount = 50
            }
        }
        func stop() {
            proxy.stop()
            v1.stop()
            v2.stop()
        }

        /// A normal request on a fresh connection succeeds.
        func stillServes() throws -> Bool {
            let c = try proxy.client()
            defer { c.close() }
            return try c.send(.GET, "/rewrite-not", host: "reviews.shop:8080", headers: [("x-debug-user", "true")])
                .status == 200
        }
    }

    static func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    @Test func malformedRequestLinesGet400AndAClose() throws {
        let w = try World()
        defer { w.stop() }
        for bad in [
            "GARBAGE\r\n\r\n", "GET\r\n\r\n", "GET / HTTP/9.9\r\nhost: x\r\n\r\n",
            "GET / HTTP/1.1\r\nbad header\r\n\r\n",
            "G\u{1}T / HTTP/1.1\r\nhost: x\r\n\r\n",
        ] {
            let (text, closed) = RawClient.exchange(port: w.proxy.port, [Self.bytes(bad)])
            #expect(text.hasPrefix("HTTP/1.1 400"), "\(bad.debugDescription) got \(text.debugDescription)")
            #expect(closed)
        }
        #expect(try w.stillServes())
        #expect(w.v1.count == 0)
    }

    /// RFC 9112 section 3.2: a missing (HTTP/1.1), repeated or invalid Host is a 400 and a
    /// close, and nothing reaches an upstream (the proxy used to route on the first of two Hosts
    /// and send both upstream, and to try a passthrough without a Host, answering 503).
    @Test func hostHeaderRulesGet400AndAClose() throws {
        let w = try World()
        defer { w.stop() }
        for bad in [
            "GET /rewrite-not HTTP/1.1\r\nhost: reviews.shop:8080\r\nhost: evil.example\r\nx-debug-user: true\r\n\r\n",
            "GET /rewrite-not HTTP/1.1\r\nhost: reviews.shop:8080\r\nHost: reviews.shop:8080\r\n\r\n",
            "GET /rewrite-not HTTP/1.1\r\nx-debug-user: true\r\n\r\n",
            "GET /rewrite-not HTTP/1.1\r\nhost: user@reviews.shop:8080\r\n\r\n",
            "GET /rewrite-not HTTP/1.1\r\nhost: reviews.shop:99999999999\r\n\r\n",
            "GET /rewrite-not HTTP/1.0\r\nhost: a\r\nhost: b\r\n\r\n",
        ] {
            let (text, closed) = RawClient.exchange(port: w.proxy.port, [Self.bytes(bad)])
            #expect(
                text.hasPrefix("HTTP/1.1 400") || text.hasPrefix("HTTP/1.0 400"),
                "\(bad.debugDescription) got \(text.debugDescription)")
            #expect(closed)
        }
        #expect(w.v1.count + w.v2.count == 0)
        // HTTP/1.0 without a Host is still routed (here: no route for an empty authority).
        let (t10, _) = RawClient.exchange(port: w.proxy.port, [Self.bytes("GET / HTTP/1.0\r\n\r\n")])
        #expect(!t10.hasPrefix("HTTP/1.0 400"), "got \(t10.debugDescription)")
        #expect(try w.stillServes())
    }

    @Test func oversizedHeadersAreRefused() throws {
        let w = try World()
        defer { w.stop() }
        let big =
            "GET / HTTP/1.1\r\nhost: reviews.shop:8080\r\nx-big: " + String(repeating: "a", count: 40 * 1024)
            + "\r\n\r\n"
        let (t1, c1) = RawClient.exchange(port: w.proxy.port, [Self.bytes(big)])
        #expect(t1.hasPrefix("HTTP/1.1 4"), "got \(t1.prefix(40).debugDescription)")
        #expect(c1)
        var many = "GET / HTTP/1.1\r\nhost: reviews.shop:8080\r\n"
        for i in 0..<200 { many += "x-h\(i): v\r\n" }
        many += "\r\n"
        let (t2, c2) = RawClient.exchange(port: w.proxy.port, [Self.bytes(many)])
        #expect(t2.hasPrefix("HTTP/1.1 4"), "got \(t2.prefix(40).debugDescription)")
        #expect(c2)
        #expect(w.v1.count + w.v2.count == 0)
        #expect(try w.stillServes())
    }

    @Test func smugglingAttemptsAreRefused() throws {
        let w = try World()
        defer { w.stop() }
        let attempts = [
            // CL.TE: both framings.
            "POST / HTTP/1.1\r\nhost: reviews.shop:8080\r\ncontent-length: 6\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nhost: reviews.shop:8080\r\n\r\n",
            // Two different Content-Lengths.
            "POST / HTTP/1.1\r\nhost: reviews.shop:8080\r\ncontent-length: 5\r\ncontent-length: 40\r\n\r\nhelloGET /smuggled HTTP/1.1\r\n\r\n",
            // An obfuscated transfer coding next to a length.
            "POST / HTTP/1.1\r\nhost: reviews.shop:8080\r\ncontent-length: 4\r\ntransfer-encoding: xchunked\r\n\r\n1\r\nZ\r\n0\r\n\r\n",
            // A bad chunk size.
            "POST / HTTP/1.1\r\nhost: reviews.shop:8080\r\ntransfer-encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
        ]
        for a in attempts {
            let (text, closed) = RawClient.exchange(port: w.proxy.port, [Self.bytes(a)])
            #expect(
                text.contains("HTTP/1.1 400"),
                "\(a.prefix(60).debugDescription) got \(text.prefix(60).debugDescription)")
            #expect(closed)
        }
        // A request through the same upstream after them: anything smuggled would be there first.
        #expect(try w.stillServes())
        #expect(!w.v1.received.withLockedValue { $0.contains { $0.uri.contains("smuggled") } })
    }

    @Test func slowClientsTimeOutWithoutHurtingOthers() throws {
        let w = try World()
        defer { w.stop() }
        let slowResult = Eventually<SlowAnswer>()
        let t = Thread {
            // One byte every 300 ms: the 800 ms head timeout answers 408 and closes.
            let chunks = Array("GET / HTTP/1.1\r\nhost: reviews.shop:8080\r\n\r\n".utf8).map { [$0] }
            let (text, closed) = RawClient.exchange(
                port: w.proxy.port, Array(chunks.prefix(12)), pause: 0.3, timeout: 2)
            slowResult.set(SlowAnswer(text: text, closed: closed))
        }
        t.start()
        // Others are served meanwhile: at least 20, and on until the slow client has its answer.
        let c = try w.proxy.client()
        defer { c.close() }
        var served = 0
        while served < 20 || (slowResult.current == nil && served < 20_000) {
            #expect(
                try c.send(.GET, "/x", host: "reviews.shop:8080", headers: [("x-debug-user", "true")]).status == 200)
            served += 1
        }
        let answer = try #require(slowResult.wait(timeout: 10))
        #expect(answer.text.hasPrefix("HTTP/1.1 408"), "got \(answer.text.debugDescription)")
        #expect(answer.closed)
    }

    @Test func upstreamClosingMidResponseClosesTheClientCleanly() throws {
        let w = try World()
        defer { w.stop() }
        w.v1.setBehaviour { _, _ in .closeMidResponse }
        let (text, closed) = RawClient.exchange(
            port: w.proxy.port, [Self.bytes("GET /slow HTTP/1.1\r\nhost: reviews.shop:8080\r\n\r\n")])
        #expect(text.hasPrefix("HTTP/1.1 200"))
        #expect(text.hasSuffix("partial"))
        #expect(closed)
        // Closing before any response: a clean 503.
        w.v1.setBehaviour { _, _ in .closeImmediately }
        let c = try w.proxy.client()
        defer { c.close() }
        let r = try c.send(.GET, "/slow", host: "reviews.shop:8080")
        #expect(r.status == 503)
        #expect(try w.stillServes())
    }

    @Test func expectContinueChunkedAndPipelinedRequests() throws {
        let w = try World()
        defer { w.stop() }
        // 100-continue: the proxy answers 100 itself, then streams the body.
        let (text, _) = RawClient.exchange(
            port: w.proxy.port,
            [
                Self.bytes(
                    "POST /slow HTTP/1.1\r\nhost: reviews.shop:8080\r\ncontent-length: 5\r\nexpect: 100-continue\r\nconnection: close\r\n\r\n"
                ),
                Self.bytes("hello"),
            ], pause: 0.2)
        #expect(text.hasPrefix("HTTP/1.1 100 Continue"), "got \(text.debugDescription)")
        #expect(text.contains("HTTP/1.1 200"))
        #expect(text.hasSuffix("body:hello"))
        #expect(w.v1.received.withLockedValue { $0.last?.header("expect") } == nil)
        // Chunked upload, re-framed upstream.
        let (t2, _) = RawClient.exchange(
            port: w.proxy.port,
            [
                Self.bytes(
                    "POST /slow HTTP/1.1\r\nhost: reviews.shop:8080\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n"
                ),
                Self.bytes("3\r\nabc\r\n"), Self.bytes("2\r\nde\r\n0\r\n\r\n"),
            ], pause: 0.05)
        #expect(t2.hasSuffix("body:abcde"), "got \(t2.debugDescription)")
        // Two pipelined requests on one connection: answered in order.
        let (t3, _) = RawClient.exchange(
            port: w.proxy.port,
            [
                Self.bytes(
                    "POST /slow HTTP/1.1\r\nhost: reviews.shop:8080\r\ncontent-length: 1\r\n\r\nAPOST /slow HTTP/1.1\r\nhost: reviews.shop:8080\r\ncontent-length: 1\r\nconnection: close\r\n\r\nB"
                )
            ])
        let a = t3.range(of: "body:A")
        let b = t3.range(of: "body:B")
        #expect(a != nil && b != nil && a!.lowerBound < b!.lowerBound, "got \(t3.debugDescription)")
        // HTTP/1.0 gets a 1.0 answer.
        let (t4, c4) = RawClient.exchange(
            port: w.proxy.port, [Self.bytes("GET /slow HTTP/1.0\r\nhost: reviews.shop:8080\r\n\r\n")])
        #expect(t4.hasPrefix("HTTP/1.0 200"))
        #expect(c4)
    }
}

/// What the slow client got.
struct SlowAnswer: Sendable {
    var text: String
    var closed: Bool
}
