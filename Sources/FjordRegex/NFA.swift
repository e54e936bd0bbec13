/// A pattern a multi-pattern automaton classifies inputs against. Every pattern is anchored at
/// both ends: it must account for the whole input.
public enum Pattern: Sendable, Hashable {
    /// A regex, full-match, over the UTF-8 bytes of the input.
    case regex(Regex)
    /// Exactly these bytes; `caseInsensitive` folds ASCII letters only (as Envoy's
    /// `ignore_case` and Istio's `ignoreUriCase` do).
    case exact([UInt8], caseInsensitive: Bool)
    /// These bytes followed by anything (any bytes, valid UTF-8 or not).
    case prefix([UInt8], caseInsensitive: Bool)

    /// `exact` for the UTF-8 bytes of `text`.
    public static func exact(_ text: String, caseInsensitive: Bool = false) -> Pattern {
        .exact(Array(text.utf8), caseInsensitive: caseInsensitive)
    }

    /// `prefix` for the UTF-8 bytes of `text`.
    public static func prefix(_ text: String, caseInsensitive: Bool = false) -> Pattern {
        .prefix(Array(text.utf8), caseInsensitive: caseInsensitive)
    }
}

/// A Thompson NFA over bytes, for one or many patterns.
///
/// Scalar sets compile to UTF-8 byte-sequence automata (suffixes shared); sets holding U+FFFD
/// also accept each ill-formed UTF-8 unit (see `UTF8Ranges.invalidUnits`), which needs a
/// one-byte lookahead. Assertions (`^ $ \A \z \b \B`) look at the previous and next byte only.
/// Each pattern ends in a `match` state labelled with its index.
public struct NFA: Sendable {
    enum Op: UInt8, Sendable {
        /// Consume a byte in `lo...hi`, go to `out`.
        case byteRange
        /// Go to `out` and to `out1` without consuming.
        case split
        /// Go to `out` when the assertion whose raw value is `lo` holds.
        case assert
        /// Go to `out` when the next byte is not in `lookaheadSets[out1]` or the input ends.
        case lookahead
        /// Pattern `out1` accepts here.
        case match
        /// Dead end.
        case fail
    }

    struct State: Sendable {
        var op: Op
        var lo: UInt8 = 0
        var hi: UInt8 = 0
        var out: Int32 = -1
        var out1: Int32 = -1
    }

    enum AssertKind: UInt8, Sendable {
        case beginText, endText, beginLine, endLine, wordBoundary, notWordBoundary
    }

    var states: [State]
    var start: Int32
    var lookaheadSets: [ByteSet]
    /// Number of patterns (match labels run from 0 to `patternCount - 1`).
    public let patternCount: Int
    /// Whether some assertion needs to know that the previous byte was `\n`.
    let usesPreviousNewline: Bool
    /// Whether some assertion needs to know that the previous byte was a word byte.
    let usesPreviousWord: Bool
    /// Whether some state looks at the next byte (`(?m)$`, `\b`, `\B`, ill-formed UTF-8 units).
    let usesLookahead: Bool

    /// Number of states.
    public var stateCount: Int { states.count }

    /// The NFA for one regex (pattern index 0).
    public init(_ regex: Regex) {
        self.init(patterns: [.regex(regex)])
    }

    /// The NFA accepting pattern `i` in a `match` state labelled `i`.
    public init(patterns: [Pattern]) {
        var b = NFABuilder()
        var entries: [Int32] = []
        for (i, p) in patterns.enumerated() {
            let m = b.add(State(op: .match, out1: Int32(i)))
            switch p {
            case .regex(let r): entries.append(b.compile(r, next: m))
            case .exact(let bytes, let ci): entries.append(b.compileBytes(bytes, caseInsensitive: ci, next: m))
            case .prefix(let bytes, let ci):
                // bytes, then any bytes: loop = split(anyByte -> loop, match)
                let loop = b.add(State(op: .split))
                let any = b.add(State(op: .byteRange, lo: 0, hi: 255, out: loop))
                b.states[Int(loop)].out = any
                b.states[Int(loop)].out1 = m
                entries.append(b.compileBytes(bytes, caseInsensitive: ci, next: loop))
            }
        }
        start = b.alternate(entries)
        states = b.states
        lookaheadSets = b.lookaheadSets
        patternCount = patterns.count
        var prevNewline = false
        var prevWord = false
        var lookahead = false
        for s in b.states {
            switch s.op {
            case .lookahead: lookahead = true
            case .assert:
                switch AssertKind(rawValue: s.lo) {
                case .beginLine: prevNewline = true
                case .endLine: lookahead = true
                case .wordBoundary, .notWordBoundary:
                    prevWord = true
                    lookahead = true
                default: break
                }
            default: break
            }
        }
        usesPreviousNewline = prevNewline
        usesPreviousWord = prevWord
        usesLookahead = lookahead
    }

    /// What an assertion may look at: the bytes either side of the current position.
    struct Context {
        var atStart: Bool
        var previous: UInt8
        var atEnd: Bool
        var next: UInt8
    }

