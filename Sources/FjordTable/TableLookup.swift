// The hot path: routing a request through a validated image without allocating.
//
// The walk mirrors `Semantics.decide` in FjordModel (the reference evaluator): listener by port,
// virtual host by authority (literal host, then a sidecar's Kubernetes short forms, each in the
// overlay map before the base map, then wildcards by longest suffix, `*` last), https redirect,
// then the route table's segments, taking the smallest slot any segment reaches.

/// A proxy scope (a sidecar or a gateway) of an image, found once with
/// `TableImage.scope(named:kind:)` and used for every lookup.
public struct ScopeHandle: Hashable, Sendable {
    /// The scope's index in the image.
    public let index: Int
    @inlinable init(index: Int) { self.index = index }
}

/// What a lookup decided, as indexes into the image; `TableImage.decisionRecord(_:)` turns it
/// into a full `DecisionRecord`. `-1` (`LookupResult.none`) marks an absent index.
public struct LookupResult: Hashable, Sendable, CustomStringConvertible {
    public static let none = -1
    public var outcome: DecisionRecord.Outcome
    /// The virtual host the authority selected.
    public var virtualHost: Int
    /// The route table slot that matched (first-match order).
    public var slot: Int
    /// The matched slot's action.
    public var action: Int
    /// The matched slot's rule reference.
    public var rule: Int
    /// The listener port the request was routed on, or -1 when the scope has no listener on it.
    public var listenerPort: Int
    /// The virtual host redirects plain HTTP to HTTPS and the request was plain HTTP.
    public var httpsRedirect: Bool

    @inlinable
    public init(
        outcome: DecisionRecord.Outcome, virtualHost: Int = -1, slot: Int = -1, action: Int = -1, rule: Int = -1,
        listenerPort: Int = -1, httpsRedirect: Bool = false
    ) {
        self.outcome = outcome
        self.virtualHost = virtualHost
        self.slot = slot
        self.action = action
        self.rule = rule
        self.listenerPort = listenerPort
        self.httpsRedirect = httpsRedirect
    }

    public var description: String {
        var s = outcome.rawValue
        if virtualHost >= 0 { s += " vhost=\(virtualHost)" }
        if slot >= 0 { s += " slot=\(slot) action=\(action) rule=\(rule)" }
        if httpsRedirect { s += " https-redirect" }
        return s
    }
}

extension TableImage {
    // MARK: Scopes

    /// The number of scopes in the image.
    public var scopeCount: Int { sections[SectionKind.scopes.index].count }

    /// The scope with `name` (`namespace/name` of the workload or Gateway) and `kind`, or nil.
    /// A linear scan: call it once per proxy, not per request.
    public func scope(named name: String, kind: TableProgram.ScopeKind) -> ScopeHandle? {
        var name = name
        return name.withUTF8 { n in
            let s = sections[SectionKind.scopes.index]
            for i in 0..<s.count {
                let r = s.at(i)
                if storage.raw[r, Layout.Scope.kind] == kind.rawValue,
                    equal(stringBytes(storage.raw[r, Layout.Scope.name]), UnsafeRawBufferPointer(n))
                {
                    return ScopeHandle(index: i)
                }
            }
            return nil
        }
    }

    /// Routes `request`, arriving on listener `port` of `scope`. Allocation-free (unless the
    /// request's own accessors allocate, or the authority has non-ASCII bytes), and its cost
    /// does not grow with the number of rules: hash lookups for hosts and exact values, DFA walks
    /// over the attribute bytes, one node per attribute per segment.
    @inlinable
    public func lookup(scope: ScopeHandle, port: Int, request: some TableRequest) -> LookupResult {
        _lookup(
            scope: scope, port: port, method: request.method, scheme: request.scheme, authority: request.authority,
            path: request.path, header: { request.header($0) })
    }

