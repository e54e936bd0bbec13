import FjordRegex
import Foundation
import Testing

/// The automaton state budget is exact: a regex whose subset construction needs N states builds
/// with a budget of N and is refused (nil, the caller falls back or splits) with N - 1, quickly
/// and without building the over-budget automaton (docs/fuzzing.md, "Limits").
@Suite struct BudgetLimitTests {
    @Test(arguments: ["(a|b)*a(a|b){8}", "/api/v[0-9]+/(x|y)*z{3}", "[a-z]*q[a-z]{6}"])
    func stateBudgetIsExact(_ pattern: String) throws {
        let re = try RegexParser.parse(pattern)
        let full = try #require(MultiDFA.build(re, maxStates: 1 << 20))
        let needed = full.subsetStateCount
        let start = Date()
        #expect(MultiDFA.build(re, maxStates: needed) != nil, "`\(pattern)` at its \(needed) states")
        #expect(MultiDFA.build(re, maxStates: needed - 1) == nil, "`\(pattern)` one state under")
        print(
            "regex `\(pattern)`: \(needed) subset states; at and one past the budget in \(String(format: "%.3f", Date().timeIntervalSince(start))) s"
        )
    }

    /// The regex limits the parser enforces (FJ1006): each at the limit and one past.
    @Test func parserLimitsAtAndPast() {
        #expect(RegexParser.validate("x{\(RegexParser.maxRepeat)}") == nil)
        #expect(RegexParser.validate("x{\(RegexParser.maxRepeat + 1)}") != nil)
        #expect(RegexParser.validate("x{1,\(RegexParser.maxRepeat)}") == nil)
        #expect(RegexParser.validate("x{1,\(RegexParser.maxRepeat + 1)}") != nil)
        // Nesting: `maxNestingDepth` groups parse, one more does not.
        let depth = RegexParser.maxNestingDepth
        #expect(
            RegexParser.validate(String(repeating: "(", count: depth) + "a" + String(repeating: ")", count: depth))
                == nil)
        #expect(
            RegexParser.validate(
                String(repeating: "(", count: depth + 1) + "a" + String(repeating: ")", count: depth + 1))
                != nil)
        // Program size: `(?:a...a){1000}` with as many `a` as fit, then one more.
        func pattern(_ k: Int) -> String { "(?:" + String(repeating: "a", count: k) + "){1000}" }
        var k = 1
        while let re = try? RegexParser.parse(pattern(k + 1)), re.programSize <= RegexParser.maxProgramSize { k += 1 }
        #expect(RegexParser.validate(pattern(k)) == nil)
        #expect(RegexParser.validate(pattern(k + 1)) != nil, "`(?:a{\(k + 1)}){1000}` is over the program size")
    }

    /// A long chain (`(?:abcdefghij){300}`, 3,000 states) once took Moore's minimization 30 s
    /// (n rounds of n * k); past its work budget the unminimized automaton is kept, and it still
    /// matches exactly what the NFA matches.
    @Test func longChainsBuildWithinTheMinimizationBudget() throws {
        let re = try RegexParser.parse("(?:abcdefghij){300}")
        let start = Date()
        let dfa = try #require(MultiDFA.build(re, maxStates: 50_000))
        print(
            "`(?:abcdefghij){300}`: \(dfa.stateCount) states in \(String(format: "%.3f", Date().timeIntervalSince(start))) s"
        )
        let nfa = NFA(re)
        var scratch = NFA.Scratch(for: nfa)
        for subject in [String(repeating: "abcdefghij", count: 300), String(repeating: "abcdefghij", count: 299), ""] {
            let bytes = Array(subject.utf8)
            let byNFA = bytes.withUnsafeBufferPointer { nfa.matches($0, scratch: &scratch) }
            #expect(dfa.matches(bytes) == byNFA, "\(subject.count) bytes")
        }
        #expect(dfa.matches(Array(String(repeating: "abcdefghij", count: 300).utf8)))
    }
}
