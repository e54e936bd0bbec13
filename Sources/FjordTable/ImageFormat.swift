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
        let at = Layout.Header.checksum.offset
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

// MARK: Record layouts

// Every record of the image, field by field: the one place in code that knows where a field
// lies. Readers (`TableImage` lookup and decoding, the validator) read fields by name through
// `RawImage`'s subscripts. `grammar/table-format.md` has the same tables (`TableFormatDocTests`
// compares them row by row, and checks that each record's fields tile its size). Fields are
// computed properties so that every offset is a constant the optimiser folds.

/// A field's type as `grammar/table-format.md` writes it, with its size in bytes.
struct FieldDecl: Equatable, Sendable {
    var name: String
    var offset: Int
    var type: String
    var size: Int
}

/// A one-byte field.
struct U8Field: Sendable {
    let offset: Int
    init(_ offset: Int) { self.offset = offset }
    func at(_ record: Int) -> Int { record &+ offset }
    func decl(_ name: String) -> FieldDecl { FieldDecl(name: name, offset: offset, type: "u8", size: 1) }
}

/// A two-byte field.
struct U16Field: Sendable {
    let offset: Int
    init(_ offset: Int) { self.offset = offset }
    func at(_ record: Int) -> Int { record &+ offset }
    func decl(_ name: String) -> FieldDecl { FieldDecl(name: name, offset: offset, type: "u16", size: 2) }
}

/// A four-byte field: a number, a string index (`str`, `str?`) or a `NodeRef`.
struct U32Field: Sendable {
    enum Meaning: String, Sendable {
        case u32, str, optionalString = "str?", nodeRef = "NodeRef"
    }
    let offset: Int
    let meaning: Meaning
    init(_ offset: Int, _ meaning: Meaning = .u32) {
        self.offset = offset
        self.meaning = meaning
    }
    func at(_ record: Int) -> Int { record &+ offset }
    func decl(_ name: String) -> FieldDecl { FieldDecl(name: name, offset: offset, type: meaning.rawValue, size: 4) }
}

/// An eight-byte field: `u64`, `i64` or `f64`.
struct U64Field: Sendable {
    enum Meaning: String, Sendable { case u64, i64, f64 }
    let offset: Int
    let meaning: Meaning
    init(_ offset: Int, _ meaning: Meaning) {
        self.offset = offset
        self.meaning = meaning
    }
    func at(_ record: Int) -> Int { record &+ offset }
    func decl(_ name: String) -> FieldDecl { FieldDecl(name: name, offset: offset, type: meaning.rawValue, size: 8) }
}

/// `count` consecutive `u32` fields.
struct U32ArrayField: Sendable {
    let offset: Int
    let count: Int
    init(_ offset: Int, count: Int) {
        self.offset = offset
        self.count = count
    }
    /// Element `k`.
    subscript(_ k: Int) -> U32Field { U32Field(offset &+ 4 &* k) }
    func decl(_ name: String) -> FieldDecl {
        FieldDecl(name: name, offset: offset, type: "\(count) x u32", size: 4 * count)
    }
}

/// Reserved or padding bytes (the validator checks those the format says must be 0).
struct BytesField: Sendable {
    let offset: Int
    let count: Int
    init(_ offset: Int, count: Int) {
        self.offset = offset
        self.count = count
    }
    func at(_ record: Int) -> Int { record &+ offset }
    func decl(_ name: String) -> FieldDecl {
        FieldDecl(name: name, offset: offset, type: "\(count) bytes", size: count)
    }
}

/// A range: `first: u32, count: u32` record indexes into another section.
struct RangeField: Sendable {
    let offset: Int
    init(_ offset: Int) { self.offset = offset }
    var first: U32Field { U32Field(offset) }
    var count: U32Field { U32Field(offset &+ 4) }
    func at(_ record: Int) -> Int { record &+ offset }
    func decl(_ name: String) -> FieldDecl { FieldDecl(name: name, offset: offset, type: "range", size: 8) }
}

/// Header operations: three ranges, set (header pairs), add (header pairs), remove (string lists).
struct HeaderOpsField: Sendable {
    let offset: Int
    init(_ offset: Int) { self.offset = offset }
    var set: RangeField { RangeField(offset) }
    var add: RangeField { RangeField(offset &+ 8) }
    var remove: RangeField { RangeField(offset &+ 16) }
    func decl(_ name: String) -> FieldDecl { FieldDecl(name: name, offset: offset, type: "3 ranges", size: 24) }
}

