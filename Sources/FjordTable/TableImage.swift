/// A validated binary table image: what the proxy loads and executes.
///
/// `TableImage.write(_:)` serialises a `TableProgram`; `init(bytes:)` checks everything (header,
/// checksum, section bounds, every index, offset, count and string) before the image is used,
/// so lookups afterwards read without checks and cannot crash on a corrupted file. The byte
/// layout is in `grammar/table-format.md`, an overview in `docs/table-format.md`.
public struct TableImage: Sendable {
    @usableFromInline let storage: ImageStorage
    @usableFromInline let sections: Sections
    /// Header and query parameter names by global attribute index (`""` for other kinds),
    /// materialised once so lookup hands them to `TableRequest.header` without allocating.
    @usableFromInline let attributeNames: [String]
    let programStringCount: Int
    /// The image's minor format version (the major is always `TableImageFormat.majorVersion`).
    public let minorVersion: UInt16

    /// Serialises a program into a checksummed image (`grammar/table-format.md`).
    ///
    /// Strings of actions, rules and metadata join the program's string pool after the
    /// program's own strings; `program` returns only the latter. A program whose indexes are
    /// out of range still serialises, but `init(bytes:)` refuses the result.
    public static func write(_ program: TableProgram) -> [UInt8] {
        var w = ImageWriter(program)
        return w.finish()
    }

    /// Loads and validates an image. Throws on anything truncated, corrupted, of another major
    /// version or structurally invalid; never traps and allocates at most in proportion to
    /// `bytes.count`.
    public init(bytes: [UInt8]) throws(TableImageError) {
        let storage = ImageStorage(bytes)
        var v = Validator(raw: storage.raw, length: storage.count)
        try v.validate()
        self.storage = storage
        self.sections = v.sections
        self.attributeNames = v.attributeNames
        self.programStringCount = v.programStringCount
        self.minorVersion = v.minorVersion
    }

    /// Writes and reloads a program: an image known to be valid.
    public init(program: TableProgram) throws(TableImageError) {
        try self.init(bytes: TableImage.write(program))
    }

    /// The image's bytes.
    public var bytes: [UInt8] {
        Array(UnsafeRawBufferPointer(start: storage.raw.base, count: storage.count))
    }
}

/// The image's bytes, copied into memory aligned for its records and immutable afterwards.
@usableFromInline
final class ImageStorage: @unchecked Sendable {
    @usableFromInline let raw: RawImage
    let count: Int

    init(_ bytes: [UInt8]) {
        let p = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 16)
        bytes.withUnsafeBytes { b in
            if let src = b.baseAddress { p.copyMemory(from: src, byteCount: b.count) }
        }
        raw = RawImage(base: UnsafeRawPointer(p))
        count = bytes.count
    }

    deinit { UnsafeMutableRawPointer(mutating: raw.base).deallocate() }
}

/// Unchecked little-endian reads at byte offsets. Every offset read after validation lies in a
/// section that validation bounded.
@usableFromInline
struct RawImage: @unchecked Sendable {
    @usableFromInline let base: UnsafeRawPointer

    @inlinable @inline(__always) func u8(_ o: Int) -> UInt8 { base.load(fromByteOffset: o, as: UInt8.self) }
    @inlinable @inline(__always) func u16(_ o: Int) -> UInt16 {
        UInt16(littleEndian: base.loadUnaligned(fromByteOffset: o, as: UInt16.self))
    }
    @inlinable @inline(__always) func u32(_ o: Int) -> UInt32 {
        UInt32(littleEndian: base.loadUnaligned(fromByteOffset: o, as: UInt32.self))
    }
    @inlinable @inline(__always) func u64(_ o: Int) -> UInt64 {
        UInt64(littleEndian: base.loadUnaligned(fromByteOffset: o, as: UInt64.self))
    }
    @inlinable @inline(__always) func i64(_ o: Int) -> Int { Int(Int64(bitPattern: u64(o))) }
    @inlinable @inline(__always) func f64(_ o: Int) -> Double { Double(bitPattern: u64(o)) }
    @inlinable @inline(__always) func bytes(_ o: Int, _ n: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + o, count: n)
    }
}

/// Where one section's records are: byte offset, stride (record size) and record count.
@usableFromInline
struct SectionRef: Sendable {
    @usableFromInline var offset = 0
    @usableFromInline var stride = 0
    @usableFromInline var count = 0

    /// The byte offset of record `i`.
    @inlinable @inline(__always) func at(_ i: Int) -> Int { offset &+ i &* stride }
}

/// Every known section of a validated image.
@usableFromInline
struct Sections: Sendable {
    @usableFromInline var refs: [SectionRef] = Array(repeating: SectionRef(), count: 35)

    @inlinable subscript(_ kind: SectionKindIndex) -> SectionRef {
        get { refs.withUnsafeBufferPointer { $0[kind.raw] } }
        set { refs[kind.raw] = newValue }
    }
}

/// A section kind as a plain index (usable from inlinable code).
@usableFromInline
struct SectionKindIndex: Sendable {
    @usableFromInline let raw: Int
    @inlinable init(raw: Int) { self.raw = raw }
    init(_ k: SectionKind) { raw = Int(k.rawValue) }
}

