import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ3098: a rule on identity fields (`principals`, `namespaces`, `serviceAccounts`,
/// `source.principal`, `source.namespace`) at a workload whose effective PeerAuthentication is not
/// STRICT on the rule's port. Plaintext callers carry no identity, so such a DENY rule denies
/// nothing from them (an error) and such an ALLOW rule never admits them (a warning).
/// FJ3099: a CUSTOM policy, which fjord-proxy does not enforce.
public enum AuthorizationIdentityCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "authorization-identity", codes: [.identityRuleWithoutMtls, .customAuthorizationNotEnforced],
        summary: "AuthorizationPolicy rules on identities that plaintext callers never carry; CUSTOM policies",
        inputs: [.authorizationPolicy, .peerAuthentication, .deployment, .pod])

    static let identityKeys: Set<String> = ["source.principal", "source.namespace"]

    public static func run(_ ctx: CheckContext) {
        let mesh = ctx.mesh
        let resolver = MTLSResolver(mesh: mesh)
        let root = mesh.config.rootNamespace
        for ap in ctx.resources.authorizationPolicies {
            if ap.effectiveAction == .custom, let action = ap.action {
                let provider = ap.provider.map { " (provider `\($0.value)`)" } ?? ""
                ctx.report(
                    .customAuthorizationNotEnforced,
                    "this CUSTOM policy\(provider) is decided by an external authorizer, which fjord-proxy does not call",
                    at: action.range, in: ap)
            }
            let workloads = mesh.workloads.filter { w in
                mesh.hasProxy(w)
                    && Semantics.authorizationPolicies(for: w, in: ctx.resources, rootNamespace: root)
                        .contains { $0.key == ap.key }
            }
            guard !workloads.isEmpty else { continue }
            for rule in ap.rules {
                let identity =
                    rule.from.flatMap(\.identityValues)
                    + rule.when.filter { identityKeys.contains($0.key.value) }.map(\.key)
                guard let first = identity.first else { continue }
                let ports = Set(rule.to.flatMap(\.ports).compactMap { Int($0.value) }).sorted()
                let candidates: [Int?] = ports.isEmpty ? [nil] : ports.map { $0 }
                var found: (Workload, Int?, EffectiveMTLS)?
                search: for w in workloads {
                    for p in candidates {
                        let m = resolver.effective(w, port: p)
                        if m.mode != .strict {
                            found = (w, p, m)
                            break search
                        }
                    }
                }
                guard let (w, port, m) = found else { continue }
                let field = "`\(fieldName(of: first, in: rule))`"
                let on = port.map { "port \($0) of " } ?? ""
                let deny = ap.effectiveAction == .deny
                let consequence =
                    deny ? "this DENY rule denies nothing from plaintext callers" : "plaintext callers never match it"
                var notes: [Note] = []
                if !m.range.isSynthetic { notes.append(Note("the mTLS mode is set here", at: m.range)) }
                ctx.report(
                    .identityRuleWithoutMtls, severity: deny ? .error : .warning,
                    "\(field) needs the caller's mTLS identity, but \(on)workload `\(w.id)` is \(m.mode.rawValue) (\(m.reason)): \(consequence)",
                    at: first.range, in: ap, notes: notes)
            }
        }
    }

    static func fieldName(of value: Located<String>, in rule: AuthorizationPolicy.Rule) -> String {
        for s in rule.from {
            if s.principals.contains(where: { $0.range == value.range }) { return "principals" }
            if s.namespaces.contains(where: { $0.range == value.range }) { return "namespaces" }
            if s.serviceAccounts.contains(where: { $0.range == value.range }) { return "serviceAccounts" }
        }
        return value.value
    }
}
