import FjordBasics
import FjordTable
import NIOConcurrencyHelpers
import NIOCore

/// One upstream host of a cluster with its live state: requests in flight (least request),
/// consecutive failures and ejection (outlier detection). Mutated only under its cluster's lock,
/// except `active`, which the lock also guards.
public final class UpstreamEndpoint: @unchecked Sendable, CustomStringConvertible {
    public let spec: EndpointSpec
    /// The cluster's pool key: equal endpoints share connections.
    public let poolKey: String
    var active = 0
    var consecutive5xx = 0
    var consecutiveGateway = 0
    var ejectedUntil: NIODeadline?
    var ejectionCount = 0
    /// Requests this endpoint was picked for (for tests and `/stats`).
    public internal(set) var picks = 0

    public init(spec: EndpointSpec) {
        self.spec = spec
        self.poolKey = spec.hostPort
    }

    public var description: String { spec.hostPort }
}

/// How an attempt at an endpoint ended, for outlier detection.
public enum UpstreamOutcome: Sendable, Equatable {
    /// A response with this status.
    case status(Int)
    /// Connect failure, reset before a response, or a timeout: locally originated gateway errors.
    case gatewayFailure
}

/// A cluster: the endpoints for a host, port and subset, how to balance across them, and their
/// health. Shared by every event loop (one lock; a pick is a few dozen nanoseconds under it).
///
/// Balancing, per Istio's DestinationRule: round robin, least request (power of two choices),
/// random, consistent hash (a ring of 64 points per endpoint over a header, cookie, query
/// parameter or the source IP). Locality: endpoints are ranked by how close they are to the
/// proxy (same region, zone and subzone; same region and zone; same region; a failover region;
/// the rest), and a pick uses the best rank that has a healthy endpoint (Envoy's priority levels,
/// without its 1.4 overprovisioning spill). Outlier detection: an endpoint with
/// `consecutive5xx` 5xx answers (connect failures and resets count) or `consecutiveGatewayErrors`
/// 502/503/504s in a row is ejected for `baseEjectionTime × ejections`, unless that would eject
/// more than `maxEjectionPercent` of the endpoints (one may always be ejected). Like Istio's
/// default (`minHealthPercent` 0) there is no panic mode: with every endpoint ejected a request
/// gets 503 `UH`.
public final class Cluster: @unchecked Sendable {
    public let key: ClusterKey
    public let id: Int
    private let lock = NIOLock()
    private var _settings: ClusterSettings
    private var _endpoints: [UpstreamEndpoint] = []
    /// Endpoint indexes by locality rank (best first), rebuilt when endpoints or settings change.
    private var ranks: [[Int]] = []
    private var ring: [(hash: UInt64, endpoint: Int)] = []
    private var cursor = 0
    private var rng = SplitMixRandom(seed: 0x9E37_79B9_7F4A_7C15)
    /// Connections open to this cluster and requests waiting for one (pool limits), summed over
    /// every event loop.
    var connections = 0
    var pending = 0
    /// True when the endpoints come from DNS (no entry in the endpoints file).
    public private(set) var usesDNS = false
    let proxyLocality: Locality

    public init(
        key: ClusterKey, id: Int, settings: ClusterSettings, endpoints: [EndpointSpec], proxyLocality: Locality,
        usesDNS: Bool = false
    ) {
        self.key = key
        self.id = id
        self._settings = settings
        self._policy = ClusterPolicySnapshot(settings)
        self.proxyLocality = proxyLocality
        self.usesDNS = usesDNS
        setEndpointsLocked(endpoints)
    }

    public var settings: ClusterSettings { lock.withLock { _settings } }
    private var _policy: ClusterPolicySnapshot

    /// The settings as an immutable object: one lock and one retain per read (the hot path
    /// reads this, not `settings`, which copies).
    public var policy: ClusterPolicySnapshot { lock.withLock { _policy } }
    public var endpoints: [UpstreamEndpoint] { lock.withLock { _endpoints } }

    /// New DestinationRule settings (a reloaded table).
    public func update(settings: ClusterSettings) {
        lock.withLock {
            guard settings != _settings else { return }
            let labelsChanged = settings.subsetLabels != _settings.subsetLabels
            _settings = settings
            _policy = ClusterPolicySnapshot(settings)
            if labelsChanged { filterLocked() } else { rebuildLocked() }
        }
    }

    private var allSpecs: [EndpointSpec] = []

    /// New endpoints (a reloaded endpoints file). Endpoints that stay keep their state.
    public func update(endpoints: [EndpointSpec], usesDNS: Bool) {
        lock.withLock {
            self.usesDNS = usesDNS
            setEndpointsLocked(endpoints)
        }
    }

