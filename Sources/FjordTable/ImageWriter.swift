// Serialises a `TableProgram` into the binary image described in `grammar/table-format.md`.

/// Little-endian byte output.
struct ByteOutput {
    var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u16(_ v: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: v))
        bytes.append(UInt8(truncatingIfNeeded: v >> 8))
    }
    mutating func u32(_ v: UInt32) {
        for s in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: v >> UInt32(s))) }
    }
    mutating func u64(_ v: UInt64) {
        for s in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: v >> UInt64(s))) }
    }
    mutating func i64(_ v: Int) { u64(UInt64(bitPattern: Int64(v))) }
    mutating func f64(_ v: Double) { u64(v.bitPattern) }
    mutating func zeros(_ n: Int) { bytes.append(contentsOf: repeatElement(0, count: n)) }
    mutating func count32(_ n: Int) { u32(UInt32(truncatingIfNeeded: n)) }

    mutating func set32(_ v: UInt32, at offset: Int) {
        for k in 0..<4 { bytes[offset + k] = UInt8(truncatingIfNeeded: v >> UInt32(8 * k)) }
    }
}

/// The presence flags of an action record and its kind codes (`grammar/table-format.md`,
/// section 25; the offsets are in `Layout.Action`).
extension Layout.Action {
    static let hasRedirect: UInt32 = 1 << 0
    static let hasRedirectPort: UInt32 = 1 << 1
    static let hasDirectStatus: UInt32 = 1 << 2
    static let hasRewrite: UInt32 = 1 << 3
    static let hasTimeout: UInt32 = 1 << 4
    static let hasPerTryTimeout: UInt32 = 1 << 5
    static let hasBackoff: UInt32 = 1 << 6
    static let hasFault: UInt32 = 1 << 7
    static let hasDelay: UInt32 = 1 << 8
    static let hasAbortStatus: UInt32 = 1 << 9
    static let knownFlags: UInt32 = (1 << 10) - 1

    static func kindCode(_ k: ActionRecord.Kind) -> UInt8 {
        switch k {
        case .route: 0
        case .redirect: 1
        case .directResponse: 2
        }
    }
    static func kind(_ code: UInt8) -> ActionRecord.Kind? {
        switch code {
        case 0: .route
        case 1: .redirect
        case 2: .directResponse
        default: nil
        }
    }
}

/// The ten optional values of a cluster record (`Layout.Cluster.optionals`), in order.
extension Layout.Cluster {
    static var optionalKeyPaths: [WritableKeyPath<TableProgram.ClusterPolicy, UInt32?>] {
        [
            \.maxConnections, \.maxPendingRequests, \.maxRequestsPerConnection, \.connectTimeoutMs, \.idleTimeoutMs,
            \.consecutive5xxErrors, \.consecutiveGatewayErrors, \.outlierIntervalMs, \.baseEjectionTimeMs,
            \.maxEjectionPercent,
        ]
    }
}

struct ImageWriter {
    let program: TableProgram
    var out: [SectionKind: ByteOutput] = [:]
    var counts: [SectionKind: Int] = [:]
    var strings: [String]
    var stringIndex: [String: UInt32] = [:]

    init(_ program: TableProgram) {
        self.program = program
        strings = program.strings
        for (i, s) in program.strings.enumerated() where stringIndex[s] == nil {
            stringIndex[s] = UInt32(truncatingIfNeeded: i)
        }
    }

    /// A string for an action, rule or metadata field: the program's index when it has the
    /// string, else a new pool entry.
    mutating func str(_ s: String) -> UInt32 {
        if let i = stringIndex[s] { return i }
        let i = UInt32(truncatingIfNeeded: strings.count)
        strings.append(s)
        stringIndex[s] = i
        return i
    }

    mutating func optStr(_ s: String?) -> UInt32 { s.map { str($0) } ?? TableImageFormat.none }

    /// The bytes of program string `i` (empty when out of range: the loader refuses such an
    /// image anyway).
    func bytes(_ i: UInt32) -> [UInt8] {
        Int(i) < program.strings.count ? Array(program.strings[Int(i)].utf8) : []
    }

