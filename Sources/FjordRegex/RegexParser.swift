/// Parses RE2 syntax, as Istio users write it in VirtualService `regex` matches.
///
/// The parser follows Go's `regexp/syntax` (which Istio's validation runs) and C++ RE2 (which
/// Envoy runs) token for token: what they accept is accepted, what they reject is rejected with
/// their message, and every error carries the byte offset and length of the offending piece.
/// Departures are listed in `grammar/regex.md`. It is iterative (an explicit group stack), so a
/// deeply nested pattern cannot overflow the call stack while parsing.
public enum RegexParser {
    /// Largest count in `{n}`, `{n,}`, `{n,m}`, and largest product of nested counts (RE2's limit).
    public static let maxRepeat = 1000
    /// Deepest group nesting accepted (Go's limit).
    public static let maxNestingDepth = 1000
    /// Largest `Regex.programSize` accepted: Fjord's own bound on the automata and matching work
    /// a pattern may cost. It is not RE2's program-size limit (Envoy under Istio allows 32,768
    /// RE2 instructions, counted differently); see grammar/regex.md for where the two disagree.
    public static let maxProgramSize = 100_000
    /// Longest pattern recent Istio versions accept (`regex is too large, max length allowed is
    /// 1024`), and Istio rejects an empty `regex`. Neither is enforced by `parse` (an empty pattern
    /// is valid RE2 and matches only the empty string); the checks that know the Istio version do.
    public static let istioMaxPatternLength = 1024

    /// Parses `pattern`, or throws the first syntax error.
    public static func parse(_ pattern: String) throws(RegexSyntaxError) -> Regex {
        var parser = Parser(Array(pattern.utf8))
        return try parser.parse()
    }

    /// Parses `pattern` into a `Result`.
    public static func parseResult(_ pattern: String) -> Result<Regex, RegexSyntaxError> {
        do {
            return .success(try parse(pattern))
        } catch {
            return .failure(error)
        }
    }

    /// The syntax error in `pattern`, or nil when it is valid.
    public static func validate(_ pattern: String) -> RegexSyntaxError? {
        if case .failure(let e) = parseResult(pattern) { return e }
        return nil
    }
}

private struct Flags {
    var foldCase = false
    var multiLine = false
    var dotNL = false
    var ungreedy = false
}

private struct Parser {
    let bytes: [UInt8]
    var pos = 0
    var flags = Flags()
    var captureCount = 0
    var names: Set<String> = []

    /// One open group (the bottom frame is the whole pattern).
    struct Frame {
        enum Kind { case top, capture(index: Int, name: String?), plain }
        var kind: Kind
        var alternatives: [Regex] = []
        var items: [Regex] = []
        var savedFlags: Flags
        var openOffset: Int
        var openLength: Int
    }

    var stack: [Frame] = []

    static let anyButNewline = ScalarSet(ranges: [0...9, 11...ScalarSet.maxScalar])

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    // MARK: Helpers

    func error(_ code: RegexSyntaxError.Code, _ start: Int, _ end: Int, note: String? = nil) -> RegexSyntaxError {
        let s = max(0, min(start, bytes.count))
        let e = max(s, min(end, bytes.count))
        let text = String(decoding: bytes[s..<e], as: UTF8.self)
        return RegexSyntaxError(code: code, offset: s, length: e - s, fragment: text, note: note)
    }

    func byte(_ i: Int) -> UInt8? { i < bytes.count ? bytes[i] : nil }

    func isByte(_ i: Int, _ c: Unicode.Scalar) -> Bool { i < bytes.count && bytes[i] == UInt8(c.value) }

    /// Decodes the scalar at `i` (the pattern is a Swift string, so it is well-formed UTF-8).
    func scalar(at i: Int) -> (value: UInt32, length: Int) {
        let b0 = UInt32(bytes[i])
        func cont(_ k: Int) -> UInt32 { i + k < bytes.count ? UInt32(bytes[i + k] & 0x3F) : 0 }
        switch b0 {
        case 0..<0x80: return (b0, 1)
        case 0xC0..<0xE0: return (((b0 & 0x1F) << 6) | cont(1), 2)
        case 0xE0..<0xF0: return (((b0 & 0x0F) << 12) | (cont(1) << 6) | cont(2), 3)
        default: return (((b0 & 0x07) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3), 4)
        }
    }