    @inline(__always)
    func holds(_ kind: AssertKind, _ c: Context) -> Bool {
        switch kind {
        case .beginText: return c.atStart
        case .endText: return c.atEnd
        case .beginLine: return c.atStart || c.previous == 10
        case .endLine: return c.atEnd || c.next == 10
        case .wordBoundary, .notWordBoundary:
            let before = !c.atStart && ASCIIClasses.isWordByte(c.previous)
            let after = !c.atEnd && ASCIIClasses.isWordByte(c.next)
            return (before != after) == (kind == .wordBoundary)
        }
    }

    /// Adds the epsilon closure of the states in `kernel` to `closed` (which the caller clears),
    /// using `stack` as scratch. Allocation-free once the buffers have their capacity.
    func closure(of kernel: SparseSet, into closed: inout SparseSet, stack: inout [Int32], _ c: Context) {
        stack.removeAll(keepingCapacity: true)
        for i in 0..<kernel.count {
            let s = kernel.dense[i]
            if closed.insert(s) { stack.append(s) }
        }
        while let s = stack.popLast() {
            let st = states[Int(s)]
            switch st.op {
            case .split:
                if closed.insert(st.out) { stack.append(st.out) }
                if closed.insert(st.out1) { stack.append(st.out1) }
            case .assert:
                if let kind = AssertKind(rawValue: st.lo), holds(kind, c), closed.insert(st.out) {
                    stack.append(st.out)
                }
            case .lookahead:
                if c.atEnd || !lookaheadSets[Int(st.out1)].contains(c.next), closed.insert(st.out) {
                    stack.append(st.out)
                }
            case .byteRange, .match, .fail:
                break
            }
        }
    }

    /// Whether state `st` (an `assert` or `lookahead`) can only be decided knowing the next byte.
    @inline(__always)
    func dependsOnNextByte(_ st: State) -> Bool {
        switch st.op {
        case .lookahead: return true
        case .assert:
            switch AssertKind(rawValue: st.lo) {
            case .endLine, .wordBoundary, .notWordBoundary: return true
            default: return false
            }
        default: return false
        }
    }

    /// Like `closure`, for a position that is not the end of the input and whose next byte is
    /// not yet known: states whose condition depends on the next byte are not followed but
    /// appended to `pending`, for `extendClosure` to resolve once per byte class.
    func closureDeferringNextByte(
        of kernel: SparseSet, into closed: inout SparseSet, stack: inout [Int32], pending: inout [Int32], _ c: Context
    ) {
        stack.removeAll(keepingCapacity: true)
        pending.removeAll(keepingCapacity: true)
        for i in 0..<kernel.count {
            let s = kernel.dense[i]
            if closed.insert(s) { stack.append(s) }
        }
        while let s = stack.popLast() {
            let st = states[Int(s)]
            if dependsOnNextByte(st) {
                pending.append(s)
                continue
            }
            switch st.op {
            case .split:
                if closed.insert(st.out) { stack.append(st.out) }
                if closed.insert(st.out1) { stack.append(st.out1) }
            case .assert:
                if let kind = AssertKind(rawValue: st.lo), holds(kind, c), closed.insert(st.out) {
                    stack.append(st.out)
                }
            case .lookahead, .byteRange, .match, .fail:
                break
            }
        }
    }

    /// The states a `closureDeferringNextByte` result `base` gains once the next byte is known
    /// (`c.next`): those reached through the `pending` states whose condition holds. They go to
    /// `extra` (which the caller clears); states already in `base` are not revisited.
    func extendClosure(
        base: SparseSet, pending: [Int32], into extra: inout SparseSet, stack: inout [Int32], _ c: Context
    ) {
        stack.removeAll(keepingCapacity: true)
        func visit(_ t: Int32, _ extra: inout SparseSet, _ stack: inout [Int32]) {
            if !base.contains(t) && extra.insert(t) { stack.append(t) }
        }
        for p in pending {
            let st = states[Int(p)]
            if passes(st, c) { visit(st.out, &extra, &stack) }
        }
        while let s = stack.popLast() {
            let st = states[Int(s)]
            switch st.op {
            case .split:
                visit(st.out, &extra, &stack)
                visit(st.out1, &extra, &stack)
            case .assert, .lookahead:
                if passes(st, c) { visit(st.out, &extra, &stack) }
            case .byteRange, .match, .fail:
                break
            }
        }
    }

    /// Whether the condition of an `assert` or `lookahead` state holds in context `c`.
    @inline(__always)
    func passes(_ st: State, _ c: Context) -> Bool {
        switch st.op {
        case .assert: return AssertKind(rawValue: st.lo).map { holds($0, c) } ?? false
        case .lookahead: return c.atEnd || !lookaheadSets[Int(st.out1)].contains(c.next)
        default: return false
        }
    }
}

/// Builds NFA states back to front: `compile(r, next:)` returns the entry of a fragment that
/// matches `r` and continues at `next`.
struct NFABuilder {
    var states: [NFA.State] = []
    var lookaheadSets: [ByteSet] = []
    var lookaheadIndex: [ClosedRange<UInt8>: Int32] = [:]
    /// Shared byte-range states: (lo, hi, out) -> state.
    var byteStateCache: [Int64: Int32] = [:]

