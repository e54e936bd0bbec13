import FjordDecision
import FjordDiagnostics
import FjordModel
import FjordSource

/// A rule as the analysis sees it: a VirtualService rule, or one rule of a delegate merged into
/// its root rule.
struct AnalysedRule {
    var vs: VirtualService
    var root: HTTPRoute
    /// The delegate and its rule, for delegated rules.
    var delegate: (vs: VirtualService, rule: HTTPRoute)?
    /// The merged rule (its matches are what the proxy sees).
    var route: HTTPRoute

    /// The rule whose text the finding points at.
    var sourceRule: HTTPRoute { delegate?.rule ?? root }
    var sourceVS: VirtualService { delegate?.vs ?? vs }

    var displayName: String {
        if let d = delegate { return "\(d.rule.displayName) of delegate `\(d.vs.key.qualifiedName)`" }
        return root.displayName
    }
}

enum RouteAnalysisSupport {
    /// `name` (in the VirtualService's namespace), `ns/name` or `mesh`.
    static func gatewayRefs(_ refs: [Located<String>], vs: VirtualService) -> [String] {
        refs.map { r in r.value == "mesh" || r.value.contains("/") ? r.value : "\(vs.namespace)/\(r.value)" }
    }

    /// The gateways a block applies to: its own, else the VirtualService's, else `mesh`.
    static func gateways(of m: HTTPMatchRequest?, vs: VirtualService) -> [String] {
        if let m, !m.gateways.isEmpty { return gatewayRefs(m.gateways, vs: vs) }
        return vs.gateways.isEmpty ? ["mesh"] : gatewayRefs(vs.gateways, vs: vs)
    }

    /// The rules of a VirtualService with delegates expanded, in first-match order, plus the
    /// delegate rules Istio drops for conflicting with their root.
    static func rules(of vs: VirtualService, in mesh: Mesh) -> (
        rules: [AnalysedRule], dropped: [(root: HTTPRoute, delegate: VirtualService, rule: HTTPRoute)]
    ) {
        var out: [AnalysedRule] = []
        var dropped: [(HTTPRoute, VirtualService, HTTPRoute)] = []
        for r in vs.http {
            guard let d = r.delegate else {
                out.append(AnalysedRule(vs: vs, root: r, delegate: nil, route: r))
                continue
            }
            let ns = d.namespace?.value ?? vs.namespace
            guard
                let dvs = mesh.resources.virtualServices.first(where: {
                    $0.namespace == ns && $0.name == d.name.value && $0.isDelegate
                })
            else {
                continue
            }
            for dr in dvs.http where dr.delegate == nil {
                if let merged = RouteTables.mergeDelegate(root: r, delegate: dr) {
                    out.append(AnalysedRule(vs: vs, root: r, delegate: (dvs, dr), route: merged))
                } else {
                    dropped.append((r, dvs, dr))
                }
            }
        }
        return (out, dropped)
    }

    /// Where a finding about a rule points: its first match block, else the rule.
    static func range(of rule: HTTPRoute) -> SourceRange {
        rule.match.first?.range ?? rule.name?.range ?? rule.range
    }

    static func witness(_ w: ReachabilityAnalysis.Witness, rules: [AnalysedRule], vs: VirtualService)
        -> FjordDiagnostics.Witness
    {
        let r = w.request
        var url = "\(r.scheme)://\(r.authority)"
        if r.port != 80 && MeshRequest.authorityPort(r.authority) == nil { url += ":\(r.port)" }
        url += r.path
        let request = WitnessRequest(
            method: r.method, url: url, headers: r.headers.map { ($0.name, $0.value) },
            port: r.port, source: w.context.isEmpty ? nil : w.context.joined(separator: ", "))
        var outcome = [rules[w.takenBy].displayName]
        let taker = rules[w.takenBy].route
        if let d = taker.route.first?.destination {
            outcome.append(d.host.value + (d.subset.map { " \($0.value)" } ?? ""))
        } else if taker.redirect != nil {
            outcome.append("redirect")
        } else if let dr = taker.directResponse {
            outcome.append("direct response \(dr.status.value)")
        }
        return .request(request, outcome: outcome)
    }
}
