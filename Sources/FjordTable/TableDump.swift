// A deterministic JSON rendering of a table, for the proxy's `/tables` endpoint and
// `fjord compile --dump`. String indexes are resolved to the strings; everything else keeps its
// index so the dump reads alongside `grammar/table-format.md`.

import FjordBasics

/// A JSON value with ordered object keys.
enum JSONValue {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    func render(into s: inout String, indent: Int) {
        switch self {
        case .null: s += "null"
        case .bool(let b): s += b ? "true" : "false"
        case .int(let i): s += String(i)
        case .double(let d): s += d.isFinite ? String(d) : "null"
        case .string(let t): JSONString.write(t, to: &s)
        case .array(let items):
            if items.isEmpty {
                s += "[]"
                return
            }
            if items.allSatisfy(\.isScalar) {
                s += "["
                for (i, v) in items.enumerated() {
                    if i > 0 { s += ", " }
                    v.render(into: &s, indent: indent)
                }
                s += "]"
                return
            }
            s += "[\n"
            for (i, v) in items.enumerated() {
                s += String(repeating: " ", count: indent + 2)
                v.render(into: &s, indent: indent + 2)
                s += i + 1 < items.count ? ",\n" : "\n"
            }
            s += String(repeating: " ", count: indent) + "]"
        case .object(let fields):
            if fields.isEmpty {
                s += "{}"
                return
            }
            s += "{\n"
            for (i, (k, v)) in fields.enumerated() {
                s += String(repeating: " ", count: indent + 2)
                JSONString.write(k, to: &s)
                s += ": "
                v.render(into: &s, indent: indent + 2)
                s += i + 1 < fields.count ? ",\n" : "\n"
            }
            s += String(repeating: " ", count: indent) + "}"
        }
    }

    var isScalar: Bool {
        switch self {
        case .array, .object: false
        default: true
        }
    }
}

extension TableProgram {
    /// The program as deterministic, indented JSON (the same program always gives the same
    /// text).
    public func dumpJSON() -> String {
        dumpJSON(version: "\(TableImageFormat.majorVersion).\(TableImageFormat.minorVersion)")
    }

