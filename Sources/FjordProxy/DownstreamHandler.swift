import FjordHTTP1
import FjordTable
import NIOCore
import NIOHTTP1

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Which listener a connection arrived on.
public enum ListenerRole: Sendable {
    /// The application's outbound traffic: routed by the table's sidecar scope.
    case outbound
    /// Traffic for the application: forwarded to it.
    case inbound
    /// A gateway: routed by the table's gateway scope.
    case gateway
}

/// Everything a connection's handler shares with the rest of the proxy.
public final class ProxyContext: @unchecked Sendable {
    public let role: ListenerRole
    public let tables: TableStore
    public let registry: ClusterRegistry
    public let connector: UpstreamConnector
    public let metrics: ProxyMetrics
    public let accessLog: AccessLogSink?
    /// The port requests without an explicit one in their authority are routed on.
    public let defaultPort: Int
    /// The application (inbound listeners).
    public let inboundCluster: Cluster?
    public var retryBufferLimit = 64 * 1024
    public var mirrorBufferLimit = 64 * 1024

    public init(
        role: ListenerRole, tables: TableStore, registry: ClusterRegistry, connector: UpstreamConnector,
        metrics: ProxyMetrics,
        accessLog: AccessLogSink?, defaultPort: Int = 80, inboundCluster: Cluster? = nil
    ) {
        self.role = role
        self.tables = tables
        self.registry = registry
        self.connector = connector
        self.metrics = metrics
        self.accessLog = accessLog
        self.defaultPort = defaultPort
        self.inboundCluster = inboundCluster
    }
}

/// One client connection: decides each request with the table, runs its exchange with an
/// upstream (attempts, retries, timeouts, mirrors) and streams both bodies, holding reads on
/// either side while the other cannot take more. The logic lives in `ExchangeStateMachine` and
/// `LoadedTable.decide`; this class executes their actions on the channel.
public final class DownstreamHandler: ChannelDuplexHandler, UpstreamResponseSink, @unchecked Sendable {
    public typealias InboundIn = HTTPServerRequestPart
    public typealias OutboundIn = HTTPServerResponsePart
    public typealias OutboundOut = HTTPServerResponsePart

    let ctx: ProxyContext
    private var context: ChannelHandlerContext?
    private var random: SplitMixRandom
    private var sourceIP: String?
    private var metricsShard: AnyObject?
    private var headTimeout: HeadTimeoutHandler?

    // MARK: Per-request state (reset between requests, no allocation for the common case)

    private var inRequest = false
    private var head: HTTPRequestHead?
    private var table: LoadedTable?
    private var decision: Decision?
    private var machine: ExchangeStateMachine?
    private var keepAlive = true
    private var expectContinue = false
    private var sentContinue = false
    private var requestDone = false
    private var responseDone = false
    private var responseHeadSent = false
    private var closeAfterResponse = false
    private var upstream: UpstreamConnection?
    private var endpoint: UpstreamEndpoint?
    private var lastEndpoint: UpstreamEndpoint?
    private var pending: [ByteBuffer] = []
    private var routeTimer: Scheduled<Void>?
    private var tryTimer: Scheduled<Void>?
    private var waitTimer: Scheduled<Void>?
    private var attemptToken = 0
    private var start = NIODeadline.uptimeNanoseconds(0)
    private var startWall: Int64 = 0
    private var bytesIn = 0
    private var bytesOut = 0
    private var status = 0
    private var flag = ResponseFlag.none
    private var mirrors: [MirrorExchange] = []
    private var pendingRead = false
    /// Pipelined request parts received while a response is pending.
    private var queued = CircularBuffer<HTTPServerRequestPart>()
    private var draining = false
    /// Past this many queued parts, reading stops until the queue drains.
    static let maxQueued = 64

    public init(context ctx: ProxyContext, headTimeout: HeadTimeoutHandler? = nil, seed: UInt64? = nil) {
        self.ctx = ctx
        self.headTimeout = headTimeout
        self.random = SplitMixRandom(seed: seed ?? UInt64.random(in: 0...UInt64.max))
    }