extension SectionKind {
    var index: SectionKindIndex { SectionKindIndex(self) }
}

// MARK: Validation

struct Validator {
    let raw: RawImage
    let length: Int
    var sections = Sections()
    var attributeNames: [String] = []
    var programStringCount = 0
    var minorVersion: UInt16 = 0
    var stringCount = 0

    init(raw: RawImage, length: Int) {
        self.raw = raw
        self.length = length
    }

    func sec(_ k: SectionKind) -> SectionRef { sections[k.index] }

    func fail(_ message: String, at offset: Int? = nil) -> TableImageError { .invalid(message, at: offset) }

    mutating func validate() throws(TableImageError) {
        try header()
        try sectionTable()
        try strings()
        try scopes()
        try hostMaps()
        try virtualHosts()
        try classifiers()
        try nodes()
        try routeTables()
        try actions()
        try rules()
        try clusters()
        try metadata()
    }

    // MARK: Header and section table

    mutating func header() throws(TableImageError) {
        let h = TableImageFormat.headerSize
        guard length >= h else { throw TableImageError(.truncated(needed: h, available: length)) }
        for (i, m) in TableImageFormat.magic.enumerated() where raw.u8(i) != m {
            throw TableImageError(.badMagic, at: 0)
        }
        let major = raw.u16(TableImageFormat.Header.major)
        let minor = raw.u16(TableImageFormat.Header.minor)
        guard major == TableImageFormat.majorVersion else {
            throw TableImageError(.unsupportedVersion(major: major, minor: minor), at: TableImageFormat.Header.major)
        }
        minorVersion = minor
        let declared = raw.u64(TableImageFormat.Header.totalLength)
        if declared > UInt64(length) {
            throw TableImageError(
                .truncated(needed: declared > UInt64(Int.max) ? Int.max : Int(declared), available: length))
        }
        guard declared == UInt64(length) else {
            throw TableImageError(
                .lengthMismatch(declared: declared, actual: length), at: TableImageFormat.Header.totalLength)
        }
        let stored = raw.u32(TableImageFormat.Header.checksum)
        let computed = CRC32C.imageChecksum(raw.bytes(0, length))
        guard stored == computed else {
            throw TableImageError(
                .checksumMismatch(stored: stored, computed: computed), at: TableImageFormat.Header.checksum)
        }
        let headerSize = Int(raw.u32(TableImageFormat.Header.headerSize))
        guard headerSize >= h, headerSize <= length, headerSize % TableImageFormat.sectionAlignment == 0 else {
            throw fail(
                "header size \(headerSize) is not a multiple of 8 between \(h) and the image length",
                at: TableImageFormat.Header.headerSize)
        }
        let flags = raw.u32(TableImageFormat.Header.flags)
        guard flags & TableImageFormat.incompatibleFlagMask == 0 else {
            throw TableImageError(.unsupportedFlags(flags), at: TableImageFormat.Header.flags)
        }
    }

    mutating func sectionTable() throws(TableImageError) {
        let start = Int(raw.u32(TableImageFormat.Header.headerSize))
        let n = Int(raw.u32(TableImageFormat.Header.sectionCount))
        let entry = TableImageFormat.sectionEntrySize
        guard n <= (length - start) / entry else {
            throw TableImageError(
                .badSection("\(n) entries run past the end of the image"), at: TableImageFormat.Header.sectionCount)
        }
        let tableEnd = start + n * entry
        var seen = [Bool](repeating: false, count: 35)
        var spans: [(offset: Int, end: Int, at: Int)] = []
        for i in 0..<n {
            let e = start + i * entry
            let kind = raw.u32(e)
            let stride = Int(raw.u32(e + 4))
            let offset = Int(raw.u32(e + 8))
            let len = Int(raw.u32(e + 12))
            let count = Int(raw.u32(e + 16))
            guard offset >= tableEnd, offset <= length, len <= length - offset else {
                throw TableImageError(.badSection("section \(i) (kind \(kind)) lies outside the data area"), at: e + 8)
            }
            if len > 0 { spans.append((offset, offset + len, e)) }
            guard let k = SectionKind(rawValue: kind) else { continue }  // a newer minor's section
            guard !seen[Int(kind)] else { throw TableImageError(.badSection("two \(k.name) sections"), at: e) }
            seen[Int(kind)] = true
            guard stride >= k.recordSize else {
                throw TableImageError(
                    .badSection("\(k.name) records are \(stride) bytes, at least \(k.recordSize) expected"), at: e + 4)
            }
            guard offset % TableImageFormat.sectionAlignment == 0 else {
                throw TableImageError(.badSection("the \(k.name) section is not 8-byte aligned"), at: e + 8)
            }
            guard stride * count == len else {
                throw TableImageError(
                    .badSection("the \(k.name) section is \(len) bytes, not \(count) records of \(stride)"), at: e + 12)
            }
            sections[k.index] = SectionRef(offset: offset, stride: stride, count: count)
        }
        spans.sort { $0.offset < $1.offset }
        for j in spans.indices.dropFirst() where spans[j].offset < spans[j - 1].end {
            throw TableImageError(.badSection("sections overlap"), at: spans[j].at + 8)
        }
        for k in SectionKind.allCases where !seen[Int(k.rawValue)] { throw TableImageError(.missingSection(k.name)) }
    }

