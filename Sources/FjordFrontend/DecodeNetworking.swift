import FjordModel
import FjordSource
import FjordYAML

/// Typed decoders for networking.istio.io kinds. They read validated nodes and never report.
extension Decoder {
    func stringMatch(_ r: Reader) -> StringMatch {
        if let e = r.string("exact") { return StringMatch(.exact(e.value), range: r.range, operandRange: e.range) }
        if let p = r.string("prefix") { return StringMatch(.prefix(p.value), range: r.range, operandRange: p.range) }
        if let x = r.string("regex") {
            // Envoy and Istio treat the regex `*` as "present".
            if x.value == "*" { return StringMatch(.present, range: r.range, operandRange: x.range) }
            return StringMatch(.regex(x.value), range: r.range, operandRange: x.range)
        }
        return StringMatch(.present, range: r.range)
    }

    func namedMatches(_ r: Reader, _ field: String) -> [NamedMatch] {
        r.objectMap(field).map { NamedMatch(name: $0.key, match: stringMatch($0.value)) }
    }

    func destination(_ r: Reader) -> Destination? {
        guard let host = r.string("host") else { return nil }
        return Destination(
            host: host, subset: r.string("subset"), port: r.object("port")?.int("number"), range: r.range)
    }

    func headerOperations(_ r: Reader) -> HeaderOperations {
        func pairs(_ f: String) -> [(name: Located<String>, value: String)] {
            guard let m = r.raw(f)?.mapping else { return [] }
            return m.compactMap { p in
                guard let k = p.key.text else { return nil }
                return (Located(k, p.key.range), p.value.text ?? "")
            }
        }
        return HeaderOperations(set: pairs("set"), add: pairs("add"), remove: r.strings("remove"), range: r.range)
    }

    func headers(_ r: Reader?) -> HeaderOperationsSet? {
        guard let r else { return nil }
        return HeaderOperationsSet(
            request: r.object("request").map(headerOperations), response: r.object("response").map(headerOperations))
    }

    func percent(_ r: Reader?) -> Located<Double>? {
        guard let r else { return nil }
        // `percentage: {}` means 0 in protobuf; keep the range of the mapping.
        return r.double("value") ?? Located(0, r.range)
    }

