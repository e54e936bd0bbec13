// swift-format-ignore-file
// Generated from grammar/schema.yaml by `make generate`. Do not edit.
// The front end parses this copy at start-up (Schema.builtIn).

let embeddedSchemaSource = #"""
# The input schema: every kind and field Fjord accepts.
#
# This file is the single source of truth for the front end. It is embedded into
# `Sources/FjordFrontend/Schema.generated.swift` by `make generate`; a test fails when the copy is
# stale, and another fails when the hand-written decoders read a field this file does not define
# or leave a defined field unread (unless the field says `decoded: false`).
#
# Type expressions:
#   string, bool, int (signed 32-bit), uint32, double, duration (`1.5s`, `100ms`, `1h2m`),
#   bytes (base64 text), cidr (an IP address or CIDR block), intOrString, any (accepted without
#   validation),
#   [T] (list), map<T> (string keys), enum(A|B|C), or the name of a type below.
# A field is either `name: TYPE` or `name: {type: TYPE, required: true, deprecated: "why",
#   decoded: false}`. A type is a mapping of its fields; `_open: true` accepts unknown fields
#   without a warning (used for Kubernetes types whose full schema Fjord does not model), and
#   `_oneOf: [[a, b, c]]` lists groups of fields of which at most one may be set.

kinds:
  VirtualService: {group: networking.istio.io, versions: [v1alpha3, v1beta1, v1], fields: {spec: {type: VirtualService, required: true}}}
  DestinationRule: {group: networking.istio.io, versions: [v1alpha3, v1beta1, v1], fields: {spec: {type: DestinationRule, required: true}}}
  Gateway: {group: networking.istio.io, versions: [v1alpha3, v1beta1, v1], fields: {spec: {type: Gateway, required: true}}}
  ServiceEntry: {group: networking.istio.io, versions: [v1alpha3, v1beta1, v1], fields: {spec: {type: ServiceEntry, required: true}}}
  Sidecar: {group: networking.istio.io, versions: [v1alpha3, v1beta1, v1], fields: {spec: Sidecar}}
  WorkloadEntry: {group: networking.istio.io, versions: [v1alpha3, v1beta1, v1], fields: {spec: WorkloadEntry}}
  PeerAuthentication: {group: security.istio.io, versions: [v1beta1, v1], fields: {spec: PeerAuthentication}}
  AuthorizationPolicy: {group: security.istio.io, versions: [v1beta1, v1], fields: {spec: AuthorizationPolicy}}
  RequestAuthentication: {group: security.istio.io, versions: [v1beta1, v1], fields: {spec: RequestAuthentication}}
  Namespace: {group: "", versions: [v1], clusterScoped: true, fields: {spec: any}}
  Node: {group: "", versions: [v1], clusterScoped: true, fields: {spec: any}}
  Service: {group: "", versions: [v1], fields: {spec: ServiceSpec}}
  Pod: {group: "", versions: [v1], fields: {spec: PodSpec}}
  ServiceAccount: {group: "", versions: [v1], fields: {secrets: {type: any, decoded: false}, imagePullSecrets: {type: any, decoded: false}, automountServiceAccountToken: {type: bool, decoded: false}}}
  ConfigMap: {group: "", versions: [v1], fields: {data: "map<string>", binaryData: {type: "map<string>", decoded: false}, immutable: {type: bool, decoded: false}}}
  Deployment: {group: apps, versions: [v1], fields: {spec: WorkloadSpec}}
  StatefulSet: {group: apps, versions: [v1], fields: {spec: WorkloadSpec}}
  DaemonSet: {group: apps, versions: [v1], fields: {spec: WorkloadSpec}}
  ReplicaSet: {group: apps, versions: [v1], fields: {spec: WorkloadSpec}}
  Job: {group: batch, versions: [v1], fields: {spec: JobSpec}}
  CronJob: {group: batch, versions: [v1, v1beta1], fields: {spec: CronJobSpec}}
  ResidencyPolicy: {group: fjord.dev, versions: [v1alpha1], fields: {spec: ResidencyPolicy}}

