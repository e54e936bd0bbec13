import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ1027: locality load-balancing settings.
public enum LocalityLBCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "invalid-locality-lb", codes: [.invalidLocalityLb],
        summary: "locality load-balancing settings Istio rejects",
        inputs: [.destinationRule])

    public static func run(_ ctx: CheckContext) {
        for dr in ctx.resources.destinationRules {
            for p in ctx.resources.trafficPolicies(of: dr) {
                for g in p.settingGroups {
                    guard let l = g.lb?.localityLbSetting else { continue }
                    check(l, dr, ctx)
                }
            }
        }
    }

    static func check(_ l: LocalityLoadBalancerSetting, _ dr: DestinationRule, _ ctx: CheckContext) {
        if !l.distribute.isEmpty, !l.failover.isEmpty {
            ctx.report(
                .invalidLocalityLb, "`distribute` and `failover` cannot be set together", at: l.failover[0].range,
                in: dr,
                notes: [Note("`distribute` is set here", at: l.distribute[0].range)])
        }
        for d in l.distribute {
            if let p = localityProblem(d.from.value) {
                ctx.report(
                    .invalidLocalityLb, "invalid locality \(quoted(d.from.value)): \(p)", at: d.from.range, in: dr)
            }
            let total = d.to.reduce(0) { $0 + $1.weight }
            if total != 100 {
                ctx.report(
                    .invalidLocalityLb,
                    "the weights of `distribute` from \(quoted(d.from.value)) sum to \(total), not 100", at: d.range,
                    in: dr)
            }
            for t in d.to {
                if let p = localityProblem(t.locality.value) {
                    ctx.report(
                        .invalidLocalityLb, "invalid locality \(quoted(t.locality.value)): \(p)", at: t.locality.range,
                        in: dr)
                }
            }
        }
        for f in l.failover {
            if f.from.value.contains("/") || f.to.value.contains("/") {
                ctx.report(
                    .invalidLocalityLb,
                    "`failover` names regions, not zones: found \(quoted(f.from.value)) -> \(quoted(f.to.value))",
                    at: f.range, in: dr)
            } else if f.from.value == f.to.value {
                ctx.report(
                    .invalidLocalityLb, "`failover` from \(quoted(f.from.value)) to itself", at: f.to.range, in: dr)
            }
            if f.from.value == "*" || f.to.value == "*" {
                ctx.report(.invalidLocalityLb, "`failover` regions cannot be wildcards", at: f.range, in: dr)
            }
        }
    }

    /// `region/zone/subzone` where `*` may only be the last segment.
    static func localityProblem(_ s: String) -> String? {
        if s.isEmpty { return "a locality cannot be empty" }
        let parts = s.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count > 3 { return "a locality has at most three segments (`region/zone/subzone`)" }
        for (i, p) in parts.enumerated() {
            if p.isEmpty { return "empty segment" }
            if p.contains("*"), p != "*" || i != parts.count - 1 { return "a wildcard must be a whole last segment" }
        }
        return nil
    }
}
