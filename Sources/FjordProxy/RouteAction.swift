import FjordTable
import NIOCore
import NIOHTTP1

/// Which conditions retry an attempt (Istio's `retryOn`, Envoy's `x-envoy-retry-on`).
public struct RetryPolicy: Sendable, Equatable {
    /// Retries after the first attempt (Istio's `attempts`).
    public var attempts: Int
    public var perTryTimeout: TimeAmount?
    /// Envoy's fully jittered exponential backoff: retry n waits a random time in
    /// [0, (2^n - 1) × base), capped at 10 × base. Base 25 ms unless the table says otherwise.
    public var backoffBase: TimeAmount
    public var on5xx = false
    public var onGatewayError = false
    public var onReset = false
    public var onConnectFailure = false
    public var onRetriable4xx = false
    public var onRefusedStream = false
    /// `retriable-status-codes` and bare status codes in `retryOn`.
    public var statusCodes: [Int] = []

    public init(
        attempts: Int, perTryTimeout: TimeAmount? = nil, backoffBase: TimeAmount = .milliseconds(25), retryOn: String
    ) {
        self.attempts = max(0, attempts)
        self.perTryTimeout = perTryTimeout
        self.backoffBase = backoffBase
        for token in retryOn.split(separator: ",") {
            let t = token.trimmingCharacters(in: " ")
            switch t {
            case "5xx": on5xx = true
            case "gateway-error": onGatewayError = true
            case "reset", "reset-before-request": onReset = true
            case "connect-failure": onConnectFailure = true
            case "retriable-4xx": onRetriable4xx = true
            case "refused-stream": onRefusedStream = true
            case "retriable-status-codes": break
            default:
                if let code = Int(t), code >= 100, code <= 599 { statusCodes.append(code) }
            }
        }
    }

    public static let none = RetryPolicy(attempts: 0, retryOn: "")

    /// A response status that should be retried.
    public func retries(status: Int) -> Bool {
        if on5xx && status >= 500 && status <= 599 { return true }
        if onGatewayError && (status == 502 || status == 503 || status == 504) { return true }
        if onRetriable4xx && status == 409 { return true }
        return statusCodes.contains(status)
    }

    /// A reset (the upstream closed before answering) or a per-try timeout.
    public var retriesReset: Bool { on5xx || onGatewayError || onReset }
    /// A failed connect (refused, unreachable, DNS failure, connect timeout).
    public var retriesConnectFailure: Bool { onConnectFailure || onRefusedStream || retriesReset }

    /// The wait before retry `n` (1-based), given a random number.
    public func backoff(retry n: Int, random: UInt64) -> TimeAmount {
        let base = backoffBase.nanoseconds
        let factor = Int64(1) << Int64(min(n, 20))
        let cap = base * 10
        let upper = max(1, min((factor - 1) * base, cap))
        return .nanoseconds(Int64(random % UInt64(upper)))
    }
}

extension Substring {
    func trimmingCharacters(in c: Character) -> String {
        var s = self
        while s.first == c { s = s.dropFirst() }
        while s.last == c { s = s.dropLast() }
        return String(s)
    }
}

/// How the path is rewritten before forwarding.
public enum PathRewrite: @unchecked Sendable {
    /// Istio's `rewrite.uri`: replaces the matched prefix (or the whole path for other matches).
    case uri(String)
    /// `uriRegexRewrite`: every match of the pattern is replaced, `\1`... substitute groups.
    case regex(Regex<AnyRegexOutput>, String)
}

/// Header operations with their names lowercased once.
public struct HeaderOps: Sendable {
    public var setting: [(name: String, value: String)]
    public var adding: [(name: String, value: String)]
    public var removing: [String]
    public var isEmpty: Bool { setting.isEmpty && adding.isEmpty && removing.isEmpty }

