import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ1028: client TLS settings fit their mode.
public enum ClientTLSCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "invalid-tls-settings", codes: [.invalidTlsSettings],
        summary: "client TLS settings that do not fit their mode",
        inputs: [.destinationRule])

    public static func run(_ ctx: CheckContext) {
        for dr in ctx.resources.destinationRules {
            for p in ctx.resources.trafficPolicies(of: dr) {
                for g in p.settingGroups {
                    guard let tls = g.tls, let mode = tls.mode else { continue }
                    switch mode.value {
                    case .mutual:
                        if tls.credentialName == nil, tls.clientCertificate == nil || tls.privateKey == nil {
                            ctx.report(
                                .invalidTlsSettings,
                                "`MUTUAL` TLS needs `clientCertificate` and `privateKey`, or a `credentialName`",
                                at: mode.range, in: dr)
                        }
                    case .istioMutual:
                        let set = [
                            ("clientCertificate", tls.clientCertificate), ("privateKey", tls.privateKey),
                            ("caCertificates", tls.caCertificates), ("credentialName", tls.credentialName),
                        ].filter { $0.1 != nil }
                        if let (field, value) = set.first {
                            ctx.report(
                                .invalidTlsSettings,
                                "`ISTIO_MUTUAL` uses the mesh's certificates; \(quoted(field)) cannot be set",
                                at: value?.range ?? mode.range, in: dr)
                        }
                    case .disable, .simple:
                        if mode.value == .disable, let c = tls.clientCertificate ?? tls.credentialName {
                            ctx.report(
                                .invalidTlsSettings, "TLS is `DISABLE`d but certificates are configured", at: c.range,
                                in: dr)
                        }
                    }
                }
            }
        }
    }
}