types:
  # ---------------------------------------------------------------- Kubernetes metadata
  ObjectMeta:
    name: string
    generateName: {type: string, decoded: false}
    namespace: string
    selfLink: {type: string, decoded: false}
    uid: {type: string, decoded: false}
    resourceVersion: {type: string, decoded: false}
    generation: {type: int, decoded: false}
    creationTimestamp: string
    deletionTimestamp: {type: string, decoded: false}
    deletionGracePeriodSeconds: {type: int, decoded: false}
    labels: map<string>
    annotations: map<string>
    ownerReferences: "[OwnerReference]"
    finalizers: {type: "[string]", decoded: false}
    managedFields: {type: any, decoded: false}
  OwnerReference:
    _open: true
    apiVersion: {type: string, decoded: false}
    kind: {type: string, decoded: false}
    name: {type: string, decoded: false}
    uid: {type: string, decoded: false}
    controller: bool
    blockOwnerDeletion: {type: bool, decoded: false}
  LabelSelector:
    matchLabels: map<string>
    matchExpressions: "[LabelSelectorRequirement]"
  LabelSelectorRequirement:
    key: {type: string, required: true}
    operator: {type: "enum(In|NotIn|Exists|DoesNotExist)", required: true}
    values: "[string]"

  # ---------------------------------------------------------------- VirtualService
  VirtualService:
    hosts: "[string]"
    gateways: "[string]"
    http: "[HTTPRoute]"
    tls: "[TLSRoute]"
    tcp: "[TCPRoute]"
    exportTo: "[string]"
  HTTPRoute:
    name: string
    match: "[HTTPMatchRequest]"
    route: "[HTTPRouteDestination]"
    redirect: HTTPRedirect
    directResponse: HTTPDirectResponse
    delegate: Delegate
    rewrite: HTTPRewrite
    timeout: duration
    retries: HTTPRetry
    fault: HTTPFaultInjection
    mirror: Destination
    mirrors: "[HTTPMirrorPolicy]"
    mirrorPercent: {type: uint32, deprecated: "use `mirrorPercentage`"}
    mirrorPercentage: Percent
    corsPolicy: CorsPolicy
    headers: Headers
  HTTPMatchRequest:
    name: string
    uri: StringMatch
    scheme: StringMatch
    method: StringMatch
    authority: StringMatch
    headers: map<StringMatch>
    port: uint32
    sourceLabels: map<string>
    gateways: "[string]"
    queryParams: map<StringMatch>
    ignoreUriCase: bool
    withoutHeaders: map<StringMatch>
    sourceNamespace: string
    statPrefix: string
  StringMatch:
    _oneOf: [[exact, prefix, regex]]
    exact: string
    prefix: string
    regex: string
  HTTPRouteDestination:
    destination: {type: Destination, required: true}
    weight: int
    headers: Headers
  RouteDestination:
    destination: {type: Destination, required: true}
    weight: int
  Destination:
    host: {type: string, required: true}
    subset: string
    port: PortSelector
  PortSelector:
    number: uint32
  Headers:
    request: HeaderOperations
    response: HeaderOperations
  HeaderOperations:
    set: map<string>
    add: map<string>
    remove: "[string]"
  HTTPRedirect:
    _oneOf: [[port, derivePort]]
    uri: string
    authority: string
    port: uint32
    derivePort: enum(FROM_PROTOCOL_DEFAULT|FROM_REQUEST_PORT)
    scheme: string
    redirectCode: uint32
  HTTPDirectResponse:
    status: {type: uint32, required: true}
    body: HTTPBody
  HTTPBody:
    _oneOf: [[string, bytes]]
    string: string
    bytes: bytes
  Delegate:
    name: {type: string, required: true}
    namespace: string
  HTTPRewrite:
    _oneOf: [[uri, uriRegexRewrite]]
    uri: string
    authority: string
    uriRegexRewrite: RegexRewrite
  RegexRewrite:
    match: {type: string, required: true}
    rewrite: {type: string, required: true}
  HTTPRetry:
    attempts: int
    perTryTimeout: duration
    retryOn: string
    retryRemoteLocalities: bool
    backoff: duration
  HTTPFaultInjection:
    delay: FaultDelay
    abort: FaultAbort
  FaultDelay:
    _oneOf: [[fixedDelay, exponentialDelay]]
    fixedDelay: duration
    exponentialDelay: duration
    percentage: Percent
    percent: {type: int, deprecated: "use `percentage`"}
  FaultAbort:
    _oneOf: [[httpStatus, grpcStatus, http2Error]]
    httpStatus: int
    grpcStatus: string
    http2Error: {type: string, decoded: false}
    percentage: Percent
  Percent:
    value: double
  HTTPMirrorPolicy:
    destination: {type: Destination, required: true}
    percentage: Percent
  CorsPolicy:
    allowOrigin: {type: "[string]", deprecated: "use `allowOrigins`", decoded: false}
    allowOrigins: "[StringMatch]"
    allowMethods: "[string]"
    allowHeaders: "[string]"
    exposeHeaders: "[string]"
    maxAge: duration
    allowCredentials: bool
    unmatchedPreflights: {type: "enum(UNSPECIFIED|FORWARD|IGNORE)", decoded: false}
  TLSRoute:
    match: "[TLSMatchAttributes]"
    route: "[RouteDestination]"
  TLSMatchAttributes:
    sniHosts: "[string]"
    destinationSubnets: "[cidr]"
    port: uint32
    sourceLabels: map<string>
    gateways: "[string]"
    sourceNamespace: string
  TCPRoute:
    match: "[L4MatchAttributes]"
    route: "[RouteDestination]"
  L4MatchAttributes:
    destinationSubnets: "[cidr]"
    port: uint32
    sourceSubnet: {type: string, decoded: false}
    sourceLabels: map<string>
    gateways: "[string]"
    sourceNamespace: string

  # ---------------------------------------------------------------- DestinationRule
  DestinationRule:
    host: {type: string, required: true}
    trafficPolicy: TrafficPolicy
    subsets: "[Subset]"
    exportTo: "[string]"
    workloadSelector: LabelSelector
  TrafficPolicy:
    loadBalancer: LoadBalancerSettings
    connectionPool: ConnectionPoolSettings
    outlierDetection: OutlierDetection
    tls: ClientTLSSettings
    portLevelSettings: "[PortTrafficPolicy]"
    tunnel: TunnelSettings
    proxyProtocol: ProxyProtocol
  PortTrafficPolicy:
    port: PortSelector
    loadBalancer: LoadBalancerSettings
    connectionPool: ConnectionPoolSettings
    outlierDetection: OutlierDetection
    tls: ClientTLSSettings
  TunnelSettings:
    protocol: string
    targetHost: {type: string, decoded: false}
    targetPort: {type: uint32, decoded: false}
  ProxyProtocol:
    version: "enum(V1|V2)"
  Subset:
    name: {type: string, required: true}
    labels: map<string>
    trafficPolicy: TrafficPolicy
  LoadBalancerSettings:
    _oneOf: [[simple, consistentHash]]
    simple: enum(UNSPECIFIED|LEAST_CONN|RANDOM|PASSTHROUGH|ROUND_ROBIN|LEAST_REQUEST)
    consistentHash: ConsistentHashLB
    localityLbSetting: LocalityLoadBalancerSetting
    warmupDurationSecs: duration
    warmup: WarmupConfiguration
  WarmupConfiguration:
    duration: {type: duration, required: true}
    minimumPercent: double
    aggression: double
  ConsistentHashLB:
    _oneOf: [[httpHeaderName, httpCookie, useSourceIp, httpQueryParameterName], [ringHash, maglev]]
    httpHeaderName: string
    httpCookie: HTTPCookie
    useSourceIp: bool
    httpQueryParameterName: string
    ringHash: RingHash
    maglev: MagLev
    minimumRingSize: {type: int, deprecated: "use `ringHash.minimumRingSize`"}
  HTTPCookie:
    name: {type: string, required: true}
    path: string
    ttl: duration
    attributes: {type: any, decoded: false}
  RingHash:
    minimumRingSize: int
  MagLev:
    tableSize: int
  LocalityLoadBalancerSetting:
    distribute: "[LocalityDistribute]"
    failover: "[LocalityFailover]"
    failoverPriority: "[string]"
    enabled: bool
  LocalityDistribute:
    from: string
    to: map<uint32>
  LocalityFailover:
    from: string
    to: string
  ConnectionPoolSettings:
    tcp: TCPSettings
    http: HTTPSettings
  TCPSettings:
    maxConnections: int
    connectTimeout: duration
    tcpKeepalive: {type: TCPKeepalive, decoded: false}
    maxConnectionDuration: duration
    idleTimeout: duration
  TCPKeepalive:
    probes: uint32
    time: duration
    interval: duration
  HTTPSettings:
    http1MaxPendingRequests: int
    http2MaxRequests: int
    maxRequestsPerConnection: int
    maxRetries: int
    idleTimeout: duration
    h2UpgradePolicy: enum(DEFAULT|DO_NOT_UPGRADE|UPGRADE)
    useClientProtocol: bool
    maxConcurrentStreams: int
  OutlierDetection:
    splitExternalLocalOriginErrors: bool
    consecutiveLocalOriginFailures: int
    consecutiveGatewayErrors: int
    consecutive5xxErrors: int
    consecutiveErrors: {type: int, deprecated: "use `consecutive5xxErrors`"}
    interval: duration
    baseEjectionTime: duration
    maxEjectionPercent: int
    minHealthPercent: int
  ClientTLSSettings:
    mode: enum(DISABLE|SIMPLE|MUTUAL|ISTIO_MUTUAL)
    clientCertificate: string
    privateKey: string
    caCertificates: string
    credentialName: string
    subjectAltNames: "[string]"
    sni: string
    insecureSkipVerify: bool
    caCrl: {type: string, decoded: false}

  # ---------------------------------------------------------------- PeerAuthentication
  PeerAuthentication:
    selector: WorkloadSelector
    mtls: MutualTLS
    portLevelMtls: map<MutualTLS>
  WorkloadSelector:
    matchLabels: map<string>
  MutualTLS:
    mode: enum(UNSET|DISABLE|PERMISSIVE|STRICT)

  # ---------------------------------------------------------------- AuthorizationPolicy
  AuthorizationPolicy:
    selector: WorkloadSelector
    targetRef: PolicyTargetReference
    targetRefs: "[PolicyTargetReference]"
    rules: "[AuthorizationRule]"
    action: enum(ALLOW|DENY|AUDIT|CUSTOM)
    provider: ExtensionProvider
  PolicyTargetReference:
    group: string
    kind: string
    name: string
    namespace: string
  ExtensionProvider:
    name: string
  AuthorizationRule:
    from: "[RuleFrom]"
    to: "[RuleTo]"
    when: "[Condition]"
  RuleFrom:
    source: Source
  RuleTo:
    operation: Operation
  Source:
    principals: "[string]"
    notPrincipals: "[string]"
    requestPrincipals: "[string]"
    notRequestPrincipals: "[string]"
    namespaces: "[string]"
    notNamespaces: "[string]"
    ipBlocks: "[string]"
    notIpBlocks: "[string]"
    remoteIpBlocks: "[string]"
    notRemoteIpBlocks: "[string]"
    serviceAccounts: "[string]"
    notServiceAccounts: "[string]"
  Operation:
    hosts: "[string]"
    notHosts: "[string]"
    ports: "[string]"
    notPorts: "[string]"
    methods: "[string]"
    notMethods: "[string]"
    paths: "[string]"
    notPaths: "[string]"
  Condition:
    key: string
    values: "[string]"
    notValues: "[string]"

  # ---------------------------------------------------------------- RequestAuthentication
  RequestAuthentication:
    selector: WorkloadSelector
    targetRef: {type: any, decoded: false}
    targetRefs: {type: any, decoded: false}
    jwtRules: "[JWTRule]"
  JWTRule:
    _open: true
    issuer: string
    audiences: {type: "[string]", decoded: false}
    jwksUri: {type: string, decoded: false}
    jwks: {type: string, decoded: false}

  # ---------------------------------------------------------------- Gateway
  Gateway:
    selector: map<string>
    servers: "[Server]"
  Server:
    port: Port
    bind: string
    hosts: "[string]"
    tls: ServerTLSSettings
    defaultEndpoint: {type: string, decoded: false}
    name: string
  Port:
    number: uint32
    protocol: string
    name: string
    targetPort: uint32
  ServerTLSSettings:
    httpsRedirect: bool
    mode: enum(PASSTHROUGH|SIMPLE|MUTUAL|AUTO_PASSTHROUGH|ISTIO_MUTUAL|OPTIONAL_MUTUAL)
    serverCertificate: {type: string, decoded: false}
    privateKey: {type: string, decoded: false}
    caCertificates: {type: string, decoded: false}
    caCrl: {type: string, decoded: false}
    credentialName: string
    credentialNames: {type: "[string]", decoded: false}
    tlsCertificates: {type: any, decoded: false}
    subjectAltNames: {type: "[string]", decoded: false}
    verifyCertificateSpki: {type: "[string]", decoded: false}
    verifyCertificateHash: {type: "[string]", decoded: false}
    minProtocolVersion: {type: "enum(TLS_AUTO|TLSV1_0|TLSV1_1|TLSV1_2|TLSV1_3)", decoded: false}
    maxProtocolVersion: {type: "enum(TLS_AUTO|TLSV1_0|TLSV1_1|TLSV1_2|TLSV1_3)", decoded: false}
    cipherSuites: {type: "[string]", decoded: false}

  # ---------------------------------------------------------------- ServiceEntry, WorkloadEntry
  ServiceEntry:
    _oneOf: [[workloadSelector, endpoints]]
    hosts: {type: "[string]", required: true}
    addresses: "[string]"
    ports: "[Port]"
    location: enum(MESH_EXTERNAL|MESH_INTERNAL)
    resolution: enum(NONE|STATIC|DNS|DNS_ROUND_ROBIN)
    endpoints: "[WorkloadEntry]"
    workloadSelector: ServiceEntryWorkloadSelector
    exportTo: "[string]"
    subjectAltNames: {type: "[string]", decoded: false}
  ServiceEntryWorkloadSelector:
    labels: map<string>
  WorkloadEntry:
    address: string
    ports: map<uint32>
    labels: map<string>
    network: string
    locality: string
    weight: uint32
    serviceAccount: string

  # ---------------------------------------------------------------- Sidecar
  Sidecar:
    workloadSelector: ServiceEntryWorkloadSelector
    ingress: {type: "[IstioIngressListener]", decoded: false}
    egress: "[IstioEgressListener]"
    outboundTrafficPolicy: OutboundTrafficPolicy
    inboundConnectionPool: {type: ConnectionPoolSettings, decoded: false}
  IstioIngressListener:
    port: Port
    bind: string
    captureMode: enum(DEFAULT|IPTABLES|NONE)
    defaultEndpoint: string
    tls: ServerTLSSettings
    connectionPool: ConnectionPoolSettings
  IstioEgressListener:
    port: Port
    bind: string
    captureMode: {type: "enum(DEFAULT|IPTABLES|NONE)", decoded: false}
    hosts: "[string]"
  OutboundTrafficPolicy:
    mode: enum(REGISTRY_ONLY|ALLOW_ANY)
    egressProxy: {type: Destination, decoded: false}

  # ---------------------------------------------------------------- Kubernetes workloads
  ServiceSpec:
    _open: true
    selector: map<string>
    ports: "[ServicePort]"
    type: enum(ClusterIP|NodePort|LoadBalancer|ExternalName)
    externalName: string
    clusterIP: {type: string, decoded: false}
  ServicePort:
    name: string
    port: {type: int, required: true}
    targetPort: intOrString
    protocol: enum(TCP|UDP|SCTP)
    appProtocol: string
    nodePort: {type: int, decoded: false}
  WorkloadSpec:
    _open: true
    replicas: int
    selector: LabelSelector
    template: PodTemplateSpec
  JobSpec:
    _open: true
    selector: LabelSelector
    template: PodTemplateSpec
  CronJobSpec:
    _open: true
    schedule: {type: string, decoded: false}
    jobTemplate: JobTemplateSpec
  JobTemplateSpec:
    metadata: {type: ObjectMeta, decoded: false}
    spec: JobSpec
  PodTemplateSpec:
    metadata: ObjectMeta
    spec: PodSpec
  PodSpec:
    _open: true
    containers: "[Container]"
    initContainers: "[Container]"
    serviceAccountName: string
    serviceAccount: {type: string, deprecated: "use `serviceAccountName`"}
    nodeName: string
    nodeSelector: map<string>
    affinity: Affinity
    hostNetwork: bool
  Affinity:
    _open: true
    nodeAffinity: NodeAffinity
  NodeAffinity:
    _open: true
    requiredDuringSchedulingIgnoredDuringExecution: NodeSelector
  NodeSelector:
    nodeSelectorTerms: "[NodeSelectorTerm]"
  NodeSelectorTerm:
    matchExpressions: "[LabelSelectorRequirement]"
    matchFields: {type: any, decoded: false}
  Container:
    _open: true
    name: string
    image: string
    env: "[EnvVar]"
    args: "[string]"
    command: "[string]"
    ports: "[ContainerPort]"
    envFrom: "[EnvFromSource]"
  EnvVar:
    name: {type: string, required: true}
    value: string
    valueFrom: EnvVarSource
  EnvVarSource:
    configMapKeyRef: ConfigMapKeySelector
    secretKeyRef: {type: any, decoded: false}
    fieldRef: {type: any, decoded: false}
    resourceFieldRef: {type: any, decoded: false}
  ConfigMapKeySelector:
    name: string
    key: {type: string, required: true}
    optional: {type: bool, decoded: false}
  EnvFromSource:
    prefix: string
    configMapRef: ConfigMapEnvSource
    secretRef: {type: any, decoded: false}
  ConfigMapEnvSource:
    name: string
    optional: {type: bool, decoded: false}
  ContainerPort:
    name: string
    containerPort: {type: int, required: true}
    protocol: {type: "enum(TCP|UDP|SCTP)", decoded: false}
    hostPort: {type: int, decoded: false}
    hostIP: {type: string, decoded: false}

  # ---------------------------------------------------------------- Fjord's own kinds
  ResidencyPolicy:
    personalData: {type: "[DataSelector]", required: true}
    allowedJurisdictions: {type: "[string]", required: true}
    attestations: "[Attestation]"
    locations: "[DeclaredLocation]"
    processors: "[Processor]"
    ingressGateways: "[IngressSource]"
    strict: bool
  DataSelector:
    namespaces: "[string]"
    workloadSelector: LabelSelector
    serviceSelector: LabelSelector
  Attestation:
    jurisdiction: {type: string, required: true}
    mechanism: {type: "enum(DataPrivacyFramework|PIPEDA|StandardContractualClauses|BindingCorporateRules)", required: true}
    recipients: "[string]"
    reference: string
  Processor:
    workload: {type: string, required: true}
    reason: {type: string, required: true}
  IngressSource:
    gateway: {type: string, required: true}
    serves: "[string]"
  DeclaredLocation:
    _oneOf: [[region, host]]
    region: string
    host: string
    country: {type: string, required: true}
    reference: string
"""#
