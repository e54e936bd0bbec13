/// A parsed RE2 regular expression.
///
/// The tree is already desugared: literals and classes are `scalars` sets with `(?i)` folding
/// applied, `.` is a set (with or without `\n` depending on `(?s)`), `^`/`$` are assertions chosen
/// by `(?m)`, `+`, `*`, `?` and `{n,m}` are all `repetition`, and greediness is gone (it cannot
/// change whether a full match exists). Captures are kept (for rewrites that use `\1`) but do not
/// affect matching.
///
/// Semantics are full-match: `fullMatch` holds when the whole input is matched, as Envoy's
/// `RE2::FullMatch` requires for VirtualService `regex` matches.
public indirect enum Regex: Sendable, Hashable {
    /// Matches the empty string.
    case empty
    /// Matches one scalar from the set (an empty set matches nothing).
    case scalars(ScalarSet)
    /// Matches the items in order.
    case concat([Regex])
    /// Matches any one of the alternatives (an empty list matches nothing).
    case alternation([Regex])
    /// Matches `min` to `max` repetitions (`max == nil` for no upper bound). A negative `min`
    /// counts as 0; a `max` below `min` matches nothing. The parser never produces either, and
    /// it enforces RE2's count limits, which constructed values are trusted to respect.
    case repetition(Regex, min: Int, max: Int?)
    /// A zero-width assertion.
    case assertion(Assertion)
    /// A capturing group (`index` counts from 1, in order of the opening parentheses).
    case capture(Regex, index: Int, name: String?)

    /// Zero-width assertions. `^` and `$` become `beginText`/`endText` without `(?m)` and
    /// `beginLine`/`endLine` with it.
    public enum Assertion: Sendable, Hashable {
        /// `\A`, or `^` without `(?m)`: only at offset 0.
        case beginText
        /// `\z`, or `$` without `(?m)`: only at the end (RE2 has no Perl `\Z` behaviour).
        case endText
        /// `(?m)^`: at offset 0 or just after `\n`.
        case beginLine
        /// `(?m)$`: at the end or just before `\n`.
        case endLine
        /// `\b`: between an ASCII word character and a non-word character (or an end).
        case wordBoundary
        /// `\B`: not at a word boundary.
        case notWordBoundary
    }

    /// The regex that matches exactly `text` (no folding).
    public static func literal(_ text: String) -> Regex {
        let items = text.unicodeScalars.map { Regex.scalars(ScalarSet($0)) }
        switch items.count {
        case 0: return .empty
        case 1: return items[0]
        default: return .concat(items)
        }
    }

    /// The regex that matches nothing.
    public static let never: Regex = .scalars(.empty)

    /// When the regex matches exactly one fixed string (a concatenation of single scalars), it.
    public var literalString: String? {
        switch self {
        case .empty: return ""
        case .scalars(let set): return set.singleScalar.map { String(Character($0)) }
        case .capture(let inner, _, _): return inner.literalString
        case .concat(let items):
            var out = String.UnicodeScalarView()
            for item in items {
                guard let s = item.literalString else { return nil }
                out.append(contentsOf: s.unicodeScalars)
            }
            return String(out)
        default: return nil
        }
    }

    /// Size of the program a Thompson construction over scalars would need: each class or
    /// literal counts its number of ranges (at least 1), each alternative and loop 1, and counted
    /// repetitions are expanded. `RegexParser` rejects patterns above `RegexParser.maxProgramSize`.
    public var programSize: Int {
        switch self {
        case .empty: return 0
        case .scalars(let set): return max(1, set.ranges.count)
        case .assertion: return 1
        case .capture(let inner, _, _): return inner.programSize
        case .concat(let items): return items.reduce(0) { $0 + $1.programSize }
        case .alternation(let items): return items.reduce(max(0, items.count - 1)) { $0 + $1.programSize }
        case .repetition(let inner, let min0, let max):
            let body = inner.programSize
            let min = Swift.max(0, min0)
            if let max, max < min { return 1 }
            if let max {
                return Regex.saturatingAdd(Regex.saturatingMul(body, min), Regex.saturatingMul(body + 1, max - min))
            }
            return Regex.saturatingAdd(Regex.saturatingMul(body, Swift.max(min, 1)), 1)
        }
    }

    static func saturatingMul(_ a: Int, _ b: Int) -> Int {
        let (r, o) = a.multipliedReportingOverflow(by: b)
        return o ? Int.max : r
    }

    static func saturatingAdd(_ a: Int, _ b: Int) -> Int {
        let (r, o) = a.addingReportingOverflow(b)
        return o ? Int.max : r
    }

    /// The assertions used anywhere in the regex.
    var assertionsUsed: Set<Assertion> {
        var out: Set<Assertion> = []
        func walk(_ r: Regex) {
            switch r {
            case .empty, .scalars: break
            case .assertion(let a): out.insert(a)
            case .capture(let inner, _, _), .repetition(let inner, _, _): walk(inner)
            case .concat(let items), .alternation(let items): items.forEach(walk)
            }
        }
        walk(self)
        return out
    }
}