    func literalSet(_ v: UInt32) -> ScalarSet {
        let set = ScalarSet(ranges: [v...v])
        return flags.foldCase ? set.caseFolded() : set
    }

    mutating func push(_ r: Regex) { stack[stack.count - 1].items.append(r) }

    // MARK: Main loop

    mutating func parse() throws(RegexSyntaxError) -> Regex {
        stack = [Frame(kind: .top, savedFlags: flags, openOffset: 0, openLength: 0)]
        // Start offset of the previous token when it was a repetition operator.
        var lastRepeat: Int?
        while pos < bytes.count {
            var thisRepeat: Int?
            let c = bytes[pos]
            switch c {
            case UInt8(ascii: "("):
                try openGroup()
            case UInt8(ascii: "|"):
                finishBranch()
                pos += 1
            case UInt8(ascii: ")"):
                try closeGroup()
            case UInt8(ascii: "^"):
                push(.assertion(flags.multiLine ? .beginLine : .beginText))
                pos += 1
            case UInt8(ascii: "$"):
                push(.assertion(flags.multiLine ? .endLine : .endText))
                pos += 1
            case UInt8(ascii: "."):
                push(.scalars(flags.dotNL ? .all : Parser.anyButNewline))
                pos += 1
            case UInt8(ascii: "["):
                let set = try parseClass()
                push(.scalars(set))
            case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"):
                let start = pos
                pos += 1
                let (min, max): (Int, Int?) =
                    switch c {
                    case UInt8(ascii: "*"): (0, nil)
                    case UInt8(ascii: "+"): (1, nil)
                    default: (0, 1)
                    }
                try applyRepeat(min: min, max: max, start: start, lastRepeat: lastRepeat)
                thisRepeat = start
            case UInt8(ascii: "{"):
                let start = pos
                guard let (min, max, end) = parseRepeatBraces(at: pos) else {
                    push(.scalars(literalSet(UInt32(c))))
                    pos += 1
                    break
                }
                if min < 0 || min > RegexParser.maxRepeat || (max ?? 0) > RegexParser.maxRepeat
                    || (max.map { min > $0 } ?? false)
                {
                    throw error(.invalidRepeatSize, start, end, note: "repeat counts must be between 0 and 1000")
                }
                pos = end
                try applyRepeat(min: min, max: max, start: start, lastRepeat: lastRepeat)
                thisRepeat = start
            case UInt8(ascii: "\\"):
                try parseBackslash()
            default:
                let (v, n) = scalar(at: pos)
                push(.scalars(literalSet(v)))
                pos += n
            }
            lastRepeat = thisRepeat
        }
        if stack.count > 1, let open = stack.last {
            throw error(.missingParen, open.openOffset, open.openOffset + open.openLength)
        }
        finishBranch()
        let result = Parser.makeAlternation(stack[0].alternatives)
        if result.programSize > RegexParser.maxProgramSize {
            throw error(
                .tooLarge, 0, bytes.count,
                note: "the expanded program has more than \(RegexParser.maxProgramSize) instructions")
        }
        return result
    }

    // MARK: Concatenation and alternation

    static func makeConcat(_ items: [Regex]) -> Regex {
        var flat: [Regex] = []
        for item in items {
            if case .concat(let inner) = item {
                flat.append(contentsOf: inner)
            } else if case .empty = item {
                continue
            } else {
                flat.append(item)
            }
        }
        switch flat.count {
        case 0: return .empty
        case 1: return flat[0]
        default: return .concat(flat)
        }
    }

