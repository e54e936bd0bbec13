import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ1033: `exportTo` holds `.`, `*` or namespace names (and `~` on a ServiceEntry), without
/// duplicates, with `*` and `~` alone.
public enum ExportToCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "invalid-export-to", codes: [.invalidExportTo], summary: "`exportTo` lists Istio rejects",
        inputs: [.virtualService, .destinationRule, .serviceEntry])

    public static func run(_ ctx: CheckContext) {
        for r in ctx.resources.virtualServices { check(r.exportTo, r, isServiceEntry: false, ctx) }
        for r in ctx.resources.destinationRules { check(r.exportTo, r, isServiceEntry: false, ctx) }
        for r in ctx.resources.serviceEntries { check(r.exportTo, r, isServiceEntry: true, ctx) }
    }

    static func check(_ list: [Located<String>], _ r: some MeshResource, isServiceEntry: Bool, _ ctx: CheckContext) {
        var seen: [String: (range: SourceRange, written: String)] = [:]
        for e in list {
            let v = e.value
            if v == "~", !isServiceEntry {
                ctx.report(
                    .invalidExportTo, "`~` (export to no namespace) is allowed only on a ServiceEntry", at: e.range,
                    in: r)
            } else if v != "*", v != ".", v != "~", !isDNS1123Label(v) {
                ctx.report(.invalidExportTo, "\(quoted(v)) is not `.`, `*` or a namespace name", at: e.range, in: r)
            }
            // `.` is the resource's own namespace, so `.` and that name are the same entry.
            let key = v == "." ? r.namespace : v
            if let first = seen[key] {
                let message =
                    first.written == v
                    ? "\(quoted(v)) is listed more than once in `exportTo`"
                    : "`.` and \(quoted(key)) both name this resource's namespace in `exportTo`"
                ctx.report(
                    .invalidExportTo, message, at: e.range, in: r, notes: [Note("first listed here", at: first.range)])
            } else {
                seen[key] = (e.range, v)
            }
        }
        if list.count > 1, let star = list.first(where: { $0.value == "*" }) {
            ctx.report(
                .invalidExportTo, "`*` exports to every namespace and cannot be combined with other entries",
                at: star.range, in: r)
        }
        if list.count > 1, isServiceEntry, let none = list.first(where: { $0.value == "~" }) {
            ctx.report(
                .invalidExportTo, "`~` exports to no namespace and cannot be combined with other entries",
                at: none.range, in: r)
        }
    }
}