    @usableFromInline
    func _lookup(
        scope: ScopeHandle, port: Int, method: String, scheme: String, authority: String, path: String,
        header: (String) -> String?
    ) -> LookupResult {
        typealias S = Layout.Scope
        typealias L = Layout.Listener
        typealias V = Layout.VirtualHost
        let raw = storage.raw
        let scopes = sections[SectionKind.scopes.index]
        guard scope.index >= 0, scope.index < scopes.count else { return LookupResult(outcome: .blackhole) }
        let sr = scopes.at(scope.index)
        let sidecar = raw[sr, S.kind] == TableProgram.ScopeKind.sidecar.rawValue
        // Listener by port: binary search over the scope's listeners (sorted by port).
        let listeners = sections[SectionKind.listeners.index]
        let scopeListeners = raw.range(sr, S.listeners)
        var lo = scopeListeners.lowerBound
        var hi = scopeListeners.upperBound
        let wanted = UInt32(truncatingIfNeeded: port)
        guard port >= 0, port <= Int(UInt32.max) else {
            return unknownHost(sidecar: sidecar, policy: raw[sr, S.outboundPolicy])
        }
        while lo < hi {
            let mid = (lo + hi) >> 1
            if raw[listeners.at(mid), L.port] < wanted { lo = mid + 1 } else { hi = mid }
        }
        guard lo < scopeListeners.upperBound, raw[listeners.at(lo), L.port] == wanted else {
            return unknownHost(sidecar: sidecar, policy: raw[sr, S.outboundPolicy])
        }
        let lr = listeners.at(lo)
        let overlay = raw[lr, L.overlay]
        var authorityBytes = authority
        let vh = authorityBytes.withUTF8 { a in
            resolveHost(
                UnsafeRawBufferPointer(a), authority: authority, listenerPort: port, sidecar: sidecar,
                namespace: raw[sr, S.namespace], suffix: raw[lr, L.domainSuffix], base: Int(raw[lr, L.hostMap]),
                overlay: overlay == TableImageFormat.none ? -1 : Int(overlay))
        }
        guard vh >= 0 else { return unknownHost(sidecar: sidecar, policy: raw[lr, L.outboundPolicy]) }
        let vr = sections[SectionKind.virtualHosts.index].at(vh)
        if raw[vr, V.httpsRedirect] != 0 {
            var scheme = scheme
            let plain = scheme.withUTF8 {
                $0.count == 4 && $0[0] == 0x68 && $0[1] == 0x74 && $0[2] == 0x74 && $0[3] == 0x70
            }
            if plain {
                return LookupResult(outcome: .matched, virtualHost: vh, listenerPort: port, httpsRedirect: true)
            }
        }
        switch raw[vr, V.kind] {
        case TableProgram.VirtualHostKind.defaultRoute.rawValue:
            return LookupResult(outcome: sidecar ? .defaultRoute : .noRoute, virtualHost: vh, listenerPort: port)
        case TableProgram.VirtualHostKind.rules.rawValue:
            let table = Int(raw[vr, V.routeTable])
            var (path, method, scheme) = (path, method, scheme)
            let slot = path.withUTF8 { p in
                method.withUTF8 { m in
                    scheme.withUTF8 { s in
                        var a2 = authority
                        return a2.withUTF8 { a in
                            let pathBytes = p.count == 0 ? TableImage.slash : UnsafeRawBufferPointer(p)
                            let req = RequestBytes(
                                path: pathBytes, method: UnsafeRawBufferPointer(m), scheme: UnsafeRawBufferPointer(s),
                                authority: UnsafeRawBufferPointer(a))
                            return route(table: table, request: req, header: header)
                        }
                    }
                }
            }
            guard slot >= 0 else { return LookupResult(outcome: .noRoute, virtualHost: vh, listenerPort: port) }
            let slotRecord = sections[SectionKind.slots.index].at(
                Int(raw[sections[SectionKind.routeTables.index].at(table), Layout.RouteTable.slots.first]) + slot)
            let rule = raw[slotRecord, Layout.Slot.rule]
            return LookupResult(
                outcome: .matched, virtualHost: vh, slot: slot, action: Int(raw[slotRecord, Layout.Slot.action]),
                rule: rule == TableImageFormat.none ? -1 : Int(rule), listenerPort: port)
        default:
            return LookupResult(outcome: .noRoute, virtualHost: vh, listenerPort: port)
        }
    }