    static func makeAlternation(_ items: [Regex]) -> Regex {
        var flat: [Regex] = []
        for item in items {
            if case .alternation(let inner) = item, !inner.isEmpty {
                flat.append(contentsOf: inner)
            } else {
                flat.append(item)
            }
        }
        return flat.count == 1 ? flat[0] : .alternation(flat)
    }

    mutating func finishBranch() {
        let top = stack.count - 1
        stack[top].alternatives.append(Parser.makeConcat(stack[top].items))
        stack[top].items = []
    }

    // MARK: Groups

    mutating func openGroup() throws(RegexSyntaxError) {
        let start = pos
        if stack.count > RegexParser.maxNestingDepth {
            throw error(
                .nestingDepth, start, start + 1, note: "groups nest more than \(RegexParser.maxNestingDepth) deep")
        }
        guard isByte(pos + 1, "?") else {
            captureCount += 1
            stack.append(
                Frame(
                    kind: .capture(index: captureCount, name: nil), savedFlags: flags, openOffset: start, openLength: 1)
            )
            pos += 1
            return
        }
        // Named captures: (?P<name>re) and (?<name>re).
        let startsWithP = isByte(pos + 2, "P") && isByte(pos + 3, "<")
        let startsWithName = isByte(pos + 2, "<") && !isByte(pos + 3, "=") && !isByte(pos + 3, "!")
        if startsWithP || startsWithName {
            let nameStart = pos + (startsWithP ? 4 : 3)
            guard let close = bytes[nameStart...].firstIndex(of: UInt8(ascii: ">")) else {
                throw error(.invalidNamedCapture, start, bytes.count, note: "the group name has no closing `>`")
            }
            let name = String(decoding: bytes[nameStart..<close], as: UTF8.self)
            let valid = !name.isEmpty && name.utf8.allSatisfy { ASCIIClasses.isWordByte($0) }
            if !valid {
                throw error(.invalidNamedCapture, start, close + 1, note: "group names use letters, digits and `_`")
            }
            if names.contains(name) {
                throw error(.invalidNamedCapture, start, close + 1, note: "the group name `\(name)` is already used")
            }
            names.insert(name)
            captureCount += 1
            stack.append(
                Frame(
                    kind: .capture(index: captureCount, name: name), savedFlags: flags, openOffset: start,
                    openLength: close + 1 - start))
            pos = close + 1
            return
        }
        // Look-around and other Perl groups RE2 does not have: name them in the note.
        let unsupported: [(String, String)] = [
            ("(?=", "lookahead assertions are not supported by RE2"),
            ("(?!", "negative lookahead assertions are not supported by RE2"),
            ("(?<=", "lookbehind assertions are not supported by RE2"),
            ("(?<!", "negative lookbehind assertions are not supported by RE2"),
            ("(?>", "atomic groups are not supported by RE2"),
            ("(?#", "comments are not supported by RE2"),
            ("(?P=", "backreferences are not supported by RE2"),
            ("(?P>", "recursion is not supported by RE2"),
            ("(?|", "branch reset groups are not supported by RE2"),
        ]
        for (prefix, note) in unsupported where hasPrefix(prefix, at: pos) {
            throw error(.invalidPerlOp, start, start + prefix.utf8.count, note: note)
        }
        // Flags, possibly opening a non-capturing group: (?i) (?i-s:re) (?:re).
        var t = pos + 2
        var newFlags = flags
        var negated = false
        var sawFlag = false
        while t < bytes.count {
            let (c, n) = scalar(at: t)
            t += n
            switch c {
            case UInt32(UInt8(ascii: "i")):
                newFlags.foldCase = !negated
                sawFlag = true
            case UInt32(UInt8(ascii: "m")):
                newFlags.multiLine = !negated
                sawFlag = true
            case UInt32(UInt8(ascii: "s")):
                newFlags.dotNL = !negated
                sawFlag = true
            case UInt32(UInt8(ascii: "U")):
                newFlags.ungreedy = !negated
                sawFlag = true
            case UInt32(UInt8(ascii: "-")):
                if negated { throw error(.invalidPerlOp, start, t, note: "only one `-` is allowed in a flag group") }
                negated = true
                sawFlag = false
            case UInt32(UInt8(ascii: ":")), UInt32(UInt8(ascii: ")")):
                if negated && !sawFlag {
                    throw error(.invalidPerlOp, start, t, note: "`-` must be followed by at least one flag")
                }
                if c == UInt32(UInt8(ascii: ":")) {
                    stack.append(Frame(kind: .plain, savedFlags: flags, openOffset: start, openLength: t - start))
                }
                flags = newFlags
                pos = t
                return
            default:
                throw error(.invalidPerlOp, start, t, note: "RE2 flags are `i`, `m`, `s` and `U`")
            }
        }
        throw error(.invalidPerlOp, start, t, note: "the flag group is not closed")
    }

