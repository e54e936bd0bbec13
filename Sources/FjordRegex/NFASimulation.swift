/// Set simulation of the byte NFA: the fallback when a DFA would exceed its state budget.
///
/// One pass over the input keeps the set of NFA states reachable after each byte (O(states) per
/// byte, never backtracking). With a caller-provided `Scratch` the simulation does not allocate.
extension NFA {
    /// Reusable buffers for `matches(_:scratch:)`; make one per thread and NFA.
    public struct Scratch: Sendable {
        var kernel: SparseSet
        var closed: SparseSet
        var stack: [Int32]

        /// Buffers sized for `nfa`.
        public init(for nfa: NFA) {
            kernel = SparseSet(capacity: nfa.stateCount)
            closed = SparseSet(capacity: nfa.stateCount)
            stack = []
            stack.reserveCapacity(nfa.stateCount)
        }

        var capacity: Int { kernel.sparse.count }
    }

    /// Runs the NFA over `bytes` and leaves in `scratch.closed` the states reachable at the end
    /// (after the final closure); returns false early when no state survives.
    func simulate(_ bytes: UnsafeBufferPointer<UInt8>, _ scratch: inout Scratch) -> Bool {
        precondition(scratch.capacity >= stateCount, "scratch buffers were made for a smaller NFA")
        scratch.kernel.removeAll()
        _ = scratch.kernel.insert(start)
        let n = bytes.count
        var i = 0
        while true {
            let c = Context(
                atStart: i == 0, previous: i > 0 ? bytes[i - 1] : 0,
                atEnd: i == n, next: i < n ? bytes[i] : 0)
            scratch.closed.removeAll()
            closure(of: scratch.kernel, into: &scratch.closed, stack: &scratch.stack, c)
            if i == n { return true }
            let b = bytes[i]
            scratch.kernel.removeAll()
            for k in 0..<scratch.closed.count {
                let st = states[Int(scratch.closed.dense[k])]
                if st.op == .byteRange && st.lo <= b && b <= st.hi { _ = scratch.kernel.insert(st.out) }
            }
            if scratch.kernel.count == 0 {
                scratch.closed.removeAll()
                return false
            }
            i += 1
        }
    }

    /// Whether any pattern matches all of `bytes`. Allocation-free.
    public func matches(_ bytes: UnsafeBufferPointer<UInt8>, scratch: inout Scratch) -> Bool {
        guard simulate(bytes, &scratch) else { return false }
        for k in 0..<scratch.closed.count where states[Int(scratch.closed.dense[k])].op == .match { return true }
        return false
    }

    /// Calls `body` with the index of every pattern that matches all of `bytes`, in no particular
    /// order and possibly more than once. Allocation-free (with a non-escaping `body`).
    public func forEachAcceptingPattern(
        _ bytes: UnsafeBufferPointer<UInt8>, scratch: inout Scratch, _ body: (Int) -> Void
    ) {
        guard simulate(bytes, &scratch) else { return }
        for k in 0..<scratch.closed.count {
            let st = states[Int(scratch.closed.dense[k])]
            if st.op == .match { body(Int(st.out1)) }
        }
    }

    /// Whether any pattern matches all of `bytes` (allocates its scratch buffers).
    public func matches(_ bytes: some Collection<UInt8>) -> Bool {
        var scratch = Scratch(for: self)
        let contiguous = Array(bytes)
        return contiguous.withUnsafeBufferPointer { matches($0, scratch: &scratch) }
    }

    /// Whether any pattern matches the UTF-8 of `text` (allocates its scratch buffers).
    public func matches(_ text: String) -> Bool { matches(Array(text.utf8)) }

    /// The sorted indices of the patterns that match all of `bytes` (allocates).
    public func acceptingPatterns(_ bytes: some Collection<UInt8>) -> [Int] {
        var scratch = Scratch(for: self)
        var found = Set<Int>()
        Array(bytes).withUnsafeBufferPointer { buffer in
            forEachAcceptingPattern(buffer, scratch: &scratch) { found.insert($0) }
        }
        return found.sorted()
    }
}
