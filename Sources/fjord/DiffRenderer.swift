import FjordCompiler
import FjordDiagnostics

/// Renders a `DiffResult` as text, JSON (docs/output-formats.md, "fjord diff"), Markdown for a
/// pull-request comment, or SARIF holding only the new findings. Pure: same input, same bytes.
struct DiffRenderer {
    static let jsonVersion = 1

    let result: DiffResult
    var color: Bool
    /// Rewrites OLD's temporary paths (`--git`) as `REV:path`.
    var oldPathPrefix: (String, String)?

    init(result: DiffResult, color: Bool) {
        self.result = result
        self.color = color
    }

    func render(_ format: DiffFormat) -> String {
        switch format {
        case .text: text()
        case .json: json()
        case .markdown: markdown()
        case .sarif: sarif()
        }
    }

    func remap(_ s: String) -> String {
        guard let (from, to) = oldPathPrefix else { return s }
        return s.replacingAll(from, with: to)
    }

    // MARK: Shared pieces

    var routes: RouteDiff.Result { result.routes }
    var classCount: Int { routes.hostChanges.reduce(0) { $0 + $1.classes.count } }

    /// Findings that none of the named sections shows.
    var otherNew: [Diagnostic] { result.findings.added.filter { !Self.sectionCodes.contains($0.code.rawValue) } }
    var otherGone: [Diagnostic] { result.findings.removed.filter { !Self.sectionCodes.contains($0.code.rawValue) } }
    static let sectionCodes = DiffResult.reachabilityCodes.union(DiffResult.residencyCodes).union(DiffResult.mtlsCodes)

    func position(_ r: SourceRange?, new: Bool = true) -> String? {
        guard let r, !r.isSynthetic else { return nil }
        let sources = new ? result.new.sources : result.old.sources
        return remap("\(sources.path(of: r.file)):\(r.start.line):\(r.start.column)")
    }

    static func scopes(_ s: [ProxyScope]) -> String {
        let sidecars = s.filter { if case .sidecar = $0 { true } else { false } }
        let gateways = s.filter { if case .gateway = $0 { true } else { false } }
        var parts: [String] = []
        if sidecars.count == 1 {
            parts.append("sidecar \(sidecars[0].id)")
        } else if sidecars.count > 1 {
            let names = sidecars.prefix(3).map(\.id).joined(separator: ", ")
            parts.append("\(sidecars.count) sidecars (\(names)\(sidecars.count > 3 ? ", ..." : ""))")
        }
        for g in gateways.prefix(3) { parts.append("gateway \(g.id)") }
        if gateways.count > 3 { parts.append("\(gateways.count - 3) more gateways") }
        return parts.joined(separator: ", ")
    }

    static func rule(_ r: RuleRef?) -> String {
        guard let r else { return "no rule" }
        if let name = r.name { return "rule `\(name)` of \(r.virtualService)" }
        return "rule \(r.index) of \(r.virtualService)"
    }

    static func witness(_ r: MeshRequest) -> String {
        var url = "\(r.scheme)://\(r.authority)"
        if r.port != 80 && r.port != 443 { url += ":\(r.port)" }
        url += r.path
        var s = "\(r.method) \(url)"
        for h in r.headers { s += "  \(h.name): \(h.value)" }
        return s
    }

    /// Per-destination shares before and after, when both outcomes route (nil otherwise).
    static func shareChanges(_ c: RouteDiff.ChangedClass) -> [(destination: String, before: String, after: String)]? {
        guard let a = c.before.decision.action, let b = c.after.decision.action, a.kind == .route, b.kind == .route
        else { return nil }
        let sa = RouteDiff.Outcome.shares(a)
        let sb = RouteDiff.Outcome.shares(b)
        var names: [String] = []
        for s in sa + sb where !names.contains(s.destination) { names.append(s.destination) }
        var out: [(String, String, String)] = []
        for n in names {
            let before = sa.first { $0.destination == n }?.percent ?? "0"
            let after = sb.first { $0.destination == n }?.percent ?? "0"
            if before != after { out.append((n, before, after)) }
        }
        return out
    }

