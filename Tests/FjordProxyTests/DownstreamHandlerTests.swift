import FjordHTTP1
import FjordProxy
import FjordTable
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

/// The connection handler on `EmbeddedChannel`s: a fake connector hands out upstream
/// connections that are embedded channels too, so every byte and timer is under the test's
/// control.
@Suite struct DownstreamHandlerTests {
    /// `@unchecked Sendable` (the protocol asks for it): used only on the test's thread, with
    /// embedded channels, so its lists need no lock; the compiler cannot know that.
    final class FakeConnector: UpstreamConnector, @unchecked Sendable {
        var channels: [EmbeddedChannel] = []
        var released: [(UpstreamConnection, Bool)] = []
        var idle: [UpstreamConnection] = []
        var failNext = false

        func idleConnection(to endpoint: UpstreamEndpoint, cluster: Cluster, on eventLoop: EventLoop)
            -> UpstreamConnection?
        {
            idle.popLast()
        }

        func connect(to endpoint: UpstreamEndpoint, cluster: Cluster, on eventLoop: EventLoop) -> EventLoopFuture<
            UpstreamConnection
        > {
            if failNext {
                failNext = false
                return eventLoop.makeFailedFuture(UpstreamConnectError.failed("refused"))
            }
            let conn = UpstreamConnection(endpoint: endpoint, cluster: cluster)
            let ch = EmbeddedChannel()
            try! ch.pipeline.syncOperations.addHandler(conn)
            try! ch.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
            channels.append(ch)
            return eventLoop.makeSucceededFuture(conn)
        }

        func release(_ c: UpstreamConnection, reuse: Bool) {
            released.append((c, reuse))
            if reuse { idle.append(c) } else { c.close() }
        }
    }

    final class Setup {
        let loop = EmbeddedEventLoop()
        let channel: EmbeddedChannel
        let connector = FakeConnector()
        let context: ProxyContext

        init(retryBufferLimit: Int = 64 * 1024) throws {
            let table = try LoadedTable(
                bytes: try compileImage(TestMeshes.shop), scopeName: "shop/client", kind: .sidecar, generation: 1,
                origin: "test")
            let dir = EndpointDirectory(services: [
                .init(host: "reviews.shop.svc.cluster.local", port: 8080): [
                    EndpointSpec(address: "10.0.0.1", port: 9080, labels: ["version": "v1"]),
                    EndpointSpec(address: "10.0.0.2", port: 9080, labels: ["version": "v2"]),
                ],
                .init(host: "flaky.shop.svc.cluster.local", port: 8080): [
                    EndpointSpec(address: "10.0.0.3", port: 9080)
                ],
            ])
            context = ProxyContext(
                role: .outbound, tables: TableStore(table), registry: ClusterRegistry(directory: dir),
                connector: connector,
                metrics: ProxyMetrics(workload: "shop/client"), accessLog: nil)
            context.retryBufferLimit = retryBufferLimit
            channel = EmbeddedChannel(handler: DownstreamHandler(context: context, seed: 42), loop: loop)
        }

        func request(
            _ uri: String, method: HTTPMethod = .GET, headers: [(String, String)] = [], body: String? = nil,
            end: Bool = true
        ) throws {
            var h = HTTPHeaders([("host", "reviews.shop:8080")] + headers)
            if let body { h.add(name: "content-length", value: String(body.utf8.count)) }
            try channel.writeInbound(
                HTTPServerRequestPart.head(HTTPRequestHead(version: .http1_1, method: method, uri: uri, headers: h)))
            if let body { try channel.writeInbound(HTTPServerRequestPart.body(ByteBuffer(string: body))) }
            if end { try channel.writeInbound(HTTPServerRequestPart.end(nil)) }
        }

        /// What the upstream channel `i` received.
        func upstreamParts(_ i: Int) throws -> [HTTPClientRequestPart] {
            var out: [HTTPClientRequestPart] = []
            while let p = try connector.channels[i].readOutbound(as: HTTPClientRequestPart.self) { out.append(p) }
            return out
        }

        func respond(_ i: Int, status: HTTPResponseStatus, body: String = "", keepAlive: Bool = true) throws {
            let ch = connector.channels[i]
            var h = HTTPHeaders([("content-length", String(body.utf8.count))])
            if !keepAlive { h.add(name: "connection", value: "close") }
            try ch.writeInbound(
                HTTPClientResponsePart.head(HTTPResponseHead(version: .http1_1, status: status, headers: h)))
            if !body.isEmpty { try ch.writeInbound(HTTPClientResponsePart.body(ByteBuffer(string: body))) }
            try ch.writeInbound(HTTPClientResponsePart.end(nil))
        }

        /// The downstream response: status, body, whether it ended.
        func response() throws -> (status: Int?, headers: HTTPHeaders, body: String, ended: Bool) {
            var status: Int?
            var headers = HTTPHeaders()
            var body = ""
            var ended = false
            while let p = try channel.readOutbound(as: HTTPServerResponsePart.self) {
                switch p {
                case .head(let h):
                    if h.status != .continue {
                        status = Int(h.status.code)
                        headers = h.headers
                    }
                case .body(.byteBuffer(let b)): body += String(buffer: b)
                case .body: break
                case .end: ended = true
                }
            }
            return (status, headers, body, ended)
        }
    }