    public func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        sourceIP = context.channel.remoteAddress?.ipAddress
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        headTimeout = nil
        if let c = upstream {
            upstream = nil
            c.sink = nil
            ctx.connector.release(c, reuse: false)
        }
    }

    // MARK: Inbound: the client's request

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        // Pipelined requests wait until the current response is complete (in order). This
        // replaces NIO's pipelining handler, which stops and restarts reading around every
        // request: two epoll_ctl calls per request on a keep-alive connection.
        if (inRequest && requestDone) || !queued.isEmpty {
            queued.append(part)
            return
        }
        dispatch(part)
    }

    private func dispatch(_ part: HTTPServerRequestPart) {
        switch part {
        case .head(let h): onHead(h)
        case .body(let b): onBody(b)
        case .end: onEnd()
        }
    }

    /// Runs queued pipelined parts while no response is pending.
    private func drainQueue() {
        guard !draining else { return }
        draining = true
        defer { draining = false }
        while !queued.isEmpty, !(inRequest && requestDone), context != nil {
            dispatch(queued.removeFirst())
        }
        resumeReads()
    }

    public func channelReadComplete(context: ChannelHandlerContext) {
        upstream?.flush()
        for m in mirrors { m.flush() }
        context.fireChannelReadComplete()
    }

    public func channelInactive(context: ChannelHandlerContext) {
        if inRequest {
            if !responseDone { flag = .downstreamTermination }
            machine?.finish()
            abandonUpstream(outcome: nil)
            for m in mirrors { m.requestAborted() }
            finishRequest(closing: true)
        }
        context.fireChannelInactive()
    }

    /// A parse error (malformed request, oversized head, conflicting framing) answers 400 unless a
    /// response is under way, then closes: the role of NIO's HTTPServerProtocolErrorHandler,
    /// done here to save a handler on every message of every request.
    public func errorCaught(context: ChannelHandlerContext, error: Error) {
        if error is HTTPParserError {
            let unterminated = inRequest && responseHeadSent && !responseDone
            if inRequest {
                machine?.finish()
                abandonUpstream(outcome: nil)
                for m in mirrors { m.requestAborted() }
                if !responseHeadSent {
                    status = 400
                    responseDone = true
                }
                finishRequest(closing: true)
            }
            if !unterminated {
                let head = HTTPResponseHead(
                    version: .http1_1, status: .badRequest, headers: ["connection": "close", "content-length": "0"])
                context.write(wrapOutboundOut(.head(head)), promise: nil)
                let ch = context.channel
                context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in ch.close(promise: nil) }
                return
            }
        }
        context.close(promise: nil)
    }

    public func channelWritabilityChanged(context: ChannelHandlerContext) {
        upstream?.holdReads(!context.channel.isWritable)
        context.fireChannelWritabilityChanged()
    }

    public func read(context: ChannelHandlerContext) {
        if shouldHoldReads {
            pendingRead = true
        } else {
            context.read()
        }
    }

    private var shouldHoldReads: Bool {
        if queued.count >= DownstreamHandler.maxQueued { return true }
        guard inRequest, machine != nil, !requestDone else { return false }
        if let u = upstream { return !u.isWritable }
        return !pending.isEmpty
    }

    private func resumeReads() {
        if pendingRead, !shouldHoldReads, let c = context {
            pendingRead = false
            c.read()
        }
    }

    private func onHead(_ h: HTTPRequestHead) {
        headTimeout?.headReceived()
        inRequest = true
        head = h
        requestDone = false
        responseDone = false
        responseHeadSent = false
        closeAfterResponse = false
        sentContinue = false
        bytesIn = 0
        bytesOut = 0
        status = 0
        flag = .none
        attemptToken &+= 1
        start = .now()
        if ctx.accessLog != nil { startWall = wallClockMicros() }
        keepAlive = h.isKeepAlive
        expectContinue = false
        if let e = HeadRequest.firstHeader(h.headers, "expect") {
            expectContinue = asciiEqualLowercase(e, "100-continue")
        }
        if requestHostError(h.headers, version: h.version) != nil {
            // RFC 9112 section 3.2: 400 for a missing (HTTP/1.1), repeated or invalid Host,
            // before any routing, and a close (the rest of the connection cannot be trusted).
            decision = nil
            machine = nil
            closeAfterResponse = true
            sendLocal(status: 400, flag: .none, body: nil, location: nil)
            return
        }
        let t = ctx.tables.current
        table = t
        let req = HeadRequest(head: h)
        var d: Decision
        if ctx.role == .inbound, let app = ctx.inboundCluster {
            d = Decision(
                kind: .forward, outcome: .matched, action: ctx.registry.passthroughAction, cluster: app, path: h.uri,
                authority: nil,
                destinationService: app.key.host)
        } else {
            d = t.decide(
                req, port: routingPort(authority: req.authority, defaultPort: ctx.defaultPort), registry: ctx.registry,
                random: &random, sourceIP: sourceIP)
        }
        if d.kind == .forward, let c = d.cluster, c.policy.undefinedSubset {
            d = Decision.respond(
                503, d.outcome, flag: .clusterNotFound, path: d.path, service: d.destinationService, action: d.action)
        }
        decision = d
        if d.kind == .respond {
            machine = nil
            if let delay = d.delay {
                waitTimer = scheduleTask(delay) { $0.sendDecidedLocalResponse() }
            } else {
                sendDecidedLocalResponse()
            }
            return
        }
        let action = d.action!
        machine = ExchangeStateMachine(
            retry: action.retry, delayed: d.delay != nil, retryBufferLimit: ctx.retryBufferLimit)
        if d.delay != nil { flag = .faultDelay }
        for (cluster, pct) in action.mirrors where pct >= 100 || Double(random.next() % 1_000_000) < pct * 10_000 {
            let m = MirrorExchange(
                context: ctx, cluster: cluster, head: upstreamHead(mirror: true), limit: ctx.mirrorBufferLimit)
            mirrors.append(m)
            if let loop = context?.eventLoop { m.start(on: loop, random: random.next()) }
        }
        if let delay = d.delay {
            waitTimer = scheduleTask(delay) { me in
                me.waitTimer = nil
                if me.machine?.delayElapsed() == true {
                    me.sendContinueIfNeeded()
                    me.startAttempt()
                }
            }
        } else {
            sendContinueIfNeeded()
            startAttempt()
        }
    }

    private func onBody(_ b: ByteBuffer) {
        guard inRequest else { return }
        bytesIn += b.readableBytes
        for m in mirrors { m.body(b) }
        guard machine != nil else { return }
        switch machine!.requestBody(b) {
        case .forward:
            upstream?.write(.body(.byteBuffer(b)))
        case .hold:
            pending.append(b)
        case .drop:
            break
        }
    }

    private func onEnd() {
        guard inRequest else { return }
        requestDone = true
        for m in mirrors { m.end() }
        if machine != nil {
            switch machine!.requestEnd() {
            case .forwardEnd:
                upstream?.write(.end(nil))
                upstream?.flush()
                startRouteTimer()
            case .startTimeout:
                startRouteTimer()
            case .none:
                break
            }
        }
        if responseDone {
            finishRequest(closing: closeAfterResponse || !keepAlive)
            if keepAlive && !closeAfterResponse { drainQueue() }
        }
    }

    private func sendContinueIfNeeded() {
        guard expectContinue, !sentContinue, !requestDone, let c = context else { return }
        sentContinue = true
        c.writeAndFlush(
            wrapOutboundOut(.head(HTTPResponseHead(version: head?.version ?? .http1_1, status: .continue))),
            promise: nil)
    }

    private func startRouteTimer() {
        guard routeTimer == nil, let t = decision?.action?.timeout, machine != nil else { return }
        routeTimer = scheduleTask(t) { me in
            me.routeTimer = nil
            guard me.inRequest, me.machine != nil else { return }
            me.handleFailure(me.machine!.routeTimeout(), outcome: .gatewayFailure)
        }
    }

    // MARK: Attempts

    private func startAttempt() {
        guard let d = decision, let cluster = d.cluster, let loop = context?.eventLoop, machine != nil else { return }
        attemptToken &+= 1
        let token = attemptToken
        guard let ep = cluster.pick(hashValue: d.hash, now: .now()) else {
            handleFailure(machine!.connectFailed(overflow: false, noHealthy: true, random: random.next()), outcome: nil)
            return
        }
        endpoint = ep
        lastEndpoint = ep
        if let per = machine!.retry.perTryTimeout {
            tryTimer = scheduleTask(per) { me in
                me.tryTimer = nil
                guard token == me.attemptToken, me.machine != nil else { return }
                me.handleFailure(me.machine!.perTryTimeout(random: me.random.next()), outcome: .gatewayFailure)
            }
        }
        if let c = ctx.connector.idleConnection(to: ep, cluster: cluster, on: loop) {
            attached(c)
            return
        }
        ctx.connector.connect(to: ep, cluster: cluster, on: loop).whenComplete { [self] result in
            switch result {
            case .success(let c):
                if token == attemptToken, inRequest {
                    attached(c)
                } else {
                    ctx.connector.release(c, reuse: true)
                }
            case .failure(let e):
                guard token == attemptToken, inRequest, machine != nil else { return }
                let overflow = (e as? UpstreamConnectError)?.isOverflow ?? false
                handleFailure(
                    machine!.connectFailed(overflow: overflow, random: random.next()),
                    outcome: overflow ? nil : .gatewayFailure)
            }
        }
    }

    private func attached(_ c: UpstreamConnection) {
        guard machine != nil else {
            ctx.connector.release(c, reuse: true)
            return
        }
        switch machine!.connected() {
        case .release:
            ctx.connector.release(c, reuse: true)
        case .send(let replay, let end):
            upstream = c
            c.sink = self
            c.requests += 1
            c.write(.head(upstreamHead(mirror: false)))
            let parts = replay ? machine!.kept : pending
            pending.removeAll(keepingCapacity: true)
            for p in parts { c.write(.body(.byteBuffer(p))) }
            if end { c.write(.end(nil)) }
            c.flush()
            if let dc = context { c.holdReads(!dc.channel.isWritable) }
            resumeReads()
        }
    }

    /// The request head as sent upstream: hop-by-hop headers removed, path and authority
    /// rewritten, the route's request header operations applied. Unchanged requests reuse the
    /// client's head as it is.
    private func upstreamHead(mirror: Bool) -> HTTPRequestHead {
        var h = head!
        let d = decision!
        let hasOps = d.action?.hasRequestHeaders(destination: d.destinationIndex) ?? false
        let needsWork =
            mirror || d.path != h.uri || d.authority != nil || hasOps || h.version != .http1_1
            || hasHopByHop(h.headers)
        guard needsWork else { return h }
        h.version = .http1_1
        h.uri = d.path
        stripHopByHop(&h.headers, request: true)
        if let a = d.authority { h.headers.replaceOrAdd(name: "host", value: a) }
        if hasOps { d.action?.applyRequestHeaders(destination: d.destinationIndex, to: &h.headers) }
        if mirror {
            let host = HeadRequest.firstHeader(h.headers, "host") ?? ""
            let (hn, p) = splitHostPortOptional(host)
            h.headers.replaceOrAdd(name: "host", value: hn + "-shadow" + (p.map { ":\($0)" } ?? ""))
        }
        return h
    }

    // MARK: Upstream events

    public func upstreamHead(_ h: HTTPResponseHead, from c: UpstreamConnection) {
        guard c === upstream, machine != nil else { return }
        switch machine!.responseHead(status: Int(h.status.code), random: random.next()) {
        case .forward:
            tryTimer?.cancel()
            tryTimer = nil
            status = Int(h.status.code)
            var r = h
            let version = head?.version ?? .http1_1
            if r.version != version { r.version = version }
            let index = decision?.destinationIndex ?? -1
            let hasOps = decision?.action?.hasResponseHeaders(destination: index) ?? false
            // `connection: keep-alive` may pass as it is to a keep-alive HTTP/1.1 client (true
            // for this hop too); anything else hop-by-hop is removed.
            let mask = hopByHopMask(r.headers)
            if (mask != 0 && !(mask == 1 && keepAlive && connectionIsKeepAlive(r.headers))) || hasOps || !keepAlive
                || r.version != .http1_1
            {
                stripHopByHop(&r.headers, request: false)
                if hasOps { decision?.action?.applyResponseHeaders(destination: index, to: &r.headers) }
                if !keepAlive {
                    r.headers.replaceOrAdd(name: "connection", value: "close")
                } else if r.version == .http1_0 {
                    r.headers.replaceOrAdd(name: "connection", value: "keep-alive")
                }
            }
            responseHeadSent = true
            context?.write(wrapOutboundOut(.head(r)), promise: nil)
        case .retry(let wait):
            reportEndpoint(.status(Int(h.status.code)))
            abandonUpstream(outcome: nil)
            scheduleBackoff(wait)
        case .ignore:
            break
        }
    }

    public func upstreamBody(_ part: ByteBuffer, from c: UpstreamConnection) {
        guard c === upstream, machine?.responseBodyForwarded() == true, let dc = context else { return }
        bytesOut += part.readableBytes
        dc.write(wrapOutboundOut(.body(.byteBuffer(part))), promise: nil)
        if !dc.channel.isWritable { c.holdReads(true) }
    }

    public func upstreamEnd(from c: UpstreamConnection) {
        guard c === upstream, machine != nil else { return }
        switch machine!.responseEnd(keepAlive: c.responseKeepAlive) {
        case .complete(let reuse):
            upstream = nil
            c.sink = nil
            reportEndpoint(.status(status))
            let limit = c.cluster.policy.maxRequestsPerConnection
            ctx.connector.release(c, reuse: reuse && (limit.map { c.requests < $0 } ?? true))
            cancelTimers()
            writeResponseEnd()
        case .ignore:
            break
        }
    }

    public func upstreamReadComplete(from c: UpstreamConnection) {
        if c === upstream || upstream == nil { context?.flush() }
    }

    public func upstreamClosed(_ c: UpstreamConnection) {
        guard c === upstream, machine != nil else { return }
        upstream = nil
        handleFailure(machine!.upstreamFailed(random: random.next()), outcome: .gatewayFailure)
    }

    public func upstreamWritabilityChanged(_ c: UpstreamConnection) {
        guard c === upstream else { return }
        resumeReads()
    }

    // MARK: Failures, retries, local responses

    private func handleFailure(_ a: ExchangeStateMachine.FailureAction, outcome: UpstreamOutcome?) {
        switch a {
        case .retry(let wait):
            abandonUpstream(outcome: outcome)
            scheduleBackoff(wait)
        case .respond(let s, let f):
            abandonUpstream(outcome: outcome)
            sendLocal(status: s, flag: f, body: localBody(s, f), location: nil)
        case .abortDownstream:
            abandonUpstream(outcome: outcome)
            if flag == .none { flag = .upstreamTermination }
            context?.close(promise: nil)
        case .ignore:
            break
        }
    }

    private func localBody(_ status: Int, _ f: ResponseFlag) -> String {
        switch f {
        case .upstreamTimeout: return "upstream request timeout"
        case .noHealthyUpstream: return "no healthy upstream"
        case .upstreamOverflow:
            return "upstream connect error or disconnect/reset before headers. reset reason: overflow"
        case .upstreamConnectFailure, .retryLimitExceeded:
            return "upstream connect error or disconnect/reset before headers. reset reason: connection failure"
        case .upstreamTermination:
            return "upstream connect error or disconnect/reset before headers. reset reason: connection termination"
        case .clusterNotFound: return "cluster not found"
        default: return ""
        }
    }

    private func scheduleBackoff(_ wait: TimeAmount) {
        waitTimer = scheduleTask(wait) { me in
            me.waitTimer = nil
            if me.machine?.backoffElapsed() == true { me.startAttempt() }
        }
    }

    private func reportEndpoint(_ o: UpstreamOutcome?) {
        guard let ep = endpoint, let cluster = decision?.cluster else { return }
        endpoint = nil
        cluster.finished(ep, outcome: o, now: .now())
    }

    /// Gives up the current attempt's connection (closing it: it may still carry a response).
    private func abandonUpstream(outcome: UpstreamOutcome?) {
        tryTimer?.cancel()
        tryTimer = nil
        reportEndpoint(outcome)
        if let c = upstream {
            upstream = nil
            c.sink = nil
            ctx.connector.release(c, reuse: false)
        }
        attemptToken &+= 1
    }

    private func sendDecidedLocalResponse() {
        waitTimer = nil
        guard let d = decision else { return }
        sendLocal(status: d.status, flag: d.flag, body: d.body, location: d.location)
    }

    private func sendLocal(status s: Int, flag f: ResponseFlag, body: String?, location: String?) {
        guard inRequest, let c = context else { return }
        machine?.finish()
        cancelTimers()
        if responseHeadSent {
            c.close(promise: nil)
            return
        }
        status = s
        if flag == .none || f != .none { flag = f }
        var headers = HTTPHeaders()
        let bodyBytes = body.map { $0.utf8.count } ?? 0
        headers.add(name: "content-length", value: String(bodyBytes))
        if bodyBytes > 0 { headers.add(name: "content-type", value: "text/plain") }
        if let l = location { headers.add(name: "location", value: l) }
        decision?.action?.applyResponseHeaders(destination: decision?.destinationIndex ?? -1, to: &headers)
        if expectContinue && !sentContinue && !requestDone { closeAfterResponse = true }
        if !keepAlive || closeAfterResponse { headers.replaceOrAdd(name: "connection", value: "close") }
        responseHeadSent = true
        c.write(
            wrapOutboundOut(
                .head(
                    HTTPResponseHead(
                        version: head?.version ?? .http1_1, status: HTTPResponseStatus(statusCode: s),
                        headers: headers))), promise: nil)
        if let body, bodyBytes > 0 {
            var b = c.channel.allocator.buffer(capacity: bodyBytes)
            b.writeString(body)
            bytesOut += bodyBytes
            c.write(wrapOutboundOut(.body(.byteBuffer(b))), promise: nil)
        }
        writeResponseEnd()
    }

    private func writeResponseEnd() {
        guard let c = context else { return }
        responseDone = true
        let closing = closeAfterResponse || !keepAlive
        // Finish first, then write the end, then take the next pipelined request.
        if requestDone || closing { finishRequest(closing: closing) }
        if closing {
            let ch = c.channel
            c.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in ch.close(promise: nil) }
        } else {
            c.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            if !inRequest { drainQueue() }
        }
    }

    private func finishRequest(closing: Bool) {
        guard inRequest else { return }
        inRequest = false
        cancelTimers()
        let d = decision
        let durationNs = NIODeadline.now().uptimeNanoseconds - start.uptimeNanoseconds
        let code = responseDone ? status : 0
        if let loop = context?.eventLoop {
            ctx.metrics.record(
                on: loop, clusterID: d?.cluster?.id ?? -1, service: d?.destinationService ?? "unknown",
                subset: d?.cluster?.key.subset, code: code, flag: flag,
                durationMs: Double(durationNs) / 1e6, shard: &metricsShard)
        }
        if let log = ctx.accessLog, let h = head {
            log.log(
                AccessLogEntry(
                    startTime: formatTime(startWall), method: h.method.rawValue, path: h.uri,
                    authority: HeadRequest.firstHeader(h.headers, "host") ?? "",
                    protocolName: h.version == .http1_0 ? "HTTP/1.0" : "HTTP/1.1", responseCode: code,
                    responseFlags: flag, bytesReceived: bytesIn,
                    bytesSent: bytesOut, durationMs: Int(durationNs / 1_000_000),
                    upstreamHost: lastEndpoint?.spec.hostPort, upstreamCluster: d?.cluster?.key.description,
                    routeName: d?.action?.routeName,
                    userAgent: HeadRequest.firstHeader(h.headers, "user-agent"),
                    requestID: HeadRequest.firstHeader(h.headers, "x-request-id"),
                    attempts: machine?.attempt ?? 0))
        }
        head = nil
        table = nil
        decision = nil
        machine = nil
        lastEndpoint = nil
        pending.removeAll(keepingCapacity: true)
        if !mirrors.isEmpty { mirrors.removeAll() }
        if !closing { headTimeout?.requestFinished() }
        resumeReads()
    }

    private func cancelTimers() {
        routeTimer?.cancel()
        routeTimer = nil
        tryTimer?.cancel()
        tryTimer = nil
        waitTimer?.cancel()
        waitTimer = nil
    }

    private func scheduleTask(_ t: TimeAmount, _ body: @escaping @Sendable (DownstreamHandler) -> Void) -> Scheduled<
        Void
    >? {
        guard let loop = context?.eventLoop else { return nil }
        return loop.scheduleTask(in: t) { [self] in body(self) }
    }
}