    mutating func append(_ kind: SectionKind, _ body: (inout ByteOutput) -> Void) {
        body(&out[kind, default: ByteOutput()])
        counts[kind, default: 0] += 1
    }

    func count(_ kind: SectionKind) -> Int { counts[kind] ?? 0 }

    mutating func writeHashSlots(_ kind: SectionKind, keys: [(entry: UInt32, hash: UInt64)]) -> (first: Int, count: Int)
    {
        let first = count(kind)
        let slots = buildHashTable(keys: keys, capacity: hashTableCapacity(keys.count))
        for s in slots {
            append(kind) {
                $0.u32(s.entry)
                $0.u32(s.tag)
            }
        }
        return (first, slots.count)
    }

    // MARK: Sections

    mutating func writeRouting() {
        for scope in program.scopes {
            let first = count(.listeners)
            for l in scope.listeners {
                append(.listeners) {
                    $0.u32(l.port)
                    $0.u32(l.hostMap)
                    $0.u32(l.overlay ?? TableImageFormat.none)
                    $0.u32(l.domainSuffix)
                    $0.u8(l.outboundPolicy.rawValue)
                    $0.zeros(3)
                }
            }
            append(.scopes) {
                $0.u8(scope.kind.rawValue)
                $0.u8(scope.outboundPolicy.rawValue)
                $0.u16(0)
                $0.u32(scope.name)
                $0.u32(scope.namespace)
                $0.count32(first)
                $0.count32(scope.listeners.count)
            }
        }
        for map in program.hostMaps {
            let exactFirst = count(.hostEntries)
            for e in map.exact + map.wildcards {
                append(.hostEntries) {
                    $0.u32(e.host)
                    $0.u32(e.virtualHost)
                }
            }
            let exactKeys = map.exact.enumerated().map { i, e in
                (UInt32(truncatingIfNeeded: i), bytes(e.host).withUnsafeBytes { FNV1a.hash($0) })
            }
            var wildKeys: [(entry: UInt32, hash: UInt64)] = []
            var star = TableImageFormat.none
            var maxSuffix = 0
            for (i, e) in map.wildcards.enumerated() {
                let b = bytes(e.host)
                if b == [0x2A] {
                    if star == TableImageFormat.none { star = UInt32(truncatingIfNeeded: i) }
                } else if b.first == 0x2A {
                    let suffix = b.dropFirst()
                    maxSuffix = max(maxSuffix, suffix.count)
                    wildKeys.append((UInt32(truncatingIfNeeded: i), suffix.withUnsafeBytes { FNV1a.hashReversed($0) }))
                }
            }
            let exactSlots = writeHashSlots(.hostSlots, keys: exactKeys)
            let wildSlots = writeHashSlots(.hostSlots, keys: wildKeys)
            append(.hostMaps) {
                $0.count32(exactFirst)
                $0.count32(map.exact.count)
                $0.count32(exactFirst + map.exact.count)
                $0.count32(map.wildcards.count)
                $0.count32(exactSlots.first)
                $0.count32(exactSlots.count)
                $0.count32(wildSlots.first)
                $0.count32(wildSlots.count)
                $0.u32(star)
                $0.count32(maxSuffix)
            }
        }
        for v in program.virtualHosts {
            append(.virtualHosts) {
                $0.u32(v.host)
                $0.u32(v.routeTable)
                $0.u8(v.kind.rawValue)
                $0.u8(v.httpsRedirect ? 1 : 0)
                $0.u16(0)
            }
        }
        for t in program.routeTables {
            let (a, g, s) = (count(.attributes), count(.segments), count(.slots))
            for x in t.attributes {
                append(.attributes) {
                    $0.u8(x.kind.rawValue)
                    $0.zeros(3)
                    $0.u32(x.name)
                    $0.u32(x.classifier)
                }
            }
            for r in t.segments { append(.segments) { $0.u32(r.raw) } }
            for x in t.slots {
                append(.slots) {
                    $0.u32(x.action)
                    $0.u32(x.rule)
                }
            }
            append(.routeTables) {
                $0.count32(a)
                $0.count32(t.attributes.count)
                $0.count32(g)
                $0.count32(t.segments.count)
                $0.count32(s)
                $0.count32(t.slots.count)
            }
        }
    }

