import FjordRegex
import FjordTable

/// Partitions the values of one attribute into classes: two values are in the same class when
/// they satisfy exactly the same predicates. Decision nodes branch on classes, so a node needs
/// one child per class, however many values there are.
public struct AttributeClassifier: Sendable {
    public let attribute: AttributeKey
    public let predicates: [Predicate]
    /// For each class, the sorted indices of the predicates its values satisfy.
    public let satisfied: [[Int]]
    /// For each predicate, the sorted classes whose values satisfy it (the inverse of
    /// `satisfied`, so a condition's class set costs its size, not the class count).
    public let classesSatisfying: [[Int]]
    /// The class of an absent value (headers, query parameters), if the attribute can be absent.
    public let absentClass: Int?
    /// How values are classified.
    let engine: Engine

    enum Engine: Sendable {
        /// Exact values only: value -> class; anything else -> `other`.
        case exact([String: Int], other: Int)
        case dfa(MultiDFA, stateClass: [Int])
    }

    /// A class is described by the predicates its values satisfy.
    public var classCount: Int { satisfied.count }

    /// Builds the classifier, or returns nil when the predicates' automaton would exceed
    /// `maxDFAStates` (the compiler then splits the predicates over several classifiers).
    public init?(
        attribute: AttributeKey, predicates: [Predicate], maxDFAStates: Int = 20_000, minimized: Bool = true,
        budget: WorkBudget? = nil
    ) {
        self.attribute = attribute
        self.predicates = predicates
        var classIndex: [[Int]: Int] = [:]
        var satisfied: [[Int]] = []
        func classOf(_ set: [Int]) -> Int {
            if let c = classIndex[set] { return c }
            let c = satisfied.count
            satisfied.append(set)
            classIndex[set] = c
            return c
        }
        // The empty set first: class 0 is "satisfies nothing".
        _ = classOf([])
        let exactOnly = predicates.allSatisfy { p in
            switch p.kind {
            case .exact: return !p.caseInsensitive
            case .present: return true
            default: return false
            }
        }
        let presentIndices = predicates.indices.filter { predicates[$0].kind == .present }
        if exactOnly {
            var byValue: [String: [Int]] = [:]
            for (i, p) in predicates.enumerated() {
                if case .exact(let v) = p.kind { byValue[v, default: []].append(i) }
            }
            var table: [String: Int] = [:]
            // A value outside the attribute's alphabet is no value at all: its predicates are
            // satisfied by nothing.
            for (v, idx) in byValue.sorted(by: { $0.key < $1.key }) where attribute.admits(v) {
                table[v] = classOf((idx + presentIndices).sorted())
            }
            let other = classOf(presentIndices)
            engine = .exact(table, other: other)
        } else {
            let patterns: [Pattern] = predicates.map { p in
                switch p.kind {
                case .exact(let s): return .exact(s, caseInsensitive: p.caseInsensitive)
                case .prefix(let s): return .prefix(s, caseInsensitive: p.caseInsensitive)
                case .regex(let r):
                    if let parsed = try? RegexParser.parse(r) { return .regex(parsed) }
                    return .regex(.never)  // invalid regexes match nothing (FJ1006 reports them)
                case .present: return .prefix("", caseInsensitive: false)
                }
            }
            guard
                let dfa = MultiDFA.buildLiteral(patterns: patterns, maxStates: maxDFAStates, minimized: minimized)
                    ?? MultiDFA.build(patterns: patterns, maxStates: maxDFAStates, minimized: minimized, budget: budget)
            else { return nil }
            // Only the states some value over the attribute's alphabet reaches make classes; the
            // others (reached only through a byte outside it) satisfy nothing.
            let reachable = Self.reachableStates(dfa, excluding: attribute.excludedBytes)
            var stateClass: [Int] = []
            stateClass.reserveCapacity(dfa.stateCount)
            for s in 0..<dfa.stateCount { stateClass.append(reachable[s] ? classOf(dfa.acceptSets[s]) : 0) }
            engine = .dfa(dfa, stateClass: stateClass)
        }
        if attribute.canBeAbsent { absentClass = classOf([]) } else { absentClass = nil }
        self.satisfied = satisfied
        var inverse = [[Int]](repeating: [], count: predicates.count)
        for (cls, set) in satisfied.enumerated() {
            for p in set { inverse[p].append(cls) }
        }
        classesSatisfying = inverse
    }

