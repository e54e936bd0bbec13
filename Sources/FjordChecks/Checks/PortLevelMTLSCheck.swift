import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ1021: `portLevelMtls` needs a workload selector, and at least one port.
public enum PortLevelMTLSCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "port-mtls-without-selector", codes: [.portMtlsWithoutSelector],
        summary: "port-level mTLS in a PeerAuthentication without a workload selector", inputs: [.peerAuthentication])

    public static func run(_ ctx: CheckContext) {
        for pa in ctx.resources.peerAuthentications {
            guard !pa.portLevelMtls.isEmpty || !pa.portLevelRange.isSynthetic else { continue }
            if pa.portLevelMtls.isEmpty && pa.invalidPortKeys.isEmpty {
                ctx.report(
                    .portMtlsWithoutSelector, "`portLevelMtls` is empty; name at least one port or remove it",
                    at: pa.portLevelRange, in: pa)
            } else if pa.selector == nil || pa.selector?.isEmpty == true {
                ctx.report(
                    .portMtlsWithoutSelector, "`portLevelMtls` requires a workload selector", at: pa.portLevelRange,
                    in: pa,
                    notes: [
                        Note(
                            "Istio applies port-level mTLS only in workload-level policies; add `selector.matchLabels`")
                    ])
            }
        }
    }
}