// MARK: Host

/// RFC 9112 section 3.2 on a parsed head: an HTTP/1.1 request has exactly one `Host`, an
/// HTTP/1.0 one at most one, and a `Host` is `uri-host [":" port]` (no userinfo, a port of at most
/// 65535). nil when the head passes, else why not. A scan without allocating.
public func requestHostError(_ headers: HTTPHeaders, version: HTTPVersion) -> HTTP1Error? {
    var count = 0
    var valid = true
    var i = headers.startIndex
    while i < headers.endIndex {
        let f = headers[i]
        if f.name.utf8.count == 4, asciiEqualLowercase(f.name, "host") {
            count += 1
            if count == 1 {
                var v = f.value
                valid = v.withUTF8 { validHost(UnsafeRawBufferPointer($0)) }
            }
        }
        i = headers.index(after: i)
    }
    if count > 1 { return .duplicateHost }
    if count == 0 { return version.major == 1 && version.minor >= 1 ? .missingHost : nil }
    return valid ? nil : .invalidHost
}

// MARK: Hop-by-hop headers

@usableFromInline
let hopByHop: [String] = [
    "connection", "keep-alive", "proxy-connection", "te", "upgrade", "expect", "transfer-encoding", "trailer",
]

/// Whether any hop-by-hop header is present (a scan without allocating).
func hasHopByHop(_ headers: HTTPHeaders) -> Bool { hopByHopMask(headers) != 0 }

