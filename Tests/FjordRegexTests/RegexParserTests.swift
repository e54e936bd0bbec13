import Testing

@testable import FjordRegex

/// A pattern RE2 rejects, with the error Fjord must report.
struct Rejected: CustomTestStringConvertible, Sendable {
    var pattern: String
    var message: String
    var offset: Int
    var fragment: String
    var testDescription: String { "`\(pattern)`" }

    init(_ pattern: String, _ message: String, at offset: Int, _ fragment: String) {
        self.pattern = pattern
        self.message = message
        self.offset = offset
        self.fragment = fragment
    }
}

let rejected: [Rejected] = [
    // Groups.
    Rejected("(abc", "missing closing )", at: 0, "("),
    Rejected("a(b(c)d", "missing closing )", at: 1, "("),
    Rejected("(?:a", "missing closing )", at: 0, "(?:"),
    Rejected("(?P<name>a", "missing closing )", at: 0, "(?P<name>"),
    Rejected("abc)", "unexpected )", at: 3, ")"),
    Rejected("a|b)", "unexpected )", at: 3, ")"),
    Rejected("())", "unexpected )", at: 2, ")"),
    // Classes.
    Rejected("[abc", "missing closing ]", at: 0, "[abc"),
    Rejected("x[a", "missing closing ]", at: 1, "[a"),
    Rejected("[]", "missing closing ]", at: 0, "[]"),
    Rejected("[^]", "missing closing ]", at: 0, "[^]"),
    Rejected("[a-", "missing closing ]", at: 0, "[a-"),
    Rejected("[z-a]", "invalid character class range", at: 1, "z-a"),
    Rejected("[a-b\\x7f-\\x00]", "invalid character class range", at: 4, "\\x7f-\\x00"),
    Rejected("[[:foo:]]", "invalid character class range", at: 1, "[:foo:]"),
    Rejected("[[:^bar:]]", "invalid character class range", at: 1, "[:^bar:]"),
    Rejected("\\p{Greek}", "invalid character class range", at: 0, "\\p{Greek}"),
    Rejected("\\pX", "invalid character class range", at: 0, "\\pX"),
    Rejected("\\p{L", "invalid character class range", at: 0, "\\p{L"),
    Rejected("\\p", "invalid character class range", at: 0, "\\p"),
    Rejected("[\\p{Foo}]", "invalid character class range", at: 1, "\\p{Foo}"),
    // Escapes.
    Rejected("a\\", "trailing backslash at end of expression", at: 1, "\\"),
    Rejected("\\i", "invalid escape sequence", at: 0, "\\i"),
    Rejected("\\1", "invalid escape sequence", at: 0, "\\1"),
    Rejected("(a)\\1", "invalid escape sequence", at: 3, "\\1"),
    Rejected("\\8", "invalid escape sequence", at: 0, "\\8"),
    Rejected("\\7", "invalid escape sequence", at: 0, "\\7"),
    Rejected("\\Z", "invalid escape sequence", at: 0, "\\Z"),
    Rejected("\\C", "invalid escape sequence", at: 0, "\\C"),
    Rejected("\\e", "invalid escape sequence", at: 0, "\\e"),
    Rejected("\\k<a>", "invalid escape sequence", at: 0, "\\k"),
    Rejected("\\é", "invalid escape sequence", at: 0, "\\é"),
    Rejected("\\x{110000}", "invalid escape sequence", at: 0, "\\x{110000"),
    Rejected("\\x{}", "invalid escape sequence", at: 0, "\\x{}"),
    Rejected("\\x{41", "invalid escape sequence", at: 0, "\\x{41"),
    Rejected("\\x{4G}", "invalid escape sequence", at: 0, "\\x{4G"),
    Rejected("\\xZ1", "invalid escape sequence", at: 0, "\\xZ1"),
    Rejected("\\x4", "invalid escape sequence", at: 0, "\\x4"),
    Rejected("[\\b]", "invalid escape sequence", at: 1, "\\b"),
    Rejected("[\\A]", "invalid escape sequence", at: 1, "\\A"),
    // Perl groups RE2 does not have.
    Rejected("(?=a)", "invalid or unsupported Perl syntax", at: 0, "(?="),
    Rejected("(?!a)", "invalid or unsupported Perl syntax", at: 0, "(?!"),
    Rejected("x(?<=a)b", "invalid or unsupported Perl syntax", at: 1, "(?<="),
    Rejected("(?<!a)b", "invalid or unsupported Perl syntax", at: 0, "(?<!"),
    Rejected("(?>a)", "invalid or unsupported Perl syntax", at: 0, "(?>"),
    Rejected("(?#comment)", "invalid or unsupported Perl syntax", at: 0, "(?#"),
    Rejected("(?P=name)", "invalid or unsupported Perl syntax", at: 0, "(?P="),
    Rejected("(?P>name)", "invalid or unsupported Perl syntax", at: 0, "(?P>"),
    Rejected("(?|a|b)", "invalid or unsupported Perl syntax", at: 0, "(?|"),
    Rejected("(?'n'a)", "invalid or unsupported Perl syntax", at: 0, "(?'"),
    Rejected("(?x)a", "invalid or unsupported Perl syntax", at: 0, "(?x"),
    Rejected("(?i", "invalid or unsupported Perl syntax", at: 0, "(?i"),
    Rejected("(?i)(?-)", "invalid or unsupported Perl syntax", at: 4, "(?-)"),
    Rejected("(?i-:a)", "invalid or unsupported Perl syntax", at: 0, "(?i-:"),
    Rejected("(?--i)", "invalid or unsupported Perl syntax", at: 0, "(?--"),
    // Named groups.
    Rejected("(?P<n>a)(?P<n>b)", "invalid named capture", at: 8, "(?P<n>"),
    Rejected("(?P<>a)", "invalid named capture", at: 0, "(?P<>"),
    Rejected("(?<a-b>x)", "invalid named capture", at: 0, "(?<a-b>"),
    Rejected("(?P<name", "invalid named capture", at: 0, "(?P<name"),
    // Repetition.
    Rejected("*abc", "missing argument to repetition operator", at: 0, "*"),
    Rejected("x|*", "missing argument to repetition operator", at: 2, "*"),
    Rejected("(*)", "missing argument to repetition operator", at: 1, "*"),
    Rejected("(?i)+", "missing argument to repetition operator", at: 4, "+"),
    Rejected("\\Q\\E*", "missing argument to repetition operator", at: 4, "*"),
    Rejected("??", "missing argument to repetition operator", at: 0, "??"),
    Rejected("{2}", "missing argument to repetition operator", at: 0, "{2}"),
    Rejected("a**", "invalid nested repetition operator", at: 1, "**"),
    Rejected("a*+", "invalid nested repetition operator", at: 1, "*+"),
    Rejected("a++", "invalid nested repetition operator", at: 1, "++"),
    Rejected("a*?*", "invalid nested repetition operator", at: 1, "*?*"),
    Rejected("a{2}{3}", "invalid nested repetition operator", at: 1, "{2}{3}"),
    Rejected("a{2}*", "invalid nested repetition operator", at: 1, "{2}*"),
    Rejected("a{1001}", "invalid repeat count", at: 1, "{1001}"),
    Rejected("a{1001,}", "invalid repeat count", at: 1, "{1001,}"),
    Rejected("a{0,1001}", "invalid repeat count", at: 1, "{0,1001}"),
    Rejected("a{2,1}", "invalid repeat count", at: 1, "{2,1}"),
    Rejected("a{99999999999}", "invalid repeat count", at: 1, "{99999999999}"),
    Rejected("(a{500}){3}", "invalid repeat count", at: 8, "{3}"),
    Rejected("((a{10}){10}){11}", "invalid repeat count", at: 13, "{11}"),
    Rejected("{1001}", "invalid repeat count", at: 0, "{1001}"),
    // Limits.
    Rejected("\\pL{1000}", "expression too large", at: 3, "{1000}"),
    Rejected(
        "(?:" + (0..<40).map { "\(Array("abcd")[$0 / 10])\($0 % 10)" }.joined(separator: "|") + "){1000}",
        "expression too large", at: 123, "{1000}"),
    Rejected(
        String(repeating: "(", count: 1001) + String(repeating: ")", count: 1001),
        "expression nests too deeply", at: 1000, "("),
]