    /// The classes a condition on some of this classifier's predicates (local indexes) allows.
    public func classes(satisfyingAnyOf local: some Sequence<Int>, negated: Bool) -> ClassSet {
        var set = ClassSet(capacity: classCount)
        for p in local {
            for cls in classesSatisfying[p] { set.insert(cls) }
        }
        if negated { set.invert() }
        return set
    }

    /// The class of a value (nil: absent).
    public func classify(_ value: String?) -> Int {
        guard let value else { return absentClass ?? 0 }
        switch engine {
        case .exact(let table, let other):
            return table[value] ?? other
        case .dfa(let dfa, let stateClass):
            return stateClass[dfa.run(value)]
        }
    }

    /// The states reached from the start by strings without the `excluded` bytes.
    static func reachableStates(_ dfa: MultiDFA, excluding excluded: [UInt8]) -> [Bool] {
        var allowedClasses = Set<Int>()
        for b in 0...255 where !excluded.contains(UInt8(b)) { allowedClasses.insert(Int(dfa.byteClasses[b])) }
        var seen = [Bool](repeating: false, count: dfa.stateCount)
        seen[dfa.start] = true
        var queue = [dfa.start]
        var head = 0
        while head < queue.count {
            let s = queue[head]
            head += 1
            for cls in allowedClasses {
                let t = Int(dfa.transitions[s * dfa.classCount + cls])
                if !seen[t] {
                    seen[t] = true
                    queue.append(t)
                }
            }
        }
        return seen
    }

    /// Whether `value` satisfies predicate `p`, by the reference definitions.
    static func reference(_ p: Predicate, _ value: String) -> Bool {
        func fold(_ s: String) -> String {
            String(decoding: s.utf8.map { ($0 >= 0x41 && $0 <= 0x5A) ? $0 + 32 : $0 }, as: UTF8.self)
        }
        switch p.kind {
        case .exact(let e): return p.caseInsensitive ? fold(value) == fold(e) : value == e
        case .prefix(let x):
            return p.caseInsensitive ? fold(value).utf8.starts(with: fold(x).utf8) : value.utf8.starts(with: x.utf8)
        case .regex(let r): return (try? RegexParser.parse(r))?.fullMatch(value) ?? false
        case .present: return true
        }
    }

    /// A value in class `c` (nil for the absent class or when none is found), preferring
    /// short, printable strings. Used for witness requests.
    public func witness(for c: Int) -> String? {
        if let a = absentClass, a == c, attribute.canBeAbsent, satisfied[c].isEmpty {
            // Absent satisfies nothing; a present value might too, but absence is the clearer witness.
            return nil
        }
        switch engine {
        case .exact(let table, let other):
            if c == other { return otherValue(avoiding: Set(table.keys)) }
            return table.first { $0.value == c }?.key
        case .dfa(let dfa, let stateClass):
            return Self.shortestString(
                dfa, to: Set(stateClass.indices.filter { stateClass[$0] == c }), excluding: attribute.excludedBytes)
        }
    }

    /// A value in class `c` that starts with `prefix` (paths start with `/`), nil when none is.
    public func witness(for c: Int, prefix: String) -> String? {
        switch engine {
        case .exact(let table, let other):
            if c == other {
                var candidate = prefix + "fjord-other"
                var i = 0
                while table[candidate] != nil {
                    i += 1
                    candidate = prefix + "fjord-other-\(i)"
                }
                return candidate
            }
            return table.filter { $0.value == c && $0.key.hasPrefix(prefix) }.map(\.key).min()
        case .dfa(let dfa, let stateClass):
            let from = dfa.run(prefix)
            let targets = Set(stateClass.indices.filter { stateClass[$0] == c })
            if from == 0 { return targets.contains(0) ? prefix : nil }
            return Self.shortestString(dfa, to: targets, excluding: attribute.excludedBytes, from: from).map {
                prefix + $0
            }
        }
    }

