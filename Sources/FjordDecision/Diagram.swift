/// Hash-consed multi-terminal decision diagrams over classified attributes.
///
/// A diagram has levels 0..<levelCount, each with a fixed number of classes. An internal node
/// at level `l` has one child per class of `l`, and its children are at deeper levels or
/// terminals. A terminal carries a value; `Diagram.none` means "no rule matches".
///
/// Algebra (checked by property tests in Tests/FjordDecisionTests/DiagramTests.swift):
/// - Canonicity: nodes are unique (hash-consed) and reduced (no node whose children are all
///   equal), so two diagrams denote the same function iff their roots are equal.
/// - `min` is associative, commutative and idempotent, with `none` (= +∞) as identity and any
///   terminal `t` absorbing larger ones: min(a, min(b, c)) = min(min(a, b), c), min(a, b) =
///   min(b, a), min(a, a) = a, min(a, none) = a.
/// - Evaluation is a homomorphism: eval(min(a, b), x) = min(eval(a, x), eval(b, x)).
/// - First match: eval(firstMatch(blocks), x) = the slot of the first block that x satisfies.
public final class Diagram {
    /// A node index (>= 0) or a terminal (< 0: value = -1 - raw).
    public struct Ref: Hashable, Sendable, CustomStringConvertible {
        public let raw: Int
        init(raw: Int) { self.raw = raw }
        public static func terminal(_ value: Int) -> Ref { Ref(raw: -1 - value) }
        public var isTerminal: Bool { raw < 0 }
        public var terminalValue: Int { -1 - raw }
        public var description: String {
            isTerminal ? (terminalValue == Diagram.noneValue ? "none" : "t\(terminalValue)") : "n\(raw)"
        }
    }

    public struct Node: Hashable, Sendable {
        public var level: Int
        public var children: [Ref]
    }

    /// The terminal value of "no match" (+∞ under `min`).
    public static let noneValue = Int(Int32.max)
    public static let none = Ref.terminal(noneValue)

    public struct BudgetExceeded: Error, CustomStringConvertible {
        public var nodes: Int
        /// Set when the edge budget (children over all nodes) was the one exceeded.
        public var edges: Int? = nil
        public var description: String {
            if let edges { return "the decision diagram would exceed \(edges) edges" }
            return "the decision diagram would exceed \(nodes) nodes"
        }
    }

    public let classCounts: [Int]
    public private(set) var nodes: [Node] = []
    private var unique: [Node: Int] = [:]
    public var maxNodes: Int
    /// A bound on the children of all nodes together (nodes of wide levels are large: a diagram
    /// that crosses thousands of path classes with thousands of header classes stays under the
    /// node budget long after it has used gigabytes).
    public var maxEdges: Int
    public private(set) var edgeCount = 0

    public init(classCounts: [Int], maxNodes: Int = 2_000_000, maxEdges: Int = Int.max) {
        self.classCounts = classCounts
        self.maxNodes = maxNodes
        self.maxEdges = maxEdges
    }

    public var levelCount: Int { classCounts.count }

    public func level(_ r: Ref) -> Int { r.isTerminal ? Int.max : nodes[r.raw].level }

    public func node(_ r: Ref) -> Node { nodes[r.raw] }

    /// The reduced, unique node for these children.
    public func make(level: Int, children: [Ref]) throws(BudgetExceeded) -> Ref {
        precondition(children.count == classCounts[level])
        if let first = children.first, children.allSatisfy({ $0 == first }) { return first }
        let n = Node(level: level, children: children)
        if let i = unique[n] { return Ref(raw: i) }
        guard nodes.count < maxNodes else { throw BudgetExceeded(nodes: maxNodes) }
        guard edgeCount <= maxEdges - children.count else { throw BudgetExceeded(nodes: maxNodes, edges: maxEdges) }
        edgeCount += children.count
        nodes.append(n)
        unique[n] = nodes.count - 1
        return Ref(raw: nodes.count - 1)
    }

