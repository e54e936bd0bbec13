// The constants of the table image format. `grammar/table-format.md` is the normative byte
// layout; every number here appears there, and a test checks the two agree.

/// The format's fixed numbers: magic, version, header layout, section kinds and record sizes.
public enum TableImageFormat {
    /// `FJTB` as bytes.
    public static let magic: [UInt8] = [0x46, 0x4A, 0x54, 0x42]
    /// Readers refuse any other major version.
    public static let majorVersion: UInt16 = 1
    /// Readers accept any minor version: a newer minor only adds section kinds (which older
    /// readers skip), grows records at their end (the stride says how long they are) or sets
    /// compatible flag bits (the upper 16).
    public static let minorVersion: UInt16 = 0
    /// Bytes in the header.
    public static let headerSize = 32
    /// Bytes in one section table entry.
    public static let sectionEntrySize = 24
    /// Sections start at offsets that are multiples of this.
    public static let sectionAlignment = 8
    /// Flag bits a reader must understand to use the image (the lower 16); none are defined.
    public static let incompatibleFlagMask: UInt32 = 0x0000_FFFF
    /// Request hosts longer than this many bytes never name a virtual host.
    public static let maxHostLength = 1000
    /// A route table tests at most this many attributes (the lookup caches their classes in a
    /// fixed stack buffer).
    public static let maxAttributesPerRouteTable = 256
    /// No index is this large (the "none" sentinel of optional references).
    public static let none: UInt32 = .max

    /// Every section kind this version knows: number, name (as in `grammar/table-format.md`)
    /// and record size in bytes. Sections are written in this order.
    public static var sections: [(kind: UInt32, name: String, recordSize: Int)] {
        SectionKind.allCases.map { ($0.rawValue, $0.name, $0.recordSize) }
    }

    /// Header field offsets.
    enum Header {
        static let magic = 0
        static let major = 4
        static let minor = 6
        static let headerSize = 8
        static let flags = 12
        static let totalLength = 16
        static let checksum = 24
        static let sectionCount = 28
    }
}

/// Section kinds (the `kind` field of a section table entry) and the size of their records.
enum SectionKind: UInt32, CaseIterable, Sendable {
    case info = 1
    case stringOffsets = 2
    case stringBytes = 3
    case scopes = 4
    case listeners = 5
    case hostMaps = 6
    case hostEntries = 7
    case hostSlots = 8
    case virtualHosts = 9
    case routeTables = 10
    case attributes = 11
    case segments = 12
    case slots = 13
    case classifiers = 14
    case exactEntries = 15
    case exactSlots = 16
    case dfaByteClasses = 17
    case dfaTransitions = 18
    case dfaStateClasses = 19
    case sparseStates = 20
    case sparseEdges = 21
    case nodes = 22
    case denseChildren = 23
    case sparseChildren = 24
    case actions = 25
    case destinations = 26
    case mirrors = 27
    case headerPairs = 28
    case stringLists = 29
    case rules = 30
    case clusters = 31
    case regionPairs = 32
    case clusterPriorities = 33
    case metadata = 34

    /// The record size this version writes (and the least stride it reads).
    var recordSize: Int {
        switch self {
        case .info: 16
        case .stringOffsets: 4
        case .stringBytes: 1
        case .scopes: 20
        case .listeners: 20
        case .hostMaps: 40
        case .hostEntries: 8
        case .hostSlots: 8
        case .virtualHosts: 12
        case .routeTables: 24
        case .attributes: 12
        case .segments: 4
        case .slots: 8
        case .classifiers: 44
        case .exactEntries: 12
        case .exactSlots: 8
        case .dfaByteClasses: 1
        case .dfaTransitions: 4
        case .dfaStateClasses: 4
        case .sparseStates: 12
        case .sparseEdges: 8
        case .nodes: 24
        case .denseChildren: 4
        case .sparseChildren: 8
        case .actions: 208
        case .destinations: 80
        case .mirrors: 40
        case .headerPairs: 8
        case .stringLists: 4
        case .rules: 32
        case .clusters: 88
        case .regionPairs: 8
        case .clusterPriorities: 4
        case .metadata: 8
        }
    }

