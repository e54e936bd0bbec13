import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ1015: Istio accepts durations of at least 1 ms, with millisecond precision.
public enum DurationCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "invalid-duration", codes: [.invalidDuration],
        summary: "durations shorter than 1 ms or finer than millisecond precision",
        inputs: [.virtualService, .destinationRule])

    public static func run(_ ctx: CheckContext) {
        for vs in ctx.resources.virtualServices {
            for r in vs.http {
                check(r.timeout, "`timeout`", vs, ctx)
                check(r.retries?.perTryTimeout, "`retries.perTryTimeout`", vs, ctx)
                check(r.retries?.backoff, "`retries.backoff`", vs, ctx)
                check(r.fault?.delay?.fixedDelay, "`fault.delay.fixedDelay`", vs, ctx)
                check(r.corsPolicy?.maxAge, "`corsPolicy.maxAge`", vs, ctx)
            }
        }
        for dr in ctx.resources.destinationRules {
            for policy in ctx.resources.trafficPolicies(of: dr) {
                for g in policy.settingGroups {
                    check(g.pool?.tcp?.connectTimeout, "`connectionPool.tcp.connectTimeout`", dr, ctx)
                    check(g.pool?.tcp?.maxConnectionDuration, "`connectionPool.tcp.maxConnectionDuration`", dr, ctx)
                    check(g.pool?.tcp?.idleTimeout, "`connectionPool.tcp.idleTimeout`", dr, ctx)
                    check(g.pool?.http?.idleTimeout, "`connectionPool.http.idleTimeout`", dr, ctx)
                    check(g.outlier?.interval, "`outlierDetection.interval`", dr, ctx)
                    check(g.outlier?.baseEjectionTime, "`outlierDetection.baseEjectionTime`", dr, ctx)
                    check(g.lb?.warmupDuration, "`loadBalancer.warmupDurationSecs`", dr, ctx)
                    check(g.lb?.warmup?.duration, "`loadBalancer.warmup.duration`", dr, ctx)
                }
            }
        }
    }

    static func check(_ d: Located<Duration>?, _ field: String, _ r: some MeshResource, _ ctx: CheckContext) {
        guard let d else { return }
        let (seconds, attos) = d.value.components
        let subMillisecond = attos % 1_000_000_000_000_000 != 0
        if d.value < .milliseconds(1) {
            ctx.report(
                .invalidDuration, "\(field) must be at least 1ms, found \(quoted(formatDuration(d.value)))",
                at: d.range, in: r)
        } else if subMillisecond {
            let ms = seconds * 1000 + attos / 1_000_000_000_000_000
            ctx.report(
                .invalidDuration, "\(field) must have millisecond precision, found \(quoted(formatDuration(d.value)))",
                at: d.range, in: r,
                fix: FixIt(
                    "write \(quoted(formatDuration(.milliseconds(ms))))",
                    replacement: formatDuration(.milliseconds(ms)), at: d.range))
        }
    }
}
