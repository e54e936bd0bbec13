import FjordDecision
import FjordDiagnostics
import FjordModel
import FjordRegex
import FjordSource

/// FJ2002 and FJ2003: rules and match blocks that can never be the first match, proved on the
/// decision diagrams with config-time selectors as attributes (so a rule reachable only from
/// some proxies is reachable), each with the earlier rules that take its requests and a
/// witness request.
public enum UnreachableRuleCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "unreachable-rule", codes: [.unreachableRule, .ineffectiveMatch, .unanalysedRule],
        summary: "rules and match blocks that no request can reach first", inputs: [.virtualService])

    public static func run(_ ctx: CheckContext) {
        for vs in ctx.resources.virtualServices where !vs.isDelegate {
            analyseHTTP(vs, ctx)
            analyseL4(vs, ctx, tls: false)
            analyseL4(vs, ctx, tls: true)
        }
    }

    static func analyseHTTP(_ vs: VirtualService, _ ctx: CheckContext) {
        let (rules, _) = RouteAnalysisSupport.rules(of: vs, in: ctx.mesh)
        guard rules.count > 1 || rules.contains(where: { $0.route.match.count > 1 }) else { return }
        var blocks: [ReachabilityAnalysis.Block] = []
        for (i, r) in rules.enumerated() {
            if r.route.match.isEmpty {
                blocks.append(
                    .init(
                        rule: i, block: 0,
                        conjunction: Conjunction(
                            analysing: HTTPMatchRequest(), index: 0,
                            gateways: RouteAnalysisSupport.gateways(of: nil, vs: vs))))
            } else {
                for (j, m) in r.route.match.enumerated() {
                    blocks.append(
                        .init(
                            rule: i, block: j,
                            conjunction: Conjunction(
                                analysing: m, index: j,
                                gateways: RouteAnalysisSupport.gateways(of: m, vs: vs))))
                }
            }
        }
        let fqdn = vs.hosts.first.map { ctx.mesh.fqdn($0.value, in: vs.namespace) } ?? "example"
        let host = fqdn.hasPrefix("*") ? "x" + fqdn.dropFirst() : fqdn
        guard
            let (_, shadowed, excluded) = bounded(
                blocks, host: host, vs: vs, ctx: ctx, describe: { rules[$0].displayName },
                range: { RouteAnalysisSupport.range(of: rules[$0].sourceRule) }, resource: { rules[$0].sourceVS })
        else { return }
        // The blocks the analysis kept (the pairwise checks below leave out the same ones).
        let left = Set(excluded.map { [$0.rule, $0.block] })
        let analysed = left.isEmpty ? blocks : blocks.filter { !left.contains([$0.rule, $0.block]) }
        let byRule = Dictionary(grouping: shadowed, by: \.rule)
        for (ruleIndex, items) in byRule.sorted(by: { $0.key < $1.key }) {
            let rule = rules[ruleIndex]
            let blockCount = max(1, rule.route.match.count)
            var takers = Set(items.flatMap(\.takenBy)).filter { $0 != ruleIndex }.sorted()
            // Several rules take part of its requests, but one of them may take all of them.
            if takers.count > 1, items.count == blockCount,
                let sole = soleCover(of: ruleIndex, blockCount: blockCount, among: takers, blocks: analysed, host: host)
            {
                takers = [sole]
            }
            let notes = takerNotes(takers, rules: rules, own: items.flatMap(\.takenBy).contains(ruleIndex))
            let witness = items.compactMap(\.witness).first.map {
                RouteAnalysisSupport.witness(
                    ReachabilityAnalysis.takenFirst($0, excluded: excluded), rules: rules, vs: vs)
            }
            if items.count == blockCount {
                let contradictory = items.allSatisfy { $0.takenBy.isEmpty }
                // A rule whose regex is invalid matches nothing; FJ1006 already says why.
                if contradictory && hasInvalidRegex(rule.route) { continue }
                ctx.report(
                    .unreachableRule, "\(rule.displayName) can never match",
                    at: RouteAnalysisSupport.range(of: rule.sourceRule),
                    in: rule.sourceVS,
                    notes: contradictory ? [Note("no request satisfies its match conditions")] : notes,
                    witness: contradictory ? nil : witness)
            } else {
                for item in items {
                    let m = rule.sourceRule.match.indices.contains(item.block) ? rule.sourceRule.match[item.block] : nil
                    let ownOnly = item.takenBy.allSatisfy { $0 == ruleIndex }
                    ctx.report(
                        .ineffectiveMatch,
                        "match block \(item.block) of \(rule.displayName) can never be the one that matches",
                        at: m?.range ?? RouteAnalysisSupport.range(of: rule.sourceRule), in: rule.sourceVS,
                        notes: ownOnly
                            ? [Note("an earlier match block of the same rule already matches every request it does")]
                            : takerNotes(
                                item.takenBy.filter { $0 != ruleIndex }, rules: rules,
                                own: item.takenBy.contains(ruleIndex)),
                        witness: item.witness.map {
                            RouteAnalysisSupport.witness(
                                ReachabilityAnalysis.takenFirst($0, excluded: excluded), rules: rules, vs: vs)
                        })
                }
            }
        }
    }

    /// The one earlier rule among `takers` that alone takes every request `rule` matches: the
    /// rule is unreachable with only that rule before it.
    static func soleCover(
        of rule: Int, blockCount: Int, among takers: [Int], blocks: [ReachabilityAnalysis.Block], host: String
    ) -> Int? {
        for t in takers.prefix(5) {
            let pair = blocks.filter { $0.rule == t || $0.rule == rule }
            guard let analysis = try? ReachabilityAnalysis(blocks: pair, host: host),
                let shadowed = try? analysis.shadowed()
            else { continue }
            if shadowed.filter({ $0.rule == rule }).count == blockCount { return t }
        }
        return nil
    }

    static func hasInvalidRegex(_ r: HTTPRoute) -> Bool {
        r.allStringMatches.contains { _, m in
            if case .regex(let p) = m.kind { return p.isEmpty || RegexParser.validate(p) != nil }
            return false
        }
    }

    static func takerNotes(_ takers: [Int], rules: [AnalysedRule], own: Bool) -> [Note] {
        let verb =
            takers.count == 1 && !own ? "every request it matches is taken by" : "requests it matches are taken by"
        var notes = takers.prefix(5).map { t in
            Note("\(verb) \(rules[t].displayName) first", at: RouteAnalysisSupport.range(of: rules[t].sourceRule))
        }
        if takers.count > 5 { notes.append(Note("and by \(takers.count - 5) more earlier rules")) }
        if takers.count > 1 { notes.append(Note("no single earlier rule covers it; together they do")) }
        if own { notes.append(Note("some of its requests are matched by an earlier block of the same rule")) }
        return notes
    }

    static func analyseL4(_ vs: VirtualService, _ ctx: CheckContext, tls: Bool) {
        let routes: [(match: [L4Match], range: SourceRange, index: Int)] =
            tls
            ? vs.tls.map { ($0.match, $0.range, $0.index) } : vs.tcp.map { ($0.match, $0.range, $0.index) }
        guard routes.count > 1 || routes.contains(where: { $0.match.count > 1 }) else { return }
        let kind = tls ? "TLS" : "TCP"
        var blocks: [ReachabilityAnalysis.Block] = []
        for (i, r) in routes.enumerated() {
            if r.match.isEmpty {
                blocks.append(
                    .init(
                        rule: i, block: 0,
                        conjunction: Conjunction(analysingL4: L4Match(), gateways: defaultGateways(vs))))
            }
            for (j, m) in r.match.enumerated() {
                let gws =
                    m.gateways.isEmpty ? defaultGateways(vs) : RouteAnalysisSupport.gatewayRefs(m.gateways, vs: vs)
                blocks.append(.init(rule: i, block: j, conjunction: Conjunction(analysingL4: m, gateways: gws)))
            }
        }
        guard
            let (_, shadowed, _) = bounded(
                blocks, host: "l4", vs: vs, ctx: ctx, describe: { "\(kind) rule \(routes[$0].index)" },
                range: { routes[$0].match.first?.range ?? routes[$0].range }, resource: { _ in vs })
        else { return }
        for (ruleIndex, items) in Dictionary(grouping: shadowed, by: \.rule).sorted(by: { $0.key < $1.key }) {
            let r = routes[ruleIndex]
            let takers = Set(items.flatMap(\.takenBy)).filter { $0 != ruleIndex }.sorted()
            let notes = takers.map {
                Note(
                    "every connection it matches is taken by \(kind) rule \($0) first",
                    at: routes[$0].match.first?.range ?? routes[$0].range)
            }
            if items.count == max(1, r.match.count) {
                ctx.report(
                    .unreachableRule, "\(kind) rule \(r.index) can never match", at: r.match.first?.range ?? r.range,
                    in: vs, notes: notes)
            } else {
                for item in items {
                    ctx.report(
                        .ineffectiveMatch,
                        "match block \(item.block) of \(kind) rule \(r.index) can never be the one that matches",
                        at: r.match[item.block].range, in: vs,
                        notes: item.takenBy.filter { $0 != ruleIndex }.map {
                            Note(
                                "every connection it matches is taken by \(kind) rule \($0) first",
                                at: routes[$0].match.first?.range ?? routes[$0].range)
                        })
                }
            }
        }
    }

    /// The analysis within its budgets. When the automata of an attribute's regexes exceed the
    /// work budget, the blocks with those regexes are left out and the rest analysed again (a
    /// block left out can only make later blocks look reachable, never unreachable, so the
    /// findings stay sound); the rules left out are reported as not analysed (FJ2007). When the
    /// diagrams exceed their node budget, or the routes cannot be compiled, the whole list is.
    static func bounded(
        _ blocks: [ReachabilityAnalysis.Block], host: String, vs: VirtualService, ctx: CheckContext,
        describe: (Int) -> String, range: (Int) -> SourceRange, resource: (Int) -> VirtualService
    ) -> (ReachabilityAnalysis, [ReachabilityAnalysis.Shadowed], [ReachabilityAnalysis.Block])? {
        var active = blocks
        var excluded: [ReachabilityAnalysis.Block] = []
        func report(_ rules: [Int], _ reason: String) {
            guard let first = rules.first else { return }
            let names = rules.count == 1 ? describe(first) : "\(rules.count) rules"
            var notes = rules.prefix(5).map { Note("not analysed: \(describe($0))", at: range($0)) }
            if rules.count > 5 { notes.append(Note("and \(rules.count - 5) more rules")) }
            notes.append(
                Note(
                    "the other rules are analysed as if these were absent: a finding about a later rule still holds, but one of these may take its requests first"
                ))
            ctx.report(
                .unanalysedRule, "\(names) of \(quoted(vs.key.qualifiedName)) not analysed for reachability: \(reason)",
                at: range(first), in: resource(first), notes: rules.count == 1 ? Array(notes.suffix(1)) : notes)
        }
        for attempt in 0..<4 {
            do {
                let analysis = try ReachabilityAnalysis(blocks: active, host: host)
                return (analysis, try analysis.shadowed(), excluded)
            } catch let e as WorkBudgetExceeded {
                let regexes = Set(e.predicates)
                func involved(_ b: ReachabilityAnalysis.Block) -> Bool {
                    b.conjunction.conditions.contains { c in
                        attempt < 3
                            ? c.attribute == e.attribute && c.predicates.contains(where: regexes.contains)
                            : c.predicates.contains { if case .regex = $0.kind { true } else { false } }
                    }
                }
                let out = active.filter(involved)
                guard !out.isEmpty else { break }
                excluded += out
                active.removeAll(where: involved)
                let rules = Array(Set(out.map(\.rule))).sorted()
                report(
                    rules,
                    attempt < 3
                        ? "the automata of their \(e.attribute) regexes need more work than the analysis budget"
                        : "the automata of their regexes need more work than the analysis budget")
            } catch {
                report(Array(Set(active.map(\.rule))).sorted(), "\(error)")
                return nil
            }
        }
        report(
            Array(Set(active.map(\.rule))).sorted(),
            "the automata of their regexes need more work than the analysis budget")
        return nil
    }

    static func defaultGateways(_ vs: VirtualService) -> [String] {
        vs.gateways.isEmpty ? ["mesh"] : RouteAnalysisSupport.gatewayRefs(vs.gateways, vs: vs)
    }
}