    /// The lowercase name used in error messages and the docs.
    var name: String {
        switch self {
        case .info: "info"
        case .stringOffsets: "string offsets"
        case .stringBytes: "string bytes"
        case .scopes: "scopes"
        case .listeners: "listeners"
        case .hostMaps: "host maps"
        case .hostEntries: "host entries"
        case .hostSlots: "host slots"
        case .virtualHosts: "virtual hosts"
        case .routeTables: "route tables"
        case .attributes: "attributes"
        case .segments: "segments"
        case .slots: "slots"
        case .classifiers: "classifiers"
        case .exactEntries: "exact entries"
        case .exactSlots: "exact slots"
        case .dfaByteClasses: "dfa byte classes"
        case .dfaTransitions: "dfa transitions"
        case .dfaStateClasses: "dfa state classes"
        case .sparseStates: "sparse states"
        case .sparseEdges: "sparse edges"
        case .nodes: "nodes"
        case .denseChildren: "dense children"
        case .sparseChildren: "sparse children"
        case .actions: "actions"
        case .destinations: "destinations"
        case .mirrors: "mirrors"
        case .headerPairs: "header pairs"
        case .stringLists: "string lists"
        case .rules: "rules"
        case .clusters: "clusters"
        case .regionPairs: "region pairs"
        case .clusterPriorities: "cluster priorities"
        case .metadata: "metadata"
        }
    }
}

/// Classifier kinds in a classifier record.
enum ClassifierKindCode: UInt8 {
    case exact = 0
    case dense = 1
    case sparse = 2
}

// MARK: Hashing

/// FNV-1a, 64 bits: `h = 0xcbf29ce484222325; for b in bytes { h = (h ^ b) &* 0x100000001b3 }`.
///
/// Exact hosts hash their bytes as stored (they are lowercase); wildcard hosts hash the bytes
/// after the leading `*` in reverse order (so a lookup can hash every suffix of a host in one
/// backward pass); case-insensitive exact classifier entries hash ASCII-lowercased bytes.
@usableFromInline
enum FNV1a {
    @usableFromInline static let offset: UInt64 = 0xcbf2_9ce4_8422_2325
    @usableFromInline static let prime: UInt64 = 0x0000_0100_0000_01b3

    @inlinable @inline(__always)
    static func step(_ h: UInt64, _ b: UInt8) -> UInt64 { (h ^ UInt64(b)) &* prime }

    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h = offset
        for b in bytes { h = step(h, b) }
        return h
    }

    static func hashReversed(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h = offset
        var i = bytes.count
        while i > 0 {
            i -= 1
            h = step(h, bytes[i])
        }
        return h
    }

    static func hashFolded(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h = offset
        for b in bytes { h = step(h, asciiLower(b)) }
        return h
    }
}

@inlinable @inline(__always)
func asciiLower(_ b: UInt8) -> UInt8 { b &- 0x41 < 26 ? b | 0x20 : b }

/// The number of slots of an open-addressing table for `n` keys: 0 for none, else the smallest
/// power of two at least `2n` (load factor at most one half, so probing always meets an empty
/// slot).
func hashTableCapacity(_ n: Int) -> Int {
    if n == 0 { return 0 }
    var c = 2
    while c < 2 * n { c <<= 1 }
    return c
}

/// Builds an open-addressing table with linear probing: slot `hash & (capacity - 1)` first, then
/// the following slots (wrapping). A slot is `(entry, tag)` with `entry == UInt32.max` for
/// empty and `tag` the upper 32 bits of the key's hash. Keys are inserted in entry order.
func buildHashTable(keys: [(entry: UInt32, hash: UInt64)], capacity: Int) -> [(entry: UInt32, tag: UInt32)] {
    var slots = [(entry: UInt32, tag: UInt32)](repeating: (TableImageFormat.none, 0), count: capacity)
    guard capacity > 0 else { return slots }
    let mask = capacity - 1
    for k in keys {
        var i = Int(truncatingIfNeeded: k.hash) & mask
        while slots[i].entry != TableImageFormat.none { i = (i + 1) & mask }
        slots[i] = (k.entry, UInt32(truncatingIfNeeded: k.hash >> 32))
    }
    return slots
}

