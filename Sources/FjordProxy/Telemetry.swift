import FjordBasics
import NIOConcurrencyHelpers
import NIOCore

/// Istio's standard request metrics: `istio_requests_total` and
/// `istio_request_duration_milliseconds` (with Istio's default buckets), labelled as Istio's
/// telemetry does, so existing dashboards work. Each event loop records into its own shard (no
/// contention); a scrape sums the shards.
public final class ProxyMetrics: @unchecked Sendable {
    /// Istio's default duration buckets, milliseconds.
    public static let buckets: [Double] = [
        0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300_000, 600_000,
        1_800_000, 3_600_000,
    ]

    public struct Key: Hashable, Sendable {
        /// The upstream cluster's id (it fixes service and subset), or -1 for local answers.
        public var clusterID: Int
        public var destinationService: String
        public var destinationSubset: String
        public var code: Int
        public var flag: ResponseFlag

        // Requests to a cluster hash integers only: no string hashing per request.
        public static func == (a: Key, b: Key) -> Bool {
            a.clusterID == b.clusterID && a.code == b.code && a.flag == b.flag
                && (a.clusterID >= 0
                    || (a.destinationService == b.destinationService && a.destinationSubset == b.destinationSubset))
        }

        public func hash(into h: inout Hasher) {
            h.combine(clusterID)
            h.combine(code)
            h.combine(flag)
            if clusterID < 0 { h.combine(destinationService) }
        }
    }

    final class Entry {
        var count: UInt64 = 0
        var sumMs: Double = 0
        var buckets = [UInt64](repeating: 0, count: ProxyMetrics.buckets.count)
    }

    final class Shard {
        let lock = NIOLock()
        var entries: [Key: Entry] = [:]
    }

    /// `outbound` sidecar listeners report as `source`, the inbound one as `destination`.
    public let reporter: String
    public let workload: String
    public let workloadNamespace: String
    private let shardLock = NIOLock()
    private var shardByLoop: [ObjectIdentifier: Shard] = [:]
    private let reloads = NIOLockedValueBox<(ok: Int, failed: Int)>((0, 0))
    private let counters = NIOLockedValueBox<[String: Int]>([:])

    public init(reporter: String = "source", workload: String) {
        self.reporter = reporter
        let parts = workload.split(separator: "/", maxSplits: 1).map(String.init)
        self.workloadNamespace = parts.count == 2 ? parts[0] : "default"
        self.workload = parts.count == 2 ? parts[1] : workload
    }

    private var allShards: [Shard] = []

    /// The shard for an event loop (made on first use).
    func shard(for loop: EventLoop) -> Shard {
        let id = ObjectIdentifier(loop as AnyObject)
        return shardLock.withLock {
            if let s = shardByLoop[id] { return s }
            let s = Shard()
            shardByLoop[id] = s
            allShards.append(s)
            return s
        }
    }

    /// Records one request.
    public func record(
        on loop: EventLoop, clusterID: Int, service: String, subset: String?, code: Int, flag: ResponseFlag,
        durationMs: Double,
        shard cached: inout AnyObject?
    ) {
        let s: Shard
        if let c = cached as? Shard {
            s = c
        } else {
            s = shard(for: loop)
            cached = s
        }
        let key = Key(
            clusterID: clusterID, destinationService: service, destinationSubset: subset ?? "", code: code, flag: flag)
        s.lock.withLock {
            let e: Entry
            if let x = s.entries[key] {
                e = x
            } else {
                e = Entry()
                s.entries[key] = e
            }
            e.count &+= 1
            e.sumMs += durationMs
            var i = 0
            while i < ProxyMetrics.buckets.count {
                if durationMs <= ProxyMetrics.buckets[i] { e.buckets[i] &+= 1 }
                i += 1
            }
        }
    }

    public func reloaded(ok: Bool) { reloads.withLockedValue { if ok { $0.ok += 1 } else { $0.failed += 1 } } }
    public var reloadCounts: (ok: Int, failed: Int) { reloads.withLockedValue { $0 } }

    public func count(_ name: String, by n: Int = 1) { counters.withLockedValue { $0[name, default: 0] += n } }
    public var counterValues: [String: Int] { counters.withLockedValue { $0 } }

    /// Totals per key over every shard.
    public func snapshot() -> [(Key, count: UInt64, sumMs: Double, buckets: [UInt64])] {
        let shards = shardLock.withLock { allShards }
        var total: [Key: (UInt64, Double, [UInt64])] = [:]
        for s in shards {
            s.lock.withLock {
                for (k0, e) in s.entries {
                    var k = k0
                    k.clusterID = -1
                    var t = total[k] ?? (0, 0, [UInt64](repeating: 0, count: ProxyMetrics.buckets.count))
                    t.0 += e.count
                    t.1 += e.sumMs
                    for i in 0..<e.buckets.count { t.2[i] += e.buckets[i] }
                    total[k] = t
                }
            }
        }
        return total.map { ($0.key, $0.value.0, $0.value.1, $0.value.2) }.sorted {
            ($0.0.destinationService, $0.0.code, $0.0.flag.rawValue) < (
                $1.0.destinationService, $1.0.code, $1.0.flag.rawValue
            )
        }
    }

    /// Total requests recorded.
    public var totalRequests: UInt64 { snapshot().reduce(0) { $0 + $1.count } }

