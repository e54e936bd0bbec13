import FjordModel
import FjordRegex
import FjordTable
import Synchronization

/// The order in which decision diagrams test attributes. It is an explicit, tunable object:
/// the order changes diagram size, never the function the diagram computes.
public struct AttributeOrder: Sendable {
    /// Attributes named here come first, in this order; the rest follow in the standard order.
    public var priorities: [AttributeKey]

    public init(priorities: [AttributeKey] = []) { self.priorities = priorities }

    /// Selectors first (they are fixed per proxy), then authority, scheme, method, path,
    /// headers and query parameters.
    public static let standard = AttributeOrder()

    func rank(_ a: AttributeKey) -> (Int, AttributeKey) {
        if let i = priorities.firstIndex(of: a) { return (i, a) }
        return (priorities.count, a)
    }

    func sorted(_ keys: some Sequence<AttributeKey>) -> [AttributeKey] {
        keys.sorted { l, r in
            let a = rank(l)
            let b = rank(r)
            return a.0 != b.0 ? a.0 < b.0 : a.1 < b.1
        }
    }
}

/// A level of a compiled route table: one attribute and a classifier over (some of) its
/// predicates. An attribute whose predicates do not fit one automaton gets several levels.
public struct Level: Sendable {
    public var attribute: AttributeKey
    public var classifier: AttributeClassifier
}

/// The rules of one virtual host compiled into decision diagrams.
///
/// Blocks are grouped by the set of levels they constrain; each group becomes one diagram
/// (segment) computing "the first block of the group that matches", and the route table's
/// answer is the minimum over segments. Groups are merged while merging keeps diagrams small.
/// Lookup cost is bounded by (segments × levels), independent of the number of rules.
public struct CompiledRoutes {
    public let levels: [Level]
    public let diagram: Diagram
    public let segments: [Diagram.Ref]
    /// How many predicate groups had to be split over several automata (for diagnostics).
    public let splitAttributes: [AttributeKey]
    /// Each satisfiable block's allowed classes per level, by its value (kept only when asked:
    /// the reachability analysis reads them instead of rebuilding each block's diagram).
    public let blockSpecs: [Int: [Int: ClassSet]]

    /// The first-match value for a request (evaluating the diagrams, not the rules).
    public func evaluate(_ request: MeshRequest) -> Int? {
        var classes: [Int?] = Array(repeating: nil, count: levels.count)
        func classOf(_ l: Int) -> Int {
            if let c = classes[l] { return c }
            let c = levels[l].classifier.classify(levels[l].attribute.value(in: request))
            classes[l] = c
            return c
        }
        var best = Diagram.noneValue
        for s in segments { best = min(best, diagram.evaluate(s, classOf: classOf)) }
        return best == Diagram.noneValue ? nil : best
    }

    /// One diagram for the whole table (the minimum of the segments), for analysis.
    public func combined() throws(Diagram.BudgetExceeded) -> Diagram.Ref {
        var acc = Diagram.none
        for s in segments { acc = try diagram.min(acc, s) }
        return acc
    }
}

public struct RouteCompileError: Error, CustomStringConvertible {
    public var description: String
}

/// The automata of an attribute's predicates took more work than the analysis' `WorkBudget`.
public struct WorkBudgetExceeded: Error, CustomStringConvertible {
    public var attribute: AttributeKey
    /// The regex predicates of that attribute (the ones whose automata cost the work).
    public var predicates: [Predicate]
    public var description: String { "the automata of the \(attribute) regexes need more work than the budget" }
}

public enum RouteCompiler {
    /// The state budget for the automaton of a single predicate.
    public static let singlePredicateBudget = 200_000

