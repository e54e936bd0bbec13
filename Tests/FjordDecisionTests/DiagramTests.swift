import FjordCompiler
import Testing

@testable import FjordDecision

/// The algebra of decision diagrams (see Diagram.swift), property-tested on random diagrams.
@Suite struct DiagramTests {
    /// Random first-match diagrams over 3 levels of 2-4 classes.
    static func randomBlocks(_ rng: inout SplitMix64, counts: [Int], n: Int, base: Int) -> [Diagram.Block] {
        (0..<n).map { i in
            var allowed: [Int: ClassSet] = [:]
            for (l, k) in counts.enumerated() where rng.next(2) == 0 {
                var s = ClassSet(capacity: k)
                for c in 0..<k where rng.next(2) == 0 { s.insert(c) }
                if s.isEmpty { s.insert(Int(rng.next(UInt64(k)))) }
                allowed[l] = s
            }
            return Diagram.Block(value: base + i, allowed: allowed)
        }
    }

    static func allInputs(_ counts: [Int]) -> [[Int]] {
        var out: [[Int]] = [[]]
        for k in counts { out = out.flatMap { p in (0..<k).map { p + [$0] } } }
        return out
    }

    static func reference(_ blocks: [Diagram.Block], _ x: [Int]) -> Int {
        for b in blocks where b.allowed.allSatisfy({ $0.value.contains(x[$0.key]) }) { return b.value }
        return Diagram.noneValue
    }

    @Test func firstMatchEqualsTheReferenceOnEveryInput() throws {
        var rng = SplitMix64(seed: 11)
        for _ in 0..<200 {
            let counts = (0..<3).map { _ in 2 + Int(rng.next(3)) }
            let d = Diagram(classCounts: counts)
            let blocks = Self.randomBlocks(&rng, counts: counts, n: 1 + Int(rng.next(6)), base: 0)
            let root = try d.firstMatch(blocks)
            for x in Self.allInputs(counts) {
                #expect(d.evaluate(root, classOf: { x[$0] }) == Self.reference(blocks, x))
            }
        }
    }

    @Test func minIsAssociativeCommutativeIdempotentWithNoneAsIdentity() throws {
        var rng = SplitMix64(seed: 12)
        for _ in 0..<150 {
            let counts = (0..<3).map { _ in 2 + Int(rng.next(3)) }
            let d = Diagram(classCounts: counts)
            let a = try d.firstMatch(Self.randomBlocks(&rng, counts: counts, n: 3, base: 0))
            let b = try d.firstMatch(Self.randomBlocks(&rng, counts: counts, n: 3, base: 3))
            let c = try d.firstMatch(Self.randomBlocks(&rng, counts: counts, n: 3, base: 6))
            // Canonical forms: equal functions have equal roots.
            #expect(try d.min(a, try d.min(b, c)) == d.min(try d.min(a, b), c))
            #expect(try d.min(a, b) == d.min(b, a))
            #expect(try d.min(a, a) == a)
            #expect(try d.min(a, Diagram.none) == a)
            let ab = try d.min(a, b)
            for x in Self.allInputs(counts) {
                let f = { (l: Int) in x[l] }
                #expect(d.evaluate(ab, classOf: f) == Swift.min(d.evaluate(a, classOf: f), d.evaluate(b, classOf: f)))
            }
        }
    }

    @Test func diagramsAreReduced() throws {
        var rng = SplitMix64(seed: 13)
        let counts = [3, 3, 3]
        let d = Diagram(classCounts: counts)
        for _ in 0..<100 { _ = try d.firstMatch(Self.randomBlocks(&rng, counts: counts, n: 4, base: 0)) }
        for n in d.nodes {
            #expect(!n.children.allSatisfy { $0 == n.children[0] }, "a node with all-equal children was kept")
            #expect(n.children.allSatisfy { d.level($0) > n.level }, "a child is not deeper than its parent")
        }
        #expect(Set(d.nodes).count == d.nodes.count, "two equal nodes were kept")
    }

    @Test func theBudgetIsEnforced() throws {
        var rng = SplitMix64(seed: 14)
        let counts = Array(repeating: 4, count: 8)
        let d = Diagram(classCounts: counts, maxNodes: 10)
        let blocks = Self.randomBlocks(&rng, counts: counts, n: 60, base: 0)
        #expect(throws: Diagram.BudgetExceeded.self) { try d.firstMatch(blocks) }
    }
}
