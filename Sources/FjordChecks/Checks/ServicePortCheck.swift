import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ2121: a Service port whose target port (`targetPort`, else `port`) no container of the
/// selected workloads declares (Kiali's KIA0701). A named target port that no container
/// declares gives the endpoints no port at all: Kubernetes leaves the pods out and the port has
/// no endpoints (an error). A numeric one still reaches the pod, since `containerPort` is
/// informational, but when the containers declare other ports it is usually a wrong number (a
/// warning). Judged only on Services whose selected workloads are among the inputs and have
/// containers; a numeric target is judged only when some container declares ports.
public enum ServicePortCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "service-port-without-container-port", codes: [.servicePortWithoutContainerPort],
        summary: "Service ports whose target port no container of the selected workloads declares",
        inputs: [.service, .deployment, .pod])

    public static func run(_ ctx: CheckContext) {
        let mesh = ctx.mesh
        for svc in ctx.resources.services {
            guard let selector = svc.selector, !selector.isEmpty, !svc.ports.isEmpty else { continue }
            let fqdn = "\(svc.name).\(svc.namespace).svc.\(mesh.config.domainSuffix)".lowercased()
            let ids = (mesh.hosts[fqdn] ?? []).first { $0.source == .service(svc.key) }?.workloads ?? []
            let workloads = ids.compactMap { mesh.workload($0) }.filter { !$0.containers.isEmpty }
            guard !workloads.isEmpty else { continue }
            let ports = workloads.flatMap { $0.containers.flatMap(\.ports) }
            for p in svc.ports {
                let target = p.targetPort?.value ?? String(p.port.value)
                let at = p.targetPort?.range ?? p.port.range
                let label = p.name.map { quoted($0.value) } ?? quoted(String(p.port.value))
                let names = nameList(workloads.map(\.id))
                if let n = Int(target) {
                    guard !ports.isEmpty, !ports.contains(where: { $0.containerPort == n }) else { continue }
                    let declared = Set(ports.map(\.containerPort)).sorted().map(String.init)
                    ctx.report(
                        .servicePortWithoutContainerPort, severity: .warning,
                        "target port \(n) of Service port \(label) is declared by no container of \(names)",
                        at: at, in: svc,
                        notes: [
                            Note("their containers declare \(nameList(declared))", at: workloads[0].range),
                            Note(
                                "traffic still goes to port \(n) of the pods: if nothing listens there, connections are refused"
                            ),
                        ],
                        fix: declared.count == 1 && p.targetPort != nil
                            ? FixIt(
                                "target the declared port \(declared[0])", replacement: declared[0],
                                at: p.targetPort?.range ?? .synthetic)
                            : FixIt("target a port the containers declare"))
                } else {
                    guard !ports.contains(where: { $0.name == target }) else { continue }
                    let declared = ports.compactMap(\.name)
                    var notes: [Note] = []
                    if !declared.isEmpty {
                        notes.append(
                            Note(
                                "their containers name ports \(nameList(Set(declared).sorted()))",
                                at: workloads[0].range))
                    }
                    notes.append(Note("Kubernetes cannot resolve the name: the pods get no endpoint on this port"))
                    var fix = FixIt("name a container port \(quoted(target)), or target one the containers declare")
                    if let s = closest(target, among: declared) {
                        fix = FixIt("did you mean \(quoted(s))?", replacement: s, at: at)
                    }
                    ctx.report(
                        .servicePortWithoutContainerPort, severity: .error,
                        "target port \(quoted(target)) of Service port \(label) is declared by no container of \(names)",
                        at: at, in: svc, notes: notes, fix: fix)
                }
            }
        }
    }
}
