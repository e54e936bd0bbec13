import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ2117: two Gateways whose servers claim the same host on the same port of the same gateway
/// workloads (istioctl's IST0145, Kiali's KIA0301). Envoy gets one filter chain per host and
/// port: Istio keeps one server and drops the other, so one Gateway's TLS settings or routes
/// silently lose. The workloads are the same when the selectors are equal, or when some
/// workload in the inputs matches both. Hosts conflict when equal or when one wildcard covers
/// the other, with the same `bind`. Each server involved is reported once.
public enum ConflictingGatewaysCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "conflicting-gateways", codes: [.conflictingGateways],
        summary: "two Gateways claiming one host on one port of the same workloads", inputs: [.gateway])

    struct Claim {
        var gateway: Int
        var port: Int
        var bind: String
        var host: Located<String>
    }

    public static func run(_ ctx: CheckContext) {
        let gateways = ctx.resources.gateways
        guard gateways.count > 1 else { return }
        var byPort: [Int: [Claim]] = [:]
        for (i, g) in gateways.enumerated() {
            for s in g.servers {
                guard let port = s.port?.number?.value else { continue }
                for h in s.hosts {
                    byPort[port, default: []].append(
                        Claim(gateway: i, port: port, bind: s.bind?.value ?? "", host: h))
                }
            }
        }
        var sameWorkloads: [Pair: Bool] = [:]
        var reported = Set<Pair>()
        for port in byPort.keys.sorted() {
            guard let claims = byPort[port] else { continue }
            for a in claims.indices {
                for b in claims.indices where b > a {
                    let x = claims[a]
                    let y = claims[b]
                    guard x.gateway != y.gateway, x.bind == y.bind, overlap(x.host.value, y.host.value) else {
                        continue
                    }
                    let pair = Pair(min(x.gateway, y.gateway), max(x.gateway, y.gateway))
                    let same =
                        sameWorkloads[pair]
                        ?? {
                            let v = shareWorkloads(gateways[pair.a], gateways[pair.b], ctx.mesh)
                            sameWorkloads[pair] = v
                            return v
                        }()
                    guard same else { continue }
                    for (mine, theirs) in [(x, y), (y, x)] {
                        let key = Pair(mine.gateway, -1, port)
                        guard !reported.contains(key) else { continue }
                        reported.insert(key)
                        let g = gateways[mine.gateway]
                        let o = gateways[theirs.gateway]
                        ctx.report(
                            .conflictingGateways,
                            "gateways \(quoted(g.key.qualifiedName)) and \(quoted(o.key.qualifiedName)) both claim host \(quoted(mine.host.value)) on port \(port) of the same workloads",
                            at: mine.host.range, in: g,
                            notes: [
                                Note(
                                    "\(quoted(o.key.qualifiedName)) claims \(quoted(theirs.host.value))",
                                    at: theirs.host.range),
                                Note(
                                    "Envoy keeps one server for a host and port: the other Gateway's settings are dropped"
                                ),
                            ],
                            fix: FixIt(
                                "serve the host from one Gateway, or put the Gateways on different ports or workloads"))
                    }
                }
            }
        }
    }

    struct Pair: Hashable {
        var a: Int
        var b: Int
        var port: Int
        init(_ a: Int, _ b: Int, _ port: Int = 0) {
            self.a = a
            self.b = b
            self.port = port
        }
    }

    /// Hosts as written on a server (`ns/host`), compared without the namespace.
    static func overlap(_ a: String, _ b: String) -> Bool {
        let x = Mesh.namespacedHost(a.lowercased()).host
        let y = Mesh.namespacedHost(b.lowercased()).host
        guard !x.isEmpty, !y.isEmpty else { return false }
        return x == y || Mesh.hostMatches(pattern: x, host: y) || Mesh.hostMatches(pattern: y, host: x)
    }

    /// Whether two Gateways run on the same proxies: equal selectors, or a workload both select.
    static func shareWorkloads(_ a: Gateway, _ b: Gateway, _ mesh: Mesh) -> Bool {
        guard !a.selector.isEmpty, !b.selector.isEmpty else { return false }
        if a.selector == b.selector { return true }
        return mesh.workloads.contains { w in
            a.selector.allSatisfy { w.labels[$0.key] == $0.value }
                && b.selector.allSatisfy { w.labels[$0.key] == $0.value }
        }
    }
}
