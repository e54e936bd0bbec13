import Testing

@testable import FjordRegex

/// A full-match case taken from RE2 semantics.
struct MatchCase: CustomTestStringConvertible, Sendable {
    var pattern: String
    var input: [UInt8]
    var expected: Bool
    var testDescription: String { "`\(pattern)` vs \(String(decoding: input, as: UTF8.self).debugDescription)" }

    init(_ pattern: String, _ input: String, _ expected: Bool) {
        self.pattern = pattern
        self.input = Array(input.utf8)
        self.expected = expected
    }

    init(_ pattern: String, bytes: [UInt8], _ expected: Bool) {
        self.pattern = pattern
        self.input = bytes
        self.expected = expected
    }
}

let matchCases: [MatchCase] = [
    // Full match, not search.
    MatchCase("a", "a", true), MatchCase("a", "ab", false), MatchCase("a", "ba", false), MatchCase("a", "", false),
    MatchCase("", "", true), MatchCase("", "a", false), MatchCase("abc", "abc", true), MatchCase("abc", "abcd", false),
    MatchCase("a*", "", true), MatchCase("a*", "aaaa", true), MatchCase("a*", "aab", false),
    MatchCase("a+", "", false), MatchCase("a?b", "b", true), MatchCase("a?b", "aab", false),
    // Alternation needs the whole input, whichever branch comes first.
    MatchCase("a|ab", "ab", true), MatchCase("ab|a", "a", true), MatchCase("(a|ab)(c|bcd)", "abcd", true),
    MatchCase("a|", "", true), MatchCase("|a", "a", true), MatchCase("x|y|z", "w", false),
    // Counted repetition.
    MatchCase("a{2,3}", "a", false), MatchCase("a{2,3}", "aa", true), MatchCase("a{2,3}", "aaa", true),
    MatchCase("a{2,3}", "aaaa", false), MatchCase("a{2}", "aa", true), MatchCase("a{2,}", "aaaaaaa", true),
    MatchCase("a{0}", "", true), MatchCase("a{0}", "a", false), MatchCase("(a{2}){2}", "aaaa", true),
    MatchCase("(a{2}){2}", "aaa", false), MatchCase("a{,2}", "a{,2}", true), MatchCase("a{,2}", "aa", false),
    MatchCase("(ab){1000}", String(repeating: "ab", count: 1000), true),
    MatchCase("(ab){1000}", String(repeating: "ab", count: 999), false),
    // Nullable loops.
    MatchCase("(a*)*", "aaa", true), MatchCase("(a*)+b", "b", true), MatchCase("(|a)*", "aa", true),
    MatchCase("(a?){5}a{5}", "aaaaa", true), MatchCase("(?:a*|b)*c", "abbac", true),
    // Laziness does not change a full match.
    MatchCase("a*?", "aaa", true), MatchCase("(a+?)(b??)", "aab", true), MatchCase("(?U)a*b", "aab", true),
    // Dot and newlines.
    MatchCase(".", "\n", false), MatchCase("(?s).", "\n", true), MatchCase(".*", "ab\ncd", false),
    MatchCase("(?s).*", "ab\ncd", true), MatchCase("[^a]", "\n", true), MatchCase("\\D", "\n", true),
    MatchCase("\\s", "\n", true), MatchCase("\\s", "\u{0B}", false), MatchCase("[[:space:]]", "\u{0B}", true),
    // Case folding.
    MatchCase("(?i)abc", "ABC", true), MatchCase("(?i)abc", "aBc", true), MatchCase("abc", "ABC", false),
    MatchCase("(?i)k", "\u{212A}", true), MatchCase("(?i)s", "\u{17F}", true), MatchCase("(?i)ς", "Σ", true),
    MatchCase("(?i)ß", "ẞ", true), MatchCase("(?i)straße", "STRASSE", false), MatchCase("(?i)i", "ı", false),
    MatchCase("(?i:a)b", "Ab", true), MatchCase("(?i:a)b", "AB", false), MatchCase("a(?i)b", "aB", true),
    MatchCase("(?i)[a-c]+", "AbC", true), MatchCase("(?i)[^a]", "A", false), MatchCase("(?i)\\w", "\u{212A}", true),
    MatchCase("(?i)Ǆ", "ǅ", true), MatchCase("(?i)é", "É", true),
    // UTF-8: one scalar is one character.
    MatchCase("é", "é", true), MatchCase(".", "é", true), MatchCase("..", "é", false), MatchCase(".", "€", true),
    MatchCase(".", "😀", true), MatchCase("..", "😀", false), MatchCase(".", "e\u{301}", false),
    MatchCase("..", "e\u{301}", true), MatchCase("[à-ÿ]+", "éèü", true), MatchCase("\\x{1F600}", "😀", true),
    MatchCase("[^a]", "😀", true), MatchCase("\\x{10FFFF}", "\u{10FFFF}", true),
    MatchCase("[\\x{FFFD}]", "\u{FFFD}", true),
    // Perl, POSIX and Unicode classes.
    MatchCase("\\d+", "0123456789", true), MatchCase("\\d", "٣", false), MatchCase("\\pN", "٣", true),
    MatchCase("\\p{Nd}", "٣", true), MatchCase("\\w+", "ab_09", true), MatchCase("\\w", "é", false),
    MatchCase("\\pL+", "éπж", true), MatchCase("\\p{Lu}", "Π", true), MatchCase("\\p{Lu}", "π", false),
    MatchCase("\\PL", "1", true), MatchCase("[[:alpha:]]+", "abcXYZ", true), MatchCase("[[:alpha:]]+", "ab1", false),
    MatchCase("[[:^digit:]]", "x", true), MatchCase("[[:punct:]]", "!", true), MatchCase("[[:xdigit:]]+", "0fA", true),
    // Anchors. Full match makes leading ^ and trailing $ no-ops; elsewhere they constrain.
    MatchCase("^abc$", "abc", true), MatchCase("a^b", "ab", false), MatchCase("a$b", "ab", false),
    MatchCase("^*a", "a", true), MatchCase("a$*", "a", true), MatchCase("\\Aabc\\z", "abc", true),
    MatchCase("a\\z\\n", "a\n", false), MatchCase("a$\\n", "a\n", false),
    MatchCase("(?m)a$\\n^b", "a\nb", true), MatchCase("a$\\n^b", "a\nb", false),
    MatchCase("(?m)^$", "", true), MatchCase("(?m)(^a\\n?)+", "a\na\na", true), MatchCase("(?m)(^a\\n?)+", "aa", false),
    MatchCase("(?m)a\\n^", "a\n", true), MatchCase("(?m)a$", "a", true), MatchCase("(?m)\\Aa\\n\\A", "a\n", false),
    MatchCase("(?m:$)\\n", "\n", true), MatchCase("(?m)x(?:$|y)", "x", true),
    // Word boundaries (ASCII word characters, as RE2).
    MatchCase("foo\\b", "foo", true), MatchCase("\\bfoo\\b", "foo", true), MatchCase("foo\\bbar", "foobar", false),
    MatchCase("foo\\b bar", "foo bar", true), MatchCase("\\Bx", "x", false), MatchCase("a\\Bb", "ab", true),
    MatchCase("a\\b-", "a-", true), MatchCase("é\\bx", "éx", true), MatchCase("\\b", "", false),
    MatchCase("\\B", "", true), MatchCase("(?i)\\b\u{212A}", "\u{212A}", false),
    // Literal quoting and escapes.
    MatchCase("\\Qa.b*\\E", "a.b*", true), MatchCase("\\Qa.b*\\E", "axbb", false), MatchCase("\\Qab\\E*", "abbb", true),
    MatchCase("\\x41\\101\\x{42}", "AAB", true), MatchCase("\\.", ".", true), MatchCase("\\.", "x", false),
    MatchCase("a{", "a{", true), MatchCase("a{x}", "a{x}", true), MatchCase("\\n\\t", "\n\t", true),
    MatchCase("[\\]]", "]", true), MatchCase("[]a]+", "]a]", true), MatchCase("[a-]+", "-a", true),
    // Realistic Istio matches.
    MatchCase("/api/v[0-9]+/users/[^/]+", "/api/v2/users/alice", true),
    MatchCase("/api/v[0-9]+/users/[^/]+", "/api/v2/users/alice/orders", false),
    MatchCase("(?i)^/static/.*\\.(css|js)$", "/STATIC/a/b.CSS", true),
    MatchCase("(?i)^/static/.*\\.(css|js)$", "/static/a/b.cssx", false),
    MatchCase(".*", "/any/path?x=1", true), MatchCase("Mozilla.*Firefox.*", "Mozilla/5.0 Firefox/120", true),
    MatchCase("^(GET|HEAD)$", "GET", true), MatchCase("^(GET|HEAD)$", "POST", false),
    MatchCase("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*", "reviews.default.svc", true),
    // Empty classes and never-matching constructs.
    MatchCase("[^\\x00-\\x{10FFFF}]", "a", false), MatchCase("[^\\x00-\\x{10FFFF}]*", "", true),
    MatchCase("a[\\x{D800}]?b", "ab", true),
    // Ill-formed UTF-8: each maximal ill-formed subsequence reads as one U+FFFD.
    MatchCase(".", bytes: [0xFF], true), MatchCase("\\x{FFFD}", bytes: [0xFF], true),
    MatchCase("[^a]", bytes: [0x80], true), MatchCase("a", bytes: [0xFF], false),
    MatchCase("\\pL", bytes: [0xC3], false),
    MatchCase("..", bytes: [0xE2, 0x82, 0x41], true), MatchCase("...", bytes: [0xE2, 0x82, 0x41], false),
    MatchCase(".A", bytes: [0xE2, 0x82, 0x41], true), MatchCase("..", bytes: [0xF0, 0x80], true),
    MatchCase("...", bytes: [0xED, 0xA0, 0x80], true), MatchCase(".", bytes: [0xED, 0xA0, 0x80], false),
    MatchCase(".", bytes: [0xF0, 0x90, 0x80], true), MatchCase("..", bytes: [0xC0, 0x80], true),
    MatchCase("....", bytes: [0xF4, 0x90, 0x80, 0x80], true), MatchCase(".", bytes: [0xE2, 0x82, 0xAC], true),
    MatchCase("€", bytes: [0xE2, 0x82, 0xAC], true), MatchCase("\\x{FFFD}", bytes: [0xE2, 0x82, 0xAC], false),
    MatchCase("(?s).*", bytes: [0x41, 0xFF, 0xFE, 0x0A, 0xC3], true), MatchCase(".*", bytes: [0xFF, 0x0A], false),
    MatchCase("a.b", bytes: [0x61, 0xC3, 0x62], true),
    MatchCase("a\\x{FFFD}\\x{FFFD}b", bytes: [0x61, 0xC3, 0xC3, 0x62], true),
]

