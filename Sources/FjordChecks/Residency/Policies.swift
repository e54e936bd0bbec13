import FjordDecision
import FjordDiagnostics
import FjordModel
import FjordSource

/// The jurisdictions a policy allows.
struct AllowedSet {
    var eea = false
    var adequacy = false
    var codes = Set<String>()
    var written: [String] = []

    var description: String { written.joined(separator: ", ") }
}

struct CompiledPolicy {
    var index: Int
    var policy: ResidencyPolicy
    var allowed: AllowedSet
    var personal: Set<String>
    var scopeNamespaces: Set<String>?
    /// Processors: workload -> index in `policy.processors`.
    var stops: [String: Int] = [:]
    /// Ingress Gateways (`namespace/name`) whose users' data the policy covers.
    var gateways: [String] = []
    var strict: Bool { policy.strict?.value ?? false }

    /// The verdict for a destination in `country`, received by `recipient`.
    func judge(_ placement: Placement, recipient: [String], catalog: RegionCatalog) -> ResidencyVerdict {
        switch placement {
        case .unknown: return .unknown
        case .anywhere: return .outside
        case .known(let place):
            let country = place.country.uppercased()
            let status = catalog.status(of: country)
            if allowed.codes.contains(country) {
                if status == .adequacyPartial {
                    let covering = policy.attestations.firstIndex { a in
                        a.jurisdiction.value.uppercased() == country
                            && (a.recipients.isEmpty
                                || a.recipients.contains { r in
                                    recipient.contains { $0.lowercased() == r.value.lowercased() }
                                })
                    }
                    return .conditional(attestation: covering)
                }
                return .allowed(country)
            }
            switch status {
            case .eea: return allowed.eea ? .allowed("EEA") : .outside
            case .adequacy: return allowed.adequacy ? .allowed("adequacy") : .outside
            case .adequacyPartial, .other: return .outside
            }
        }
    }
}

extension ResidencyAnalysis {
    static let aliases = ["UK": "GB", "EL": "GR", "EU": "EEA"]

