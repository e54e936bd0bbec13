/// A minimal DFA over bytes that classifies an input against many patterns in one pass.
///
/// Each state carries the sorted list of patterns that accept when the input ends there. The
/// table is dense over byte classes: `transitions[state * classCount + byteClasses[byte]]`.
/// State 0 is the dead state (no pattern can accept any more), so `run` stops early there.
///
/// Construction: Thompson NFA (`NFA`), subset construction with a state budget, Moore partition
/// refinement (initial partition by accept set), then merging byte classes whose columns agree.
public struct MultiDFA: Sendable {
    /// Number of states (including the dead state 0).
    public let stateCount: Int
    /// The byte class of each byte (256 entries).
    public let byteClasses: [UInt8]
    /// Number of byte classes.
    public let classCount: Int
    /// Row-major `stateCount × classCount` transition table.
    public let transitions: [UInt32]
    /// The start state.
    public let start: Int
    /// The dead state (always 0).
    public let deadState: Int = 0
    /// For each state, the sorted indices of the patterns that accept there.
    public let acceptSets: [[Int]]
    /// Number of patterns.
    public let patternCount: Int
    /// States the subset construction produced before minimisation.
    public let subsetStateCount: Int

    /// Default state budget for `build`.
    public static let defaultMaxStates = 4_096

    /// Builds the DFA for `patterns`, or nil when the subset construction would need more than
    /// `maxStates` states (use `NFA(patterns:)` and its simulation then). `minimized: false`
    /// skips minimisation: the automaton classifies inputs the same way (same accept set for
    /// every input) with possibly more states, and builds faster (analysis does not need
    /// minimal tables).
    /// `budget`, when given, bounds the work of the subset construction too (it is charged as
    /// the construction goes, and the build fails once it is spent).
    public static func build(
        patterns: [Pattern], maxStates: Int = defaultMaxStates, minimized: Bool = true, budget: WorkBudget? = nil
    )
        -> MultiDFA?
    {
        let nfa = NFA(patterns: patterns)
        guard let raw = try? SubsetConstruction(nfa: nfa, maxStates: maxStates, budget: budget).run() else {
            return nil
        }
        if minimized { return minimize(raw, patternCount: nfa.patternCount) }
        return MultiDFA(
            stateCount: raw.acceptSets.count, byteClasses: raw.byteClasses, classCount: raw.classCount,
            transitions: raw.transitions, start: raw.start, acceptSets: raw.acceptSets,
            patternCount: nfa.patternCount, subsetStateCount: raw.acceptSets.count)
    }

    /// Builds the DFA for a single regex (pattern 0), or nil over budget.
    public static func build(_ regex: Regex, maxStates: Int = defaultMaxStates) -> MultiDFA? {
        build(patterns: [.regex(regex)], maxStates: maxStates)
    }

    /// Builds the DFA for `patterns`, or throws `DFABuildError.budgetExceeded`.
    public static func make(patterns: [Pattern], maxStates: Int = defaultMaxStates) throws(DFABuildError) -> MultiDFA {
        let nfa = NFA(patterns: patterns)
        return try make(nfa: nfa, maxStates: maxStates)
    }

    /// Determinises `nfa`, or throws `DFABuildError.budgetExceeded`.
    public static func make(nfa: NFA, maxStates: Int = defaultMaxStates) throws(DFABuildError) -> MultiDFA {
        let raw = try SubsetConstruction(nfa: nfa, maxStates: maxStates).run()
        return minimize(raw, patternCount: nfa.patternCount)
    }

    init(
        stateCount: Int, byteClasses: [UInt8], classCount: Int, transitions: [UInt32], start: Int,
        acceptSets: [[Int]], patternCount: Int, subsetStateCount: Int
    ) {
        self.stateCount = stateCount
        self.byteClasses = byteClasses
        self.classCount = classCount
        self.transitions = transitions
        self.start = start
        self.acceptSets = acceptSets
        self.patternCount = patternCount
        self.subsetStateCount = subsetStateCount
    }

    // MARK: Running