    mutating func writeClassifiers() {
        for c in program.classifiers {
            var params = [UInt32](repeating: 0, count: 8)
            let code: ClassifierKindCode
            switch c.kind {
            case .exact(let entries, let otherClass):
                code = .exact
                let first = count(.exactEntries)
                var sensitive: [(entry: UInt32, hash: UInt64)] = []
                var folded: [(entry: UInt32, hash: UInt64)] = []
                for (i, e) in entries.enumerated() {
                    append(.exactEntries) {
                        $0.u32(e.value)
                        $0.u32(e.classID)
                        $0.u8(e.caseInsensitive ? 1 : 0)
                        $0.zeros(3)
                    }
                    let b = bytes(e.value)
                    if e.caseInsensitive {
                        folded.append((UInt32(truncatingIfNeeded: i), b.withUnsafeBytes { FNV1a.hashFolded($0) }))
                    } else {
                        sensitive.append((UInt32(truncatingIfNeeded: i), b.withUnsafeBytes { FNV1a.hash($0) }))
                    }
                }
                let s = writeHashSlots(.exactSlots, keys: sensitive)
                let f = writeHashSlots(.exactSlots, keys: folded)
                params = [
                    UInt32(truncatingIfNeeded: first), UInt32(truncatingIfNeeded: entries.count),
                    UInt32(truncatingIfNeeded: s.first), UInt32(truncatingIfNeeded: s.count),
                    UInt32(truncatingIfNeeded: f.first), UInt32(truncatingIfNeeded: f.count), otherClass, 0,
                ]
            case .dense(let d):
                code = .dense
                let (b, t, s) = (count(.dfaByteClasses), count(.dfaTransitions), count(.dfaStateClasses))
                for x in d.byteClasses { append(.dfaByteClasses) { $0.u8(x) } }
                for x in d.transitions { append(.dfaTransitions) { $0.u32(x) } }
                for x in d.stateClass { append(.dfaStateClasses) { $0.u32(x) } }
                params = [
                    UInt32(truncatingIfNeeded: b), UInt32(truncatingIfNeeded: d.byteClasses.count), d.byteClassCount,
                    d.start,
                    UInt32(truncatingIfNeeded: t), UInt32(truncatingIfNeeded: d.transitions.count),
                    UInt32(truncatingIfNeeded: s), UInt32(truncatingIfNeeded: d.stateClass.count),
                ]
            case .sparse(let d):
                code = .sparse
                let (s, e) = (count(.sparseStates), count(.sparseEdges))
                for x in d.states {
                    append(.sparseStates) {
                        $0.u32(x.firstEdge)
                        $0.u32(x.edgeCount)
                        $0.u32(x.classID)
                    }
                }
                for x in d.edges {
                    append(.sparseEdges) {
                        $0.u8(x.lo)
                        $0.u8(x.hi)
                        $0.u16(0)
                        $0.u32(x.target)
                    }
                }
                params = [
                    d.start, UInt32(truncatingIfNeeded: s), UInt32(truncatingIfNeeded: d.states.count),
                    UInt32(truncatingIfNeeded: e), UInt32(truncatingIfNeeded: d.edges.count), 0, 0, 0,
                ]
            }
            append(.classifiers) {
                $0.u8(code.rawValue)
                $0.zeros(3)
                $0.u32(c.classCount)
                $0.u32(c.absentClass)
                for p in params { $0.u32(p) }
            }
        }
        for n in program.nodes {
            let (d, s) = (count(.denseChildren), count(.sparseChildren))
            for r in n.dense { append(.denseChildren) { $0.u32(r.raw) } }
            for x in n.sparse {
                append(.sparseChildren) {
                    $0.u32(x.classID)
                    $0.u32(x.child.raw)
                }
            }
            append(.nodes) {
                $0.u16(n.attribute)
                $0.u16(0)
                $0.u32(n.fallback.raw)
                $0.count32(d)
                $0.count32(n.dense.count)
                $0.count32(s)
                $0.count32(n.sparse.count)
            }
        }
    }