    /// What differs between two route outcomes besides the shares (timeout, retries, ...).
    static func otherDifferences(_ c: RouteDiff.ChangedClass) -> [String] {
        let a = c.before.decision.action
        let b = c.after.decision.action
        var out: [String] = []
        if c.before.decision.outcome != c.after.decision.outcome || a?.kind != b?.kind { return ["outcome"] }
        guard let a, let b else { return ["outcome"] }
        if a.timeoutMs != b.timeoutMs { out.append("timeout") }
        if a.retries != b.retries { out.append("retries") }
        if a.fault != b.fault { out.append("fault") }
        if a.mirrors != b.mirrors { out.append("mirror") }
        if a.redirect != b.redirect { out.append("redirect") }
        if a.rewrite != b.rewrite { out.append("rewrite") }
        if a.directStatus != b.directStatus || a.directBody != b.directBody { out.append("direct response") }
        if a.requestHeaders != b.requestHeaders || a.responseHeaders != b.responseHeaders
            || a.destinations.map(\.requestHeaders) != b.destinations.map(\.requestHeaders)
            || a.destinations.map(\.responseHeaders) != b.destinations.map(\.responseHeaders)
        {
            out.append("header operations")
        }
        if a.destinations.map({ "\($0.host) \($0.subset ?? "") \($0.port ?? 0)" })
            != b.destinations.map({ "\($0.host) \($0.subset ?? "") \($0.port ?? 0)" })
        {
            out.append("destination")
        } else if a.destinations.map(\.weight) != b.destinations.map(\.weight) {
            out.append("weights")
        }
        if c.before.unresolved != c.after.unresolved { out.append("unresolved destination (503)") }
        return out.isEmpty ? ["outcome"] : out
    }

    static func detail(_ o: RouteDiff.Outcome) -> String {
        var s = o.description
        guard let a = o.decision.action, a.kind == .route else { return s }
        var extra: [String] = []
        if let t = a.timeoutMs { extra.append("timeout \(t) ms") }
        if a.retries.attempts > 0 { extra.append("retries \(a.retries.attempts)") }
        if let f = a.fault {
            if let d = f.delayMs { extra.append("fault delay \(d) ms for \(f.delayPercentage) %") }
            if let st = f.abortStatus { extra.append("fault abort \(st) for \(f.abortPercentage) %") }
        }
        for m in a.mirrors { extra.append("mirror to \(m.destination.host) \(m.percentage) %") }
        if let r = a.rewrite {
            if let u = r.uri { extra.append("rewrite uri `\(u)`") }
            if let au = r.authority { extra.append("rewrite authority `\(au)`") }
        }
        let ops =
            a.requestHeaders.set.count + a.requestHeaders.add.count + a.requestHeaders.remove.count
            + a.responseHeaders.set.count + a.responseHeaders.add.count + a.responseHeaders.remove.count
        if ops > 0 { extra.append("\(ops) header operation\(ops == 1 ? "" : "s")") }
        if !extra.isEmpty { s += " (" + extra.joined(separator: ", ") + ")" }
        return s
    }

    func finding(_ d: Diagnostic, new: Bool) -> String {
        var line = ""
        if let p = position(d.range, new: new) { line += p + ": " }
        line += "\(d.severity): [\(d.code.rawValue)] \(d.message)"
        return line
    }