    /// Operations whose name is not a header token or whose value has a control character are
    /// dropped: outbound header validation is off (the decoder validated what clients and
    /// upstreams send), so nothing from the table may split a header.
    public init(_ r: HeaderOpsRecord) {
        setting = r.set.filter { isHeaderName($0.name) && isHeaderValue($0.value) }.map {
            ($0.name.lowercased(), $0.value)
        }
        adding = r.add.filter { isHeaderName($0.name) && isHeaderValue($0.value) }.map {
            ($0.name.lowercased(), $0.value)
        }
        removing = r.remove.map { $0.lowercased() }
    }

    public init() {
        setting = []
        adding = []
        removing = []
    }

    /// Istio's order: remove, then set, then add.
    public func apply(to headers: inout HTTPHeaders) {
        for r in removing { headers.remove(name: r) }
        for (n, v) in setting { headers.replaceOrAdd(name: n, value: v) }
        for (n, v) in adding { headers.add(name: n, value: v) }
    }
}

/// RFC 9110 `token`.
public func isHeaderName(_ s: String) -> Bool {
    guard !s.isEmpty else { return false }
    return s.utf8.allSatisfy { c in
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
            || "!#$%&'*+-.^_`|~".utf8.contains(c)
    }
}

/// No control characters but horizontal tab.
public func isHeaderValue(_ s: String) -> Bool {
    s.utf8.allSatisfy { $0 >= 0x20 && $0 != 0x7F || $0 == 0x09 }
}

/// A request target or authority from the table: no spaces or control characters.
func isSafeTarget(_ s: String) -> Bool {
    s.utf8.allSatisfy { $0 > 0x20 && $0 != 0x7F }
}

/// A weighted upstream of a route.
public struct WeightedCluster: Sendable {
    public let cluster: Cluster
    /// Cumulative weight: a draw `r` in `0..<total` picks the first entry with `r < upTo`.
    public let upTo: Int
    /// The destination's own header operations, applied before the action's.
    public let requestHeaders: HeaderOps
    public let responseHeaders: HeaderOps
}

/// An action of the table compiled for the proxy once per loaded image: clusters resolved,
/// header names lowercased, retry conditions parsed, regexes compiled.
public final class RouteAction: @unchecked Sendable {
    public let record: ActionRecord
    public let kind: ActionRecord.Kind
    public let destinations: [WeightedCluster]
    public let totalWeight: Int
    public let requestHeaders: HeaderOps
    public let responseHeaders: HeaderOps
    /// Whether any destination has header operations of its own.
    public let destinationHeaders: Bool
    public let rewrite: PathRewrite?
    public let rewriteAuthority: String?
    public let timeout: TimeAmount?
    public let retry: RetryPolicy
    public let fault: FaultRecord?
    public let mirrors: [(cluster: Cluster, percentage: Double)]
    /// The rule's name (`VirtualService/index` when unnamed), for logs.
    public let routeName: String
    /// The virtual host's name (the destination service of local responses).
    public let virtualHost: String