    // MARK: Helpers

    /// A `first`/`count` range into `kind` that must start where the previous one ended.
    func range(_ first: UInt32, _ count: UInt32, _ kind: SectionKind, _ cursor: inout Int, _ what: String, at: Int)
        throws(TableImageError) -> Range<Int>
    {
        guard Int(first) == cursor else {
            throw fail("\(what) starts at \(kind.name) record \(first), expected \(cursor)", at: at)
        }
        guard Int(count) <= sec(kind).count - cursor else {
            throw fail("\(what) runs past the end of the \(kind.name) section", at: at)
        }
        cursor += Int(count)
        return Int(first)..<cursor
    }

    func allUsed(_ kind: SectionKind, _ cursor: Int) throws(TableImageError) {
        guard cursor == sec(kind).count else {
            throw fail(
                "\(sec(kind).count - cursor) records of the \(kind.name) section belong to nothing",
                at: sec(kind).at(cursor))
        }
    }

    func string(_ v: UInt32, _ what: String, at: Int) throws(TableImageError) {
        guard Int(v) < stringCount else { throw fail("\(what) refers to string \(v) of \(stringCount)", at: at) }
    }

    func optString(_ v: UInt32, _ what: String, at: Int) throws(TableImageError) {
        if v != TableImageFormat.none { try string(v, what, at: at) }
    }

    func index(_ v: UInt32, _ kind: SectionKind, _ what: String, at: Int) throws(TableImageError) {
        guard Int(v) < sec(kind).count else {
            throw fail("\(what) refers to \(kind.name) record \(v) of \(sec(kind).count)", at: at)
        }
    }

    func code(_ v: UInt8, max: UInt8, _ what: String, at: Int) throws(TableImageError) {
        guard v <= max else { throw fail("unknown \(what) \(v)", at: at) }
    }

    func zero(_ v: UInt32, _ what: String, at: Int) throws(TableImageError) {
        guard v == 0 else { throw fail("reserved field \(what) is \(v), not 0", at: at) }
    }

    func stringBytes(_ i: Int) -> UnsafeRawBufferPointer {
        let o = sec(.stringOffsets)
        let start = Int(raw.u32(o.at(i)))
        let end = Int(raw.u32(o.at(i + 1)))
        return raw.bytes(sec(.stringBytes).offset + start, end - start)
    }

    // MARK: Strings

    mutating func strings() throws(TableImageError) {
        let offsets = sec(.stringOffsets)
        let bytes = sec(.stringBytes)
        guard offsets.count >= 1 else { throw fail("the string offsets section is empty", at: offsets.offset) }
        stringCount = offsets.count - 1
        var prev = 0
        for i in 0...stringCount {
            let o = Int(raw.u32(offsets.at(i)))
            guard i > 0 || o == 0 else { throw fail("the first string offset is \(o), not 0", at: offsets.at(i)) }
            guard o >= prev, o <= bytes.count else {
                throw fail("string offset \(o) is out of order or past the string bytes", at: offsets.at(i))
            }
            if i > 0, let bad = firstInvalidUTF8(raw.bytes(bytes.offset + prev, o - prev)) {
                throw fail("string \(i - 1) is not valid utf-8", at: bytes.offset + prev + bad)
            }
            prev = o
        }
        guard prev == bytes.count else {
            throw fail("\(bytes.count - prev) string bytes belong to no string", at: bytes.offset + prev)
        }
        let info = sec(.info)
        guard info.count == 1 else { throw fail("the info section has \(info.count) records, not 1", at: info.offset) }
        programStringCount = Int(raw.u32(info.offset))
        guard programStringCount <= stringCount else {
            throw fail("the program has \(programStringCount) strings, the pool only \(stringCount)", at: info.offset)
        }
        for f in 1..<4 { try zero(raw.u32(info.offset + 4 * f), "info[\(f)]", at: info.offset + 4 * f) }
    }

    // MARK: Scopes, listeners, host maps, virtual hosts

    mutating func scopes() throws(TableImageError) {
        let s = sec(.scopes)
        let l = sec(.listeners)
        var cursor = 0
        for i in 0..<s.count {
            let r = s.at(i)
            try code(raw.u8(r), max: 1, "scope kind", at: r)
            try code(raw.u8(r + 1), max: 1, "outbound policy", at: r + 1)
            try string(raw.u32(r + 4), "scope \(i) name", at: r + 4)
            try string(raw.u32(r + 8), "scope \(i) namespace", at: r + 8)
            let listeners = try range(
                raw.u32(r + 12), raw.u32(r + 16), .listeners, &cursor, "the listeners of scope \(i)", at: r + 12)
            var previous: UInt32?
            for j in listeners {
                let x = l.at(j)
                let port = raw.u32(x)
                if let p = previous, port <= p {
                    throw fail("listener ports of scope \(i) are not strictly increasing", at: x)
                }
                previous = port
                try index(raw.u32(x + 4), .hostMaps, "listener \(j) host map", at: x + 4)
                let overlay = raw.u32(x + 8)
                if overlay != TableImageFormat.none {
                    try index(overlay, .hostMaps, "listener \(j) overlay", at: x + 8)
                }
                try string(raw.u32(x + 12), "listener \(j) domain suffix", at: x + 12)
                try code(raw.u8(x + 16), max: 1, "outbound policy", at: x + 16)
            }
        }
        try allUsed(.listeners, cursor)
    }