    static let slashBytes: StaticString = "/"
    static var slash: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: slashBytes.utf8Start, count: 1) }

    func unknownHost(sidecar: Bool, policy: UInt8) -> LookupResult {
        guard sidecar else { return LookupResult(outcome: .noRoute) }
        return LookupResult(
            outcome: policy == TableProgram.OutboundPolicy.allowAny.rawValue ? .passthrough : .blackhole)
    }

    @inline(__always)
    func stringBytes(_ i: UInt32) -> UnsafeRawBufferPointer {
        let o = sections[SectionKind.stringOffsets.index]
        let raw = storage.raw
        let start = Int(raw[o.at(Int(i)), Layout.StringOffset.offset])
        let end = Int(raw[o.at(Int(i) + 1), Layout.StringOffset.offset])
        return raw.bytes(sections[SectionKind.stringBytes.index].offset + start, end - start)
    }

    func string(_ i: UInt32) -> String { String(decoding: stringBytes(i), as: UTF8.self) }
    func optString(_ i: UInt32) -> String? { i == TableImageFormat.none ? nil : string(i) }

    // MARK: Hosts

    /// The virtual host for an authority, or -1.
    func resolveHost(
        _ a: UnsafeRawBufferPointer, authority: String, listenerPort: Int, sidecar: Bool, namespace: UInt32,
        suffix: UInt32, base: Int, overlay: Int
    ) -> Int {
        withUnsafeTemporaryAllocation(byteCount: TableImageFormat.maxHostLength + 24, alignment: 8) { buf in
            var n = 0
            if hasNonASCII(a) {
                // Non-ASCII authority: Unicode lowercasing as the reference does (allocates).
                let (host, port) = TableImage.slowHost(authority)
                if let port, port != listenerPort { return -1 }
                var h = host
                let fits: Bool = h.withUTF8 { u in
                    guard u.count <= TableImageFormat.maxHostLength else { return false }
                    if let b = u.baseAddress { buf.baseAddress?.copyMemory(from: b, byteCount: u.count) }
                    n = u.count
                    return true
                }
                guard fits else { return -1 }
            } else {
                var hostEnd = a.count
                var port: Int?
                if a.count > 0, a[0] == 0x5B {  // [v6]:port keeps the whole authority as its host
                    if let close = firstIndex(a, 0x5D), close + 1 < a.count, a[close + 1] == 0x3A {
                        port = parseSwiftInt(UnsafeRawBufferPointer(rebasing: a[(close + 2)...]))
                    }
                } else if let colon = lastIndex(a, 0x3A),
                    let p = parseSwiftInt(UnsafeRawBufferPointer(rebasing: a[(colon + 1)...]))
                {
                    port = p
                    hostEnd = colon
                }
                if let port, port != listenerPort { return -1 }
                guard hostEnd <= TableImageFormat.maxHostLength else { return -1 }
                for i in 0..<hostEnd { buf[i] = asciiLower(a[i]) }
                n = hostEnd
            }
            let host = UnsafeRawBufferPointer(rebasing: buf[0..<n])
            // Candidates: the host, then a sidecar's short form.
            let literal = findExact(HostKey(host), base: base, overlay: overlay)
            if literal >= 0 { return literal }
            if sidecar, n > 0 {
                var dots = 0
                for b in host where b == 0x2E { dots += 1 }
                // ".svc." after the host
                buf[n] = 0x2E
                buf[n + 1] = 0x73
                buf[n + 2] = 0x76
                buf[n + 3] = 0x63
                buf[n + 4] = 0x2E
                let withDot = UnsafeRawBufferPointer(rebasing: buf[0..<(n + 1)])
                let suffixBytes = stringBytes(suffix)
                var key: HostKey?
                if dots == 0 {
                    key = HostKey(
                        withDot, stringBytes(namespace), UnsafeRawBufferPointer(rebasing: buf[n..<(n + 5)]), suffixBytes
                    )
                } else if dots == 1 {
                    key = HostKey(UnsafeRawBufferPointer(rebasing: buf[0..<(n + 5)]), suffixBytes)
                } else if dots == 2, n >= 4, buf[n - 4] == 0x2E, buf[n - 3] == 0x73, buf[n - 2] == 0x76,
                    buf[n - 1] == 0x63
                {
                    key = HostKey(withDot, suffixBytes)
                }
                if let key {
                    let v = findExact(key, base: base, overlay: overlay)
                    if v >= 0 { return v }
                }
            }
            return findWildcard(host, base: base, overlay: overlay)
        }
    }

    /// Host name and port of a non-ASCII authority, exactly as the reference computes them.
    static func slowHost(_ authority: String) -> (String, Int?) {
        var port: Int?
        if authority.hasPrefix("[") {
            if let close = authority.firstIndex(of: "]") {
                let after = authority[authority.index(after: close)...]
                port = after.hasPrefix(":") ? Int(after.dropFirst()) : nil
            }
        } else if let colon = authority.lastIndex(of: ":") {
            port = Int(authority[authority.index(after: colon)...])
        }
        var a = authority.lowercased()
        if !a.hasPrefix("["), let colon = a.lastIndex(of: ":"), Int(a[a.index(after: colon)...]) != nil {
            a = String(a[..<colon])
        }
        return (a, port)
    }

    /// Looks a candidate up in the overlay, then the base map: a virtual host, or -1 (absent
    /// or hidden).
    func findExact(_ key: HostKey, base: Int, overlay: Int) -> Int {
        let h = key.hash()
        if overlay >= 0 {
            let v = probe(map: overlay, exact: true, hash: h, key: key)
            if v != Self.missing { return v }
        }
        let v = probe(map: base, exact: true, hash: h, key: key)
        return v == Self.missing ? -1 : v
    }

    static let missing = -2
    static let hidden = -1

    /// Probes a host map's exact or wildcard table: the entry's virtual host, `hidden` (-1) or
    /// `missing` (-2).
    @inline(__always)
    func probe<K: HostMatcher>(map: Int, exact: Bool, hash: UInt64, key: K) -> Int {
        let raw = storage.raw
        let r = sections[SectionKind.hostMaps.index].at(map)
        let table = Layout.HostMap.table(exact: exact)
        let slotCount = Int(raw[r, table.count])
        guard slotCount > 0 else { return Self.missing }
        let slotFirst = Int(raw[r, table.first])
        let entryFirst = Int(raw[r, Layout.HostMap.entries(exact: exact).first])
        let slots = sections[SectionKind.hostSlots.index]
        let entries = sections[SectionKind.hostEntries.index]
        let mask = slotCount - 1
        let tag = UInt32(truncatingIfNeeded: hash >> 32)
        var i = Int(truncatingIfNeeded: hash) & mask
        for _ in 0..<slotCount {
            let s = slots.at(slotFirst + i)
            let e = raw[s, Layout.HashSlot.entry]
            if e == TableImageFormat.none { return Self.missing }
            if raw[s, Layout.HashSlot.tag] == tag {
                let x = entries.at(entryFirst + Int(e))
                if key.matches(stringBytes(raw[x, Layout.HostEntry.host])) {
                    let vh = raw[x, Layout.HostEntry.virtualHost]
                    return vh == TableProgram.hiddenVirtualHost ? Self.hidden : Int(vh)
                }
            }
            i = (i + 1) & mask
        }
        return Self.missing
    }

    /// The wildcard entry with the longest suffix of `host` (overlay entries replace or hide
    /// base entries of the same pattern), else `*`; -1 for none.
    func findWildcard(_ host: UnsafeRawBufferPointer, base: Int, overlay: Int) -> Int {
        let raw = storage.raw
        let maps = sections[SectionKind.hostMaps.index]
        let n = host.count
        var longest = Int(raw[maps.at(base), Layout.HostMap.longestWildcardSuffix])
        if overlay >= 0 { longest = max(longest, Int(raw[maps.at(overlay), Layout.HostMap.longestWildcardSuffix])) }
        var best = -1
        let maxK = min(n - 1, longest)
        if maxK >= 1 {
            var h = FNV1a.offset
            for k in 1...maxK {
                h = FNV1a.step(h, host[n - k])
                let suffix = UnsafeRawBufferPointer(rebasing: host[(n - k)...])
                let key = WildcardKey(suffix: suffix)
                var v = overlay >= 0 ? probe(map: overlay, exact: false, hash: h, key: key) : Self.missing
                if v == Self.missing { v = probe(map: base, exact: false, hash: h, key: key) }
                if v >= 0 { best = v }
            }
        }
        if best >= 0 { return best }
        for m in 0..<2 {
            let map = m == 0 ? overlay : base
            if map < 0 { continue }
            let r = maps.at(map)
            let star = raw[r, Layout.HostMap.starEntry]
            if star != TableImageFormat.none {
                let entry = sections[SectionKind.hostEntries.index].at(
                    Int(raw[r, Layout.HostMap.wildcardEntries.first]) + Int(star))
                let vh = raw[entry, Layout.HostEntry.virtualHost]
                return vh == TableProgram.hiddenVirtualHost ? -1 : Int(vh)
            }
        }
        return -1
    }

    // MARK: Route tables

    /// The smallest slot any segment of `table` reaches, or -1.
    func route(table: Int, request: RequestBytes, header: (String) -> String?) -> Int {
        let raw = storage.raw
        typealias N = Layout.Node
        let t = sections[SectionKind.routeTables.index].at(table)
        let attrFirst = Int(raw[t, Layout.RouteTable.attributes.first])
        let attrCount = Int(raw[t, Layout.RouteTable.attributes.count])
        let segFirst = Int(raw[t, Layout.RouteTable.segments.first])
        let segCount = Int(raw[t, Layout.RouteTable.segments.count])
        let segments = sections[SectionKind.segments.index]
        let nodes = sections[SectionKind.nodes.index]
        let dense = sections[SectionKind.denseChildren.index]
        let sparse = sections[SectionKind.sparseChildren.index]
        return withUnsafeTemporaryAllocation(of: UInt32.self, capacity: TableImageFormat.maxAttributesPerRouteTable) {
            cache in
            for i in 0..<attrCount { cache[i] = .max }
            var best = UInt32.max
            for g in 0..<segCount {
                var ref = raw[segments.at(segFirst + g), Layout.NodeRefEntry.ref]
                while true {
                    if ref & TableProgram.NodeRef.leafBit != 0 {
                        if ref != TableProgram.NodeRef.noMatch.raw {
                            best = min(best, ref & ~TableProgram.NodeRef.leafBit)
                        }
                        break
                    }
                    let x = nodes.at(Int(ref))
                    let a = Int(raw[x, N.attribute])
                    var c = cache[a]
                    if c == .max {
                        c = classify(attribute: attrFirst + a, request: request, header: header)
                        cache[a] = c
                    }
                    let denseCount = Int(raw[x, N.denseChildren.count])
                    if denseCount > 0 {
                        ref = raw[dense.at(Int(raw[x, N.denseChildren.first]) + Int(c)), Layout.NodeRefEntry.ref]
                    } else {
                        var lo = Int(raw[x, N.sparseChildren.first])
                        var hi = lo + Int(raw[x, N.sparseChildren.count])
                        let end = hi
                        while lo < hi {
                            let mid = (lo + hi) >> 1
                            if raw[sparse.at(mid), Layout.SparseChild.classID] < c { lo = mid + 1 } else { hi = mid }
                        }
                        ref =
                            lo < end && raw[sparse.at(lo), Layout.SparseChild.classID] == c
                            ? raw[sparse.at(lo), Layout.SparseChild.child] : raw[x, N.fallback]
                    }
                }
            }
            return best == .max ? -1 : Int(best)
        }
    }

    /// The class of one attribute's value.
    func classify(attribute: Int, request: RequestBytes, header: (String) -> String?) -> UInt32 {
        let raw = storage.raw
        let x = sections[SectionKind.attributes.index].at(attribute)
        let classifier = Int(raw[x, Layout.Attribute.classifier])
        let p = request.path
        switch raw[x, Layout.Attribute.kind] {
        case TableProgram.AttributeKind.path.rawValue:
            let end = firstIndex(p, 0x3F, 0x23) ?? p.count
            return classify(classifier, BufferBytes(UnsafeRawBufferPointer(rebasing: p[0..<end])))
        case TableProgram.AttributeKind.pathWithQuery.rawValue:
            let end = firstIndex(p, 0x23) ?? p.count
            return classify(classifier, BufferBytes(UnsafeRawBufferPointer(rebasing: p[0..<end])))
        case TableProgram.AttributeKind.method.rawValue:
            return classify(classifier, BufferBytes(request.method))
        case TableProgram.AttributeKind.scheme.rawValue:
            return classify(classifier, BufferBytes(request.scheme))
        case TableProgram.AttributeKind.authority.rawValue:
            return classify(classifier, BufferBytes(request.authority))
        case TableProgram.AttributeKind.header.rawValue:
            guard var value = header(attributeNames[attribute]) else { return absentClass(classifier) }
            return value.withUTF8 { classify(classifier, BufferBytes(UnsafeRawBufferPointer($0))) }
        default:  // query
            guard let v = queryValue(p, name: stringBytes(raw[x, Layout.Attribute.name])) else {
                return absentClass(classifier)
            }
            return classify(classifier, QueryBytes(v))
        }
    }

    func absentClass(_ classifier: Int) -> UInt32 {
        storage.raw[sections[SectionKind.classifiers.index].at(classifier), Layout.Classifier.absentClass]
    }

    /// The raw (still percent-encoded) value of the first query parameter whose decoded name is
    /// `name`, or nil.
    func queryValue(_ p: UnsafeRawBufferPointer, name: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        guard let q = firstIndex(p, 0x3F) else { return nil }
        let end = firstIndex(p, 0x23) ?? p.count
        guard q < end else { return nil }
        var i = q + 1
        while i < end {
            var j = i
            while j < end, p[j] != 0x26 { j += 1 }
            if j > i {
                var eq = i
                while eq < j, p[eq] != 0x3D { eq += 1 }
                var key = QueryBytes(UnsafeRawBufferPointer(rebasing: p[i..<eq]))
                var k = 0
                var same = true
                while let b = key.next() {
                    if k >= name.count || name[k] != b {
                        same = false
                        break
                    }
                    k += 1
                }
                if same, k == name.count {
                    return eq < j
                        ? UnsafeRawBufferPointer(rebasing: p[(eq + 1)..<j]) : UnsafeRawBufferPointer(rebasing: p[j..<j])
                }
            }
            i = j + 1
        }
        return nil
    }

    /// Classifies a byte sequence with classifier `c`.
    func classify<S: ByteSource>(_ c: Int, _ input: S) -> UInt32 {
        let raw = storage.raw
        let r = sections[SectionKind.classifiers.index].at(c)
        switch raw[r, Layout.Classifier.kind] {
        case ClassifierKindCode.exact.rawValue:
            var it = input
            var h = FNV1a.offset
            var hf = FNV1a.offset
            var length = 0
            while let b = it.next() {
                h = FNV1a.step(h, b)
                hf = FNV1a.step(hf, asciiLower(b))
                length += 1
            }
            typealias X = Layout.ExactClassifier
            let entryFirst = Int(raw[r, X.entries.first])
            let entries = sections[SectionKind.exactEntries.index]
            let slots = sections[SectionKind.exactSlots.index]
            var found = UInt32.max
            for f in 0..<2 {
                let folded = f == 1
                let table = X.slots(folded: folded)
                let slotCount = Int(raw[r, table.count])
                guard slotCount > 0 else { continue }
                let slotFirst = Int(raw[r, table.first])
                let hash = folded ? hf : h
                let tag = UInt32(truncatingIfNeeded: hash >> 32)
                let mask = slotCount - 1
                var i = Int(truncatingIfNeeded: hash) & mask
                probing: for _ in 0..<slotCount {
                    let s = slots.at(slotFirst + i)
                    let e = raw[s, Layout.HashSlot.entry]
                    if e == TableImageFormat.none { break }
                    if raw[s, Layout.HashSlot.tag] == tag {
                        let value = stringBytes(raw[entries.at(entryFirst + Int(e)), Layout.ExactEntry.value])
                        if value.count == length {
                            var it = input
                            var k = 0
                            var same = true
                            while let b = it.next() {
                                if folded ? asciiLower(value[k]) != asciiLower(b) : value[k] != b {
                                    same = false
                                    break
                                }
                                k += 1
                            }
                            if same {
                                found = min(found, e)
                                break probing
                            }
                        }
                    }
                    i = (i + 1) & mask
                }
            }
            if found == .max { return raw[r, X.otherClass] }
            return raw[entries.at(entryFirst + Int(found)), Layout.ExactEntry.classID]
        case ClassifierKindCode.dense.rawValue:
            typealias D = Layout.DenseClassifier
            let byteClasses = sections[SectionKind.dfaByteClasses.index]
            let byteMap = byteClasses.at(Int(raw[r, D.byteClasses.first]))
            let classCount = Int(raw[r, D.byteClassCount])
            let trans = sections[SectionKind.dfaTransitions.index]
            let transFirst = Int(raw[r, D.transitions.first])
            var state = Int(raw[r, D.start])
            var it = input
            while state != 0, let b = it.next() {
                let byteClass = Int(raw[byteMap &+ Int(b), Layout.ByteClass.byteClass])
                state = Int(raw[trans.at(transFirst + state * classCount + byteClass), Layout.Word.value])
            }
            let stateClasses = sections[SectionKind.dfaStateClasses.index]
            return raw[stateClasses.at(Int(raw[r, D.stateClasses.first]) + state), Layout.Word.value]
        default:  // sparse
            typealias P = Layout.SparseClassifier
            typealias E = Layout.SparseEdge
            let states = sections[SectionKind.sparseStates.index]
            let edges = sections[SectionKind.sparseEdges.index]
            let stateFirst = Int(raw[r, P.states.first])
            let edgeFirst = Int(raw[r, P.edges.first])
            var state = Int(raw[r, P.start])
            var it = input
            while state != 0, let b = it.next() {
                let s = states.at(stateFirst + state)
                var lo = edgeFirst + Int(raw[s, Layout.SparseState.firstEdge])
                var hi = lo + Int(raw[s, Layout.SparseState.edgeCount])
                let end = hi
                // The first edge whose upper bound is at least b.
                while lo < hi {
                    let mid = (lo + hi) >> 1
                    if raw[edges.at(mid), E.hi] < b { lo = mid + 1 } else { hi = mid }
                }
                state = lo < end && raw[edges.at(lo), E.lo] <= b ? Int(raw[edges.at(lo), E.target]) : 0
            }
            return raw[states.at(stateFirst + state), Layout.SparseState.classID]
        }
    }
}

