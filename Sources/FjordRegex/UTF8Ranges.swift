/// A set of bytes (256 bits), allocation-free.
public struct ByteSet: Sendable, Hashable {
    private var w0: UInt64 = 0
    private var w1: UInt64 = 0
    private var w2: UInt64 = 0
    private var w3: UInt64 = 0

    /// The empty set.
    public init() {}

    /// The bytes in `range`.
    public init(_ range: ClosedRange<UInt8>) {
        for b in range { insert(b) }
    }

    /// Whether `b` is a member.
    @inline(__always)
    public func contains(_ b: UInt8) -> Bool {
        let bit = UInt64(1) << UInt64(b & 63)
        switch b >> 6 {
        case 0: return w0 & bit != 0
        case 1: return w1 & bit != 0
        case 2: return w2 & bit != 0
        default: return w3 & bit != 0
        }
    }

    /// Adds `b`.
    public mutating func insert(_ b: UInt8) {
        let bit = UInt64(1) << UInt64(b & 63)
        switch b >> 6 {
        case 0: w0 |= bit
        case 1: w1 |= bit
        case 2: w2 |= bit
        default: w3 |= bit
        }
    }
}

/// Splits scalar ranges into UTF-8 byte-range sequences (as RE2's compiler and Rust's
/// `utf8-ranges` do): every scalar in the range encodes to a byte string matched by exactly one
/// sequence, and each sequence is a list of 1 to 4 byte ranges, one per byte.
enum UTF8Ranges {
    typealias Sequence = [ClosedRange<UInt8>]

    /// The sequences covering `range` (surrogates excluded).
    static func sequences(_ range: ClosedRange<UInt32>) -> [Sequence] {
        var out: [Sequence] = []
        var stack: [(UInt32, UInt32)] = [(range.lowerBound, min(range.upperBound, ScalarSet.maxScalar))]
        outer: while let (start, end0) = stack.popLast() {
            var end = end0
            if start > end { continue }
            while true {
                // Skip surrogates.
                if start <= 0xDFFF && end >= 0xD800 {
                    if start < 0xD800 { stack.append((start, 0xD7FF)) }
                    if end > 0xDFFF { stack.append((0xE000, end)) }
                    continue outer
                }
                // Split where the encoded length changes.
                var split = false
                for maxOfLength: UInt32 in [0x7F, 0x7FF, 0xFFFF] where start <= maxOfLength && maxOfLength < end {
                    stack.append((maxOfLength + 1, end))
                    end = maxOfLength
                    split = true
                    break
                }
                if split { continue }
                if end <= 0x7F {
                    out.append([UInt8(start)...UInt8(end)])
                    continue outer
                }
                // Split until every continuation byte position spans a whole aligned block.
                for i in 1...3 {
                    let m: UInt32 = (1 << (6 * UInt32(i))) - 1
                    if start & ~m != end & ~m {
                        if start & m != 0 {
                            stack.append(((start | m) + 1, end))
                            end = start | m
                            split = true
                            break
                        }
                        if end & m != m {
                            stack.append((end & ~m, end))
                            end = (end & ~m) - 1
                            split = true
                            break
                        }
                    }
                }
                if split { continue }
                let a = encode(start)
                let b = encode(end)
                out.append(zip(a, b).map { $0.0...$0.1 })
                continue outer
            }
        }
        return out
    }

    /// The UTF-8 encoding of a scalar value (not a surrogate).
    static func encode(_ v: UInt32) -> [UInt8] {
        switch v {
        case 0..<0x80: return [UInt8(v)]
        case 0x80..<0x800: return [UInt8(0xC0 | (v >> 6)), UInt8(0x80 | (v & 0x3F))]
        case 0x800..<0x10000:
            return [UInt8(0xE0 | (v >> 12)), UInt8(0x80 | ((v >> 6) & 0x3F)), UInt8(0x80 | (v & 0x3F))]
        default:
            return [
                UInt8(0xF0 | (v >> 18)), UInt8(0x80 | ((v >> 12) & 0x3F)), UInt8(0x80 | ((v >> 6) & 0x3F)),
                UInt8(0x80 | (v & 0x3F)),
            ]
        }
    }

    /// How ill-formed UTF-8 reads as U+FFFD (the standard library's maximal-subpart rule), as
    /// byte paths: each is a list of byte ranges consumed, then a lookahead: the unit ends there
    /// only when the next byte is *not* in `notFollowedBy` (or the input ends). A nil lookahead
    /// means the unit is a single byte that can never start a sequence.
    static let invalidUnits: [(path: Sequence, notFollowedBy: ClosedRange<UInt8>?)] = [
        ([0x80...0xBF], nil), ([0xC0...0xC1], nil), ([0xF5...0xFF], nil),
        ([0xC2...0xDF], 0x80...0xBF),
        ([0xE0...0xE0], 0xA0...0xBF), ([0xE0...0xE0, 0xA0...0xBF], 0x80...0xBF),
        ([0xE1...0xEC], 0x80...0xBF), ([0xE1...0xEC, 0x80...0xBF], 0x80...0xBF),
        ([0xED...0xED], 0x80...0x9F), ([0xED...0xED, 0x80...0x9F], 0x80...0xBF),
        ([0xEE...0xEF], 0x80...0xBF), ([0xEE...0xEF, 0x80...0xBF], 0x80...0xBF),
        ([0xF0...0xF0], 0x90...0xBF), ([0xF0...0xF0, 0x90...0xBF], 0x80...0xBF),
        ([0xF0...0xF0, 0x90...0xBF, 0x80...0xBF], 0x80...0xBF),
        ([0xF1...0xF3], 0x80...0xBF), ([0xF1...0xF3, 0x80...0xBF], 0x80...0xBF),
        ([0xF1...0xF3, 0x80...0xBF, 0x80...0xBF], 0x80...0xBF),
        ([0xF4...0xF4], 0x80...0x8F), ([0xF4...0xF4, 0x80...0x8F], 0x80...0xBF),
        ([0xF4...0xF4, 0x80...0x8F, 0x80...0xBF], 0x80...0xBF),
    ]
}
