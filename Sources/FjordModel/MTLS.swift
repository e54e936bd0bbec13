import FjordSource

/// The mutual-TLS mode a workload enforces on one of its ports, as Istio's
/// `composePeerAuthentication` (pilot/pkg/security/authn) computes it, with the policy that
/// decided it and why.
public struct EffectiveMTLS: Hashable, Sendable, CustomStringConvertible {
    /// Where the mode came from, most specific first.
    public enum Level: String, Hashable, Sendable {
        /// `portLevelMtls` of a workload-level policy.
        case port
        /// A policy with a selector, in the workload's namespace.
        case workload
        /// A policy without a selector in the workload's namespace.
        case namespace
        /// A policy without a selector in the root namespace.
        case mesh
        /// No policy applies: Istio's default.
        case `default`
    }

    /// STRICT, PERMISSIVE or DISABLE; never UNSET (UNSET inherits from the next level).
    public var mode: MTLSMode
    public var level: Level
    /// The PeerAuthentication that set the mode; nil for the default.
    public var policy: ResourceKey?
    /// The `mode` field that set it (the policy's name when the field is absent).
    @NotCompared public var range: SourceRange = .synthetic
    /// For messages: `PeerAuthentication `istio-system/default` (mesh-wide)`.
    public var reason: String

    public init(mode: MTLSMode, level: Level, policy: ResourceKey?, range: SourceRange, reason: String) {
        self.mode = mode
        self.level = level
        self.policy = policy
        self.range = range
        self.reason = reason
    }

    public var description: String { "\(mode.rawValue) (\(reason))" }
}

/// The PeerAuthentications that apply to one workload, by level, each list oldest first (the
/// first of each list is the one Istio uses; the others are ignored).
public struct PeerAuthenticationLevels: Sendable {
    public var workload: [PeerAuthentication] = []
    public var namespace: [PeerAuthentication] = []
    public var mesh: [PeerAuthentication] = []
}

/// Resolves effective PeerAuthentication modes. Build it once per mesh and ask it per workload
/// and port: policies are indexed by namespace.
public struct MTLSResolver: Sendable {
    public let rootNamespace: String
    /// Namespace -> its PeerAuthentications, oldest first.
    private let byNamespace: [String: [PeerAuthentication]]

    public init(mesh: Mesh) {
        rootNamespace = mesh.config.rootNamespace
        var index: [String: [PeerAuthentication]] = [:]
        for pa in mesh.resources.peerAuthentications { index[pa.namespace, default: []].append(pa) }
        for (k, v) in index { index[k] = v.oldestFirst() }
        byNamespace = index
    }

    /// Whether a PeerAuthentication has a (non-empty) workload selector.
    public static func hasSelector(_ pa: PeerAuthentication) -> Bool { !(pa.selector?.isEmpty ?? true) }

    /// The policies that apply to `w` at each level, oldest first. Selector policies in the root
    /// namespace apply to nothing (Istio skips them).
    public func levels(for w: Workload) -> PeerAuthenticationLevels {
        var out = PeerAuthenticationLevels()
        for pa in byNamespace[w.namespace] ?? [] {
            if MTLSResolver.hasSelector(pa) {
                guard w.namespace != rootNamespace else { continue }
                if pa.selector!.allSatisfy({ w.labels[$0.key] == $0.value }) { out.workload.append(pa) }
            } else if w.namespace == rootNamespace {
                out.mesh.append(pa)
            } else {
                out.namespace.append(pa)
            }
        }
        if w.namespace != rootNamespace {
            out.mesh = (byNamespace[rootNamespace] ?? []).filter { !MTLSResolver.hasSelector($0) }
        }
        return out
    }

    /// The mode `w` enforces on `port` (a workload port: container or target port). With a nil
    /// port, the workload's own mode, port-level settings aside.
    public func effective(_ w: Workload, port: Int?) -> EffectiveMTLS {
        let l = levels(for: w)
        var result = EffectiveMTLS(
            mode: .permissive, level: .default, policy: nil, range: .synthetic,
            reason: "no PeerAuthentication applies, and Istio's default is PERMISSIVE")
        func apply(_ pa: PeerAuthentication?, _ level: EffectiveMTLS.Level, _ what: String) {
            guard let pa, let mode = pa.mode, mode.value != .unset else { return }
            result = EffectiveMTLS(
                mode: mode.value, level: level, policy: pa.key, range: mode.range,
                reason: "PeerAuthentication \(quote(pa.key.qualifiedName)) (\(what))")
        }
        apply(l.mesh.first, .mesh, "mesh-wide")
        apply(l.namespace.first, .namespace, "namespace-wide")
        apply(l.workload.first, .workload, "workload-level")
        if let port, let pa = l.workload.first, let entry = pa.portLevelMtls.first(where: { $0.port.value == port }) {
            if entry.mode.value == .unset {
                result.reason += ", port \(port) UNSET inherits it"
            } else {
                result = EffectiveMTLS(
                    mode: entry.mode.value, level: .port, policy: pa.key, range: entry.mode.range,
                    reason: "PeerAuthentication \(quote(pa.key.qualifiedName)) (port \(port))")
            }
        }
        return result
    }

    private func quote(_ s: String) -> String { "`\(s)`" }
}

extension Mesh {
    /// The mode `workload` enforces on `port` (a workload port; nil for the workload as a whole).
    /// Builds an index each call: for many lookups, keep an `MTLSResolver`.
    public func effectiveMTLS(workload: Workload, port: Int?) -> EffectiveMTLS {
        MTLSResolver(mesh: self).effective(workload, port: port)
    }

    /// Whether a workload speaks Istio mTLS: it has a sidecar, or it is itself an Envoy (a gateway
    /// deployment whose container is `istio-proxy`).
    public func hasProxy(_ w: Workload) -> Bool {
        w.membership.hasSidecar || w.containers.contains { $0.name.value == "istio-proxy" }
    }

    /// The workload port that `port` of `service` reaches on `w`: the Service's `targetPort` (a
    /// number, or a container port name looked up on the workload), else the port itself. Nil
    /// when the Service does not expose `port` or the named target port is not on the workload.
    public func targetPort(of service: Service, port: Int, on w: Workload) -> Int? {
        guard let sp = service.ports.first(where: { $0.port.value == port }) else { return nil }
        guard let target = sp.targetPort?.value, !target.isEmpty else { return port }
        if let n = Int(target) { return n }
        for c in w.containers {
            if let p = c.ports.first(where: { $0.name == target }) { return p.containerPort }
        }
        return nil
    }

    /// The Kubernetes Service behind a host FQDN, if the host is one.
    public func service(fqdn: String) -> Service? {
        for h in hosts[fqdn] ?? [] {
            if case .service(let key) = h.source {
                return resources.services.first { $0.namespace == key.namespace && $0.name == key.name }
            }
        }
        return nil
    }
}
