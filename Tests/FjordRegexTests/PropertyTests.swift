import FjordBasics
import Testing

@testable import FjordRegex

/// Random small regexes over a small alphabet, written as RE2 text.
struct RegexGenerator {
    var rng: SplitMix64

    static let atoms = [
        "a", "b", "A", ".", "[ab]", "[^a]", "[a-c]", "\\n", "é", "\\x{FFFD}", "(?i:a)", "(?i:é)", "\\w", "\\W",
        "(?s:.)", "", "^", "$", "\\b", "\\B", "(?m:^)", "(?m:$)", "\\A", "\\z", "[^\\n]", "[à-ÿ]", "[[:space:]]",
    ]
    static let quantifiers = ["*", "+", "?", "{0,2}", "{1,3}", "{2}", "*?", "{2,}"]

    mutating func regex(depth: Int) -> String {
        if depth == 0 || rng.below(4) == 0 { return rng.pick(Self.atoms) }
        switch rng.below(6) {
        case 0, 1:
            return (0..<(2 + rng.below(2))).map { _ in regex(depth: depth - 1) }.joined()
        case 2:
            return regex(depth: depth - 1) + "|" + regex(depth: depth - 1)
        case 3:
            return "(?:" + regex(depth: depth - 1) + ")" + rng.pick(Self.quantifiers)
        case 4:
            return "(" + regex(depth: depth - 1) + ")"
        default:
            return "(?" + rng.pick(["i", "s", "m", "-m", "is"]) + ":" + regex(depth: depth - 1) + ")"
        }
    }
}

@Suite struct PropertyTests {
    /// Text pieces inputs are made of (valid UTF-8).
    static let textPieces: [[UInt8]] = ["a", "b", "A", "\n", "é", " ", "c", "É"].map { Array($0.utf8) }
    /// Byte pieces including ill-formed UTF-8: a lone lead byte, stray continuation bytes,
    /// truncated sequences, a surrogate encoding, bytes that never occur in UTF-8.
    static let bytePieces: [[UInt8]] = [
        [0x61], [0x62], [0x0A], [0xC3, 0xA9], [0xC3], [0xFF], [0x80], [0xE2, 0x82], [0xE2, 0x82, 0xAC],
        [0xF0, 0x90, 0x80], [0xED, 0xA0, 0x80], [0xEF, 0xBF, 0xBD], [0xF0, 0x9F, 0x98, 0x80], [0xC0, 0xAF],
    ]

    static func input(_ rng: inout SplitMix64, pieces: [[UInt8]], maxPieces: Int) -> [UInt8] {
        (0..<rng.below(maxPieces + 1)).flatMap { _ in rng.pick(pieces) }
    }

    /// For random regexes and inputs, the reference matcher, the NFA simulation, the minimised DFA
    /// and its sparse form agree.
    @Test(arguments: [UInt64(1), 2, 3, 4])
    func referenceNFAAndDFAAgree(seed: UInt64) throws {
        var gen = RegexGenerator(rng: SplitMix64(seed: seed))
        var rng = SplitMix64(seed: seed &* 7919)
        var checked = 0
        var matched = 0
        var overBudget = 0
        for _ in 0..<350 {
            let pattern = gen.regex(depth: 3)
            let r = try RegexParser.parse(pattern)
            let nfa = NFA(r)
            var scratch = NFA.Scratch(for: nfa)
            let dfa = MultiDFA.build(r, maxStates: 2_000)
            if dfa == nil { overBudget += 1 }
            let sparse = dfa.map(SparseDFA.init)
            for k in 0..<12 {
                let bytes = Self.input(&rng, pieces: k < 8 ? Self.textPieces : Self.bytePieces, maxPieces: 5)
                let expected = r.fullMatch(utf8: bytes)
                if expected { matched += 1 }
                let viaNFA = bytes.withUnsafeBufferPointer { nfa.matches($0, scratch: &scratch) }
                #expect(viaNFA == expected, "nfa: `\(pattern)` on \(bytes)")
                if let dfa, let sparse {
                    #expect(dfa.matches(bytes) == expected, "dfa: `\(pattern)` on \(bytes)")
                    #expect(sparse.acceptSets[sparse.run(bytes)].contains(0) == expected, "sparse: `\(pattern)`")
                }
                checked += 1
            }
        }
        #expect(checked == 350 * 12)
        // Not vacuous: both answers are common.
        #expect(matched > checked / 20 && matched < checked - checked / 20, "\(matched) of \(checked) matched")
        #expect(overBudget < 10)
    }

