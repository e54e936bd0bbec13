import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ1034: counts and limits cannot be negative.
public enum NegativeValueCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "negative-value", codes: [.negativeValue], summary: "counts and limits that cannot be negative",
        inputs: [.virtualService, .destinationRule])

    public static func run(_ ctx: CheckContext) {
        for (vs, r) in ctx.resources.httpRoutes {
            check(r.retries?.attempts, "`retries.attempts`", vs, ctx)
        }
        for dr in ctx.resources.destinationRules {
            for p in ctx.resources.trafficPolicies(of: dr) {
                for g in p.settingGroups {
                    check(g.pool?.tcp?.maxConnections, "`connectionPool.tcp.maxConnections`", dr, ctx)
                    check(
                        g.pool?.http?.http1MaxPendingRequests, "`connectionPool.http.http1MaxPendingRequests`", dr, ctx)
                    check(g.pool?.http?.http2MaxRequests, "`connectionPool.http.http2MaxRequests`", dr, ctx)
                    check(
                        g.pool?.http?.maxRequestsPerConnection, "`connectionPool.http.maxRequestsPerConnection`", dr,
                        ctx)
                    check(g.pool?.http?.maxRetries, "`connectionPool.http.maxRetries`", dr, ctx)
                    check(g.pool?.http?.maxConcurrentStreams, "`connectionPool.http.maxConcurrentStreams`", dr, ctx)
                    check(g.outlier?.consecutiveErrors, "`outlierDetection.consecutiveErrors`", dr, ctx)
                    check(g.outlier?.consecutive5xxErrors, "`outlierDetection.consecutive5xxErrors`", dr, ctx)
                    check(g.outlier?.consecutiveGatewayErrors, "`outlierDetection.consecutiveGatewayErrors`", dr, ctx)
                    check(
                        g.outlier?.consecutiveLocalOriginFailures, "`outlierDetection.consecutiveLocalOriginFailures`",
                        dr, ctx)
                    check(g.lb?.consistentHash?.minimumRingSize, "`consistentHash` minimum ring size", dr, ctx)
                    check(g.lb?.consistentHash?.maglevTableSize, "`consistentHash.maglev.tableSize`", dr, ctx)
                    if let a = g.lb?.warmup?.aggression, a.value < 1 {
                        ctx.report(
                            .negativeValue, "`loadBalancer.warmup.aggression` must be at least 1, found \(a.value)",
                            at: a.range, in: dr)
                    }
                }
            }
        }
    }

    static func check(_ v: Located<Int>?, _ field: String, _ r: some MeshResource, _ ctx: CheckContext) {
        guard let v, v.value < 0 else { return }
        ctx.report(.negativeValue, "\(field) cannot be negative, found \(v.value)", at: v.range, in: r)
    }
}