/// The request's bytes for one lookup.
struct RequestBytes {
    var path: UnsafeRawBufferPointer
    var method: UnsafeRawBufferPointer
    var scheme: UnsafeRawBufferPointer
    var authority: UnsafeRawBufferPointer
}

/// A candidate host as up to four byte runs (the host, `.`, the namespace, `.svc.`, the suffix),
/// hashed and compared without building a string.
/// Decides whether a host map entry's string is the key probed for.
protocol HostMatcher {
    func matches(_ entry: UnsafeRawBufferPointer) -> Bool
}

/// A wildcard pattern `*` + suffix.
struct WildcardKey: HostMatcher {
    var suffix: UnsafeRawBufferPointer
    @inline(__always) func matches(_ e: UnsafeRawBufferPointer) -> Bool {
        e.count == suffix.count + 1 && equal(UnsafeRawBufferPointer(rebasing: e[1...]), suffix)
    }
}

struct HostKey: HostMatcher {
    var parts: (UnsafeRawBufferPointer, UnsafeRawBufferPointer, UnsafeRawBufferPointer, UnsafeRawBufferPointer)
    var count: Int

    init(
        _ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer = .init(start: nil, count: 0),
        _ c: UnsafeRawBufferPointer = .init(start: nil, count: 0),
        _ d: UnsafeRawBufferPointer = .init(start: nil, count: 0)
    ) {
        parts = (a, b, c, d)
        count = a.count + b.count + c.count + d.count
    }

