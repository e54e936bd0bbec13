import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ2112: a workload selector that matches no workload in the inputs (Kiali's KIA0004 and
/// KIA0302, istioctl's IST0101 for Sidecar and Gateway selectors and IST0127 for
/// AuthorizationPolicies). The resource applies to nothing. Sidecars and PeerAuthentications
/// select in their own namespace; AuthorizationPolicies and RequestAuthentications of the root
/// namespace select across the mesh; Gateways select in every namespace. A selector is judged
/// only when the inputs hold some workload where it selects (for a Gateway, in its namespace or
/// the root namespace): a repository of policies alone says nothing about which workloads run.
public enum SelectorCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "selector-matches-no-workload", codes: [.selectorMatchesNoWorkload],
        summary: "workload selectors of Sidecars, policies and Gateways that match no workload in the inputs",
        inputs: [.sidecar, .peerAuthentication, .requestAuthentication, .authorizationPolicy, .gateway])

    /// Where a selector looks for workloads: one namespace, or every namespace.
    enum Scope {
        case namespace(String)
        case mesh
    }

    public static func run(_ ctx: CheckContext) {
        let mesh = ctx.mesh
        guard !mesh.workloads.isEmpty else { return }
        let root = mesh.config.rootNamespace
        var byNamespace: [String: [Workload]] = [:]
        for w in mesh.workloads { byNamespace[w.namespace, default: []].append(w) }
        func check(
            _ selector: [String: String]?, _ scope: Scope, at range: SourceRange, in resource: some MeshResource
        ) {
            guard let selector, !selector.isEmpty else { return }
            let candidates: [Workload]
            let scopeText: String
            switch scope {
            case .namespace(let ns):
                candidates = byNamespace[ns] ?? []
                scopeText = "namespace \(quoted(ns))"
            case .mesh:
                candidates = mesh.workloads
                scopeText = "the mesh"
            }
            // Nothing to judge against: the workloads are in inputs Fjord was not given.
            guard !candidates.isEmpty else { return }
            guard !candidates.contains(where: { w in selector.allSatisfy { w.labels[$0.key] == $0.value } }) else {
                return
            }
            let kind = type(of: resource).kind.rawValue
            var notes: [Note] = []
            // The workloads closest to the selector: those sharing the most of its labels.
            let scored = candidates.map { w in (w, selector.filter { w.labels[$0.key] == $0.value }.count) }
                .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.id < $1.0.id }
            for (w, _) in scored.prefix(3) {
                notes.append(Note("\(quoted(w.id)) has labels \(quoted(labelText(w.labels)))", at: w.range))
            }
            if candidates.count > 3 { notes.append(Note("and \(candidates.count - 3) more workloads in \(scopeText)")) }
            notes.append(Note("this \(kind) applies to no workload"))
            ctx.report(
                .selectorMatchesNoWorkload,
                "selector \(quoted(labelText(selector))) of this \(kind) matches no workload in \(scopeText)",
                at: range, in: resource, notes: notes,
                fix: FixIt("fix the labels of the selector, or deploy the workload it is meant for"))
        }
        for s in ctx.resources.sidecars {
            check(s.workloadSelector, .namespace(s.namespace), at: s.selectorRange, in: s)
        }
        for p in ctx.resources.peerAuthentications {
            check(p.selector, .namespace(p.namespace), at: p.selectorRange, in: p)
        }
        for p in ctx.resources.requestAuthentications {
            check(p.selector, p.namespace == root ? .mesh : .namespace(p.namespace), at: p.selectorRange, in: p)
        }
        for p in ctx.resources.authorizationPolicies {
            check(p.selector, p.namespace == root ? .mesh : .namespace(p.namespace), at: p.selectorRange, in: p)
        }
        // Gateway workloads are often installed apart from the configuration (by Istio's
        // charts, in the root namespace): judge a Gateway only when the inputs hold some
        // workload in its namespace or the root namespace.
        for g in ctx.resources.gateways where byNamespace[g.namespace] != nil || byNamespace[root] != nil {
            check(g.selector, .mesh, at: g.selectorRange, in: g)
        }
    }

    /// `app=reviews, version=v1`, sorted by key.
    static func labelText(_ labels: [String: String]) -> String {
        labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
    }
}