    /// Large Unicode classes (hundreds of UTF-8 sequences) agree too, on inputs from many scripts.
    @Test func unicodeClassesAgree() throws {
        let patterns = [
            "\\pL+", "\\p{Lu}\\p{Ll}*", "[\\pN\\pL]*x", "\\PL", "(?i)\\p{Lu}+", "[^\\pL\\pN]+", "\\p{Nd}{2}",
            "(?:\\pL|\\pN)*\\d", "[α-ω]+",
        ]
        let pieces: [[UInt8]] =
            ["a", "Z", "é", "É", "π", "Π", "ж", "٣", "7", "😀", "-", "x", "ǅ"].map { Array($0.utf8) }
            + [[0xFF], [0xCE]]
        var rng = SplitMix64(seed: 7)
        for pattern in patterns {
            let r = try RegexParser.parse(pattern)
            let nfa = NFA(r)
            let dfa = try #require(MultiDFA.build(r, maxStates: 5_000))
            for _ in 0..<40 {
                let bytes = Self.input(&rng, pieces: pieces, maxPieces: 4)
                let expected = r.fullMatch(utf8: bytes)
                #expect(nfa.matches(bytes) == expected, "nfa: `\(pattern)` on \(bytes)")
                #expect(dfa.matches(bytes) == expected, "dfa: `\(pattern)` on \(bytes)")
            }
        }
    }

    /// Printing a regex and parsing it back gives a regex that matches the same inputs.
    @Test func printedRegexesReparseEquivalently() throws {
        var gen = RegexGenerator(rng: SplitMix64(seed: 99))
        var rng = SplitMix64(seed: 100)
        for _ in 0..<300 {
            let r = try RegexParser.parse(gen.regex(depth: 3))
            let again = try RegexParser.parse(r.description)
            for _ in 0..<8 {
                let bytes = Self.input(&rng, pieces: Self.textPieces, maxPieces: 4)
                #expect(again.fullMatch(utf8: bytes) == r.fullMatch(utf8: bytes), "`\(r)`")
            }
        }
    }

    /// A multi-pattern DFA's accept set is exactly the set of patterns that match individually.
    @Test(arguments: [UInt64(11), 12, 13])
    func multiPatternAcceptSetsAreIndividualMatches(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        var gen = RegexGenerator(rng: SplitMix64(seed: seed &+ 1))
        let alphabet: [UInt8] = Array("abA/".utf8)
        func word(_ max: Int) -> [UInt8] { (0..<rng.below(max + 1)).map { _ in rng.pick(alphabet) } }
        func foldASCII(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }
        func equal(_ x: ArraySlice<UInt8>, _ y: [UInt8], _ ci: Bool) -> Bool {
            x.count == y.count && zip(x, y).allSatisfy { ci ? foldASCII($0) == foldASCII($1) : $0 == $1 }
        }
        for _ in 0..<60 {
            var patterns: [Pattern] = []
            for _ in 0..<(1 + rng.below(8)) {
                switch rng.below(3) {
                case 0: patterns.append(.regex(try RegexParser.parse(gen.regex(depth: 2))))
                case 1: patterns.append(.exact(word(4), caseInsensitive: rng.below(2) == 0))
                default: patterns.append(.prefix(word(3), caseInsensitive: rng.below(2) == 0))
                }
            }
            guard let dfa = MultiDFA.build(patterns: patterns, maxStates: 5_000) else { continue }
            let nfa = NFA(patterns: patterns)
            for _ in 0..<25 {
                let input = rng.below(3) == 0 ? Self.input(&rng, pieces: Self.bytePieces, maxPieces: 3) : word(6)
                var expected: [Int] = []
                for (i, p) in patterns.enumerated() {
                    let hit: Bool =
                        switch p {
                        case .regex(let r): r.fullMatch(utf8: input)
                        case .exact(let b, let ci): equal(input[...], b, ci)
                        case .prefix(let b, let ci): input.count >= b.count && equal(input[..<b.count], b, ci)
                        }
                    if hit { expected.append(i) }
                }
                #expect(dfa.acceptingPatterns(input) == expected, "\(patterns) on \(input)")
                #expect(nfa.acceptingPatterns(input) == expected)
            }
        }
    }
}
