import FjordModel
import Testing

@testable import FjordDecision

/// `ReachabilityAnalysis.shadowed()` (takers read off the table diagram, witness paths from the
/// block's classes, one witness search per automaton) against `shadowedByMasking()` (each
/// block's own diagram, the table masked by it, a search of it), on seeded random route tables.
@Suite struct ReachabilityDifferentialTests {
    struct Rng {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(n))
        }
    }

    static func table(seed: Int) -> [ReachabilityAnalysis.Block] {
        var rng = Rng(state: UInt64(seed) &* 7919 &+ 17)
        let segments = ["a", "b", "ab", "a/b", "b/a", "aa"]
        func path() -> String {
            "/" + (0..<(1 + rng.next(2))).map { _ in segments[rng.next(segments.count)] }.joined(separator: "/")
        }
        var blocks: [ReachabilityAnalysis.Block] = []
        let ruleCount = 2 + rng.next(14)
        for rule in 0..<ruleCount {
            let blockCount = rng.next(4) == 0 ? 2 : 1
            for block in 0..<blockCount {
                var conditions: [Condition] = []
                switch rng.next(6) {
                case 0: conditions.append(Condition(.path, [Predicate(.exact(path()))]))
                case 1, 2: conditions.append(Condition(.path, [Predicate(.prefix(path()))]))
                case 3: conditions.append(Condition(.path, [Predicate(.regex("/a.*" + ["", "b", "/"][rng.next(3)]))]))
                case 4:
                    conditions.append(Condition(.path, [Predicate(.prefix(path()), caseInsensitive: true)]))
                default: break
                }
                switch rng.next(5) {
                case 0: conditions.append(Condition(.header("x-user"), [Predicate(.exact(["u1", "u2"][rng.next(2)]))]))
                case 1:
                    conditions.append(Condition(.header("x-user"), [Predicate(.present)], negated: rng.next(2) == 0))
                case 2: conditions.append(Condition(.header("x-debug"), [Predicate(.prefix(["", "1"][rng.next(2)]))]))
                default: break
                }
                if rng.next(4) == 0 {
                    conditions.append(Condition(.method, [Predicate(.exact(["GET", "POST"][rng.next(2)]))]))
                }
                let gateways = rng.next(3) == 0 ? ["ns/gw", "mesh"] : ["mesh"]
                conditions.append(Condition(.gateway, gateways.map { Predicate(.exact($0)) }))
                if rng.next(5) == 0 { conditions.append(Condition(.sourceLabel("app"), [Predicate(.exact("front"))])) }
                blocks.append(.init(rule: rule, block: block, conjunction: Conjunction(conditions)))
            }
        }
        return blocks
    }

    static func describe(_ s: [ReachabilityAnalysis.Shadowed]) -> [String] {
        s.map { x in
            let w = x.witness.map { "\($0.request) \($0.context) -> \($0.takenBy)" } ?? "no witness"
            return "rule \(x.rule) block \(x.block) taken by \(x.takenBy): \(w)"
        }
    }

    @Test(arguments: 0..<60)
    func theAnalysisAgreesWithMasking(seed: Int) throws {
        let blocks = Self.table(seed: seed)
        let analysis = try ReachabilityAnalysis(blocks: blocks, host: "h.default.svc.cluster.local")
        let fast = try analysis.shadowed()
        let naive = try analysis.shadowedByMasking()
        #expect(Self.describe(fast) == Self.describe(naive), "seed \(seed)")
    }

    @Test func theTablesShadowSomething() throws {
        // The generator is only a test if it produces shadowed rules with witnesses.
        var shadowed = 0
        var witnesses = 0
        for seed in 0..<60 {
            let s = try ReachabilityAnalysis(blocks: Self.table(seed: seed), host: "h").shadowed()
            shadowed += s.count
            witnesses += s.filter { $0.witness != nil }.count
        }
        #expect(shadowed > 30)
        #expect(witnesses > 20)
    }

    @Test func everyClassWitnessIsTheOneSearchedAlone() throws {
        let preds: [Predicate] = [
            Predicate(.prefix("/a")), Predicate(.exact("/a/b")), Predicate(.regex("/a.*b")),
            Predicate(.regex("[^a]+")), Predicate(.prefix("/b")),
        ]
        for attribute in [AttributeKey.path, .header("x")] {
            for n in 1...preds.count {
                let c = try #require(AttributeClassifier(attribute: attribute, predicates: Array(preds.prefix(n))))
                let all = c.allWitnesses()
                for cls in 0..<c.classCount { #expect(all[cls] == c.witness(for: cls), "\(attribute) \(n) \(cls)") }
            }
        }
        let exact = try #require(
            AttributeClassifier(attribute: .method, predicates: [Predicate(.exact("GET")), Predicate(.exact("PUT"))]))
        for cls in 0..<exact.classCount { #expect(exact.allWitnesses()[cls] == exact.witness(for: cls)) }
    }

    @Test func aBudgetStopsTheSubsetConstruction() {
        // `.*x.{25}` determinises into about 2^26 states: the work budget ends it early.
        #expect(throws: WorkBudgetExceeded.self) {
            _ = try ReachabilityAnalysis(
                blocks: [
                    .init(
                        rule: 0, block: 0, conjunction: Conjunction([Condition(.path, [Predicate(.regex(".*x.{25}"))])])
                    ),
                    .init(rule: 1, block: 0, conjunction: Conjunction([Condition(.path, [Predicate(.prefix("/a"))])])),
                ], host: "h", workBudget: 50_000)
        }
    }
}