    /// Compiles blocks (each a conjunction with the value its leaves carry, in first-match
    /// order: earlier blocks win) into diagrams.
    public static func compile(
        _ blocks: [(value: Int, conjunction: Conjunction)], order: AttributeOrder = .standard,
        maxDFAStates: Int = 50_000,
        maxNodes: Int = 2_000_000, maxEdges: Int = Int.max, minimizeAutomata: Bool = true, budget: WorkBudget? = nil,
        keepBlockSpecs: Bool = false
    ) throws -> CompiledRoutes {
        let (levels, diagram, segments, split, kept) = try compileSides(
            [blocks], order: order, maxDFAStates: maxDFAStates, maxNodes: maxNodes, maxEdges: maxEdges,
            minimizeAutomata: minimizeAutomata, budget: budget, keepBlockSpecs: keepBlockSpecs)
        return CompiledRoutes(
            levels: levels, diagram: diagram, segments: segments[0], splitAttributes: split, blockSpecs: kept[0])
    }

    /// Compiles several block lists over shared levels (classifiers over the union of their
    /// predicates) into one diagram: the segments of each list. Two lists compiled together can be
    /// combined pointwise (`Diagram.product`), which is how `RouteDiff` compares configurations.
    static func compileSides(
        _ sides: [[(value: Int, conjunction: Conjunction)]], order: AttributeOrder = .standard,
        maxDFAStates: Int = 50_000, maxNodes: Int = 2_000_000, maxEdges: Int = Int.max, minimizeAutomata: Bool = true,
        budget: WorkBudget? = nil, keepBlockSpecs: Bool = false
    ) throws -> (
        levels: [Level], diagram: Diagram, segments: [[Diagram.Ref]], split: [AttributeKey],
        blockSpecs: [[Int: [Int: ClassSet]]]
    ) {
        let blocks = sides.flatMap { $0 }
        // Predicates per attribute, deduplicated, in first-seen order.
        var predicates: [AttributeKey: [Predicate]] = [:]
        var predicateIndex: [AttributeKey: [Predicate: Int]] = [:]
        for (_, conj) in blocks {
            for c in conj.conditions {
                for p in c.predicates where predicateIndex[c.attribute]?[p] == nil {
                    predicateIndex[c.attribute, default: [:]][p] = predicates[c.attribute, default: []].count
                    predicates[c.attribute, default: []].append(p)
                }
            }
        }
        // Classifiers; split an attribute's predicates over several automata when needed.
        var levels: [Level] = []
        var levelOf: [AttributeKey: [(level: Int, predicateIndexes: [Int: Int])]] = [:]
        var split: [AttributeKey] = []
        for attribute in order.sorted(predicates.keys) {
            let preds = predicates[attribute] ?? []
            let groups = try partition(
                preds, attribute: attribute, maxDFAStates: maxDFAStates, minimized: minimizeAutomata, budget: budget)
            if groups.count > 1 { split.append(attribute) }
            for (classifier, members) in groups {
                var local: [Int: Int] = [:]
                for (i, m) in members.enumerated() { local[m] = i }
                levelOf[attribute, default: []].append((levels.count, local))
                levels.append(Level(attribute: attribute, classifier: classifier))
            }
        }
        let diagram = Diagram(
            classCounts: levels.map(\.classifier.classCount), maxNodes: maxNodes, maxEdges: maxEdges)
        var sideSegments: [[Diagram.Ref]] = []
        var sideSpecs: [[Int: [Int: ClassSet]]] = []
        for side in sides {
            let (merged, kept) = try segments(
                of: side, levels: levels, levelOf: levelOf, predicateIndex: predicateIndex, diagram: diagram,
                keepBlockSpecs: keepBlockSpecs)
            sideSegments.append(merged)
            sideSpecs.append(kept)
        }
        return (levels, diagram, sideSegments, split, sideSpecs)
    }

