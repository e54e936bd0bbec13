// Decoding a validated image back into plain values: the whole program, and full decision
// records for lookup results.

extension TableImage {
    func sec(_ k: SectionKind) -> SectionRef { sections[k.index] }

    /// The program the image was written from (`TableImage.write(program).program == program`).
    public var program: TableProgram {
        let raw = storage.raw
        var p = TableProgram()
        p.strings = (0..<programStringCount).map { string(UInt32($0)) }
        func u32(_ k: SectionKind, _ i: Int, _ o: Int) -> UInt32 { raw.u32(sec(k).at(i) + o) }
        func ref(_ v: UInt32) -> TableProgram.NodeRef { TableProgram.NodeRef(raw: v) }
        func span(_ first: UInt32, _ count: UInt32) -> Range<Int> { Int(first)..<(Int(first) + Int(count)) }

        for i in 0..<sec(.scopes).count {
            let r = sec(.scopes).at(i)
            let listeners = span(raw.u32(r + 12), raw.u32(r + 16)).map { j in
                let x = sec(.listeners).at(j)
                let overlay = raw.u32(x + 8)
                return TableProgram.Listener(
                    port: raw.u32(x), hostMap: raw.u32(x + 4),
                    overlay: overlay == TableImageFormat.none ? nil : overlay,
                    outboundPolicy: TableProgram.OutboundPolicy(rawValue: raw.u8(x + 16)) ?? .allowAny,
                    domainSuffix: raw.u32(x + 12))
            }
            p.scopes.append(
                TableProgram.Scope(
                    kind: TableProgram.ScopeKind(rawValue: raw.u8(r)) ?? .sidecar, name: raw.u32(r + 4),
                    namespace: raw.u32(r + 8),
                    listeners: listeners,
                    outboundPolicy: TableProgram.OutboundPolicy(rawValue: raw.u8(r + 1)) ?? .allowAny))
        }
        func hostEntry(_ j: Int) -> TableProgram.HostEntry {
            TableProgram.HostEntry(host: u32(.hostEntries, j, 0), virtualHost: u32(.hostEntries, j, 4))
        }
        for i in 0..<sec(.hostMaps).count {
            let r = sec(.hostMaps).at(i)
            p.hostMaps.append(
                TableProgram.HostMap(
                    exact: span(raw.u32(r), raw.u32(r + 4)).map(hostEntry),
                    wildcards: span(raw.u32(r + 8), raw.u32(r + 12)).map(hostEntry)))
        }
        for i in 0..<sec(.virtualHosts).count {
            let r = sec(.virtualHosts).at(i)
            p.virtualHosts.append(
                TableProgram.VirtualHost(
                    host: raw.u32(r), kind: TableProgram.VirtualHostKind(rawValue: raw.u8(r + 8)) ?? .noRoute,
                    routeTable: raw.u32(r + 4),
                    httpsRedirect: raw.u8(r + 9) != 0))
        }
        for i in 0..<sec(.routeTables).count {
            let r = sec(.routeTables).at(i)
            let attributes = span(raw.u32(r), raw.u32(r + 4)).map { j in
                TableProgram.Attribute(
                    kind: TableProgram.AttributeKind(rawValue: raw.u8(sec(.attributes).at(j))) ?? .path,
                    name: u32(.attributes, j, 4), classifier: u32(.attributes, j, 8))
            }
            let segments = span(raw.u32(r + 8), raw.u32(r + 12)).map { ref(u32(.segments, $0, 0)) }
            let slots = span(raw.u32(r + 16), raw.u32(r + 20)).map {
                TableProgram.Slot(action: u32(.slots, $0, 0), rule: u32(.slots, $0, 4))
            }
            p.routeTables.append(TableProgram.RouteTable(attributes: attributes, segments: segments, slots: slots))
        }
        for i in 0..<sec(.classifiers).count {
            let r = sec(.classifiers).at(i)
            let q = r + 12
            func param(_ k: Int) -> UInt32 { raw.u32(q + 4 * k) }
            let kind: TableProgram.Classifier.Kind
            switch raw.u8(r) {
            case ClassifierKindCode.exact.rawValue:
                let entries = span(param(0), param(1)).map { j in
                    TableProgram.ExactEntry(
                        value: u32(.exactEntries, j, 0), classID: u32(.exactEntries, j, 4),
                        caseInsensitive: raw.u8(sec(.exactEntries).at(j) + 8) != 0)
                }
                kind = .exact(entries: entries, otherClass: param(6))
            case ClassifierKindCode.dense.rawValue:
                kind = .dense(
                    TableProgram.DenseDFA(
                        byteClasses: span(param(0), param(1)).map { raw.u8(sec(.dfaByteClasses).at($0)) },
                        byteClassCount: param(2),
                        start: param(3), transitions: span(param(4), param(5)).map { u32(.dfaTransitions, $0, 0) },
                        stateClass: span(param(6), param(7)).map { u32(.dfaStateClasses, $0, 0) }))
            default:
                kind = .sparse(
                    TableProgram.SparseDFA(
                        start: param(0),
                        states: span(param(1), param(2)).map { j in
                            TableProgram.SparseDFA.State(
                                firstEdge: u32(.sparseStates, j, 0), edgeCount: u32(.sparseStates, j, 4),
                                classID: u32(.sparseStates, j, 8))
                        },
                        edges: span(param(3), param(4)).map { j in
                            let x = sec(.sparseEdges).at(j)
                            return TableProgram.SparseDFA.Edge(lo: raw.u8(x), hi: raw.u8(x + 1), target: raw.u32(x + 4))
                        }))
            }
            p.classifiers.append(
                TableProgram.Classifier(kind: kind, classCount: raw.u32(r + 4), absentClass: raw.u32(r + 8)))
        }
        for i in 0..<sec(.nodes).count {
            let r = sec(.nodes).at(i)
            var n = TableProgram.Node(
                attribute: raw.u16(r),
                dense: span(raw.u32(r + 8), raw.u32(r + 12)).map { ref(u32(.denseChildren, $0, 0)) })
            n.fallback = ref(raw.u32(r + 4))
            n.sparse = span(raw.u32(r + 16), raw.u32(r + 20)).map {
                TableProgram.SparseChild(classID: u32(.sparseChildren, $0, 0), child: ref(u32(.sparseChildren, $0, 4)))
            }
            p.nodes.append(n)
        }
        p.actions = (0..<sec(.actions).count).map(action)
        p.rules = (0..<sec(.rules).count).map(ruleRef)
        p.clusters = (0..<sec(.clusters).count).map(clusterPolicy)
        p.metadata = (0..<sec(.metadata).count).map {
            HeaderPair(string(u32(.metadata, $0, 0)), string(u32(.metadata, $0, 4)))
        }
        return p
    }