extension RawImage {
    @inline(__always) subscript(_ record: Int, _ f: U8Field) -> UInt8 { u8(record &+ f.offset) }
    @inline(__always) subscript(_ record: Int, _ f: U16Field) -> UInt16 { u16(record &+ f.offset) }
    @inline(__always) subscript(_ record: Int, _ f: U32Field) -> UInt32 { u32(record &+ f.offset) }
    /// An `i64` field as an `Int`.
    @inline(__always) subscript(_ record: Int, _ f: U64Field) -> Int { i64(record &+ f.offset) }
    /// A `u64` field.
    @inline(__always) func unsigned(_ record: Int, _ f: U64Field) -> UInt64 { u64(record &+ f.offset) }
    /// An `f64` field.
    @inline(__always) func double(_ record: Int, _ f: U64Field) -> Double { f64(record &+ f.offset) }
    /// The record indexes a range field names (unchecked: the validator checked them).
    @inline(__always) func range(_ record: Int, _ f: RangeField) -> Range<Int> {
        let first = Int(self[record, f.first])
        return first..<(first &+ Int(self[record, f.count]))
    }
    /// Whether reserved bytes are all zero.
    func isZero(_ record: Int, _ f: BytesField) -> Bool {
        (0..<f.count).allSatisfy { u8(record &+ f.offset &+ $0) == 0 }
    }
}

/// Every record of the image, field by field (`Layout.Listener.port`, ...).
enum Layout {
    /// The image header (at offset 0).
    enum Header {
        static var magic: BytesField { BytesField(0, count: 4) }
        static var majorVersion: U16Field { U16Field(4) }
        static var minorVersion: U16Field { U16Field(6) }
        static var headerSize: U32Field { U32Field(8) }
        static var flags: U32Field { U32Field(12) }
        static var totalLength: U64Field { U64Field(16, .u64) }
        static var checksum: U32Field { U32Field(24) }
        static var sectionCount: U32Field { U32Field(28) }
        static var layout: [FieldDecl] {
            [
                magic.decl("magic"), majorVersion.decl("major version"), minorVersion.decl("minor version"),
                headerSize.decl("header size"), flags.decl("flags"), totalLength.decl("total image length"),
                checksum.decl("checksum"), sectionCount.decl("section count"),
            ]
        }
    }

    /// An entry of the section table.
    enum SectionEntry {
        static var kind: U32Field { U32Field(0) }
        static var stride: U32Field { U32Field(4) }
        static var offset: U32Field { U32Field(8) }
        static var length: U32Field { U32Field(12) }
        static var count: U32Field { U32Field(16) }
        static var reserved: U32Field { U32Field(20) }
        static var layout: [FieldDecl] {
            [
                kind.decl("kind"), stride.decl("stride"), offset.decl("offset"), length.decl("length"),
                count.decl("record count"), reserved.decl("reserved"),
            ]
        }
    }

    /// 1: the info record.
    enum Info {
        static var programStringCount: U32Field { U32Field(0) }
        static var reserved: U32ArrayField { U32ArrayField(4, count: 3) }
        static var layout: [FieldDecl] {
            [programStringCount.decl("program string count"), reserved.decl("must be 0")]
        }
    }

    /// 2: one string offset.
    enum StringOffset {
        static var offset: U32Field { U32Field(0) }
        static var layout: [FieldDecl] { [offset.decl("offset")] }
    }

    /// 3: one string byte.
    enum StringByte {
        static var byte: U8Field { U8Field(0) }
        static var layout: [FieldDecl] { [byte.decl("byte")] }
    }

    /// 4: a proxy scope.
    enum Scope {
        static var kind: U8Field { U8Field(0) }
        static var outboundPolicy: U8Field { U8Field(1) }
        static var padding: U16Field { U16Field(2) }
        static var name: U32Field { U32Field(4, .str) }
        static var namespace: U32Field { U32Field(8, .str) }
        static var listeners: RangeField { RangeField(12) }
        static var layout: [FieldDecl] {
            [
                kind.decl("kind"), outboundPolicy.decl("outbound policy"), padding.decl("padding"), name.decl("name"),
                namespace.decl("namespace"), listeners.decl("listeners"),
            ]
        }
    }