/// Bit i: `hopByHop[i]` is present (`transfer-encoding` only when it is not plain `chunked`).
/// Bit 31: the `Connection` header names other headers to drop.
func hopByHopMask(_ headers: HTTPHeaders) -> UInt32 {
    var mask: UInt32 = 0
    var i = headers.startIndex
    while i < headers.endIndex {
        let n = headers[i].name
        let c = n.utf8.count
        if c == 2 || c == 6 || c == 7 || c == 10 || c == 16 || c == 17 {
            var k = 0
            while k < hopByHop.count {
                if asciiEqualLowercase(n, hopByHop[k]) {
                    let v = headers[i].value
                    if k == 6, asciiEqualLowercase(v, "chunked") { break }
                    mask |= 1 << UInt32(k)
                    if k == 0, !asciiEqualLowercase(v, "keep-alive"), !asciiEqualLowercase(v, "close") {
                        mask |= 1 << 31
                    }
                    break
                }
                k += 1
            }
        }
        i = headers.index(after: i)
    }
    return mask
}

/// The `Connection` header is exactly `keep-alive`.
func connectionIsKeepAlive(_ headers: HTTPHeaders) -> Bool {
    guard let v = HeadRequest.firstHeader(headers, "connection") else { return false }
    return asciiEqualLowercase(v, "keep-alive")
}