    /// The merged first-match segments of one block list over compiled levels.
    private static func segments(
        of blocks: [(value: Int, conjunction: Conjunction)], levels: [Level],
        levelOf: [AttributeKey: [(level: Int, predicateIndexes: [Int: Int])]],
        predicateIndex: [AttributeKey: [Predicate: Int]], diagram: Diagram, keepBlockSpecs: Bool
    ) throws -> (segments: [Diagram.Ref], blockSpecs: [Int: [Int: ClassSet]]) {
        // Per block: allowed classes per level.
        var specs: [Diagram.Block] = []
        var kept: [Int: [Int: ClassSet]] = [:]
        for (value, conj) in blocks {
            var allowed: [Int: ClassSet] = [:]
            var impossible = false
            for c in conj.conditions {
                // Conditions from Istio matches name one predicate; a disjunction must stay on one level.
                guard let homes = levelOf[c.attribute] else { continue }
                let indexes = c.predicates.compactMap { predicateIndex[c.attribute]?[$0] }
                guard let home = homes.first(where: { h in indexes.allSatisfy { h.predicateIndexes[$0] != nil } })
                else {
                    throw RouteCompileError(description: "a condition on \(c.attribute) spans several automata")
                }
                let level = levels[home.level]
                let set = level.classifier.classes(
                    satisfyingAnyOf: indexes.compactMap { home.predicateIndexes[$0] }, negated: c.negated)
                if var existing = allowed[home.level] {
                    existing.formIntersection(set)
                    allowed[home.level] = existing
                } else {
                    allowed[home.level] = set
                }
                if allowed[home.level]?.isEmpty == true { impossible = true }
            }
            if impossible { continue }  // a block no request can satisfy
            if keepBlockSpecs { kept[value] = allowed }
            specs.append(Diagram.Block(value: value, allowed: allowed))
        }
        // Group by signature (the levels a block constrains), keeping first-match order inside.
        var groups: [[Int]: [Diagram.Block]] = [:]
        var groupOrder: [[Int]] = []
        for s in specs {
            let sig = s.allowed.keys.sorted()
            if groups[sig] == nil { groupOrder.append(sig) }
            groups[sig, default: []].append(s)
        }
        var segments: [Diagram.Ref] = []
        for sig in groupOrder {
            segments.append(try diagram.firstMatch(groups[sig] ?? []))
        }
        // Merge neighbouring segments while the merged diagram stays about as small as the two.
        var merged: [Diagram.Ref] = []
        for s in segments {
            guard let last = merged.last else {
                merged.append(s)
                continue
            }
            // The merge is kept only when it is about as small as the two, so building it may stop
            // as soon as it has made more edges than a diagram that small can have: a product of
            // wide levels (thousands of path classes by thousands of header classes) is never
            // built only to be thrown away.
            let bound = diagram.reachableCount([last]) + diagram.reachableCount([s]) + 8
            let limit = diagram.maxEdges
            let widest = diagram.classCounts.max() ?? 1
            let (room, overflow) = diagram.edgeCount.addingReportingOverflow(bound * widest)
            diagram.maxEdges = overflow ? limit : Swift.min(limit, room)
            let tightened = diagram.maxEdges < limit
            var m: Diagram.Ref? = nil
            do {
                m = try diagram.min(last, s)
            } catch {
                diagram.maxEdges = limit
                if !tightened { throw error }
            }
            diagram.maxEdges = limit
            if let m, diagram.reachableCount([m]) <= bound {
                merged[merged.count - 1] = m
            } else {
                merged.append(s)
            }
        }
        return (merged, kept)
    }

