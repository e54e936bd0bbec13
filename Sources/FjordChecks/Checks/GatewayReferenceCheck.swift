import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ2106: a VirtualService (or one of its match blocks) names a Gateway that does not exist
/// (istioctl's IST0101 for gateways). `mesh` means the sidecars; `name` is looked up in the
/// VirtualService's namespace, `namespace/name` (and the old `name.namespace.svc.<suffix>`)
/// where it says. Not reported when the inputs hold no Gateway at all, or nothing in the named
/// namespace: the Gateway then lives in inputs Fjord was not given.
public enum GatewayReferenceCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "unknown-gateway", codes: [.unknownGateway],
        summary: "VirtualServices bound to Gateways that do not exist",
        inputs: [.virtualService, .gateway])

    public static func run(_ ctx: CheckContext) {
        guard !ctx.resources.gateways.isEmpty else { return }
        let covered = ReferenceIndex.coveredNamespaces(ctx.mesh)
        let existing = Set(ctx.resources.gateways.map(\.key.qualifiedName))
        for vs in ctx.resources.virtualServices {
            var refs = vs.gateways
            for r in vs.http { for m in r.match { refs += m.gateways } }
            for r in vs.tcp { for m in r.match { refs += m.gateways } }
            for r in vs.tls { for m in r.match { refs += m.gateways } }
            for g in refs where g.value != "mesh" && !g.value.isEmpty {
                let (ns, name) = resolve(g.value, in: vs.namespace, suffix: ctx.mesh.config.domainSuffix)
                guard !existing.contains("\(ns)/\(name)"), covered.contains(ns) else { continue }
                var notes = [Note("the rules bound to it are configured on no proxy")]
                if !g.value.contains("/") && !g.value.contains(".") {
                    notes.insert(
                        Note(
                            "a gateway name without a namespace is looked up in the VirtualService's namespace \(quoted(vs.namespace))"
                        ), at: 0)
                }
                let candidates = ctx.resources.gateways.filter { $0.namespace == ns }.map(\.name)
                var fix: FixIt?
                if let s = closest(name, among: candidates) {
                    let replacement = g.value.contains("/") ? "\(ns)/\(s)" : s
                    fix = FixIt("did you mean \(quoted(replacement))?", replacement: replacement, at: g.range)
                } else if let elsewhere = ctx.resources.gateways.first(where: { $0.name == name }) {
                    fix = FixIt(
                        "a Gateway of that name exists in namespace \(quoted(elsewhere.namespace)): write",
                        replacement: elsewhere.key.qualifiedName, at: g.range)
                }
                ctx.report(
                    .unknownGateway, "gateway \(quoted(g.value)) does not exist", at: g.range, in: vs, notes: notes,
                    fix: fix)
            }
        }
    }

    /// `name`, `namespace/name` or `name.namespace.svc.<suffix>` -> (namespace, name).
    static func resolve(_ ref: String, in namespace: String, suffix: String) -> (String, String) {
        if let slash = ref.firstIndex(of: "/") {
            let ns = String(ref[..<slash])
            return (ns == "." ? namespace : ns, String(ref[ref.index(after: slash)...]))
        }
        let parts = ref.split(separator: ".").map(String.init)
        if parts.count >= 2 { return (parts[1], parts[0]) }
        return (namespace, ref)
    }
}