    // MARK: First match

    /// A block for `firstMatch`: a conjunction of per-level class sets.
    public struct Block: Sendable {
        public var value: Int
        /// Level -> allowed classes (a bit set over the level's classes). Levels not present are
        /// unconstrained.
        public var allowed: [Int: ClassSet]
        public init(value: Int, allowed: [Int: ClassSet]) {
            self.value = value
            self.allowed = allowed
        }
        var lastLevel: Int { allowed.keys.max() ?? -1 }
    }

    /// The diagram of "the value of the first block the input satisfies" (`none` if none).
    public func firstMatch(_ blocks: [Block]) throws(BudgetExceeded) -> Ref {
        var memo: [MemoKey: Ref] = [:]
        let last = blocks.map(\.lastLevel)
        return try build(level: 0, candidates: Array(blocks.indices), blocks: blocks, last: last, memo: &memo)
    }

    struct MemoKey: Hashable {
        var level: Int
        var candidates: [Int]
    }

    private func build(level: Int, candidates: [Int], blocks: [Block], last: [Int], memo: inout [MemoKey: Ref])
        throws(BudgetExceeded) -> Ref
    {
        var cands = candidates
        // First match: a candidate with no constraint left wins over everything after it.
        if let free = cands.firstIndex(where: { last[$0] < level }) {
            if free == 0 { return .terminal(blocks[cands[0]].value) }
            cands.removeSubrange((free + 1)...)
        }
        guard !cands.isEmpty else { return Diagram.none }
        // Skip levels that no candidate constrains.
        var lv = level
        while lv < levelCount, !cands.contains(where: { blocks[$0].allowed[lv] != nil }) { lv += 1 }
        if lv >= levelCount { return .terminal(blocks[cands[0]].value) }
        if lv != level {
            return try build(level: lv, candidates: cands, blocks: blocks, last: last, memo: &memo)
        }
        let key = MemoKey(level: lv, candidates: cands)
        if let hit = memo[key] { return hit }
        let k = classCounts[lv]
        var buckets = [[Int]](repeating: [], count: k)
        for b in cands {
            if let set = blocks[b].allowed[lv] {
                set.forEach { c in buckets[c].append(b) }
            } else {
                for c in 0..<k { buckets[c].append(b) }
            }
        }
        var byBucket: [[Int]: Ref] = [:]
        var children: [Ref] = []
        children.reserveCapacity(k)
        for bucket in buckets {
            if let r = byBucket[bucket] {
                children.append(r)
                continue
            }
            let r = try build(level: lv + 1, candidates: bucket, blocks: blocks, last: last, memo: &memo)
            byBucket[bucket] = r
            children.append(r)
        }
        let r = try make(level: lv, children: children)
        memo[key] = r
        return r
    }

    // MARK: Apply

    /// Pointwise minimum of two diagrams (`none` is +∞).
    public func min(_ a: Ref, _ b: Ref) throws(BudgetExceeded) -> Ref {
        var memo: [PairKey: Ref] = [:]
        return try apply(.min, a, b, &memo)
    }

    struct PairKey: Hashable {
        var a: Int
        var b: Int
    }

    /// The pointwise operations `apply` knows.
    enum BinaryOperation: Equatable {
        /// The smaller value; `none` is +∞. Commutative.
        case min
        /// The left value where the right is not `none`; `none` elsewhere.
        case mask
        /// The pair of values, encoded `a * width + b` (both must be below `width`; `none` is
        /// not special). Not commutative.
        case pair(width: Int)