/// Removes hop-by-hop headers and those the `Connection` header names; a transfer coding other
/// than plain `chunked` becomes `chunked` (the message is re-framed).
func stripHopByHop(_ headers: inout HTTPHeaders, request: Bool) {
    let mask = hopByHopMask(headers)
    guard mask != 0 else { return }
    var named: [String] = []
    if mask & (1 << 31) != 0 {
        for v in headers["connection"] {
            for t in v.split(separator: ",") {
                let n = t.trimmingCharacters(in: " ").lowercased()
                if n != "close" && n != "keep-alive" && !n.isEmpty { named.append(n) }
            }
        }
    }
    let reframe = mask & (1 << 6) != 0
    var k = 0
    while k < hopByHop.count {
        if mask & (1 << UInt32(k)) != 0 { headers.remove(name: hopByHop[k]) }
        k += 1
    }
    for n in named where n != "host" && n != "content-length" { headers.remove(name: n) }
    if reframe && !headers.contains(name: "content-length") { headers.add(name: "transfer-encoding", value: "chunked") }
}

// MARK: Time

func wallClockMicros() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000
}

/// RFC 3339 in UTC with milliseconds.
func formatTime(_ micros: Int64) -> String {
    var t = time_t(micros / 1_000_000)
    var tmv = tm()
    gmtime_r(&t, &tmv)
    func p(_ v: Int32, _ w: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, w - s.count)) + s
    }
    return
        "\(p(tmv.tm_year + 1900, 4))-\(p(tmv.tm_mon + 1, 2))-\(p(tmv.tm_mday, 2))T\(p(tmv.tm_hour, 2)):\(p(tmv.tm_min, 2)):\(p(tmv.tm_sec, 2))."
        + p(Int32((micros / 1000) % 1000), 3) + "Z"
}