    /// The state after reading `bytes` from the start state. Allocation-free.
    @inline(__always)
    public func run(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        transitions.withUnsafeBufferPointer { table in
            byteClasses.withUnsafeBufferPointer { classes in
                var s = start
                let k = classCount
                for b in bytes {
                    s = Int(table[s &* k &+ Int(classes[Int(b)])])
                    if s == 0 { break }
                }
                return s
            }
        }
    }

    /// The state after reading `bytes`.
    public func run(_ bytes: [UInt8]) -> Int { bytes.withUnsafeBufferPointer { run($0) } }

    /// The state after reading the UTF-8 of `text` (no allocation for native strings).
    public func run(_ text: String) -> Int {
        if let s = text.utf8.withContiguousStorageIfAvailable({ run($0) }) { return s }
        return run(Array(text.utf8))
    }

    /// The sorted indices of the patterns matching all of `bytes`.
    public func acceptingPatterns(_ bytes: [UInt8]) -> [Int] { acceptSets[run(bytes)] }

    /// Whether pattern 0 (or any pattern, with `pattern: nil`) matches all of `bytes`.
    public func matches(_ bytes: [UInt8], pattern: Int? = 0) -> Bool {
        let set = acceptSets[run(bytes)]
        if let pattern { return set.contains(pattern) }
        return !set.isEmpty
    }

    /// Approximate heap bytes: the transition table, the class map and the accept sets
    /// (each non-empty set counted as a 32-byte array header plus 8 bytes an entry).
    public var memoryFootprint: Int {
        transitions.count * 4 + 256 + acceptSets.count * 8
            + acceptSets.reduce(0) { $0 + ($1.isEmpty ? 0 : 32 + 8 * $1.count) }
    }

    // MARK: Minimisation

    /// The most transition reads the minimization may spend (well under a second in a debug build).
    static let maxMinimizationWork = 4_000_000

    static func unminimized(_ raw: RawDFA, patternCount: Int) -> MultiDFA {
        MultiDFA(
            stateCount: raw.acceptSets.count, byteClasses: raw.byteClasses, classCount: raw.classCount,
            transitions: raw.transitions, start: raw.start, acceptSets: raw.acceptSets,
            patternCount: patternCount, subsetStateCount: raw.acceptSets.count)
    }

    static func minimize(_ raw: RawDFA, patternCount: Int) -> MultiDFA {
        let n = raw.acceptSets.count
        let k = raw.classCount
        // Initial partition: by accept set. State 0 (dead) is scanned first, so it gets block 0.
        var block = [Int32](repeating: 0, count: n)
        var ids: [[Int]: Int32] = [:]
        for s in 0..<n {
            if let id = ids[raw.acceptSets[s]] {
                block[s] = id
            } else {
                let id = Int32(ids.count)
                ids[raw.acceptSets[s]] = id
                block[s] = id
            }
        }
        var blockCount = ids.count
        // Moore refinement: split blocks by the blocks their successors fall in, until stable.
        // A round costs n * k and a chain of n states needs n rounds: `/(?:abcdefghij){300}`
        // (3,000 states) took 30 s in a debug build, and the 50,000-state budget would take
        // hours. Past `maxMinimizationWork` the unminimized automaton is kept: it classifies
        // every input the same way, with more states (found by the `regex` fuzz target).
        var work = 0
        while true {
            work += n * k
            if work > Self.maxMinimizationWork { return unminimized(raw, patternCount: patternCount) }
            var signatures: [BytesHashed<Int32>: Int32] = [:]
            var next = [Int32](repeating: 0, count: n)
            var signature = [Int32](repeating: 0, count: k + 1)
            for s in 0..<n {
                signature[0] = block[s]
                for c in 0..<k { signature[c + 1] = block[Int(raw.transitions[s * k + c])] }
                if let id = signatures[BytesHashed(signature)] {
                    next[s] = id
                } else {
                    let id = Int32(signatures.count)
                    signatures[BytesHashed(signature)] = id
                    next[s] = id
                }
            }
            block = next
            if signatures.count == blockCount { break }
            blockCount = signatures.count
        }
        // One representative per block.
        var representative = [Int](repeating: -1, count: blockCount)
        for s in 0..<n where representative[Int(block[s])] < 0 { representative[Int(block[s])] = s }
        var table = [UInt32](repeating: 0, count: blockCount * k)
        var accepts: [[Int]] = []
        accepts.reserveCapacity(blockCount)
        for b in 0..<blockCount {
            let s = representative[b]
            for c in 0..<k { table[b * k + c] = UInt32(block[Int(raw.transitions[s * k + c])]) }
            accepts.append(raw.acceptSets[s])
        }
        // Merge byte classes whose columns are identical.
        var columnIds: [BytesHashed<UInt32>: Int] = [:]
        var classMap = [Int](repeating: 0, count: k)
        var keptColumns: [Int] = []
        for c in 0..<k {
            let column = (0..<blockCount).map { table[$0 * k + c] }
            if let id = columnIds[BytesHashed(column)] {
                classMap[c] = id
            } else {
                classMap[c] = columnIds.count
                columnIds[BytesHashed(column)] = columnIds.count
                keptColumns.append(c)
            }
        }
        let k2 = keptColumns.count
        var table2 = [UInt32](repeating: 0, count: blockCount * k2)
        for b in 0..<blockCount {
            for (c2, c) in keptColumns.enumerated() { table2[b * k2 + c2] = table[b * k + c] }
        }
        let classes = raw.byteClasses.map { UInt8(classMap[Int($0)]) }
        return MultiDFA(
            stateCount: blockCount, byteClasses: classes, classCount: k2, transitions: table2,
            start: Int(block[raw.start]), acceptSets: accepts, patternCount: patternCount,
            subsetStateCount: n)
    }
}

