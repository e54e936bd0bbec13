import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ4004: a ResidencyPolicy that cannot mean what its author wants: an unknown jurisdiction
/// (`UK`, `EU`), an attestation without effect or with a mechanism that does not fit, a declared
/// location that is not a country, a `personalData` entry that selects nothing.
public enum ResidencyPolicyCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "invalid-residency-policy", codes: [.invalidResidencyPolicy],
        summary: "a ResidencyPolicy names an unknown jurisdiction, misapplies an attestation or selects nothing",
        inputs: [.residencyPolicy])

    public static func run(_ ctx: CheckContext) {
        guard !ctx.resources.residencyPolicies.isEmpty else { return }
        var analysis = ResidencyAnalysis(mesh: ctx.mesh)
        let report = analysis.policiesOnly()
        for p in report.problems {
            let policy = report.policies[p.policy].policy
            ctx.report(
                .invalidResidencyPolicy, severity: p.severity, p.message, at: p.range, in: policy, notes: p.notes)
        }
    }
}