    mutating func add(_ s: NFA.State) -> Int32 {
        states.append(s)
        return Int32(states.count - 1)
    }

    mutating func byteState(_ r: ClosedRange<UInt8>, _ next: Int32) -> Int32 {
        let key = (Int64(r.lowerBound) << 40) | (Int64(r.upperBound) << 32) | Int64(next)
        if let s = byteStateCache[key] { return s }
        let s = add(NFA.State(op: .byteRange, lo: r.lowerBound, hi: r.upperBound, out: next))
        byteStateCache[key] = s
        return s
    }

    /// A fragment that can go to any of `entries` (a fail state when there is none).
    mutating func alternate(_ entries: [Int32]) -> Int32 {
        guard var acc = entries.last else { return add(NFA.State(op: .fail)) }
        for e in entries.dropLast().reversed() { acc = add(NFA.State(op: .split, out: e, out1: acc)) }
        return acc
    }

    mutating func compile(_ r: Regex, next: Int32) -> Int32 {
        switch r {
        case .empty:
            return next
        case .capture(let inner, _, _):
            return compile(inner, next: next)
        case .scalars(let set):
            return compileSet(set, next: next)
        case .assertion(let a):
            let kind: NFA.AssertKind =
                switch a {
                case .beginText: .beginText
                case .endText: .endText
                case .beginLine: .beginLine
                case .endLine: .endLine
                case .wordBoundary: .wordBoundary
                case .notWordBoundary: .notWordBoundary
                }
            return add(NFA.State(op: .assert, lo: kind.rawValue, out: next))
        case .concat(let items):
            var entry = next
            for item in items.reversed() { entry = compile(item, next: entry) }
            return entry
        case .alternation(let items):
            return alternate(items.map { compile($0, next: next) })
        case .repetition(let inner, let min0, let max):
            let min = Swift.max(0, min0)
            if let max, max < min { return add(NFA.State(op: .fail)) }
            // Optional tail first (built back to front), then `min` mandatory copies.
            var tail: Int32
            if let max {
                tail = next
                for _ in 0..<(max - min) {
                    let body = compile(inner, next: tail)
                    tail = add(NFA.State(op: .split, out: body, out1: next))
                }
            } else {
                let loop = add(NFA.State(op: .split))
                let body = compile(inner, next: loop)
                states[Int(loop)].out = body
                states[Int(loop)].out1 = next
                tail = loop
            }
            var entry = tail
            for _ in 0..<min { entry = compile(inner, next: entry) }
            return entry
        }
    }

    mutating func compileSet(_ set: ScalarSet, next: Int32) -> Int32 {
        var entries: [Int32] = []
        var seen: Set<Int32> = []
        func addEntry(_ e: Int32) { if seen.insert(e).inserted { entries.append(e) } }
        for r in set.ranges {
            for seq in UTF8Ranges.sequences(r) {
                var s = next
                for br in seq.reversed() { s = byteState(br, s) }
                addEntry(s)
            }
        }
        if set.contains(0xFFFD) {
            for unit in UTF8Ranges.invalidUnits {
                var s = next
                if let la = unit.notFollowedBy { s = add(NFA.State(op: .lookahead, out: next, out1: lookahead(la))) }
                for br in unit.path.reversed() { s = byteState(br, s) }
                addEntry(s)
            }
        }
        return alternate(entries)
    }

    mutating func lookahead(_ r: ClosedRange<UInt8>) -> Int32 {
        if let i = lookaheadIndex[r] { return i }
        lookaheadSets.append(ByteSet(r))
        let i = Int32(lookaheadSets.count - 1)
        lookaheadIndex[r] = i
        return i
    }

    mutating func compileBytes(_ bytes: [UInt8], caseInsensitive: Bool, next: Int32) -> Int32 {
        var entry = next
        for b in bytes.reversed() {
            let lower = b | 0x20
            if caseInsensitive && lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z") {
                let upperState = byteState(lower - 0x20...lower - 0x20, entry)
                let lowerState = byteState(lower...lower, entry)
                entry = add(NFA.State(op: .split, out: upperState, out1: lowerState))
            } else {
                entry = byteState(b...b, entry)
            }
        }
        return entry
    }
}

/// A set of small integers with O(1) insert, membership and clear (Briggs and Torczon).
struct SparseSet: Sendable {
    var dense: [Int32]
    var sparse: [Int32]
    var count = 0

    init(capacity: Int) {
        dense = Array(repeating: 0, count: capacity)
        sparse = Array(repeating: 0, count: capacity)
    }

    @inline(__always)
    func contains(_ x: Int32) -> Bool {
        let i = Int(sparse[Int(x)])
        return i < count && dense[i] == x
    }

    /// Inserts `x`; returns whether it was new.
    @inline(__always)
    mutating func insert(_ x: Int32) -> Bool {
        if contains(x) { return false }
        dense[count] = x
        sparse[Int(x)] = Int32(count)
        count += 1
        return true
    }

    @inline(__always)
    mutating func removeAll() { count = 0 }
}