    mutating func destination(_ d: DestinationRecord, into o: inout ByteOutput) {
        o.u32(str(d.host))
        o.u32(optStr(d.subset))
        o.u32(d.port == nil ? 0 : 1)
        o.u32(0)
        o.i64(d.port ?? 0)
        o.i64(d.weight)
    }

    mutating func headerOps(_ ops: HeaderOpsRecord) -> [UInt32] {
        var r: [UInt32] = []
        for list in [ops.set, ops.add] {
            r.append(UInt32(truncatingIfNeeded: count(.headerPairs)))
            r.append(UInt32(truncatingIfNeeded: list.count))
            for p in list {
                let (n, v) = (str(p.name), str(p.value))
                append(.headerPairs) {
                    $0.u32(n)
                    $0.u32(v)
                }
            }
        }
        r.append(UInt32(truncatingIfNeeded: count(.stringLists)))
        r.append(UInt32(truncatingIfNeeded: ops.remove.count))
        for name in ops.remove {
            let n = str(name)
            append(.stringLists) { $0.u32(n) }
        }
        return r
    }

    mutating func writeActions() {
        for a in program.actions {
            let destFirst = count(.destinations)
            for d in a.destinations {
                var o = ByteOutput()
                destination(d, into: &o)
                for x in headerOps(d.requestHeaders) + headerOps(d.responseHeaders) { o.u32(x) }
                append(.destinations) { $0.bytes += o.bytes }
            }
            let mirrorFirst = count(.mirrors)
            for m in a.mirrors {
                var o = ByteOutput()
                destination(m.destination, into: &o)
                o.f64(m.percentage)
                append(.mirrors) { $0.bytes += o.bytes }
            }
            let request = headerOps(a.requestHeaders)
            let response = headerOps(a.responseHeaders)
            var flags: UInt32 = 0
            if a.redirect != nil { flags |= Layout.Action.hasRedirect }
            if a.redirect?.port != nil { flags |= Layout.Action.hasRedirectPort }
            if a.directStatus != nil { flags |= Layout.Action.hasDirectStatus }
            if a.rewrite != nil { flags |= Layout.Action.hasRewrite }
            if a.timeoutMs != nil { flags |= Layout.Action.hasTimeout }
            if a.retries.perTryTimeoutMs != nil { flags |= Layout.Action.hasPerTryTimeout }
            if a.retries.backoffMs != nil { flags |= Layout.Action.hasBackoff }
            if a.fault != nil { flags |= Layout.Action.hasFault }
            if a.fault?.delayMs != nil { flags |= Layout.Action.hasDelay }
            if a.fault?.abortStatus != nil { flags |= Layout.Action.hasAbortStatus }
            let strs = [
                optStr(a.redirect?.uri), optStr(a.redirect?.authority), optStr(a.redirect?.scheme),
                optStr(a.redirect?.derivePort),
            ]
            let strs2 = [
                optStr(a.directBody), optStr(a.rewrite?.uri), optStr(a.rewrite?.authority),
                optStr(a.rewrite?.regexMatch),
                optStr(a.rewrite?.regexSubstitution), str(a.retries.retryOn), optStr(a.fault?.abortGrpcStatus),
            ]
            append(.actions) { o in
                o.u8(Layout.Action.kindCode(a.kind))
                o.zeros(3)
                o.u32(flags)
                o.count32(destFirst)
                o.count32(a.destinations.count)
                o.count32(mirrorFirst)
                o.count32(a.mirrors.count)
                for x in request + response { o.u32(x) }
                for x in strs { o.u32(x) }
                o.i64(a.redirect?.port ?? 0)
                o.i64(a.redirect?.code ?? 0)
                for x in strs2 { o.u32(x) }
                o.u32(0)
                o.i64(a.directStatus ?? 0)
                o.i64(a.timeoutMs ?? 0)
                o.i64(a.retries.attempts)
                o.i64(a.retries.perTryTimeoutMs ?? 0)
                o.i64(a.retries.backoffMs ?? 0)
                o.i64(a.fault?.delayMs ?? 0)
                o.f64(a.fault?.delayPercentage ?? 0)
                o.i64(a.fault?.abortStatus ?? 0)
                o.f64(a.fault?.abortPercentage ?? 0)
            }
        }
        for r in program.rules {
            let (vs, name, delegate) = (str(r.virtualService), optStr(r.name), optStr(r.delegate))
            append(.rules) {
                $0.u32(vs)
                $0.u32(name)
                $0.u32(delegate)
                $0.u32(r.delegateIndex == nil ? 0 : 1)
                $0.i64(r.index)
                $0.i64(r.delegateIndex ?? 0)
            }
        }
    }