    var headline: String {
        guard result.behaviourChanged else {
            let n = result.findings.added.count
            let g = result.findings.removed.count
            if n + g == 0 { return "no behaviour change" }
            return "no behaviour change; findings: \(n) new, \(g) gone"
        }
        var parts: [String] = []
        if classCount > 0 {
            parts.append(
                "\(classCount) request class\(classCount == 1 ? "" : "es") changed on \(routes.hostChanges.count) host\(routes.hostChanges.count == 1 ? "" : "s")"
            )
        }
        func add(_ n: Int, _ what: String) { if n > 0 { parts.append("\(n) \(what)") } }
        add(routes.scopesAdded.count, "scopes added")
        add(routes.scopesRemoved.count, "scopes removed")
        add(routes.destinationPolicyChanges.count, "destination policies changed")
        add(result.newlyUnreachable.count, "rules now unreachable")
        add(result.reachableAgain.count, "rules reachable again")
        add(result.residencyOpened.count, "residency paths opened")
        add(result.residencyClosed.count, "residency paths closed")
        add(result.mtlsBroken.count, "mTLS edges broken")
        add(result.mtlsRepaired.count, "mTLS edges repaired")
        return "behaviour changed: " + parts.joined(separator: ", ")
            + "; findings: \(result.findings.added.count) new, \(result.findings.removed.count) gone"
    }

    // MARK: Text

    func bold(_ s: String) -> String { color ? "\u{1B}[1m\(s)\u{1B}[0m" : s }

    func text() -> String {
        var out = ""
        if !routes.hostChanges.isEmpty {
            out += bold("routing") + "\n"
            for h in routes.hostChanges {
                var head = "  \(h.host):\(h.port)"
                if let vs = h.virtualServices.first { head += " via VirtualService \(vs.namespace)/\(vs.name)" }
                if let p = position(h.range) { head += " (\(p))" }
                out += head + "\n    seen by \(Self.scopes(h.scopes))\n"
                if let why = h.incomplete { out += "    not compared exactly: \(why)\n" }
                for c in h.classes {
                    let what = Self.otherDifferences(c).joined(separator: ", ")
                    var line = "    ~ \(what): \(Self.rule(c.beforeRule)) -> \(Self.rule(c.afterRule))"
                    if let p = position(c.range) { line += " (\(p))" }
                    if c.rulePairs > 1 { line += " [\(c.rulePairs) rule pairs]" }
                    out += line + "\n"
                    if let shares = Self.shareChanges(c), !shares.isEmpty, Self.otherDifferences(c) == ["weights"] {
                        for s in shares { out += "        \(s.destination): \(s.before) % -> \(s.after) %\n" }
                    } else {
                        out += "        before: \(Self.detail(c.before))\n"
                        out += "        after:  \(Self.detail(c.after))\n"
                    }
                    if let w = c.witness {
                        out += "        witness: \(Self.witness(w))\n"
                    } else {
                        out += "        witness: none found (the class is proved non-empty on the diagrams)\n"
                    }
                }
            }
        }
        let shares = shareLines
        if !shares.isEmpty {
            out += bold("traffic shares") + "\n"
            for s in shares { out += "  \(s)\n" }
        }
        if !routes.scopesAdded.isEmpty || !routes.scopesRemoved.isEmpty {
            out += bold("proxy scopes") + "\n"
            for s in routes.scopesAdded { out += "  + \(s)\n" }
            for s in routes.scopesRemoved { out += "  - \(s)\n" }
        }
        if !routes.destinationPolicyChanges.isEmpty {
            out += bold("destination policies") + "\n"
            for d in routes.destinationPolicyChanges { out += "  \(Self.policyLine(d))\n" }
        }
        out += section("rules now unreachable", result.newlyUnreachable, new: true, mark: "+")
        out += section("rules reachable again", result.reachableAgain, new: false, mark: "-")
        out += section("residency paths opened", result.residencyOpened, new: true, mark: "+")
        out += section("residency paths closed", result.residencyClosed, new: false, mark: "-")
        out += section("mTLS edges newly broken", result.mtlsBroken, new: true, mark: "+")
        out += section("mTLS edges repaired", result.mtlsRepaired, new: false, mark: "-")
        out += section("new findings", otherNew, new: true, mark: "+")
        out += section("gone findings", otherGone, new: false, mark: "-")
        out += headline + "\n"
        return out
    }

