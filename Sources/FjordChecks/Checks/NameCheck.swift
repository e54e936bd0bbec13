import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ1031: subset names (and other names Istio turns into cluster names) are DNS-1123 labels.
public enum NameCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "invalid-name", codes: [.invalidName], summary: "names that are not valid DNS-1123 labels",
        inputs: [.destinationRule, .virtualService])

    public static func run(_ ctx: CheckContext) {
        for dr in ctx.resources.destinationRules {
            for s in dr.subsets where !isDNS1123Label(s.name.value) {
                ctx.report(
                    .invalidName, "subset name \(quoted(s.name.value)) is not a valid DNS-1123 label", at: s.name.range,
                    in: dr,
                    notes: [
                        Note(
                            "lowercase letters, digits and `-`, starting and ending with a letter or digit, at most 63")
                    ])
            }
        }
        for vs in ctx.resources.virtualServices {
            let destinations =
                vs.http.flatMap(\.allDestinations) + vs.tcp.flatMap { $0.route.map(\.destination) }
                + vs.tls.flatMap { $0.route.map(\.destination) }
            for d in destinations {
                if let s = d.subset, !isDNS1123Label(s.value) {
                    ctx.report(
                        .invalidName, "subset name \(quoted(s.value)) is not a valid DNS-1123 label", at: s.range,
                        in: vs)
                }
            }
        }
    }
}