    mutating func hostMaps() throws(TableImageError) {
        let m = sec(.hostMaps)
        let entries = sec(.hostEntries)
        let slots = sec(.hostSlots)
        var entryCursor = 0
        var slotCursor = 0
        for i in 0..<m.count {
            let r = m.at(i)
            let exact = try range(
                raw.u32(r), raw.u32(r + 4), .hostEntries, &entryCursor, "the exact hosts of host map \(i)", at: r)
            let wild = try range(
                raw.u32(r + 8), raw.u32(r + 12), .hostEntries, &entryCursor, "the wildcard hosts of host map \(i)",
                at: r + 8)
            let exactSlots = try range(
                raw.u32(r + 16), raw.u32(r + 20), .hostSlots, &slotCursor, "the exact host slots of host map \(i)",
                at: r + 16)
            let wildSlots = try range(
                raw.u32(r + 24), raw.u32(r + 28), .hostSlots, &slotCursor, "the wildcard host slots of host map \(i)",
                at: r + 24)
            var exactKeys: [(entry: UInt32, hash: UInt64)] = []
            for (k, j) in exact.enumerated() {
                let x = entries.at(j)
                try string(raw.u32(x), "host entry \(j)", at: x)
                let vh = raw.u32(x + 4)
                if vh != TableProgram.hiddenVirtualHost { try index(vh, .virtualHosts, "host entry \(j)", at: x + 4) }
                exactKeys.append((UInt32(k), FNV1a.hash(stringBytes(Int(raw.u32(x))))))
            }
            var wildKeys: [(entry: UInt32, hash: UInt64)] = []
            var star = TableImageFormat.none
            var maxSuffix = 0
            for (k, j) in wild.enumerated() {
                let x = entries.at(j)
                try string(raw.u32(x), "host entry \(j)", at: x)
                let vh = raw.u32(x + 4)
                if vh != TableProgram.hiddenVirtualHost { try index(vh, .virtualHosts, "host entry \(j)", at: x + 4) }
                let b = stringBytes(Int(raw.u32(x)))
                guard b.first == 0x2A else { throw fail("wildcard host entry \(j) does not start with `*`", at: x) }
                if b.count == 1 {
                    if star == TableImageFormat.none { star = UInt32(k) }
                } else {
                    maxSuffix = max(maxSuffix, b.count - 1)
                    wildKeys.append((UInt32(k), FNV1a.hashReversed(UnsafeRawBufferPointer(rebasing: b[1...]))))
                }
            }
            try hashSlots(slots, exactSlots, keys: exactKeys, "host map \(i) exact table", at: r + 16)
            try hashSlots(slots, wildSlots, keys: wildKeys, "host map \(i) wildcard table", at: r + 24)
            guard raw.u32(r + 32) == star else { throw fail("host map \(i) names the wrong `*` entry", at: r + 32) }
            guard Int(raw.u32(r + 36)) == maxSuffix else {
                throw fail("host map \(i) has the wrong longest wildcard suffix", at: r + 36)
            }
        }
        try allUsed(.hostEntries, entryCursor)
        try allUsed(.hostSlots, slotCursor)
    }

    /// The stored slots must be exactly what the documented builder makes from the keys.
    func hashSlots(
        _ s: SectionRef, _ stored: Range<Int>, keys: [(entry: UInt32, hash: UInt64)], _ what: String, at: Int
    ) throws(TableImageError) {
        let capacity = hashTableCapacity(keys.count)
        guard stored.count == capacity else {
            throw fail("\(what) has \(stored.count) slots, expected \(capacity)", at: at)
        }
        let expected = buildHashTable(keys: keys, capacity: capacity)
        for (k, j) in stored.enumerated() {
            let x = s.at(j)
            guard raw.u32(x) == expected[k].entry, raw.u32(x + 4) == expected[k].tag else {
                throw fail("\(what) slot \(k) differs from the table its keys make", at: x)
            }
        }
    }

    mutating func virtualHosts() throws(TableImageError) {
        let v = sec(.virtualHosts)
        for i in 0..<v.count {
            let r = v.at(i)
            try string(raw.u32(r), "virtual host \(i)", at: r)
            try code(raw.u8(r + 8), max: 2, "virtual host kind", at: r + 8)
            try code(raw.u8(r + 9), max: 1, "https redirect flag", at: r + 9)
            try zero(UInt32(raw.u16(r + 10)), "virtual host padding", at: r + 10)
            if raw.u8(r + 8) == TableProgram.VirtualHostKind.rules.rawValue {
                try index(raw.u32(r + 4), .routeTables, "virtual host \(i)", at: r + 4)
            }
        }
    }

    // MARK: Classifiers and nodes

