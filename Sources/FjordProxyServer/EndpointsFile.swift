import FjordProxy

/// The endpoints file: which addresses serve each host and port, with their labels (subsets
/// select by them) and locality. It is read with a small parser for a restricted YAML subset
/// (`docs/proxy.md`), not a YAML library: the sidecar does not link libyaml.
///
/// ```yaml
/// locality: norwayeast/norwayeast-1        # the proxy's own locality (optional)
/// services:
/// - host: payment-service.payments.svc.cluster.local
///   port: 8080                             # optional: without it, every port
///   endpoints:
///   - address: 10.0.0.7:8080               # host:port, or `address` + `port`
///     labels: {app: payment-service, version: v1}
///     locality: norwayeast/norwayeast-1
/// ```
public struct EndpointsFile: Sendable {
    public var directory: EndpointDirectory
    public var locality: Locality?

    public struct ParseError: Error, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    public init(directory: EndpointDirectory = EndpointDirectory(), locality: Locality? = nil) {
        self.directory = directory
        self.locality = locality
    }

    public init(parsing text: String) throws(ParseError) {
        let root = try MiniYAML.parse(text)
        guard case .map(let top) = root else {
            if case .null = root { self.init(); return }
            throw ParseError(line: 1, message: "the file must be a mapping with a `services` list")
        }
        var directory = EndpointDirectory()
        var locality: Locality?
        for (key, value, line) in top {
            switch key {
            case "locality":
                guard case .scalar(let s, _) = value else {
                    throw ParseError(line: line, message: "`locality` must be a string")
                }
                locality = Locality(parsing: s)
            case "services":
                guard case .list(let items) = value else {
                    if case .null = value { continue }
                    throw ParseError(line: line, message: "`services` must be a list")
                }
                for (item, itemLine) in items {
                    guard case .map(let svc) = item else {
                        throw ParseError(line: itemLine, message: "a service must be a mapping")
                    }
                    var host: String?
                    var port = 0
                    var endpoints: [EndpointSpec] = []
                    for (k, v, l) in svc {
                        switch k {
                        case "host":
                            guard case .scalar(let s, _) = v, !s.isEmpty else {
                                throw ParseError(line: l, message: "`host` must be a host name")
                            }
                            host = s.lowercased()
                        case "port":
                            guard case .scalar(let s, _) = v, let p = Int(s), p > 0, p < 65536 else {
                                throw ParseError(line: l, message: "`port` must be a number from 1 to 65535")
                            }
                            port = p
                        case "endpoints":
                            guard case .list(let eps) = v else {
                                if case .null = v { continue }
                                throw ParseError(line: l, message: "`endpoints` must be a list")
                            }
                            for (ep, epLine) in eps {
                                endpoints.append(try Self.endpoint(ep, line: epLine, defaultPort: port))
                            }
                        default:
                            throw ParseError(
                                line: l, message: "unknown field `\(k)` of a service (host, port, endpoints)")
                        }
                    }
                    guard let host else { throw ParseError(line: itemLine, message: "a service needs a `host`") }
                    directory.services[EndpointDirectory.ServiceKey(host: host, port: port), default: []].append(
                        contentsOf: endpoints)
                }
            default:
                throw ParseError(line: line, message: "unknown field `\(key)` (locality, services)")
            }
        }
        self.init(directory: directory, locality: locality)
    }

    static func endpoint(_ node: MiniYAML.LNode, line: Int, defaultPort: Int) throws(ParseError) -> EndpointSpec {
        guard case .map(let fields) = node else {
            throw ParseError(line: line, message: "an endpoint must be a mapping with an `address`")
        }
        var address: String?
        var port: Int?
        var labels: [String: String] = [:]
        var locality = Locality()
        for (k, v, l) in fields {
            switch k {
            case "address":
                guard case .scalar(let s, _) = v, !s.isEmpty else {
                    throw ParseError(line: l, message: "`address` must be `host:port` or a host")
                }
                let (h, p) = splitHostPortOptional(s)
                address = h
                if let p { port = p }
            case "port":
                guard case .scalar(let s, _) = v, let p = Int(s), p > 0, p < 65536 else {
                    throw ParseError(line: l, message: "`port` must be a number from 1 to 65535")
                }
                port = p
            case "labels":
                switch v {
                case .map(let ls):
                    for (lk, lv, ll) in ls {
                        guard case .scalar(let s, _) = lv else {
                            throw ParseError(line: ll, message: "label `\(lk)` must have a string value")
                        }
                        labels[lk] = s
                    }
                case .null: break
                default: throw ParseError(line: l, message: "`labels` must be a mapping")
                }
            case "locality":
                guard case .scalar(let s, _) = v else {
                    throw ParseError(line: l, message: "`locality` must be `region/zone/subzone`")
                }
                locality = Locality(parsing: s)
            default:
                throw ParseError(
                    line: l, message: "unknown field `\(k)` of an endpoint (address, port, labels, locality)")
            }
        }
        guard let address else { throw ParseError(line: line, message: "an endpoint needs an `address`") }
        guard let p = port ?? (defaultPort > 0 ? defaultPort : nil) else {
            throw ParseError(
                line: line,
                message:
                    "endpoint `\(address)` has no port (give `address: host:port`, `port`, or the service's `port`)")
        }
        return EndpointSpec(address: address, port: p, labels: labels, locality: locality)
    }
}

