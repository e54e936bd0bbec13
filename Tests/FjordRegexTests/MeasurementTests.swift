import FjordBasics
import Testing

@testable import FjordRegex

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Sizes of big trie-like pattern sets (route tables with thousands of prefixes and exact paths).
///
/// The full measurement (10,000 prefixes, 1,000 exact paths) runs when `FJORD_REGEX_MEASURE=1`:
///
///     FJORD_REGEX_MEASURE=1 swift test -c release --filter RegexMeasurements
///
/// and prints one line per case; `grammar/regex.md` quotes the figures. A tenth of it always runs
/// and checks the automata classify correctly.
@Suite struct RegexMeasurements {
    static var fullRun: Bool { getenv("FJORD_REGEX_MEASURE").map { String(cString: $0) == "1" } ?? false }

    /// `count` distinct prefixes `/svcN/` (N random below 1,000,000) and their texts.
    static func prefixes(_ count: Int, seed: UInt64) -> [String] {
        var rng = SplitMix64(seed: seed)
        var seen = Set<Int>()
        var out: [String] = []
        while out.count < count {
            let n = rng.below(1_000_000)
            if seen.insert(n).inserted { out.append("/svc\(n)/") }
        }
        return out
    }

    /// `count` exact paths `/api/v1/items/XXXXXXXX` (8 random hex digits).
    static func exactPaths(_ count: Int, seed: UInt64) -> [String] {
        var rng = SplitMix64(seed: seed)
        let hex = Array("0123456789abcdef")
        return (0..<count).map { _ in "/api/v1/items/" + String((0..<8).map { _ in hex[rng.below(16)] }) }
    }

    struct Figures: CustomStringConvertible {
        var name: String
        var nfaStates: Int
        var dfa: MultiDFA
        var sparse: SparseDFA
        var buildTime: Duration
        var description: String {
            "\(name): nfa \(nfaStates) states; dfa \(dfa.stateCount) states (subset \(dfa.subsetStateCount)), "
                + "\(dfa.classCount) byte classes, dense \(dfa.memoryFootprint) bytes "
                + "(table \(dfa.transitions.count * 4)); sparse \(sparse.memoryFootprint) bytes "
                + "(\(sparse.rangeCount) ranges); built in \(buildTime)"
        }
    }

    static func measure(_ name: String, _ patterns: [Pattern]) throws -> Figures {
        let clock = ContinuousClock()
        let started = clock.now
        let nfa = NFA(patterns: patterns)
        let dfa = try MultiDFA.make(nfa: nfa, maxStates: 1_000_000)
        let elapsed = clock.now - started
        return Figures(name: name, nfaStates: nfa.stateCount, dfa: dfa, sparse: SparseDFA(dfa), buildTime: elapsed)
    }

    @Test func prefixAndExactTables() throws {
        let scale = Self.fullRun ? 1 : 10
        let prefixTexts = Self.prefixes(10_000 / scale, seed: 1)
        let exactTexts = Self.exactPaths(1_000 / scale, seed: 2)
        let prefixPatterns = prefixTexts.map { Pattern.prefix($0) }
        let exactPatterns = exactTexts.map { Pattern.exact($0) }
        let cases = [
            ("\(prefixTexts.count) prefixes", prefixPatterns),
            ("\(exactTexts.count) exact paths", exactPatterns),
            ("both", prefixPatterns + exactPatterns),
        ]
        for (name, patterns) in cases {
            let f = try Self.measure(name, patterns)
            if Self.fullRun { print("[regex-measure] \(f)") }
            // A dense table of 256 columns would be stateCount × 1 KiB; byte classes keep it small.
            #expect(f.dfa.classCount <= 32)
            #expect(f.sparse.memoryFootprint < f.dfa.memoryFootprint)
        }
        // Classification is right on hits, near misses and extensions.
        let both = try Self.measure("both", prefixPatterns + exactPatterns)
        var rng = SplitMix64(seed: 3)
        for _ in 0..<300 {
            let i = rng.below(prefixTexts.count)
            let hit = Array((prefixTexts[i] + "rest/of/path").utf8)
            #expect(both.dfa.acceptingPatterns(hit) == [i])
            #expect(both.sparse.acceptSets[both.sparse.run(hit)] == [i])
            let j = rng.below(exactTexts.count)
            #expect(both.dfa.acceptingPatterns(Array(exactTexts[j].utf8)) == [prefixTexts.count + j])
            #expect(both.dfa.acceptingPatterns(Array((exactTexts[j] + "/").utf8)) == [])
            #expect(both.dfa.acceptingPatterns(Array(prefixTexts[i].dropLast().utf8)) == [])
        }
    }
}