    @Test func forwardsAndRelaysWithKeepAlive() throws {
        let s = try Setup()
        try s.request(
            "/anything", headers: [("x-debug-user", "true"), ("connection", "keep-alive"), ("te", "trailers")])
        #expect(s.connector.channels.count == 1)
        let parts = try s.upstreamParts(0)
        guard case .head(let h) = parts.first else {
            Issue.record("no head upstream")
            return
        }
        #expect(h.uri == "/anything")
        #expect(h.headers["host"] == ["reviews.shop:8080"])
        // Hop-by-hop headers stay on their hop.
        #expect(!h.headers.contains(name: "connection") && !h.headers.contains(name: "te"))
        #expect(parts.count == 2)
        try s.respond(0, status: .ok, body: "hello")
        let r = try s.response()
        #expect(r.status == 200 && r.body == "hello" && r.ended)
        #expect(s.connector.released.count == 1 && s.connector.released[0].1)
        // The next request reuses the pooled connection.
        try s.request("/again", headers: [("x-debug-user", "true")])
        #expect(s.connector.channels.count == 1)
        try s.respond(0, status: .ok, body: "again")
        #expect(try s.response().body == "again")
    }

    @Test func directResponseAndRedirectNeedNoUpstream() throws {
        let s = try Setup()
        try s.request("/teapot")
        let r = try s.response()
        #expect(r.status == 418 && r.body == "short and stout" && r.ended)
        try s.request("/moved")
        let m = try s.response()
        #expect(m.status == 308 && m.headers["location"] == ["http://reviews.shop:8080/elsewhere"])
        #expect(s.connector.channels.isEmpty)
    }

    @Test func routeTimeoutAnswers504() throws {
        let s = try Setup()
        try s.request("/slow")
        #expect(s.connector.channels.count == 1)
        s.loop.advanceTime(by: .milliseconds(999))
        #expect(try s.response().status == nil)
        s.loop.advanceTime(by: .milliseconds(2))
        let r = try s.response()
        #expect(r.status == 504 && r.body == "upstream request timeout")
        // The abandoned connection is not reused.
        #expect(s.connector.released.last.map { !$0.1 } == true)
    }

    @Test func retriesReplayTheBodyAfterBackoff() throws {
        let s = try Setup()
        try s.request("/retry", method: .POST, body: "payload")
        try s.respond(0, status: .serviceUnavailable, body: "busy")
        #expect(try s.response().status == nil)
        #expect(s.connector.channels.count == 1)
        s.loop.advanceTime(by: .milliseconds(25))
        #expect(s.connector.channels.count == 2)
        let parts = try s.upstreamParts(1)
        #expect(parts.count == 3)
        if case .body(.byteBuffer(let b)) = parts[1] {
            #expect(String(buffer: b) == "payload")
        } else {
            Issue.record("no body replayed")
        }
        try s.respond(1, status: .ok, body: "fine")
        let r = try s.response()
        #expect(r.status == 200 && r.body == "fine")
    }

    @Test func connectFailureWithoutRetriesIs503() throws {
        let s = try Setup()
        s.connector.failNext = true
        try s.request("/noretry")
        let r = try s.response()
        #expect(r.status == 503)
        #expect(r.body.contains("connection failure"))
    }

    @Test func upstreamResetMidResponseClosesTheClient() throws {
        let s = try Setup()
        try s.request("/x", headers: [("x-debug-user", "true")])
        let ch = s.connector.channels[0]
        try ch.writeInbound(
            HTTPClientResponsePart.head(
                HTTPResponseHead(version: .http1_1, status: .ok, headers: ["content-length": "100"])))
        try ch.writeInbound(HTTPClientResponsePart.body(ByteBuffer(string: "part")))
        try ch.close().wait()
        ch.pipeline.fireChannelInactive()
        #expect(try s.response().status == 200)
        #expect(!s.channel.isActive)
    }

    @Test func expectContinueIsAnsweredByTheProxy() throws {
        let s = try Setup()
        try s.request("/x", headers: [("x-debug-user", "true"), ("expect", "100-continue")], body: nil, end: false)
        guard case .head(let h)? = try s.channel.readOutbound(as: HTTPServerResponsePart.self) else {
            Issue.record("no 100 Continue")
            return
        }
        #expect(h.status == .continue)
        let up = try s.upstreamParts(0)
        if case .head(let uh) = up.first { #expect(!uh.headers.contains(name: "expect")) }
    }
}

/// The Host rule as a pure function over a parsed head.
@Suite struct RequestHostRuleTests {
    @Test func hostRule() {
        func check(_ headers: [(String, String)], _ version: HTTPVersion = .http1_1) -> HTTP1Error? {
            requestHostError(HTTPHeaders(headers), version: version)
        }
        #expect(check([("host", "reviews.shop:8080")]) == nil)
        #expect(check([("Host", "[::1]:80"), ("x", "y")]) == nil)
        #expect(check([]) == .missingHost)
        #expect(check([], .http1_0) == nil)
        #expect(check([("host", "a"), ("HOST", "a")]) == .duplicateHost)
        #expect(check([("host", "a"), ("host", "b")], .http1_0) == .duplicateHost)
        #expect(check([("host", "u@a")]) == .invalidHost)
        #expect(check([("host", "a:99999999999")]) == .invalidHost)
        #expect(check([("host", "a b")]) == .invalidHost)
    }
}
