import FjordDiagnostics
import FjordModel
import FjordSource

extension Decoder {
    /// FJ1013: the same resource (kind, namespace and name) defined more than once in the inputs.
    /// Like `kubectl apply` of the same files, the last definition wins: the earlier ones are
    /// removed from `resources`, so that checks see each resource once.
    public static func removeDuplicates(in resources: inout ResourceSet, emit: DiagnosticConsumer) {
        func dedupe<R: MeshResource>(_ list: inout [R], key: (R) -> ResourceKey) {
            guard list.count > 1 else { return }
            var last: [ResourceKey: Int] = [:]
            for (i, r) in list.enumerated() { last[key(r)] = i }
            guard last.count < list.count else { return }
            // Report each definition at the one that replaces it, in input order.
            var previous: [ResourceKey: Int] = [:]
            for (i, r) in list.enumerated() {
                let k = key(r)
                if let p = previous[k] {
                    let earlier = list[p]
                    emit(
                        Diagnostic(
                            .duplicateResource,
                            "\(quoted("\(k.kind.rawValue) \(k.qualifiedName)")) is defined more than once; the last definition wins",
                            at: r.nameRange,
                            resource: ResourceRef(
                                kind: k.kind.rawValue, namespace: k.namespace.isEmpty ? nil : k.namespace, name: k.name),
                            notes: [Note("the definition it replaces is here", at: earlier.nameRange)]))
                }
                previous[k] = i
            }
            list = list.enumerated().filter { last[key($0.element)] == $0.offset }.map(\.element)
        }
        dedupe(&resources.namespaces, key: \.key)
        dedupe(&resources.nodes, key: \.key)
        dedupe(&resources.services, key: \.key)
        dedupe(&resources.pods, key: \.key)
        dedupe(&resources.serviceAccounts, key: \.key)
        dedupe(&resources.configMaps, key: \.key)
        dedupe(
            &resources.controllers,
            key: { ResourceKey(kind: $0.controllerKind, namespace: $0.namespace, name: $0.name) })
        dedupe(&resources.virtualServices, key: \.key)
        dedupe(&resources.destinationRules, key: \.key)
        dedupe(&resources.gateways, key: \.key)
        dedupe(&resources.serviceEntries, key: \.key)
        dedupe(&resources.sidecars, key: \.key)
        dedupe(&resources.workloadEntries, key: \.key)
        dedupe(&resources.peerAuthentications, key: \.key)
        dedupe(&resources.authorizationPolicies, key: \.key)
        dedupe(&resources.requestAuthentications, key: \.key)
        dedupe(&resources.residencyPolicies, key: \.key)
    }
}