    func dumpJSON(version: String) -> String {
        func s(_ i: UInt32) -> JSONValue { Int(i) < strings.count ? .string(strings[Int(i)]) : .int(Int(i)) }
        func opt(_ i: UInt32) -> JSONValue { i == .max ? .null : s(i) }
        func u(_ i: UInt32) -> JSONValue { .int(Int(i)) }
        func ou(_ i: UInt32?) -> JSONValue { i.map { .int(Int($0)) } ?? .null }
        func oi(_ i: Int?) -> JSONValue { i.map { .int($0) } ?? .null }
        func os(_ t: String?) -> JSONValue { t.map { .string($0) } ?? .null }
        func ref(_ r: NodeRef) -> JSONValue { .string(r.description) }
        func entries(_ e: [HostEntry]) -> JSONValue {
            .array(
                e.map {
                    .object([
                        ("host", s($0.host)),
                        (
                            "virtualHost",
                            $0.virtualHost == TableProgram.hiddenVirtualHost ? .string("hidden") : u($0.virtualHost)
                        ),
                    ])
                })
        }
        func pairs(_ p: [RegionPair]) -> JSONValue { .array(p.map { .array([s($0.from), s($0.to)]) }) }
        func headerPairs(_ p: [HeaderPair]) -> JSONValue {
            .array(p.map { .array([.string($0.name), .string($0.value)]) })
        }
        func ops(_ o: HeaderOpsRecord) -> JSONValue {
            .object([
                ("set", headerPairs(o.set)), ("add", headerPairs(o.add)),
                ("remove", .array(o.remove.map { .string($0) })),
            ])
        }
        func destination(_ d: DestinationRecord) -> JSONValue {
            .object([
                ("host", .string(d.host)), ("subset", os(d.subset)), ("port", oi(d.port)), ("weight", .int(d.weight)),
                ("requestHeaders", ops(d.requestHeaders)), ("responseHeaders", ops(d.responseHeaders)),
            ])
        }
        func classifier(_ c: Classifier) -> JSONValue {
            var f: [(String, JSONValue)] = [("classCount", u(c.classCount)), ("absentClass", u(c.absentClass))]
            switch c.kind {
            case .exact(let entries, let other):
                f.insert(("kind", .string("exact")), at: 0)
                f.append(("otherClass", u(other)))
                f.append(
                    (
                        "entries",
                        .array(
                            entries.map {
                                .object([
                                    ("value", s($0.value)), ("class", u($0.classID)),
                                    ("caseInsensitive", .bool($0.caseInsensitive)),
                                ])
                            })
                    ))
            case .dense(let d):
                f.insert(("kind", .string("dense")), at: 0)
                f += [
                    ("start", u(d.start)), ("byteClassCount", u(d.byteClassCount)),
                    ("byteClasses", .array(d.byteClasses.map { .int(Int($0)) })),
                    ("transitions", .array(d.transitions.map(u))), ("stateClass", .array(d.stateClass.map(u))),
                ]
            case .sparse(let d):
                f.insert(("kind", .string("sparse")), at: 0)
                f += [
                    ("start", u(d.start)),
                    ("states", .array(d.states.map { .array([u($0.firstEdge), u($0.edgeCount), u($0.classID)]) })),
                    ("edges", .array(d.edges.map { .array([.int(Int($0.lo)), .int(Int($0.hi)), u($0.target)]) })),
                ]
            }
            return .object(f)
        }
        func action(_ a: ActionRecord) -> JSONValue {
            var f: [(String, JSONValue)] = [
                ("kind", .string(a.kind.rawValue)), ("destinations", .array(a.destinations.map(destination))),
            ]
            if let r = a.redirect {
                f.append(
                    (
                        "redirect",
                        .object([
                            ("uri", os(r.uri)), ("authority", os(r.authority)), ("scheme", os(r.scheme)),
                            ("port", oi(r.port)), ("derivePort", os(r.derivePort)), ("code", .int(r.code)),
                        ])
                    ))
            }
            if a.directStatus != nil || a.directBody != nil {
                f.append(("directResponse", .object([("status", oi(a.directStatus)), ("body", os(a.directBody))])))
            }
            if let r = a.rewrite {
                f.append(
                    (
                        "rewrite",
                        .object([
                            ("uri", os(r.uri)), ("authority", os(r.authority)), ("regexMatch", os(r.regexMatch)),
                            ("regexSubstitution", os(r.regexSubstitution)),
                        ])
                    ))
            }
            f += [
                ("requestHeaders", ops(a.requestHeaders)), ("responseHeaders", ops(a.responseHeaders)),
                ("timeoutMs", oi(a.timeoutMs)),
                (
                    "retries",
                    .object([
                        ("attempts", .int(a.retries.attempts)), ("perTryTimeoutMs", oi(a.retries.perTryTimeoutMs)),
                        ("retryOn", .string(a.retries.retryOn)), ("backoffMs", oi(a.retries.backoffMs)),
                    ])
                ),
            ]
            if let x = a.fault {
                f.append(
                    (
                        "fault",
                        .object([
                            ("delayMs", oi(x.delayMs)), ("delayPercentage", .double(x.delayPercentage)),
                            ("abortStatus", oi(x.abortStatus)), ("abortGrpcStatus", os(x.abortGrpcStatus)),
                            ("abortPercentage", .double(x.abortPercentage)),
                        ])
                    ))
            }
            f.append(
                (
                    "mirrors",
                    .array(
                        a.mirrors.map {
                            .object([
                                (
                                    "destination",
                                    .object([
                                        ("host", .string($0.destination.host)), ("subset", os($0.destination.subset)),
                                        ("port", oi($0.destination.port)),
                                    ])
                                ), ("percentage", .double($0.percentage)),
                            ])
                        })
                ))
            return .object(f)
        }
        func cluster(_ c: ClusterPolicy) -> JSONValue {
            .object([
                ("host", s(c.host)), ("subset", opt(c.subset)), ("port", u(c.port)),
                ("subsetLabels", pairs(c.subsetLabels)),
                ("loadBalancer", .string("\(c.loadBalancer)")), ("hashKey", opt(c.hashKey)),
                ("maxConnections", ou(c.maxConnections)), ("maxPendingRequests", ou(c.maxPendingRequests)),
                ("maxRequestsPerConnection", ou(c.maxRequestsPerConnection)),
                ("connectTimeoutMs", ou(c.connectTimeoutMs)),
                ("idleTimeoutMs", ou(c.idleTimeoutMs)), ("consecutive5xxErrors", ou(c.consecutive5xxErrors)),
                ("consecutiveGatewayErrors", ou(c.consecutiveGatewayErrors)),
                ("outlierIntervalMs", ou(c.outlierIntervalMs)),
                ("baseEjectionTimeMs", ou(c.baseEjectionTimeMs)), ("maxEjectionPercent", ou(c.maxEjectionPercent)),
                ("failover", pairs(c.failover)), ("failoverPriority", .array(c.failoverPriority.map(s))),
                ("tls", .string("\(c.tls)")),
            ])
        }
        let root: JSONValue = .object([
            ("format", .string("fjord-table")),
            ("version", .string(version)),
            ("metadata", .array(metadata.map { .object([("name", .string($0.name)), ("value", .string($0.value))]) })),
            (
                "scopes",
                .array(
                    scopes.enumerated().map { i, sc in
                        .object([
                            ("index", .int(i)), ("kind", .string("\(sc.kind)")), ("name", s(sc.name)),
                            ("namespace", s(sc.namespace)),
                            ("outboundPolicy", .string("\(sc.outboundPolicy)")),
                            (
                                "listeners",
                                .array(
                                    sc.listeners.map { l in
                                        .object([
                                            ("port", u(l.port)), ("hostMap", u(l.hostMap)), ("overlay", ou(l.overlay)),
                                            ("outboundPolicy", .string("\(l.outboundPolicy)")),
                                            ("domainSuffix", s(l.domainSuffix)),
                                        ])
                                    })
                            ),
                        ])
                    })
            ),
            (
                "hostMaps",
                .array(
                    hostMaps.enumerated().map { i, m in
                        .object([("index", .int(i)), ("exact", entries(m.exact)), ("wildcards", entries(m.wildcards))])
                    })
            ),
            (
                "virtualHosts",
                .array(
                    virtualHosts.enumerated().map { i, v in
                        .object([
                            ("index", .int(i)), ("host", s(v.host)), ("kind", .string("\(v.kind)")),
                            ("routeTable", v.kind == .rules ? u(v.routeTable) : .null),
                            ("httpsRedirect", .bool(v.httpsRedirect)),
                        ])
                    })
            ),
            (
                "routeTables",
                .array(
                    routeTables.enumerated().map { i, t in
                        .object([
                            ("index", .int(i)),
                            (
                                "attributes",
                                .array(
                                    t.attributes.map { a in
                                        .object([
                                            ("kind", .string("\(a.kind)")),
                                            ("name", a.kind == .header || a.kind == .query ? s(a.name) : .null),
                                            ("classifier", u(a.classifier)),
                                        ])
                                    })
                            ),
                            ("segments", .array(t.segments.map(ref))),
                            (
                                "slots",
                                .array(
                                    t.slots.map {
                                        .object([
                                            ("action", u($0.action)), ("rule", ou($0.rule == .max ? nil : $0.rule)),
                                        ])
                                    })
                            ),
                        ])
                    })
            ),
            ("classifiers", .array(classifiers.map(classifier))),
            (
                "nodes",
                .array(
                    nodes.enumerated().map { i, n in
                        var f: [(String, JSONValue)] = [("index", .int(i)), ("attribute", .int(Int(n.attribute)))]
                        if n.isDense {
                            f.append(("dense", .array(n.dense.map(ref))))
                        } else {
                            f.append(("fallback", ref(n.fallback)))
                            f.append(("sparse", .array(n.sparse.map { .array([u($0.classID), ref($0.child)]) })))
                        }
                        return .object(f)
                    })
            ),
            ("actions", .array(actions.map(action))),
            (
                "rules",
                .array(
                    rules.map { r in
                        .object([
                            ("virtualService", .string(r.virtualService)), ("index", .int(r.index)),
                            ("name", os(r.name)),
                            ("delegate", os(r.delegate)), ("delegateIndex", oi(r.delegateIndex)),
                        ])
                    })
            ),
            ("clusters", .array(clusters.map(cluster))),
        ])
        var out = ""
        root.render(into: &out, indent: 0)
        return out + "\n"
    }
}

extension TableImage {
    /// The whole table as deterministic, indented JSON.
    public func dumpJSON() -> String { program.dumpJSON(version: "\(TableImageFormat.majorVersion).\(minorVersion)") }
}
