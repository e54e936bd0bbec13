import NIOCore
import NIOHTTP1

/// Who receives an upstream connection's response: the exchange using it.
public protocol UpstreamResponseSink: AnyObject {
    func upstreamHead(_ head: HTTPResponseHead, from c: UpstreamConnection)
    func upstreamBody(_ part: ByteBuffer, from c: UpstreamConnection)
    func upstreamEnd(from c: UpstreamConnection)
    /// A read burst ended: flush what was forwarded.
    func upstreamReadComplete(from c: UpstreamConnection)
    /// The connection closed or failed.
    func upstreamClosed(_ c: UpstreamConnection)
    func upstreamWritabilityChanged(_ c: UpstreamConnection)
}

/// Opens and pools upstream connections (NIOPosix in the server; a fake in handler tests).
public protocol UpstreamConnector: AnyObject {
    /// An idle pooled connection to `endpoint` on `eventLoop`, if there is one (synchronous: the
    /// keep-alive fast path without a future).
    func idleConnection(to endpoint: UpstreamEndpoint, cluster: Cluster, on eventLoop: EventLoop) -> UpstreamConnection?
    /// A new connection. Fails with `UpstreamConnectError`.
    func connect(to endpoint: UpstreamEndpoint, cluster: Cluster, on eventLoop: EventLoop) -> EventLoopFuture<
        UpstreamConnection
    >
    /// The exchange is done with `c`: pool it when `reuse`, else close it.
    func release(_ c: UpstreamConnection, reuse: Bool)
}

/// Why no connection could be had.
public struct UpstreamConnectError: Error, CustomStringConvertible, Sendable {
    enum Kind: Sendable { case overflow, failed(String) }
    let kind: Kind
    public static let overflow = UpstreamConnectError(kind: .overflow)
    public static func failed(_ why: String) -> UpstreamConnectError { UpstreamConnectError(kind: .failed(why)) }
    public var isOverflow: Bool { if case .overflow = kind { return true } else { return false } }
    public var description: String {
        switch kind {
        case .overflow: return "connection pool overflow"
        case .failed(let s): return s
        }
    }
}

/// The last handler of an upstream connection's pipeline (after NIO's HTTP client codec): hands
/// response parts to the exchange that holds the connection, holds reads while the client side
/// cannot take more (backpressure), and tells the pool when an idle connection closes.
public final class UpstreamConnection: ChannelDuplexHandler, @unchecked Sendable {
    public typealias InboundIn = HTTPClientResponsePart
    public typealias OutboundIn = HTTPClientRequestPart
    public typealias OutboundOut = HTTPClientRequestPart

    /// The exchange using the connection. A strong reference (weak ones put every retain of
    /// the handler on the slow side-table path); the pool and the exchange clear it.
    public var sink: UpstreamResponseSink?
    public let endpoint: UpstreamEndpoint
    public let cluster: Cluster
    public private(set) var context: ChannelHandlerContext?
    /// Requests sent on this connection.
    public var requests = 0
    /// The last response asked to keep the connection (no `Connection: close`, HTTP/1.1).
    public private(set) var responseKeepAlive = true
    public private(set) var isOpen = true
    /// Called when the connection closes (the pool forgets it).
    public var onClose: ((UpstreamConnection) -> Void)?
    /// Set while pooled: any read while idle means the connection is unusable.
    public var idle = false
    private var holdingReads = false
    private var pendingRead = false

    public init(endpoint: UpstreamEndpoint, cluster: Cluster) {
        self.endpoint = endpoint
        self.cluster = cluster
    }

    private var activated = false

    public func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { activated = true }
    }

    public func channelActive(context: ChannelHandlerContext) {
        activated = true
        context.fireChannelActive()
    }

    public func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    public var isWritable: Bool { context?.channel.isWritable ?? false }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if idle {
            // An idle keep-alive connection must stay silent.
            close()
            return
        }
        switch part {
        case .head(let h):
            responseKeepAlive = h.isKeepAlive
            sink?.upstreamHead(h, from: self)
        case .body(let b):
            sink?.upstreamBody(b, from: self)
        case .end:
            sink?.upstreamEnd(from: self)
        }
    }

    public func channelReadComplete(context: ChannelHandlerContext) {
        sink?.upstreamReadComplete(from: self)
    }

    public func channelInactive(context: ChannelHandlerContext) {
        markClosed()
        context.fireChannelInactive()
    }

    public func errorCaught(context: ChannelHandlerContext, error: Error) {
        close()
    }

    public func channelWritabilityChanged(context: ChannelHandlerContext) {
        sink?.upstreamWritabilityChanged(self)
        context.fireChannelWritabilityChanged()
    }

    public func read(context: ChannelHandlerContext) {
        if holdingReads {
            pendingRead = true
        } else {
            context.read()
        }
    }

    /// Stops (or resumes) reading the response while the client cannot take more.
    public func holdReads(_ hold: Bool) {
        holdingReads = hold
        if !hold, pendingRead, let c = context {
            pendingRead = false
            c.read()
        }
    }

    private func markClosed() {
        guard isOpen else { return }
        isOpen = false
        let s = sink
        sink = nil
        if activated { onClose?(self) }
        onClose = nil
        s?.upstreamClosed(self)
    }

    // MARK: Writing

    public func write(_ part: HTTPClientRequestPart) {
        guard let c = context else { return }
        c.write(wrapOutboundOut(part), promise: nil)
    }

    public func flush() { context?.flush() }

    public func close() {
        guard let c = context else {
            markClosed()
            return
        }
        markClosed()
        c.close(promise: nil)
    }
}
