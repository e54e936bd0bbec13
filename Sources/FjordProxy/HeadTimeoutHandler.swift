import NIOCore

/// Sits before the HTTP decoder and bounds how long a request head may take to arrive once its
/// first byte has (slowloris: a client sending a byte a second). When the head is late it
/// answers 408 and closes. Between requests it closes a keep-alive connection that stays idle
/// longer than `idleTimeout`, silently (as nginx does).
public final class HeadTimeoutHandler: ChannelDuplexHandler, @unchecked Sendable {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = ByteBuffer
    public typealias OutboundIn = Any
    public typealias OutboundOut = Any

    public let headTimeout: TimeAmount
    public let idleTimeout: TimeAmount
    private var context: ChannelHandlerContext?
    /// Waiting for (the rest of) a request head.
    private var awaitingHead = true
    private var headTimer: Scheduled<Void>?
    private var idleTimer: Scheduled<Void>?
    /// Requests answered with 408.
    public private(set) var timedOut = false

    public init(headTimeout: TimeAmount, idleTimeout: TimeAmount) {
        self.headTimeout = headTimeout
        self.idleTimeout = idleTimeout
    }

    public func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { armIdle() }
    }

    public func channelActive(context: ChannelHandlerContext) {
        armIdle()
        context.fireChannelActive()
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimers()
        self.context = nil
    }

    public func channelInactive(context: ChannelHandlerContext) {
        cancelTimers()
        context.fireChannelInactive()
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if awaitingHead, headTimer == nil {
            idleTimer?.cancel()
            idleTimer = nil
            headTimer = context.eventLoop.scheduleTask(in: headTimeout) { [self] in headTimedOut() }
        }
        context.fireChannelRead(data)
    }

    /// The downstream handler saw a complete head.
    public func headReceived() {
        awaitingHead = false
        headTimer?.cancel()
        headTimer = nil
    }

    /// The exchange finished and the connection stays open: wait for the next request.
    public func requestFinished() {
        awaitingHead = true
        armIdle()
    }

    private func armIdle() {
        guard let c = context, idleTimer == nil, headTimer == nil else { return }
        idleTimer = c.eventLoop.scheduleTask(in: idleTimeout) { [self] in
            idleTimer = nil
            if awaitingHead, headTimer == nil { context?.close(promise: nil) }
        }
    }

    private func headTimedOut() {
        headTimer = nil
        guard awaitingHead, let c = context else { return }
        timedOut = true
        var b = c.channel.allocator.buffer(capacity: 96)
        b.writeStaticString("HTTP/1.1 408 Request Timeout\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
        // Written below the decoder and encoder: raw bytes to the socket.
        let ch = c.channel
        c.writeAndFlush(NIOAny(b)).whenComplete { _ in ch.close(promise: nil) }
    }

    private func cancelTimers() {
        headTimer?.cancel()
        headTimer = nil
        idleTimer?.cancel()
        idleTimer = nil
    }
}