    func httpRoute(_ r: Reader, index: Int) -> HTTPRoute {
        var route = HTTPRoute(index: index, range: r.range)
        route.name = r.string("name")
        route.match = r.objects("match").map(httpMatch)
        route.route = r.objects("route").compactMap { d in
            guard let dest = d.object("destination").flatMap(destination) else { return nil }
            return HTTPRouteDestination(
                destination: dest, weight: d.int("weight"), headers: headers(d.object("headers")), range: d.range)
        }
        if let x = r.object("redirect") {
            var red = HTTPRedirect(range: x.range)
            red.uri = x.string("uri")
            red.authority = x.string("authority")
            red.port = x.int("port")
            red.derivePort = x.enumValue("derivePort")
            red.scheme = x.string("scheme")
            red.redirectCode = x.int("redirectCode")
            route.redirect = red
        }
        if let x = r.object("directResponse"), let status = x.int("status") {
            var body: Located<String>?
            var isBytes = false
            if let b = x.object("body") {
                if let s = b.string("string") {
                    body = s
                } else if let bytes = b.string("bytes") {
                    body = Located(String(decoding: Scalars.base64Decode(bytes.value), as: UTF8.self), bytes.range)
                    isBytes = true
                }
            }
            route.directResponse = HTTPDirectResponse(status: status, body: body, bodyIsBytes: isBytes, range: x.range)
        }
        if let x = r.object("delegate"), let name = x.string("name") {
            route.delegate = Delegate(name: name, namespace: x.string("namespace"), range: x.range)
        }
        if let x = r.object("rewrite") {
            var rr: RegexRewrite?
            if let rx = x.object("uriRegexRewrite"), let m = rx.string("match"), let w = rx.string("rewrite") {
                rr = RegexRewrite(match: m, rewrite: w)
            }
            route.rewrite = HTTPRewrite(
                uri: x.string("uri"), authority: x.string("authority"), uriRegexRewrite: rr, range: x.range)
        }
        route.timeout = r.duration("timeout")
        if let x = r.object("retries") {
            var retry = HTTPRetry(range: x.range)
            retry.attempts = x.int("attempts")
            retry.perTryTimeout = x.duration("perTryTimeout")
            retry.retryOn = x.string("retryOn")
            retry.retryRemoteLocalities = x.bool("retryRemoteLocalities")
            retry.backoff = x.duration("backoff")
            route.retries = retry
        }
        if let x = r.object("fault") {
            var fault = HTTPFaultInjection(range: x.range)
            if let d = x.object("delay") {
                var delay = HTTPFaultInjection.Delay(range: d.range)
                delay.fixedDelay = d.duration("fixedDelay")
                delay.exponentialDelay = d.duration("exponentialDelay")
                delay.percentage = percent(d.object("percentage"))
                delay.percent = d.int("percent")
                fault.delay = delay
            }
            if let a = x.object("abort") {
                var abort = HTTPFaultInjection.Abort(range: a.range)
                abort.httpStatus = a.int("httpStatus")
                abort.grpcStatus = a.string("grpcStatus")
                abort.percentage = percent(a.object("percentage"))
                fault.abort = abort
            }
            route.fault = fault
        }
        route.mirror = r.object("mirror").flatMap(destination)
        route.mirrorPercent = r.int("mirrorPercent")
        route.mirrorPercentage = percent(r.object("mirrorPercentage"))
        route.mirrors = r.objects("mirrors").compactMap { m in
            guard let d = m.object("destination").flatMap(destination) else { return nil }
            return HTTPMirrorPolicy(destination: d, percentage: percent(m.object("percentage")), range: m.range)
        }
        if let c = r.object("corsPolicy") {
            var cors = CorsPolicy(range: c.range)
            cors.allowOrigins = c.objects("allowOrigins").map(stringMatch)
            cors.allowMethods = c.strings("allowMethods")
            cors.allowHeaders = c.strings("allowHeaders")
            cors.exposeHeaders = c.strings("exposeHeaders")
            cors.maxAge = c.duration("maxAge")
            cors.allowCredentials = c.bool("allowCredentials")
            route.corsPolicy = cors
        }
        route.headers = headers(r.object("headers"))
        let writtenRoutes = r.raw("route")?.sequence?.isEmpty == false
        route.hasMalformedAction =
            (writtenRoutes && route.route.isEmpty) || (r.has("redirect") && route.redirect == nil)
            || (r.has("directResponse") && route.directResponse == nil) || (r.has("delegate") && route.delegate == nil)
        return route
    }

    func httpMatch(_ r: Reader) -> HTTPMatchRequest {
        var m = HTTPMatchRequest(range: r.range)
        m.name = r.string("name")
        m.uri = r.object("uri").map(stringMatch)
        m.scheme = r.object("scheme").map(stringMatch)
        m.method = r.object("method").map(stringMatch)
        m.authority = r.object("authority").map(stringMatch)
        m.headers = namedMatches(r, "headers")
        m.port = r.int("port")
        m.sourceLabels = r.stringMap("sourceLabels")?.values ?? [:]
        m.gateways = r.strings("gateways")
        m.queryParams = namedMatches(r, "queryParams")
        m.ignoreUriCase = r.bool("ignoreUriCase")?.value ?? false
        m.withoutHeaders = namedMatches(r, "withoutHeaders")
        m.sourceNamespace = r.string("sourceNamespace")
        m.statPrefix = r.string("statPrefix")
        return m
    }

    func l4Match(_ r: Reader) -> L4Match {
        var m = L4Match(range: r.range)
        m.destinationSubnets = r.strings("destinationSubnets")
        m.port = r.int("port")
        if r.type.fields["sniHosts"] != nil { m.sniHosts = r.strings("sniHosts") }
        m.sourceLabels = r.stringMap("sourceLabels")?.values ?? [:]
        m.gateways = r.strings("gateways")
        m.sourceNamespace = r.string("sourceNamespace")
        return m
    }