        /// The result when the pair decides it without looking deeper, if it does.
        func shortcut(_ a: Ref, _ b: Ref) -> Ref? {
            switch self {
            case .min:
                if a == b || b == Diagram.none { return a }
                if a == Diagram.none { return b }
                if a.isTerminal && b.isTerminal { return .terminal(Swift.min(a.terminalValue, b.terminalValue)) }
            case .mask:
                if b == Diagram.none || a == Diagram.none { return Diagram.none }
                if b.isTerminal { return a }
            case .pair(let width):
                if a.isTerminal && b.isTerminal { return .terminal(a.terminalValue * width + b.terminalValue) }
            }
            return nil
        }
    }

    /// The standard apply: recurse on the lower level of the two, memoised on the pair.
    private func apply(_ op: BinaryOperation, _ a: Ref, _ b: Ref, _ memo: inout [PairKey: Ref]) throws(BudgetExceeded)
        -> Ref
    {
        if let r = op.shortcut(a, b) { return r }
        let key = op == .min && b.raw < a.raw ? PairKey(a: b.raw, b: a.raw) : PairKey(a: a.raw, b: b.raw)
        if let hit = memo[key] { return hit }
        let la = level(a)
        let lb = level(b)
        let l = Swift.min(la, lb)
        var children: [Ref] = []
        children.reserveCapacity(classCounts[l])
        for c in 0..<classCounts[l] {
            let ca = la == l ? nodes[a.raw].children[c] : a
            let cb = lb == l ? nodes[b.raw].children[c] : b
            children.append(try apply(op, ca, cb, &memo))
        }
        let r = try make(level: l, children: children)
        memo[key] = r
        return r
    }

    /// Replaces terminals by `f(value)` (none stays none unless `f` maps it).
    public func mapTerminals(_ r: Ref, _ f: (Int) -> Int) throws(BudgetExceeded) -> Ref {
        var memo: [Int: Ref] = [:]
        return try mapRec(r, f, &memo)
    }

    private func mapRec(_ r: Ref, _ f: (Int) -> Int, _ memo: inout [Int: Ref]) throws(BudgetExceeded) -> Ref {
        if r.isTerminal { return .terminal(f(r.terminalValue)) }
        if let hit = memo[r.raw] { return hit }
        let n = nodes[r.raw]
        var children: [Ref] = []
        for c in n.children { children.append(try mapRec(c, f, &memo)) }
        let out = try make(level: n.level, children: children)
        memo[r.raw] = out
        return out
    }

    // MARK: Queries

    /// The terminal reached when level `l` has class `classOf(l)`.
    public func evaluate(_ r: Ref, classOf: (Int) -> Int) -> Int {
        var cur = r
        while !cur.isTerminal {
            let n = nodes[cur.raw]
            cur = n.children[classOf(n.level)]
        }
        return cur.terminalValue
    }

    /// Every terminal value reachable from `r`.
    public func terminals(_ r: Ref) -> Set<Int> {
        var out = Set<Int>()
        var seen = Set<Int>()
        var stack = [r]
        while let cur = stack.popLast() {
            if cur.isTerminal {
                out.insert(cur.terminalValue)
                continue
            }
            guard seen.insert(cur.raw).inserted else { continue }
            stack.append(contentsOf: nodes[cur.raw].children)
        }
        return out
    }

    /// A path from `r` to a terminal accepted by `want`: the (level, class) choices made on the
    /// way (levels not on the path are free). Prefers lower class numbers.
    public func path(_ r: Ref, to want: (Int) -> Bool) -> [(level: Int, classID: Int)]? {
        var seen = Set<Int>()
        func dfs(_ cur: Ref) -> [(Int, Int)]? {
            if cur.isTerminal { return want(cur.terminalValue) ? [] : nil }
            guard seen.insert(cur.raw).inserted else { return nil }
            let n = nodes[cur.raw]
            var tried = Set<Ref>()
            for (c, child) in n.children.enumerated() where tried.insert(child).inserted {
                if let rest = dfs(child) { return [(n.level, c)] + rest }
            }
            return nil
        }
        return dfs(r)?.map { (level: $0.0, classID: $0.1) }
    }