    @inline(__always) func part(_ i: Int) -> UnsafeRawBufferPointer {
        switch i {
        case 0: parts.0
        case 1: parts.1
        case 2: parts.2
        default: parts.3
        }
    }

    func hash() -> UInt64 {
        var h = FNV1a.offset
        for i in 0..<4 {
            for b in part(i) { h = FNV1a.step(h, b) }
        }
        return h
    }

    func matches(_ e: UnsafeRawBufferPointer) -> Bool {
        guard e.count == count else { return false }
        var at = 0
        for i in 0..<4 {
            let p = part(i)
            if !equal(UnsafeRawBufferPointer(rebasing: e[at..<(at + p.count)]), p) { return false }
            at += p.count
        }
        return true
    }
}

// Byte searches written out: the generic collection algorithms allocate in unoptimised builds.

@inline(__always)
func firstIndex(_ p: UnsafeRawBufferPointer, _ b: UInt8) -> Int? {
    var i = 0
    while i < p.count {
        if p[i] == b { return i }
        i += 1
    }
    return nil
}

@inline(__always)
func firstIndex(_ p: UnsafeRawBufferPointer, _ b: UInt8, _ c: UInt8) -> Int? {
    var i = 0
    while i < p.count {
        if p[i] == b || p[i] == c { return i }
        i += 1
    }
    return nil
}