    func hasPrefix(_ prefix: String, at i: Int) -> Bool {
        let p = Array(prefix.utf8)
        guard i + p.count <= bytes.count else { return false }
        return bytes[i..<(i + p.count)].elementsEqual(p)
    }

    mutating func closeGroup() throws(RegexSyntaxError) {
        guard stack.count > 1 else {
            throw error(.unexpectedParen, pos, pos + 1, note: "there is no open group to close")
        }
        finishBranch()
        guard let frame = stack.popLast() else { return }
        var node = Parser.makeAlternation(frame.alternatives)
        if case .capture(let index, let name) = frame.kind { node = .capture(node, index: index, name: name) }
        flags = frame.savedFlags
        push(node)
        pos += 1
    }

    // MARK: Repetition

    /// `{n}`, `{n,}` or `{n,m}` at `i`: the counts (-1 for a number too big to read) and the end,
    /// or nil when the brace does not start a repetition (then it is a literal `{`).
    func parseRepeatBraces(at i: Int) -> (Int, Int?, Int)? {
        var p = i + 1
        func parseInt() -> Int? {
            guard let d = byte(p), d >= 0x30, d <= 0x39 else { return nil }
            if d == 0x30, let d2 = byte(p + 1), d2 >= 0x30, d2 <= 0x39 { return nil }  // no leading zeros
            var n = 0
            while let d = byte(p), d >= 0x30, d <= 0x39 {
                if n >= 100_000_000 || n < 0 { n = -1 } else { n = n * 10 + Int(d - 0x30) }
                p += 1
            }
            return n
        }
        guard var min = parseInt(), p < bytes.count else { return nil }
        var max: Int? = min
        if bytes[p] == UInt8(ascii: ",") {
            p += 1
            guard p < bytes.count else { return nil }
            if bytes[p] == UInt8(ascii: "}") {
                max = nil
            } else {
                guard let m = parseInt() else { return nil }
                if m < 0 { min = -1 }
                max = m
            }
        }
        guard isByte(p, "}") else { return nil }
        return (min, max, p + 1)
    }

    mutating func applyRepeat(min: Int, max: Int?, start: Int, lastRepeat: Int?) throws(RegexSyntaxError) {
        if isByte(pos, "?") { pos += 1 }  // non-greedy: irrelevant for a full match
        if let lastRepeat {
            let stacked = String(decoding: bytes[lastRepeat..<pos], as: UTF8.self)
            let note =
                stacked.hasSuffix("+") && stacked.count == 2
                ? "possessive quantifiers are not supported by RE2"
                : "repetition operators cannot be stacked; use a group such as `(?:a*)*`"
            throw error(.invalidRepeatOp, lastRepeat, pos, note: note)
        }
        let top = stack.count - 1
        guard let operand = stack[top].items.popLast() else {
            throw error(.missingRepeatArgument, start, pos, note: "nothing precedes the operator")
        }
        let node = Regex.repetition(operand, min: min, max: max)
        if (min >= 2 || (max ?? 0) >= 2) && !Parser.repeatIsValid(node, RegexParser.maxRepeat) {
            throw error(.invalidRepeatSize, start, pos, note: "nested repeat counts multiply to more than 1000")
        }
        if node.programSize > RegexParser.maxProgramSize {
            throw error(
                .tooLarge, start, pos,
                note: "the repetition expands to more than \(RegexParser.maxProgramSize) instructions")
        }
        stack[top].items.append(node)
    }

