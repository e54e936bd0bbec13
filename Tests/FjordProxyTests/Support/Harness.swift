import FjordDecision
import FjordProxy
import FjordProxyServer
import FjordTable
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import _FjordTestSupport

/// Shared threads for test servers and clients (the proxies under test get their own).
let testGroup = MultiThreadedEventLoopGroup.singleton

/// Compiles mesh YAML into a table image through the real compiler.
func compileImage(_ yaml: String) throws -> [UInt8] {
    let (mesh, _) = try MeshLoading.mesh(fromYAML: yaml)
    var compiler = MeshCompiler(mesh: mesh)
    return TableImage.write(compiler.compile())
}

/// A temporary directory removed at deinit.
final class TempDir: Sendable {
    let url: URL
    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("fjord-proxy-test-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let p = path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: p))
        return p
    }
    func write(_ name: String, _ text: String) throws -> String { try write(name, Array(text.utf8)) }
    deinit { try? FileManager.default.removeItem(at: url) }
}

/// A request an upstream received.
struct Received: Sendable {
    var method: String
    var uri: String
    var headers: [(String, String)]
    var body: [UInt8]
    func header(_ n: String) -> String? { headers.first { $0.0.lowercased() == n }?.1 }
}

/// What a test upstream does with a request.
enum UpstreamReply: Sendable {
    case respond(status: Int, body: String, headers: [(String, String)] = [])
    /// Answer after a delay.
    case delayed(TimeAmount, status: Int, body: String)
    /// Send the head and part of the body, then close.
    case closeMidResponse
    /// Close without answering.
    case closeImmediately
}

/// A small HTTP/1.1 server on 127.0.0.1 with a programmable reply; it records what it receives
/// and answers `x-upstream: NAME` so tests see who served a request.
final class TestUpstream: Sendable {
    let name: String
    let channel: Channel
    let received = NIOLockedValueBox<[Received]>([])
    let connections = NIOLockedValueBox(0)
    /// Signalled after each request is recorded.
    let changes = Changes()
    private let behaviour: NIOLockedValueBox<@Sendable (Received, Int) -> UpstreamReply>

    var port: Int { channel.localAddress!.port! }
    var count: Int { received.withLockedValue { $0.count } }

    init(
        _ name: String,
        behaviour: @escaping @Sendable (Received, Int) -> UpstreamReply = { _, _ in .respond(status: 200, body: "") }
    ) throws {
        self.name = name
        let b = NIOLockedValueBox<@Sendable (Received, Int) -> UpstreamReply>(behaviour)
        self.behaviour = b
        let rec = received
        let conns = connections
        let changes = changes
        channel = try ServerBootstrap(group: testGroup)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { ch in
                conns.withLockedValue { $0 += 1 }
                return ch.eventLoop.makeCompletedFuture {
                    try ch.pipeline.syncOperations.configureHTTPServerPipeline()
                    try ch.pipeline.syncOperations.addHandler(
                        UpstreamHandler(name: name, received: rec, changes: changes, behaviour: b))
                }
            }
            .bind(host: "127.0.0.1", port: 0).wait()
    }

    func setBehaviour(_ f: @escaping @Sendable (Received, Int) -> UpstreamReply) {
        behaviour.withLockedValue { $0 = f }
    }

    func stop() { try? channel.close().wait() }

    /// Waits until the upstream has received `n` requests (or `timeout` seconds pass).
    @discardableResult
    func waitForRequests(_ n: Int, timeout: TimeInterval = 5) -> Bool {
        changes.wait(timeout: timeout) { count >= n }
    }

    /// Waits until a received request satisfies `p` (or `timeout` seconds pass).
    @discardableResult
    func waitForRequest(timeout: TimeInterval = 5, where p: @escaping (Received) -> Bool) -> Bool {
        changes.wait(timeout: timeout) { received.withLockedValue { $0.contains(where: p) } }
    }

    /// `@unchecked Sendable`: a channel handler with per-request state, confined to its
    /// channel's event loop, which the compiler cannot see.
    final class UpstreamHandler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let name: String
        let received: NIOLockedValueBox<[Received]>
        let changes: Changes
        let behaviour: NIOLockedValueBox<@Sendable (Received, Int) -> UpstreamReply>
        var head: HTTPRequestHead?
        var body: [UInt8] = []

