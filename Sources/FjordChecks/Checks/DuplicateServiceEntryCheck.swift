import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ2118: two ServiceEntries that define the same host and port and are visible together
/// (their `exportTo` scopes meet). Kiali's KIA1211 warns about the duplicate; when the two
/// declare different protocols (istioctl's IST0177, Kiali's KIA1212) the proxy can build only
/// one listener and cluster for the port, so one protocol silently wins: then it is an error.
/// Each ServiceEntry is reported once per host and port.
public enum DuplicateServiceEntryCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "duplicate-service-entry", codes: [.duplicateServiceEntry],
        summary: "ServiceEntries visible together that define the same host and port", inputs: [.serviceEntry])

    struct Claim {
        var entry: Int
        var host: Located<String>
        var port: PortSpec
    }

    public static func run(_ ctx: CheckContext) {
        let entries = ctx.resources.serviceEntries
        guard entries.count > 1 else { return }
        var byKey: [String: [Claim]] = [:]
        var order: [String] = []
        for (i, se) in entries.enumerated() {
            for h in se.hosts {
                for p in se.ports {
                    guard let n = p.number?.value else { continue }
                    let key = "\(h.value.lowercased()):\(n)"
                    if byKey[key] == nil { order.append(key) }
                    byKey[key, default: []].append(Claim(entry: i, host: h, port: p))
                }
            }
        }
        for key in order {
            guard let claims = byKey[key], Set(claims.map(\.entry)).count > 1 else { continue }
            var reported = Set<Int>()
            for c in claims where !reported.contains(c.entry) {
                let se = entries[c.entry]
                let others = claims.filter { $0.entry != c.entry && visibleTogether(se, entries[$0.entry]) }
                guard let other = others.first else { continue }
                reported.insert(c.entry)
                let o = entries[other.entry]
                let mine = c.port.protocol?.value.uppercased()
                let theirs = other.port.protocol?.value.uppercased()
                let conflict = mine != nil && theirs != nil && mine != theirs
                var notes = [
                    Note(
                        "ServiceEntry \(quoted(o.key.qualifiedName)) defines it too"
                            + (theirs.map { " with protocol \(quoted($0))" } ?? ""), at: other.port.range)
                ]
                notes.append(
                    conflict
                        ? Note(
                            "protocols \(quoted(mine ?? "")) and \(quoted(theirs ?? "")) conflict: the proxy builds one listener and cluster for the port, and only one protocol applies"
                        )
                        : Note("Istio merges them, and which settings win is hard to tell"))
                let port = c.port.number?.value ?? 0
                ctx.report(
                    .duplicateServiceEntry, severity: conflict ? .error : .warning,
                    "host \(quoted(c.host.value)) port \(port) is also defined by ServiceEntry \(quoted(o.key.qualifiedName))"
                        + (conflict ? " with a different protocol" : ""),
                    at: c.port.number?.range ?? c.host.range, in: se, notes: notes,
                    fix: FixIt("define each host and port in one ServiceEntry, or export them to different namespaces"))
            }
        }
    }

    /// Whether some namespace sees both ServiceEntries.
    static func visibleTogether(_ a: ServiceEntry, _ b: ServiceEntry) -> Bool {
        let x = scope(a)
        let y = scope(b)
        guard let x else { return true }
        guard let y else { return true }
        return !x.isDisjoint(with: y)
    }

    /// The namespaces an `exportTo` list names; nil for every namespace.
    static func scope(_ se: ServiceEntry) -> Set<String>? {
        if se.exportTo.isEmpty { return nil }
        var out = Set<String>()
        for e in se.exportTo {
            switch e.value {
            case "*": return nil
            case ".": out.insert(se.namespace)
            case "~": continue
            default: out.insert(e.value)
            }
        }
        return out
    }
}