    mutating func writeClusters() {
        for c in program.clusters {
            let labelsFirst = count(.regionPairs)
            for p in c.subsetLabels + c.failover {
                append(.regionPairs) {
                    $0.u32(p.from)
                    $0.u32(p.to)
                }
            }
            let priorityFirst = count(.clusterPriorities)
            for p in c.failoverPriority { append(.clusterPriorities) { $0.u32(p) } }
            var presence: UInt16 = 0
            for (k, kp) in Layout.Cluster.optionalKeyPaths.enumerated() where c[keyPath: kp] != nil {
                presence |= 1 << UInt16(k)
            }
            append(.clusters) { o in
                o.u32(c.host)
                o.u32(c.subset)
                o.u32(c.port)
                o.u32(c.hashKey)
                o.u8(c.loadBalancer.rawValue)
                o.u8(c.tls.rawValue)
                o.u16(presence)
                for kp in Layout.Cluster.optionalKeyPaths { o.u32(c[keyPath: kp] ?? 0) }
                o.count32(labelsFirst)
                o.count32(c.subsetLabels.count)
                o.count32(labelsFirst + c.subsetLabels.count)
                o.count32(c.failover.count)
                o.count32(priorityFirst)
                o.count32(c.failoverPriority.count)
                o.u32(0)
            }
        }
        for m in program.metadata {
            let (n, v) = (str(m.name), str(m.value))
            append(.metadata) {
                $0.u32(n)
                $0.u32(v)
            }
        }
    }

    mutating func writeStrings() {
        var offset = 0
        append(.stringOffsets) { $0.u32(0) }
        var bytes = ByteOutput()
        for s in strings {
            bytes.bytes += Array(s.utf8)
            offset += s.utf8.count
            append(.stringOffsets) { $0.count32(offset) }
        }
        out[.stringBytes] = bytes
        counts[.stringBytes] = bytes.bytes.count
        let programStrings = program.strings.count
        append(.info) {
            $0.count32(programStrings)
            $0.zeros(12)
        }
    }

    mutating func finish() -> [UInt8] {
        writeRouting()
        writeClassifiers()
        writeActions()
        writeClusters()
        writeStrings()  // last: the other sections add strings to the pool

        let kinds = SectionKind.allCases
        let tableEnd = TableImageFormat.headerSize + kinds.count * TableImageFormat.sectionEntrySize
        var image = ByteOutput()
        image.bytes = TableImageFormat.magic
        image.u16(TableImageFormat.majorVersion)
        image.u16(TableImageFormat.minorVersion)
        image.count32(TableImageFormat.headerSize)
        image.u32(0)  // flags
        image.u64(0)  // total length, patched below
        image.u32(0)  // checksum, patched below
        image.count32(kinds.count)
        var offset = align(tableEnd)
        for k in kinds {
            let length = out[k]?.bytes.count ?? 0
            image.u32(k.rawValue)
            image.count32(k.recordSize)
            image.count32(offset)
            image.count32(length)
            image.count32(count(k))
            image.u32(0)
            offset = align(offset + length)
        }
        for k in kinds {
            image.zeros(align(image.bytes.count) - image.bytes.count)
            image.bytes += out[k]?.bytes ?? []
        }
        image.zeros(align(image.bytes.count) - image.bytes.count)
        let total = image.bytes.count
        for k in 0..<8 {
            image.bytes[Layout.Header.totalLength.offset + k] = UInt8(
                truncatingIfNeeded: UInt64(total) >> UInt64(8 * k))
        }
        let crc = image.bytes.withUnsafeBytes { CRC32C.imageChecksum($0) }
        image.set32(crc, at: Layout.Header.checksum.offset)
        return image.bytes
    }

    func align(_ n: Int) -> Int {
        let a = TableImageFormat.sectionAlignment
        return (n + a - 1) / a * a
    }
}
