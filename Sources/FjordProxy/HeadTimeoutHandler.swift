import NIOCore

/// Sits before the HTTP decoder and bounds how long a request head may take to arrive once its
/// first byte has (slowloris: a client sending a byte a second). When the head is late it
/// answers 408 and closes. Between requests it closes a keep-alive connection that stays idle
/// longer than `idleTimeout`, silently (as nginx does).
///
/// No timer is scheduled per request (that cost six allocations a request): the handler notes
/// when a head started or the connection went idle, and one timer per connection checks every
/// half of the shorter timeout, so a timeout fires between 1 and 1.5 times its value.
public final class HeadTimeoutHandler: ChannelInboundHandler, @unchecked Sendable {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = ByteBuffer

    public let headTimeout: TimeAmount
    public let idleTimeout: TimeAmount
    private var context: ChannelHandlerContext?
    /// Waiting for (the rest of) a request head.
    private var awaitingHead = true
    /// When the awaited head's first byte arrived (nil: none yet).
    private var headStarted: NIODeadline?
    /// When the connection became idle.
    private var idleSince = NIODeadline.now()
    private var ticker: RepeatedTask?
    /// Requests answered with 408.
    public private(set) var timedOut = false

    public init(headTimeout: TimeAmount, idleTimeout: TimeAmount) {
        self.headTimeout = headTimeout
        self.idleTimeout = idleTimeout
    }

    public func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { startTicking(context) }
    }

    public func channelActive(context: ChannelHandlerContext) {
        startTicking(context)
        context.fireChannelActive()
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        stopTicking()
        self.context = nil
    }

    public func channelInactive(context: ChannelHandlerContext) {
        stopTicking()
        context.fireChannelInactive()
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if awaitingHead, headStarted == nil { headStarted = .now() }
        context.fireChannelRead(data)
    }

    /// The downstream handler saw a complete head.
    public func headReceived() {
        awaitingHead = false
        headStarted = nil
    }

    /// The exchange finished and the connection stays open: wait for the next request.
    public func requestFinished() {
        awaitingHead = true
        headStarted = nil
        idleSince = .now()
    }

    private func startTicking(_ context: ChannelHandlerContext) {
        guard ticker == nil else { return }
        idleSince = .now()
        let period = TimeAmount.nanoseconds(max(min(headTimeout, idleTimeout).nanoseconds / 2, 1_000_000))
        ticker = context.eventLoop.scheduleRepeatedTask(initialDelay: period, delay: period) { [self] _ in tick() }
    }

    private func stopTicking() {
        ticker?.cancel()
        ticker = nil
    }

    private func tick() {
        guard awaitingHead, let c = context else { return }
        let now = NIODeadline.now()
        if let started = headStarted {
            guard now - started >= headTimeout else { return }
            timedOut = true
            stopTicking()
            var b = c.channel.allocator.buffer(capacity: 96)
            b.writeStaticString("HTTP/1.1 408 Request Timeout\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
            // Written below the decoder and encoder: raw bytes to the socket.
            let ch = c.channel
            c.writeAndFlush(NIOAny(b)).whenComplete { _ in ch.close(promise: nil) }
        } else if now - idleSince >= idleTimeout {
            stopTicking()
            c.close(promise: nil)
        }
    }
}
