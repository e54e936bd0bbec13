import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ1038: ServiceEntry endpoints, addresses and selectors fit its resolution.
public enum ServiceEntryCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "invalid-service-entry", codes: [.invalidServiceEntry],
        summary: "a ServiceEntry whose addresses, endpoints or selectors do not fit its resolution",
        inputs: [.serviceEntry])

    public static func run(_ ctx: CheckContext) {
        for se in ctx.resources.serviceEntries {
            let resolution = se.resolution?.value ?? .none
            let at = se.resolution?.range ?? se.nameRange
            if resolution == .none, let e = se.endpoints.first {
                ctx.report(
                    .invalidServiceEntry, "resolution `NONE` cannot have `endpoints`", at: e.range, in: se,
                    notes: [Note("use `STATIC` to list endpoint addresses", at: at)])
            }
            if resolution == .dnsRoundRobin, se.endpoints.count > 1 {
                ctx.report(
                    .invalidServiceEntry, "resolution `DNS_ROUND_ROBIN` cannot have more than one endpoint",
                    at: se.endpoints[1].range, in: se)
            }
            if resolution == .dns || resolution == .dnsRoundRobin {
                for a in se.addresses
                where a.value.contains("/") && !a.value.hasSuffix("/32") && !a.value.hasSuffix("/128") {
                    ctx.report(
                        .invalidServiceEntry,
                        "CIDR address \(quoted(a.value)) is allowed only with resolution `NONE` or `STATIC`",
                        at: a.range, in: se)
                }
            }
            if resolution == .static, se.endpoints.isEmpty, se.workloadSelector == nil {
                ctx.report(
                    .invalidServiceEntry, "resolution `STATIC` needs `endpoints` or a `workloadSelector`", at: at,
                    in: se)
            }
            if let sel = se.workloadSelector {
                for (k, v) in sel.sorted(by: { $0.key < $1.key }) where k.contains("*") || v.contains("*") {
                    ctx.report(
                        .invalidServiceEntry, "wildcard is not supported in selector label \(quoted("\(k): \(v)"))",
                        at: se.nameRange, in: se)
                }
            }
        }
    }
}