    var shareLines: [String] {
        var out: [String] = []
        for h in routes.hostChanges {
            for c in h.classes {
                guard Self.otherDifferences(c) == ["weights"], let shares = Self.shareChanges(c), !shares.isEmpty
                else { continue }
                let who = c.afterRule.map { "requests taking \(Self.rule($0))" } ?? "requests"
                for s in shares {
                    out.append("\(s.destination): \(s.before) % -> \(s.after) % of \(who) on \(h.host):\(h.port)")
                }
            }
        }
        return out
    }

    static func policyLine(_ d: RouteDiff.DestinationPolicyChange) -> String {
        var parts: [String] = []
        if !d.subsetsAdded.isEmpty {
            parts.append("subsets added \(d.subsetsAdded.map { "`\($0)`" }.joined(separator: ", "))")
        }
        if !d.subsetsRemoved.isEmpty {
            parts.append("subsets removed \(d.subsetsRemoved.map { "`\($0)`" }.joined(separator: ", "))")
        }
        if d.policyChanged { parts.append("traffic policy changed") }
        let drs = d.destinationRules.map { "\($0.namespace)/\($0.name)" }.joined(separator: ", ")
        return "\(d.host) (DestinationRule \(drs)): " + parts.joined(separator: "; ")
    }

    func section(_ title: String, _ ds: [Diagnostic], new: Bool, mark: String) -> String {
        guard !ds.isEmpty else { return "" }
        var out = bold(title) + (new ? "" : " (positions in OLD)") + "\n"
        for d in ds {
            out += "  \(mark) \(finding(d, new: new))\n"
            if let w = d.witness {
                out += "      \(w.kind == .path ? "path" : "witness"): \(remap(w.rendered))\n"
            }
        }
        return out
    }

    // MARK: JSON