    func routeDestinations(_ r: Reader) -> [RouteDestination] {
        r.objects("route").compactMap { d in
            guard let dest = d.object("destination").flatMap(destination) else { return nil }
            return RouteDestination(destination: dest, weight: d.int("weight"), range: d.range)
        }
    }

    func virtualService(_ spec: Reader?, _ doc: DocumentContext) -> VirtualService {
        var vs = VirtualService(
            meta: doc.meta, origin: doc.origin, namespace: doc.namespace,
            specRange: spec?.range ?? doc.origin.documentRange)
        guard let spec else { return vs }
        vs.hosts = spec.strings("hosts")
        vs.gateways = spec.strings("gateways")
        vs.http = spec.objects("http").enumerated().map { httpRoute($1, index: $0) }
        vs.tls = spec.objects("tls").enumerated().map { i, t in
            var route = TLSRoute(
                match: t.objects("match").map(l4Match), route: routeDestinations(t), index: i, range: t.range)
            route.hasMalformedAction = route.route.isEmpty && t.raw("route")?.sequence?.isEmpty == false
            return route
        }
        vs.tcp = spec.objects("tcp").enumerated().map { i, t in
            var route = TCPRoute(
                match: t.objects("match").map(l4Match), route: routeDestinations(t), index: i, range: t.range)
            route.hasMalformedAction = route.route.isEmpty && t.raw("route")?.sequence?.isEmpty == false
            return route
        }
        vs.exportTo = spec.strings("exportTo")
        return vs
    }

    // MARK: DestinationRule

    func loadBalancer(_ r: Reader) -> LoadBalancerSettings {
        var lb = LoadBalancerSettings(range: r.range)
        lb.simple = r.enumValue("simple")
        if let c = r.object("consistentHash") {
            var key: LoadBalancerSettings.ConsistentHash.Key?
            if let h = c.string("httpHeaderName") {
                key = .header(h.value)
            } else if let cookie = c.object("httpCookie") {
                key = .cookie(
                    name: cookie.string("name")?.value ?? "", path: cookie.string("path")?.value,
                    ttl: cookie.duration("ttl")?.value)
            } else if c.bool("useSourceIp")?.value == true {
                key = .sourceIP
            } else if let q = c.string("httpQueryParameterName") {
                key = .queryParameter(q.value)
            }
            var ch = LoadBalancerSettings.ConsistentHash(key: key, range: c.range)
            let ringSize = c.object("ringHash")?.int("minimumRingSize")
            let deprecatedRingSize = c.int("minimumRingSize")
            ch.minimumRingSize = ringSize ?? deprecatedRingSize
            ch.maglevTableSize = c.object("maglev")?.int("tableSize")
            lb.consistentHash = ch
        }
        if let l = r.object("localityLbSetting") {
            var loc = LocalityLoadBalancerSetting(range: l.range)
            loc.distribute = l.objects("distribute").compactMap { d in
                guard let from = d.string("from") else { return nil }
                return .init(from: from, to: d.intMap("to").map { ($0.key, $0.value.value) }, range: d.range)
            }
            loc.failover = l.objects("failover").compactMap { f in
                guard let from = f.string("from"), let to = f.string("to") else { return nil }
                return .init(from: from, to: to, range: f.range)
            }
            loc.failoverPriority = l.strings("failoverPriority")
            loc.enabled = l.bool("enabled")
            lb.localityLbSetting = loc
        }
        lb.warmupDuration = r.duration("warmupDurationSecs")
        if let w = r.object("warmup") {
            var warmup = LoadBalancerSettings.Warmup(range: w.range)
            warmup.duration = w.duration("duration")
            warmup.minimumPercent = w.double("minimumPercent")
            warmup.aggression = w.double("aggression")
            lb.warmup = warmup
        }
        return lb
    }