    /// 5: a listener of a scope.
    enum Listener {
        static var port: U32Field { U32Field(0) }
        static var hostMap: U32Field { U32Field(4) }
        static var overlay: U32Field { U32Field(8) }
        static var domainSuffix: U32Field { U32Field(12, .str) }
        static var outboundPolicy: U8Field { U8Field(16) }
        static var padding: BytesField { BytesField(17, count: 3) }
        static var layout: [FieldDecl] {
            [
                port.decl("port"), hostMap.decl("base host map"), overlay.decl("overlay host map"),
                domainSuffix.decl("domain suffix"), outboundPolicy.decl("outbound policy"), padding.decl("padding"),
            ]
        }
    }

    /// 6: a host map.
    enum HostMap {
        static var exactEntries: RangeField { RangeField(0) }
        static var wildcardEntries: RangeField { RangeField(8) }
        static var exactTable: RangeField { RangeField(16) }
        static var wildcardTable: RangeField { RangeField(24) }
        static var starEntry: U32Field { U32Field(32) }
        static var longestWildcardSuffix: U32Field { U32Field(36) }
        /// The entries, or the table, of the exact or the wildcard hosts.
        static func entries(exact: Bool) -> RangeField { exact ? exactEntries : wildcardEntries }
        static func table(exact: Bool) -> RangeField { exact ? exactTable : wildcardTable }
        static var layout: [FieldDecl] {
            [
                exactEntries.decl("exact entries"), wildcardEntries.decl("wildcard entries"),
                exactTable.decl("exact table"), wildcardTable.decl("wildcard table"), starEntry.decl("the `*` entry"),
                longestWildcardSuffix.decl("the longest wildcard suffix"),
            ]
        }
    }

    /// 7: a host entry of a host map.
    enum HostEntry {
        static var host: U32Field { U32Field(0, .str) }
        static var virtualHost: U32Field { U32Field(4) }
        static var layout: [FieldDecl] { [host.decl("host"), virtualHost.decl("virtual host")] }
    }

    /// 8 and 16: a slot of an open-addressing hash table.
    enum HashSlot {
        static var entry: U32Field { U32Field(0) }
        static var tag: U32Field { U32Field(4) }
        static var layout: [FieldDecl] { [entry.decl("entry"), tag.decl("tag")] }
    }

    /// 9: a virtual host.
    enum VirtualHost {
        static var host: U32Field { U32Field(0, .str) }
        static var routeTable: U32Field { U32Field(4) }
        static var kind: U8Field { U8Field(8) }
        static var httpsRedirect: U8Field { U8Field(9) }
        static var reserved: U16Field { U16Field(10) }
        static var layout: [FieldDecl] {
            [
                host.decl("host"), routeTable.decl("route table"), kind.decl("kind"),
                httpsRedirect.decl("https redirect"), reserved.decl("must be 0"),
            ]
        }
    }

    /// 10: a route table.
    enum RouteTable {
        static var attributes: RangeField { RangeField(0) }
        static var segments: RangeField { RangeField(8) }
        static var slots: RangeField { RangeField(16) }
        static var layout: [FieldDecl] {
            [attributes.decl("attributes"), segments.decl("segments"), slots.decl("slots")]
        }
    }

    /// 11: an attribute a route table tests.
    enum Attribute {
        static var kind: U8Field { U8Field(0) }
        static var reserved: BytesField { BytesField(1, count: 3) }
        static var name: U32Field { U32Field(4, .str) }
        static var classifier: U32Field { U32Field(8) }
        static var layout: [FieldDecl] {
            [kind.decl("kind"), reserved.decl("must be 0"), name.decl("name"), classifier.decl("classifier")]
        }
    }

    /// 12: a segment (the root of one decision diagram); 23: a dense child.
    enum NodeRefEntry {
        static var ref: U32Field { U32Field(0, .nodeRef) }
        static func layout(_ name: String) -> [FieldDecl] { [ref.decl(name)] }
    }

