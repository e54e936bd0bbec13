import FjordBasics
import Testing

@testable import FjordRegex

/// The literal fast path must build the same automaton (up to state numbering) as the general
/// construction: same accept sets on every input.
@Suite struct LiteralDFATests {
    @Test func literalPathAgreesWithTheGeneralConstruction() throws {
        var rng = SplitMix64(seed: 42)
        let alphabet: [UInt8] = Array("/abAB".utf8)
        func word(_ n: Int) -> [UInt8] { (0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] } }
        for round in 0..<300 {
            let ci = round % 3 == 0
            let patterns: [Pattern] = (0..<(1 + Int(rng.next() % 6))).map { _ in
                let w = word(Int(rng.next() % 4))
                return rng.next() % 2 == 0 ? .exact(w, caseInsensitive: ci) : .prefix(w, caseInsensitive: ci)
            }
            let fast = try #require(MultiDFA.buildLiteral(patterns: patterns))
            let general = try #require(MultiDFA.build(patterns: patterns, maxStates: 10_000))
            #expect(fast.stateCount == general.stateCount, "minimal automata have the same size: \(patterns)")
            for _ in 0..<60 {
                let input = word(Int(rng.next() % 6))
                #expect(fast.acceptingPatterns(input) == general.acceptingPatterns(input), "\(patterns) on \(input)")
            }
        }
    }

    @Test func mixedFoldingOrRegexFallsBack() throws {
        #expect(
            MultiDFA.buildLiteral(patterns: [.exact("a", caseInsensitive: true), .prefix("b", caseInsensitive: false)])
                == nil)
        let regex = try RegexParser.parse("a+")
        #expect(MultiDFA.buildLiteral(patterns: [.regex(regex)]) == nil)
    }
}
