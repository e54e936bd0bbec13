import FjordProxy
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// Upstream connections, pooled per event loop and endpoint (a downstream connection's
/// exchanges use connections of its own loop: no thread hops). Keep-alive connections go back
/// to the pool after a complete exchange. The DestinationRule's `maxConnections` bounds the
/// connections of a cluster over all loops; past it a request waits for a released connection
/// while at most `http1MaxPendingRequests` wait (else 503 `UO`, as Envoy's circuit breaker).
///
/// `@unchecked Sendable`: `pools` and `waiters` are guarded by `lock`, which the compiler cannot
/// relate to them (waiters are woken across loops while it is held).
public final class ConnectionPool: UpstreamConnector, @unchecked Sendable {
    /// Envoy's and Istio's default connect timeout.
    public let defaultConnectTimeout: TimeAmount
    /// Idle connections kept per endpoint and loop.
    public let maxIdlePerEndpoint: Int
    private let lock = NIOLock()
    private var pools: [ObjectIdentifier: LoopPool] = [:]

    public init(connectTimeout: TimeAmount = .seconds(10), maxIdlePerEndpoint: Int = 128) {
        self.defaultConnectTimeout = connectTimeout
        self.maxIdlePerEndpoint = maxIdlePerEndpoint
    }

    /// A request waiting for a connection slot of its cluster (on any loop).
    final class Waiter: Sendable {
        let promise: EventLoopPromise<UpstreamConnection>
        let endpoint: UpstreamEndpoint
        let loop: EventLoop
        init(promise: EventLoopPromise<UpstreamConnection>, endpoint: UpstreamEndpoint, loop: EventLoop) {
            self.promise = promise
            self.endpoint = endpoint
            self.loop = loop
        }
    }

    /// Waiters by cluster, over every loop (the limits are per cluster, not per loop).
    private var waiters: [ObjectIdentifier: [Waiter]] = [:]

    private func takeWaiter(_ cluster: Cluster) -> Waiter? {
        lock.withLock {
            guard var ws = waiters[ObjectIdentifier(cluster)], !ws.isEmpty else { return nil }
            let w = ws.removeFirst()
            waiters[ObjectIdentifier(cluster)] = ws.isEmpty ? nil : ws
            return w
        }
    }

    /// The connections of one event loop; touched only on that loop.
    /// Idle connections of one endpoint: a class, so taking one mutates in place (an array in
    /// a dictionary is copied out and back: allocations per request).
    final class IdleList {
        var connections: [UpstreamConnection] = []
    }

    /// `@unchecked Sendable`: one per event loop and touched only on that loop, which the
    /// compiler cannot see.
    final class LoopPool: @unchecked Sendable {
        var idle: [ObjectIdentifier: IdleList] = [:]
    }

    private func pool(for loop: EventLoop) -> LoopPool {
        let id = ObjectIdentifier(loop as AnyObject)
        return lock.withLock {
            if let p = pools[id] { return p }
            let p = LoopPool()
            pools[id] = p
            return p
        }
    }

    public func idleConnection(to endpoint: UpstreamEndpoint, cluster: Cluster, on eventLoop: EventLoop)
        -> UpstreamConnection?
    {
        let p = pool(for: eventLoop)
        let key = ObjectIdentifier(endpoint)
        // Mutated in place (copying the list out and back would allocate per request).
        guard let list = p.idle[key] else { return nil }
        while let c = list.connections.popLast() {
            if c.isOpen {
                c.idle = false
                return c
            }
        }
        return nil
    }

