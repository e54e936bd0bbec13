// The validating reader behind `TableImage(bytes:)`: checks everything (header, checksum,
// section bounds, every index, offset, count and string) before the image is used, so that
// lookups afterwards read without checks. Fields are read by name (`Layout`, in
// ImageFormat.swift); the rules are those of `grammar/table-format.md`.

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
        typealias H = Layout.Header
        let h = TableImageFormat.headerSize
        guard length >= h else { throw TableImageError(.truncated(needed: h, available: length)) }
        for (i, m) in TableImageFormat.magic.enumerated() where raw.u8(H.magic.offset + i) != m {
            throw TableImageError(.badMagic, at: H.magic.offset)
        }
        let major = raw[0, H.majorVersion]
        let minor = raw[0, H.minorVersion]
        guard major == TableImageFormat.majorVersion else {
            throw TableImageError(.unsupportedVersion(major: major, minor: minor), at: H.majorVersion.offset)
        }
        minorVersion = minor
        let declared = raw.unsigned(0, H.totalLength)
        if declared > UInt64(length) {
            throw TableImageError(
                .truncated(needed: declared > UInt64(Int.max) ? Int.max : Int(declared), available: length))
        }
        guard declared == UInt64(length) else {
            throw TableImageError(.lengthMismatch(declared: declared, actual: length), at: H.totalLength.offset)
        }
        let stored = raw[0, H.checksum]
        let computed = CRC32C.imageChecksum(raw.bytes(0, length))
        guard stored == computed else {
            throw TableImageError(.checksumMismatch(stored: stored, computed: computed), at: H.checksum.offset)
        }
        let headerSize = Int(raw[0, H.headerSize])
        guard headerSize >= h, headerSize <= length, headerSize % TableImageFormat.sectionAlignment == 0 else {
            throw fail(
                "header size \(headerSize) is not a multiple of 8 between \(h) and the image length",
                at: H.headerSize.offset)
        }
        let flags = raw[0, H.flags]
        guard flags & TableImageFormat.incompatibleFlagMask == 0 else {
            throw TableImageError(.unsupportedFlags(flags), at: H.flags.offset)
        }
    }

    mutating func sectionTable() throws(TableImageError) {
        typealias E = Layout.SectionEntry
        let start = Int(raw[0, Layout.Header.headerSize])
        let n = Int(raw[0, Layout.Header.sectionCount])
        let entry = TableImageFormat.sectionEntrySize
        guard n <= (length - start) / entry else {
            throw TableImageError(
                .badSection("\(n) entries run past the end of the image"), at: Layout.Header.sectionCount.offset)
        }
        let tableEnd = start + n * entry
        var seen = [Bool](repeating: false, count: 35)
        var spans: [(offset: Int, end: Int, at: Int)] = []
        for i in 0..<n {
            let e = start + i * entry
            let kind = raw[e, E.kind]
            let stride = Int(raw[e, E.stride])
            let offset = Int(raw[e, E.offset])
            let len = Int(raw[e, E.length])
            let count = Int(raw[e, E.count])
            guard offset >= tableEnd, offset <= length, len <= length - offset else {
                throw TableImageError(
                    .badSection("section \(i) (kind \(kind)) lies outside the data area"), at: E.offset.at(e))
            }
            if len > 0 { spans.append((offset, offset + len, e)) }
            guard let k = SectionKind(rawValue: kind) else { continue }  // a newer minor's section
            guard !seen[Int(kind)] else { throw TableImageError(.badSection("two \(k.name) sections"), at: e) }
            seen[Int(kind)] = true
            guard stride >= k.recordSize else {
                throw TableImageError(
                    .badSection("\(k.name) records are \(stride) bytes, at least \(k.recordSize) expected"),
                    at: E.stride.at(e))
            }
            guard offset % TableImageFormat.sectionAlignment == 0 else {
                throw TableImageError(.badSection("the \(k.name) section is not 8-byte aligned"), at: E.offset.at(e))
            }
            guard stride * count == len else {
                throw TableImageError(
                    .badSection("the \(k.name) section is \(len) bytes, not \(count) records of \(stride)"),
                    at: E.length.at(e))
            }
            sections[k.index] = SectionRef(offset: offset, stride: stride, count: count)
        }
        spans.sort { $0.offset < $1.offset }
        for j in spans.indices.dropFirst() where spans[j].offset < spans[j - 1].end {
            throw TableImageError(.badSection("sections overlap"), at: E.offset.at(spans[j].at))
        }
        for k in SectionKind.allCases where !seen[Int(k.rawValue)] { throw TableImageError(.missingSection(k.name)) }
    }

    // MARK: Helpers

    /// The range field `f` of the record at `r`, into `kind`: it must start where the previous
    /// one ended.
    func range(_ r: Int, _ f: RangeField, _ kind: SectionKind, _ cursor: inout Int, _ what: String)
        throws(TableImageError) -> Range<Int>
    {
        let first = raw[r, f.first]
        let count = raw[r, f.count]
        guard Int(first) == cursor else {
            throw fail("\(what) starts at \(kind.name) record \(first), expected \(cursor)", at: f.at(r))
        }
        guard Int(count) <= sec(kind).count - cursor else {
            throw fail("\(what) runs past the end of the \(kind.name) section", at: f.at(r))
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

    /// The `str` field `f` of the record at `r` names a string of the pool.
    func string(_ r: Int, _ f: U32Field, _ what: String) throws(TableImageError) {
        let v = raw[r, f]
        guard Int(v) < stringCount else { throw fail("\(what) refers to string \(v) of \(stringCount)", at: f.at(r)) }
    }

    /// The `str?` field `f` of the record at `r` is none or names a string of the pool.
    func optString(_ r: Int, _ f: U32Field, _ what: String) throws(TableImageError) {
        if raw[r, f] != TableImageFormat.none { try string(r, f, what) }
    }

    /// The field `f` of the record at `r` is a record index into `kind`.
    func index(_ r: Int, _ f: U32Field, _ kind: SectionKind, _ what: String) throws(TableImageError) {
        let v = raw[r, f]
        guard Int(v) < sec(kind).count else {
            throw fail("\(what) refers to \(kind.name) record \(v) of \(sec(kind).count)", at: f.at(r))
        }
    }

    func code(_ r: Int, _ f: U8Field, max: UInt8, _ what: String) throws(TableImageError) {
        let v = raw[r, f]
        guard v <= max else { throw fail("unknown \(what) \(v)", at: f.at(r)) }
    }

    func zero(_ r: Int, _ f: U32Field, _ what: String) throws(TableImageError) {
        let v = raw[r, f]
        guard v == 0 else { throw fail("reserved field \(what) is \(v), not 0", at: f.at(r)) }
    }

    func zero(_ r: Int, _ f: U16Field, _ what: String) throws(TableImageError) {
        let v = raw[r, f]
        guard v == 0 else { throw fail("reserved field \(what) is \(v), not 0", at: f.at(r)) }
    }

    func zero(_ r: Int, _ f: BytesField, _ what: String) throws(TableImageError) {
        guard raw.isZero(r, f) else {
            let v = (0..<f.count).reduce(UInt64(0)) { $0 | UInt64(raw.u8(f.at(r) + $1)) << UInt64(8 * $1) }
            throw fail("reserved field \(what) is \(v), not 0", at: f.at(r))
        }
    }

    func stringBytes(_ i: Int) -> UnsafeRawBufferPointer {
        let o = sec(.stringOffsets)
        let start = Int(raw[o.at(i), Layout.StringOffset.offset])
        let end = Int(raw[o.at(i + 1), Layout.StringOffset.offset])
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
            let o = Int(raw[offsets.at(i), Layout.StringOffset.offset])
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
        programStringCount = Int(raw[info.offset, Layout.Info.programStringCount])
        guard programStringCount <= stringCount else {
            throw fail("the program has \(programStringCount) strings, the pool only \(stringCount)", at: info.offset)
        }
        for f in 0..<Layout.Info.reserved.count { try zero(info.offset, Layout.Info.reserved[f], "info[\(f + 1)]") }
    }

    // MARK: Scopes, listeners, host maps, virtual hosts

    mutating func scopes() throws(TableImageError) {
        typealias S = Layout.Scope
        typealias L = Layout.Listener
        let s = sec(.scopes)
        let l = sec(.listeners)
        var cursor = 0
        for i in 0..<s.count {
            let r = s.at(i)
            try code(r, S.kind, max: 1, "scope kind")
            try code(r, S.outboundPolicy, max: 1, "outbound policy")
            try string(r, S.name, "scope \(i) name")
            try string(r, S.namespace, "scope \(i) namespace")
            let listeners = try range(r, S.listeners, .listeners, &cursor, "the listeners of scope \(i)")
            var previous: UInt32?
            for j in listeners {
                let x = l.at(j)
                let port = raw[x, L.port]
                if let p = previous, port <= p {
                    throw fail("listener ports of scope \(i) are not strictly increasing", at: L.port.at(x))
                }
                previous = port
                try index(x, L.hostMap, .hostMaps, "listener \(j) host map")
                if raw[x, L.overlay] != TableImageFormat.none {
                    try index(x, L.overlay, .hostMaps, "listener \(j) overlay")
                }
                try string(x, L.domainSuffix, "listener \(j) domain suffix")
                try code(x, L.outboundPolicy, max: 1, "outbound policy")
            }
        }
        try allUsed(.listeners, cursor)
    }

    mutating func hostMaps() throws(TableImageError) {
        typealias M = Layout.HostMap
        typealias E = Layout.HostEntry
        let m = sec(.hostMaps)
        let entries = sec(.hostEntries)
        let slots = sec(.hostSlots)
        var entryCursor = 0
        var slotCursor = 0
        for i in 0..<m.count {
            let r = m.at(i)
            let exact = try range(r, M.exactEntries, .hostEntries, &entryCursor, "the exact hosts of host map \(i)")
            let wild = try range(
                r, M.wildcardEntries, .hostEntries, &entryCursor, "the wildcard hosts of host map \(i)")
            let exactSlots = try range(
                r, M.exactTable, .hostSlots, &slotCursor, "the exact host slots of host map \(i)")
            let wildSlots = try range(
                r, M.wildcardTable, .hostSlots, &slotCursor, "the wildcard host slots of host map \(i)")
            var exactKeys: [(entry: UInt32, hash: UInt64)] = []
            for (k, j) in exact.enumerated() {
                let x = entries.at(j)
                try string(x, E.host, "host entry \(j)")
                if raw[x, E.virtualHost] != TableProgram.hiddenVirtualHost {
                    try index(x, E.virtualHost, .virtualHosts, "host entry \(j)")
                }
                exactKeys.append((UInt32(k), FNV1a.hash(stringBytes(Int(raw[x, E.host])))))
            }
            var wildKeys: [(entry: UInt32, hash: UInt64)] = []
            var star = TableImageFormat.none
            var maxSuffix = 0
            for (k, j) in wild.enumerated() {
                let x = entries.at(j)
                try string(x, E.host, "host entry \(j)")
                if raw[x, E.virtualHost] != TableProgram.hiddenVirtualHost {
                    try index(x, E.virtualHost, .virtualHosts, "host entry \(j)")
                }
                let b = stringBytes(Int(raw[x, E.host]))
                guard b.first == 0x2A else {
                    throw fail("wildcard host entry \(j) does not start with `*`", at: E.host.at(x))
                }
                if b.count == 1 {
                    if star == TableImageFormat.none { star = UInt32(k) }
                } else {
                    maxSuffix = max(maxSuffix, b.count - 1)
                    wildKeys.append((UInt32(k), FNV1a.hashReversed(UnsafeRawBufferPointer(rebasing: b[1...]))))
                }
            }
            try hashSlots(slots, exactSlots, keys: exactKeys, "host map \(i) exact table", at: M.exactTable.at(r))
            try hashSlots(slots, wildSlots, keys: wildKeys, "host map \(i) wildcard table", at: M.wildcardTable.at(r))
            guard raw[r, M.starEntry] == star else {
                throw fail("host map \(i) names the wrong `*` entry", at: M.starEntry.at(r))
            }
            guard Int(raw[r, M.longestWildcardSuffix]) == maxSuffix else {
                throw fail("host map \(i) has the wrong longest wildcard suffix", at: M.longestWildcardSuffix.at(r))
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
            guard raw[x, Layout.HashSlot.entry] == expected[k].entry, raw[x, Layout.HashSlot.tag] == expected[k].tag
            else {
                throw fail("\(what) slot \(k) differs from the table its keys make", at: x)
            }
        }
    }

    mutating func virtualHosts() throws(TableImageError) {
        typealias V = Layout.VirtualHost
        let v = sec(.virtualHosts)
        for i in 0..<v.count {
            let r = v.at(i)
            try string(r, V.host, "virtual host \(i)")
            try code(r, V.kind, max: 2, "virtual host kind")
            try code(r, V.httpsRedirect, max: 1, "https redirect flag")
            try zero(r, V.reserved, "virtual host padding")
            if raw[r, V.kind] == TableProgram.VirtualHostKind.rules.rawValue {
                try index(r, V.routeTable, .routeTables, "virtual host \(i)")
            }
        }
    }

    // MARK: Classifiers and nodes

    mutating func classifiers() throws(TableImageError) {
        typealias C = Layout.Classifier
        let c = sec(.classifiers)
        var cur = [Int](repeating: 0, count: 35)
        for i in 0..<c.count {
            let r = c.at(i)
            let classCount = raw[r, C.classCount]
            guard classCount >= 1 else { throw fail("classifier \(i) has no classes", at: C.classCount.at(r)) }
            func cls(_ x: Int, _ f: U32Field, _ what: String) throws(TableImageError) {
                let v = raw[x, f]
                guard v < classCount else {
                    throw fail("\(what) is class \(v) of \(classCount) in classifier \(i)", at: f.at(x))
                }
            }
            try cls(r, C.absentClass, "the absent class")
            switch raw[r, C.kind] {
            case ClassifierKindCode.exact.rawValue:
                typealias X = Layout.ExactClassifier
                typealias E = Layout.ExactEntry
                let entries = try range(r, X.entries, .exactEntries, &cur[15], "the entries of classifier \(i)")
                let sensitive = try range(
                    r, X.caseSensitiveSlots, .exactSlots, &cur[16], "the case-sensitive slots of classifier \(i)")
                let folded = try range(
                    r, X.caseInsensitiveSlots, .exactSlots, &cur[16], "the case-insensitive slots of classifier \(i)")
                try cls(r, X.otherClass, "the other class")
                try zero(r, X.reserved, "classifier parameter 7")
                var sKeys: [(entry: UInt32, hash: UInt64)] = []
                var fKeys: [(entry: UInt32, hash: UInt64)] = []
                let e = sec(.exactEntries)
                for (k, j) in entries.enumerated() {
                    let x = e.at(j)
                    try string(x, E.value, "exact entry \(j)")
                    try cls(x, E.classID, "exact entry \(j)")
                    try code(x, E.caseInsensitive, max: 1, "case flag")
                    let b = stringBytes(Int(raw[x, E.value]))
                    if raw[x, E.caseInsensitive] == 1 {
                        fKeys.append((UInt32(k), FNV1a.hashFolded(b)))
                    } else {
                        sKeys.append((UInt32(k), FNV1a.hash(b)))
                    }
                }
                try hashSlots(
                    sec(.exactSlots), sensitive, keys: sKeys, "classifier \(i) case-sensitive table",
                    at: X.caseSensitiveSlots.at(r))
                try hashSlots(
                    sec(.exactSlots), folded, keys: fKeys, "classifier \(i) case-insensitive table",
                    at: X.caseInsensitiveSlots.at(r))
            case ClassifierKindCode.dense.rawValue:
                typealias D = Layout.DenseClassifier
                let byteMap = try range(
                    r, D.byteClasses, .dfaByteClasses, &cur[17], "the byte classes of classifier \(i)")
                guard byteMap.count == 256 else {
                    throw fail("classifier \(i) maps \(byteMap.count) bytes, not 256", at: D.byteClasses.count.at(r))
                }
                let byteClassCount = Int(raw[r, D.byteClassCount])
                guard byteClassCount >= 1, byteClassCount <= 256 else {
                    throw fail("classifier \(i) has \(byteClassCount) byte classes", at: D.byteClassCount.at(r))
                }
                let byteClasses = sec(.dfaByteClasses)
                for j in byteMap where Int(raw[byteClasses.at(j), Layout.ByteClass.byteClass]) >= byteClassCount {
                    throw fail("a byte class of classifier \(i) is out of range", at: byteClasses.at(j))
                }
                let trans = try range(r, D.transitions, .dfaTransitions, &cur[18], "the transitions of classifier \(i)")
                let states = try range(r, D.stateClasses, .dfaStateClasses, &cur[19], "the states of classifier \(i)")
                let stateCount = states.count
                guard stateCount >= 1 else {
                    throw fail("classifier \(i) has no states", at: D.stateClasses.count.at(r))
                }
                let start = raw[r, D.start]
                guard Int(start) < stateCount else {
                    throw fail("classifier \(i) starts in state \(start) of \(stateCount)", at: D.start.at(r))
                }
                guard trans.count == stateCount * byteClassCount else {
                    throw fail(
                        "classifier \(i) has \(trans.count) transitions, not \(stateCount) x \(byteClassCount)",
                        at: D.transitions.count.at(r))
                }
                let t = sec(.dfaTransitions)
                for (k, j) in trans.enumerated() {
                    let target = raw[t.at(j), Layout.Word.value]
                    guard Int(target) < stateCount else {
                        throw fail(
                            "a transition of classifier \(i) leads to state \(target) of \(stateCount)", at: t.at(j))
                    }
                    guard k >= byteClassCount || target == 0 else {
                        throw fail("the dead state of classifier \(i) has a way out", at: t.at(j))
                    }
                }
                for j in states { try cls(sec(.dfaStateClasses).at(j), Layout.Word.value, "a state") }
            case ClassifierKindCode.sparse.rawValue:
                typealias P = Layout.SparseClassifier
                typealias S = Layout.SparseState
                typealias E = Layout.SparseEdge
                let states = try range(r, P.states, .sparseStates, &cur[20], "the states of classifier \(i)")
                let edges = try range(r, P.edges, .sparseEdges, &cur[21], "the edges of classifier \(i)")
                for k in 0..<P.reserved.count { try zero(r, P.reserved[k], "classifier parameter \(k + 5)") }
                guard states.count >= 1 else { throw fail("classifier \(i) has no states", at: P.states.count.at(r)) }
                let start = raw[r, P.start]
                guard Int(start) < states.count else {
                    throw fail("classifier \(i) starts in state \(start) of \(states.count)", at: P.start.at(r))
                }
                let st = sec(.sparseStates)
                let ed = sec(.sparseEdges)
                for (k, j) in states.enumerated() {
                    let x = st.at(j)
                    let first = Int(raw[x, S.firstEdge])
                    let n = Int(raw[x, S.edgeCount])
                    guard first <= edges.count, n <= edges.count - first else {
                        throw fail("the edges of a state of classifier \(i) are out of range", at: x)
                    }
                    guard k > 0 || n == 0 else {
                        throw fail("the dead state of classifier \(i) has edges", at: S.edgeCount.at(x))
                    }
                    try cls(x, S.classID, "a state")
                    var previousHi = -1
                    for e in 0..<n {
                        let y = ed.at(edges.lowerBound + first + e)
                        let lo = Int(raw[y, E.lo])
                        let hi = Int(raw[y, E.hi])
                        guard lo <= hi, lo > previousHi else {
                            throw fail("the edges of a state of classifier \(i) are not sorted disjoint ranges", at: y)
                        }
                        previousHi = hi
                        guard Int(raw[y, E.target]) < states.count else {
                            throw fail("an edge of classifier \(i) leads to a state out of range", at: E.target.at(y))
                        }
                    }
                }
            default:
                throw fail("unknown classifier kind \(raw[r, C.kind])", at: C.kind.at(r))
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
        typealias N = Layout.Node
        typealias C = Layout.SparseChild
        let n = sec(.nodes)
        let denseChildren = sec(.denseChildren)
        let sparseChildren = sec(.sparseChildren)
        var dense = 0
        var sparse = 0
        func ref(_ x: Int, _ f: U32Field, below i: Int) throws(TableImageError) {
            let v = raw[x, f]
            if TableProgram.NodeRef(raw: v).isLeaf { return }
            guard Int(v) < i else {
                throw fail("node \(i) has child node \(v): children must be lower-numbered nodes", at: f.at(x))
            }
        }
        for i in 0..<n.count {
            let r = n.at(i)
            try zero(r, N.reserved, "node padding")
            try ref(r, N.fallback, below: i)
            let d = try range(r, N.denseChildren, .denseChildren, &dense, "the dense children of node \(i)")
            let s = try range(r, N.sparseChildren, .sparseChildren, &sparse, "the sparse children of node \(i)")
            for j in d { try ref(denseChildren.at(j), Layout.NodeRefEntry.ref, below: i) }
            var previous: UInt32?
            for j in s {
                let x = sparseChildren.at(j)
                let c = raw[x, C.classID]
                if let p = previous, c <= p {
                    throw fail("the sparse children of node \(i) are not sorted by class", at: x)
                }
                previous = c
                try ref(x, C.child, below: i)
            }
        }
        try allUsed(.denseChildren, dense)
        try allUsed(.sparseChildren, sparse)
    }

    // MARK: Route tables

    mutating func routeTables() throws(TableImageError) {
        typealias T = Layout.RouteTable
        typealias A = Layout.Attribute
        typealias N = Layout.Node
        let t = sec(.routeTables)
        let attrs = sec(.attributes)
        var cur = (a: 0, g: 0, s: 0)
        attributeNames = []
        attributeNames.reserveCapacity(attrs.count)
        var stamp = [Int](repeating: -1, count: sec(.nodes).count)
        var stack: [Int] = []
        for i in 0..<t.count {
            let r = t.at(i)
            let a = try range(r, T.attributes, .attributes, &cur.a, "the attributes of route table \(i)")
            guard a.count <= TableImageFormat.maxAttributesPerRouteTable else {
                throw fail(
                    "route table \(i) tests \(a.count) attributes, at most \(TableImageFormat.maxAttributesPerRouteTable) allowed",
                    at: T.attributes.count.at(r))
            }
            let g = try range(r, T.segments, .segments, &cur.g, "the segments of route table \(i)")
            let s = try range(r, T.slots, .slots, &cur.s, "the slots of route table \(i)")
            for j in a {
                let x = attrs.at(j)
                try code(x, A.kind, max: 6, "attribute kind")
                try zero(x, A.reserved, "attribute padding")
                try index(x, A.classifier, .classifiers, "attribute \(j)")
                let kind = raw[x, A.kind]
                if kind == TableProgram.AttributeKind.header.rawValue
                    || kind == TableProgram.AttributeKind.query.rawValue
                {
                    try string(x, A.name, "attribute \(j) name")
                    attributeNames.append(String(decoding: stringBytes(Int(raw[x, A.name])), as: UTF8.self))
                } else {
                    attributeNames.append("")
                }
            }
            for j in s {
                let x = sec(.slots).at(j)
                try index(x, Layout.Slot.action, .actions, "slot \(j) action")
                if raw[x, Layout.Slot.rule] != TableImageFormat.none {
                    try index(x, Layout.Slot.rule, .rules, "slot \(j) rule")
                }
            }
            // Every node reachable from this table's segments must fit the table.
            func child(_ x: Int, _ f: U32Field) throws(TableImageError) {
                let v = raw[x, f]
                let ref = TableProgram.NodeRef(raw: v)
                if ref.isNoMatch { return }
                if ref.isLeaf {
                    guard Int(ref.slot) < s.count else {
                        throw fail("a leaf of route table \(i) selects slot \(ref.slot) of \(s.count)", at: f.at(x))
                    }
                    return
                }
                guard Int(v) < stamp.count else {
                    throw fail("route table \(i) refers to node \(v) of \(stamp.count)", at: f.at(x))
                }
                if stamp[Int(v)] != i {
                    stamp[Int(v)] = i
                    stack.append(Int(v))
                }
            }
            for j in g { try child(sec(.segments).at(j), Layout.NodeRefEntry.ref) }
            let nodes = sec(.nodes)
            while let nodeIndex = stack.popLast() {
                let x = nodes.at(nodeIndex)
                let attribute = Int(raw[x, N.attribute])
                guard attribute < a.count else {
                    throw fail(
                        "node \(nodeIndex) tests attribute \(attribute) of \(a.count) in route table \(i)", at: x)
                }
                let classifier = Int(raw[attrs.at(a.lowerBound + attribute), A.classifier])
                let classCount = Int(raw[sec(.classifiers).at(classifier), Layout.Classifier.classCount])
                let denseCount = Int(raw[x, N.denseChildren.count])
                guard denseCount == 0 || denseCount == classCount else {
                    throw fail(
                        "node \(nodeIndex) has \(denseCount) dense children for \(classCount) classes",
                        at: N.denseChildren.count.at(x))
                }
                try child(x, N.fallback)
                for k in raw.range(x, N.denseChildren) { try child(sec(.denseChildren).at(k), Layout.NodeRefEntry.ref) }
                for k in raw.range(x, N.sparseChildren) {
                    let y = sec(.sparseChildren).at(k)
                    let c = raw[y, Layout.SparseChild.classID]
                    guard Int(c) < classCount else {
                        throw fail("node \(nodeIndex) has a child for class \(c) of \(classCount)", at: y)
                    }
                    try child(y, Layout.SparseChild.child)
                }
            }
        }
        try allUsed(.attributes, cur.a)
        try allUsed(.segments, cur.g)
        try allUsed(.slots, cur.s)
    }

    // MARK: Actions, rules, clusters, metadata

    func destination(_ x: Int, _ what: String) throws(TableImageError) {
        typealias D = Layout.Destination
        try string(x, D.host, "\(what) host")
        try optString(x, D.subset, "\(what) subset")
        guard raw[x, D.flags] & ~D.hasPort == 0 else { throw fail("\(what) has unknown flags", at: D.flags.at(x)) }
        try zero(x, D.reserved, "destination padding")
    }

    mutating func actions() throws(TableImageError) {
        typealias A = Layout.Action
        let a = sec(.actions)
        var dest = 0
        var mirrors = 0
        var pairs = 0
        var lists = 0
        for i in 0..<a.count {
            let r = a.at(i)
            guard A.kind(raw[r, A.kind]) != nil else {
                throw fail("unknown action kind \(raw[r, A.kind])", at: A.kind.at(r))
            }
            let flags = raw[r, A.flags]
            guard flags & ~A.knownFlags == 0 else { throw fail("action \(i) has unknown flags", at: A.flags.at(r)) }
            func requires(_ child: UInt32, _ parent: UInt32) throws(TableImageError) {
                guard flags & child == 0 || flags & parent != 0 else {
                    throw fail("action \(i) has inconsistent flags", at: A.flags.at(r))
                }
            }
            try requires(A.hasRedirectPort, A.hasRedirect)
            try requires(A.hasDelay, A.hasFault)
            try requires(A.hasAbortStatus, A.hasFault)
            /// The header operations `f` of the record at `x`.
            func ops(_ x: Int, _ f: HeaderOpsField, _ owner: String) throws(TableImageError) {
                for part in [f.set, f.add] {
                    for j in try range(x, part, .headerPairs, &pairs, "the header operations of \(owner)") {
                        let y = sec(.headerPairs).at(j)
                        try string(y, Layout.Pair.first, "header name")
                        try string(y, Layout.Pair.second, "header value")
                    }
                }
                for j in try range(x, f.remove, .stringLists, &lists, "the removed headers of \(owner)") {
                    try string(sec(.stringLists).at(j), Layout.Word.string, "removed header")
                }
            }
            for j in try range(r, A.destinations, .destinations, &dest, "the destinations of action \(i)") {
                let x = sec(.destinations).at(j)
                try destination(x, "destination \(j)")
                try ops(x, Layout.Destination.requestHeaders, "destination \(j)")
                try ops(x, Layout.Destination.responseHeaders, "destination \(j)")
            }
            for j in try range(r, A.mirrors, .mirrors, &mirrors, "the mirrors of action \(i)") {
                try destination(sec(.mirrors).at(j), "mirror \(j)")
            }
            try ops(r, A.requestHeaders, "action \(i)")
            try ops(r, A.responseHeaders, "action \(i)")
            for f in A.optionalStrings { try optString(r, f, "action \(i) field") }
            try string(r, A.retryOn, "action \(i) retry conditions")
            try zero(r, A.reserved2, "action padding")
            try zero(r, A.reserved, "action padding")
        }
        try allUsed(.destinations, dest)
        try allUsed(.mirrors, mirrors)
        try allUsed(.headerPairs, pairs)
        try allUsed(.stringLists, lists)
    }

    mutating func rules() throws(TableImageError) {
        typealias R = Layout.Rule
        let s = sec(.rules)
        for i in 0..<s.count {
            let r = s.at(i)
            try string(r, R.virtualService, "rule \(i) virtual service")
            try optString(r, R.name, "rule \(i) name")
            try optString(r, R.delegate, "rule \(i) delegate")
            guard raw[r, R.flags] & ~R.hasDelegateIndex == 0 else {
                throw fail("rule \(i) has unknown flags", at: R.flags.at(r))
            }
        }
    }

    mutating func clusters() throws(TableImageError) {
        typealias C = Layout.Cluster
        let s = sec(.clusters)
        var pairs = 0
        var priorities = 0
        for i in 0..<s.count {
            let r = s.at(i)
            try string(r, C.host, "cluster \(i) host")
            try optString(r, C.subset, "cluster \(i) subset")
            try optString(r, C.hashKey, "cluster \(i) hash key")
            try code(r, C.loadBalancer, max: 7, "load balancer")
            try code(r, C.tls, max: 4, "tls mode")
            guard raw[r, C.presence] < 1 << C.optionals.count else {
                throw fail("cluster \(i) has unknown flags", at: C.presence.at(r))
            }
            let labels = try range(r, C.subsetLabels, .regionPairs, &pairs, "the subset labels of cluster \(i)")
            let failover = try range(r, C.failover, .regionPairs, &pairs, "the failover of cluster \(i)")
            for j in labels.lowerBound..<failover.upperBound {
                let x = sec(.regionPairs).at(j)
                try string(x, Layout.Pair.first, "pair \(j)")
                try string(x, Layout.Pair.second, "pair \(j)")
            }
            for j in try range(
                r, C.failoverPriority, .clusterPriorities, &priorities, "the failover priority of cluster \(i)")
            {
                try string(sec(.clusterPriorities).at(j), Layout.Word.string, "failover priority label")
            }
            try zero(r, C.reserved, "cluster padding")
        }
        try allUsed(.regionPairs, pairs)
        try allUsed(.clusterPriorities, priorities)
    }

    mutating func metadata() throws(TableImageError) {
        let s = sec(.metadata)
        for i in 0..<s.count {
            let r = s.at(i)
            try string(r, Layout.Pair.first, "metadata name")
            try string(r, Layout.Pair.second, "metadata value")
        }
    }
}