extension Regex: CustomStringConvertible {
    /// The regex in RE2 syntax; parsing it back gives an equivalent regex.
    public var description: String { RegexPrinter.print(self) }
}

/// Prints a `Regex` back to RE2 syntax.
enum RegexPrinter {
    static func print(_ r: Regex) -> String {
        switch r {
        case .empty: return "(?:)"
        case .scalars(let set): return set.description
        case .assertion(let a):
            switch a {
            case .beginText: return "\\A"
            case .endText: return "\\z"
            case .beginLine: return "(?m:^)"
            case .endLine: return "(?m:$)"
            case .wordBoundary: return "\\b"
            case .notWordBoundary: return "\\B"
            }
        case .capture(let inner, _, let name):
            if let name { return "(?P<\(name)>\(print(inner)))" }
            return "(\(print(inner)))"
        case .concat(let items):
            if items.isEmpty { return "(?:)" }
            return items.map { item in
                if case .alternation = item { return "(?:\(print(item)))" }
                return print(item)
            }.joined()
        case .alternation(let items):
            if items.isEmpty { return "[^\\x00-\\x{10FFFF}]" }
            return items.map(print).joined(separator: "|")
        case .repetition(let inner, let min, let max):
            var body = print(inner)
            switch inner {
            case .scalars, .capture: break
            default: body = "(?:\(body))"
            }
            switch (min, max) {
            case (0, nil): return body + "*"
            case (1, nil): return body + "+"
            case (0, 1): return body + "?"
            case (let m, nil): return body + "{\(m),}"
            case (let m, let n?) where m == n: return body + "{\(m)}"
            case (let m, let n?): return body + "{\(m),\(n)}"
            }
        }
    }

    static func escapeLiteral(_ s: Unicode.Scalar) -> String {
        if s.value < 0x80, "\\.+*?()|[]{}^$".unicodeScalars.contains(s) { return "\\" + String(Character(s)) }
        return escapePrintable(s.value)
    }

    static func escapeInClass(_ v: UInt32) -> String {
        if let s = Unicode.Scalar(v), v < 0x80, "\\[]^-".unicodeScalars.contains(s) {
            return "\\" + String(Character(s))
        }
        return escapePrintable(v)
    }

    private static func escapePrintable(_ v: UInt32) -> String {
        if v >= 0x21 && v < 0x7F, let s = Unicode.Scalar(v) { return String(Character(s)) }
        if v < 0x100 {
            let hex = String(v, radix: 16, uppercase: true)
            return "\\x" + (hex.count == 1 ? "0" + hex : hex)
        }
        return "\\x{" + String(v, radix: 16, uppercase: true) + "}"
    }
}