    private func setEndpointsLocked(_ specs: [EndpointSpec]) {
        allSpecs = specs
        filterLocked()
    }

    private func filterLocked() {
        let old = Dictionary(_endpoints.map { ($0.spec, $0) }, uniquingKeysWith: { a, _ in a })
        let wanted = _settings.subsetLabels
        _endpoints = allSpecs.filter { spec in wanted.allSatisfy { spec.labels[$0.key] == $0.value } }.map {
            old[$0] ?? UpstreamEndpoint(spec: $0)
        }
        rebuildLocked()
    }

    private func rebuildLocked() {
        var byRank: [Int: [Int]] = [:]
        for (i, e) in _endpoints.enumerated() { byRank[rank(e.spec.locality), default: []].append(i) }
        ranks = byRank.keys.sorted().map { byRank[$0]! }
        ring = []
        switch _settings.loadBalancer {
        case .hashHeader, .hashCookie, .hashQuery, .hashSourceIP:
            for (i, e) in _endpoints.enumerated() {
                for v in 0..<64 { ring.append((fnv1a("\(e.spec.hostPort)#\(v)"), i)) }
            }
            ring.sort { $0.hash < $1.hash }
        default: break
        }
    }

    /// 0 is best. Without a known proxy locality every endpoint ranks the same.
    func rank(_ l: Locality) -> Int {
        let me = proxyLocality
        guard !me.isEmpty else { return 0 }
        if !_settings.failoverPriority.isEmpty {
            // failoverPriority ranks by label agreement; without labels of our own we keep the
            // locality order below.
        }
        if l.region == me.region {
            if l.zone == me.zone { return l.subzone == me.subzone ? 0 : 1 }
            return 2
        }
        for (k, f) in _settings.failover.enumerated() where f.from == me.region && f.to == l.region { return 3 + k }
        return 3 + _settings.failover.count
    }

    /// Picks an endpoint for a request, counting it as active; nil when none is healthy.
    /// `hashValue` is the request's hash for consistent-hash clusters.
    public func pick(hashValue: UInt64?, now nowClock: @autoclosure () -> NIODeadline) -> UpstreamEndpoint? {
        // The clock is read only when some endpoint has an ejection to check.
        var cached: NIODeadline?
        func now() -> NIODeadline {
            if let c = cached { return c }
            let n = nowClock()
            cached = n
            return n
        }
        return lock.withLock {
            guard !_endpoints.isEmpty else { return nil }
            // Pick the best rank with a healthy endpoint.
            var candidates: [Int]?
            for r in ranks {
                if r.contains(where: { healthyLocked(_endpoints[$0], now) }) {
                    candidates = r
                    break
                }
            }
            guard let cands = candidates else { return nil }
            let e: UpstreamEndpoint
            switch _settings.loadBalancer {
            case .hashHeader, .hashCookie, .hashQuery, .hashSourceIP:
                if let h = hashValue, !ring.isEmpty {
                    e = ringPickLocked(h, allowed: cands, now: now) ?? roundRobinLocked(cands, now)
                } else {
                    e = randomLocked(cands, now)
                }
            case .leastRequest:
                // Power of two choices, as Envoy's LEAST_REQUEST.
                let a = randomLocked(cands, now)
                let b = randomLocked(cands, now)
                e = b.active < a.active ? b : a
            case .random:
                e = randomLocked(cands, now)
            case .roundRobin, .passthrough:
                e = roundRobinLocked(cands, now)
            }
            e.active += 1
            e.picks += 1
            return e
        }
    }

    private func healthyLocked(_ e: UpstreamEndpoint, _ now: () -> NIODeadline) -> Bool {
        if let until = e.ejectedUntil {
            if now() < until { return false }
            e.ejectedUntil = nil
            e.consecutive5xx = 0
            e.consecutiveGateway = 0
        }
        return true
    }

    private func roundRobinLocked(_ cands: [Int], _ now: () -> NIODeadline) -> UpstreamEndpoint {
        for _ in 0..<cands.count {
            cursor = cursor &+ 1
            let e = _endpoints[cands[Int(UInt(bitPattern: cursor) % UInt(cands.count))]]
            if healthyLocked(e, now) { return e }
        }
        return _endpoints[cands[0]]
    }

    private func randomLocked(_ cands: [Int], _ now: () -> NIODeadline) -> UpstreamEndpoint {
        for _ in 0..<(2 * cands.count) {
            let e = _endpoints[cands[Int(rng.next() % UInt64(cands.count))]]
            if healthyLocked(e, now) { return e }
        }
        return roundRobinLocked(cands, now)
    }