    /// Go's `repeatIsValid`: the product of nested repeat counts stays within `n`.
    static func repeatIsValid(_ r: Regex, _ n: Int) -> Bool {
        var n = n
        switch r {
        case .repetition(let inner, let min, let max):
            if max == 0 { return true }
            let m = max ?? min
            if m > n { return false }
            if m > 0 { n /= m }
            return repeatIsValid(inner, n)
        case .capture(let inner, _, _): return repeatIsValid(inner, n)
        case .concat(let items), .alternation(let items): return items.allSatisfy { repeatIsValid($0, n) }
        case .empty, .scalars, .assertion: return true
        }
    }

    // MARK: Escapes

    mutating func parseBackslash() throws(RegexSyntaxError) {
        let start = pos
        if let next = byte(pos + 1) {
            switch next {
            case UInt8(ascii: "A"):
                push(.assertion(.beginText))
                pos += 2
                return
            case UInt8(ascii: "z"):
                push(.assertion(.endText))
                pos += 2
                return
            case UInt8(ascii: "b"):
                push(.assertion(.wordBoundary))
                pos += 2
                return
            case UInt8(ascii: "B"):
                push(.assertion(.notWordBoundary))
                pos += 2
                return
            case UInt8(ascii: "C"):
                throw error(
                    .invalidEscape, start, start + 2,
                    note: "`\\C` (any byte) is not supported: Fjord matches whole UTF-8 characters")
            case UInt8(ascii: "Q"):
                // \Q...\E: everything up to \E (or the end) is literal.
                var p = pos + 2
                while p < bytes.count {
                    if bytes[p] == UInt8(ascii: "\\") && isByte(p + 1, "E") {
                        p += 2
                        break
                    }
                    let (v, n) = scalar(at: p)
                    push(.scalars(literalSet(v)))
                    p += n
                }
                pos = p
                return
            case UInt8(ascii: "p"), UInt8(ascii: "P"):
                let (set, end) = try parseUnicodeClass(at: pos)
                push(.scalars(set))
                pos = end
                return
            default:
                if let set = perlClass(at: pos) {
                    push(.scalars(set))
                    pos += 2
                    return
                }
            }
        }
        let (v, end) = try parseEscape(at: pos)
        push(.scalars(literalSet(v)))
        pos = end
    }

    /// `\d \D \s \S \w \W` at `i`, with folding and negation applied.
    func perlClass(at i: Int) -> ScalarSet? {
        guard isByte(i, "\\"), let letter = byte(i + 1), let base = ASCIIClasses.perl(Unicode.Scalar(letter)) else {
            return nil
        }
        let folded = flags.foldCase ? base.caseFolded() : base
        return letter >= 0x61 ? folded : folded.inverted()
    }

    /// `\pL`, `\p{Lu}`, `\PL`, `\p{^L}` at `i`: the set and the end offset.
    func parseUnicodeClass(at i: Int) throws(RegexSyntaxError) -> (ScalarSet, Int) {
        var negated = bytes[i + 1] == UInt8(ascii: "P")
        var p = i + 2
        var name: String
        guard p < bytes.count else {
            throw error(.invalidCharRange, i, p, note: "`\\p` needs a class name such as `\\pL` or `\\p{Lu}`")
        }
        if bytes[p] == UInt8(ascii: "{") {
            guard let close = bytes[(p + 1)...].firstIndex(of: UInt8(ascii: "}")) else {
                throw error(.invalidCharRange, i, bytes.count, note: "the class name has no closing `}`")
            }
            name = String(decoding: bytes[(p + 1)..<close], as: UTF8.self)
            p = close + 1
        } else {
            let (_, n) = scalar(at: p)
            name = String(decoding: bytes[p..<(p + n)], as: UTF8.self)
            p += n
        }
        if name.hasPrefix("^") {
            negated.toggle()
            name.removeFirst()
        }
        guard let base = UnicodeCategories.set(named: name) else {
            throw error(
                .invalidCharRange, i, p,
                note: "unknown Unicode class `\(name)`; Fjord knows the general categories (L, Lu, Ll, Lt, Lm, Lo, "
                    + "M, Mn, Mc, Me, N, Nd, Nl, No, P, Pc, Pd, Ps, Pe, Pi, Pf, Po, S, Sm, Sc, Sk, So, Z, Zs, Zl, "
                    + "Zp, C, Cc, Cf, Cs, Co) and Any, not scripts")
        }
        let folded = flags.foldCase ? base.caseFolded() : base
        return (negated ? folded.inverted() : folded, p)
    }