    mutating func classifiers() throws(TableImageError) {
        let c = sec(.classifiers)
        var cur = [Int](repeating: 0, count: 35)
        for i in 0..<c.count {
            let r = c.at(i)
            let classCount = raw.u32(r + 4)
            guard classCount >= 1 else { throw fail("classifier \(i) has no classes", at: r + 4) }
            func cls(_ v: UInt32, _ what: String, at: Int) throws(TableImageError) {
                guard v < classCount else {
                    throw fail("\(what) is class \(v) of \(classCount) in classifier \(i)", at: at)
                }
            }
            try cls(raw.u32(r + 8), "the absent class", at: r + 8)
            let p = r + 12
            func param(_ k: Int) -> UInt32 { raw.u32(p + 4 * k) }
            switch raw.u8(r) {
            case ClassifierKindCode.exact.rawValue:
                let entries = try range(
                    param(0), param(1), .exactEntries, &cur[15], "the entries of classifier \(i)", at: p)
                let sensitive = try range(
                    param(2), param(3), .exactSlots, &cur[16], "the case-sensitive slots of classifier \(i)", at: p + 8)
                let folded = try range(
                    param(4), param(5), .exactSlots, &cur[16], "the case-insensitive slots of classifier \(i)",
                    at: p + 16)
                try cls(param(6), "the other class", at: p + 24)
                try zero(param(7), "classifier parameter 7", at: p + 28)
                var sKeys: [(entry: UInt32, hash: UInt64)] = []
                var fKeys: [(entry: UInt32, hash: UInt64)] = []
                let e = sec(.exactEntries)
                for (k, j) in entries.enumerated() {
                    let x = e.at(j)
                    try string(raw.u32(x), "exact entry \(j)", at: x)
                    try cls(raw.u32(x + 4), "exact entry \(j)", at: x + 4)
                    try code(raw.u8(x + 8), max: 1, "case flag", at: x + 8)
                    let b = stringBytes(Int(raw.u32(x)))
                    if raw.u8(x + 8) == 1 {
                        fKeys.append((UInt32(k), FNV1a.hashFolded(b)))
                    } else {
                        sKeys.append((UInt32(k), FNV1a.hash(b)))
                    }
                }
                try hashSlots(
                    sec(.exactSlots), sensitive, keys: sKeys, "classifier \(i) case-sensitive table", at: p + 8)
                try hashSlots(
                    sec(.exactSlots), folded, keys: fKeys, "classifier \(i) case-insensitive table", at: p + 16)
            case ClassifierKindCode.dense.rawValue:
                let byteMap = try range(
                    param(0), param(1), .dfaByteClasses, &cur[17], "the byte classes of classifier \(i)", at: p)
                guard byteMap.count == 256 else {
                    throw fail("classifier \(i) maps \(byteMap.count) bytes, not 256", at: p + 4)
                }
                let byteClassCount = Int(param(2))
                guard byteClassCount >= 1, byteClassCount <= 256 else {
                    throw fail("classifier \(i) has \(byteClassCount) byte classes", at: p + 8)
                }
                for j in byteMap where Int(raw.u8(sec(.dfaByteClasses).at(j))) >= byteClassCount {
                    throw fail("a byte class of classifier \(i) is out of range", at: sec(.dfaByteClasses).at(j))
                }
                let trans = try range(
                    param(4), param(5), .dfaTransitions, &cur[18], "the transitions of classifier \(i)", at: p + 16)
                let states = try range(
                    param(6), param(7), .dfaStateClasses, &cur[19], "the states of classifier \(i)", at: p + 24)
                let stateCount = states.count
                guard stateCount >= 1 else { throw fail("classifier \(i) has no states", at: p + 28) }
                guard Int(param(3)) < stateCount else {
                    throw fail("classifier \(i) starts in state \(param(3)) of \(stateCount)", at: p + 12)
                }
                guard trans.count == stateCount * byteClassCount else {
                    throw fail(
                        "classifier \(i) has \(trans.count) transitions, not \(stateCount) x \(byteClassCount)",
                        at: p + 20)
                }
                let t = sec(.dfaTransitions)
                for (k, j) in trans.enumerated() {
                    let target = raw.u32(t.at(j))
                    guard Int(target) < stateCount else {
                        throw fail(
                            "a transition of classifier \(i) leads to state \(target) of \(stateCount)", at: t.at(j))
                    }
                    guard k >= byteClassCount || target == 0 else {
                        throw fail("the dead state of classifier \(i) has a way out", at: t.at(j))
                    }
                }
                for j in states {
                    try cls(raw.u32(sec(.dfaStateClasses).at(j)), "a state", at: sec(.dfaStateClasses).at(j))
                }
            case ClassifierKindCode.sparse.rawValue:
                let states = try range(
                    param(1), param(2), .sparseStates, &cur[20], "the states of classifier \(i)", at: p + 4)
                let edges = try range(
                    param(3), param(4), .sparseEdges, &cur[21], "the edges of classifier \(i)", at: p + 12)
                for k in 5..<8 { try zero(param(k), "classifier parameter \(k)", at: p + 4 * k) }
                guard states.count >= 1 else { throw fail("classifier \(i) has no states", at: p + 8) }
                guard Int(param(0)) < states.count else {
                    throw fail("classifier \(i) starts in state \(param(0)) of \(states.count)", at: p)
                }
                let st = sec(.sparseStates)
                let ed = sec(.sparseEdges)
                for (k, j) in states.enumerated() {
                    let x = st.at(j)
                    let first = Int(raw.u32(x))
                    let n = Int(raw.u32(x + 4))
                    guard first <= edges.count, n <= edges.count - first else {
                        throw fail("the edges of a state of classifier \(i) are out of range", at: x)
                    }
                    guard k > 0 || n == 0 else { throw fail("the dead state of classifier \(i) has edges", at: x + 4) }
                    try cls(raw.u32(x + 8), "a state", at: x + 8)
                    var previousHi = -1
                    for e in 0..<n {
                        let y = ed.at(edges.lowerBound + first + e)
                        let lo = Int(raw.u8(y))
                        let hi = Int(raw.u8(y + 1))
                        guard lo <= hi, lo > previousHi else {
                            throw fail("the edges of a state of classifier \(i) are not sorted disjoint ranges", at: y)
                        }
                        previousHi = hi
                        guard Int(raw.u32(y + 4)) < states.count else {
                            throw fail("an edge of classifier \(i) leads to a state out of range", at: y + 4)
                        }
                    }
                }
            default:
                throw fail("unknown classifier kind \(raw.u8(r))", at: r)
            }
        }
        try allUsed(.exactEntries, cur[15])
        try allUsed(.exactSlots, cur[16])
        try allUsed(.dfaByteClasses, cur[17])
        try allUsed(.dfaTransitions, cur[18])
        try allUsed(.dfaStateClasses, cur[19])
        try allUsed(.sparseStates, cur[20])
        try allUsed(.sparseEdges, cur[21])
    }

