import FjordBasics
import Testing

@Suite struct JSONStringTests {
    @Test func escapesAreTheShortOnes() {
        var out = ""
        JSONString.write("a\"b\\c\nd\u{1}e\u{1B}f\u{2028}😀", to: &out)
        #expect(out == #""a\"b\\c\nd\u0001e\u001bf\u2028😀""#)
    }

    @Test func everyControlCharacterIsEscaped() {
        for v in UInt32(0)..<0x20 {
            let s = JSONString.literal(String(Unicode.Scalar(v)!))
            #expect(s.unicodeScalars.allSatisfy { $0.value >= 0x20 }, "U+\(v) is written raw: \(s)")
        }
        #expect(JSONString.literal("\u{08}\u{0C}\r\t\u{7F}\u{2029}") == #""\b\f\r\t\u007f\u2029""#)
        #expect(JSONString.literal("") == "\"\"")
    }
}

@Suite struct SplitMix64Tests {
    /// The reference sequence for seed 0 (Vigna's `splitmix64.c`).
    @Test func seedZeroGivesTheReferenceSequence() {
        var g = SplitMix64(seed: 0)
        #expect(g.next() == 0xE220_A839_7B1D_CDAF)
        #expect(g.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(g.next() == 0x06C4_5D18_8009_454F)
    }

    @Test func boundedDrawsStayInRange() {
        var g = SplitMix64(seed: 7)
        for n in 1..<50 {
            #expect(g.below(n) < n)
            #expect(g.next(UInt64(n)) < UInt64(n))
        }
        var h = SplitMix64(seed: 7)
        #expect(h.next(1) == 0 && h.state == 7, "a bound of 1 does not draw")
    }
}
