import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ4001, FJ4002 and FJ4003: every path personal data can take (where its workloads run, the
/// routes their sidecars apply, mirrors, locality failover, egress, ALLOW_ANY, and responses to
/// callers elsewhere), judged against the ResidencyPolicies. One finding per place that opens a
/// path and destination, with the whole path as witness and the other sources in a note.
public enum ResidencyCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "residency", codes: [.residencyViolation, .unknownLocation, .conditionalAdequacy],
        summary: "personal data that can reach a location outside the jurisdictions a ResidencyPolicy allows",
        inputs: [
            .residencyPolicy, .virtualService, .destinationRule, .serviceEntry, .sidecar, .service, .deployment, .node,
            .configMap,
        ])

    public static func run(_ ctx: CheckContext) {
        guard !ctx.resources.residencyPolicies.isEmpty else { return }
        let report = ResidencyAnalysis.run(mesh: ctx.mesh)
        for d in diagnostics(report) { ctx.report(d) }
    }

    /// The findings of a report, in the order the groups were found.
    public static func diagnostics(_ report: ResidencyReport) -> [Diagnostic] {
        report.groups.map { diagnostic($0, report) }
    }

    static func diagnostic(_ g: ResidencyFindingGroup, _ report: ResidencyReport) -> Diagnostic {
        let f = g.flow
        let info = report.policies[f.policy]
        let policy = info.policy
        let allowed = info.allowed.joined(separator: ", ")
        let code: DiagnosticCode
        var severity: Severity?
        var tail: String
        switch f.verdict {
        case .outside, .allowed:
            code = .residencyViolation
            tail = ", outside the allowed jurisdictions (\(allowed))"
        case .unknown:
            code = .unknownLocation
            tail = ""
        case .conditional(let a):
            code = .conditionalAdequacy
            let country = f.placement.place?.country ?? "?"
            if let a, policy.attestations.indices.contains(a) {
                severity = .info
                tail =
                    ", allowed only under the conditional adequacy decision for \(quoted(country)), which attestation \(a) (\(quoted(policy.attestations[a].mechanism.value))) covers"
            } else {
                tail =
                    ", allowed only under the conditional adequacy decision for \(quoted(country)), and no attestation covers it"
            }
        }
        // Severity follows the evidence: a path that only the Sidecar's egress opens (no call
        // evidence, no route) is a warning with a fix, unless the policy asks for `strict`.
        var fix: FixIt?
        let weak = f.strength == .reachable
        if code == .residencyViolation && weak && policy.strict?.value != true {
            severity = .warning
            let anywhere = f.via == .allowAny || f.via == .noSidecar
            fix = FixIt(
                anywhere
                    ? "set `outboundTrafficPolicy` to REGISTRY_ONLY (or inject a sidecar), so only the hosts the mesh declares are reachable"
                    : "narrow the Sidecar's egress (`egress.hosts`) to the hosts the workload calls; if the call is real, name it (env, argument or `fjord.dev/calls`) and this is an error"
            )
        }
        let message = text(f, code: code, tail: tail)
        var notes: [Note] = []
        // Why the place is what it is.
        switch f.placement {
        case .unknown(let why) where code == .unknownLocation:
            notes.append(Note(why))
            notes.append(
                Note(
                    "declare the location in the ResidencyPolicy's `locations` (`host:` or `region:` with `country:`), or give the endpoint a locality"
                ))
        case .anywhere(let why) where f.via != .allowAny && f.via != .noSidecar:
            notes.append(Note(why))
        case .known(let place) where code == .residencyViolation:
            if let j = report.catalog.jurisdiction(place.country) {
                switch j.status {
                case .adequacyPartial:
                    notes.append(
                        Note(
                            "\(quoted(j.code)) has only a conditional adequacy decision: \(j.decision ?? "its decision") covers \(j.condition?.text ?? "some recipients"); "
                                + "to rely on it, name \(quoted(j.code)) in `allowedJurisdictions` and attest it"))
                case .other:
                    notes.append(
                        Note("\(j.name) (\(quoted(j.code))) has no adequacy decision of the European Commission"))
                case .adequacy:
                    notes.append(
                        Note(
                            "\(j.name) (\(quoted(j.code))) has an adequacy decision (\(j.decision ?? "")), but the policy does not allow `adequacy` or \(quoted(j.code))"
                        ))
                case .eea:
                    notes.append(Note("\(j.name) (\(quoted(j.code))) is in the EEA, which the policy does not allow"))
                }
            } else {
                notes.append(Note("\(quoted(place.country)) has no adequacy decision of the European Commission"))
            }
        case .known(let place):
            if code == .conditionalAdequacy, let j = report.catalog.jurisdiction(place.country) {
                notes.append(
                    Note(
                        "\(j.decision ?? "the adequacy decision") covers \(j.condition?.text ?? "only some recipients")"
                    ))
                if case .conditional(let a?) = f.verdict, policy.attestations.indices.contains(a) {
                    let att = policy.attestations[a]
                    notes.append(
                        Note(
                            "attestation \(a): \(quoted(att.mechanism.value))"
                                + (att.reference.map { ", reference \(quoted($0.value))" } ?? ""), at: att.range))
                } else if let c = j.condition {
                    notes.append(
                        Note(
                            "add an attestation for \(quoted(j.code)) with mechanism \(quoted(c.mechanism)) whose `recipients` name the recipient"
                        ))
                }
            }
        default:
            break
        }
        // The other hops, where they are written.
        var hopNotes = 0
        for (i, h) in f.hops.enumerated() where i != f.opening {
            guard let n = h.note, hopNotes < 6 else { continue }
            if case .unknown = f.placement, n == f.placement.unknownReason { continue }
            if case .anywhere(let why) = f.placement, n == why { continue }
            notes.append(Note(n, at: h.range))
            hopNotes += 1
        }
        if g.sources.count > 1 {
            let others = g.sources.dropFirst()
            let shown = others.prefix(3).map(quoted).joined(separator: ", ")
            let more = others.count > 3 ? " and \(others.count - 3) more" : ""
            switch f.direction {
            case .response: notes.append(Note("personal data from \(shown)\(more) reaches it the same way"))
            default: notes.append(Note("the same path is open from \(shown)\(more)"))
            }
        }
        if weak && code == .residencyViolation {
            notes.append(
                Note(
                    policy.strict?.value == true
                        ? "no call evidence shows this path, but the policy asks for the strict reading (`strict: true`)"
                        : "no call evidence shows this path: it exists because the configuration lets the proxy reach the host; `strict: true` in the policy makes it an error",
                    at: policy.strict?.range))
        }
        notes.append(
            Note(
                "ResidencyPolicy \(quoted(policy.key.qualifiedName)) allows \(allowed.isEmpty ? "nothing" : allowed)",
                at: policy.allowedJurisdictionsRange))
        let opening = f.openingHop
        let range = opening.range.isSynthetic ? policy.nameRange : opening.range
        let resource =
            opening.range.isSynthetic
            ? ResourceRef(kind: "ResidencyPolicy", namespace: policy.namespace, name: policy.name)
            : opening.resource ?? ResourceRef(kind: "ResidencyPolicy", namespace: policy.namespace, name: policy.name)
        if let n = opening.note, !opening.range.isSynthetic { notes.insert(Note(n), at: 0) }
        return Diagnostic(
            code, severity: severity, message, at: range, resource: resource, notes: notes, fix: fix,
            witness: .path(f.steps))
    }

    /// `norwayeast, NO`, `location unknown`.
    static func short(_ p: Placement) -> String {
        switch p {
        case .known(let place): return "\(place.name), \(place.country)"
        case .unknown: return "location unknown"
        case .anywhere: return "anywhere"
        }
    }

    /// `eastus (US)`, `any country`.
    static func place(_ p: Placement) -> String {
        switch p {
        case .known(let place): return "\(place.name) (\(place.country))"
        case .unknown: return "an unknown location"
        case .anywhere: return "any country"
        }
    }

    static func text(_ f: ResidencyFlow, code: DiagnosticCode, tail: String) -> String {
        let unknown = code == .unknownLocation
        switch f.direction {
        case .placement:
            if unknown {
                return
                    "the location of personal-data workload \(quoted(f.source)) cannot be established; residency is not proved"
            }
            return "personal-data workload \(quoted(f.source)) runs in \(place(f.placement))\(tail)"
        case .response:
            let receiver = quoted(f.receiver ?? "?")
            let host = quoted(f.host ?? "?")
            var source = quoted(f.source)
            if let g = f.gateway { source = "entering through Gateway \(quoted(g))" }
            if !f.through.isEmpty {
                source +=
                    " (through \(f.through.prefix(2).map(quoted).joined(separator: ", "))\(f.through.count > 2 ? " and \(f.through.count - 2) more" : ""))"
            }
            if unknown {
                return "\(receiver) calls \(host), so personal data from \(source) reaches it in responses, "
                    + "and its location cannot be established; residency is not proved"
            }
            return
                "\(receiver) in \(place(f.placement)) calls \(host), so personal data from \(source) reaches it in responses\(tail)"
        case .outbound:
            var from = "personal data from \(quoted(f.source)) (\(short(f.sourcePlacement)))"
            if let g = f.gateway { from = "personal data entering through Gateway \(quoted(g))" }
            if !f.through.isEmpty {
                let shown = f.through.prefix(2).map(quoted).joined(separator: ", ")
                from += " through \(shown)\(f.through.count > 2 ? " and \(f.through.count - 2) more" : "")"
            }
            if unknown {
                return
                    "\(from) can reach \(f.sink.label), whose location cannot be established; residency is not proved"
            }
            if case .anywhere = f.placement { return "\(from) can reach \(f.sink.label), in any country\(tail)" }
            return "\(from) can reach \(f.sink.label) in \(place(f.placement))\(tail)"
        }
    }
}

extension Placement {
    var unknownReason: String? {
        if case .unknown(let why) = self { return why }
        return nil
    }
}
