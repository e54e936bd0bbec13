import FjordSource

public struct Namespace: MeshResource, Hashable {
    public static let kind = ResourceKind.namespace
    public var meta: ObjectMeta
    public var origin: ResourceOrigin
    public var namespace: String { "" }
    public init(meta: ObjectMeta, origin: ResourceOrigin) {
        self.meta = meta
        self.origin = origin
    }
}

public struct Node: MeshResource, Hashable {
    public static let kind = ResourceKind.node
    public var meta: ObjectMeta
    public var origin: ResourceOrigin
    public var namespace: String { "" }
    public init(meta: ObjectMeta, origin: ResourceOrigin) {
        self.meta = meta
        self.origin = origin
    }
}

public struct ConfigMap: MeshResource, Hashable {
    public static let kind = ResourceKind.configMap
    public var meta: ObjectMeta
    public var origin: ResourceOrigin
    public var namespace: String
    public var data: [String: Located<String>]
    public init(meta: ObjectMeta, origin: ResourceOrigin, namespace: String, data: [String: Located<String>]) {
        self.meta = meta
        self.origin = origin
        self.namespace = namespace
        self.data = data
    }
}

public struct ServicePort: Hashable, Sendable {
    public var name: Located<String>?
    public var port: Located<Int>
    /// `targetPort` as written: a number or a container port name.
    public var targetPort: Located<String>?
    public var `protocol`: Located<String>?
    public var appProtocol: Located<String>?
    @NotCompared public var range: SourceRange = .synthetic

    public init(
        name: Located<String>?, port: Located<Int>, targetPort: Located<String>? = nil,
        protocol: Located<String>? = nil, appProtocol: Located<String>? = nil, range: SourceRange = .synthetic
    ) {
        self.name = name
        self.port = port
        self.targetPort = targetPort
        self.protocol = `protocol`
        self.appProtocol = appProtocol
        self.range = range
    }
}

public struct Service: MeshResource, Hashable {
    public static let kind = ResourceKind.service
    public var meta: ObjectMeta
    public var origin: ResourceOrigin
    public var namespace: String
    /// nil when the Service has no selector (endpoints managed elsewhere).
    public var selector: [String: String]?
    public var ports: [ServicePort]
    public var type: Located<String>?
    public var externalName: Located<String>?
    public init(
        meta: ObjectMeta, origin: ResourceOrigin, namespace: String, selector: [String: String]?,
        ports: [ServicePort], type: Located<String>? = nil, externalName: Located<String>? = nil
    ) {
        self.meta = meta
        self.origin = origin
        self.namespace = namespace
        self.selector = selector
        self.ports = ports
        self.type = type
        self.externalName = externalName
    }
}

public struct EnvVar: Hashable, Sendable {
    public var name: Located<String>
    public var value: Located<String>?
    /// `valueFrom.configMapKeyRef`: the value is key `key` of ConfigMap `name` (in the pod's namespace).
    public var configMapKeyRef: ConfigMapKeyRef?
    public init(name: Located<String>, value: Located<String>?, configMapKeyRef: ConfigMapKeyRef? = nil) {
        self.name = name
        self.value = value
        self.configMapKeyRef = configMapKeyRef
    }
}

/// `configMapKeyRef` of an environment variable.
public struct ConfigMapKeyRef: Hashable, Sendable {
    public var name: Located<String>
    public var key: Located<String>
    public init(name: Located<String>, key: Located<String>) {
        self.name = name
        self.key = key
    }
}

/// `envFrom[]` with a `configMapRef`: every key of the ConfigMap becomes a variable, named with
/// `prefix` in front.
public struct EnvFromConfigMap: Hashable, Sendable {
    public var name: Located<String>
    public var prefix: String
    public init(name: Located<String>, prefix: String = "") {
        self.name = name
        self.prefix = prefix
    }
}

/// An environment variable of a container with its value found: written in place, or read from
/// a ConfigMap among the inputs.
public struct ResolvedEnvVar: Hashable, Sendable {
    public var name: String
    public var value: Located<String>
    /// Where the variable is declared in the workload (`env[].name`, or the `envFrom` entry).
    @NotCompared public var declared: SourceRange = .synthetic
    /// `ConfigMap `ns/name` key `k``, when the value comes from a ConfigMap.
    public var configMap: String?
    public init(name: String, value: Located<String>, declared: SourceRange, configMap: String?) {
        self.name = name
        self.value = value
        self.declared = declared
        self.configMap = configMap
    }
}