    func connectionPool(_ r: Reader) -> ConnectionPoolSettings {
        var cp = ConnectionPoolSettings(range: r.range)
        if let t = r.object("tcp") {
            var tcp = ConnectionPoolSettings.TCP(range: t.range)
            tcp.maxConnections = t.int("maxConnections")
            tcp.connectTimeout = t.duration("connectTimeout")
            tcp.maxConnectionDuration = t.duration("maxConnectionDuration")
            tcp.idleTimeout = t.duration("idleTimeout")
            cp.tcp = tcp
        }
        if let h = r.object("http") {
            var http = ConnectionPoolSettings.HTTP(range: h.range)
            http.http1MaxPendingRequests = h.int("http1MaxPendingRequests")
            http.http2MaxRequests = h.int("http2MaxRequests")
            http.maxRequestsPerConnection = h.int("maxRequestsPerConnection")
            http.maxRetries = h.int("maxRetries")
            http.idleTimeout = h.duration("idleTimeout")
            http.h2UpgradePolicy = h.string("h2UpgradePolicy")
            http.useClientProtocol = h.bool("useClientProtocol")
            http.maxConcurrentStreams = h.int("maxConcurrentStreams")
            cp.http = http
        }
        return cp
    }

    func outlierDetection(_ r: Reader) -> OutlierDetection {
        var o = OutlierDetection(range: r.range)
        o.splitExternalLocalOriginErrors = r.bool("splitExternalLocalOriginErrors")
        o.consecutiveLocalOriginFailures = r.int("consecutiveLocalOriginFailures")
        o.consecutiveGatewayErrors = r.int("consecutiveGatewayErrors")
        o.consecutive5xxErrors = r.int("consecutive5xxErrors")
        o.consecutiveErrors = r.int("consecutiveErrors")
        o.interval = r.duration("interval")
        o.baseEjectionTime = r.duration("baseEjectionTime")
        o.maxEjectionPercent = r.int("maxEjectionPercent")
        o.minHealthPercent = r.int("minHealthPercent")
        return o
    }

    func clientTLS(_ r: Reader) -> ClientTLSSettings {
        var t = ClientTLSSettings(range: r.range)
        t.mode = r.enumValue("mode")
        t.clientCertificate = r.string("clientCertificate")
        t.privateKey = r.string("privateKey")
        t.caCertificates = r.string("caCertificates")
        t.credentialName = r.string("credentialName")
        t.subjectAltNames = r.strings("subjectAltNames")
        t.sni = r.string("sni")
        t.insecureSkipVerify = r.bool("insecureSkipVerify")
        return t
    }

    func trafficPolicy(_ r: Reader) -> TrafficPolicy {
        var p = TrafficPolicy(range: r.range)
        p.loadBalancer = r.object("loadBalancer").map(loadBalancer)
        p.connectionPool = r.object("connectionPool").map(connectionPool)
        p.outlierDetection = r.object("outlierDetection").map(outlierDetection)
        p.tls = r.object("tls").map(clientTLS)
        p.portLevelSettings = r.objects("portLevelSettings").map { s in
            var pl = PortTrafficPolicy(range: s.range)
            pl.port = s.object("port")?.int("number")
            pl.loadBalancer = s.object("loadBalancer").map(loadBalancer)
            pl.connectionPool = s.object("connectionPool").map(connectionPool)
            pl.outlierDetection = s.object("outlierDetection").map(outlierDetection)
            pl.tls = s.object("tls").map(clientTLS)
            return pl
        }
        // Present even when the block sets nothing else: `protocol` defaults to CONNECT and
        // `version` to V1, and the block alone is a setting (EmptyPolicyCheck relies on it).
        p.tunnel = r.object("tunnel").map { t in t.string("protocol") ?? Located("CONNECT", t.range) }
        p.proxyProtocol = r.object("proxyProtocol").map { x in x.string("version") ?? Located("V1", x.range) }
        return p
    }

    func destinationRule(_ spec: Reader?, _ doc: DocumentContext) -> DestinationRule {
        let host = spec?.string("host") ?? Located("", doc.origin.documentRange)
        var dr = DestinationRule(
            meta: doc.meta, origin: doc.origin, namespace: doc.namespace, host: host,
            specRange: spec?.range ?? doc.origin.documentRange)
        guard let spec else { return dr }
        dr.trafficPolicy = spec.object("trafficPolicy").map(trafficPolicy)
        dr.subsets = spec.objects("subsets").compactMap { s in
            guard let name = s.string("name") else { return nil }
            return Subset(
                name: name, labels: s.stringMap("labels")?.values ?? [:],
                trafficPolicy: s.object("trafficPolicy").map(trafficPolicy), range: s.range)
        }
        dr.exportTo = spec.strings("exportTo")
        dr.workloadSelector = spec.object("workloadSelector").map(labelSelector)
        return dr
    }