    public init(
        record: ActionRecord, routeName: String, virtualHost: String, listenerPort: Int,
        cluster: (ClusterKey) -> Cluster
    ) {
        self.record = record
        self.kind = record.kind
        self.routeName = routeName
        self.virtualHost = virtualHost
        var total = 0
        var ds: [WeightedCluster] = []
        for d in record.destinations where d.weight > 0 || record.destinations.count == 1 {
            total += max(d.weight, record.destinations.count == 1 ? 1 : 0)
            ds.append(
                WeightedCluster(
                    cluster: cluster(ClusterKey(host: d.host, subset: d.subset, port: d.port ?? listenerPort)),
                    upTo: total,
                    requestHeaders: HeaderOps(d.requestHeaders), responseHeaders: HeaderOps(d.responseHeaders)))
        }
        destinations = ds
        totalWeight = total
        destinationHeaders = ds.contains { !$0.requestHeaders.isEmpty || !$0.responseHeaders.isEmpty }
        requestHeaders = HeaderOps(record.requestHeaders)
        responseHeaders = HeaderOps(record.responseHeaders)
        if let rw = record.rewrite {
            if let m = rw.regexMatch, let sub = rw.regexSubstitution, isSafeTarget(sub), let re = try? Regex(m) {
                rewrite = .regex(re, sub)
            } else if let u = rw.uri, isSafeTarget(u) {
                rewrite = .uri(u)
            } else {
                rewrite = nil
            }
            rewriteAuthority = rw.authority.flatMap { isSafeTarget($0) ? $0 : nil }
        } else {
            rewrite = nil
            rewriteAuthority = nil
        }
        timeout = record.timeoutMs.flatMap { $0 > 0 ? TimeAmount.milliseconds(Int64($0)) : nil }
        let r = record.retries
        retry =
            r.attempts > 0
            ? RetryPolicy(
                attempts: r.attempts,
                perTryTimeout: r.perTryTimeoutMs.flatMap { $0 > 0 ? .milliseconds(Int64($0)) : nil },
                backoffBase: r.backoffMs.map { .milliseconds(Int64(max(1, $0))) } ?? .milliseconds(25),
                retryOn: r.retryOn)
            : .none
        fault = record.fault
        mirrors = record.mirrors.map {
            (
                cluster(
                    ClusterKey(
                        host: $0.destination.host, subset: $0.destination.subset,
                        port: $0.destination.port ?? listenerPort)), $0.percentage
            )
        }
    }

    /// The index in `destinations` of the destination for a draw in `0..<totalWeight`, nil
    /// when there is none.
    @inlinable
    public func destination(draw: Int) -> Int? {
        var i = 0
        while i < destinations.count {
            if draw < destinations[i].upTo { return i }
            i += 1
        }
        return destinations.isEmpty ? nil : destinations.count - 1
    }

    /// Applies destination `index`'s request header operations, then the action's (Envoy's
    /// order: the route level, applied last, wins over the weighted-cluster level).
    func applyRequestHeaders(destination index: Int, to headers: inout HTTPHeaders) {
        if destinationHeaders, destinations.indices.contains(index) {
            destinations[index].requestHeaders.apply(to: &headers)
        }
        requestHeaders.apply(to: &headers)
    }

    /// The response counterpart of `applyRequestHeaders`.
    func applyResponseHeaders(destination index: Int, to headers: inout HTTPHeaders) {
        if destinationHeaders, destinations.indices.contains(index) {
            destinations[index].responseHeaders.apply(to: &headers)
        }
        responseHeaders.apply(to: &headers)
    }

    /// Whether a request (or response) routed to destination `index` has header operations.
    func hasRequestHeaders(destination index: Int) -> Bool {
        !requestHeaders.isEmpty
            || destinationHeaders && destinations.indices.contains(index) && !destinations[index].requestHeaders.isEmpty
    }

    func hasResponseHeaders(destination index: Int) -> Bool {
        !responseHeaders.isEmpty
            || destinationHeaders && destinations.indices.contains(index)
                && !destinations[index].responseHeaders.isEmpty
    }
}

/// Replaces every match of `re` in `s` with `template`, where `\0`-`\9` name groups (RE2 and
/// Envoy's regex_rewrite syntax).
public func regexReplace(_ s: String, _ re: Regex<AnyRegexOutput>, _ template: String) -> String {
    var out = ""
    var last = s.startIndex
    for m in s.matches(of: re) {
        out += s[last..<m.range.lowerBound]
        var t = template.makeIterator()
        while let c = t.next() {
            if c == "\\", let d = t.next() {
                if let k = d.wholeNumberValue, k < m.output.count {
                    if let sub = m.output[k].substring { out += sub }
                } else {
                    out.append(d)
                }
            } else {
                out.append(c)
            }
        }
        last = m.range.upperBound
    }
    out += s[last...]
    return out
}
