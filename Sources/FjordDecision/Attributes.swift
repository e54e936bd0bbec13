import FjordModel
import FjordTable

/// A request attribute a decision diagram can branch on, or (for the verifier) a config-time
/// property of the proxy that Istio resolves before the request arrives.
public enum AttributeKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Path without query (`exact` and `regex` uri matches).
    case path
    /// Path with query (`prefix` uri matches, as Envoy's prefix sees it).
    case pathWithQuery
    case method
    case scheme
    case authority
    case header(String)
    case query(String)
    // Config-time selectors, used only when analysing a VirtualService for every proxy at once.
    case port
    case sourceNamespace
    case sourceLabel(String)
    case gateway
    /// TCP and TLS routes: the destination address as a bit string (CIDR matches are prefixes).
    case destinationIP
    /// TLS routes: the SNI host, reversed (`*.example.com` matches are prefixes of it).
    case sni

    public var description: String {
        switch self {
        case .path: "path"
        case .pathWithQuery: "path (with query)"
        case .method: "method"
        case .scheme: "scheme"
        case .authority: "authority"
        case .header(let h): "header `\(h)`"
        case .query(let q): "query parameter `\(q)`"
        case .port: "port"
        case .sourceNamespace: "source namespace"
        case .sourceLabel(let l): "source label `\(l)`"
        case .gateway: "gateway"
        case .destinationIP: "destination address"
        case .sni: "SNI host"
        }
    }

    /// Whether the value can be absent (headers, query parameters, source labels).
    public var canBeAbsent: Bool {
        switch self {
        case .header, .query, .sourceLabel: true
        default: false
        }
    }

    /// The table's attribute kind and name, for request attributes.
    public var tableKind: (TableProgram.AttributeKind, String?)? {
        switch self {
        case .path: (.path, nil)
        case .pathWithQuery: (.pathWithQuery, nil)
        case .method: (.method, nil)
        case .scheme: (.scheme, nil)
        case .authority: (.authority, nil)
        case .header(let h): (.header, h)
        case .query(let q): (.query, q)
        default: nil
        }
    }

    var rank: Int {
        switch self {
        case .port: 0
        case .gateway: 1
        case .sourceNamespace: 2
        case .sourceLabel: 3
        case .authority: 4
        case .scheme: 5
        case .method: 6
        case .path: 7
        case .pathWithQuery: 8
        case .header: 9
        case .query: 10
        case .destinationIP: 11
        case .sni: 12
        }
    }

    var name: String {
        switch self {
        case .header(let n), .query(let n), .sourceLabel(let n): n
        default: ""
        }
    }

    public static func < (a: AttributeKey, b: AttributeKey) -> Bool {
        a.rank != b.rank ? a.rank < b.rank : a.name < b.name
    }

    /// The attribute's value in a request, nil when absent.
    public func value(in r: MeshRequest) -> String? {
        switch self {
        case .path: r.pathOnly
        case .pathWithQuery: r.pathAndQuery
        case .method: r.method
        case .scheme: r.scheme
        case .authority: r.authority
        case .header(let h): r.header(h)
        case .query(let q): r.queryParameter(q)
        case .port: String(r.port)
        case .sourceNamespace, .sourceLabel, .gateway, .destinationIP, .sni: nil
        }
    }
}

/// A string predicate on one attribute.
public struct Predicate: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        case exact(String)
        case prefix(String)
        case regex(String)
        /// The attribute is present (any value).
        case present
    }
    public var kind: Kind
    /// ASCII case folding (`ignoreUriCase`) for exact and prefix.
    public var caseInsensitive: Bool

    public init(_ kind: Kind, caseInsensitive: Bool = false) {
        self.kind = kind
        self.caseInsensitive = caseInsensitive
    }

    public var description: String {
        let ci = caseInsensitive ? " (ignoring case)" : ""
        switch kind {
        case .exact(let s): return "exact `\(s)`\(ci)"
        case .prefix(let s): return "prefix `\(s)`\(ci)"
        case .regex(let s): return "regex `\(s)`"
        case .present: return "present"
        }
    }
}

/// One condition of a match block: the attribute satisfies one of `predicates` (or, negated,
/// none of them).
public struct Condition: Hashable, Sendable, CustomStringConvertible {
    public var attribute: AttributeKey
    public var predicates: [Predicate]
    public var negated: Bool

    public init(_ attribute: AttributeKey, _ predicates: [Predicate], negated: Bool = false) {
        self.attribute = attribute
        self.predicates = predicates
        self.negated = negated
    }