    /// The Prometheus text exposition (format 0.0.4).
    public func prometheusText(extra: String = "") -> String {
        var out = ""
        out += "# HELP istio_requests_total Requests processed by the proxy.\n# TYPE istio_requests_total counter\n"
        let snap = snapshot()
        func labels(_ k: Key) -> String {
            let (srcW, srcNs, dstW, dstNs): (String, String, String, String) =
                reporter == "destination"
                ? ("unknown", "unknown", workload, workloadNamespace)
                : (
                    workload, workloadNamespace,
                    k.destinationSubset.isEmpty
                        ? "unknown" : "\(serviceName(k.destinationService))-\(k.destinationSubset)",
                    serviceNamespace(k.destinationService)
                )
            return
                "reporter=\"\(reporter)\",source_workload=\"\(esc(srcW))\",source_workload_namespace=\"\(esc(srcNs))\","
                + "source_app=\"\(esc(reporter == "destination" ? "unknown" : srcW))\","
                + "destination_workload=\"\(esc(dstW))\",destination_workload_namespace=\"\(esc(dstNs))\","
                + "destination_service=\"\(esc(k.destinationService))\",destination_service_name=\"\(esc(serviceName(k.destinationService)))\","
                + "destination_service_namespace=\"\(esc(serviceNamespace(k.destinationService)))\","
                + "destination_version=\"\(esc(k.destinationSubset.isEmpty ? "unknown" : k.destinationSubset))\","
                + "request_protocol=\"http\",response_code=\"\(k.code)\",response_flags=\"\(k.flag.rawValue)\","
                + "grpc_response_status=\"\",connection_security_policy=\"none\""
        }
        for (k, c, _, _) in snap { out += "istio_requests_total{\(labels(k))} \(c)\n" }
        out +=
            "# HELP istio_request_duration_milliseconds Request duration.\n# TYPE istio_request_duration_milliseconds histogram\n"
        for (k, c, sum, b) in snap {
            let l = labels(k)
            for (i, le) in ProxyMetrics.buckets.enumerated() {
                out += "istio_request_duration_milliseconds_bucket{\(l),le=\"\(formatLe(le))\"} \(b[i])\n"
            }
            out += "istio_request_duration_milliseconds_bucket{\(l),le=\"+Inf\"} \(c)\n"
            out += "istio_request_duration_milliseconds_sum{\(l)} \(sum)\n"
            out += "istio_request_duration_milliseconds_count{\(l)} \(c)\n"
        }
        let r = reloadCounts
        out +=
            "# HELP fjord_proxy_table_reloads_total Table reloads by result.\n# TYPE fjord_proxy_table_reloads_total counter\n"
        out +=
            "fjord_proxy_table_reloads_total{result=\"ok\"} \(r.ok)\nfjord_proxy_table_reloads_total{result=\"refused\"} \(r.failed)\n"
        out += extra
        return out
    }

    func formatLe(_ d: Double) -> String { d == d.rounded() ? String(Int(d)) : String(d) }
    func serviceName(_ host: String) -> String { String(host.split(separator: ".").first ?? Substring(host)) }
    func serviceNamespace(_ host: String) -> String {
        let p = host.split(separator: ".")
        return p.count >= 3 && host.hasSuffix(".svc.cluster.local") || p.count >= 2 && p.count < 3
            ? String(p[1]) : "unknown"
    }
    func esc(_ s: String) -> String {
        guard s.contains(where: { $0 == "\"" || $0 == "\\" || $0 == "\n" }) else { return s }
        return s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}

extension String {
    func replacingOccurrences(of a: String, with b: String) -> String {
        var out = ""
        var rest = Substring(self)
        while let r = rest.range(of: a) {
            out += rest[..<r.lowerBound]
            out += b
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}

extension Substring {
    func range(of needle: String) -> Range<Substring.Index>? {
        guard !needle.isEmpty else { return nil }
        var i = startIndex
        while i < endIndex {
            if self[i...].hasPrefix(needle) { return i..<index(i, offsetBy: needle.count) }
            i = index(after: i)
        }
        return nil
    }
}

/// One access-log record, written as a JSON line (Envoy's default JSON fields, where they apply).
public struct AccessLogEntry: Sendable {
    public var startTime: String
    public var method: String
    public var path: String
    public var authority: String
    public var protocolName: String
    public var responseCode: Int
    public var responseFlags: ResponseFlag
    public var bytesReceived: Int
    public var bytesSent: Int
    public var durationMs: Int
    public var upstreamHost: String?
    public var upstreamCluster: String?
    public var routeName: String?
    public var userAgent: String?
    public var requestID: String?
    public var attempts: Int

    public var json: String {
        func q(_ s: String?) -> String { s.map(JSONString.literal) ?? "null" }
        return
            "{\"start_time\":\(q(startTime)),\"method\":\(q(method)),\"path\":\(q(path)),\"protocol\":\(q(protocolName)),"
            + "\"response_code\":\(responseCode),\"response_flags\":\(q(responseFlags.rawValue)),\"bytes_received\":\(bytesReceived),"
            + "\"bytes_sent\":\(bytesSent),\"duration\":\(durationMs),\"upstream_host\":\(q(upstreamHost)),"
            + "\"upstream_cluster\":\(q(upstreamCluster)),\"route_name\":\(q(routeName)),\"authority\":\(q(authority)),"
            + "\"user_agent\":\(q(userAgent)),\"request_id\":\(q(requestID)),\"attempts\":\(attempts)}"
    }
}

/// Where access-log lines go (stdout in the server; a recorder in tests).
public protocol AccessLogSink: AnyObject, Sendable {
    func log(_ entry: AccessLogEntry)
}
