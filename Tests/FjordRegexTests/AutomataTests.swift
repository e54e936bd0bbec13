import FjordBasics
import Testing

@testable import FjordRegex

@Suite struct AutomataTests {
    /// Every matcher agrees with the RE2 cases of the reference matcher tests.
    @Test(arguments: matchCases)
    func automataAgreeOnRE2Cases(_ c: MatchCase) throws {
        let r = try RegexParser.parse(c.pattern)
        let nfa = NFA(r)
        #expect(nfa.matches(c.input) == c.expected, "nfa")
        let dfa = try #require(MultiDFA.build(r, maxStates: 20_000))
        #expect(dfa.matches(c.input) == c.expected, "dfa")
        #expect(SparseDFA(dfa).acceptSets[SparseDFA(dfa).run(c.input)].contains(0) == c.expected, "sparse")
    }

    @Test func utf8SequencesPartitionEveryRange() {
        let windows: [ClosedRange<UInt32>] = [
            0x0...0x90, 0x7E0...0x820, 0xFFC0...0x10040, 0xD7C0...0xE040, 0x10FFC0...0x10FFFF, 0x3FFC0...0x40040,
        ]
        let ranges: [ClosedRange<UInt32>] = [
            0x0...0x7F, 0x75...0x805, 0x800...0xFFFF, 0x7FF...0x10000, 0xD000...0xF000, 0x10000...0x10FFFF,
            0x0...0x10FFFF, 0x3FFFF...0x40001, 0x7F...0x7F, 0x10FFFF...0x10FFFF, 0xE9...0xE9,
        ]
        for range in ranges {
            let seqs = UTF8Ranges.sequences(range)
            for window in windows {
                for v in window {
                    guard Unicode.Scalar(v) != nil else { continue }
                    let enc = UTF8Ranges.encode(v)
                    #expect(enc == Array(String(Character(Unicode.Scalar(v)!)).utf8))
                    let hits = seqs.filter { seq in
                        seq.count == enc.count && zip(seq, enc).allSatisfy { $0.0.contains($0.1) }
                    }.count
                    #expect(hits == (range.contains(v) ? 1 : 0), "U+\(String(v, radix: 16)) in \(range)")
                }
            }
        }
    }

    @Test func minimalDFASizes() throws {
        func dfa(_ p: String) throws -> MultiDFA { try #require(MultiDFA.build(RegexParser.parse(p))) }
        // The textbook (a|b)*abb: four live states plus the dead state.
        #expect(try dfa("(a|b)*abb").stateCount == 5)
        #expect(try dfa("[a-z]+").stateCount == 3)
        #expect(try dfa("[a-z]+").classCount == 2)
        #expect(try dfa("a*").stateCount == 2)
        #expect(try dfa("").stateCount == 2)
        #expect(try dfa("[^\\x00-\\x{10FFFF}]").stateCount == 1)  // only the dead state
        // Equivalent spellings minimise to the same shape.
        #expect(try dfa("(a|b)*").stateCount == dfa("[ab]*").stateCount)
        #expect(try dfa("a+").stateCount == dfa("aa*").stateCount)
        let exact = try #require(MultiDFA.build(patterns: [.exact("abc"), .exact("abd")]))
        #expect(exact.stateCount == 6)
        #expect(exact.acceptingPatterns(Array("abc".utf8)) == [0])
        #expect(exact.acceptingPatterns(Array("abd".utf8)) == [1])
        #expect(exact.acceptingPatterns(Array("ab".utf8)) == [])
        #expect(exact.run(Array("x".utf8)) == exact.deadState)
    }

    @Test func transitionTableShape() throws {
        let d = try #require(MultiDFA.build(RegexParser.parse("/api/v[0-9]+/.*")))
        #expect(d.byteClasses.count == 256)
        #expect(d.transitions.count == d.stateCount * d.classCount)
        #expect(d.acceptSets.count == d.stateCount)
        #expect(d.transitions.allSatisfy { Int($0) < d.stateCount })
        #expect(d.byteClasses.allSatisfy { Int($0) < d.classCount })
        // The dead state loops on itself.
        #expect((0..<d.classCount).allSatisfy { d.transitions[$0] == 0 })
        #expect(d.acceptSets[0].isEmpty)
        #expect(d.matches(Array("/api/v12/x/y".utf8)))
        #expect(!d.matches(Array("/api/v/x".utf8)))
        #expect(d.run("/api/v1/é") == d.run(Array("/api/v1/é".utf8)))
    }

    @Test func caseInsensitiveExactAndPrefixFoldASCIIOnly() throws {
        let d = try #require(
            MultiDFA.build(patterns: [.exact("/Api", caseInsensitive: true), .prefix("/StÉ", caseInsensitive: true)]))
        #expect(d.acceptingPatterns(Array("/aPI".utf8)) == [0])
        #expect(d.acceptingPatterns(Array("/api/".utf8)) == [])
        #expect(d.acceptingPatterns(Array("/sTÉ/x".utf8)) == [1])
        #expect(d.acceptingPatterns(Array("/sTé/x".utf8)) == [])  // É/é differ beyond ASCII
        #expect(d.acceptingPatterns([0x2F, 0x73, 0x74, 0xC3, 0x89, 0xFF]) == [1])  // prefix then any bytes
    }

