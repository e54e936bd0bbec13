import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ2005: weights that Istio rejects in every version: negative, or all zero across several
/// destinations (a single destination receives all traffic whatever its weight).
public enum WeightCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "invalid-weights", codes: [.invalidWeights],
        summary: "negative destination weights, or several destinations that are all weight 0",
        inputs: [.virtualService])

    public static func run(_ ctx: CheckContext) {
        for vs in ctx.resources.virtualServices {
            for r in vs.http { check(r.route.map { ($0.weight, $0.range) }, r.displayName, r.range, vs, ctx) }
            for r in vs.tcp { check(r.route.map { ($0.weight, $0.range) }, "TCP rule \(r.index)", r.range, vs, ctx) }
            for r in vs.tls { check(r.route.map { ($0.weight, $0.range) }, "TLS rule \(r.index)", r.range, vs, ctx) }
        }
    }

    static func check(
        _ weights: [(Located<Int>?, SourceRange)], _ rule: String, _ range: SourceRange, _ vs: VirtualService,
        _ ctx: CheckContext
    ) {
        var negative = false
        for (w, _) in weights {
            if let w, w.value < 0 {
                negative = true
                ctx.report(.invalidWeights, "destination weight \(w.value) is negative", at: w.range, in: vs)
            }
        }
        guard !negative, weights.count > 1 else { return }
        if weights.allSatisfy({ ($0.0?.value ?? 0) == 0 }) {
            let at = weights.first?.0?.range ?? weights.first?.1 ?? range
            ctx.report(
                .invalidWeights, "every destination of \(rule) has weight 0, so it can send traffic nowhere", at: at,
                in: vs,
                notes: [
                    Note(
                        "Istio rejects a route whose weights sum to 0; give the destination that should receive traffic a weight"
                    )
                ])
        }
    }
}
