import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ1040: `serviceAccounts` excludes `namespaces` and `principals` in one source.
public enum AuthorizationPolicyCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "invalid-authorization-policy", codes: [.invalidAuthorizationPolicy],
        summary: "AuthorizationPolicy sources that mix exclusive fields", inputs: [.authorizationPolicy])

    public static func run(_ ctx: CheckContext) {
        for ap in ctx.resources.authorizationPolicies {
            for rule in ap.rules {
                for s in rule.from {
                    let accounts = s.serviceAccounts + s.notServiceAccounts
                    guard let first = accounts.first else { continue }
                    if !(s.namespaces + s.notNamespaces + s.principals + s.notPrincipals).isEmpty {
                        ctx.report(
                            .invalidAuthorizationPolicy,
                            "`serviceAccounts` cannot be set together with `namespaces` or `principals`",
                            at: first.range, in: ap)
                    }
                }
            }
        }
    }
}