    // MARK: Gateway, ServiceEntry, WorkloadEntry, Sidecar

    func port(_ r: Reader) -> PortSpec {
        PortSpec(
            number: r.int("number"), protocol: r.string("protocol"), name: r.string("name"),
            targetPort: r.int("targetPort"), range: r.range)
    }

    func gateway(_ spec: Reader?, _ doc: DocumentContext) -> Gateway {
        let servers: [Gateway.Server] = (spec?.objects("servers") ?? []).map { s in
            var server = Gateway.Server(port: s.object("port").map(port), hosts: s.strings("hosts"), range: s.range)
            server.bind = s.string("bind")
            server.name = s.string("name")
            if let tls = s.object("tls") {
                server.tlsMode = tls.string("mode")
                server.httpsRedirect = tls.bool("httpsRedirect")
                server.credentialName = tls.string("credentialName")
            }
            return server
        }
        var gateway = Gateway(
            meta: doc.meta, origin: doc.origin, namespace: doc.namespace,
            selector: spec?.stringMap("selector")?.values ?? [:], servers: servers)
        gateway.selectorRange = spec?.keyRange("selector") ?? .synthetic
        return gateway
    }

    func workloadEntrySpec(_ r: Reader) -> WorkloadEntrySpec {
        var w = WorkloadEntrySpec(range: r.range)
        w.address = r.string("address")
        for (k, v) in r.intMap("ports") { w.ports[k.value] = v.value }
        let labels = r.stringMap("labels")
        w.labels = labels?.values ?? [:]
        w.labelRanges = labels?.keyRanges ?? [:]
        w.network = r.string("network")
        w.locality = r.string("locality")
        w.weight = r.int("weight")
        w.serviceAccount = r.string("serviceAccount")
        return w
    }

    func serviceEntry(_ spec: Reader?, _ doc: DocumentContext) -> ServiceEntry {
        var se = ServiceEntry(meta: doc.meta, origin: doc.origin, namespace: doc.namespace)
        guard let spec else { return se }
        se.hosts = spec.strings("hosts")
        se.addresses = spec.strings("addresses")
        se.ports = spec.objects("ports").map(port)
        se.location = spec.enumValue("location")
        se.resolution = spec.enumValue("resolution")
        se.endpoints = spec.objects("endpoints").map(workloadEntrySpec)
        se.workloadSelector = spec.object("workloadSelector").map { $0.stringMap("labels")?.values ?? [:] }
        se.exportTo = spec.strings("exportTo")
        return se
    }

    func workloadEntry(_ spec: Reader?, _ doc: DocumentContext) -> WorkloadEntry {
        WorkloadEntry(
            meta: doc.meta, origin: doc.origin, namespace: doc.namespace,
            spec: spec.map(workloadEntrySpec) ?? WorkloadEntrySpec())
    }

    func sidecar(_ spec: Reader?, _ doc: DocumentContext) -> Sidecar {
        let egress: [Sidecar.Egress] = (spec?.objects("egress") ?? []).map { e in
            var eg = Sidecar.Egress(port: e.object("port").map(port), hosts: e.strings("hosts"), range: e.range)
            eg.bind = e.string("bind")
            return eg
        }
        var sidecar = Sidecar(
            meta: doc.meta, origin: doc.origin, namespace: doc.namespace,
            workloadSelector: spec?.object("workloadSelector").map { $0.stringMap("labels")?.values ?? [:] },
            egress: egress, outboundTrafficPolicy: spec?.object("outboundTrafficPolicy")?.enumValue("mode"))
        sidecar.selectorRange = spec?.object("workloadSelector")?.range ?? .synthetic
        return sidecar
    }
}