    private func ringPickLocked(_ h: UInt64, allowed: [Int], now: () -> NIODeadline) -> UpstreamEndpoint? {
        var lo = 0
        var hi = ring.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if ring[mid].hash < h { lo = mid + 1 } else { hi = mid }
        }
        for k in 0..<ring.count {
            let idx = ring[(lo + k) % ring.count].endpoint
            let e = _endpoints[idx]
            if allowed.contains(idx), healthyLocked(e, now) { return e }
        }
        return nil
    }

    /// The attempt at `endpoint` finished: it no longer counts as active, and its outcome feeds
    /// outlier detection. Returns true when this outcome ejected the endpoint.
    @discardableResult
    public func finished(
        _ endpoint: UpstreamEndpoint, outcome: UpstreamOutcome?, now nowClock: @autoclosure () -> NIODeadline
    ) -> Bool {
        lock.withLock {
            endpoint.active = max(0, endpoint.active - 1)
            guard let outcome, let o = _settings.outlier else { return false }
            let now = nowClock()
            let is5xx: Bool
            let isGateway: Bool
            switch outcome {
            case .status(let s):
                is5xx = s >= 500
                isGateway = s == 502 || s == 503 || s == 504
            case .gatewayFailure:
                is5xx = true
                isGateway = true
            }
            if !is5xx {
                endpoint.consecutive5xx = 0
                endpoint.consecutiveGateway = 0
                return false
            }
            endpoint.consecutive5xx += 1
            if isGateway { endpoint.consecutiveGateway += 1 } else { endpoint.consecutiveGateway = 0 }
            let trip =
                (o.consecutive5xx.map { endpoint.consecutive5xx >= $0 } ?? false)
                || (o.consecutiveGatewayErrors.map { endpoint.consecutiveGateway >= $0 } ?? false)
            guard trip, endpoint.ejectedUntil == nil || now >= endpoint.ejectedUntil! else { return false }
            let ejected = _endpoints.filter { $0.ejectedUntil.map { now < $0 } ?? false }.count
            guard ejected == 0 || (ejected + 1) * 100 <= o.maxEjectionPercent * _endpoints.count else { return false }
            endpoint.ejectionCount += 1
            // Envoy caps the ejection at max_ejection_time, 300 s by default.
            let ms = min(o.baseEjectionMs * endpoint.ejectionCount, max(300_000, o.baseEjectionMs))
            endpoint.ejectedUntil = now + .milliseconds(Int64(ms))
            endpoint.consecutive5xx = 0
            endpoint.consecutiveGateway = 0
            return true
        }
    }

    /// Whether the endpoint is ejected at `now`.
    public func isEjected(_ endpoint: UpstreamEndpoint, now: NIODeadline) -> Bool {
        lock.withLock { endpoint.ejectedUntil.map { now < $0 } ?? false }
    }

    // MARK: Pool limits (DestinationRule connectionPool)

    /// Reserves a new connection under `maxConnections`.
    public func reserveConnection() -> Bool {
        lock.withLock {
            if let m = _settings.maxConnections, connections >= m { return false }
            connections += 1
            return true
        }
    }

    public func releaseConnection() { lock.withLock { connections = max(0, connections - 1) } }

    /// Reserves a place in the queue of requests waiting for a connection.
    public func reservePending() -> Bool {
        lock.withLock {
            if let m = _settings.maxPendingRequests, pending >= m { return false }
            pending += 1
            return true
        }
    }

    public func releasePending() { lock.withLock { pending = max(0, pending - 1) } }

    public var stats: (connections: Int, pending: Int) { lock.withLock { (connections, pending) } }
}

/// A cluster's settings frozen in an object, with the flags the request path reads.
public final class ClusterPolicySnapshot: Sendable {
    public let settings: ClusterSettings
    public let isHash: Bool
    public let undefinedSubset: Bool
    public let maxRequestsPerConnection: Int?

    init(_ s: ClusterSettings) {
        settings = s
        isHash = s.loadBalancer.isHash
        undefinedSubset = s.undefinedSubset
        maxRequestsPerConnection = s.maxRequestsPerConnection
    }
}

/// FNV-1a, 64 bits: the consistent-hash function (stable across runs and processes).
@inlinable
public func fnv1a(_ s: String) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in s.utf8 {
        h ^= UInt64(b)
        h = h &* 0x100_0000_01b3
    }
    // Mix so that nearby strings spread over the ring.
    h ^= h >> 33
    h = h &* 0xff51_afd7_ed55_8ccd
    h ^= h >> 33
    return h
}

/// The generator for balancing, weights, faults and jitter: SplitMix64 (FjordBasics), under
/// the name the proxy has always used.
public typealias SplitMixRandom = SplitMix64