        init(
            name: String, received: NIOLockedValueBox<[Received]>, changes: Changes,
            behaviour: NIOLockedValueBox<@Sendable (Received, Int) -> UpstreamReply>
        ) {
            self.name = name
            self.received = received
            self.changes = changes
            self.behaviour = behaviour
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let h):
                head = h
                body = []
            case .body(var b):
                body += b.readBytes(length: b.readableBytes) ?? []
            case .end:
                guard let h = head else { return }
                let r = Received(
                    method: h.method.rawValue, uri: h.uri, headers: h.headers.map { ($0.name, $0.value) }, body: body)
                let n = received.withLockedValue {
                    $0.append(r); return $0.count
                }
                changes.changed()
                let reply = behaviour.withLockedValue { $0 }(r, n)
                respond(context, h, reply)
            }
        }

        func respond(_ context: ChannelHandlerContext, _ h: HTTPRequestHead, _ reply: UpstreamReply) {
            switch reply {
            case .respond(let status, let body, let extra):
                send(context, h, status, body, extra)
            case .delayed(let t, let status, let body):
                let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                context.eventLoop.scheduleTask(in: t) {
                    let (me, c) = bound.value
                    if c.channel.isActive { me.send(c, h, status, body, []) }
                }
            case .closeMidResponse:
                var headers = HTTPHeaders()
                headers.add(name: "content-length", value: "1000")
                headers.add(name: "x-upstream", value: name)
                context.write(
                    wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))),
                    promise: nil)
                context.writeAndFlush(
                    wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: "partial")))),
                    promise: nil)
                context.close(promise: nil)
            case .closeImmediately:
                context.close(promise: nil)
            }
        }

        func send(
            _ context: ChannelHandlerContext, _ h: HTTPRequestHead, _ status: Int, _ body: String,
            _ extra: [(String, String)]
        ) {
            var headers = HTTPHeaders()
            headers.add(name: "content-length", value: String(body.utf8.count))
            headers.add(name: "x-upstream", value: name)
            for (k, v) in extra { headers.add(name: k, value: v) }
            context.write(
                wrapOutboundOut(
                    .head(
                        HTTPResponseHead(
                            version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: headers))),
                promise: nil)
            if !body.isEmpty {
                context.write(
                    wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
            }
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}

/// A response as a client saw it.
struct ClientResponse: Sendable {
    var status: Int
    var headers: [(String, String)]
    var body: String
    func header(_ n: String) -> String? { headers.first { $0.0.lowercased() == n }?.1 }
    var upstream: String? { header("x-upstream") }
}

struct ClientError: Error, CustomStringConvertible {
    var description: String
}

/// A keep-alive HTTP/1.1 client: one request at a time on one connection.
final class TestClient: Sendable {
    let channel: Channel
    private let handler: Collector

    init(port: Int) throws {
        let h = Collector()
        handler = h
        channel = try ClientBootstrap(group: testGroup)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { ch in
                ch.eventLoop.makeCompletedFuture {
                    try ch.pipeline.syncOperations.addHTTPClientHandlers()
                    try ch.pipeline.syncOperations.addHandler(h)
                }
            }
            .connect(host: "127.0.0.1", port: port).wait()
    }

    /// Sends a request and waits for its response (at most `timeout`).
    func send(
        _ method: HTTPMethod = .GET, _ uri: String, host: String, headers: [(String, String)] = [], body: String? = nil,
        timeout: TimeAmount = .seconds(10)
    ) throws -> ClientResponse {
        let promise = channel.eventLoop.makePromise(of: ClientResponse.self)
        var hs = HTTPHeaders()
        hs.add(name: "host", value: host)
        for (k, v) in headers { hs.add(name: k, value: v) }
        if let body { hs.add(name: "content-length", value: String(body.utf8.count)) }
        let head = HTTPRequestHead(version: .http1_1, method: method, uri: uri, headers: hs)
        let ch = channel
        let h = handler
        channel.eventLoop.execute {
            h.pending = promise
            ch.write(HTTPClientRequestPart.head(head), promise: nil)
            if let body { ch.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(string: body))), promise: nil) }
            ch.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        }
        let timer = channel.eventLoop.scheduleTask(in: timeout) {
            promise.fail(ClientError(description: "timed out after \(timeout)"))
        }
        defer { timer.cancel() }
        return try promise.futureResult.wait()
    }

    func close() { try? channel.close().wait() }

    /// `@unchecked Sendable`: a channel handler (the pending response), confined to its
    /// channel's event loop, which the compiler cannot see.
    final class Collector: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPClientResponsePart
        var pending: EventLoopPromise<ClientResponse>?
        var head: HTTPResponseHead?
        var body = ""
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let h):
                head = h
                body = ""
            case .body(let b):
                body += String(buffer: b)
            case .end:
                if let h = head {
                    pending?.succeed(
                        ClientResponse(
                            status: Int(h.status.code), headers: h.headers.map { ($0.name, $0.value) }, body: body))
                    pending = nil
                }
            }
        }
        func channelInactive(context: ChannelHandlerContext) {
            pending?.fail(ClientError(description: "connection closed"))
            pending = nil
        }
        func errorCaught(context: ChannelHandlerContext, error: Error) {
            pending?.fail(error)
            pending = nil
            context.close(promise: nil)
        }
    }
}