/// A parser for the YAML subset the endpoints file uses: block mappings and sequences by
/// indentation, `- ` items (also `- key: value` opening a mapping), flow mappings and sequences
/// of scalars on one line (`{a: b, c: d}`, `[a, b]`), plain, single- and double-quoted scalars,
/// and `#` comments. No anchors, tags, multi-line scalars or documents: those are errors.
public enum MiniYAML {
    /// Nodes with the line they start on.
    public indirect enum LNode: Sendable {
        case null
        case scalar(String, Bool)
        case list([(LNode, Int)])
        case map([(String, LNode, Int)])
    }

    struct Line {
        var number: Int
        var indent: Int
        var text: Substring
    }

    public static func parse(_ text: String) throws(EndpointsFile.ParseError) -> LNode {
        var lines: [Line] = []
        var n = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            n += 1
            var s = raw
            if s.last == "\r" { s = s.dropLast() }
            if s.contains("\t") && s.prefix(while: { $0 == " " || $0 == "\t" }).contains("\t") {
                throw EndpointsFile.ParseError(line: n, message: "tabs are not allowed for indentation")
            }
            let stripped = stripComment(s)
            let trimmed = stripped.drop(while: { $0 == " " })
            if trimmed.isEmpty { continue }
            if trimmed == "---" && lines.isEmpty { continue }
            if trimmed.hasPrefix("&") || trimmed.hasPrefix("*") || trimmed.hasPrefix("!") || trimmed.hasPrefix("|")
                || trimmed.hasPrefix(">")
            {
                throw EndpointsFile.ParseError(
                    line: n, message: "anchors, aliases, tags and block scalars are not supported here")
            }
            lines.append(
                Line(
                    number: n, indent: stripped.count - trimmed.count,
                    text: Substring(trimmed.reversed().drop(while: { $0 == " " }).reversed())))
        }
        var i = 0
        if lines.isEmpty { return .null }
        let node = try block(&lines, &i, indent: lines[0].indent)
        if i < lines.count { throw EndpointsFile.ParseError(line: lines[i].number, message: "unexpected indentation") }
        return node
    }

    /// Removes a `#` comment that is not inside quotes.
    static func stripComment(_ s: Substring) -> Substring {
        var quote: Character?
        var prev: Character = " "
        for i in s.indices {
            let c = s[i]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "#" && (prev == " " || i == s.startIndex) {
                return s[..<i]
            }
            prev = c
        }
        return s
    }

    static func block(_ lines: inout [Line], _ i: inout Int, indent: Int) throws(EndpointsFile.ParseError) -> LNode {
        let first = lines[i]
        if first.text.hasPrefix("- ") || first.text == "-" {
            var items: [(LNode, Int)] = []
            while i < lines.count, lines[i].indent == indent, lines[i].text.hasPrefix("- ") || lines[i].text == "-" {
                let line = lines[i]
                let rest = line.text.dropFirst(1).drop(while: { $0 == " " })
                let restIndent = indent + (line.text.count - rest.count)
                if rest.isEmpty {
                    i += 1
                    if i < lines.count, lines[i].indent > indent {
                        items.append((try block(&lines, &i, indent: lines[i].indent), line.number))
                    } else {
                        items.append((.null, line.number))
                    }
                } else if keyValue(rest) != nil {
                    // `- key: value` opens a mapping whose later keys align with `key`.
                    lines[i] = Line(number: line.number, indent: restIndent, text: rest)
                    items.append((try block(&lines, &i, indent: restIndent), line.number))
                } else {
                    items.append((try scalarOrFlow(rest, line: line.number), line.number))
                    i += 1
                }
            }
            return .list(items)
        }
        var entries: [(String, LNode, Int)] = []
        while i < lines.count, lines[i].indent == indent {
            let line = lines[i]
            guard let (k, v) = keyValue(line.text) else {
                throw EndpointsFile.ParseError(line: line.number, message: "expected `key: value`")
            }
            if entries.contains(where: { $0.0 == k }) {
                throw EndpointsFile.ParseError(line: line.number, message: "duplicate key `\(k)`")
            }
            i += 1
            if v.isEmpty {
                if i < lines.count, lines[i].indent > indent {
                    entries.append((k, try block(&lines, &i, indent: lines[i].indent), line.number))
                } else if i < lines.count, lines[i].indent == indent, lines[i].text.hasPrefix("- ") {
                    // A sequence may sit at its key's indentation.
                    entries.append((k, try block(&lines, &i, indent: indent), line.number))
                } else {
                    entries.append((k, .null, line.number))
                }
            } else {
                entries.append((k, try scalarOrFlow(v, line: line.number), line.number))
            }
        }
        if i < lines.count, lines[i].indent > indent {
            throw EndpointsFile.ParseError(line: lines[i].number, message: "unexpected indentation")
        }
        return .map(entries)
    }

    /// `key: value` (value possibly empty); nil when the line is not a mapping entry.
    static func keyValue(_ s: Substring) -> (String, Substring)? {
        if s.hasPrefix("{") || s.hasPrefix("[") { return nil }
        if let q = s.first, q == "\"" || q == "'" {
            guard let close = s.dropFirst().firstIndex(of: q) else { return nil }
            let after = s[s.index(after: close)...]
            guard after.hasPrefix(":") else { return nil }
            return (String(s[s.index(after: s.startIndex)..<close]), after.dropFirst().drop(while: { $0 == " " }))
        }
        var i = s.startIndex
        while i < s.endIndex {
            if s[i] == ":" {
                let next = s.index(after: i)
                if next == s.endIndex || s[next] == " " {
                    return (String(s[..<i]).trimmed, s[next...].drop(while: { $0 == " " }))
                }
            }
            i = s.index(after: i)
        }
        return nil
    }

    static func scalarOrFlow(_ s: Substring, line: Int) throws(EndpointsFile.ParseError) -> LNode {
        if s.hasPrefix("{") {
            guard s.hasSuffix("}") else { throw EndpointsFile.ParseError(line: line, message: "unterminated `{`") }
            var entries: [(String, LNode, Int)] = []
            for part in splitFlow(s.dropFirst().dropLast()) where !part.trimmed.isEmpty {
                guard let (k, v) = keyValue(Substring(part.trimmed)) else {
                    throw EndpointsFile.ParseError(line: line, message: "expected `key: value` in `{...}`")
                }
                entries.append((k, try scalar(v, line: line), line))
            }
            return .map(entries)
        }
        if s.hasPrefix("[") {
            guard s.hasSuffix("]") else { throw EndpointsFile.ParseError(line: line, message: "unterminated `[`") }
            var items: [(LNode, Int)] = []
            for part in splitFlow(s.dropFirst().dropLast()) where !part.trimmed.isEmpty {
                items.append((try scalar(Substring(part.trimmed), line: line), line))
            }
            return .list(items)
        }
        return try scalar(s, line: line)
    }

    static func splitFlow(_ s: Substring) -> [Substring] {
        var parts: [Substring] = []
        var quote: Character?
        var start = s.startIndex
        for i in s.indices {
            let c = s[i]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "," {
                parts.append(s[start..<i])
                start = s.index(after: i)
            }
        }
        parts.append(s[start...])
        return parts
    }

    static func scalar(_ s: Substring, line: Int) throws(EndpointsFile.ParseError) -> LNode {
        if let q = s.first, q == "\"" || q == "'" {
            guard s.count >= 2, s.last == q else {
                throw EndpointsFile.ParseError(line: line, message: "unterminated quoted string")
            }
            let inner = s.dropFirst().dropLast()
            if q == "'" { return .scalar(inner.replacingAll("''", "'"), true) }
            var out = ""
            var it = inner.makeIterator()
            while let c = it.next() {
                if c == "\\" {
                    switch it.next() {
                    case "n": out += "\n"
                    case "t": out += "\t"
                    case "\"": out += "\""
                    case "\\": out += "\\"
                    case let x?: out += "\\" + String(x)
                    case nil: out += "\\"
                    }
                } else {
                    out.append(c)
                }
            }
            return .scalar(out, true)
        }
        if s == "~" || s == "null" { return .null }
        if s.hasPrefix("&") || s.hasPrefix("*") || s.hasPrefix("!") || s.hasPrefix("|") || s.hasPrefix(">") {
            throw EndpointsFile.ParseError(
                line: line, message: "anchors, aliases, tags and block scalars are not supported here")
        }
        return .scalar(String(s), false)
    }
}

extension String {
    var trimmed: String { String(self.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed()) }
}

extension Substring {
    var trimmed: String { String(self).trimmed }
    func replacingAll(_ a: String, _ b: String) -> String {
        var out = ""
        var rest = self
        while let r = rest.firstRange(of: a) {
            out += rest[..<r.lowerBound]
            out += b
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