/// Why a DFA was not built.
public enum DFABuildError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The subset construction needed more than `maxStates` states.
    case budgetExceeded(maxStates: Int)
    /// The construction spent its `WorkBudget`.
    case workBudgetExceeded

    public var description: String {
        switch self {
        case .budgetExceeded(let m): "the automaton needs more than \(m) states"
        case .workBudgetExceeded: "building the automaton needs more work than its budget"
        }
    }
}

/// A bound on the work of automaton construction, shared by every automaton one analysis builds
/// (a unit is about one NFA state visited by the subset construction). Deterministic, unlike a
/// clock: the same input exhausts it at the same point on any machine.
public final class WorkBudget: @unchecked Sendable {
    public private(set) var remaining: Int
    public let limit: Int
    public init(_ units: Int) {
        remaining = units
        limit = units
    }
    public var isExhausted: Bool { remaining < 0 }
    /// Spends `units`; false once the budget is exhausted.
    @discardableResult
    public func spend(_ units: Int) -> Bool {
        remaining -= units
        return remaining >= 0
    }
    /// Units spent so far.
    public var spent: Int { limit - remaining }
}

/// The output of the subset construction, before minimisation.
struct RawDFA {
    var byteClasses: [UInt8]
    var classCount: Int
    var transitions: [UInt32]
    var start: Int
    var acceptSets: [[Int]]
}

/// Subset construction over the byte NFA.
///
/// A DFA state is the set of NFA states reached *before* the epsilon closure (the kernel), plus
/// what the closure may need to know about the byte just read: whether the input is at its start,
/// whether the previous byte was `\n`, whether it was a word byte. The closure is taken when the
/// next byte is known (a transition) or when the input ends (acceptance), so assertions and
/// lookaheads about the next byte are exact.
struct SubsetConstruction {
    let nfa: NFA
    let maxStates: Int
    var budget: WorkBudget? = nil

    struct Key: Hashable {
        var kernel: [Int32]
        var flags: UInt8

        // Hashing the kernel's bytes in one go is several times faster than element by element,
        // and subset construction hashes a kernel per (state, byte class).
        func hash(into h: inout Hasher) {
            kernel.withUnsafeBytes { h.combine(bytes: $0) }
            h.combine(flags)
        }
    }

    static let atStart: UInt8 = 1
    static let afterNewline: UInt8 = 2
    static let afterWord: UInt8 = 4

