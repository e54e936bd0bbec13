/// The reference matcher: the obviously-correct definition of what a `Regex` matches, used by the
/// naive evaluator (the oracle) and as the specification the automata are tested against.
///
/// Algorithm: a position-set simulation over the AST. For an input of `n` scalars, each node is a
/// function from a set of start positions (0...n) to the set of end positions it can reach:
///
/// - `scalars(S)`: `{ i + 1 | i in starts, i < n, input[i] in S }`
/// - `concat(a, b, ...)`: the functions composed left to right
/// - `alternation(a, b, ...)`: the union of the alternatives' results
/// - `repetition(x, min, max)`: `x` applied exactly `min` times, then the union of further
///   applications up to `max` (or until no new position appears, which takes at most `n + 1`
///   rounds, so `x*` over a nullable `x` terminates)
/// - assertions: the start positions where the assertion holds
///
/// The regex matches fully when `n` is in the result for the start set `{0}`. Every step is a set
/// operation on at most `n + 1` positions, so the cost is polynomial: O(program size × n²/64)
/// at worst, with no backtracking.
extension Regex {
    /// Whether the regex matches all of `text` (RE2 `FullMatch`).
    public func fullMatch(_ text: String) -> Bool {
        ReferenceMatcher(input: Array(text.unicodeScalars)).fullMatch(self)
    }

    /// Whether the regex matches all of `bytes`, read as UTF-8.
    ///
    /// Ill-formed UTF-8 is decoded the way the standard library's `String(decoding:as:)` does:
    /// each maximal ill-formed subsequence (a byte that cannot start a sequence, or the longest
    /// prefix of a valid sequence that is cut short) reads as one U+FFFD, which `.`, negated
    /// classes and `\x{FFFD}` match.
    public func fullMatch(utf8 bytes: some Collection<UInt8>) -> Bool {
        fullMatch(String(decoding: bytes, as: UTF8.self))
    }
}

/// A set of input positions `0...n`, as a bit set.
struct PositionSet: Equatable {
    private(set) var words: [UInt64]

    init(capacity n: Int) { words = Array(repeating: 0, count: n / 64 + 1) }

    var isEmpty: Bool { words.allSatisfy { $0 == 0 } }

    func contains(_ i: Int) -> Bool { words[i >> 6] & (1 << UInt64(i & 63)) != 0 }

    mutating func insert(_ i: Int) { words[i >> 6] |= 1 << UInt64(i & 63) }

    mutating func formUnion(_ other: PositionSet) {
        for k in words.indices { words[k] |= other.words[k] }
    }

    func subtracting(_ other: PositionSet) -> PositionSet {
        var out = self
        for k in words.indices { out.words[k] &= ~other.words[k] }
        return out
    }

    /// The members in increasing order.
    var members: [Int] {
        var out: [Int] = []
        for (k, w) in words.enumerated() where w != 0 {
            for bit in 0..<64 where w & (1 << UInt64(bit)) != 0 { out.append(k * 64 + bit) }
        }
        return out
    }
}

struct ReferenceMatcher {
    let input: [Unicode.Scalar]

    var n: Int { input.count }

    func fullMatch(_ regex: Regex) -> Bool {
        var start = PositionSet(capacity: n)
        start.insert(0)
        return ends(regex, from: start).contains(n)
    }

    /// The positions where a match of `r` can end, starting from any position in `starts`.
    func ends(_ r: Regex, from starts: PositionSet) -> PositionSet {
        switch r {
        case .empty:
            return starts
        case .scalars(let set):
            var out = PositionSet(capacity: n)
            for i in starts.members where i < n && set.contains(input[i]) { out.insert(i + 1) }
            return out
        case .concat(let items):
            var current = starts
            for item in items {
                if current.isEmpty { break }
                current = ends(item, from: current)
            }
            return current
        case .alternation(let items):
            var out = PositionSet(capacity: n)
            for item in items { out.formUnion(ends(item, from: starts)) }
            return out
        case .capture(let inner, _, _):
            return ends(inner, from: starts)
        case .assertion(let a):
            var out = PositionSet(capacity: n)
            for i in starts.members where holds(a, at: i) { out.insert(i) }
            return out
        case .repetition(let inner, let min0, let max):
            let min = Swift.max(0, min0)
            if let max, max < min { return PositionSet(capacity: n) }
            // Exactly `min` copies (a set that maps to itself stays put, so stop early then).
            var current = starts
            for _ in 0..<min {
                let next = ends(inner, from: current)
                if next == current { break }
                current = next
            }
            if max == min { return current }
            // Up to `max - min` more copies. A position first reached after j extra copies has at
            // least as much budget left as any later arrival, so only new positions are expanded.
            var result = current
            var frontier = current
            var extra = 0
            while max.map({ extra < $0 - min }) ?? true {
                let fresh = ends(inner, from: frontier).subtracting(result)
                if fresh.isEmpty { break }
                result.formUnion(fresh)
                frontier = fresh
                extra += 1
            }
            return result
        }
    }

    /// Whether assertion `a` holds at position `i` (between `input[i - 1]` and `input[i]`).
    func holds(_ a: Regex.Assertion, at i: Int) -> Bool {
        let newline = Unicode.Scalar(10)
        switch a {
        case .beginText: return i == 0
        case .endText: return i == n
        case .beginLine: return i == 0 || input[i - 1] == newline
        case .endLine: return i == n || input[i] == newline
        case .wordBoundary: return isWord(i - 1) != isWord(i)
        case .notWordBoundary: return isWord(i - 1) == isWord(i)
        }
    }

    /// Whether the scalar at `i` exists and is an ASCII word character (`\b` is ASCII in RE2).
    private func isWord(_ i: Int) -> Bool {
        guard i >= 0, i < n, input[i].value < 0x80 else { return false }
        return ASCIIClasses.isWordByte(UInt8(input[i].value))
    }
}