    /// A single-character escape at `i` (`\n`, `\x41`, `\x{10FFFF}`, `\101`, `\.`): the scalar and end.
    func parseEscape(at i: Int) throws(RegexSyntaxError) -> (UInt32, Int) {
        var p = i + 1
        guard p < bytes.count else {
            throw error(.trailingBackslash, i, i + 1, note: "escape the backslash itself as `\\\\`")
        }
        let (c, n) = scalar(at: p)
        p += n
        func bad(_ note: String? = nil) -> RegexSyntaxError { error(.invalidEscape, i, p, note: note) }
        func octal(_ b: UInt8?) -> Bool { b.map { $0 >= 0x30 && $0 <= 0x37 } ?? false }
        func unhex(_ v: UInt32) -> UInt32? {
            switch v {
            case 0x30...0x39: v - 0x30
            case 0x41...0x46: v - 0x41 + 10
            case 0x61...0x66: v - 0x61 + 10
            default: nil
            }
        }
        switch c {
        case 0x31...0x37 where !octal(byte(p)), 0x38, 0x39:
            throw bad("backreferences are not supported by RE2")
        case 0x30...0x37:
            // Up to three octal digits in all.
            var value = c - 0x30
            for _ in 0..<2 {
                guard octal(byte(p)) else { break }
                value = value * 8 + UInt32(bytes[p] - 0x30)
                p += 1
            }
            return (value, p)
        case UInt32(UInt8(ascii: "x")):
            guard p < bytes.count else { throw bad("`\\x` takes two hex digits or `{...}`") }
            let (c1, n1) = scalar(at: p)
            p += n1
            if c1 == UInt32(UInt8(ascii: "{")) {
                var value: UInt32 = 0
                var digits = 0
                while true {
                    guard p < bytes.count else { throw bad("the `\\x{` escape has no closing `}`") }
                    let (d, dn) = scalar(at: p)
                    p += dn
                    if d == UInt32(UInt8(ascii: "}")) { break }
                    guard let v = unhex(d) else { throw bad("`\\x{...}` takes hex digits only") }
                    value = value * 16 + v
                    if value > ScalarSet.maxScalar { throw bad("the value is above U+10FFFF") }
                    digits += 1
                }
                if digits == 0 { throw bad("`\\x{}` needs at least one hex digit") }
                return (value, p)
            }
            guard let x = unhex(c1) else {
                if p < bytes.count { p += scalar(at: p).length }
                throw bad("`\\x` takes two hex digits or `{...}`")
            }
            guard p < bytes.count else { throw bad("`\\x` takes two hex digits or `{...}`") }
            let (c2, n2) = scalar(at: p)
            p += n2
            guard let y = unhex(c2) else { throw bad("`\\x` takes two hex digits or `{...}`") }
            return (x * 16 + y, p)
        case UInt32(UInt8(ascii: "a")): return (7, p)
        case UInt32(UInt8(ascii: "f")): return (12, p)
        case UInt32(UInt8(ascii: "n")): return (10, p)
        case UInt32(UInt8(ascii: "r")): return (13, p)
        case UInt32(UInt8(ascii: "t")): return (9, p)
        case UInt32(UInt8(ascii: "v")): return (11, p)
        case UInt32(UInt8(ascii: "Z")):
            throw bad("RE2 has no `\\Z`; use `\\z` or `$` (full-match semantics need neither)")
        case UInt32(UInt8(ascii: "b")), UInt32(UInt8(ascii: "B")):
            throw bad(
                "`\\b` is an assertion, not a character, and is not allowed in a class; use `\\x08` for backspace")
        default:
            let isAlnum = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
            if c < 0x80 && !isAlnum { return (c, p) }
            throw bad()
        }
    }