@inline(__always)
func lastIndex(_ p: UnsafeRawBufferPointer, _ b: UInt8) -> Int? {
    var i = p.count
    while i > 0 {
        i -= 1
        if p[i] == b { return i }
    }
    return nil
}

@inline(__always)
func hasNonASCII(_ p: UnsafeRawBufferPointer) -> Bool {
    var i = 0
    while i < p.count {
        if p[i] >= 0x80 { return true }
        i += 1
    }
    return false
}

@inline(__always)
func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
    guard a.count == b.count else { return false }
    if a.count == 0 { return true }
    guard let x = a.baseAddress, let y = b.baseAddress else { return false }
    return memcmpBytes(x, y, a.count)
}

@inline(__always)
func memcmpBytes(_ x: UnsafeRawPointer, _ y: UnsafeRawPointer, _ n: Int) -> Bool {
    var i = 0
    while i + 8 <= n {
        if x.loadUnaligned(fromByteOffset: i, as: UInt64.self) != y.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
            return false
        }
        i += 8
    }
    while i < n {
        if x.load(fromByteOffset: i, as: UInt8.self) != y.load(fromByteOffset: i, as: UInt8.self) { return false }
        i += 1
    }
    return true
}

/// `Int(text)` of the standard library on bytes: an optional sign, then decimal digits, no
/// overflow.
func parseSwiftInt(_ p: UnsafeRawBufferPointer) -> Int? {
    var i = 0
    var negative = false
    if p.count > 0, p[0] == 0x2B || p[0] == 0x2D {
        let f = p[0]
        negative = f == 0x2D
        i = 1
    }
    guard i < p.count else { return nil }
    var v = 0
    while i < p.count {
        let d = Int(p[i]) - 0x30
        guard d >= 0, d < 10 else { return nil }
        let (m, o1) = v.multipliedReportingOverflow(by: 10)
        let (s, o2) = negative ? m.subtractingReportingOverflow(d) : m.addingReportingOverflow(d)
        guard !o1, !o2 else { return nil }
        v = s
        i += 1
    }
    return v
}

