import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ1036: policy blocks that set nothing.
public enum EmptyPolicyCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "empty-policy", codes: [.emptyPolicy], summary: "policy blocks without any setting", inputs: [.destinationRule])

    public static func run(_ ctx: CheckContext) {
        for dr in ctx.resources.destinationRules {
            for p in ctx.resources.trafficPolicies(of: dr) {
                if p.loadBalancer == nil, p.connectionPool == nil, p.outlierDetection == nil, p.tls == nil, p.portLevelSettings.isEmpty,
                   p.tunnel == nil {
                    ctx.report(.emptyPolicy, "`trafficPolicy` must set at least one field", at: p.range, in: dr)
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
