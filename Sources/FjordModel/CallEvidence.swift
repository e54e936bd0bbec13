import FjordSource

/// Evidence that a workload calls a host: an environment variable or a command-line argument
/// holding the host's address, or a `fjord.dev/calls` annotation (`service.namespace[:port]`,
/// comma separated) on the workload or its pod template.
///
/// Configuration alone says which hosts a sidecar can reach, not which ones the application
/// calls; checks that need "who calls whom" (a client outside the mesh calling a STRICT service,
/// a workload abroad reading personal data) use this evidence. It is shared by the mTLS (FJ3xxx)
/// and residency (FJ4xxx) checks; see docs/residency.md, "Call evidence".
public struct CallEvidence: Hashable, Sendable {
    public enum Source: Hashable, Sendable {
        /// An environment variable (its name).
        case env(String)
        /// A container argument or command entry.
        case argument
        /// The `fjord.dev/calls` annotation.
        case annotation
    }
    /// The calling workload (`namespace/name`).
    public var workload: String
    /// The host called: a mesh FQDN (`ledger.payments.svc.cluster.local`) or an external host.
    public var host: String
    public var port: Int?
    /// Whether a Service, ServiceEntry or wildcard ServiceEntry host of the mesh covers `host`.
    public var known: Bool
    public var source: Source
    /// Where the evidence is written.
    @NotCompared public var range: SourceRange = .synthetic

    public init(
        workload: String, host: String, port: Int?, known: Bool, source: Source, range: SourceRange = .synthetic
    ) {
        self.workload = workload
        self.host = host
        self.port = port
        self.known = known
        self.source = source
        self.range = range
    }

    /// `env LEDGER_URL`, `argument`, `annotation fjord.dev/calls`.
    public var label: String {
        switch source {
        case .env(let n): return "env `\(n)`"
        case .argument: return "container argument"
        case .annotation: return "annotation `\(CallEvidence.annotation)`"
        }
    }

    public static let annotation = "fjord.dev/calls"
}

extension Mesh {
    /// The calls a workload's configuration names, in source order.
    public func callEvidence(of w: Workload) -> [CallEvidence] {
        var out: [CallEvidence] = []
        var seen = Set<String>()
        func add(_ value: String, _ source: CallEvidence.Source, _ range: SourceRange, urlsOnly: Bool) {
            for part in value.split(separator: ",") {
                guard let (host, port) = CallEvidence.address(in: String(part), urlsOnly: urlsOnly) else { continue }
                guard let resolved = resolveCalledHost(host, from: w.namespace) else { continue }
                let key = "\(resolved.host):\(port ?? -1):\(range.start)"
                guard seen.insert(key).inserted else { continue }
                out.append(
                    CallEvidence(
                        workload: w.id, host: resolved.host, port: port, known: resolved.known, source: source,
                        range: range))
            }
        }
        if let value = w.annotations[CallEvidence.annotation] {
            add(value, .annotation, annotationRange(of: w, CallEvidence.annotation), urlsOnly: false)
        }
        for c in w.containers {
            for e in environment(of: c, namespace: w.namespace) {
                add(e.value.value, .env(e.name), e.declared.isSynthetic ? e.value.range : e.declared, urlsOnly: false)
            }
            for a in c.args + c.command {
                let value = a.value.split(separator: "=", maxSplits: 1).last.map(String.init) ?? a.value
                add(value, .argument, a.range, urlsOnly: true)
            }
        }
        return out
    }

