import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ2001: the destination weights of a route with several destinations do not sum to 100.
/// Istio 1.14 and earlier reject the VirtualService; later releases drop zero-weight
/// destinations and split traffic weight/sum, which is rarely what a canary rollout meant.
/// Negative and all-zero weights are FJ2005's.
public enum WeightSumCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "weights-not-100", codes: [.weightsNot100],
        summary: "destination weights of a route with several destinations that do not sum to 100",
        inputs: [.virtualService])

    /// The last release whose validation rejects a total other than 100.
    static let lastRejectingRelease = IstioVersion(major: 1, minor: 14)

    struct Entry {
        var destination: Destination
        var weight: Located<Int>?
        var range: SourceRange
    }

    public static func run(_ ctx: CheckContext) {
        for vs in ctx.resources.virtualServices {
            for r in vs.http {
                check(
                    r.route.map { Entry(destination: $0.destination, weight: $0.weight, range: $0.range) },
                    r.displayName, r.range, vs, ctx)
            }
            for r in vs.tcp {
                check(
                    r.route.map { Entry(destination: $0.destination, weight: $0.weight, range: $0.range) },
                    "TCP rule \(r.index)", r.range, vs, ctx)
            }
            for r in vs.tls {
                check(
                    r.route.map { Entry(destination: $0.destination, weight: $0.weight, range: $0.range) },
                    "TLS rule \(r.index)", r.range, vs, ctx)
            }
        }
    }

    static func check(
        _ entries: [Entry], _ rule: String, _ ruleRange: SourceRange, _ vs: VirtualService, _ ctx: CheckContext
    ) {
        guard entries.count > 1 else { return }  // one destination takes all traffic whatever its weight
        // Istio's weights are 32-bit; a larger one is FJ1004's, and would overflow the sums below.
        let weights = entries.map { $0.weight?.value ?? 0 }
        guard weights.allSatisfy({ $0 <= Int(Int32.max) }) else { return }
        // Negative weights and an all-zero split are rejected by every release: FJ2005.
        guard !weights.contains(where: { $0 < 0 }), weights.contains(where: { $0 > 0 }) else { return }
        let total = weights.reduce(0, +)
        guard total != 100 else { return }
        let rejects = ctx.options.istioVersion <= lastRejectingRelease
        let labels = destinationLabels(entries.map(\.destination))
        let kept = entries.indices.filter { weights[$0] > 0 }
        let split = kept.map { "\(percent(weights[$0], of: total)) % \(quoted(labels[$0]))" }.joined(separator: " / ")
        var notes: [Note] = []
        if rejects {
            notes.append(
                Note(
                    "Istio \(ctx.options.istioVersion) rejects this VirtualService (`total destination weight \(total) != 100`); Istio 1.15 and later accept it"
                ))
        }
        notes.append(Note("Istio 1.15+ splits traffic \(split)"))
        for i in entries.indices where weights[i] == 0 {
            let written = entries[i].weight == nil ? "has no weight (0)" : "has weight 0"
            notes.append(
                Note(
                    "\(quoted(labels[i])) \(written): Istio drops it and it receives no traffic",
                    at: entries[i].weight?.range ?? entries[i].range))
        }
        let scaled = scaledTo100(kept.map { weights[$0] })
        let fix = FixIt(
            "make the weights sum to 100; to keep this split write "
                + zip(kept, scaled).map { "\(quoted(labels[$0.0])) \($0.1)" }.joined(separator: ", "))
        let at = entries.first(where: { $0.weight != nil })?.weight?.range ?? entries[0].range
        ctx.report(
            .weightsNot100, severity: rejects ? .error : .warning,
            "destination weights of \(rule) sum to \(total), not 100",
            at: at, in: vs, notes: notes, fix: fix)
    }

    /// Names for the destinations of one route: the subset when every destination has one and
    /// the hosts agree, else the host (with the subset).
    static func destinationLabels(_ ds: [Destination]) -> [String] {
        let sameHost = Set(ds.map { $0.host.value.lowercased() }).count == 1
        return ds.map { d in
            let port = d.port.map { ":\($0.value)" } ?? ""
            if sameHost, let s = d.subset?.value { return s }
            if sameHost, Set(ds.map { $0.port?.value }).count == ds.count, let p = d.port?.value { return "port \(p)" }
            return d.host.value + port + (d.subset.map { " \($0.value)" } ?? "")
        }
    }

    /// `w / total` in percent with one decimal (`94.7`).
    static func percent(_ w: Int, of total: Int) -> String {
        let tenths = (Double(w) * 1000 / Double(total)).rounded()
        let t = Int(tenths)
        return "\(t / 10).\(t % 10)"
    }

    /// Integer weights summing to 100 in the same proportions (largest remainder).
    static func scaledTo100(_ ws: [Int]) -> [Int] {
        let total = ws.reduce(0, +)
        guard total > 0 else { return ws }
        var out = ws.map { $0 * 100 / total }
        let remainders = ws.enumerated().map { ($0.offset, ($0.element * 100) % total) }.sorted {
            $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0
        }
        var missing = 100 - out.reduce(0, +)
        for (i, _) in remainders where missing > 0 {
            out[i] += 1
            missing -= 1
        }
        return out
    }
}