// MARK: CRC-32C

/// CRC-32C (Castagnoli): reflected polynomial `0x82F63B78`, initial value `0xFFFFFFFF`, final
/// xor `0xFFFFFFFF` (the check value of the ASCII bytes `123456789` is `0xE3069283`). Computed
/// slicing by 8.
public enum CRC32C {
    static let tables: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
            t[i] = c
        }
        for i in 0..<256 {
            for k in 1..<8 {
                let prev = t[(k - 1) * 256 + i]
                t[k * 256 + i] = (prev >> 8) ^ t[Int(prev & 0xFF)]
            }
        }
        return t
    }()

    /// Continues a CRC over more bytes (start with `0`; the result is final).
    public static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var c = ~crc
        guard let base = bytes.baseAddress else { return crc }
        let n = bytes.count
        var i = 0
        tables.withUnsafeBufferPointer { t in
            while i + 8 <= n {
                let lo = base.loadUnaligned(fromByteOffset: i, as: UInt32.self).littleEndian ^ c
                let hi = base.loadUnaligned(fromByteOffset: i + 4, as: UInt32.self).littleEndian
                c =
                    t[7 * 256 + Int(lo & 0xFF)] ^ t[6 * 256 + Int((lo >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((lo >> 16) & 0xFF)] ^ t[4 * 256 + Int(lo >> 24)]
                    ^ t[3 * 256 + Int(hi & 0xFF)] ^ t[2 * 256 + Int((hi >> 8) & 0xFF)]
                    ^ t[1 * 256 + Int((hi >> 16) & 0xFF)] ^ t[Int(hi >> 24)]
                i += 8
            }
            while i < n {
                c = (c >> 8) ^ t[Int((c ^ UInt32(base.load(fromByteOffset: i, as: UInt8.self))) & 0xFF)]
                i += 1
            }
        }
        return ~c
    }

    /// The CRC-32C of `bytes`.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { update(0, $0) }
    }

    /// The image checksum: CRC-32C over the whole image except the 4 checksum bytes
    /// (bytes `0..<24`, then `28..<length`).
    static func imageChecksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        let at = TableImageFormat.Header.checksum
        let c = update(0, UnsafeRawBufferPointer(rebasing: bytes[0..<at]))
        return update(c, UnsafeRawBufferPointer(rebasing: bytes[(at + 4)...]))
    }
}

// MARK: UTF-8

/// Whether `bytes` is well-formed UTF-8 (no overlong forms, surrogates or values above
/// U+10FFFF); returns the offset of the first bad byte, or nil.
func firstInvalidUTF8(_ bytes: UnsafeRawBufferPointer) -> Int? {
    var i = 0
    let n = bytes.count
    while i < n {
        let b0 = bytes[i]
        if b0 < 0x80 {
            i += 1
            continue
        }
        var need = 0
        var lo: UInt8 = 0x80
        var hi: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: need = 1
        case 0xE0: need = 2; lo = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: need = 2
        case 0xED: need = 2; hi = 0x9F
        case 0xF0: need = 3; lo = 0x90
        case 0xF1...0xF3: need = 3
        case 0xF4: need = 3; hi = 0x8F
        default: return i
        }
        guard i + need < n else { return i }
        let b1 = bytes[i + 1]
        guard b1 >= lo && b1 <= hi else { return i }
        var k = 2
        while k <= need {
            let b = bytes[i + k]
            guard b >= 0x80 && b <= 0xBF else { return i }
            k += 1
        }
        i += need + 1
    }
    return nil
}