    /// Action `i` of the image.
    public func action(_ i: Int) -> ActionRecord {
        let raw = storage.raw
        let r = sec(.actions).at(i)
        let flags = raw.u32(r + ActionLayout.flags)
        func has(_ f: UInt32) -> Bool { flags & f != 0 }
        func str(_ o: Int) -> String? { optString(raw.u32(r + o)) }
        /// The header operations whose six counts start at byte `o` of the image.
        func ops(_ o: Int) -> HeaderOpsRecord {
            func pairs(_ k: Int) -> [HeaderPair] {
                (Int(raw.u32(o + k))..<(Int(raw.u32(o + k)) + Int(raw.u32(o + k + 4)))).map { j in
                    let x = sec(.headerPairs).at(j)
                    return HeaderPair(string(raw.u32(x)), string(raw.u32(x + 4)))
                }
            }
            let removeFirst = Int(raw.u32(o + 16))
            let remove = (removeFirst..<(removeFirst + Int(raw.u32(o + 20)))).map {
                string(raw.u32(sec(.stringLists).at($0)))
            }
            return HeaderOpsRecord(set: pairs(0), add: pairs(8), remove: remove)
        }
        func destination(_ x: Int, withHeaders: Bool = false) -> DestinationRecord {
            var d = DestinationRecord(
                host: string(raw.u32(x)), subset: optString(raw.u32(x + 4)),
                port: raw.u32(x + 8) & 1 != 0 ? raw.i64(x + 16) : nil, weight: raw.i64(x + 24))
            if withHeaders {
                d.requestHeaders = ops(x + DestinationLayout.requestOps)
                d.responseHeaders = ops(x + DestinationLayout.responseOps)
            }
            return d
        }
        let destFirst = Int(raw.u32(r + ActionLayout.destFirst))
        let mirrorFirst = Int(raw.u32(r + ActionLayout.mirrorFirst))
        var a = ActionRecord(kind: ActionLayout.kind(raw.u8(r)) ?? .route)
        a.destinations = (destFirst..<(destFirst + Int(raw.u32(r + ActionLayout.destCount)))).map {
            destination(sec(.destinations).at($0), withHeaders: true)
        }
        a.mirrors = (mirrorFirst..<(mirrorFirst + Int(raw.u32(r + ActionLayout.mirrorCount)))).map {
            let x = sec(.mirrors).at($0)
            return MirrorRecord(destination: destination(x), percentage: raw.f64(x + 32))
        }
        a.requestHeaders = ops(r + ActionLayout.requestOps)
        a.responseHeaders = ops(r + ActionLayout.responseOps)
        if has(ActionLayout.hasRedirect) {
            a.redirect = RedirectRecord(
                uri: str(ActionLayout.redirectURI), authority: str(ActionLayout.redirectAuthority),
                scheme: str(ActionLayout.redirectScheme),
                port: has(ActionLayout.hasRedirectPort) ? raw.i64(r + ActionLayout.redirectPort) : nil,
                derivePort: str(ActionLayout.redirectDerivePort), code: raw.i64(r + ActionLayout.redirectCode))
        }
        if has(ActionLayout.hasDirectStatus) { a.directStatus = raw.i64(r + ActionLayout.directStatus) }
        a.directBody = str(ActionLayout.directBody)
        if has(ActionLayout.hasRewrite) {
            a.rewrite = RewriteRecord(
                uri: str(ActionLayout.rewriteURI), authority: str(ActionLayout.rewriteAuthority),
                regexMatch: str(ActionLayout.rewriteRegexMatch),
                regexSubstitution: str(ActionLayout.rewriteRegexSubstitution))
        }
        if has(ActionLayout.hasTimeout) { a.timeoutMs = raw.i64(r + ActionLayout.timeoutMs) }
        a.retries = RetryRecord(
            attempts: raw.i64(r + ActionLayout.retryAttempts),
            perTryTimeoutMs: has(ActionLayout.hasPerTryTimeout) ? raw.i64(r + ActionLayout.perTryTimeoutMs) : nil,
            retryOn: string(raw.u32(r + ActionLayout.retryOn)),
            backoffMs: has(ActionLayout.hasBackoff) ? raw.i64(r + ActionLayout.backoffMs) : nil)
        if has(ActionLayout.hasFault) {
            a.fault = FaultRecord(
                delayMs: has(ActionLayout.hasDelay) ? raw.i64(r + ActionLayout.delayMs) : nil,
                delayPercentage: raw.f64(r + ActionLayout.delayPercentage),
                abortStatus: has(ActionLayout.hasAbortStatus) ? raw.i64(r + ActionLayout.abortStatus) : nil,
                abortGrpcStatus: str(ActionLayout.abortGrpcStatus),
                abortPercentage: raw.f64(r + ActionLayout.abortPercentage))
        }
        return a
    }