    /// Table-independent node checks: ranges, acyclicity (children are lower-numbered nodes),
    /// sorted sparse children.
    mutating func nodes() throws(TableImageError) {
        let n = sec(.nodes)
        var dense = 0
        var sparse = 0
        func ref(_ v: UInt32, below i: Int, at: Int) throws(TableImageError) {
            let r = TableProgram.NodeRef(raw: v)
            if r.isLeaf { return }
            guard Int(v) < i else {
                throw fail("node \(i) has child node \(v): children must be lower-numbered nodes", at: at)
            }
        }
        for i in 0..<n.count {
            let r = n.at(i)
            try zero(UInt32(raw.u16(r + 2)), "node padding", at: r + 2)
            try ref(raw.u32(r + 4), below: i, at: r + 4)
            let d = try range(
                raw.u32(r + 8), raw.u32(r + 12), .denseChildren, &dense, "the dense children of node \(i)", at: r + 8)
            let s = try range(
                raw.u32(r + 16), raw.u32(r + 20), .sparseChildren, &sparse, "the sparse children of node \(i)",
                at: r + 16)
            for j in d { try ref(raw.u32(sec(.denseChildren).at(j)), below: i, at: sec(.denseChildren).at(j)) }
            var previous: UInt32?
            for j in s {
                let x = sec(.sparseChildren).at(j)
                let c = raw.u32(x)
                if let p = previous, c <= p {
                    throw fail("the sparse children of node \(i) are not sorted by class", at: x)
                }
                previous = c
                try ref(raw.u32(x + 4), below: i, at: x + 4)
            }
        }
        try allUsed(.denseChildren, dense)
        try allUsed(.sparseChildren, sparse)
    }

    // MARK: Route tables

