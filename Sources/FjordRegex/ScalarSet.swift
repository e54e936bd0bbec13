/// A set of Unicode scalar values, kept as sorted, disjoint, non-adjacent closed ranges.
///
/// Surrogate code points (U+D800...U+DFFF) are never members: they are not Unicode scalars and
/// cannot occur in well-formed UTF-8, so `[\x{D800}]` is the empty set. The universe is
/// U+0000...U+D7FF and U+E000...U+10FFFF.
public struct ScalarSet: Sendable, Hashable, CustomStringConvertible {
    /// The ranges, sorted by lower bound, disjoint and non-adjacent, never touching surrogates.
    public private(set) var ranges: [ClosedRange<UInt32>]

    /// The largest Unicode scalar value.
    public static let maxScalar: UInt32 = 0x10_FFFF
    static let surrogates: ClosedRange<UInt32> = 0xD800...0xDFFF

    /// The empty set (a class that matches nothing, such as `[^\x00-\x{10FFFF}]`).
    public static let empty = ScalarSet()
    /// Every Unicode scalar.
    public static let all = ScalarSet(ranges: [0...maxScalar])

    /// The empty set.
    public init() { ranges = [] }

    /// The union of `ranges`, in any order, overlapping or not; surrogates are removed.
    public init(ranges: some Sequence<ClosedRange<UInt32>>) {
        self.ranges = ScalarSet.normalize(Array(ranges))
    }

    /// The set holding exactly `scalar`.
    public init(_ scalar: Unicode.Scalar) { ranges = [scalar.value...scalar.value] }

    /// The set holding the scalars of `string`.
    public init(scalarsOf string: String) {
        self.init(ranges: string.unicodeScalars.map { $0.value...$0.value })
    }

    /// Sorts, merges overlapping and adjacent ranges, clamps to the scalar range, drops surrogates.
    static func normalize(_ input: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        if input.isEmpty { return [] }
        let sorted = input.sorted { $0.lowerBound < $1.lowerBound }
        var merged: [ClosedRange<UInt32>] = []
        merged.reserveCapacity(sorted.count)
        for r in sorted {
            guard r.lowerBound <= maxScalar else { continue }
            let r = r.lowerBound...min(r.upperBound, maxScalar)
            if let last = merged.last, r.lowerBound <= last.upperBound &+ 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, r.upperBound)
            } else {
                merged.append(r)
            }
        }
        // Remove the surrogate block (merging above may have bridged it).
        var out: [ClosedRange<UInt32>] = []
        out.reserveCapacity(merged.count + 1)
        for r in merged {
            if r.upperBound < surrogates.lowerBound || r.lowerBound > surrogates.upperBound {
                out.append(r)
                continue
            }
            if r.lowerBound < surrogates.lowerBound { out.append(r.lowerBound...(surrogates.lowerBound - 1)) }
            if r.upperBound > surrogates.upperBound { out.append((surrogates.upperBound + 1)...r.upperBound) }
        }
        return out
    }

    /// Whether the set holds no scalar.
    public var isEmpty: Bool { ranges.isEmpty }

    /// The number of scalars in the set.
    public var count: Int { ranges.reduce(0) { $0 + Int($1.upperBound - $1.lowerBound) + 1 } }

    /// The single member, when the set has exactly one.
    public var singleScalar: Unicode.Scalar? {
        guard ranges.count == 1, ranges[0].lowerBound == ranges[0].upperBound else { return nil }
        return Unicode.Scalar(ranges[0].lowerBound)
    }

    /// Whether `value` is a member (binary search).
    public func contains(_ value: UInt32) -> Bool {
        var lo = 0
        var hi = ranges.count
        while lo < hi {
            let mid = (lo + hi) / 2
            let r = ranges[mid]
            if value < r.lowerBound {
                hi = mid
            } else if value > r.upperBound {
                lo = mid + 1
            } else {
                return true
            }
        }
        return false
    }

    /// Whether `scalar` is a member.
    public func contains(_ scalar: Unicode.Scalar) -> Bool { contains(scalar.value) }

    /// Adds the scalars of `range`.
    public mutating func insert(_ range: ClosedRange<UInt32>) {
        ranges = ScalarSet.normalize(ranges + [range])
    }

    /// The scalars in either set.
    public func union(_ other: ScalarSet) -> ScalarSet {
        if other.isEmpty { return self }
        if isEmpty { return other }
        return ScalarSet(ranges: ranges + other.ranges)
    }

    /// Every scalar not in this set.
    public func inverted() -> ScalarSet {
        var out: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for r in ranges {
            if r.lowerBound > next { out.append(next...(r.lowerBound - 1)) }
            next = r.upperBound &+ 1
        }
        if next <= ScalarSet.maxScalar { out.append(next...ScalarSet.maxScalar) }
        return ScalarSet(ranges: out)
    }

    /// The scalars in both sets.
    public func intersection(_ other: ScalarSet) -> ScalarSet {
        inverted().union(other.inverted()).inverted()
    }

    /// The scalars in this set and not in `other`.
    public func subtracting(_ other: ScalarSet) -> ScalarSet {
        intersection(other.inverted())
    }

    /// The set closed under Unicode simple case folding: every member's case-fold orbit is added
    /// (`k` adds `K` and U+212A KELVIN SIGN). See `CaseFolding` for how the orbits are derived.
    public func caseFolded() -> ScalarSet {
        var extra: [ClosedRange<UInt32>] = []
        for r in ranges {
            for orbit in CaseFolding.orbits(ofScalarsIn: r) {
                for member in orbit { extra.append(member...member) }
            }
        }
        if extra.isEmpty { return self }
        return ScalarSet(ranges: ranges + extra)
    }

    /// The set in RE2 class syntax, for example `[a-z_]`, `x` or `[^\x00-\x{10FFFF}]`.
    public var description: String {
        if let s = singleScalar { return RegexPrinter.escapeLiteral(s) }
        if isEmpty { return "[^\\x00-\\x{10FFFF}]" }
        if self == ScalarSet.all { return "(?s:.)" }
        var out = "["
        for r in ranges {
            out += RegexPrinter.escapeInClass(r.lowerBound)
            if r.upperBound > r.lowerBound {
                if r.upperBound > r.lowerBound + 1 { out += "-" }
                out += RegexPrinter.escapeInClass(r.upperBound)
            }
        }
        return out + "]"
    }
}
