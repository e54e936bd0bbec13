// The seeded generator of the project: load balancing and fault injection in the proxy, the
// synthetic meshes of `fjord generate`, and every seeded test.

/// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", 2014):
/// a small, fast generator whose whole state is one `UInt64`, so that a seed names one sequence
/// on every run and platform.
@frozen
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64

    @inlinable
    public init(seed: UInt64) { state = seed }

    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `next() % bound`, uniform enough for tests and generators; `0` without drawing when
    /// `bound <= 1`.
    @inlinable
    public mutating func next(_ bound: UInt64) -> UInt64 {
        bound <= 1 ? 0 : next() % bound
    }

    /// `next() % n` as an `Int` (`n > 0`); always draws.
    @inlinable
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    /// An element of `items` (not empty), by `below(items.count)`.
    @inlinable
    public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}
