import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ1036: policy blocks that set nothing.
public enum EmptyPolicyCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "empty-policy", codes: [.emptyPolicy], summary: "policy blocks without any setting",
        inputs: [.destinationRule])

    public static func run(_ ctx: CheckContext) {
        for dr in ctx.resources.destinationRules {
            for p in ctx.resources.trafficPolicies(of: dr) {
                if p.loadBalancer == nil, p.connectionPool == nil, p.outlierDetection == nil, p.tls == nil,
                    p.portLevelSettings.isEmpty,
                    p.tunnel == nil, p.proxyProtocol == nil
                {
                    ctx.report(.emptyPolicy, "`trafficPolicy` must set at least one field", at: p.range, in: dr)
                }
                // Istio: "port traffic policy must have at least one field" (the port alone is not a setting).
                for pl in p.portLevelSettings
                where pl.loadBalancer == nil && pl.connectionPool == nil && pl.outlierDetection == nil && pl.tls == nil
                {
                    let port = pl.port.map { " for port \($0.value)" } ?? ""
                    ctx.report(
                        .emptyPolicy, "the port-level setting\(port) must set at least one field besides `port`",
                        at: pl.range, in: dr)
                }
                for g in p.settingGroups {
                    if let pool = g.pool, pool.tcp == nil, pool.http == nil {
                        ctx.report(.emptyPolicy, "`connectionPool` must set `tcp` or `http`", at: pool.range, in: dr)
                    }
                }
            }
        }
    }
}
