// Decoding a validated image back into plain values: the whole program, and full decision
// records for lookup results.

extension TableImage {
    func sec(_ k: SectionKind) -> SectionRef { sections[k.index] }

    /// The program the image was written from (`TableImage.write(program).program == program`).
    public var program: TableProgram {
        let raw = storage.raw
        var p = TableProgram()
        p.strings = (0..<programStringCount).map { string(UInt32($0)) }
        func ref(_ v: UInt32) -> TableProgram.NodeRef { TableProgram.NodeRef(raw: v) }

        for i in 0..<sec(.scopes).count {
            typealias S = Layout.Scope
            typealias L = Layout.Listener
            let r = sec(.scopes).at(i)
            let listeners = raw.range(r, S.listeners).map { j in
                let x = sec(.listeners).at(j)
                let overlay = raw[x, L.overlay]
                return TableProgram.Listener(
                    port: raw[x, L.port], hostMap: raw[x, L.hostMap],
                    overlay: overlay == TableImageFormat.none ? nil : overlay,
                    outboundPolicy: TableProgram.OutboundPolicy(rawValue: raw[x, L.outboundPolicy]) ?? .allowAny,
                    domainSuffix: raw[x, L.domainSuffix])
            }
            p.scopes.append(
                TableProgram.Scope(
                    kind: TableProgram.ScopeKind(rawValue: raw[r, S.kind]) ?? .sidecar, name: raw[r, S.name],
                    namespace: raw[r, S.namespace],
                    listeners: listeners,
                    outboundPolicy: TableProgram.OutboundPolicy(rawValue: raw[r, S.outboundPolicy]) ?? .allowAny))
        }
        func hostEntry(_ j: Int) -> TableProgram.HostEntry {
            let x = sec(.hostEntries).at(j)
            return TableProgram.HostEntry(
                host: raw[x, Layout.HostEntry.host], virtualHost: raw[x, Layout.HostEntry.virtualHost])
        }
        for i in 0..<sec(.hostMaps).count {
            let r = sec(.hostMaps).at(i)
            p.hostMaps.append(
                TableProgram.HostMap(
                    exact: raw.range(r, Layout.HostMap.exactEntries).map(hostEntry),
                    wildcards: raw.range(r, Layout.HostMap.wildcardEntries).map(hostEntry)))
        }
        for i in 0..<sec(.virtualHosts).count {
            typealias V = Layout.VirtualHost
            let r = sec(.virtualHosts).at(i)
            p.virtualHosts.append(
                TableProgram.VirtualHost(
                    host: raw[r, V.host], kind: TableProgram.VirtualHostKind(rawValue: raw[r, V.kind]) ?? .noRoute,
                    routeTable: raw[r, V.routeTable],
                    httpsRedirect: raw[r, V.httpsRedirect] != 0))
        }
        for i in 0..<sec(.routeTables).count {
            typealias T = Layout.RouteTable
            typealias A = Layout.Attribute
            let r = sec(.routeTables).at(i)
            let attributes = raw.range(r, T.attributes).map { j in
                let x = sec(.attributes).at(j)
                return TableProgram.Attribute(
                    kind: TableProgram.AttributeKind(rawValue: raw[x, A.kind]) ?? .path,
                    name: raw[x, A.name], classifier: raw[x, A.classifier])
            }
            let segments = raw.range(r, T.segments).map { ref(raw[sec(.segments).at($0), Layout.NodeRefEntry.ref]) }
            let slots = raw.range(r, T.slots).map {
                let x = sec(.slots).at($0)
                return TableProgram.Slot(action: raw[x, Layout.Slot.action], rule: raw[x, Layout.Slot.rule])
            }
            p.routeTables.append(TableProgram.RouteTable(attributes: attributes, segments: segments, slots: slots))
        }
        for i in 0..<sec(.classifiers).count {
            let r = sec(.classifiers).at(i)
            let kind: TableProgram.Classifier.Kind
            switch raw[r, Layout.Classifier.kind] {
            case ClassifierKindCode.exact.rawValue:
                typealias X = Layout.ExactClassifier
                typealias E = Layout.ExactEntry
                let entries = raw.range(r, X.entries).map { j in
                    let x = sec(.exactEntries).at(j)
                    return TableProgram.ExactEntry(
                        value: raw[x, E.value], classID: raw[x, E.classID],
                        caseInsensitive: raw[x, E.caseInsensitive] != 0)
                }
                kind = .exact(entries: entries, otherClass: raw[r, X.otherClass])
            case ClassifierKindCode.dense.rawValue:
                typealias D = Layout.DenseClassifier
                kind = .dense(
                    TableProgram.DenseDFA(
                        byteClasses: raw.range(r, D.byteClasses).map {
                            raw[sec(.dfaByteClasses).at($0), Layout.ByteClass.byteClass]
                        },
                        byteClassCount: raw[r, D.byteClassCount],
                        start: raw[r, D.start],
                        transitions: raw.range(r, D.transitions).map {
                            raw[sec(.dfaTransitions).at($0), Layout.Word.value]
                        },
                        stateClass: raw.range(r, D.stateClasses).map {
                            raw[sec(.dfaStateClasses).at($0), Layout.Word.value]
                        }))
            default:
                typealias P = Layout.SparseClassifier
                typealias S = Layout.SparseState
                typealias E = Layout.SparseEdge
                kind = .sparse(
                    TableProgram.SparseDFA(
                        start: raw[r, P.start],
                        states: raw.range(r, P.states).map { j in
                            let x = sec(.sparseStates).at(j)
                            return TableProgram.SparseDFA.State(
                                firstEdge: raw[x, S.firstEdge], edgeCount: raw[x, S.edgeCount],
                                classID: raw[x, S.classID])
                        },
                        edges: raw.range(r, P.edges).map { j in
                            let x = sec(.sparseEdges).at(j)
                            return TableProgram.SparseDFA.Edge(
                                lo: raw[x, E.lo], hi: raw[x, E.hi], target: raw[x, E.target])
                        }))
            }
            p.classifiers.append(
                TableProgram.Classifier(
                    kind: kind, classCount: raw[r, Layout.Classifier.classCount],
                    absentClass: raw[r, Layout.Classifier.absentClass]))
        }
        for i in 0..<sec(.nodes).count {
            typealias N = Layout.Node
            let r = sec(.nodes).at(i)
            var n = TableProgram.Node(
                attribute: raw[r, N.attribute],
                dense: raw.range(r, N.denseChildren).map {
                    ref(raw[sec(.denseChildren).at($0), Layout.NodeRefEntry.ref])
                })
            n.fallback = ref(raw[r, N.fallback])
            n.sparse = raw.range(r, N.sparseChildren).map {
                let x = sec(.sparseChildren).at($0)
                return TableProgram.SparseChild(
                    classID: raw[x, Layout.SparseChild.classID], child: ref(raw[x, Layout.SparseChild.child]))
            }
            p.nodes.append(n)
        }
        p.actions = (0..<sec(.actions).count).map(action)
        p.rules = (0..<sec(.rules).count).map(ruleRef)
        p.clusters = (0..<sec(.clusters).count).map(clusterPolicy)
        p.metadata = (0..<sec(.metadata).count).map {
            let x = sec(.metadata).at($0)
            return HeaderPair(string(raw[x, Layout.Pair.first]), string(raw[x, Layout.Pair.second]))
        }
        return p
    }

