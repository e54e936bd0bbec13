import FjordProxy
import FjordTable
import NIOCore
import Testing

/// Balancing, outlier detection and locality of `Cluster`.
@Suite struct ClusterTests {
    static func eps(_ n: Int, locality: (Int) -> Locality = { _ in Locality() }) -> [EndpointSpec] {
        (0..<n).map {
            EndpointSpec(
                address: "10.0.0.\($0)", port: 80, labels: ["version": $0 % 2 == 0 ? "v1" : "v2"],
                locality: locality($0))
        }
    }

    static func cluster(
        _ settings: ClusterSettings = ClusterSettings(), _ endpoints: [EndpointSpec], locality: Locality = Locality()
    ) -> Cluster {
        Cluster(
            key: ClusterKey(host: "svc", subset: nil, port: 80), id: 1, settings: settings, endpoints: endpoints,
            proxyLocality: locality)
    }

    @Test func roundRobinVisitsEveryEndpointEvenly() {
        let c = Self.cluster(ClusterSettings(), Self.eps(4))
        var counts: [String: Int] = [:]
        for _ in 0..<400 {
            let e = c.pick(hashValue: nil, now: .now())!
            counts[e.spec.address, default: 0] += 1
            c.finished(e, outcome: .status(200), now: .now())
        }
        #expect(counts.count == 4 && counts.values.allSatisfy { $0 == 100 })
    }

    @Test func leastRequestAvoidsBusyEndpoints() {
        var s = ClusterSettings()
        s.loadBalancer = .leastRequest
        let c = Self.cluster(s, Self.eps(2))
        // Keep endpoint 0 busy with 50 requests in flight.
        var busy: [UpstreamEndpoint] = []
        while busy.count < 50 {
            let e = c.pick(hashValue: nil, now: .now())!
            if e.spec.address == "10.0.0.0" { busy.append(e) } else { c.finished(e, outcome: nil, now: .now()) }
        }
        var toIdle = 0
        for _ in 0..<200 {
            let e = c.pick(hashValue: nil, now: .now())!
            if e.spec.address == "10.0.0.1" { toIdle += 1 }
            c.finished(e, outcome: nil, now: .now())
        }
        // Power of two choices: the idle endpoint wins whenever it is drawn (3/4 of the time).
        #expect(toIdle > 120, "\(toIdle) of 200 to the idle endpoint")
    }