    /// The number of cluster policies (DestinationRule host, port and subset entries).
    public var clusterCount: Int { sec(.clusters).count }

    /// Cluster policy `i` of the image, without decoding the rest of the program (the proxy
    /// reads these once per loaded image). String indexes resolve with `programString(_:)`.
    public func clusterPolicy(_ i: Int) -> TableProgram.ClusterPolicy {
        let raw = storage.raw
        let r = sec(.clusters).at(i)
        func u32(_ k: SectionKind, _ i: Int, _ o: Int) -> UInt32 { raw.u32(sec(k).at(i) + o) }
        func span(_ first: UInt32, _ count: UInt32) -> Range<Int> { Int(first)..<(Int(first) + Int(count)) }
        var c = TableProgram.ClusterPolicy(
            host: raw.u32(r), subset: raw.u32(r + ClusterLayout.subset), port: raw.u32(r + ClusterLayout.port))
        c.hashKey = raw.u32(r + ClusterLayout.hashKey)
        c.loadBalancer = TableProgram.LoadBalancer(rawValue: raw.u8(r + ClusterLayout.loadBalancer)) ?? .roundRobin
        c.tls = TableProgram.TLSMode(rawValue: raw.u8(r + ClusterLayout.tls)) ?? .unset
        let presence = raw.u16(r + ClusterLayout.presence)
        for (k, kp) in ClusterLayout.optionalKeyPaths.enumerated() where presence & (1 << UInt16(k)) != 0 {
            c[keyPath: kp] = raw.u32(r + ClusterLayout.optionals + 4 * k)
        }
        func pair(_ j: Int) -> TableProgram.RegionPair {
            TableProgram.RegionPair(from: u32(.regionPairs, j, 0), to: u32(.regionPairs, j, 4))
        }
        c.subsetLabels = span(raw.u32(r + ClusterLayout.labelsFirst), raw.u32(r + ClusterLayout.labelsCount)).map(pair)
        c.failover = span(raw.u32(r + ClusterLayout.failoverFirst), raw.u32(r + ClusterLayout.failoverCount)).map(pair)
        c.failoverPriority = span(raw.u32(r + ClusterLayout.priorityFirst), raw.u32(r + ClusterLayout.priorityCount))
            .map { u32(.clusterPriorities, $0, 0) }
        return c
    }

