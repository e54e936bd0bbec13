/// A DFA stored sparsely: per state, the sorted byte ranges that lead somewhere other than the
/// dead state. Meant for big trie-like automata (thousands of prefixes or exact paths), where
/// most states have one or two live successors and a dense row per state would be mostly dead
/// entries. Lookup is a scan (few ranges) or a binary search (many) within the state's ranges.
public struct SparseDFA: Sendable {
    /// Number of states (including the dead state 0).
    public let stateCount: Int
    /// The start state.
    public let start: Int
    /// For each state, the sorted indices of the patterns that accept there.
    public let acceptSets: [[Int]]
    /// `rangeOffsets[s]..<rangeOffsets[s + 1]` index the ranges of state `s`.
    public let rangeOffsets: [UInt32]
    /// Lowest byte of each range.
    public let rangeLow: [UInt8]
    /// Highest byte of each range.
    public let rangeHigh: [UInt8]
    /// Target state of each range.
    public let rangeTarget: [UInt32]

    /// The sparse form of `dfa` (same states, same numbering).
    public init(_ dfa: MultiDFA) {
        var offsets: [UInt32] = [0]
        var lows: [UInt8] = []
        var highs: [UInt8] = []
        var targets: [UInt32] = []
        let k = dfa.classCount
        for s in 0..<dfa.stateCount {
            var b = 0
            while b < 256 {
                let t = dfa.transitions[s * k + Int(dfa.byteClasses[b])]
                var e = b
                while e + 1 < 256 && dfa.transitions[s * k + Int(dfa.byteClasses[e + 1])] == t { e += 1 }
                if t != 0 {
                    lows.append(UInt8(b))
                    highs.append(UInt8(e))
                    targets.append(t)
                }
                b = e + 1
            }
            offsets.append(UInt32(lows.count))
        }
        stateCount = dfa.stateCount
        start = dfa.start
        acceptSets = dfa.acceptSets
        rangeOffsets = offsets
        rangeLow = lows
        rangeHigh = highs
        rangeTarget = targets
    }

    /// The successor of `state` on `byte` (0 when dead).
    @inline(__always)
    public func next(_ state: Int, _ byte: UInt8) -> Int {
        var lo = Int(rangeOffsets[state])
        var hi = Int(rangeOffsets[state + 1])
        if hi - lo <= 8 {
            while lo < hi {
                if byte <= rangeHigh[lo] { return byte >= rangeLow[lo] ? Int(rangeTarget[lo]) : 0 }
                lo += 1
            }
            return 0
        }
        while lo < hi {
            let mid = (lo + hi) / 2
            if byte > rangeHigh[mid] { lo = mid + 1 } else { hi = mid }
        }
        if lo < Int(rangeOffsets[state + 1]) && byte >= rangeLow[lo] { return Int(rangeTarget[lo]) }
        return 0
    }

    /// The state after reading `bytes` from the start state. Allocation-free.
    public func run(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var s = start
        for b in bytes {
            s = next(s, b)
            if s == 0 { break }
        }
        return s
    }

    /// The state after reading `bytes`.
    public func run(_ bytes: [UInt8]) -> Int { bytes.withUnsafeBufferPointer { run($0) } }

    /// Number of stored ranges.
    public var rangeCount: Int { rangeLow.count }

    /// Approximate heap bytes (same accounting as `MultiDFA.memoryFootprint`).
    public var memoryFootprint: Int {
        rangeOffsets.count * 4 + rangeLow.count * 6 + acceptSets.count * 8
            + acceptSets.reduce(0) { $0 + ($1.isEmpty ? 0 : 32 + 8 * $1.count) }
    }
}