@Suite struct ReferenceMatcherTests {
    @Test(arguments: matchCases)
    func re2Semantics(_ c: MatchCase) throws {
        let r = try RegexParser.parse(c.pattern)
        #expect(r.fullMatch(utf8: c.input) == c.expected)
        if let text = String(validating: c.input, as: UTF8.self) { #expect(r.fullMatch(text) == c.expected) }
    }

    @Test func stdlibDecodingIsTheByteSemantics() {
        // The byte matcher decodes like String(decoding:as:): maximal ill-formed subparts.
        func scalars(_ b: [UInt8]) -> [UInt32] { String(decoding: b, as: UTF8.self).unicodeScalars.map(\.value) }
        #expect(scalars([0xE2, 0x82, 0x41]) == [0xFFFD, 0x41])
        #expect(scalars([0xF0, 0x80]) == [0xFFFD, 0xFFFD])
        #expect(scalars([0xED, 0xA0, 0x80]) == [0xFFFD, 0xFFFD, 0xFFFD])
        #expect(scalars([0xF0, 0x90, 0x80]) == [0xFFFD])
    }

    @Test func noCatastrophicBacktracking() throws {
        let clock = ContinuousClock()
        let started = clock.now
        let evil = try RegexParser.parse("(x+x+)+y")
        #expect(!evil.fullMatch(String(repeating: "x", count: 200)))
        let nested = try RegexParser.parse("(a|aa)*(a|aa)*(a|aa)*b")
        #expect(!nested.fullMatch(String(repeating: "a", count: 200)))
        let counted = try RegexParser.parse("(a?){100}a{100}")
        #expect(counted.fullMatch(String(repeating: "a", count: 100)))
        #expect(clock.now - started < .seconds(5))
    }

    @Test func deepNestingDoesNotOverflow() throws {
        let depth = RegexParser.maxNestingDepth
        let r = try RegexParser.parse(
            String(repeating: "(", count: depth) + "a*" + String(repeating: ")", count: depth))
        #expect(r.fullMatch("aaa"))
        #expect(!r.fullMatch("b"))
        #expect(NFA(r).matches("aa"))
        let dfa = try #require(MultiDFA.build(r))
        #expect(dfa.matches(Array("aaaa".utf8)))
    }

    @Test func constructedRegexes() {
        #expect(Regex.literal("a.b").fullMatch("a.b"))
        #expect(!Regex.literal("a.b").fullMatch("axb"))
        #expect(!Regex.never.fullMatch(""))
        #expect(!Regex.alternation([]).fullMatch(""))
        #expect(Regex.concat([]).fullMatch(""))
        #expect(Regex.repetition(.literal("ab"), min: 0, max: nil).fullMatch("ababab"))
        #expect(Regex.literal("héllo").literalString == "héllo")
        // Degenerate counts (never produced by the parser) are defined, and all matchers agree.
        let backwards = Regex.repetition(.literal("a"), min: 3, max: 1)
        let negative = Regex.repetition(.literal("a"), min: -2, max: 1)
        for (r, input, expected) in [
            (backwards, "aa", false), (backwards, "", false), (negative, "", true), (negative, "a", true),
        ] {
            #expect(r.fullMatch(input) == expected)
            #expect(NFA(r).matches(input) == expected)
            #expect(MultiDFA.build(r)?.matches(Array(input.utf8)) == expected)
        }
    }
}
