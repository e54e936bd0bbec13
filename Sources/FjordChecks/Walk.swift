import FjordModel
import FjordSource

/// Shared traversals so that each check states only what it looks for.
extension ResourceSet {
    /// Every HTTP rule with its VirtualService.
    public var httpRoutes:
        LazySequence<
            FlattenSequence<
                LazyMapSequence<[VirtualService], LazyMapSequence<[HTTPRoute], (vs: VirtualService, route: HTTPRoute)>>
            >
        >
    {
        virtualServices.lazy.flatMap { vs in vs.http.lazy.map { (vs: vs, route: $0) } }
    }

    /// Every traffic policy of a DestinationRule: top level, per subset, and per port of each.
    public func trafficPolicies(of dr: DestinationRule) -> [TrafficPolicy] {
        var out: [TrafficPolicy] = []
        if let p = dr.trafficPolicy { out.append(p) }
        for s in dr.subsets { if let p = s.trafficPolicy { out.append(p) } }
        return out
    }
}

extension TrafficPolicy {
    /// The policy's own settings and those of each `portLevelSettings` entry.
    public var settingGroups:
        [(
            lb: LoadBalancerSettings?, pool: ConnectionPoolSettings?, outlier: OutlierDetection?,
            tls: ClientTLSSettings?
        )]
    {
        [(loadBalancer, connectionPool, outlierDetection, tls)]
            + portLevelSettings.map { ($0.loadBalancer, $0.connectionPool, $0.outlierDetection, $0.tls) }
    }
}

extension HTTPRoute {
    /// Every destination the rule sends traffic to: route destinations, mirror and mirrors.
    public var allDestinations: [Destination] {
        route.map(\.destination) + (mirror.map { [$0] } ?? []) + mirrors.map(\.destination)
    }

    /// Every string match of every match block, with a label for messages.
    public var allStringMatches: [(label: String, match: StringMatch)] {
        var out: [(String, StringMatch)] = []
        for m in match {
            if let u = m.uri { out.append(("uri", u)) }
            if let s = m.scheme { out.append(("scheme", s)) }
            if let s = m.method { out.append(("method", s)) }
            if let s = m.authority { out.append(("authority", s)) }
            for h in m.headers { out.append(("header `\(h.name.value)`", h.match)) }
            for q in m.queryParams { out.append(("query parameter `\(q.name.value)`", q.match)) }
            for h in m.withoutHeaders { out.append(("withoutHeaders `\(h.name.value)`", h.match)) }
        }
        if let cors = corsPolicy { for o in cors.allowOrigins { out.append(("CORS origin", o)) } }
        return out
    }
}

/// DNS-1123 label: lowercase alphanumerics and `-`, starting and ending alphanumeric, at most 63.
public func isDNS1123Label(_ s: String) -> Bool {
    let u = Array(s.utf8)
    guard !u.isEmpty, u.count <= 63 else { return false }
    func alnum(_ c: UInt8) -> Bool { (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) }
    guard alnum(u[0]), alnum(u[u.count - 1]) else { return false }
    return u.allSatisfy { alnum($0) || $0 == UInt8(ascii: "-") }
}

/// A host name as Istio accepts it: DNS labels separated by dots, the first of which may be a
/// wildcard label (`*.example.com`, `*x.example.com`; `*` alone only when `allowBareWildcard`).
public func hostProblem(_ host: String, allowWildcard: Bool, allowBareWildcard: Bool) -> String? {
    if host.isEmpty { return "a host cannot be empty" }
    if host == "*" { return allowBareWildcard ? nil : "the wildcard host `*` is not allowed here" }
    var h = Substring(host)
    if h.hasPrefix("*") {
        // Istio's wildcard label (`labels.IsWildcardDNS1123Label`): `*`, or a label with a leading
        // `*` or `*-` (`*.example.com`, `*x.example.com`, `*-api.example.com`).
        guard allowWildcard else { return "a wildcard host is not allowed here" }
        if h.hasPrefix("*.") {
            h = h.dropFirst(2)
        } else {
            h = h.dropFirst(h.hasPrefix("*-") ? 2 : 1)
            if h.first == "-" || h.first == "." {
                return "a wildcard label is `*`, or `*` or `*-` before a host name label"
            }
        }
    }
    if h.contains("*") {
        return "a wildcard is only allowed at the start of the first label (`*.example.com`)"
    }
    if h.count > 253 { return "a host name cannot be longer than 253 characters" }
    for label in h.split(separator: ".", omittingEmptySubsequences: false) {
        let u = Array(label.utf8)
        if u.isEmpty { return "a host name cannot contain an empty label" }
        if u.count > 63 { return "a host name label cannot be longer than 63 characters" }
        let ok = u.allSatisfy { c in
            (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "-")
                || c == UInt8(ascii: "_")
        }
        if !ok { return "`\(label)` is not a valid host name label" }
        if u.first == UInt8(ascii: "-") || u.last == UInt8(ascii: "-") {
            return "a host name label cannot start or end with `-`"
        }
    }
    return nil
}

/// Formats a duration the way users write it (`1.5s`, `250ms`).
public func formatDuration(_ d: Duration) -> String {
    let (s, attos) = d.components
    let ms = s * 1000 + attos / 1_000_000_000_000_000
    let subMillisecond = attos % 1_000_000_000_000_000 != 0
    if subMillisecond || ms == 0 {
        let ns = s * 1_000_000_000 + attos / 1_000_000_000
        if ns == 0 { return "0s" }
        if ns >= 1_000_000 { return "\(Double(ns) / 1e6)ms" }
        return ns % 1000 == 0 ? "\(ns / 1000)us" : "\(ns)ns"
    }
    if ms % 1000 == 0 { return "\(ms / 1000)s" }
    if ms >= 1000 {
        var text = String(Double(ms) / 1000)
        while text.hasSuffix("0") { text.removeLast() }
        return text + "s"
    }
    return "\(ms)ms"
}

/// The range of `length` characters at `offset` inside a one-line scalar written at `range`
/// (plain or quoted); the whole range when that cannot be told.
public func subrange(of range: SourceRange, text: String, offset: Int, length: Int) -> SourceRange {
    guard range.start.line == range.end.line else { return range }
    let width = range.end.column - range.start.column
    let count = text.unicodeScalars.count
    let quote: Int
    if width == count { quote = 0 } else if width == count + 2 { quote = 1 } else { return range }
    let start = SourcePosition(line: range.start.line, column: range.start.column + quote + offset)
    return SourceRange(
        file: range.file, start: start, end: SourcePosition(line: start.line, column: start.column + length))
}