    mutating func routeTables() throws(TableImageError) {
        let t = sec(.routeTables)
        let attrs = sec(.attributes)
        var cur = (a: 0, g: 0, s: 0)
        attributeNames = []
        attributeNames.reserveCapacity(attrs.count)
        var stamp = [Int](repeating: -1, count: sec(.nodes).count)
        var stack: [Int] = []
        for i in 0..<t.count {
            let r = t.at(i)
            let a = try range(
                raw.u32(r), raw.u32(r + 4), .attributes, &cur.a, "the attributes of route table \(i)", at: r)
            guard a.count <= TableImageFormat.maxAttributesPerRouteTable else {
                throw fail(
                    "route table \(i) tests \(a.count) attributes, at most \(TableImageFormat.maxAttributesPerRouteTable) allowed",
                    at: r + 4)
            }
            let g = try range(
                raw.u32(r + 8), raw.u32(r + 12), .segments, &cur.g, "the segments of route table \(i)", at: r + 8)
            let s = try range(
                raw.u32(r + 16), raw.u32(r + 20), .slots, &cur.s, "the slots of route table \(i)", at: r + 16)
            for j in a {
                let x = attrs.at(j)
                let kind = raw.u8(x)
                try code(kind, max: 6, "attribute kind", at: x)
                try zero(UInt32(raw.u8(x + 1)) | UInt32(raw.u16(x + 2)) << 8, "attribute padding", at: x + 1)
                try index(raw.u32(x + 8), .classifiers, "attribute \(j)", at: x + 8)
                if kind == TableProgram.AttributeKind.header.rawValue
                    || kind == TableProgram.AttributeKind.query.rawValue
                {
                    try string(raw.u32(x + 4), "attribute \(j) name", at: x + 4)
                    attributeNames.append(String(decoding: stringBytes(Int(raw.u32(x + 4))), as: UTF8.self))
                } else {
                    attributeNames.append("")
                }
            }
            for j in s {
                let x = sec(.slots).at(j)
                try index(raw.u32(x), .actions, "slot \(j) action", at: x)
                let rule = raw.u32(x + 4)
                if rule != TableImageFormat.none { try index(rule, .rules, "slot \(j) rule", at: x + 4) }
            }
            // Every node reachable from this table's segments must fit the table.
            func child(_ v: UInt32, at: Int) throws(TableImageError) {
                let ref = TableProgram.NodeRef(raw: v)
                if ref.isNoMatch { return }
                if ref.isLeaf {
                    guard Int(ref.slot) < s.count else {
                        throw fail("a leaf of route table \(i) selects slot \(ref.slot) of \(s.count)", at: at)
                    }
                    return
                }
                guard Int(v) < stamp.count else {
                    throw fail("route table \(i) refers to node \(v) of \(stamp.count)", at: at)
                }
                if stamp[Int(v)] != i {
                    stamp[Int(v)] = i
                    stack.append(Int(v))
                }
            }
            for j in g { try child(raw.u32(sec(.segments).at(j)), at: sec(.segments).at(j)) }
            let nodes = sec(.nodes)
            while let nodeIndex = stack.popLast() {
                let x = nodes.at(nodeIndex)
                let attribute = Int(raw.u16(x))
                guard attribute < a.count else {
                    throw fail(
                        "node \(nodeIndex) tests attribute \(attribute) of \(a.count) in route table \(i)", at: x)
                }
                let classifier = Int(raw.u32(attrs.at(a.lowerBound + attribute) + 8))
                let classCount = Int(raw.u32(sec(.classifiers).at(classifier) + 4))
                let denseCount = Int(raw.u32(x + 12))
                guard denseCount == 0 || denseCount == classCount else {
                    throw fail(
                        "node \(nodeIndex) has \(denseCount) dense children for \(classCount) classes", at: x + 12)
                }
                try child(raw.u32(x + 4), at: x + 4)
                let d = Int(raw.u32(x + 8))
                for k in 0..<denseCount {
                    try child(raw.u32(sec(.denseChildren).at(d + k)), at: sec(.denseChildren).at(d + k))
                }
                let sp = Int(raw.u32(x + 16))
                let sn = Int(raw.u32(x + 20))
                for k in 0..<sn {
                    let y = sec(.sparseChildren).at(sp + k)
                    guard Int(raw.u32(y)) < classCount else {
                        throw fail("node \(nodeIndex) has a child for class \(raw.u32(y)) of \(classCount)", at: y)
                    }
                    try child(raw.u32(y + 4), at: y + 4)
                }
            }
        }
        try allUsed(.attributes, cur.a)
        try allUsed(.segments, cur.g)
        try allUsed(.slots, cur.s)
    }

    // MARK: Actions, rules, clusters, metadata

    func destination(_ x: Int, _ what: String) throws(TableImageError) {
        try string(raw.u32(x), "\(what) host", at: x)
        try optString(raw.u32(x + 4), "\(what) subset", at: x + 4)
        guard raw.u32(x + 8) <= 1 else { throw fail("\(what) has unknown flags", at: x + 8) }
        try zero(raw.u32(x + 12), "destination padding", at: x + 12)
    }