    /// 13: a route table slot.
    enum Slot {
        static var action: U32Field { U32Field(0) }
        static var rule: U32Field { U32Field(4) }
        static var layout: [FieldDecl] { [action.decl("action"), rule.decl("rule")] }
    }

    /// 14: a classifier; its parameters mean what its kind says (`ExactClassifier`, ...).
    enum Classifier {
        static var kind: U8Field { U8Field(0) }
        static var padding: BytesField { BytesField(1, count: 3) }
        static var classCount: U32Field { U32Field(4) }
        static var absentClass: U32Field { U32Field(8) }
        static var parameters: U32ArrayField { U32ArrayField(12, count: 8) }
        static var layout: [FieldDecl] {
            [
                kind.decl("kind"), padding.decl("padding"), classCount.decl("class count"),
                absentClass.decl("absent class"), parameters.decl("parameters"),
            ]
        }
    }

    /// The parameters of an exact classifier (offsets within the classifier record).
    enum ExactClassifier {
        static var entries: RangeField { RangeField(12) }
        static var caseSensitiveSlots: RangeField { RangeField(20) }
        static var caseInsensitiveSlots: RangeField { RangeField(28) }
        static var otherClass: U32Field { U32Field(36) }
        static var reserved: U32Field { U32Field(40) }
        static func slots(folded: Bool) -> RangeField { folded ? caseInsensitiveSlots : caseSensitiveSlots }
        static var layout: [FieldDecl] {
            [
                entries.decl("exact entries"), caseSensitiveSlots.decl("exact slots for the case-sensitive entries"),
                caseInsensitiveSlots.decl("exact slots for the case-insensitive entries"),
                otherClass.decl("other class"), reserved.decl("must be 0"),
            ]
        }
    }

    /// The parameters of a dense DFA classifier.
    enum DenseClassifier {
        static var byteClasses: RangeField { RangeField(12) }
        static var byteClassCount: U32Field { U32Field(20) }
        static var start: U32Field { U32Field(24) }
        static var transitions: RangeField { RangeField(28) }
        static var stateClasses: RangeField { RangeField(36) }
        static var layout: [FieldDecl] {
            [
                byteClasses.decl("dfa byte classes"), byteClassCount.decl("byte class count"),
                start.decl("start state"), transitions.decl("dfa transitions"), stateClasses.decl("dfa state classes"),
            ]
        }
    }

    /// The parameters of a sparse DFA classifier.
    enum SparseClassifier {
        static var start: U32Field { U32Field(12) }
        static var states: RangeField { RangeField(16) }
        static var edges: RangeField { RangeField(24) }
        static var reserved: U32ArrayField { U32ArrayField(32, count: 3) }
        static var layout: [FieldDecl] {
            [
                start.decl("start state"), states.decl("sparse states"), edges.decl("sparse edges"),
                reserved.decl("must be 0"),
            ]
        }
    }

    /// 15: an entry of an exact classifier.
    enum ExactEntry {
        static var value: U32Field { U32Field(0, .str) }
        static var classID: U32Field { U32Field(4) }
        static var caseInsensitive: U8Field { U8Field(8) }
        static var padding: BytesField { BytesField(9, count: 3) }
        static var layout: [FieldDecl] {
            [
                value.decl("value"), classID.decl("class"), caseInsensitive.decl("case-insensitive"),
                padding.decl("padding"),
            ]
        }
    }

    /// 17: a byte's class in a dense DFA.
    enum ByteClass {
        static var byteClass: U8Field { U8Field(0) }
        static var layout: [FieldDecl] { [byteClass.decl("byte class")] }
    }

    /// 18: a dense DFA transition; 19: a dense DFA state's class; 33: a cluster priority label;
    /// 29: a string list entry. One `u32` each.
    enum Word {
        static var value: U32Field { U32Field(0) }
        static var string: U32Field { U32Field(0, .str) }
    }

    /// 20: a sparse DFA state.
    enum SparseState {
        static var firstEdge: U32Field { U32Field(0) }
        static var edgeCount: U32Field { U32Field(4) }
        static var classID: U32Field { U32Field(8) }
        static var layout: [FieldDecl] {
            [firstEdge.decl("first edge"), edgeCount.decl("edge count"), classID.decl("class")]
        }
    }

