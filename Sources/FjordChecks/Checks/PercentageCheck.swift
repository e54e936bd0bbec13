import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ1024: percentages lie in 0-100.
public enum PercentageCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "invalid-percentage", codes: [.invalidPercentage], summary: "percentages outside 0-100",
        inputs: [.virtualService, .destinationRule])

    public static func run(_ ctx: CheckContext) {
        for (vs, r) in ctx.resources.httpRoutes {
            check(r.mirrorPercentage, "`mirrorPercentage`", vs, ctx)
            check(r.mirrorPercent.map { $0.map(Double.init) }, "`mirrorPercent`", vs, ctx)
            for m in r.mirrors { check(m.percentage, "mirror `percentage`", vs, ctx) }
            check(r.fault?.delay?.percentage, "`fault.delay.percentage`", vs, ctx)
            check(r.fault?.delay?.percent.map { $0.map(Double.init) }, "`fault.delay.percent`", vs, ctx)
            check(r.fault?.abort?.percentage, "`fault.abort.percentage`", vs, ctx)
        }
        for dr in ctx.resources.destinationRules {
            for p in ctx.resources.trafficPolicies(of: dr) {
                for g in p.settingGroups {
                    check(
                        g.outlier?.maxEjectionPercent.map { $0.map(Double.init) },
                        "`outlierDetection.maxEjectionPercent`", dr, ctx)
                    check(
                        g.outlier?.minHealthPercent.map { $0.map(Double.init) }, "`outlierDetection.minHealthPercent`",
                        dr, ctx)
                    check(g.lb?.warmup?.minimumPercent, "`loadBalancer.warmup.minimumPercent`", dr, ctx)
                }
            }
        }
    }

    static func check(_ v: Located<Double>?, _ field: String, _ r: some MeshResource, _ ctx: CheckContext) {
        guard let v, v.value < 0 || v.value > 100 || v.value.isNaN else { return }
        let shown = v.value == v.value.rounded() ? String(Int(v.value)) : String(v.value)
        ctx.report(.invalidPercentage, "\(field) must be between 0 and 100, found \(shown)", at: v.range, in: r)
    }
}
