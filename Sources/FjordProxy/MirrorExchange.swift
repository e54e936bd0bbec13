import NIOCore
import NIOHTTP1

/// A mirrored copy of a request (Istio's `mirror`): fire and forget. It gets the request's head
/// (authority suffixed `-shadow`, as Envoy does) and body parts as they arrive, and its response
/// is read and dropped. The primary exchange never waits for it: a mirror whose connection is
/// not up yet keeps at most `limit` bytes and is abandoned past that, and one whose upstream
/// cannot keep up is closed.
final class MirrorExchange: UpstreamResponseSink, @unchecked Sendable {
    let ctx: ProxyContext
    let cluster: Cluster
    let head: HTTPRequestHead
    let limit: Int
    private var connection: UpstreamConnection?
    private var endpoint: UpstreamEndpoint?
    private var pending: [ByteBuffer] = []
    private var pendingBytes = 0
    private var requestEnded = false
    private var done = false
    /// Keeps the exchange alive until its response is read (nobody else holds it).
    private var keepAlive: MirrorExchange?
    private var timer: Scheduled<Void>?
    /// A mirror that has not finished by then is abandoned (its upstream may hang).
    static let timeout = TimeAmount.seconds(30)

    init(context: ProxyContext, cluster: Cluster, head: HTTPRequestHead, limit: Int) {
        self.ctx = context
        self.cluster = cluster
        self.head = head
        self.limit = limit
    }

    func start(on loop: EventLoop, random: UInt64) {
        guard let ep = cluster.pick(hashValue: random, now: .now()) else {
            done = true
            return
        }
        endpoint = ep
        keepAlive = self
        ctx.metrics.count("mirror_requests")
        timer = loop.scheduleTask(in: MirrorExchange.timeout) { [self] in abandon() }
        if let c = ctx.connector.idleConnection(to: ep, cluster: cluster, on: loop) {
            attached(c)
            return
        }
        ctx.connector.connect(to: ep, cluster: cluster, on: loop).whenComplete { [self] r in
            switch r {
            case .success(let c): attached(c)
            case .failure: finish(outcome: .gatewayFailure)
            }
        }
    }

    private func attached(_ c: UpstreamConnection) {
        guard !done else {
            ctx.connector.release(c, reuse: true)
            return
        }
        connection = c
        c.sink = self
        c.requests += 1
        c.write(.head(head))
        for p in pending { c.write(.body(.byteBuffer(p))) }
        pending = []
        if requestEnded { c.write(.end(nil)) }
        c.flush()
    }

    func body(_ b: ByteBuffer) {
        guard !done else { return }
        if let c = connection {
            guard c.isWritable else {
                abandon()
                return
            }
            c.write(.body(.byteBuffer(b)))
        } else {
            pendingBytes += b.readableBytes
            if pendingBytes > limit {
                abandon()
                return
            }
            pending.append(b)
        }
    }

    func end() {
        guard !done else { return }
        requestEnded = true
        if let c = connection {
            c.write(.end(nil))
            c.flush()
        }
    }

    func flush() { connection?.flush() }

    /// The client went away before its request was complete: the copy is incomplete too.
    func requestAborted() {
        if !requestEnded { abandon() }
    }

    private func abandon() {
        ctx.metrics.count("mirror_abandoned")
        finish(outcome: nil)
    }

    private func finish(outcome: UpstreamOutcome?, reuse: Bool = false) {
        guard !done else { return }
        done = true
        pending = []
        timer?.cancel()
        timer = nil
        if let ep = endpoint { cluster.finished(ep, outcome: outcome, now: .now()) }
        if let c = connection {
            connection = nil
            c.sink = nil
            ctx.connector.release(c, reuse: reuse)
        }
        keepAlive = nil
    }

    func upstreamHead(_ head: HTTPResponseHead, from c: UpstreamConnection) {}
    func upstreamBody(_ part: ByteBuffer, from c: UpstreamConnection) {}
    func upstreamEnd(from c: UpstreamConnection) {
        finish(outcome: nil, reuse: requestEnded && c.responseKeepAlive)
    }
    func upstreamReadComplete(from c: UpstreamConnection) {}
    func upstreamClosed(_ c: UpstreamConnection) {
        connection = nil
        finish(outcome: nil)
    }
    func upstreamWritabilityChanged(_ c: UpstreamConnection) {}
}