public struct ContainerPort: Hashable, Sendable {
    public var name: String?
    public var containerPort: Int
    public init(name: String?, containerPort: Int) {
        self.name = name
        self.containerPort = containerPort
    }
}

public struct Container: Hashable, Sendable {
    public var name: Located<String>
    public var image: Located<String>?
    public var env: [EnvVar]
    public var args: [Located<String>]
    public var command: [Located<String>]
    public var ports: [ContainerPort]
    /// `envFrom` entries with a `configMapRef`.
    public var envFrom: [EnvFromConfigMap] = []
    @NotCompared public var range: SourceRange = .synthetic
    public init(
        name: Located<String>, image: Located<String>?, env: [EnvVar], args: [Located<String>],
        command: [Located<String>], ports: [ContainerPort], envFrom: [EnvFromConfigMap] = [],
        range: SourceRange = .synthetic
    ) {
        self.name = name
        self.image = image
        self.env = env
        self.envFrom = envFrom
        self.args = args
        self.command = command
        self.ports = ports
        self.range = range
    }
}

/// A required node-affinity term or `nodeSelector` entry pinning pods to node label values.
public struct NodePlacement: Hashable, Sendable {
    /// Label key -> allowed values (nodeSelector gives one value; affinity `In` may give several).
    public var required: [String: [String]]
    @NotCompared public var range: SourceRange = .synthetic
    public init(required: [String: [String]], range: SourceRange = .synthetic) {
        self.required = required
        self.range = range
    }
}

public struct PodSpec: Hashable, Sendable {
    public var containers: [Container]
    public var initContainers: [Container]
    public var serviceAccountName: Located<String>?
    public var nodeName: Located<String>?
    public var placement: NodePlacement?
    /// `hostNetwork: true`: the pod shares its node's network; Istio's injector never gives it a sidecar.
    public var hostNetwork: Located<Bool>?
    public init(
        containers: [Container] = [], initContainers: [Container] = [], serviceAccountName: Located<String>? = nil,
        nodeName: Located<String>? = nil, placement: NodePlacement? = nil
    ) {
        self.containers = containers
        self.initContainers = initContainers
        self.serviceAccountName = serviceAccountName
        self.nodeName = nodeName
        self.placement = placement
    }
}

public struct PodTemplate: Hashable, Sendable {
    public var labels: [String: String]
    public var annotations: [String: String]
    @NotCompared public var labelRanges: [String: SourceRange] = [:]
    @NotCompared public var annotationRanges: [String: SourceRange] = [:]
    public var spec: PodSpec
    @NotCompared public var range: SourceRange = .synthetic
    public init(labels: [String: String], annotations: [String: String], spec: PodSpec, range: SourceRange = .synthetic)
    {
        self.labels = labels
        self.annotations = annotations
        self.spec = spec
        self.range = range
    }
}

public struct Pod: MeshResource, Hashable {
    public static let kind = ResourceKind.pod
    public var meta: ObjectMeta
    public var origin: ResourceOrigin
    public var namespace: String
    public var spec: PodSpec
    /// Whether metadata.ownerReferences names a controller (the pod belongs to a Deployment etc.).
    public var hasController: Bool
    public init(meta: ObjectMeta, origin: ResourceOrigin, namespace: String, spec: PodSpec, hasController: Bool) {
        self.meta = meta
        self.origin = origin
        self.namespace = namespace
        self.spec = spec
        self.hasController = hasController
    }
}

/// Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or CronJob (its `jobTemplate`): a pod
/// template that gives a workload.
public struct WorkloadController: MeshResource, Hashable {
    public static var kind: ResourceKind { .deployment }
    public var controllerKind: ResourceKind
    public var meta: ObjectMeta
    public var origin: ResourceOrigin
    public var namespace: String
    public var replicas: Located<Int>?
    public var selector: LabelSelector?
    public var template: PodTemplate
    public init(
        controllerKind: ResourceKind, meta: ObjectMeta, origin: ResourceOrigin, namespace: String,
        replicas: Located<Int>?, selector: LabelSelector?, template: PodTemplate
    ) {
        self.controllerKind = controllerKind
        self.meta = meta
        self.origin = origin
        self.namespace = namespace
        self.replicas = replicas
        self.selector = selector
        self.template = template
    }
    public var key: ResourceKey { ResourceKey(kind: controllerKind, namespace: namespace, name: name) }
}
