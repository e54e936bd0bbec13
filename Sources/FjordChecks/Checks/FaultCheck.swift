import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ1026: a fault injects a delay, an abort, or both.
public enum FaultCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "invalid-fault", codes: [.invalidFault], summary: "fault injection that injects nothing",
        inputs: [.virtualService])

    public static func run(_ ctx: CheckContext) {
        for (vs, r) in ctx.resources.httpRoutes {
            guard let f = r.fault else { continue }
            if f.delay == nil && f.abort == nil {
                ctx.report(.invalidFault, "`fault` must have a `delay` or an `abort`", at: f.range, in: vs)
            }
            if let d = f.delay {
                if d.exponentialDelay != nil {
                    ctx.report(
                        .invalidFault, "`exponentialDelay` is not supported by Istio; use `fixedDelay`", at: d.range,
                        in: vs)
                } else if d.fixedDelay == nil {
                    ctx.report(.invalidFault, "`fault.delay` needs a `fixedDelay`", at: d.range, in: vs)
                }
            }
            if let a = f.abort, a.httpStatus == nil, a.grpcStatus == nil {
                ctx.report(.invalidFault, "`fault.abort` needs an `httpStatus` or a `grpcStatus`", at: a.range, in: vs)
            }
        }
    }
}
