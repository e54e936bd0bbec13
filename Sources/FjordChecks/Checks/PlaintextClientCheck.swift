import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ3001: a workload without a sidecar calls a workload whose effective PeerAuthentication is
/// STRICT on the port it calls. Without a sidecar the client sends plaintext, and the server's
/// sidecar refuses it (the connection is reset). Who calls whom comes from evidence: service
/// addresses in environment variables and arguments, the `fjord.dev/calls` annotation, ALLOW
/// AuthorizationPolicies naming the client's namespace or principal, and `--traffic FILE`.
/// A workload outside the mesh with no evidence at all gets one info finding naming the STRICT
/// services it could not call (`fjord.dev/calls: ""` says it calls none).
public enum PlaintextClientCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "plaintext-client-to-strict", codes: [.plaintextClientToStrict],
        summary: "workloads without a sidecar that call workloads whose PeerAuthentication is STRICT",
        inputs: [.peerAuthentication, .authorizationPolicy, .deployment, .pod, .service, .namespace])

    /// Namespaces whose workloads are the platform's own, not mesh clients.
    static let systemNamespaces: Set<String> = ["kube-system", "kube-public", "kube-node-lease"]

    struct Server {
        var workload: Workload
        var port: Int?
        var mtls: EffectiveMTLS
    }

    public static func run(_ ctx: CheckContext) {
        let mesh = ctx.mesh
        let resolver = MTLSResolver(mesh: mesh)
        let edges = mesh.callEdges(observed: ctx.options.observedCalls)
        var services: [String: Service] = [:]
        for s in ctx.resources.services { services["\(s.name).\(s.namespace).svc.\(mesh.config.domainSuffix)"] = s }

        // Group evidence by client and target, in input order.
        var order: [(String, CallEdge.Target)] = []
        var byClient: [String: [CallEdge.Target: [CallEdge]]] = [:]
        for e in edges {
            if byClient[e.client]?[e.target] == nil { order.append((e.client, e.target)) }
            byClient[e.client, default: [:]][e.target, default: []].append(e)
        }
        for (clientID, target) in order {
            guard let client = mesh.workload(clientID), !mesh.hasProxy(client),
                let evidence = byClient[clientID]?[target]
            else { continue }
            let (servers, what, port) = strictServers(
                target, client: client, mesh: mesh, services: services, resolver: resolver)
            guard !servers.isEmpty else { continue }
            report(client: client, what: what, port: port, servers: servers, evidence: evidence, ctx)
        }

        // Workloads outside the mesh that nothing says anything about (an empty `fjord.dev/calls`
        // says they call nothing).
        let silent = mesh.workloads.filter { w in
            w.origin != .workloadEntry && !mesh.hasProxy(w) && byClient[w.id] == nil
                && w.annotations[callsAnnotation] == nil
                && !systemNamespaces.contains(w.namespace) && w.namespace != mesh.config.rootNamespace
        }
        guard !silent.isEmpty else { return }
        var strictServices: [String] = []
        for s in ctx.resources.services {
            let fqdn = "\(s.name).\(s.namespace).svc.\(mesh.config.domainSuffix)"
            let (servers, _, _) = strictServers(
                .service(fqdn: fqdn, port: s.ports.first?.port.value), client: nil, mesh: mesh,
                services: services, resolver: resolver)
            if !servers.isEmpty { strictServices.append("\(s.name).\(s.namespace)") }
        }
        guard !strictServices.isEmpty else { return }
        for w in silent {
            let count = strictServices.count
            ctx.report(
                Diagnostic(
                    .plaintextClientToStrict, severity: .info,
                    "\(quoted(w.id)) has no sidecar, and nothing in the inputs says which services it calls; \(count) service\(count == 1 ? "" : "s") with STRICT mTLS would refuse its plaintext calls",
                    at: w.range,
                    resource: ResourceRef(
                        kind: w.resource.kind.rawValue, namespace: w.namespace, name: w.resource.name),
                    notes: [
                        Note("\(quoted(w.id)) has no sidecar: \(w.membership.reason)", at: w.membership.range),
                        Note("STRICT: \(nameList(strictServices, limit: 6))"),
                        Note(
                            "declare its calls with the annotation `\(callsAnnotation): \"service.namespace\"`, or pass observed traffic with `--traffic FILE`, and fjord checks each call"
                        ),
                    ]))
        }
    }

    /// The server workloads a target reaches that enforce STRICT on the port called, with a name
    /// for the target and the port for messages.
    static func strictServers(
        _ target: CallEdge.Target, client: Workload?, mesh: Mesh, services: [String: Service],
        resolver: MTLSResolver
    ) -> ([Server], String, Int?) {
        var out: [Server] = []
        switch target {
        case .service(let fqdn, let port):
            let suffix = ".svc.\(mesh.config.domainSuffix)"
            let name = fqdn.hasSuffix(suffix) ? String(fqdn.dropLast(suffix.count)) : fqdn
            guard let svc = services[fqdn] else { return ([], name, port) }
            for id in (mesh.hosts[fqdn] ?? []).flatMap(\.workloads) {
                guard let w = mesh.workload(id), w.membership.hasSidecar, w.id != client?.id else { continue }
                guard let p = port else { continue }
                let tp = mesh.targetPort(of: svc, port: p, on: w) ?? p
                let m = resolver.effective(w, port: tp)
                if m.mode == .strict { out.append(Server(workload: w, port: tp, mtls: m)) }
            }
            return (out, name, port)
        case .workloads(let ids, let port):
            for id in ids {
                guard let w = mesh.workload(id), w.membership.hasSidecar, w.id != client?.id else { continue }
                let m = resolver.effective(w, port: port)
                guard m.mode == .strict else { continue }
                // Without a known port, only when no port of the workload is relaxed.
                if port == nil, let pa = resolver.levels(for: w).workload.first,
                    pa.portLevelMtls.contains(where: { $0.mode.value != .strict && $0.mode.value != .unset })
                {
                    continue
                }
                out.append(Server(workload: w, port: port, mtls: m))
            }
            let name = ids.count == 1 ? ids[0] : ids.sorted().first.map { "\($0) (and \(ids.count - 1) more)" } ?? ""
            return (out, name, port)
        }
    }

    static func report(
        client: Workload, what: String, port: Int?, servers: [Server], evidence: [CallEdge], _ ctx: CheckContext
    ) {
        var policies: [(ResourceKey, EffectiveMTLS)] = []
        for s in servers where !policies.contains(where: { $0.0 == s.mtls.policy }) {
            if let p = s.mtls.policy { policies.append((p, s.mtls)) }
        }
        let policyText =
            policies.count == 1
            ? "PeerAuthentication \(quoted(policies[0].0.qualifiedName))"
            : "PeerAuthentications " + nameList(policies.map(\.0.qualifiedName))
        let onPort = port.map { " on port \($0)" } ?? ""
        var notes: [Note] = evidence.prefix(3).map { Note("evidence: \($0.label)", at: $0.range) }
        if evidence.count > 3 { notes.append(Note("and \(evidence.count - 3) more pieces of evidence")) }
        notes.append(
            Note("\(quoted(client.id)) has no sidecar: \(client.membership.reason)", at: client.membership.range))
        let targetPorts = Set(servers.compactMap(\.port)).sorted()
        let portText = targetPorts.isEmpty ? "" : " (port " + targetPorts.map(String.init).joined(separator: ", ") + ")"
        notes.append(
            Note(
                "STRICT on \(nameList(servers.map(\.workload.id)))\(portText): their sidecars accept only mutual TLS and reset plaintext connections"
            ))
        for (_, m) in policies { notes.append(Note("\(m.reason) sets STRICT", at: m.range)) }
        let inClient = evidence.first { e in
            switch e.evidence {
            case .environment, .argument, .annotation: return true
            default: return false
            }
        }
        let sidecarHow =
            client.membership.reason.contains("namespace")
            ? "label namespace \(quoted(client.namespace)) with `istio-injection=enabled`"
            : "set `sidecar.istio.io/inject: \"true\"` on its pod template"
        let firstPort = targetPorts.first.map(String.init) ?? "its port"
        let fix = FixIt(
            "give \(quoted(client.id)) a sidecar (\(sidecarHow)), or make port \(firstPort) of the server PERMISSIVE with a workload-level PeerAuthentication (`portLevelMtls`)"
        )
        let witness = Witness.path([
            "\(client.id) (no sidecar)",
            "plaintext to \(what)\(port.map { ":\($0)" } ?? "")",
            "\(servers[0].workload.id) (STRICT): connection reset",
        ])
        ctx.report(
            Diagnostic(
                .plaintextClientToStrict,
                "\(quoted(client.id)) has no sidecar but calls \(quoted(what))\(onPort), which \(policyText) makes STRICT",
                at: inClient?.range ?? client.range,
                resource: ResourceRef(
                    kind: client.resource.kind.rawValue, namespace: client.namespace, name: client.resource.name),
                notes: notes, fix: fix, witness: witness))
    }
}