@Suite struct RegexParserTests {
    @Test(arguments: rejected)
    func rejectsWithPositionAndMessage(_ c: Rejected) {
        guard let e = RegexParser.validate(c.pattern) else {
            Issue.record("`\(c.pattern)` was accepted")
            return
        }
        #expect(e.message == c.message)
        #expect(e.offset == c.offset)
        #expect(e.fragment == c.fragment)
        #expect(e.length == c.fragment.utf8.count)
        // Messages are lowercase without a trailing period; notes too.
        #expect(!e.message.hasSuffix("."))
        if let note = e.note {
            #expect(!note.hasSuffix("."))
            #expect(
                note.first.map {
                    !$0.isUppercase || note.hasPrefix("RE2") || note.hasPrefix("POSIX") || note.hasPrefix("Fjord")
                } ?? true)
        }
    }

    @Test func errorDescriptionQuotesTheFragment() {
        let e = RegexParser.validate("a**")
        #expect(e?.description == "invalid nested repetition operator: `**`")
        #expect(e?.code.re2Message == "bad repetition operator")
        #expect(RegexParser.validate("(x")?.code.re2Message == "missing )")
        #expect(RegexParser.validate("(x")?.code.isRE2SyntaxError == true)
        #expect(RegexParser.validate("\\pL{1000}")?.code.isRE2SyntaxError == false)
    }

    @Test func notesExplainUnsupportedConstructs() {
        #expect(RegexParser.validate("(a)\\1")?.note?.contains("backreferences") == true)
        #expect(RegexParser.validate("(?<=a)")?.note?.contains("lookbehind") == true)
        #expect(RegexParser.validate("(?=a)")?.note?.contains("lookahead") == true)
        #expect(RegexParser.validate("a*+")?.note?.contains("possessive") == true)
        #expect(RegexParser.validate("(?>a)")?.note?.contains("atomic") == true)
        #expect(RegexParser.validate("\\p{Greek}")?.note?.contains("scripts") == true)
    }

    @Test func typedThrows() {
        do {
            _ = try RegexParser.parse("[z-a]")
            Issue.record("accepted")
        } catch {
            #expect(error.code == .invalidCharRange)
            #expect(error.offset == 1)
        }
        if case .failure(let e) = RegexParser.parseResult("(") {
            #expect(e.code == .missingParen)
        } else {
            Issue.record("accepted")
        }
    }

    static let accepted: [String] = [
        "", "a", "abc", "a|b", "a|", "|", "()", "(?:)", "(a)(b)", "(?P<x>a)", "(?<x>a)", "(?P<x_1>a)(?P<y>b)",
        "a*", "a+", "a?", "a*?", "a+?", "a??", "a{2}", "a{2,}", "a{2,5}", "a{2}?", "a{0}", "a{1000}",
        "(a{10}){100}", "((a{10}){10}){10}", "(a*)*", "(a|b)*c", "^*", "$+",
        "a{", "a{,5}", "a{x}", "a{01}", "{", "}", "]", "a}", "x{2,", "x{2,3",
        "\\.", "\\\\", "\\/", "\\-", "\\_", "\\ ", "\\n\\t\\r\\f\\v\\a", "\\x41", "\\x{10FFFF}", "\\x{0041}",
        "\\0", "\\012", "\\101", "\\17", "[a-b-a]", "[\\0-\\x7f]",
        ".", "[abc]", "[a-z]", "[^a-z]", "[]a]", "[^]a]", "[a-]", "[-a]", "[a-b-c]", "[\\d-z]", "[\\]]",
        "\\d\\D\\s\\S\\w\\W", "[\\d\\s\\w]", "[^\\D]", "[[:alpha:]]", "[[:^alpha:]0-9]", "[[:word:][:xdigit:]]",
        "[[:]", "[[]", "^abc$", "\\Aabc\\z", "(?m)^a$", "\\bfoo\\b", "\\Bx\\B",
        "(?i)abc", "(?i:a)b", "(?s).", "(?m)^", "(?U)a*", "(?i-s:a.)", "(?is)a", "(?)a",
        "\\pL", "\\PL", "\\p{L}", "\\p{Lu}", "\\p{Ll}", "\\p{N}", "\\p{Nd}", "\\p{^L}", "\\P{^Lu}", "\\p{Any}",
        "[\\p{Lu}\\d]", "\\pLu",
        "\\Qa.b*c\\E", "\\Q(", "\\Qab\\E*", "x\\Q\\E*",
        "/api/v[0-9]+/users/[^/]+", "(?i)^/static/.*\\.(css|js)$", "[\\x{FFFD}]", "[\\x{D800}-\\x{DFFF}]", "é+",
        "\\pL{100}", String(repeating: "(", count: 1000) + String(repeating: ")", count: 1000),
    ]

    @Test(arguments: accepted)
    func accepts(_ pattern: String) {
        #expect(
            RegexParser.validate(pattern) == nil, "`\(pattern)`: \(RegexParser.validate(pattern)?.description ?? "")")
    }

    @Test func desugaring() throws {
        #expect(try RegexParser.parse("") == .empty)
        #expect(try RegexParser.parse("a") == .scalars(ScalarSet("a")))
        #expect(try RegexParser.parse("a{,5}").literalString == "a{,5}")
        #expect(try RegexParser.parse("\\Qa.b*c\\E").literalString == "a.b*c")
        #expect(try RegexParser.parse("\\x41\\101\\x{42}").literalString == "AAB")
        #expect(try RegexParser.parse("\\012").literalString == "\n")
        #expect(try RegexParser.parse("a+") == .repetition(.scalars(ScalarSet("a")), min: 1, max: nil))
        #expect(try RegexParser.parse("a{2,5}?") == .repetition(.scalars(ScalarSet("a")), min: 2, max: 5))
        #expect(try RegexParser.parse("^") == .assertion(.beginText))
        #expect(try RegexParser.parse("(?m)$") == .assertion(.endLine))
        #expect(try RegexParser.parse("(?m:^)$") == .concat([.assertion(.beginLine), .assertion(.endText)]))
        // `\Qab\E*`: the star applies to the last literal only.
        #expect(
            try RegexParser.parse("\\Qab\\E*")
                == .concat([.scalars(ScalarSet("a")), .repetition(.scalars(ScalarSet("b")), min: 0, max: nil)]))
        // `a*(?i)*` applies the second star to `a*` (as RE2 does: the flag group resets stacking).
        #expect(
            try RegexParser.parse("a*(?i)*")
                == .repetition(.repetition(.scalars(ScalarSet("a")), min: 0, max: nil), min: 0, max: nil))
        // Flags are restored at the end of the group, and persist across `|` inside it.
        #expect(try RegexParser.parse("(?:a(?i)b|c)d").fullMatch("aBd"))
        #expect(try RegexParser.parse("(?:a(?i)b|c)d").fullMatch("Cd"))
        #expect(try !RegexParser.parse("(?:a(?i)b|c)d").fullMatch("aBD"))
        // Captures are numbered and named.
        #expect(
            try RegexParser.parse("(a)(?P<n>b)")
                == .concat([
                    .capture(.scalars(ScalarSet("a")), index: 1, name: nil),
                    .capture(.scalars(ScalarSet("b")), index: 2, name: "n"),
                ]))
    }

    @Test func classesAndCaseFolding() throws {
        func set(_ p: String) throws -> ScalarSet {
            guard case .scalars(let s) = try RegexParser.parse(p) else {
                Issue.record("`\(p)` is not a single class")
                return .empty
            }
            return s
        }
        #expect(try set("[a-c]") == ScalarSet(ranges: [0x61...0x63]))
        #expect(try set("\\d") == ScalarSet(ranges: [0x30...0x39]))
        #expect(try set("\\s") == ScalarSet(ranges: [9...10, 12...13, 32...32]))
        #expect(try set("[[:space:]]") == ScalarSet(ranges: [9...13, 32...32]))
        #expect(try set("\\w") == ScalarSet(ranges: [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A]))
        #expect(try set("\\D") == set("[^0-9]"))
        #expect(try set("[^\\D]") == set("\\d"))
        #expect(try set(".") == ScalarSet.all.subtracting(ScalarSet("\n")))
        #expect(try set("(?s:.)") == ScalarSet.all)
        #expect(try set("[^a]").contains(Unicode.Scalar(10)))  // negated classes include \n in RE2
        #expect(try set("\\D").contains(Unicode.Scalar(10)))
        #expect(try set("[\\x{D800}-\\x{DFFF}]").isEmpty)
        // Simple case folding orbits, as RE2 has them.
        #expect(try set("(?i)k") == ScalarSet(ranges: [0x4B...0x4B, 0x6B...0x6B, 0x212A...0x212A]))
        #expect(try set("(?i)s") == ScalarSet(ranges: [0x53...0x53, 0x73...0x73, 0x17F...0x17F]))
        #expect(try set("(?i)σ") == ScalarSet(ranges: [0x3A3...0x3A3, 0x3C2...0x3C3]))
        #expect(try set("(?i)ι") == ScalarSet(ranges: [0x345...0x345, 0x399...0x399, 0x3B9...0x3B9, 0x1FBE...0x1FBE]))
        #expect(try set("(?i)θ") == ScalarSet(ranges: [0x398...0x398, 0x3B8...0x3B8, 0x3D1...0x3D1, 0x3F4...0x3F4]))
        #expect(try set("(?i)ß") == ScalarSet(ranges: [0xDF...0xDF, 0x1E9E...0x1E9E]))
        #expect(try set("(?i)ǅ") == ScalarSet(ranges: [0x1C4...0x1C6]))
        #expect(try set("(?i)µ") == ScalarSet(ranges: [0xB5...0xB5, 0x39C...0x39C, 0x3BC...0x3BC]))
        // The Turkic dotted and dotless I fold only under status T, which RE2 does not use.
        #expect(try set("(?i)i") == ScalarSet(ranges: [0x49...0x49, 0x69...0x69]))
        #expect(try set("(?i)ı") == ScalarSet(ranges: [0x131...0x131]))
        #expect(try set("(?i)İ") == ScalarSet(ranges: [0x130...0x130]))
        #expect(try set("(?i)1") == ScalarSet("1"))
        #expect(try set("(?i)[a-c]") == ScalarSet(ranges: [0x41...0x43, 0x61...0x63]))
        #expect(try set("(?i)[^k]").contains(0x212A) == false)
        #expect(try set("(?i)\\w").contains(0x212A))  // RE2 folds Perl classes too
        #expect(try set("(?i)\\W").contains(0x212A) == false)
        #expect(try set("(?i)[[:upper:]]").contains(0x61))
        #expect(try set("(?i)\\p{Lu}").contains(0x61))
        #expect(try set(".") == set("(?i)."))
        // Unicode categories.
        #expect(try set("\\pL").contains(0x3B1))
        #expect(try set("\\p{Lu}").contains(0x391))
        #expect(try !set("\\p{Lu}").contains(0x3B1))
        #expect(try set("\\p{Nd}").contains(0x663))  // ARABIC-INDIC DIGIT THREE
        #expect(try set("\\pN").contains(0x2163))  // ROMAN NUMERAL FOUR (Nl)
        #expect(try set("\\PL") == set("\\pL").inverted())
        #expect(try set("\\p{^L}") == set("\\PL"))
        #expect(try set("\\P{^L}") == set("\\pL"))
        #expect(try set("\\p{Any}") == ScalarSet.all)
        #expect(try set("[[:^alpha:]]") == set("[^A-Za-z]"))
    }

    /// Every case-fold orbit with more than two members, as in RE2's tables (Go's `caseOrbit`).
    @Test func multiMemberFoldOrbits() {
        let expected: [[UInt32]] = [
            [0x4B, 0x6B, 0x212A], [0x53, 0x73, 0x17F], [0xB5, 0x39C, 0x3BC], [0xC5, 0xE5, 0x212B],
            [0x1C4, 0x1C5, 0x1C6], [0x1C7, 0x1C8, 0x1C9], [0x1CA, 0x1CB, 0x1CC], [0x1F1, 0x1F2, 0x1F3],
            [0x345, 0x399, 0x3B9, 0x1FBE], [0x392, 0x3B2, 0x3D0], [0x395, 0x3B5, 0x3F5],
            [0x398, 0x3B8, 0x3D1, 0x3F4], [0x39A, 0x3BA, 0x3F0], [0x3A0, 0x3C0, 0x3D6], [0x3A1, 0x3C1, 0x3F1],
            [0x3A3, 0x3C2, 0x3C3], [0x3A6, 0x3C6, 0x3D5], [0x3A9, 0x3C9, 0x2126], [0x412, 0x432, 0x1C80],
            [0x414, 0x434, 0x1C81], [0x41E, 0x43E, 0x1C82], [0x421, 0x441, 0x1C83], [0x422, 0x442, 0x1C84, 0x1C85],
            [0x42A, 0x44A, 0x1C86], [0x462, 0x463, 0x1C87], [0x1C88, 0xA64A, 0xA64B], [0x1E60, 0x1E61, 0x1E9B],
        ]
        #expect(CaseFolding.table.orbits.filter { $0.count > 2 } == expected)
        #expect(CaseFolding.orbit(of: 0x61) == [0x41, 0x61])
        #expect(CaseFolding.orbit(of: 0x31) == nil)
    }

    @Test func printingRoundTrips() throws {
        for p in Self.accepted where p.utf8.count < 200 {
            let r = try RegexParser.parse(p)
            let printed = r.description
            let again = try RegexParser.parse(printed)
            #expect(again == r || again.description == printed, "`\(p)` printed as `\(printed)`")
        }
    }

    @Test func programSizeAndLimits() throws {
        #expect(try RegexParser.parse("a{1000}").programSize == 1000)
        #expect(try RegexParser.parse("(a|b)*").programSize == 4)
        #expect(RegexParser.maxRepeat == 1000)
        // Under the limit at parse time, however large the product of non-counted loops.
        #expect(RegexParser.validate("((a*)*)*") == nil)
    }
}