    /// Action `i` of the image.
    public func action(_ i: Int) -> ActionRecord {
        typealias A = Layout.Action
        typealias D = Layout.Destination
        let raw = storage.raw
        let r = sec(.actions).at(i)
        let flags = raw[r, A.flags]
        func has(_ f: UInt32) -> Bool { flags & f != 0 }
        func str(_ f: U32Field) -> String? { optString(raw[r, f]) }
        /// The header operations `f` of the record at `x`.
        func ops(_ x: Int, _ f: HeaderOpsField) -> HeaderOpsRecord {
            func pairs(_ part: RangeField) -> [HeaderPair] {
                raw.range(x, part).map { j in
                    let y = sec(.headerPairs).at(j)
                    return HeaderPair(string(raw[y, Layout.Pair.first]), string(raw[y, Layout.Pair.second]))
                }
            }
            let remove = raw.range(x, f.remove).map { string(raw[sec(.stringLists).at($0), Layout.Word.string]) }
            return HeaderOpsRecord(set: pairs(f.set), add: pairs(f.add), remove: remove)
        }
        func destination(_ x: Int, withHeaders: Bool = false) -> DestinationRecord {
            var d = DestinationRecord(
                host: string(raw[x, D.host]), subset: optString(raw[x, D.subset]),
                port: raw[x, D.flags] & D.hasPort != 0 ? raw[x, D.port] : nil, weight: raw[x, D.weight])
            if withHeaders {
                d.requestHeaders = ops(x, D.requestHeaders)
                d.responseHeaders = ops(x, D.responseHeaders)
            }
            return d
        }
        var a = ActionRecord(kind: A.kind(raw[r, A.kind]) ?? .route)
        a.destinations = raw.range(r, A.destinations).map { destination(sec(.destinations).at($0), withHeaders: true) }
        a.mirrors = raw.range(r, A.mirrors).map {
            let x = sec(.mirrors).at($0)
            return MirrorRecord(destination: destination(x), percentage: raw.double(x, Layout.Mirror.percentage))
        }
        a.requestHeaders = ops(r, A.requestHeaders)
        a.responseHeaders = ops(r, A.responseHeaders)
        if has(A.hasRedirect) {
            a.redirect = RedirectRecord(
                uri: str(A.redirectURI), authority: str(A.redirectAuthority), scheme: str(A.redirectScheme),
                port: has(A.hasRedirectPort) ? raw[r, A.redirectPort] : nil, derivePort: str(A.redirectDerivePort),
                code: raw[r, A.redirectCode])
        }
        if has(A.hasDirectStatus) { a.directStatus = raw[r, A.directStatus] }
        a.directBody = str(A.directBody)
        if has(A.hasRewrite) {
            a.rewrite = RewriteRecord(
                uri: str(A.rewriteURI), authority: str(A.rewriteAuthority), regexMatch: str(A.rewriteRegexMatch),
                regexSubstitution: str(A.rewriteRegexSubstitution))
        }
        if has(A.hasTimeout) { a.timeoutMs = raw[r, A.timeoutMs] }
        a.retries = RetryRecord(
            attempts: raw[r, A.retryAttempts],
            perTryTimeoutMs: has(A.hasPerTryTimeout) ? raw[r, A.perTryTimeoutMs] : nil,
            retryOn: string(raw[r, A.retryOn]),
            backoffMs: has(A.hasBackoff) ? raw[r, A.backoffMs] : nil)
        if has(A.hasFault) {
            a.fault = FaultRecord(
                delayMs: has(A.hasDelay) ? raw[r, A.delayMs] : nil,
                delayPercentage: raw.double(r, A.delayPercentage),
                abortStatus: has(A.hasAbortStatus) ? raw[r, A.abortStatus] : nil,
                abortGrpcStatus: str(A.abortGrpcStatus),
                abortPercentage: raw.double(r, A.abortPercentage))
        }
        return a
    }