    func run() throws(DFABuildError) -> RawDFA {
        let (classOf, classCount, representatives) = byteClasses()
        var keys: [Key] = [Key(kernel: [], flags: 0)]
        var index: [Key: Int] = [keys[0]: 0]
        var transitions: [UInt32] = Array(repeating: 0, count: classCount)
        var accepts: [[Int]] = [[]]

        var kernel = SparseSet(capacity: nfa.stateCount)
        var closed = SparseSet(capacity: nfa.stateCount)
        var stack: [Int32] = []
        stack.reserveCapacity(nfa.stateCount)
        var buckets = [[Int32]](repeating: [], count: classCount)
        var extra = SparseSet(capacity: nfa.stateCount)
        var pending: [Int32] = []
        let (groups, groupOf) = conditionGroups(representatives)

        func context(_ flags: UInt8, next: UInt8?) -> NFA.Context {
            let atStart = flags & SubsetConstruction.atStart != 0
            var previous: UInt8 = 0
            if flags & SubsetConstruction.afterNewline != 0 { previous = 10 }
            if flags & SubsetConstruction.afterWord != 0 { previous = UInt8(ascii: "a") }
            return NFA.Context(atStart: atStart, previous: previous, atEnd: next == nil, next: next ?? 0)
        }

        func closure(_ key: Key, next: UInt8?) {
            kernel.removeAll()
            for s in key.kernel { _ = kernel.insert(s) }
            closed.removeAll()
            nfa.closure(of: kernel, into: &closed, stack: &stack, context(key.flags, next: next))
        }

        func intern(_ targets: [Int32], after byte: UInt8) throws(DFABuildError) -> Int {
            if targets.isEmpty { return 0 }
            var flags: UInt8 = 0
            if nfa.usesPreviousNewline && byte == 10 { flags |= SubsetConstruction.afterNewline }
            if nfa.usesPreviousWord && ASCIIClasses.isWordByte(byte) { flags |= SubsetConstruction.afterWord }
            let key = Key(kernel: targets, flags: flags)
            if let id = index[key] { return id }
            if keys.count >= maxStates { throw .budgetExceeded(maxStates: maxStates) }
            // Store an exact-size copy: `targets` shares the scratch bucket's large buffer.
            let stored = Key(kernel: targets.map { $0 }, flags: flags)
            keys.append(stored)
            index[stored] = keys.count - 1
            transitions.append(contentsOf: repeatElement(0, count: classCount))
            accepts.append([])
            return keys.count - 1
        }

        let startKey = Key(kernel: [nfa.start], flags: SubsetConstruction.atStart)
        if maxStates < 2 { throw .budgetExceeded(maxStates: maxStates) }
        keys.append(startKey)
        index[startKey] = 1
        transitions.append(contentsOf: repeatElement(0, count: classCount))
        accepts.append([])

        var s = 1
        while s < keys.count {
            let key = keys[s]
            // Acceptance: the closure at the end of the input.
            closure(key, next: nil)
            var accepting: [Int] = []
            for k in 0..<closed.count {
                let st = nfa.states[Int(closed.dense[k])]
                if st.op == .match { accepting.append(Int(st.out1)) }
            }
            accepts[s] = Array(Set(accepting)).sorted()
            // Transitions: one closure for all bytes, then per byte class only what the states
            // that look at the next byte add.
            for c in 0..<classCount { buckets[c].removeAll(keepingCapacity: true) }
            kernel.removeAll()
            for t in key.kernel { _ = kernel.insert(t) }
            closed.removeAll()
            let ctx = context(key.flags, next: 0)
            nfa.closureDeferringNextByte(of: kernel, into: &closed, stack: &stack, pending: &pending, ctx)
            for k in 0..<closed.count {
                let st = nfa.states[Int(closed.dense[k])]
                guard st.op == .byteRange else { continue }
                for c in Int(classOf[Int(st.lo)])...Int(classOf[Int(st.hi)]) { buckets[c].append(st.out) }
            }
            if !pending.isEmpty {
                for g in groups {
                    extra.removeAll()
                    nfa.extendClosure(
                        base: closed, pending: pending, into: &extra, stack: &stack, context(key.flags, next: g.byte))
                    for k in 0..<extra.count {
                        let st = nfa.states[Int(extra.dense[k])]
                        guard st.op == .byteRange else { continue }
                        for c in Int(classOf[Int(st.lo)])...Int(classOf[Int(st.hi)]) where groupOf[c] == g.id {
                            buckets[c].append(st.out)
                        }
                    }
                }
            }
            if let budget {
                var work = closed.count + classCount
                for c in 0..<classCount { work += buckets[c].count }
                if !budget.spend(work) { throw .workBudgetExceeded }
            }
            for c in 0..<classCount {
                SubsetConstruction.sortUnique(&buckets[c])
                let t = try intern(buckets[c], after: representatives[c])
                transitions[s * classCount + c] = UInt32(t)
            }
            s += 1
        }
        return RawDFA(
            byteClasses: classOf, classCount: classCount, transitions: transitions, start: 1, acceptSets: accepts)
    }