    /// Packs predicates into automata that fit the state budget: all in one when possible,
    /// else split in halves recursively (regexes are tried apart from literal patterns first,
    /// since the product of a `.*` regex with a large trie is what usually blows up).
    static func partition(
        _ preds: [Predicate], attribute: AttributeKey, maxDFAStates: Int, minimized: Bool = true,
        budget: WorkBudget? = nil
    )
        throws -> [(AttributeClassifier, [Int])]
    {
        func exhausted() -> WorkBudgetExceeded {
            WorkBudgetExceeded(
                attribute: attribute, predicates: preds.filter { if case .regex = $0.kind { true } else { false } })
        }
        func build(_ members: [Int]) throws -> [(AttributeClassifier, [Int])] {
            if let c = ClassifierCache.shared.classifier(
                attribute: attribute, predicates: members.map { preds[$0] }, maxDFAStates: maxDFAStates,
                minimized: minimized, budget: budget)
            {
                return [(c, members)]
            }
            if budget?.isExhausted == true { throw exhausted() }
            if members.count == 1 {
                // One predicate alone gets a much larger budget: RE2 patterns that Istio accepts
                // determinise far below it.
                let single = max(maxDFAStates * 4, RouteCompiler.singlePredicateBudget)
                guard
                    let alone = AttributeClassifier(
                        attribute: attribute, predicates: [preds[members[0]]], maxDFAStates: single,
                        minimized: minimized, budget: budget)
                else {
                    if budget?.isExhausted == true { throw exhausted() }
                    throw RouteCompileError(
                        description: "\(preds[members[0]]) on \(attribute) needs more than \(single) automaton states")
                }
                return [(alone, members)]
            }
            let literal = members.filter { if case .regex = preds[$0].kind { return false } else { return true } }
            let regexes = members.filter { if case .regex = preds[$0].kind { return true } else { return false } }
            if !literal.isEmpty && !regexes.isEmpty {
                return try build(literal) + build(regexes)
            }
            let half = members.count / 2
            return try build(Array(members[..<half])) + build(Array(members[half...]))
        }
        return try build(Array(preds.indices))
    }
}

/// Classifiers are pure functions of (attribute, predicates); meshes repeat the same conditions
/// in many VirtualServices (the same debug header, the same regex), so building each automaton
/// once pays. Bounded: the cache forgets everything past `limit` entries.
final class ClassifierCache: Sendable {
    static let shared = ClassifierCache()
    private struct Key: Hashable {
        var attribute: AttributeKey
        var predicates: [Predicate]
        var maxDFAStates: Int
        var minimized: Bool
    }
    /// The classifier (nil: over the state budget) and the work its automaton cost, charged again
    /// on every hit so that an analysis' budget does not depend on what other analyses cached.
    private let lock = Mutex<[Key: (classifier: AttributeClassifier?, work: Int)]>([:])
    private let limit = 20_000

    func classifier(
        attribute: AttributeKey, predicates: [Predicate], maxDFAStates: Int, minimized: Bool,
        budget: WorkBudget? = nil
    )
        -> AttributeClassifier?
    {
        let key = Key(attribute: attribute, predicates: predicates, maxDFAStates: maxDFAStates, minimized: minimized)
        if let hit = lock.withLock({ $0[key] }) {
            if let budget, !budget.spend(hit.work) { return nil }
            return hit.classifier
        }
        // Without a budget, an unlimited one measures the work for later hits.
        let meter = budget ?? WorkBudget(Int.max / 2)
        let before = meter.spent
        let built = AttributeClassifier(
            attribute: attribute, predicates: predicates, maxDFAStates: maxDFAStates, minimized: minimized,
            budget: meter)
        // A build cut short by the budget says nothing about the automaton: not cached.
        if meter.isExhausted { return nil }
        let work = meter.spent - before
        lock.withLock { cache in
            if cache.count >= limit { cache.removeAll(keepingCapacity: true) }
            cache[key] = (built, work)
        }
        return built
    }

    func removeAll() {
        lock.withLock { $0.removeAll() }
    }
}

/// The decision compiler's process-wide caches. A `fjord` command is one process, so each run
/// starts with them empty; a benchmark that repeats a run in one process empties them between
/// runs, or it measures a warm cache no command ever sees (docs/performance.md).
public enum DecisionCompilerCaches {
    /// Empties the classifier cache.
    public static func removeAll() {
        ClassifierCache.shared.removeAll()
    }
}

extension RouteCompiler {
    /// The blocks of effective rules for the runtime: one value per rule (its position).
    public static func ruleBlocks(_ rules: [EffectiveRule]) -> [(value: Int, conjunction: Conjunction)] {
        var out: [(Int, Conjunction)] = []
        for (i, r) in rules.enumerated() {
            if r.blocks.isEmpty {
                out.append((i, Conjunction([])))
            } else {
                for b in r.blocks { out.append((i, Conjunction(b))) }
            }
        }
        return out
    }
}