    mutating func compilePolicies(_ report: inout ResidencyReport) {
        let root = mesh.config.rootNamespace
        var declarations: [DeclaredLocation] = []
        let policies = mesh.resources.residencyPolicies.sorted { $0.origin.sequence < $1.origin.sequence }
        for (i, p) in policies.enumerated() {
            var allowed = AllowedSet()
            func problem(_ m: String, _ r: SourceRange, _ s: Severity = .error, _ notes: [Note] = []) {
                report.problems.append(
                    ResidencyPolicyProblem(
                        policy: i, message: m, severity: s, range: r.isSynthetic ? p.nameRange : r, notes: notes))
            }
            for j in p.allowedJurisdictions {
                let v = String(j.value.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
                switch v.lowercased() {
                case "eea":
                    allowed.eea = true
                    allowed.written.append("EEA")
                case "adequacy":
                    allowed.adequacy = true
                    allowed.written.append("adequacy")
                default:
                    let code = v.uppercased()
                    if catalog.jurisdiction(code) != nil || isISOShaped(code) && Self.aliases[code] == nil {
                        allowed.codes.insert(code)
                        allowed.written.append(code)
                    } else {
                        var notes = [
                            Note(
                                "fjord knows `EEA` (the EU plus Iceland, Liechtenstein and Norway), `adequacy` (every full adequacy decision) and the ISO 3166-1 codes of data/regions.yaml"
                            )
                        ]
                        if let s = Self.aliases[code] { notes.insert(Note("did you mean `\(s)`?"), at: 0) }
                        problem("unknown jurisdiction \(quoted(v)) in `allowedJurisdictions`", j.range, .error, notes)
                    }
                }
            }
            for (k, a) in p.attestations.enumerated() {
                let code = a.jurisdiction.value.uppercased()
                guard let j = catalog.jurisdiction(code) else {
                    problem(
                        "attestation \(k) names unknown jurisdiction \(quoted(a.jurisdiction.value))",
                        a.jurisdiction.range,
                        .error, Self.aliases[code].map { [Note("did you mean `\($0)`?")] } ?? [])
                    continue
                }
                if !allowed.codes.contains(code) {
                    let why =
                        j.status == .eea || j.status == .adequacy && allowed.adequacy
                        ? "\(quoted(code)) is allowed without it" : "\(quoted(code)) is not in `allowedJurisdictions`"
                    problem(
                        "attestation \(k) for \(quoted(code)) has no effect: \(why)", a.jurisdiction.range, .warning)
                }
                if let c = j.condition, a.mechanism.value != c.mechanism,
                    a.mechanism.value == "DataPrivacyFramework" || a.mechanism.value == "PIPEDA"
                {
                    problem(
                        "mechanism \(quoted(a.mechanism.value)) does not apply to \(quoted(code)); its adequacy decision requires \(quoted(c.mechanism))",
                        a.mechanism.range, .error)
                } else if j.condition == nil,
                    a.mechanism.value == "DataPrivacyFramework" || a.mechanism.value == "PIPEDA"
                {
                    problem(
                        "mechanism \(quoted(a.mechanism.value)) does not apply to \(quoted(code))", a.mechanism.range,
                        .error)
                }
            }
            for l in p.locations {
                let country = l.country.value.uppercased()
                if !isISOShaped(country) {
                    problem(
                        "declared country \(quoted(l.country.value)) is not an ISO 3166-1 alpha-2 code", l.country.range
                    )
                    continue
                }
                if l.region == nil && l.host == nil {
                    problem("a declared location needs `region` or `host`", l.range)
                    continue
                }
                if let r = l.region, let known = catalog.region(r.value), known.country != country {
                    problem(
                        "declared location of region \(quoted(r.value)) (\(quoted(country))) contradicts fjord's catalog (\(quoted(known.country)))",
                        l.country.range, .warning, [Note("the declaration takes precedence")])
                }
                declarations.append(
                    DeclaredLocation(
                        region: l.region?.value, host: l.host?.value, country: country, reference: l.reference?.value,
                        policy: p.key.qualifiedName, range: l.range))
            }
            // Scope: a policy in the root namespace covers the mesh; elsewhere only its namespace.
            let scope: Set<String>? = p.namespace == root ? nil : [p.namespace]
            var personal = Set<String>()
            for (k, sel) in p.personalData.enumerated() {
                var namespaces = sel.namespaces.map(\.value)
                if let scope {
                    for n in sel.namespaces where !scope.contains(n.value) {
                        problem(
                            "namespace \(quoted(n.value)) is outside the scope of this policy, which is not in the root namespace \(quoted(root))",
                            n.range, .warning,
                            [Note("a ResidencyPolicy in \(quoted(p.namespace)) covers only that namespace")])
                    }
                    namespaces = namespaces.isEmpty ? Array(scope) : namespaces.filter { scope.contains($0) }
                    if namespaces.isEmpty { continue }
                }
                let selected = select(sel, namespaces: namespaces)
                if selected.isEmpty {
                    problem(
                        "`personalData` entry \(k) selects no workload", sel.range, .warning,
                        [
                            Note(
                                "no Deployment, StatefulSet, DaemonSet, Pod or WorkloadEntry among the inputs matches it"
                            )
                        ])
                }
                personal.formUnion(selected)
            }
            var stops: [String: Int] = [:]
            for (k, proc) in p.processors.enumerated() {
                let id = proc.workload.value
                if mesh.workload(id) == nil {
                    problem(
                        "processor \(quoted(id)) is not a workload among the inputs", proc.workload.range, .warning,
                        [Note("name it `namespace/name` (a Deployment, StatefulSet, DaemonSet, Pod or WorkloadEntry)")])
                    continue
                }
                if personal.contains(id) {
                    problem(
                        "processor \(quoted(id)) is itself selected by `personalData`, so its paths are followed anyway",
                        proc.workload.range, .warning)
                }
                stops[id] = k
            }
            var gateways: [String] = []
            for g in p.ingressGateways {
                let id = g.gateway.value
                guard mesh.resources.gateways.contains(where: { $0.key.qualifiedName == id }) else {
                    problem(
                        "ingress gateway \(quoted(id)) is not a Gateway among the inputs", g.gateway.range, .warning,
                        [Note("name the Gateway resource `namespace/name`")])
                    continue
                }
                // The gateway is a source when its users are ones whose data the policy keeps
                // in (they are in an allowed jurisdiction), or when `serves` is empty.
                let serves = g.serves.map { $0.value.uppercased() }
                let covered =
                    serves.isEmpty
                    || serves.contains { s in
                        s == "EEA" || s == "ADEQUACY" || allowed.codes.contains(s)
                            || catalog.jurisdiction(s).map {
                                $0.status == .eea && allowed.eea || $0.status == .adequacy && allowed.adequacy
                            } ?? false
                    }
                if covered { gateways.append(id) }
            }
            var cp = CompiledPolicy(index: i, policy: p, allowed: allowed, personal: personal, scopeNamespaces: scope)
            cp.stops = stops
            cp.gateways = gateways
            compiled.append(cp)
            report.policies.append(.init(policy: p, allowed: allowed.written, personal: personal.sorted()))
        }
        locator.declarations = declarations
    }

    func isISOShaped(_ s: String) -> Bool { s.count == 2 && s.allSatisfy { $0.isASCII && $0.isUppercase } }

    /// The workloads one `personalData` entry selects: every condition of the entry holds.
    func select(_ sel: ResidencyPolicy.DataSelector, namespaces: [String]) -> Set<String> {
        var out = Set<String>()
        let nsSet = Set(namespaces)
        var behindServices: Set<String>?
        if let s = sel.serviceSelector {
            var ids = Set<String>()
            for svc in mesh.resources.services
            where s.matches(svc.meta.labels) && (nsSet.isEmpty || nsSet.contains(svc.namespace)) {
                for h in mesh.hosts["\(svc.name).\(svc.namespace).svc.\(mesh.config.domainSuffix)"] ?? []
                where h.source == .service(svc.key) {
                    ids.formUnion(h.workloads)
                }
            }
            for se in mesh.resources.serviceEntries
            where s.matches(se.meta.labels) && (nsSet.isEmpty || nsSet.contains(se.namespace)) {
                for host in se.hosts {
                    for h in mesh.hosts[host.value.lowercased()] ?? [] where h.source == .serviceEntry(se.key) {
                        ids.formUnion(h.workloads)
                    }
                }
            }
            behindServices = ids
        }
        for w in mesh.workloads {
            if !nsSet.isEmpty, !nsSet.contains(w.namespace) { continue }
            if let ws = sel.workloadSelector, !ws.matches(w.labels) { continue }
            if let b = behindServices, !b.contains(w.id) { continue }
            out.insert(w.id)
        }
        return out
    }
}