    /// Groups the byte classes that every next-byte condition of the NFA (lookahead sets, `\n`,
    /// word bytes) treats alike: they get the same closure, so it is computed once per group.
    func conditionGroups(_ representatives: [UInt8]) -> (groups: [(id: Int, byte: UInt8)], groupOf: [Int]) {
        var ids: [[Bool]: Int] = [:]
        var groups: [(id: Int, byte: UInt8)] = []
        var groupOf: [Int] = []
        for b in representatives {
            var signature = nfa.lookaheadSets.map { $0.contains(b) }
            signature.append(b == 10)
            signature.append(ASCIIClasses.isWordByte(b))
            if let id = ids[signature] {
                groupOf.append(id)
            } else {
                let id = groups.count
                ids[signature] = id
                groups.append((id, b))
                groupOf.append(id)
            }
        }
        return (groups, groupOf)
    }

    /// Sorts `a` and removes duplicates, in place.
    static func sortUnique(_ a: inout [Int32]) {
        guard a.count > 1 else { return }
        a.sort()
        var w = 1
        for r in 1..<a.count where a[r] != a[w - 1] {
            a[w] = a[r]
            w += 1
        }
        a.removeLast(a.count - w)
    }

    /// The coarsest partition of bytes into intervals that no byte range, lookahead set or
    /// context flag of the NFA distinguishes inside; class ids increase with the bytes.
    func byteClasses() -> (classOf: [UInt8], count: Int, representatives: [UInt8]) {
        var boundary = [Bool](repeating: false, count: 257)
        func mark(_ lo: Int, _ hi: Int) {
            boundary[lo] = true
            boundary[hi + 1] = true
        }
        for st in nfa.states where st.op == .byteRange { mark(Int(st.lo), Int(st.hi)) }
        for set in nfa.lookaheadSets {
            for b in 1..<256 where set.contains(UInt8(b)) != set.contains(UInt8(b - 1)) { boundary[b] = true }
        }
        if nfa.usesPreviousNewline || nfa.usesLookahead { mark(10, 10) }
        if nfa.usesPreviousWord {
            for b in 1..<256 where ASCIIClasses.isWordByte(UInt8(b)) != ASCIIClasses.isWordByte(UInt8(b - 1)) {
                boundary[b] = true
            }
        }
        var classOf = [UInt8](repeating: 0, count: 256)
        var representatives: [UInt8] = [0]
        var c = 0
        for b in 1..<256 {
            if boundary[b] {
                c += 1
                representatives.append(UInt8(b))
            }
            classOf[b] = UInt8(c)
        }
        return (classOf, c + 1, representatives)
    }
}

/// An array hashed by its bytes (one `combine(bytes:)` instead of one call per element).
struct BytesHashed<Element: FixedWidthInteger>: Hashable {
    var values: [Element]
    init(_ values: [Element]) { self.values = values }
    func hash(into h: inout Hasher) { values.withUnsafeBytes { h.combine(bytes: $0) } }
    static func == (a: BytesHashed, b: BytesHashed) -> Bool { a.values == b.values }
}