    /// A string of the image's pool by index (`UInt32.max`, "none", gives nil).
    public func programString(_ i: UInt32) -> String? {
        guard i != TableImageFormat.none, Int(i) < sec(.stringOffsets).count - 1 else { return nil }
        return string(i)
    }

    /// Rule reference `i` of the image.
    public func ruleRef(_ i: Int) -> RuleRef {
        let raw = storage.raw
        let r = sec(.rules).at(i)
        return RuleRef(
            virtualService: string(raw.u32(r)), index: raw.i64(r + 16), name: optString(raw.u32(r + 4)),
            delegate: optString(raw.u32(r + 8)), delegateIndex: raw.u32(r + 12) & 1 != 0 ? raw.i64(r + 24) : nil)
    }

    /// The full decision record of a lookup result, as the reference semantics builds it
    /// (allocates: for `fjord explain`, the admin endpoint and tests).
    public func decisionRecord(_ r: LookupResult) -> DecisionRecord {
        let host =
            r.virtualHost >= 0 && r.virtualHost < sec(.virtualHosts).count
            ? string(storage.raw.u32(sec(.virtualHosts).at(r.virtualHost))) : nil
        switch r.outcome {
        case .passthrough, .blackhole:
            return DecisionRecord(outcome: r.outcome)
        case .noRoute:
            return DecisionRecord(outcome: .noRoute, host: host)
        case .defaultRoute:
            return DecisionRecord(
                outcome: .defaultRoute, host: host,
                action: ActionRecord(
                    kind: .route,
                    destinations: [DestinationRecord(host: host ?? "", subset: nil, port: r.listenerPort, weight: 100)])
            )
        case .matched:
            if r.httpsRedirect {
                return DecisionRecord(
                    outcome: .matched, host: host, rule: nil,
                    action: ActionRecord(
                        kind: .redirect,
                        redirect: RedirectRecord(
                            uri: nil, authority: nil, scheme: "https", port: nil, derivePort: nil, code: 301),
                        retries: .none))
            }
            let action = r.action >= 0 && r.action < sec(.actions).count ? action(r.action) : nil
            let rule = r.rule >= 0 && r.rule < sec(.rules).count ? ruleRef(r.rule) : nil
            return DecisionRecord(outcome: .matched, host: host, rule: rule, action: action)
        }
    }
}
