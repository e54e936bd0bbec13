import FjordSource

/// One observed call from `--traffic FILE` (CSV `source_namespace,source_workload,destination_service,port`).
public struct ObservedCall: Hashable, Sendable {
    public var sourceNamespace: String
    public var sourceWorkload: String
    /// As written: `payment-service`, `payment-service.payments`, or a FQDN.
    public var destination: String
    public var port: Int?
    /// The file it was read from and its line (1-based).
    public var file: String
    public var line: Int

    public init(
        sourceNamespace: String, sourceWorkload: String, destination: String, port: Int?, file: String, line: Int
    ) {
        self.sourceNamespace = sourceNamespace
        self.sourceWorkload = sourceWorkload
        self.destination = destination
        self.port = port
        self.file = file
        self.line = line
    }
}

/// Reads observed traffic: a CSV file whose first line is the header
/// `source_namespace,source_workload,destination_service,port` (columns in any order; `port` may be
/// empty). Blank lines and lines starting with `#` are skipped.
public enum ObservedTraffic {
    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
    }

    static let columns = ["source_namespace", "source_workload", "destination_service", "port"]

    public static func parse(_ text: String, file: String) throws -> [ObservedCall] {
        var out: [ObservedCall] = []
        var index: [String: Int]?
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw).trimmingCharacters()
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map {
                String($0).trimmingCharacters().unquoted
            }
            guard let idx = index else {
                var map: [String: Int] = [:]
                for (j, f) in fields.enumerated() { map[f.lowercased()] = j }
                for c in columns.dropLast() where map[c] == nil {
                    throw ParseError(
                        description:
                            "\(file):\(i + 1): the header must name the columns \(columns.joined(separator: ",")); `\(c)` is missing"
                    )
                }
                index = map
                continue
            }
            func field(_ name: String) -> String? {
                guard let j = idx[name], j < fields.count else { return nil }
                return fields[j]
            }
            guard let ns = field("source_namespace"), !ns.isEmpty, let wl = field("source_workload"), !wl.isEmpty,
                let dest = field("destination_service"), !dest.isEmpty
            else {
                throw ParseError(
                    description:
                        "\(file):\(i + 1): expected `source_namespace,source_workload,destination_service,port`, found `\(line)`"
                )
            }
            var port: Int?
            if let p = field("port"), !p.isEmpty {
                guard let n = Int(p), (1...65535).contains(n) else {
                    throw ParseError(
                        description: "\(file):\(i + 1): port must be a number from 1 to 65535, found `\(p)`")
                }
                port = n
            }
            out.append(
                ObservedCall(
                    sourceNamespace: ns, sourceWorkload: wl, destination: dest, port: port, file: file, line: i + 1))
        }
        if index == nil { throw ParseError(description: "\(file): no header line `\(columns.joined(separator: ","))`") }
        return out
    }
}

/// "Who calls whom": an edge from a client workload to a service (or to server workloads), with
/// the evidence it was learned from.
public struct CallEdge: Hashable, Sendable {
    public enum Evidence: Hashable, Sendable {
        /// A URL or host name in an environment variable of a container.
        case environment(variable: String)
        /// A URL or host name in a container's `args` or `command`.
        case argument
        /// The `fjord.dev/calls` annotation.
        case annotation
        /// An ALLOW AuthorizationPolicy on the server naming the client's namespace or principal.
        case authorizationPolicy(ResourceKey)
        /// A line of `--traffic FILE`.
        case observed(file: String, line: Int)
    }

    public enum Target: Hashable, Sendable {
        /// A Kubernetes Service (FQDN) and the service port called (nil: not known).
        case service(fqdn: String, port: Int?)
        /// Server workloads (ids) and the workload port called (nil: any).
        case workloads([String], port: Int?)
    }

    /// The client workload id (`namespace/name`).
    public var client: String
    public var target: Target
    public var evidence: Evidence
    /// For messages: ``env `PAYMENT_URL` of Deployment `legacy/batch-reporter```.
    public var label: String
    /// Where the evidence is written (synthetic for observed traffic).
    @NotCompared public var range: SourceRange = .synthetic