    /// 21: a sparse DFA edge.
    enum SparseEdge {
        static var lo: U8Field { U8Field(0) }
        static var hi: U8Field { U8Field(1) }
        static var padding: U16Field { U16Field(2) }
        static var target: U32Field { U32Field(4) }
        static var layout: [FieldDecl] {
            [lo.decl("lo"), hi.decl("hi"), padding.decl("padding"), target.decl("target state")]
        }
    }

    /// 22: a decision diagram node.
    enum Node {
        static var attribute: U16Field { U16Field(0) }
        static var reserved: U16Field { U16Field(2) }
        static var fallback: U32Field { U32Field(4, .nodeRef) }
        static var denseChildren: RangeField { RangeField(8) }
        static var sparseChildren: RangeField { RangeField(16) }
        static var layout: [FieldDecl] {
            [
                attribute.decl("attribute"), reserved.decl("must be 0"), fallback.decl("fallback"),
                denseChildren.decl("dense children"), sparseChildren.decl("sparse children"),
            ]
        }
    }

    /// 24: a sparse child of a node.
    enum SparseChild {
        static var classID: U32Field { U32Field(0) }
        static var child: U32Field { U32Field(4, .nodeRef) }
        static var layout: [FieldDecl] { [classID.decl("class"), child.decl("child")] }
    }

    /// 25: an action.
    enum Action {
        static var kind: U8Field { U8Field(0) }
        static var reserved: BytesField { BytesField(1, count: 3) }
        static var flags: U32Field { U32Field(4) }
        static var destinations: RangeField { RangeField(8) }
        static var mirrors: RangeField { RangeField(16) }
        static var requestHeaders: HeaderOpsField { HeaderOpsField(24) }
        static var responseHeaders: HeaderOpsField { HeaderOpsField(48) }
        static var redirectURI: U32Field { U32Field(72, .optionalString) }
        static var redirectAuthority: U32Field { U32Field(76, .optionalString) }
        static var redirectScheme: U32Field { U32Field(80, .optionalString) }
        static var redirectDerivePort: U32Field { U32Field(84, .optionalString) }
        static var redirectPort: U64Field { U64Field(88, .i64) }
        static var redirectCode: U64Field { U64Field(96, .i64) }
        static var directBody: U32Field { U32Field(104, .optionalString) }
        static var rewriteURI: U32Field { U32Field(108, .optionalString) }
        static var rewriteAuthority: U32Field { U32Field(112, .optionalString) }
        static var rewriteRegexMatch: U32Field { U32Field(116, .optionalString) }
        static var rewriteRegexSubstitution: U32Field { U32Field(120, .optionalString) }
        static var retryOn: U32Field { U32Field(124, .str) }
        static var abortGrpcStatus: U32Field { U32Field(128, .optionalString) }
        static var reserved2: U32Field { U32Field(132) }
        static var directStatus: U64Field { U64Field(136, .i64) }
        static var timeoutMs: U64Field { U64Field(144, .i64) }
        static var retryAttempts: U64Field { U64Field(152, .i64) }
        static var perTryTimeoutMs: U64Field { U64Field(160, .i64) }
        static var backoffMs: U64Field { U64Field(168, .i64) }
        static var delayMs: U64Field { U64Field(176, .i64) }
        static var delayPercentage: U64Field { U64Field(184, .f64) }
        static var abortStatus: U64Field { U64Field(192, .i64) }
        static var abortPercentage: U64Field { U64Field(200, .f64) }

        /// The optional string fields, each `str?`.
        static var optionalStrings: [U32Field] {
            [
                redirectURI, redirectAuthority, redirectScheme, redirectDerivePort, directBody, rewriteURI,
                rewriteAuthority, rewriteRegexMatch, rewriteRegexSubstitution, abortGrpcStatus,
            ]
        }

