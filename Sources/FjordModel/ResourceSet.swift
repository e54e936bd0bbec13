import FjordSource

/// Every resource decoded from the inputs, by kind, in input order.
public struct ResourceSet: Sendable {
    public var namespaces: [Namespace] = []
    public var nodes: [Node] = []
    public var services: [Service] = []
    public var pods: [Pod] = []
    public var serviceAccounts: [ServiceAccount] = []
    public var configMaps: [ConfigMap] = []
    public var controllers: [WorkloadController] = []
    public var virtualServices: [VirtualService] = []
    public var destinationRules: [DestinationRule] = []
    public var gateways: [Gateway] = []
    public var serviceEntries: [ServiceEntry] = []
    public var sidecars: [Sidecar] = []
    public var workloadEntries: [WorkloadEntry] = []
    public var peerAuthentications: [PeerAuthentication] = []
    public var authorizationPolicies: [AuthorizationPolicy] = []
    public var requestAuthentications: [RequestAuthentication] = []
    public var residencyPolicies: [ResidencyPolicy] = []
    /// Kubernetes resources (documents with a `kind`) of kinds Fjord does not model, skipped.
    public var skipped = 0

    public init() {}

    /// Number of resources Fjord modelled (unknown kinds are not counted).
    public var count: Int {
        namespaces.count + nodes.count + services.count + pods.count + configMaps.count + controllers.count
            + virtualServices.count + destinationRules.count + gateways.count + serviceEntries.count + sidecars.count
            + workloadEntries.count + peerAuthentications.count + authorizationPolicies.count
            + requestAuthentications.count + residencyPolicies.count + serviceAccounts.count
    }

    /// Metadata of every resource, for suppression lookups and duplicate detection.
    public var allMetadata: [(key: ResourceKey, meta: ObjectMeta, origin: ResourceOrigin)] {
        var out: [(ResourceKey, ObjectMeta, ResourceOrigin)] = []
        func add<R: MeshResource>(_ rs: [R]) { for r in rs { out.append((r.key, r.meta, r.origin)) } }
        add(namespaces)
        add(nodes)
        add(services)
        add(pods)
        add(serviceAccounts)
        add(configMaps)
        for c in controllers { out.append((c.key, c.meta, c.origin)) }
        add(virtualServices)
        add(destinationRules)
        add(gateways)
        add(serviceEntries)
        add(sidecars)
        add(workloadEntries)
        add(peerAuthentications)
        add(authorizationPolicies)
        add(requestAuthentications)
        add(residencyPolicies)
        return out
    }
}
