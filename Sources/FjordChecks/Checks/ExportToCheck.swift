import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ1033: `exportTo` holds `.`, `*` or namespace names, without duplicates, `*` alone.
public enum ExportToCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "invalid-export-to", codes: [.invalidExportTo], summary: "`exportTo` lists Istio rejects",
        inputs: [.virtualService, .destinationRule, .serviceEntry])

    public static func run(_ ctx: CheckContext) {
        for r in ctx.resources.virtualServices { check(r.exportTo, r, ctx) }
        for r in ctx.resources.destinationRules { check(r.exportTo, r, ctx) }
        for r in ctx.resources.serviceEntries { check(r.exportTo, r, ctx) }
    }

    static func check(_ list: [Located<String>], _ r: some MeshResource, _ ctx: CheckContext) {
        var seen: [String: SourceRange] = [:]
        for e in list {
            let v = e.value
            if v != "*", v != ".", v != "~", !isDNS1123Label(v) {
                ctx.report(.invalidExportTo, "\(quoted(v)) is not `.`, `*` or a namespace name", at: e.range, in: r)
            }
            if let first = seen[v] {
                ctx.report(.invalidExportTo, "\(quoted(v)) is listed more than once in `exportTo`", at: e.range, in: r,
                           notes: [Note("first listed here", at: first)])
            }
            seen[v] = seen[v] ?? e.range
        }
        if list.count > 1, let star = list.first(where: { $0.value == "*" }) {
            ctx.report(.invalidExportTo, "`*` exports to every namespace and cannot be combined with other entries", at: star.range, in: r)
        }
    }
}