    /// The classes of values that start with `prefix`.
    public func classes(withPrefix prefix: String) -> Set<Int> {
        switch engine {
        case .exact(let table, let other):
            return Set(table.filter { $0.key.hasPrefix(prefix) }.map(\.value)).union([other])
        case .dfa(let dfa, let stateClass):
            let from = dfa.run(prefix)
            // Byte classes of the bytes a value can hold.
            let excluded = Set(attribute.excludedBytes)
            let byteClasses = Set((0...255).filter { !excluded.contains(UInt8($0)) }.map { Int(dfa.byteClasses[$0]) })
            var seen: Set<Int> = [from]
            var stack = [from]
            while let s = stack.popLast() {
                if s == 0 { continue }  // the dead state goes nowhere
                for cls in byteClasses.sorted() {
                    let t = Int(dfa.transitions[s * dfa.classCount + cls])
                    if seen.insert(t).inserted { stack.append(t) }
                }
            }
            return Set(seen.map { stateClass[$0] })
        }
    }

    /// `witness(for:)` of every class at once: one breadth-first search of the automaton instead
    /// of one per class (the same values: the search visits states in the same order).
    public func allWitnesses() -> [String?] {
        var out = [String?](repeating: nil, count: classCount)
        switch engine {
        case .exact(let table, let other):
            for (v, c) in table { out[c] = v }
            out[other] = otherValue(avoiding: Set(table.keys))
        case .dfa(let dfa, let stateClass):
            let (order, parent, byte, killer) = Self.breadthFirst(dfa, excluding: attribute.excludedBytes)
            var done = [Bool](repeating: false, count: classCount)
            // `order` lists the start state first, then states as the search discovers them.
            for s in order where !done[stateClass[s]] {
                done[stateClass[s]] = true
                var bytes: [UInt8] = []
                var cur = s
                while parent[cur] >= 0 {
                    bytes.append(byte[cur])
                    cur = Int(parent[cur])
                }
                out[stateClass[s]] = String(decoding: bytes.reversed(), as: UTF8.self)
            }
            if let killer, !done[stateClass[0]] { out[stateClass[0]] = String(decoding: [killer], as: UTF8.self) }
        }
        if let a = absentClass, attribute.canBeAbsent, satisfied[a].isEmpty { out[a] = nil }
        return out
    }

    /// The byte of each byte class to try, in preference order (letters, digits, then
    /// punctuation, then any byte).
    static func representatives(_ dfa: MultiDFA, excluding excluded: [UInt8] = []) -> [(Int, UInt8)] {
        var preferred: [UInt8] =
            Array(UInt8(ascii: "a")...UInt8(ascii: "z")) + Array(UInt8(ascii: "0")...UInt8(ascii: "9"))
            + Array("/-._~".utf8) + Array(UInt8(ascii: "A")...UInt8(ascii: "Z")) + Array(0x21...0x7E)
        var seenBytes = Set<UInt8>()
        preferred = preferred.filter { seenBytes.insert($0).inserted }
        var rank = [Int](repeating: 1000, count: 256)
        for (i, b) in preferred.enumerated() { rank[Int(b)] = i }
        var representative: [Int: UInt8] = [:]
        for b in preferred + Array(0...255)
        where representative[Int(dfa.byteClasses[Int(b)])] == nil && !excluded.contains(UInt8(b)) {
            representative[Int(dfa.byteClasses[Int(b)])] = b
        }
        // Ties (bytes outside the preferred list) in class order, so witnesses do not depend on
        // dictionary order.
        return representative.sorted { a, b in
            rank[Int(a.value)] != rank[Int(b.value)] ? rank[Int(a.value)] < rank[Int(b.value)] : a.key < b.key
        }.map { ($0.key, $0.value) }
    }

    /// The whole breadth-first search of `shortestString`: states in discovery order (start
    /// first), each state's parent and byte, and the byte that kills the automaton from the start.
    static func breadthFirst(_ dfa: MultiDFA, excluding excluded: [UInt8] = []) -> (
        order: [Int], parent: [Int32], byte: [UInt8], killer: UInt8?
    ) {
        let reps = representatives(dfa, excluding: excluded)
        // parent -2: not discovered; -1: the start.
        var parent = [Int32](repeating: -2, count: dfa.stateCount)
        var byte = [UInt8](repeating: 0, count: dfa.stateCount)
        parent[dfa.start] = -1
        var queue = [dfa.start]
        var head = 0
        while head < queue.count {
            let s = queue[head]
            head += 1
            for (cls, b) in reps {
                let t = Int(dfa.transitions[s * dfa.classCount + cls])
                if t == 0 || parent[t] != -2 { continue }
                parent[t] = Int32(s)
                byte[t] = b
                queue.append(t)
            }
        }
        let killer = reps.first { Int(dfa.transitions[dfa.start * dfa.classCount + $0.0]) == 0 }?.1
        return (queue, parent, byte, killer)
    }