/// A blocking raw TCP client for malformed traffic: sends bytes, reads what comes back until
/// the peer closes or `timeout` passes.
enum RawClient {
    static func exchange(port: Int, _ chunks: [[UInt8]], pause: TimeInterval = 0, timeout: TimeInterval = 3) -> (
        text: String, closed: Bool
    ) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc == 0 else { return ("connect failed", true) }
        var tv = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var out: [UInt8] = []
        var closed = false
        func drain() {
            var buf = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = recv(fd, &buf, buf.count, 0)
                if n > 0 { out += buf[0..<n]; continue }
                if n == 0 { closed = true }
                break
            }
        }
        for c in chunks {
            _ = c.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if pause > 0 {
                // Pace the bytes, but wake as soon as the proxy answers or closes.
                var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                _ = poll(&p, 1, Int32(pause * 1000))
            }
            drain()
            if closed { break }
        }
        let deadline = Date().addingTimeInterval(timeout)
        while !closed && Date() < deadline {
            drain()
            if !out.isEmpty && !closed {
                // Wait a moment longer for a close after a complete answer.
                if Date().addingTimeInterval(0.3) > deadline { break }
            }
        }
        return (String(decoding: out, as: UTF8.self), closed)
    }
}

/// A proxy under test with its table, endpoints and upstreams.
final class ProxyHarness: Sendable {
    let dir = TempDir()
    let server: ProxyServer
    let tablesPath: String
    let endpointsPath: String

    init(
        yaml: String, workload: String = "shop/client", endpoints: String,
        configure: (inout ProxyOptions) -> Void = { _ in }
    ) throws {
        tablesPath = try dir.write("mesh.fjt", try compileImage(yaml))
        endpointsPath = try dir.write("endpoints.yaml", endpoints)
        var o = ProxyOptions(tablesPath: tablesPath, scopeName: workload)
        o.outbound = HostPort(host: "127.0.0.1", port: 0)
        o.admin = HostPort(host: "127.0.0.1", port: 0)
        o.endpointsPath = endpointsPath
        o.accessLog = false
        o.threads = 2
        o.pollInterval = nil
        o.handleSIGHUP = false
        configure(&o)
        server = try ProxyServer(options: o)
        try server.start()
    }

    var port: Int { server.outboundAddress!.port! }
    var adminPort: Int { server.adminAddress!.port! }

    func client() throws -> TestClient { try TestClient(port: port) }

    func stop() { server.shutdown() }
}

/// Endpoints-file text for services backed by test upstreams.
func endpointsYAML(
    _ services: [(host: String, port: Int, upstreams: [(TestUpstream, [String: String])])], locality: String? = nil
) -> String {
    var y = locality.map { "locality: \($0)\n" } ?? ""
    y += "services:\n"
    for s in services {
        y += "- host: \(s.host)\n  port: \(s.port)\n  endpoints:\n"
        for (u, labels) in s.upstreams {
            y += "  - address: 127.0.0.1:\(u.port)\n"
            if !labels.isEmpty {
                y +=
                    "    labels: {"
                    + labels.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}\n"
            }
        }
    }
    return y
}