    @Test func consistentHashIsStableAndSpreads() {
        var s = ClusterSettings()
        s.loadBalancer = .hashHeader
        s.hashKey = "x-user"
        let c = Self.cluster(s, Self.eps(5))
        var owners: [String: String] = [:]
        for u in 0..<200 {
            let h = fnv1a("user-\(u)")
            let first = c.pick(hashValue: h, now: .now())!
            for _ in 0..<3 { #expect(c.pick(hashValue: h, now: .now())!.spec.address == first.spec.address) }
            owners["user-\(u)"] = first.spec.address
        }
        #expect(Set(owners.values).count == 5)
        // Removing an endpoint moves only the keys it owned.
        c.update(endpoints: Array(Self.eps(5).prefix(4)), usesDNS: false)
        var moved = 0
        for (u, o) in owners where o != "10.0.0.4" {
            if c.pick(hashValue: fnv1a(u), now: .now())!.spec.address != o { moved += 1 }
        }
        #expect(moved == 0)
    }

    @Test func outlierDetectionEjectsAndReadmits() {
        var s = ClusterSettings()
        var o = OutlierSettings()
        o.consecutive5xx = 3
        o.baseEjectionMs = 1000
        o.maxEjectionPercent = 100
        s.outlier = o
        let c = Self.cluster(s, Self.eps(2))
        let t0 = NIODeadline.now()
        let bad = c.endpoints[0]
        #expect(!c.finished(bad, outcome: .status(500), now: t0))
        #expect(!c.finished(bad, outcome: .status(503), now: t0))
        // A success in between resets the count.
        #expect(!c.finished(bad, outcome: .status(200), now: t0))
        #expect(!c.finished(bad, outcome: .status(500), now: t0))
        #expect(!c.finished(bad, outcome: .gatewayFailure, now: t0))
        #expect(c.finished(bad, outcome: .status(502), now: t0))
        #expect(c.isEjected(bad, now: t0 + .milliseconds(999)))
        for _ in 0..<20 { #expect(c.pick(hashValue: nil, now: t0 + .milliseconds(500))?.spec.address == "10.0.0.1") }
        #expect(!c.isEjected(bad, now: t0 + .milliseconds(1000)))
        let later = t0 + .milliseconds(1001)
        var seen = Set<String>()
        for _ in 0..<4 { seen.insert(c.pick(hashValue: nil, now: later)!.spec.address) }
        #expect(seen.count == 2)
        // The second ejection lasts twice as long.
        for _ in 0..<3 { c.finished(bad, outcome: .status(500), now: later) }
        #expect(c.isEjected(bad, now: later + .milliseconds(1999)))
        #expect(!c.isEjected(bad, now: later + .milliseconds(2000)))
    }

    @Test func maxEjectionPercentCapsEjections() {
        var s = ClusterSettings()
        var o = OutlierSettings()
        o.consecutive5xx = 1
        o.maxEjectionPercent = 10
        s.outlier = o
        let c = Self.cluster(s, Self.eps(4))
        let now = NIODeadline.now()
        // One may always be ejected; a second would be 50 % > 10 %.
        #expect(c.finished(c.endpoints[0], outcome: .status(500), now: now))
        #expect(!c.finished(c.endpoints[1], outcome: .status(500), now: now))
        // Gateway-only detection ignores plain 500s.
        var g = ClusterSettings()
        var go = OutlierSettings()
        go.consecutive5xx = nil
        go.consecutiveGatewayErrors = 2
        go.maxEjectionPercent = 100
        g.outlier = go
        let gc = Self.cluster(g, Self.eps(2))
        #expect(!gc.finished(gc.endpoints[0], outcome: .status(500), now: now))
        #expect(!gc.finished(gc.endpoints[0], outcome: .status(500), now: now))
        #expect(!gc.finished(gc.endpoints[0], outcome: .status(503), now: now))
        #expect(gc.finished(gc.endpoints[0], outcome: .status(504), now: now))
        // Without outlier settings nothing is ejected.
        let plain = Self.cluster(ClusterSettings(), Self.eps(2))
        for _ in 0..<10 { #expect(!plain.finished(plain.endpoints[0], outcome: .status(500), now: now)) }
    }

    @Test func everyEndpointEjectedMeansNoHealthyUpstream() {
        var s = ClusterSettings()
        var o = OutlierSettings()
        o.consecutive5xx = 1
        o.maxEjectionPercent = 100
        s.outlier = o
        let c = Self.cluster(s, Self.eps(1))
        let now = NIODeadline.now()
        #expect(c.finished(c.endpoints[0], outcome: .status(500), now: now))
        #expect(c.pick(hashValue: nil, now: now) == nil)
    }

    @Test func localityPriorityAndFailover() {
        let me = Locality(region: "norwayeast", zone: "z1")
        let specs = [
            EndpointSpec(address: "same-zone", port: 80, locality: Locality(region: "norwayeast", zone: "z1")),
            EndpointSpec(address: "same-region", port: 80, locality: Locality(region: "norwayeast", zone: "z2")),
            EndpointSpec(address: "failover", port: 80, locality: Locality(region: "swedencentral", zone: "a")),
            EndpointSpec(address: "far", port: 80, locality: Locality(region: "eastus", zone: "a")),
        ]
        var s = ClusterSettings()
        var o = OutlierSettings()
        o.consecutive5xx = 1
        o.maxEjectionPercent = 100
        s.outlier = o
        s.failover = [(from: "norwayeast", to: "swedencentral")]
        let c = Self.cluster(s, specs, locality: me)
        let now = NIODeadline.now()
        for _ in 0..<10 { #expect(c.pick(hashValue: nil, now: now)?.spec.address == "same-zone") }
        let byName = Dictionary(uniqueKeysWithValues: c.endpoints.map { ($0.spec.address, $0) })
        c.finished(byName["same-zone"]!, outcome: .status(500), now: now)
        for _ in 0..<10 { #expect(c.pick(hashValue: nil, now: now)?.spec.address == "same-region") }
        c.finished(byName["same-region"]!, outcome: .status(500), now: now)
        // The failover region before any other.
        for _ in 0..<10 { #expect(c.pick(hashValue: nil, now: now)?.spec.address == "failover") }
        c.finished(byName["failover"]!, outcome: .status(500), now: now)
        #expect(c.pick(hashValue: nil, now: now)?.spec.address == "far")
    }

    @Test func subsetLabelsSelectEndpoints() {
        var s = ClusterSettings()
        s.subsetLabels = ["version": "v2"]
        let c = Self.cluster(s, Self.eps(6))
        #expect(c.endpoints.map(\.spec.address) == ["10.0.0.1", "10.0.0.3", "10.0.0.5"])
        s.subsetLabels = ["version": "v1"]
        c.update(settings: s)
        #expect(c.endpoints.map(\.spec.address) == ["10.0.0.0", "10.0.0.2", "10.0.0.4"])
    }

    @Test func poolLimits() {
        var s = ClusterSettings()
        s.maxConnections = 2
        s.maxPendingRequests = 1
        let c = Self.cluster(s, Self.eps(1))
        #expect(c.reserveConnection() && c.reserveConnection())
        #expect(!c.reserveConnection())
        #expect(c.reservePending())
        #expect(!c.reservePending())
        c.releaseConnection()
        #expect(c.reserveConnection())
    }
}
