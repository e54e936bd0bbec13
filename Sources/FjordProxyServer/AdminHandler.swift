import FjordBasics
import FjordProxy
import NIOCore
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The admin endpoint: `/ready`, `/metrics` (Prometheus text, Istio's metric names), `/tables`
/// (the decision tables as JSON), `/stats` (JSON), `POST /reload`.
///
/// `@unchecked Sendable`: a channel handler, confined to its channel's event loop (its request
/// state is mutable), which the compiler cannot see.
final class AdminHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let server: ProxyServer
    private var head: HTTPRequestHead?

    init(server: ProxyServer) { self.server = server }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h): head = h
        case .body: break
        case .end:
            guard let h = head else { return }
            head = nil
            route(h, context: context)
        }
    }

    private func route(_ h: HTTPRequestHead, context: ChannelHandlerContext) {
        let (path, _) = splitQuery(h.uri)
        switch (h.method, path) {
        case (.GET, "/ready"), (.HEAD, "/ready"):
            if server.isReady {
                respond(context, h, .ok, "ready\n")
            } else {
                respond(context, h, .serviceUnavailable, "not ready\n")
            }
        case (.GET, "/metrics"):
            var text = server.metrics.prometheusText()
            if let m = server.inboundMetrics {
                // The inbound listener's series (reporter="destination"), without repeating HELP/TYPE.
                text +=
                    m.prometheusText().split(separator: "\n").filter {
                        $0.hasPrefix("istio_")
                    }.joined(separator: "\n") + "\n"
            }
            respond(context, h, .ok, text, type: "text/plain; version=0.0.4")
        case (.GET, "/tables"):
            respond(context, h, .ok, server.tables.current.image.dumpJSON(), type: "application/json")
        case (.GET, "/stats"):
            respond(context, h, .ok, server.statsJSON() + "\n", type: "application/json")
        case (.POST, "/reload"):
            let loop = context.eventLoop
            let bound = NIOLoopBound((self, context), eventLoop: loop)
            server.reloadAsync(reason: "admin") { r in
                loop.execute {
                    let (me, ctx) = bound.value
                    let body =
                        "{\"ok\":\(r.ok),\"generation\":\(r.generation),\"message\":\(JSONString.literal(r.message))}\n"
                    me.respond(ctx, h, r.ok ? .ok : .badRequest, body, type: "application/json")
                }
            }
        case (_, "/ready"), (_, "/metrics"), (_, "/tables"), (_, "/stats"), (_, "/reload"):
            respond(context, h, .methodNotAllowed, "method not allowed\n")
        default:
            respond(context, h, .notFound, "endpoints: /ready /metrics /tables /stats, POST /reload\n")
        }
    }

    private func respond(
        _ context: ChannelHandlerContext, _ req: HTTPRequestHead, _ status: HTTPResponseStatus, _ body: String,
        type: String = "text/plain"
    ) {
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: type)
        headers.add(name: "content-length", value: String(body.utf8.count))
        if !req.isKeepAlive { headers.add(name: "connection", value: "close") }
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: req.version, status: status, headers: headers))),
            promise: nil)
        if req.method != .HEAD {
            context.write(
                wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
        }
        let ch = context.channel
        let keep = req.isKeepAlive
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in if !keep { ch.close(promise: nil) } }
    }
}

/// `fjord-proxy wait`: polls the admin endpoint's `/ready` until it answers 200.
public enum ReadinessWait {
    /// True once `/ready` answered 200 before `timeout`.
    public static func wait(admin: HostPort, timeout: TimeAmount, interval: TimeAmount = .milliseconds(50)) -> Bool {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let deadline = NIODeadline.now() + timeout
        while NIODeadline.now() < deadline {
            if (try? probe(admin: admin, group: group, deadline: deadline)) == 200 { return true }
            let left = deadline - NIODeadline.now()
            if left <= .zero { break }
            usleep(UInt32(min(interval, left).nanoseconds / 1000))
        }
        return false
    }

    /// One GET /ready; the status code.
    static func probe(admin: HostPort, group: EventLoopGroup, deadline: NIODeadline) throws -> Int {
        let promise = group.next().makePromise(of: Int.self)
        let left = max(deadline - NIODeadline.now(), .milliseconds(1))
        let channel: Channel
        do {
            channel = try ClientBootstrap(group: group)
                .connectTimeout(min(left, .seconds(2)))
                .channelInitializer { ch in
                    ch.eventLoop.makeCompletedFuture {
                        try ch.pipeline.syncOperations.addHTTPClientHandlers()
                        try ch.pipeline.syncOperations.addHandler(StatusCatcher(promise: promise))
                    }
                }
                .connect(host: admin.host, port: admin.port).wait()
        } catch {
            promise.fail(error)
            throw error
        }
        var headers = HTTPHeaders()
        headers.add(name: "host", value: admin.description)
        headers.add(name: "connection", value: "close")
        channel.write(
            HTTPClientRequestPart.head(
                HTTPRequestHead(version: .http1_1, method: .GET, uri: "/ready", headers: headers)), promise: nil)
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        let timer = channel.eventLoop.scheduleTask(in: min(left, .seconds(2))) {
            promise.fail(ChannelError.connectTimeout(.seconds(2)))
        }
        defer {
            timer.cancel()
            channel.close(promise: nil)
        }
        return try promise.futureResult.wait()
    }

    final class StatusCatcher: ChannelInboundHandler, Sendable {
        typealias InboundIn = HTTPClientResponsePart
        let promise: EventLoopPromise<Int>
        init(promise: EventLoopPromise<Int>) { self.promise = promise }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            if case .head(let h) = unwrapInboundIn(data) { promise.succeed(Int(h.status.code)) }
        }
        func channelInactive(context: ChannelHandlerContext) { promise.fail(ChannelError.eof) }
        func errorCaught(context: ChannelHandlerContext, error: Error) { promise.fail(error) }
    }
}