        static var layout: [FieldDecl] {
            [
                kind.decl("kind"), reserved.decl("must be 0"), flags.decl("presence flags"),
                destinations.decl("destinations"), mirrors.decl("mirrors"), requestHeaders.decl("request headers"),
                responseHeaders.decl("response headers"), redirectURI.decl("redirect uri"),
                redirectAuthority.decl("redirect authority"), redirectScheme.decl("redirect scheme"),
                redirectDerivePort.decl("redirect derive port"), redirectPort.decl("redirect port"),
                redirectCode.decl("redirect code"), directBody.decl("direct response body"),
                rewriteURI.decl("rewrite uri"), rewriteAuthority.decl("rewrite authority"),
                rewriteRegexMatch.decl("rewrite regex match"),
                rewriteRegexSubstitution.decl("rewrite regex substitution"), retryOn.decl("retry conditions"),
                abortGrpcStatus.decl("fault abort gRPC status"), reserved2.decl("must be 0"),
                directStatus.decl("direct response status"), timeoutMs.decl("timeout ms"),
                retryAttempts.decl("retry attempts"), perTryTimeoutMs.decl("per-try timeout ms"),
                backoffMs.decl("retry backoff ms"), delayMs.decl("fault delay ms"),
                delayPercentage.decl("fault delay percentage"), abortStatus.decl("fault abort status"),
                abortPercentage.decl("fault abort percentage"),
            ]
        }
    }

    /// 26: a destination (its first 32 bytes are also a mirror's).
    enum Destination {
        static var host: U32Field { U32Field(0, .str) }
        static var subset: U32Field { U32Field(4, .optionalString) }
        static var flags: U32Field { U32Field(8) }
        static var reserved: U32Field { U32Field(12) }
        static var port: U64Field { U64Field(16, .i64) }
        static var weight: U64Field { U64Field(24, .i64) }
        static var requestHeaders: HeaderOpsField { HeaderOpsField(32) }
        static var responseHeaders: HeaderOpsField { HeaderOpsField(56) }
        /// Flag bit 0: the port field is set.
        static let hasPort: UInt32 = 1
        /// The fields a mirror shares.
        static var common: [FieldDecl] {
            [
                host.decl("host"), subset.decl("subset"), flags.decl("flags"), reserved.decl("must be 0"),
                port.decl("port"), weight.decl("weight"),
            ]
        }
        static var layout: [FieldDecl] {
            common + [
                requestHeaders.decl("request header operations"), responseHeaders.decl("response header operations"),
            ]
        }
    }

    /// 27: a mirror.
    enum Mirror {
        static var percentage: U64Field { U64Field(32, .f64) }
        static var layout: [FieldDecl] { Destination.common + [percentage.decl("percentage")] }
    }

    /// 28: a header pair; 32: a region pair; 34: a metadata entry.
    enum Pair {
        static var first: U32Field { U32Field(0, .str) }
        static var second: U32Field { U32Field(4, .str) }
        static func layout(_ a: String, _ b: String) -> [FieldDecl] { [first.decl(a), second.decl(b)] }
    }

    /// 30: a rule reference.
    enum Rule {
        static var virtualService: U32Field { U32Field(0, .str) }
        static var name: U32Field { U32Field(4, .optionalString) }
        static var delegate: U32Field { U32Field(8, .optionalString) }
        static var flags: U32Field { U32Field(12) }
        static var ruleIndex: U64Field { U64Field(16, .i64) }
        static var delegateIndex: U64Field { U64Field(24, .i64) }
        /// Flag bit 0: the delegate index is set.
        static let hasDelegateIndex: UInt32 = 1
        static var layout: [FieldDecl] {
            [
                virtualService.decl("virtual service"), name.decl("name"), delegate.decl("delegate"),
                flags.decl("flags"),
                ruleIndex.decl("rule index"), delegateIndex.decl("delegate rule index"),
            ]
        }
    }

    /// 31: a cluster policy.
    enum Cluster {
        static var host: U32Field { U32Field(0, .str) }
        static var subset: U32Field { U32Field(4, .optionalString) }
        static var port: U32Field { U32Field(8) }
        static var hashKey: U32Field { U32Field(12, .optionalString) }
        static var loadBalancer: U8Field { U8Field(16) }
        static var tls: U8Field { U8Field(17) }
        static var presence: U16Field { U16Field(18) }
        static var optionals: U32ArrayField { U32ArrayField(20, count: 10) }
        static var subsetLabels: RangeField { RangeField(60) }
        static var failover: RangeField { RangeField(68) }
        static var failoverPriority: RangeField { RangeField(76) }
        static var reserved: U32Field { U32Field(84) }
        static var layout: [FieldDecl] {
            [
                host.decl("host"), subset.decl("subset"), port.decl("port"), hashKey.decl("hash key"),
                loadBalancer.decl("load balancer"), tls.decl("tls"), presence.decl("presence"),
                optionals.decl("max connections"), subsetLabels.decl("subset labels"), failover.decl("failover"),
                failoverPriority.decl("failover priority labels"), reserved.decl("must be 0"),
            ]
        }
    }
}