    public init(client: String, target: Target, evidence: Evidence, label: String, range: SourceRange) {
        self.client = client
        self.target = target
        self.evidence = evidence
        self.label = label
        self.range = range
    }
}

/// The annotation on a Deployment, other controller or Pod (on its metadata or pod template)
/// that declares the services a workload calls: `fjord.dev/calls: "payment-service.payments, inventory"`.
public let callsAnnotation = "fjord.dev/calls"

extension Mesh {
    /// Every call edge the inputs give evidence of: service addresses in environment variables
    /// and arguments, the `fjord.dev/calls` annotation, ALLOW AuthorizationPolicies naming source
    /// namespaces or principals, and observed traffic. Edges to a workload's own service are kept.
    public func callEdges(observed: [ObservedCall] = []) -> [CallEdge] {
        CallGraphBuilder(mesh: self).edges(observed: observed)
    }
}

struct CallGraphBuilder {
    let mesh: Mesh
    /// FQDN -> Service.
    let services: [String: Service]
    /// Controllers and pods by resource key, for annotation positions.
    let controllers: [ResourceKey: WorkloadController]
    let pods: [ResourceKey: Pod]

    init(mesh: Mesh) {
        self.mesh = mesh
        var s: [String: Service] = [:]
        for svc in mesh.resources.services {
            let fq = "\(svc.name).\(svc.namespace).svc.\(mesh.config.domainSuffix)"
            if s[fq] == nil { s[fq] = svc }
        }
        services = s
        controllers = Dictionary(mesh.resources.controllers.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        pods = Dictionary(mesh.resources.pods.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
    }

    func edges(observed: [ObservedCall]) -> [CallEdge] {
        var out: [CallEdge] = []
        for w in mesh.workloads where w.origin != .workloadEntry {
            let owner = "\(w.resource.kind.rawValue) \(quote(w.id))"
            for c in w.containers {
                for e in mesh.environment(of: c, namespace: w.namespace) {
                    let v = e.value
                    let named = Self.addressLikeName(e.name)
                    // A value from a ConfigMap: point at the variable in the workload, and say where
                    // the value is written.
                    let from = e.configMap.map { " (from \($0))" } ?? ""
                    for ref in Self.references(in: v.value, allowShortNames: named) {
                        guard let (fqdn, port) = resolve(ref, in: w.namespace) else { continue }
                        out.append(
                            CallEdge(
                                client: w.id, target: .service(fqdn: fqdn, port: port),
                                evidence: .environment(variable: e.name),
                                label: "env \(quote(e.name)) = \(quote(v.value))\(from) of \(owner)",
                                range: e.configMap == nil || e.declared.isSynthetic ? v.range : e.declared))
                    }
                }
                for a in c.command + c.args {
                    for ref in Self.references(in: a.value, allowShortNames: false) {
                        guard let (fqdn, port) = resolve(ref, in: w.namespace) else { continue }
                        out.append(
                            CallEdge(
                                client: w.id, target: .service(fqdn: fqdn, port: port), evidence: .argument,
                                label: "argument \(quote(a.value)) of container \(quote(c.name.value)) in \(owner)",
                                range: a.range))
                    }
                }
            }
            if let value = w.annotations[callsAnnotation] {
                let range = annotationRange(of: w)
                for entry in value.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\n" }) where !entry.isEmpty
                {
                    guard let ref = Self.parseAddress(String(entry)),
                        let (fqdn, port) = resolve(ref, in: w.namespace, shortNameOK: true)
                    else { continue }
                    out.append(
                        CallEdge(
                            client: w.id, target: .service(fqdn: fqdn, port: port), evidence: .annotation,
                            label: "annotation `\(callsAnnotation): \"\(value)\"` on \(owner)", range: range))
                }
            }
        }
        out += authorizationPolicyEdges()
        var byNamespace: [String: [Workload]] = [:]
        if !observed.isEmpty { for w in mesh.workloads { byNamespace[w.namespace, default: []].append(w) } }
        for call in observed {
            guard let w = workload(named: call.sourceWorkload, among: byNamespace[call.sourceNamespace] ?? []),
                var ref = Self.parseAddress(call.destination)
            else { continue }
            if ref.port == nil { ref.port = call.port }
            guard let (fqdn, port) = resolve(ref, in: w.namespace, shortNameOK: true) else { continue }
            out.append(
                CallEdge(
                    client: w.id, target: .service(fqdn: fqdn, port: call.port ?? port),
                    evidence: .observed(file: call.file, line: call.line),
                    label: "observed traffic \(quote(call.file)) line \(call.line)", range: .synthetic))
        }
        return out
    }

    private func quote(_ s: String) -> String { "`\(s.replacingBackticks)`" }

    /// Environment variables whose name says they hold an address may hold a bare service name.
    static func addressLikeName(_ name: String) -> Bool {
        let n = name.uppercased()
        return [
            "HOST", "HOSTNAME", "ADDR", "ADDRESS", "URL", "URI", "ENDPOINT", "SERVICE", "SVC", "SERVER", "UPSTREAM",
            "TARGET",
        ]
        .contains { n == $0 || n.hasSuffix("_" + $0) }
    }

    /// An address as written: host, port, scheme.
    struct Address {
        var host: String
        var port: Int?
        var scheme: String?
    }

    /// The addresses in a value: each whitespace-, comma- or semicolon-separated token, `--flag=`
    /// prefixes removed, read as `scheme://user@host:port/path` with everything optional but the
    /// host. A single-label host counts only with a scheme or a port, unless `allowShortNames`.
    static func references(in text: String, allowShortNames: Bool) -> [Address] {
        var out: [Address] = []
        for raw in text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == ";" || $0 == "\t" || $0 == "\n" }) {
            var token = Substring(raw)
            if token.hasPrefix("-"), let eq = token.firstIndex(of: "=") { token = token[token.index(after: eq)...] }
            guard let a = parseAddress(String(token)) else { continue }
            if !a.host.contains("."), a.scheme == nil, a.port == nil, !allowShortNames { continue }
            out.append(a)
        }
        return out
    }