    @Test func budgetExceededFallsBackToNFA() throws {
        let r = try RegexParser.parse("(a|b)*a(a|b){15}")
        #expect(MultiDFA.build(r, maxStates: MultiDFA.defaultMaxStates) == nil)
        #expect(throws: DFABuildError.budgetExceeded(maxStates: 4096)) {
            try MultiDFA.make(patterns: [.regex(r)], maxStates: 4096)
        }
        let nfa = NFA(r)
        var scratch = NFA.Scratch(for: nfa)
        var rng = SplitMix64(seed: 0xB0D6E7)
        for _ in 0..<200 {
            let n = rng.below(30)
            let s = String((0..<n).map { _ in rng.below(2) == 0 ? Character("a") : Character("b") })
            let bytes = Array(s.utf8)
            let viaNFA = bytes.withUnsafeBufferPointer { nfa.matches($0, scratch: &scratch) }
            #expect(viaNFA == r.fullMatch(s), "\(s)")
            // The known answer: the 16th byte from the end is `a`.
            #expect(viaNFA == (n >= 16 && bytes[n - 16] == UInt8(ascii: "a")))
        }
        // A smaller instance fits and has the expected 2^(k+1) live states.
        let small = try #require(MultiDFA.build(RegexParser.parse("(a|b)*a(a|b){3}")))
        #expect(small.stateCount == 16 + 1)
    }

    @Test func scratchIsReusableAcrossInputs() throws {
        let nfa = NFA(patterns: [.regex(try RegexParser.parse("a+b")), .prefix("ab", caseInsensitive: false)])
        var scratch = NFA.Scratch(for: nfa)
        var seen: [[Int]] = []
        for input in ["ab", "aab", "abc", "b", ""] {
            var found: Set<Int> = []
            Array(input.utf8).withUnsafeBufferPointer { buffer in
                nfa.forEachAcceptingPattern(buffer, scratch: &scratch) { found.insert($0) }
            }
            seen.append(found.sorted())
        }
        #expect(seen == [[0, 1], [0], [1], [], []])
        #expect(nfa.acceptingPatterns(Array("ab".utf8)) == [0, 1])
    }

    /// Every state and every byte: the sparse lookup (linear scan or binary search) equals the table.
    @Test func sparseLookupIsExhaustivelyEqual() throws {
        for p in ["\\pL+x", "[^a]*\\x{FFFD}", "(?s).", "[a-z0-9_]+(?:\\.[a-z]+)*", "\\w\\b\\W"] {
            let dense = try #require(MultiDFA.build(RegexParser.parse(p)))
            let sparse = SparseDFA(dense)
            var maxRanges = 0
            for s in 0..<dense.stateCount {
                maxRanges = max(maxRanges, Int(sparse.rangeOffsets[s + 1] - sparse.rangeOffsets[s]))
                for b in 0...255 {
                    let expected = Int(dense.transitions[s * dense.classCount + Int(dense.byteClasses[b])])
                    #expect(sparse.next(s, UInt8(b)) == expected, "`\(p)` state \(s) byte \(b)")
                }
            }
            if p == "\\pL+x" { #expect(maxRanges > 8) }  // the binary-search path is exercised
        }
    }

    @Test func sparseAgreesWithDenseOnTries() throws {
        var rng = SplitMix64(seed: 42)
        var patterns: [Pattern] = []
        var texts: [String] = []
        for i in 0..<300 {
            let t = "/svc\(rng.below(10_000))/"
            texts.append(t)
            patterns.append(i % 3 == 0 ? .exact(t) : .prefix(t))
        }
        let dense = try #require(MultiDFA.build(patterns: patterns, maxStates: 100_000))
        let sparse = SparseDFA(dense)
        #expect(sparse.stateCount == dense.stateCount)
        for _ in 0..<500 {
            var input = Array(texts[rng.below(texts.count)].utf8)
            switch rng.below(4) {
            case 0: input.append(contentsOf: "x/y".utf8)
            case 1: input.removeLast(rng.below(input.count))
            case 2: input[rng.below(input.count)] = UInt8(0x30 + rng.below(10))
            default: break
            }
            #expect(sparse.run(input) == dense.run(input))
        }
        #expect(sparse.memoryFootprint < dense.memoryFootprint)
    }
}
