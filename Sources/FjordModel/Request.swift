/// An HTTP request as the routing semantics sees it.
public struct MeshRequest: Hashable, Sendable, CustomStringConvertible {
    public var method: String
    public var scheme: String
    /// The `Host` / `:authority` header as sent (may carry a port).
    public var authority: String
    /// The path with its query string (`/api?x=1`).
    public var path: String
    /// Header names in lowercase; repeated names are matched joined with `,` (as Envoy does).
    public var headers: [HeaderField]
    /// The listener port the request arrived on.
    public var port: Int

    public struct HeaderField: Hashable, Sendable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name.lowercased()
            self.value = value
        }
    }

    public init(
        method: String = "GET", scheme: String = "http", authority: String, path: String = "/",
        headers: [HeaderField] = [], port: Int = 80
    ) {
        self.method = method
        self.scheme = scheme
        self.authority = authority
        self.path = path.isEmpty ? "/" : path
        self.headers = headers
        self.port = port
    }

    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Parses `GET http://payment-service:8080/api?x=1` (the method is optional and defaults to
    /// GET; the port defaults to the authority's port, else 80 for http and 443 for https).
    public static func parse(_ line: String, headers: [HeaderField] = [], port: Int? = nil) throws -> MeshRequest {
        var rest = Substring(line.drop { $0 == " " })
        var method = "GET"
        if let space = rest.firstIndex(of: " ") {
            method = String(rest[..<space])
            rest = rest[rest.index(after: space)...].drop { $0 == " " }
        }
        guard let colon = rest.firstIndex(of: ":"), rest[colon...].hasPrefix("://") else {
            throw ParseError(description: "expected a URL such as `http://host/path`, found `\(rest)`")
        }
        let scheme = rest[..<colon].lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw ParseError(description: "the URL scheme must be `http` or `https`, found `\(scheme)`")
        }
        let afterScheme = rest[rest.index(colon, offsetBy: 3)...]
        let pathStart = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? afterScheme.endIndex
        let authority = String(afterScheme[..<pathStart])
        guard !authority.isEmpty else { throw ParseError(description: "the URL has no host") }
        var path = String(afterScheme[pathStart...])
        if path.hasPrefix("?") { path = "/" + path }
        if path.isEmpty { path = "/" }
        let listener = port ?? authorityPort(authority) ?? (scheme == "https" ? 443 : 80)
        return MeshRequest(
            method: method, scheme: String(scheme), authority: authority, path: path, headers: headers, port: listener)
    }

    /// The port written in an authority (`host:8080`), if any.
    public static func authorityPort(_ authority: String) -> Int? {
        if authority.hasPrefix("[") {  // [v6]:port
            guard let close = authority.firstIndex(of: "]") else { return nil }
            let after = authority[authority.index(after: close)...]
            return after.hasPrefix(":") ? Int(after.dropFirst()) : nil
        }
        guard let colon = authority.lastIndex(of: ":") else { return nil }
        return Int(authority[authority.index(after: colon)...])
    }

    /// The authority without a port, lowercased.
    public var hostName: String {
        var a = authority.lowercased()
        if a.hasPrefix("[") { return a }
        if let colon = a.lastIndex(of: ":"), Int(a[a.index(after: colon)...]) != nil { a = String(a[..<colon]) }
        return a
    }

    /// The path without query string and fragment.
    public var pathOnly: String {
        let end = path.firstIndex(where: { $0 == "?" || $0 == "#" }) ?? path.endIndex
        return String(path[..<end])
    }

    /// The path with query but without a fragment (what Envoy's prefix match sees).
    public var pathAndQuery: String {
        let end = path.firstIndex(of: "#") ?? path.endIndex
        return String(path[..<end])
    }

    /// The value of a header (repeated headers joined with `,`), or nil when absent.
    public func header(_ name: String) -> String? {
        let n = name.lowercased()
        let values = headers.filter { $0.name == n }.map(\.value)
        return values.isEmpty ? nil : values.joined(separator: ",")
    }

    /// The first value of a query parameter, percent-decoded; `""` for `?key` without value;
    /// nil when absent.
    public func queryParameter(_ name: String) -> String? {
        guard let q = path.firstIndex(of: "?") else { return nil }
        let end = path.firstIndex(of: "#") ?? path.endIndex
        guard q < end else { return nil }
        for pair in path[path.index(after: q)..<end].split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if percentDecode(String(parts[0])) == name {
                return parts.count > 1 ? percentDecode(String(parts[1])) : ""
            }
        }
        return nil
    }

    public var description: String {
        var s = "\(method) \(scheme)://\(authority)\(path)"
        for h in headers { s += "  \(h.name): \(h.value)" }
        return s
    }
}

/// `%41` -> `A`; malformed escapes are kept as written.
public func percentDecode(_ s: String) -> String {
    guard s.contains("%") else { return s }
    var out: [UInt8] = []
    let u = Array(s.utf8)
    var i = 0
    func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }
    while i < u.count {
        if u[i] == 0x25, i + 2 < u.count, let h = hex(u[i + 1]), let l = hex(u[i + 2]) {
            out.append(h << 4 | l)
            i += 3
        } else {
            out.append(u[i])
            i += 1
        }
    }
    return String(decoding: out, as: UTF8.self)
}

/// Which proxy a table or decision is for.
public enum ProxyScope: Hashable, Sendable, CustomStringConvertible, Comparable {
    /// The sidecar of a workload, `namespace/name`.
    case sidecar(String)
    /// An Istio Gateway, `namespace/name`.
    case gateway(String)

    public var description: String {
        switch self {
        case .sidecar(let w): "sidecar \(w)"
        case .gateway(let g): "gateway \(g)"
        }
    }

    public var id: String {
        switch self {
        case .sidecar(let w), .gateway(let w): w
        }
    }

    public var namespace: String { String(id.split(separator: "/").first ?? "") }

    public static func < (a: ProxyScope, b: ProxyScope) -> Bool { a.description < b.description }
}