    /// A container's environment with the values Kubernetes gives it: `envFrom` ConfigMaps
    /// first (each key, behind the entry's `prefix`), then `env` (a literal `value`, or
    /// `valueFrom.configMapKeyRef`), a later definition of a name replacing an earlier one. Only
    /// ConfigMaps among the inputs, in the pod's namespace, give values; others are skipped.
    public func environment(of c: Container, namespace: String) -> [ResolvedEnvVar] {
        guard !c.envFrom.isEmpty || c.env.contains(where: { $0.configMapKeyRef != nil }) else {
            return c.env.compactMap { e in
                e.value.map { ResolvedEnvVar(name: e.name.value, value: $0, declared: e.name.range, configMap: nil) }
            }
        }
        func configMap(_ name: String) -> ConfigMap? {
            resources.configMaps.first { $0.namespace == namespace && $0.name == name }
        }
        var out: [ResolvedEnvVar] = []
        var index: [String: Int] = [:]
        func put(_ v: ResolvedEnvVar) {
            if let i = index[v.name] {
                out[i] = v
            } else {
                index[v.name] = out.count
                out.append(v)
            }
        }
        for from in c.envFrom {
            guard let cm = configMap(from.name.value) else { continue }
            for key in cm.data.keys.sorted() {
                guard let value = cm.data[key] else { continue }
                put(
                    ResolvedEnvVar(
                        name: from.prefix + key, value: value, declared: from.name.range,
                        configMap: "ConfigMap `\(cm.key.qualifiedName)` key `\(key)`"))
            }
        }
        for e in c.env {
            if let v = e.value {
                put(ResolvedEnvVar(name: e.name.value, value: v, declared: e.name.range, configMap: nil))
            } else if let ref = e.configMapKeyRef, let cm = configMap(ref.name.value), let v = cm.data[ref.key.value] {
                put(
                    ResolvedEnvVar(
                        name: e.name.value, value: v, declared: e.name.range,
                        configMap: "ConfigMap `\(cm.key.qualifiedName)` key `\(ref.key.value)`"))
            }
        }
        return out
    }

    /// Where an annotation of a workload is written (its key), else the workload's name.
    func annotationRange(of w: Workload, _ key: String) -> SourceRange {
        switch w.origin {
        case .controller:
            if let c = resources.controllers.first(where: { $0.key == w.resource }) {
                return c.template.annotationRanges[key] ?? c.meta.annotationRanges[key] ?? w.range
            }
        case .pod:
            if let p = resources.pods.first(where: { $0.key == w.resource }) {
                return p.meta.annotationRanges[key] ?? w.range
            }
        case .workloadEntry:
            if let e = resources.workloadEntries.first(where: { $0.key == w.resource }) {
                return e.meta.annotationRanges[key] ?? w.range
            }
        }
        return w.range
    }

    /// A host named in configuration, resolved like a client in `namespace` would: a host of the
    /// registry (short names included), an unknown cluster-local name, or an external name.
    /// nil for tokens that are not host names of either kind (`true`, `postgres`).
    func resolveCalledHost(_ raw: String, from namespace: String) -> (host: String, known: Bool)? {
        let host = raw.lowercased()
        for candidate in Semantics.candidates(host, namespace: namespace, suffix: config.domainSuffix, sidecar: true) {
            if hosts[candidate] != nil { return (candidate, true) }
        }
        if wildcardHosts.contains(where: { Mesh.hostMatches(pattern: $0, host: host) }) { return (host, true) }
        let labels = host.split(separator: ".")
        guard labels.count >= 2 else { return nil }
        let fq = fqdn(host, in: namespace)
        if fq.hasSuffix(".svc." + config.domainSuffix) || host.hasSuffix(".svc") { return (fq, false) }
        guard let tld = labels.last, tld.count >= 2, tld.allSatisfy({ $0.isLetter }) else { return nil }
        return (host, false)
    }
}

extension CallEvidence {
    /// The host and port in a value: `scheme://host[:port]/...`, `host:port`, or a bare host
    /// name (unless `urlsOnly`). nil when the value holds no host name.
    static func address(in raw: String, urlsOnly: Bool) -> (host: String, port: Int?)? {
        var s = Substring(raw.trimmingCharacters())
        if let r = s.firstRange(of: "://") {
            s = s[r.upperBound...]
            if let slash = s.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { s = s[..<slash] }
            if let at = s.lastIndex(of: "@") { s = s[s.index(after: at)...] }
        } else if urlsOnly {
            return nil
        }
        var port: Int?
        if let colon = s.lastIndex(of: ":"), !s.hasPrefix("[") {
            let p = s[s.index(after: colon)...]
            guard let n = Int(p), n > 0, n < 65536 else { return nil }
            port = n
            s = s[..<colon]
        }
        let host = String(s)
        guard isHostName(host) else { return nil }
        return (host, port)
    }

    /// DNS labels of letters, digits and `-`, with at least one letter (so `0.82` is not a host).
    static func isHostName(_ s: String) -> Bool {
        guard !s.isEmpty, s.count <= 253, !s.hasPrefix("."), !s.hasSuffix("."), s.contains(where: { $0.isLetter })
        else { return false }
        for label in s.split(separator: ".", omittingEmptySubsequences: false) {
            guard !label.isEmpty, label.count <= 63, label.first != "-", label.last != "-" else { return false }
            guard label.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" }) else { return false }
        }
        return true
    }
}
