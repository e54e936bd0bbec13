import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ1029: a VirtualService has routes; a delegate (no hosts) has only HTTP routes and no gateways.
public enum VirtualServiceShapeCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "invalid-virtual-service", codes: [.invalidVirtualService],
        summary: "VirtualServices without routes, or delegates with fields only a root may have",
        inputs: [.virtualService])

    public static func run(_ ctx: CheckContext) {
        for vs in ctx.resources.virtualServices {
            if vs.http.isEmpty && vs.tcp.isEmpty && vs.tls.isEmpty {
                ctx.report(
                    .invalidVirtualService, "the VirtualService has no `http`, `tcp` or `tls` routes", at: vs.nameRange,
                    in: vs)
            }
            if vs.isDelegate {
                if let g = vs.gateways.first {
                    ctx.report(
                        .invalidVirtualService,
                        "a delegate VirtualService (one without `hosts`) cannot name `gateways`", at: g.range, in: vs)
                }
                if let t = vs.tcp.first {
                    ctx.report(
                        .invalidVirtualService, "a delegate VirtualService cannot have `tcp` routes", at: t.range,
                        in: vs)
                }
                if let t = vs.tls.first {
                    ctx.report(
                        .invalidVirtualService, "a delegate VirtualService cannot have `tls` routes", at: t.range,
                        in: vs)
                }
            }
        }
    }
}