    public var description: String {
        let p = predicates.map(\.description).joined(separator: " or ")
        return negated ? "\(attribute) not \(p)" : "\(attribute) \(p)"
    }
}

extension AttributeKey {
    /// The bytes no value of this attribute can hold: the attribute's alphabet is every other
    /// byte. No request line or field value carries NUL, LF or CR (RFC 9112 request-target,
    /// RFC 9110 and RFC 9113 field values); the path without its query has no `?` and neither
    /// path form has a fragment (`#`), as `MeshRequest.pathOnly` and `pathAndQuery` split them.
    /// The analysis only considers values over the alphabet; the classifier puts values outside
    /// it, which no proxy lets through, in the class that satisfies nothing.
    public var excludedBytes: [UInt8] {
        switch self {
        case .path: [0x00, 0x0A, 0x0D, UInt8(ascii: "?"), UInt8(ascii: "#")]
        case .pathWithQuery: [0x00, 0x0A, 0x0D, UInt8(ascii: "#")]
        default: [0x00, 0x0A, 0x0D]
        }
    }

    /// Whether `value` is in the attribute's alphabet.
    public func admits(_ value: String) -> Bool {
        let excluded = excludedBytes
        return !value.utf8.contains { excluded.contains($0) }
    }
}

/// A match block as a conjunction of conditions, sorted by attribute.
public struct Conjunction: Hashable, Sendable {
    public var conditions: [Condition]
    public init(_ conditions: [Condition]) {
        self.conditions = conditions.sorted { $0.attribute < $1.attribute }
    }
    public var attributes: [AttributeKey] { conditions.map(\.attribute) }
}

extension Conjunction {
    /// The conditions of a match block as the runtime sees them (selectors already resolved).
    public init(_ b: MatchBlock) {
        var c: [Condition] = []
        if let u = b.uri {
            switch u.kind {
            case .exact(let e): c.append(Condition(.path, [Predicate(.exact(e), caseInsensitive: b.ignoreUriCase)]))
            case .prefix(let p):
                // Envoy's prefix sees the path with its query, but for a prefix without `?` that
                // is the same as a prefix of the path alone; keeping one attribute lets the
                // diagrams see that exact, regex and prefix conditions talk about one value.
                // A prefix with `?` fixes the whole path (what comes before its first `?`), so
                // it is that exact path and the prefix of the path with query: then exact and
                // regex matches on the path can cover it (`exact: /search` covers
                // `prefix: /search?`).
                if let q = p.firstIndex(of: "?") {
                    c.append(Condition(.path, [Predicate(.exact(String(p[..<q])), caseInsensitive: b.ignoreUriCase)]))
                    c.append(Condition(.pathWithQuery, [Predicate(.prefix(p), caseInsensitive: b.ignoreUriCase)]))
                } else if !p.isEmpty {
                    c.append(Condition(.path, [Predicate(.prefix(p), caseInsensitive: b.ignoreUriCase)]))
                }
            case .regex(let r): c.append(Condition(.path, [Predicate(.regex(r))]))
            case .present: break
            }
        }
        func add(_ attribute: AttributeKey, _ m: StringMatch?, negated: Bool = false) {
            guard let m else { return }
            switch m.kind {
            case .exact(let e): c.append(Condition(attribute, [Predicate(.exact(e))], negated: negated))
            case .prefix(let p):
                // A prefix "" on an attribute that is always present is no condition at all.
                if p.isEmpty && !attribute.canBeAbsent && !negated { return }
                c.append(Condition(attribute, [Predicate(.prefix(p))], negated: negated))
            case .regex(let r): c.append(Condition(attribute, [Predicate(.regex(r))], negated: negated))
            case .present:
                if attribute.canBeAbsent || negated {
                    c.append(Condition(attribute, [Predicate(.present)], negated: negated))
                }
            }
        }
        add(.scheme, b.scheme)
        add(.method, b.method)
        add(.authority, b.authority)
        for h in b.headers { add(.header(h.name.value.lowercased()), h.match) }
        for q in b.queryParams { add(.query(q.name.value), q.match) }
        for h in b.withoutHeaders { add(.header(h.name.value.lowercased()), h.match, negated: true) }
        self.init(Conjunction.merging(c))
    }

    /// Several conditions on one attribute stay separate conditions; the diagram intersects
    /// them. (Kept as a hook should merging ever pay off.)
    static func merging(_ c: [Condition]) -> [Condition] { c }
}