    func json() -> String {
        func outcome(_ o: RouteDiff.Outcome) -> JSONValue {
            var m: [(String, JSONValue)] = [
                ("outcome", .string(o.decision.outcome.rawValue)),
                ("host", .nullable(o.decision.host)),
                ("summary", .string(Self.detail(o))),
            ]
            if let a = o.decision.action {
                m.append(("kind", .string(a.kind.rawValue)))
                m.append(
                    (
                        "destinations",
                        .array(
                            a.destinations.map { d in
                                .object([
                                    ("host", .string(d.host)), ("subset", .nullable(d.subset)),
                                    ("port", .nullable(d.port)), ("weight", .int(d.weight)),
                                ])
                            })
                    ))
                m.append(("timeoutMs", .nullable(a.timeoutMs)))
                m.append(("retries", .int(a.retries.attempts)))
            }
            m.append(("unresolved", .array(o.unresolved.map { .string($0) })))
            return .object(m)
        }
        func rule(_ r: RuleRef?) -> JSONValue {
            guard let r else { return .null }
            return .object([
                ("virtualService", .string(r.virtualService)), ("index", .int(r.index)), ("name", .nullable(r.name)),
            ])
        }
        func position(_ r: SourceRange?) -> JSONValue {
            guard let r, !r.isSynthetic else { return .null }
            return .object([
                ("file", .string(result.new.sources.path(of: r.file))), ("line", .int(r.start.line)),
                ("column", .int(r.start.column)),
            ])
        }
        func witness(_ w: MeshRequest?) -> JSONValue {
            guard let w else { return .null }
            return .object([
                ("method", .string(w.method)), ("scheme", .string(w.scheme)), ("authority", .string(w.authority)),
                ("path", .string(w.path)), ("port", .int(w.port)),
                (
                    "headers",
                    .array(w.headers.map { .object([("name", .string($0.name)), ("value", .string($0.value))]) })
                ),
                ("rendered", .string(Self.witness(w))),
            ])
        }
        let hosts: [JSONValue] = routes.hostChanges.map { h in
            .object([
                ("host", .string(h.host)), ("port", .int(h.port)),
                ("scopes", .array(h.scopes.map { .string($0.description) })),
                (
                    "virtualServices",
                    .array(h.virtualServices.map { .string("\($0.namespace)/\($0.name)") })
                ),
                ("location", position(h.range)),
                ("incomplete", .nullable(h.incomplete)),
                (
                    "classes",
                    .array(
                        h.classes.map { c in
                            .object([
                                ("changes", .array(Self.otherDifferences(c).map { .string($0) })),
                                ("before", outcome(c.before)), ("after", outcome(c.after)),
                                ("beforeRule", rule(c.beforeRule)), ("afterRule", rule(c.afterRule)),
                                ("location", position(c.range)),
                                ("witness", witness(c.witness)),
                                ("rulePairs", .int(c.rulePairs)),
                                (
                                    "shares",
                                    .array(
                                        (Self.shareChanges(c) ?? []).map { s in
                                            .object([
                                                ("destination", .string(s.destination)),
                                                ("before", .string(s.before)), ("after", .string(s.after)),
                                            ])
                                        })
                                ),
                            ])
                        })
                ),
            ])
        }
        func diags(_ ds: [Diagnostic], new: Bool) -> JSONValue {
            .array(
                ds.map { d in
                    var v = JSONRenderer.diagnostic(d, sources: new ? result.new.sources : result.old.sources)
                    if case .object(var members) = v {
                        members.append(("key", .string(FindingKey(d).description)))
                        if !new, let i = members.firstIndex(where: { $0.0 == "file" }),
                            case .string(let f) = members[i].1
                        {
                            members[i].1 = .string(remap(f))
                        }
                        v = .object(members)
                    }
                    return v
                })
        }
        let doc = JSONValue.object([
            ("version", .int(Self.jsonVersion)),
            ("behaviourChanged", .bool(result.behaviourChanged)),
            ("summary", .string(headline)),
            ("hosts", .array(hosts)),
            ("scopesAdded", .array(routes.scopesAdded.map { .string($0.description) })),
            ("scopesRemoved", .array(routes.scopesRemoved.map { .string($0.description) })),
            (
                "destinationPolicies",
                .array(
                    routes.destinationPolicyChanges.map { d in
                        .object([
                            ("host", .string(d.host)),
                            (
                                "destinationRules",
                                .array(d.destinationRules.map { .string("\($0.namespace)/\($0.name)") })
                            ),
                            ("subsetsAdded", .array(d.subsetsAdded.map { .string($0) })),
                            ("subsetsRemoved", .array(d.subsetsRemoved.map { .string($0) })),
                            ("policyChanged", .bool(d.policyChanged)),
                        ])
                    })
            ),
            ("unreachable", diags(result.newlyUnreachable, new: true)),
            ("reachableAgain", diags(result.reachableAgain, new: false)),
            ("residencyOpened", diags(result.residencyOpened, new: true)),
            ("residencyClosed", diags(result.residencyClosed, new: false)),
            ("mtlsBroken", diags(result.mtlsBroken, new: true)),
            ("mtlsRepaired", diags(result.mtlsRepaired, new: false)),
            ("newFindings", diags(result.findings.added, new: true)),
            ("goneFindings", diags(result.findings.removed, new: false)),
            (
                "statistics",
                .object([
                    ("hostsCompared", .int(routes.hostsCompared)), ("productsBuilt", .int(routes.productsBuilt)),
                    ("seconds", .number(result.durationSeconds)),
                ])
            ),
        ])
        return doc.written() + "\n"
    }

    // MARK: Markdown

    static func md(_ s: String) -> String {
        s.replacingAll("|", with: "\\|").replacingAll("<", with: "&lt;")
    }