    public func connect(to endpoint: UpstreamEndpoint, cluster: Cluster, on eventLoop: EventLoop) -> EventLoopFuture<
        UpstreamConnection
    > {
        guard cluster.reserveConnection() else {
            // At maxConnections: wait for a released connection, if the pending queue has room.
            guard cluster.reservePending() else { return eventLoop.makeFailedFuture(UpstreamConnectError.overflow) }
            let w = Waiter(promise: eventLoop.makePromise(), endpoint: endpoint, loop: eventLoop)
            lock.withLock { waiters[ObjectIdentifier(cluster), default: []].append(w) }
            let timeout = eventLoop.scheduleTask(in: connectTimeout(cluster)) { [weak self] in
                guard let self else { return }
                let removed: Bool = self.lock.withLock {
                    guard var ws = self.waiters[ObjectIdentifier(cluster)], let i = ws.firstIndex(where: { $0 === w })
                    else { return false }
                    ws.remove(at: i)
                    self.waiters[ObjectIdentifier(cluster)] = ws.isEmpty ? nil : ws
                    return true
                }
                guard removed else { return }
                cluster.releasePending()
                w.promise.fail(UpstreamConnectError.overflow)
            }
            w.promise.futureResult.whenComplete { _ in timeout.cancel() }
            return w.promise.futureResult
        }
        return open(endpoint: endpoint, cluster: cluster, on: eventLoop)
    }

    private func connectTimeout(_ cluster: Cluster) -> TimeAmount {
        cluster.policy.settings.connectTimeoutMs.map { .milliseconds(Int64($0)) } ?? defaultConnectTimeout
    }

    /// Opens a connection whose slot is already reserved.
    private func open(endpoint: UpstreamEndpoint, cluster: Cluster, on eventLoop: EventLoop) -> EventLoopFuture<
        UpstreamConnection
    > {
        let conn = UpstreamConnection(endpoint: endpoint, cluster: cluster)
        conn.onClose = { [weak self] c in self?.closed(c, on: eventLoop) }
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(connectTimeout(cluster))
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers(enableOutboundHeaderValidation: false)
                    try channel.pipeline.syncOperations.addHandler(conn)
                }
            }
        let spec = endpoint.spec
        let connected: EventLoopFuture<Channel>
        if let addr = try? SocketAddress(ipAddress: spec.address, port: spec.port) {
            connected = bootstrap.connect(to: addr)
        } else {
            connected = bootstrap.connect(host: spec.address, port: spec.port)
        }
        return connected.flatMapErrorThrowing { error in
            cluster.releaseConnection()
            throw UpstreamConnectError.failed("\(spec.hostPort): \(error)")
        }.map { _ in conn }
    }

    public func release(_ c: UpstreamConnection, reuse: Bool) {
        c.sink = nil
        guard reuse, c.isOpen, let loop = c.context?.eventLoop else {
            c.close()
            return
        }
        let p = pool(for: loop)
        // A waiter for this cluster takes the connection if it wants this endpoint on this loop;
        // otherwise the connection is closed to free the slot for the waiter's own connection.
        if let w = takeWaiter(c.cluster) {
            c.cluster.releasePending()
            if w.endpoint === c.endpoint && w.loop === loop {
                w.promise.succeed(c)
            } else {
                handOver(slotOf: c, to: w)
            }
            return
        }
        let key = ObjectIdentifier(c.endpoint)
        let list: IdleList
        if let l = p.idle[key] {
            list = l
        } else {
            list = IdleList()
            p.idle[key] = list
        }
        if list.connections.count >= maxIdlePerEndpoint {
            c.close()
            return
        }
        c.idle = true
        list.connections.append(c)
    }

    /// Closes `c` and opens a connection for the waiter with its slot, on the waiter's loop.
    private func handOver(slotOf c: UpstreamConnection, to w: Waiter) {
        c.onClose = nil
        c.close()
        open(endpoint: w.endpoint, cluster: c.cluster, on: w.loop).cascade(to: w.promise)
    }

    private func closed(_ c: UpstreamConnection, on loop: EventLoop) {
        let p = pool(for: loop)
        let key = ObjectIdentifier(c.endpoint)
        if let list = p.idle[key], let i = list.connections.firstIndex(where: { $0 === c }) {
            list.connections.remove(at: i)
        }
        // The slot is free: a waiter gets a new connection with it.
        if let w = takeWaiter(c.cluster) {
            c.cluster.releasePending()
            open(endpoint: w.endpoint, cluster: c.cluster, on: w.loop).cascade(to: w.promise)
        } else {
            c.cluster.releaseConnection()
        }
    }

    /// Idle connections over every loop (for `/stats`).
    public var idleCount: Int {
        lock.withLock { pools.values.reduce(0) { $0 + $1.idle.values.reduce(0) { $0 + $1.connections.count } } }
    }
}