    mutating func actions() throws(TableImageError) {
        let a = sec(.actions)
        var dest = 0
        var mirrors = 0
        var pairs = 0
        var lists = 0
        for i in 0..<a.count {
            let r = a.at(i)
            guard ActionLayout.kind(raw.u8(r)) != nil else { throw fail("unknown action kind \(raw.u8(r))", at: r) }
            let flags = raw.u32(r + ActionLayout.flags)
            guard flags & ~ActionLayout.knownFlags == 0 else {
                throw fail("action \(i) has unknown flags", at: r + ActionLayout.flags)
            }
            func requires(_ child: UInt32, _ parent: UInt32) throws(TableImageError) {
                guard flags & child == 0 || flags & parent != 0 else {
                    throw fail("action \(i) has inconsistent flags", at: r + ActionLayout.flags)
                }
            }
            try requires(ActionLayout.hasRedirectPort, ActionLayout.hasRedirect)
            try requires(ActionLayout.hasDelay, ActionLayout.hasFault)
            try requires(ActionLayout.hasAbortStatus, ActionLayout.hasFault)
            /// The header operations whose six counts start at byte `o`.
            func ops(_ o: Int, _ owner: String) throws(TableImageError) {
                for k in [0, 8] {
                    for j in try range(
                        raw.u32(o + k), raw.u32(o + k + 4), .headerPairs, &pairs, "the header operations of \(owner)",
                        at: o + k)
                    {
                        let x = sec(.headerPairs).at(j)
                        try string(raw.u32(x), "header name", at: x)
                        try string(raw.u32(x + 4), "header value", at: x + 4)
                    }
                }
                for j in try range(
                    raw.u32(o + 16), raw.u32(o + 20), .stringLists, &lists, "the removed headers of \(owner)",
                    at: o + 16)
                {
                    try string(raw.u32(sec(.stringLists).at(j)), "removed header", at: sec(.stringLists).at(j))
                }
            }
            for j in try range(
                raw.u32(r + ActionLayout.destFirst), raw.u32(r + ActionLayout.destCount), .destinations, &dest,
                "the destinations of action \(i)", at: r + ActionLayout.destFirst)
            {
                let x = sec(.destinations).at(j)
                try destination(x, "destination \(j)")
                try ops(x + DestinationLayout.requestOps, "destination \(j)")
                try ops(x + DestinationLayout.responseOps, "destination \(j)")
            }
            for j in try range(
                raw.u32(r + ActionLayout.mirrorFirst), raw.u32(r + ActionLayout.mirrorCount), .mirrors, &mirrors,
                "the mirrors of action \(i)", at: r + ActionLayout.mirrorFirst)
            {
                try destination(sec(.mirrors).at(j), "mirror \(j)")
            }
            try ops(r + ActionLayout.requestOps, "action \(i)")
            try ops(r + ActionLayout.responseOps, "action \(i)")
            for off in [
                ActionLayout.redirectURI, ActionLayout.redirectAuthority, ActionLayout.redirectScheme,
                ActionLayout.redirectDerivePort,
                ActionLayout.directBody, ActionLayout.rewriteURI, ActionLayout.rewriteAuthority,
                ActionLayout.rewriteRegexMatch,
                ActionLayout.rewriteRegexSubstitution, ActionLayout.abortGrpcStatus,
            ] {
                try optString(raw.u32(r + off), "action \(i) field", at: r + off)
            }
            try string(raw.u32(r + ActionLayout.retryOn), "action \(i) retry conditions", at: r + ActionLayout.retryOn)
            try zero(raw.u32(r + 132), "action padding", at: r + 132)
            try zero(UInt32(raw.u8(r + 1)) | UInt32(raw.u16(r + 2)) << 8, "action padding", at: r + 1)
        }
        try allUsed(.destinations, dest)
        try allUsed(.mirrors, mirrors)
        try allUsed(.headerPairs, pairs)
        try allUsed(.stringLists, lists)
    }

    mutating func rules() throws(TableImageError) {
        let s = sec(.rules)
        for i in 0..<s.count {
            let r = s.at(i)
            try string(raw.u32(r), "rule \(i) virtual service", at: r)
            try optString(raw.u32(r + 4), "rule \(i) name", at: r + 4)
            try optString(raw.u32(r + 8), "rule \(i) delegate", at: r + 8)
            guard raw.u32(r + 12) <= 1 else { throw fail("rule \(i) has unknown flags", at: r + 12) }
        }
    }

    mutating func clusters() throws(TableImageError) {
        let s = sec(.clusters)
        var pairs = 0
        var priorities = 0
        for i in 0..<s.count {
            let r = s.at(i)
            try string(raw.u32(r), "cluster \(i) host", at: r)
            try optString(raw.u32(r + ClusterLayout.subset), "cluster \(i) subset", at: r + ClusterLayout.subset)
            try optString(raw.u32(r + ClusterLayout.hashKey), "cluster \(i) hash key", at: r + ClusterLayout.hashKey)
            try code(
                raw.u8(r + ClusterLayout.loadBalancer), max: 7, "load balancer", at: r + ClusterLayout.loadBalancer)
            try code(raw.u8(r + ClusterLayout.tls), max: 4, "tls mode", at: r + ClusterLayout.tls)
            guard raw.u16(r + ClusterLayout.presence) < 1 << 10 else {
                throw fail("cluster \(i) has unknown flags", at: r + ClusterLayout.presence)
            }
            let labels = try range(
                raw.u32(r + ClusterLayout.labelsFirst), raw.u32(r + ClusterLayout.labelsCount), .regionPairs, &pairs,
                "the subset labels of cluster \(i)", at: r + ClusterLayout.labelsFirst)
            let failover = try range(
                raw.u32(r + ClusterLayout.failoverFirst), raw.u32(r + ClusterLayout.failoverCount), .regionPairs,
                &pairs, "the failover of cluster \(i)", at: r + ClusterLayout.failoverFirst)
            for j in labels.lowerBound..<failover.upperBound {
                let x = sec(.regionPairs).at(j)
                try string(raw.u32(x), "pair \(j)", at: x)
                try string(raw.u32(x + 4), "pair \(j)", at: x + 4)
            }
            for j in try range(
                raw.u32(r + ClusterLayout.priorityFirst), raw.u32(r + ClusterLayout.priorityCount), .clusterPriorities,
                &priorities, "the failover priority of cluster \(i)", at: r + ClusterLayout.priorityFirst)
            {
                try string(
                    raw.u32(sec(.clusterPriorities).at(j)), "failover priority label", at: sec(.clusterPriorities).at(j)
                )
            }
            try zero(raw.u32(r + 84), "cluster padding", at: r + 84)
        }
        try allUsed(.regionPairs, pairs)
        try allUsed(.clusterPriorities, priorities)
    }

    mutating func metadata() throws(TableImageError) {
        let s = sec(.metadata)
        for i in 0..<s.count {
            let r = s.at(i)
            try string(raw.u32(r), "metadata name", at: r)
            try string(raw.u32(r + 4), "metadata value", at: r + 4)
        }
    }
}