    func markdown() -> String {
        var out = "### fjord diff: \(result.behaviourChanged ? "behaviour changed" : "no behaviour change")\n\n"
        out += "| change | count |\n|---|---:|\n"
        let rows: [(String, Int)] = [
            ("request classes changed", classCount),
            ("hosts with changed routing", routes.hostChanges.count),
            ("traffic shares changed", shareLines.count),
            ("proxy scopes added / removed", routes.scopesAdded.count + routes.scopesRemoved.count),
            ("destination policies changed", routes.destinationPolicyChanges.count),
            ("rules now unreachable", result.newlyUnreachable.count),
            ("rules reachable again", result.reachableAgain.count),
            ("residency paths opened", result.residencyOpened.count),
            ("residency paths closed", result.residencyClosed.count),
            ("mTLS edges newly broken", result.mtlsBroken.count),
            ("mTLS edges repaired", result.mtlsRepaired.count),
            ("findings new", result.findings.added.count),
            ("findings gone", result.findings.removed.count),
        ]
        for (name, n) in rows { out += "| \(name) | \(n) |\n" }
        out += "\n"
        if !routes.hostChanges.isEmpty {
            out +=
                "<details><summary>Routing: \(classCount) request classes on \(routes.hostChanges.count) hosts</summary>\n\n"
            for h in routes.hostChanges {
                var head = "- **`\(h.host):\(h.port)`**"
                if let vs = h.virtualServices.first { head += " via VirtualService `\(vs.namespace)/\(vs.name)`" }
                if let p = position(h.range) { head += " (`\(p)`)" }
                out += head + ", seen by \(Self.md(Self.scopes(h.scopes)))\n"
                for c in h.classes {
                    out +=
                        "  - \(Self.otherDifferences(c).joined(separator: ", ")): \(Self.md(Self.rule(c.beforeRule))) → \(Self.md(Self.rule(c.afterRule)))\n"
                    out += "    - before: \(Self.md(Self.detail(c.before)))\n"
                    out += "    - after: \(Self.md(Self.detail(c.after)))\n"
                    if let w = c.witness { out += "    - witness: `\(Self.witness(w))`\n" }
                }
            }
            out += "\n</details>\n\n"
        }
        let shares = shareLines
        if !shares.isEmpty {
            out += "<details><summary>Traffic shares (\(shares.count))</summary>\n\n"
            for s in shares { out += "- \(Self.md(s))\n" }
            out += "\n</details>\n\n"
        }
        if !routes.destinationPolicyChanges.isEmpty || !routes.scopesAdded.isEmpty || !routes.scopesRemoved.isEmpty {
            out += "<details><summary>Destination policies and proxy scopes</summary>\n\n"
            for d in routes.destinationPolicyChanges { out += "- \(Self.md(Self.policyLine(d)))\n" }
            for s in routes.scopesAdded { out += "- added: \(s)\n" }
            for s in routes.scopesRemoved { out += "- removed: \(s)\n" }
            out += "\n</details>\n\n"
        }
        func details(_ title: String, _ ds: [Diagnostic], new: Bool) {
            guard !ds.isEmpty else { return }
            out += "<details><summary>\(title) (\(ds.count))</summary>\n\n"
            for d in ds {
                out += "- \(Self.md(finding(d, new: new)))\n"
                if let w = d.witness { out += "  - \(w.kind == .path ? "path" : "witness"): `\(remap(w.rendered))`\n" }
            }
            out += "\n</details>\n\n"
        }
        details("Rules now unreachable", result.newlyUnreachable, new: true)
        details("Rules reachable again", result.reachableAgain, new: false)
        details("Residency paths opened", result.residencyOpened, new: true)
        details("Residency paths closed", result.residencyClosed, new: false)
        details("mTLS edges newly broken", result.mtlsBroken, new: true)
        details("mTLS edges repaired", result.mtlsRepaired, new: false)
        details("New findings", otherNew, new: true)
        details("Gone findings", otherGone, new: false)
        return out
    }

    // MARK: SARIF

    func sarif() -> String {
        var options = RenderOptions(color: false, compact: false)
        options.toolVersion = fjordVersion
        let n = result.new
        let summary = RunSummary(
            files: n.loaded.fileCount, resources: n.loaded.resources.count, durationSeconds: result.durationSeconds,
            suppressed: n.suppressed, diagnostics: result.findings.added)
        return OutputFormat.sarif.render(
            result.findings.added, sources: result.new.sources, summary: summary, options: options)
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        var out = ""
        var rest = Substring(self)
        while let r = rest.firstRange(of: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