    static func parseAddress(_ text: String) -> Address? {
        var s = Substring(text.trimmingCharacters().unquoted)
        var scheme: String?
        if let colon = s.firstIndex(of: ":"), s[colon...].hasPrefix("://") {
            scheme = String(s[..<colon]).lowercased()
            s = s[s.index(colon, offsetBy: 3)...]
        }
        if let end = s.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { s = s[..<end] }
        if let at = s.lastIndex(of: "@") { s = s[s.index(after: at)...] }
        var port: Int?
        if let colon = s.lastIndex(of: ":") {
            let p = s[s.index(after: colon)...]
            guard let n = Int(p), (1...65535).contains(n) else { return nil }
            port = n
            s = s[..<colon]
        }
        var host = s.lowercased()
        if host.hasSuffix(".") { host.removeLast() }
        guard host.first?.isLetter == true,
            host.utf8.allSatisfy({
                ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: "-")
                    || $0 == UInt8(ascii: ".")
            })
        else { return nil }
        return Address(host: host, port: port, scheme: scheme)
    }

    /// The Service an address names, seen from `namespace`, and the service port: the written
    /// one, else the scheme's (80, 443) when the Service has it, else the Service's first port.
    func resolve(_ a: Address, in namespace: String, shortNameOK: Bool = true) -> (String, Int?)? {
        let suffix = mesh.config.domainSuffix
        let parts = a.host.split(separator: ".").map(String.init)
        var fqdn: String?
        switch parts.count {
        case 1: fqdn = "\(a.host).\(namespace).svc.\(suffix)"
        case 2: fqdn = "\(a.host).svc.\(suffix)"
        case 3 where parts[2] == "svc": fqdn = "\(a.host).\(suffix)"
        default: fqdn = a.host
        }
        guard let f = fqdn, let svc = services[f] else { return nil }
        let ports = svc.ports.map(\.port.value)
        if let p = a.port { return (f, p) }
        if a.scheme == "http", ports.contains(80) { return (f, 80) }
        if a.scheme == "https", ports.contains(443) { return (f, 443) }
        return (f, ports.first)
    }

    /// The workload of that name among a namespace's workloads, or whose pods carry that name
    /// (`checkout-7c9d8b6f5-x2x7q` is a pod of `checkout`: the longest matching name wins).
    func workload(named name: String, among candidates: [Workload]) -> Workload? {
        if let w = candidates.first(where: { $0.name == name }) { return w }
        return candidates.filter { name.hasPrefix($0.name + "-") }.max { $0.name.count < $1.name.count }
    }

    func annotationRange(of w: Workload) -> SourceRange {
        if let c = controllers[w.resource] {
            return c.template.annotationRanges[callsAnnotation] ?? c.meta.annotationRanges[callsAnnotation] ?? w.range
        }
        if let p = pods[w.resource] { return p.meta.annotationRanges[callsAnnotation] ?? w.range }
        return w.range
    }

    /// An ALLOW policy naming source namespaces or principals says those clients call the
    /// workloads it selects (on its `to.operation.ports`, when exactly one is named).
    func authorizationPolicyEdges() -> [CallEdge] {
        var out: [CallEdge] = []
        for ap in mesh.resources.authorizationPolicies where (ap.action?.value ?? .allow) == .allow {
            let servers: [String]
            if ap.namespace == mesh.config.rootNamespace && (ap.selector?.isEmpty ?? true) {
                continue  // mesh-wide policies say nothing about particular servers
            } else if let sel = ap.selector, !sel.isEmpty {
                servers = mesh.workloads(in: ap.namespace, matching: sel).map(\.id)
            } else {
                servers = mesh.workloads.filter { $0.namespace == ap.namespace }.map(\.id)
            }
            guard !servers.isEmpty else { continue }
            for rule in ap.rules {
                let ports = Set(rule.to.flatMap(\.ports).compactMap { Int($0.value) })
                let port = ports.count == 1 ? ports.first : nil
                for source in rule.from {
                    for ns in source.namespaces where !ns.value.contains("*") {
                        for c in mesh.workloads where c.namespace == ns.value && c.origin != .workloadEntry {
                            out.append(
                                CallEdge(
                                    client: c.id, target: .workloads(servers, port: port),
                                    evidence: .authorizationPolicy(ap.key),
                                    label:
                                        "AuthorizationPolicy \(quote(ap.key.qualifiedName)) allows source namespace \(quote(ns.value))",
                                    range: ns.range))
                        }
                    }
                    for p in source.principals where !p.value.hasPrefix("*") && !p.value.hasSuffix("*") {
                        // `<trust domain>/ns/<namespace>/sa/<service account>`
                        let parts = p.value.split(separator: "/").map(String.init)
                        guard parts.count >= 5, parts[parts.count - 4] == "ns", parts[parts.count - 2] == "sa" else {
                            continue
                        }
                        let ns = parts[parts.count - 3], sa = parts[parts.count - 1]
                        for c in mesh.workloads
                        where c.namespace == ns && c.serviceAccount == sa && c.origin != .workloadEntry {
                            out.append(
                                CallEdge(
                                    client: c.id, target: .workloads(servers, port: port),
                                    evidence: .authorizationPolicy(ap.key),
                                    label:
                                        "AuthorizationPolicy \(quote(ap.key.qualifiedName)) allows principal \(quote(p.value))",
                                    range: p.range))
                        }
                    }
                }
            }
        }
        return out
    }
}

extension String {
    var unquoted: String {
        if count >= 2, (first == "\"" && last == "\"") || (first == "'" && last == "'") {
            return String(dropFirst().dropLast())
        }
        return self
    }

    var replacingBackticks: String { String(map { $0 == "`" ? "'" : $0 }) }
}