    // MARK: Classes

    /// `[...]` at `pos`; leaves `pos` after the closing `]`.
    mutating func parseClass() throws(RegexSyntaxError) -> ScalarSet {
        let start = pos
        var p = pos + 1
        var negated = false
        if isByte(p, "^") {
            negated = true
            p += 1
        }
        var ranges: [ClosedRange<UInt32>] = []
        var groups: [ScalarSet] = []
        var first = true
        while p >= bytes.count || bytes[p] != UInt8(ascii: "]") || first {
            guard p < bytes.count else {
                throw error(.missingBracket, start, bytes.count, note: "the class opened here is not closed")
            }
            first = false
            // [:alpha:] and [:^alpha:]
            if bytes[p] == UInt8(ascii: "["), isByte(p + 1, ":"), let (set, end) = try posixClass(at: p) {
                groups.append(set)
                p = end
                continue
            }
            if bytes[p] == UInt8(ascii: "\\"), let next = byte(p + 1) {
                if next == UInt8(ascii: "p") || next == UInt8(ascii: "P") {
                    let (set, end) = try parseUnicodeClass(at: p)
                    groups.append(set)
                    p = end
                    continue
                }
                if let set = perlClass(at: p) {
                    groups.append(set)
                    p += 2
                    continue
                }
            }
            let rangeStart = p
            let lo = try classChar(at: &p, classStart: start)
            var hi = lo
            if isByte(p, "-"), let after = byte(p + 1), after != UInt8(ascii: "]") {
                p += 1
                hi = try classChar(at: &p, classStart: start)
                if hi < lo {
                    throw error(.invalidCharRange, rangeStart, p, note: "the range ends before it starts")
                }
            }
            ranges.append(lo...hi)
        }
        pos = p + 1
        var set = ScalarSet(ranges: ranges)
        if flags.foldCase { set = set.caseFolded() }
        for g in groups { set = set.union(g) }
        return negated ? set.inverted() : set
    }

    func classChar(at p: inout Int, classStart: Int) throws(RegexSyntaxError) -> UInt32 {
        guard p < bytes.count else {
            throw error(.missingBracket, classStart, bytes.count, note: "the class opened here is not closed")
        }
        if bytes[p] == UInt8(ascii: "\\") {
            let (v, end) = try parseEscape(at: p)
            p = end
            return v
        }
        let (v, n) = scalar(at: p)
        p += n
        return v
    }

    /// `[:name:]` at `i`, or nil when no `:]` follows (then `[` is an ordinary character).
    func posixClass(at i: Int) throws(RegexSyntaxError) -> (ScalarSet, Int)? {
        var q = i + 2
        while q + 1 < bytes.count, !(bytes[q] == UInt8(ascii: ":") && bytes[q + 1] == UInt8(ascii: "]")) { q += 1 }
        guard q + 1 < bytes.count else { return nil }
        var name = String(decoding: bytes[(i + 2)..<q], as: UTF8.self)
        let end = q + 2
        var negated = false
        if name.hasPrefix("^") {
            negated = true
            name.removeFirst()
        }
        guard let base = ASCIIClasses.posix[name] else {
            throw error(
                .invalidCharRange, i, end,
                note: "POSIX classes are alnum, alpha, ascii, blank, cntrl, digit, graph, lower, print, punct, "
                    + "space, upper, word and xdigit")
        }
        let folded = flags.foldCase ? base.caseFolded() : base
        return (negated ? folded.inverted() : folded, end)
    }
}