extension TableImageFormat {
    /// Every record layout by the heading it has in `grammar/table-format.md`, with the bytes its
    /// fields must cover (`base..<end`).
    static var recordLayouts: [(heading: String, base: Int, end: Int, fields: [FieldDecl])] {
        func sized(_ k: SectionKind, _ heading: String, _ fields: [FieldDecl]) -> (String, Int, Int, [FieldDecl]) {
            (heading, 0, k.recordSize, fields)
        }
        return [
            ("Header", 0, headerSize, Layout.Header.layout),
            ("Section table", 0, sectionEntrySize, Layout.SectionEntry.layout),
            sized(.info, "1 info", Layout.Info.layout),
            sized(.stringOffsets, "2 string offsets", Layout.StringOffset.layout),
            sized(.stringBytes, "3 string bytes", Layout.StringByte.layout),
            sized(.scopes, "4 scopes", Layout.Scope.layout),
            sized(.listeners, "5 listeners", Layout.Listener.layout),
            sized(.hostMaps, "6 host maps", Layout.HostMap.layout),
            sized(.hostEntries, "7 host entries", Layout.HostEntry.layout),
            sized(.hostSlots, "8 host slots", Layout.HashSlot.layout),
            sized(.virtualHosts, "9 virtual hosts", Layout.VirtualHost.layout),
            sized(.routeTables, "10 route tables", Layout.RouteTable.layout),
            sized(.attributes, "11 attributes", Layout.Attribute.layout),
            sized(.segments, "12 segments", Layout.NodeRefEntry.layout("root")),
            sized(.slots, "13 slots", Layout.Slot.layout),
            sized(.classifiers, "14 classifiers", Layout.Classifier.layout),
            ("14 classifiers: exact", 12, SectionKind.classifiers.recordSize, Layout.ExactClassifier.layout),
            ("14 classifiers: dense DFA", 12, SectionKind.classifiers.recordSize, Layout.DenseClassifier.layout),
            ("14 classifiers: sparse DFA", 12, SectionKind.classifiers.recordSize, Layout.SparseClassifier.layout),
            sized(.exactEntries, "15 exact entries", Layout.ExactEntry.layout),
            sized(.exactSlots, "16 exact slots", Layout.HashSlot.layout),
            sized(.dfaByteClasses, "17 dfa byte classes", Layout.ByteClass.layout),
            sized(.dfaTransitions, "18 dfa transitions", [Layout.Word.value.decl("target state")]),
            sized(.dfaStateClasses, "19 dfa state classes", [Layout.Word.value.decl("class")]),
            sized(.sparseStates, "20 sparse states", Layout.SparseState.layout),
            sized(.sparseEdges, "21 sparse edges", Layout.SparseEdge.layout),
            sized(.nodes, "22 nodes", Layout.Node.layout),
            sized(.denseChildren, "23 dense children", Layout.NodeRefEntry.layout("child")),
            sized(.sparseChildren, "24 sparse children", Layout.SparseChild.layout),
            sized(.actions, "25 actions", Layout.Action.layout),
            sized(.destinations, "26 destinations", Layout.Destination.layout),
            sized(.mirrors, "27 mirrors", Layout.Mirror.layout),
            sized(.headerPairs, "28 header pairs", Layout.Pair.layout("name", "value")),
            sized(.stringLists, "29 string lists", [Layout.Word.string.decl("header name")]),
            sized(.rules, "30 rules", Layout.Rule.layout),
            sized(.clusters, "31 clusters", Layout.Cluster.layout),
            sized(.regionPairs, "32 region pairs", Layout.Pair.layout("from", "to")),
            sized(.clusterPriorities, "33 cluster priorities", [Layout.Word.string.decl("label")]),
            sized(.metadata, "34 metadata", Layout.Pair.layout("name", "value")),
        ]
    }
}
