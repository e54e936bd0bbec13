import FjordDecision
import FjordDiagnostics
import FjordModel
import FjordSource

/// The locality load-balancing settings that apply to one destination.
struct LocalitySettings {
    var setting: LocalityLoadBalancerSetting
    var outlierDetection: Bool
    var rule: ResourceRef
}

extension FlowEngine {
    /// A leg as one client sees it: locality `distribute` may remove it, and failover entries that
    /// name the endpoint's region become the hop that opens the path.
    func adjust(_ leg: Leg, for source: Locality?) -> Leg? {
        if let from = leg.latentFrom {
            guard let source else { return leg }
            return LocalityPattern.matches(from, source) ? leg : nil
        }
        guard let region = leg.endpointRegion else { return leg }
        guard let ls = leg.locality else {
            // Without locality settings, retries to other localities explain the hop.
            guard let r = leg.retryRemote, let source, region != source.region else { return leg }
            var out = leg
            out.hops.insert(
                ResidencyHop(
                    "retry to another locality",
                    note: "`retryRemoteLocalities` lets retries go to endpoints in other localities", at: r),
                at: out.localityAt)
            return out
        }
        var out = leg
        let setting = ls.setting
        if !setting.distribute.isEmpty {
            guard let source,
                let d = setting.distribute.first(where: { LocalityPattern.matches($0.from.value, source) })
            else { return leg }
            let endpoint = Locality(region: region, zone: leg.endpointZone, source: "")
            guard let to = d.to.first(where: { $0.weight > 0 && LocalityPattern.matches($0.locality.value, endpoint) })
            else { return nil }
            if region != source.region {
                out.hops.insert(
                    ResidencyHop(
                        "distribute \(d.from.value) -> \(to.locality.value) (\(to.weight) %)",
                        note:
                            "locality `distribute` from \(quoted(d.from.value)) sends \(to.weight) % to \(quoted(to.locality.value)) (DestinationRule \(ls.rule.qualifiedName))",
                        at: to.locality.range, resource: ls.rule), at: out.localityAt)
                out.opening = out.localityAt
                out.via = .distribute
            }
            return out
        }
        guard ls.outlierDetection, let source, region != source.region else { return leg }
        if let f = setting.failover.first(where: { $0.from.value == source.region && $0.to.value == region }) {
            out.hops.insert(
                ResidencyHop(
                    "locality failover \(f.from.value) -> \(f.to.value)",
                    note:
                        "locality failover from \(quoted(f.from.value)) to \(quoted(f.to.value)) (DestinationRule \(ls.rule.qualifiedName))",
                    at: f.to.range, resource: ls.rule), at: out.localityAt)
            out.opening = out.localityAt
            out.via = .failover
        } else if let fp = setting.failoverPriority.first {
            out.hops.insert(
                ResidencyHop(
                    "failoverPriority (another region, lower priority)",
                    note:
                        "`failoverPriority` keeps endpoints in other regions reachable at lower priority (DestinationRule \(ls.rule.qualifiedName))",
                    at: fp.range, resource: ls.rule), at: out.localityAt)
            if out.via == .route { out.via = .failover }
        } else {
            out.hops.insert(
                ResidencyHop(
                    "another region (locality failover)",
                    note:
                        "with outlier detection, Istio fails over to other regions when \(quoted(source.region)) has no healthy endpoint (DestinationRule \(ls.rule.qualifiedName))",
                    at: setting.range, resource: ls.rule), at: out.localityAt)
            if out.via == .route { out.via = .failover }
        }
        return out
    }
}

/// Istio locality patterns: `region`, `region/zone`, `region/zone/subzone`, `*` as a segment.
enum LocalityPattern {
    static func matches(_ pattern: String, _ l: Locality) -> Bool {
        let p = pattern.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let v = [l.region, l.zone ?? "", l.subzone ?? ""]
        for (i, part) in p.enumerated() where i < 3 {
            if part == "*" { return true }
            if part != v[i] { return false }
        }
        return true
    }
}