    /// The number of cluster policies (DestinationRule host, port and subset entries).
    public var clusterCount: Int { sec(.clusters).count }

    /// Cluster policy `i` of the image, without decoding the rest of the program (the proxy
    /// reads these once per loaded image). String indexes resolve with `programString(_:)`.
    public func clusterPolicy(_ i: Int) -> TableProgram.ClusterPolicy {
        typealias C = Layout.Cluster
        let raw = storage.raw
        let r = sec(.clusters).at(i)
        var c = TableProgram.ClusterPolicy(host: raw[r, C.host], subset: raw[r, C.subset], port: raw[r, C.port])
        c.hashKey = raw[r, C.hashKey]
        c.loadBalancer = TableProgram.LoadBalancer(rawValue: raw[r, C.loadBalancer]) ?? .roundRobin
        c.tls = TableProgram.TLSMode(rawValue: raw[r, C.tls]) ?? .unset
        let presence = raw[r, C.presence]
        for (k, kp) in C.optionalKeyPaths.enumerated() where presence & (1 << UInt16(k)) != 0 {
            c[keyPath: kp] = raw[r, C.optionals[k]]
        }
        func pair(_ j: Int) -> TableProgram.RegionPair {
            let x = sec(.regionPairs).at(j)
            return TableProgram.RegionPair(from: raw[x, Layout.Pair.first], to: raw[x, Layout.Pair.second])
        }
        c.subsetLabels = raw.range(r, C.subsetLabels).map(pair)
        c.failover = raw.range(r, C.failover).map(pair)
        c.failoverPriority = raw.range(r, C.failoverPriority).map {
            raw[sec(.clusterPriorities).at($0), Layout.Word.string]
        }
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
        typealias R = Layout.Rule
        let r = sec(.rules).at(i)
        return RuleRef(
            virtualService: string(raw[r, R.virtualService]), index: raw[r, R.ruleIndex],
            name: optString(raw[r, R.name]),
            delegate: optString(raw[r, R.delegate]),
            delegateIndex: raw[r, R.flags] & R.hasDelegateIndex != 0 ? raw[r, R.delegateIndex] : nil)
    }

    /// The full decision record of a lookup result, as the reference semantics builds it
    /// (allocates: for `fjord explain`, the admin endpoint and tests).
    public func decisionRecord(_ r: LookupResult) -> DecisionRecord {
        let host =
            r.virtualHost >= 0 && r.virtualHost < sec(.virtualHosts).count
            ? string(storage.raw[sec(.virtualHosts).at(r.virtualHost), Layout.VirtualHost.host]) : nil
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