    /// Number of nodes reachable from the roots.
    public func reachableCount(_ roots: [Ref]) -> Int {
        var seen = Set<Int>()
        var stack = roots
        while let cur = stack.popLast() {
            guard !cur.isTerminal, seen.insert(cur.raw).inserted else { continue }
            stack.append(contentsOf: nodes[cur.raw].children)
        }
        return seen.count
    }
}

/// A set of small integers (classes of one level), as a bit set.
public struct ClassSet: Hashable, Sendable {
    public private(set) var words: [UInt64]
    public let capacity: Int

    public init(capacity: Int) {
        self.capacity = capacity
        words = [UInt64](repeating: 0, count: (capacity + 63) / 64)
    }

    public static func all(_ capacity: Int) -> ClassSet {
        var s = ClassSet(capacity: capacity)
        for i in 0..<capacity { s.insert(i) }
        return s
    }

    public mutating func insert(_ i: Int) { words[i >> 6] |= 1 << UInt64(i & 63) }
    public func contains(_ i: Int) -> Bool { words[i >> 6] & (1 << UInt64(i & 63)) != 0 }

    public mutating func formIntersection(_ o: ClassSet) {
        for i in words.indices { words[i] &= o.words[i] }
    }

    /// The complement within `capacity`.
    public mutating func invert() {
        for i in words.indices { words[i] = ~words[i] }
        let tail = capacity & 63
        if tail != 0, !words.isEmpty { words[words.count - 1] &= (1 << UInt64(tail)) - 1 }
    }

    /// Whether every class below `capacity` is in the set.
    public var isFull: Bool { count == capacity }

    /// The smallest class in the set.
    public var first: Int? {
        for (wi, w) in words.enumerated() where w != 0 { return wi << 6 | w.trailingZeroBitCount }
        return nil
    }

    public var isEmpty: Bool { words.allSatisfy { $0 == 0 } }
    public var count: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    public func forEach(_ body: (Int) -> Void) {
        for (wi, w) in words.enumerated() {
            var bits = w
            while bits != 0 {
                let t = bits.trailingZeroBitCount
                body(wi << 6 | t)
                bits &= bits - 1
            }
        }
    }
}

extension Diagram {
    /// The product of two diagrams whose terminals are all below `width` (map `none` to a value
    /// first): the diagram of `a(x) * width + b(x)`. Shared structure is visited once per pair,
    /// so where `a` and `b` are the same node the product costs one memo entry per node below.
    public func product(_ a: Ref, _ b: Ref, width: Int) throws(BudgetExceeded) -> Ref {
        precondition(width > 0 && width < 46_000, "the product's terminals must fit in 31 bits")
        var memo: [PairKey: Ref] = [:]
        return try apply(.pair(width: width), a, b, &memo)
    }

    /// The terminal values `r` takes on inputs whose class at each level in `allowed` is in that
    /// level's set (levels not in `allowed` are free): the terminals of `mask(r, where: block)` for
    /// the block diagram of `allowed`, without building it. Linear in the nodes visited.
    public func terminals(_ r: Ref, within allowed: [Int: ClassSet]) -> Set<Int> {
        var out = Set<Int>()
        var seen = Set<Int>()
        var stack = [r]
        while let cur = stack.popLast() {
            if cur.isTerminal {
                out.insert(cur.terminalValue)
                continue
            }
            guard seen.insert(cur.raw).inserted else { continue }
            let n = nodes[cur.raw]
            if let set = allowed[n.level] {
                set.forEach { stack.append(n.children[$0]) }
            } else {
                stack.append(contentsOf: n.children)
            }
        }
        return out
    }

    /// `a` where `b` reaches a terminal other than `none`, `none` elsewhere.
    public func mask(_ a: Ref, where b: Ref) throws(BudgetExceeded) -> Ref {
        var memo: [PairKey: Ref] = [:]
        return try apply(.mask, a, b, &memo)
    }
}