    func otherValue(avoiding: Set<String>) -> String {
        var candidate = attribute == .method ? "OPTIONS" : "fjord-other"
        var i = 0
        while avoiding.contains(candidate) {
            i += 1
            candidate = "fjord-other-\(i)"
        }
        return candidate
    }

    /// Breadth-first search for the shortest input reaching one of `targets`, trying printable
    /// ASCII bytes first (letters, digits, then punctuation), then any byte.
    static func shortestString(
        _ dfa: MultiDFA, to targets: Set<Int>, excluding excluded: [UInt8] = [], from start: Int? = nil
    ) -> String? {
        let start = start ?? dfa.start
        if targets.contains(start) { return "" }
        let reps = representatives(dfa, excluding: excluded)
        var parent: [Int: (Int, UInt8)] = [start: (-1, 0)]
        var queue = [start]
        var head = 0
        while head < queue.count {
            let s = queue[head]
            head += 1
            for (cls, byte) in reps {
                let t = Int(dfa.transitions[s * dfa.classCount + cls])
                if t == 0 || parent[t] != nil { continue }
                parent[t] = (s, byte)
                if targets.contains(t) {
                    var bytes: [UInt8] = []
                    var cur = t
                    while let (p, b) = parent[cur], p >= 0 {
                        bytes.append(b)
                        cur = p
                    }
                    return String(decoding: bytes.reversed(), as: UTF8.self)
                }
                queue.append(t)
            }
        }
        // The dead state's class (satisfies nothing) is reached by any byte that kills the DFA.
        if targets.contains(0) {
            for (cls, byte) in reps where Int(dfa.transitions[start * dfa.classCount + cls]) == 0 {
                return String(decoding: [byte], as: UTF8.self)
            }
        }
        return nil
    }

    // MARK: Emission

    /// The table form of this classifier, with string indexes from `intern`.
    public func tableClassifier(intern: (String) -> UInt32) -> TableProgram.Classifier {
        let absent = UInt32(absentClass ?? 0)
        switch engine {
        case .exact(let table, let other):
            let entries = table.sorted { $0.key < $1.key }.map {
                TableProgram.ExactEntry(value: intern($0.key), classID: UInt32($0.value))
            }
            return TableProgram.Classifier(
                kind: .exact(entries: entries, otherClass: UInt32(other)), classCount: UInt32(classCount),
                absentClass: absent)
        case .dfa(let dfa, let stateClass):
            let dense = dfa.stateCount * dfa.classCount
            if dense <= 1 << 16 {
                let d = TableProgram.DenseDFA(
                    byteClasses: dfa.byteClasses, byteClassCount: UInt32(dfa.classCount), start: UInt32(dfa.start),
                    transitions: dfa.transitions, stateClass: stateClass.map(UInt32.init))
                return TableProgram.Classifier(kind: .dense(d), classCount: UInt32(classCount), absentClass: absent)
            }
            let sparse = SparseDFA(dfa)
            var states: [TableProgram.SparseDFA.State] = []
            var edges: [TableProgram.SparseDFA.Edge] = []
            for s in 0..<sparse.stateCount {
                let lo = Int(sparse.rangeOffsets[s])
                let hi = Int(sparse.rangeOffsets[s + 1])
                states.append(
                    .init(firstEdge: UInt32(edges.count), edgeCount: UInt32(hi - lo), classID: UInt32(stateClass[s])))
                for e in lo..<hi {
                    edges.append(.init(lo: sparse.rangeLow[e], hi: sparse.rangeHigh[e], target: sparse.rangeTarget[e]))
                }
            }
            return TableProgram.Classifier(
                kind: .sparse(.init(start: UInt32(sparse.start), states: states, edges: edges)),
                classCount: UInt32(classCount), absentClass: absent)
        }
    }
}