// MARK: Byte sources

/// A sequence of bytes that can be read again from a copy.
protocol ByteSource {
    mutating func next() -> UInt8?
}

struct BufferBytes: ByteSource {
    let base: UnsafeRawBufferPointer
    var i = 0
    init(_ b: UnsafeRawBufferPointer) { base = b }
    @inline(__always) mutating func next() -> UInt8? {
        guard i < base.count else { return nil }
        defer { i += 1 }
        return base[i]
    }
}

/// A query string component percent-decoded (`%41` -> `A`, malformed escapes kept as written),
/// then repaired as UTF-8 the way `String(decoding:as:)` does (each maximal ill-formed subpart
/// becomes U+FFFD): the bytes of the reference's `percentDecode(_:)`.
struct QueryBytes: ByteSource {
    let base: UnsafeRawBufferPointer
    var i = 0
    /// A decoded byte read ahead and not yet used.
    var pending: UInt16 = 0x100
    /// Bytes ready to hand out.
    var out: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
    var outCount = 0
    var outIndex = 0

    init(_ b: UnsafeRawBufferPointer) { base = b }

    @inline(__always) static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x41...0x46: c - 0x41 + 10
        case 0x61...0x66: c - 0x61 + 10
        default: nil
        }
    }

    mutating func decoded() -> UInt8? {
        if pending < 0x100 {
            defer { pending = 0x100 }
            return UInt8(pending)
        }
        guard i < base.count else { return nil }
        let c = base[i]
        if c == 0x25, i + 2 < base.count, let h = QueryBytes.hex(base[i + 1]), let l = QueryBytes.hex(base[i + 2]) {
            i += 3
            return h << 4 | l
        }
        i += 1
        return c
    }

    mutating func emit(_ a: UInt8, _ b: UInt8 = 0, _ c: UInt8 = 0, _ d: UInt8 = 0, count: Int) -> UInt8 {
        out = (a, b, c, d)
        outCount = count
        outIndex = 1
        return a
    }

    mutating func replacement() -> UInt8 { emit(0xEF, 0xBF, 0xBD, count: 3) }

    mutating func next() -> UInt8? {
        if outIndex < outCount {
            defer { outIndex += 1 }
            switch outIndex {
            case 1: return out.1
            case 2: return out.2
            default: return out.3
            }
        }
        guard let b0 = decoded() else { return nil }
        if b0 < 0x80 { return b0 }
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
        default: return replacement()
        }
        var seq: (UInt8, UInt8, UInt8) = (0, 0, 0)
        for k in 0..<need {
            guard let c = decoded() else { return replacement() }
            let (l, h): (UInt8, UInt8) = k == 0 ? (lo, hi) : (0x80, 0xBF)
            guard c >= l, c <= h else {
                pending = UInt16(c)
                return replacement()
            }
            switch k {
            case 0: seq.0 = c
            case 1: seq.1 = c
            default: seq.2 = c
            }
        }
        return emit(b0, seq.0, seq.1, seq.2, count: need + 1)
    }
}
