import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ1017: subset names are unique within a DestinationRule.
public enum DuplicateSubsetCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "duplicate-subset", codes: [.duplicateSubset], summary: "a DestinationRule defines the same subset twice",
        inputs: [.destinationRule])

    public static func run(_ ctx: CheckContext) {
        for dr in ctx.resources.destinationRules {
            var first: [String: Subset] = [:]
            for s in dr.subsets {
                if let earlier = first[s.name.value] {
                    ctx.report(
                        .duplicateSubset, "subset \(quoted(s.name.value)) is defined more than once", at: s.name.range,
                        in: dr,
                        notes: [Note("first defined here", at: earlier.name.range)])
                } else {
                    first[s.name.value] = s
                }
            }
        }
    }
}
