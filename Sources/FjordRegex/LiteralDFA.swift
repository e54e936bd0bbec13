/// A fast path for patterns that are all literal (`exact` and `prefix`): the automaton is a trie,
/// built directly instead of through the NFA and the subset construction, then minimised as
/// usual. Route tables are mostly literal conditions, and building thousands of tiny automata
/// through the general path dominated check and compile time.
extension MultiDFA {
    /// The minimal DFA for literal patterns, or nil when a pattern is a regex or when the
    /// patterns mix case-sensitive and case-insensitive matching (use `build` then).
    public static func buildLiteral(patterns: [Pattern], maxStates: Int = defaultMaxStates, minimized: Bool = true)
        -> MultiDFA?
    {
        var literals: [(bytes: [UInt8], isPrefix: Bool)] = []
        var folding: Bool?
        for p in patterns {
            switch p {
            case .regex: return nil
            case .exact(let b, let ci), .prefix(let b, let ci):
                if let f = folding, f != ci { return nil }
                folding = ci
                var isPrefix = false
                if case .prefix = p { isPrefix = true }
                literals.append((ci ? b.map(foldASCII) : b, isPrefix))
            }
        }
        let fold = folding ?? false
        // The trie: node 0 is the root.
        var children: [[UInt8: Int]] = [[:]]
        var exactsAt: [[Int]] = [[]]
        var prefixesAt: [[Int]] = [[]]
        for (i, lit) in literals.enumerated() {
            var node = 0
            for b in lit.bytes {
                if let c = children[node][b] {
                    node = c
                } else {
                    children.append([:])
                    exactsAt.append([])
                    prefixesAt.append([])
                    children[node][b] = children.count - 1
                    node = children.count - 1
                }
            }
            if lit.isPrefix { prefixesAt[node].append(i) } else { exactsAt[node].append(i) }
        }
        // Byte classes: each byte on an edge gets its own class (folded letters share one), the
        // rest share class 0.
        var classOf = [Int](repeating: 0, count: 256)
        var classCount = 1
        for node in children {
            for b in node.keys where classOf[Int(b)] == 0 {
                classOf[Int(b)] = classCount
                if fold, b >= 0x61, b <= 0x7A { classOf[Int(b) - 32] = classCount }
                classCount += 1
            }
        }
        // States: 0 dead; 1...n trie nodes (node k -> state k + 1); then one "fell off" state per
        // distinct set of satisfied prefixes (input left the trie below a node).
        guard classCount <= 256 else { return nil }
        let nodeCount = children.count
        var accepts: [[Int]] = [[]]
        var prefixSetOf = [[Int]](repeating: [], count: nodeCount)
        var order = [0]
        var head = 0
        while head < order.count {
            let n = order[head]
            head += 1
            for (_, c) in children[n].sorted(by: { $0.key < $1.key }) {
                prefixSetOf[c] = (prefixSetOf[n] + prefixesAt[c]).sorted()
                order.append(c)
            }
        }
        prefixSetOf[0] = prefixesAt[0].sorted()
        // Recompute children of the root's prefix set (root prefixes apply everywhere).
        for n in order.dropFirst() {
            prefixSetOf[n] = Array(Set(prefixSetOf[n] + prefixesAt[0])).sorted()
        }
        for n in 0..<nodeCount { accepts.append((exactsAt[n] + prefixSetOf[n]).sorted()) }
        var fellOff: [[Int]: Int] = [[]: 0]
        func fellOffState(_ set: [Int]) -> Int {
            if let s = fellOff[set] { return s }
            let s = accepts.count
            accepts.append(set)
            fellOff[set] = s
            return s
        }
        var fallStates = [Int](repeating: 0, count: nodeCount)
        for n in 0..<nodeCount { fallStates[n] = fellOffState(prefixSetOf[n]) }
        let stateCount = accepts.count
        guard stateCount <= max(maxStates, 2 * nodeCount + 2) else { return nil }
        var table = [UInt32](repeating: 0, count: stateCount * classCount)
        for n in 0..<nodeCount {
            let row = (n + 1) * classCount
            let fall = UInt32(fallStates[n])
            for c in 0..<classCount { table[row + c] = fall }
            for (b, child) in children[n] { table[row + classOf[Int(b)]] = UInt32(child + 1) }
        }
        for (set, s) in fellOff where s != 0 {
            _ = set
            let row = s * classCount
            for c in 0..<classCount { table[row + c] = UInt32(s) }
        }
        let raw = RawDFA(
            byteClasses: classOf.map { UInt8($0) }, classCount: classCount, transitions: table, start: 1,
            acceptSets: accepts)
        if !minimized {
            return MultiDFA(
                stateCount: raw.acceptSets.count, byteClasses: raw.byteClasses, classCount: raw.classCount,
                transitions: raw.transitions, start: raw.start, acceptSets: raw.acceptSets,
                patternCount: patterns.count, subsetStateCount: raw.acceptSets.count)
        }
        return minimize(raw, patternCount: patterns.count)
    }

    @inline(__always)
    static func foldASCII(_ b: UInt8) -> UInt8 { (b >= 0x41 && b <= 0x5A) ? b + 32 : b }
}
