import FjordSource

/// fjord.dev/v1alpha1 ResidencyPolicy: which data is personal and where it may go.
public struct ResidencyPolicy: MeshResource, Hashable {
    public struct DataSelector: Hashable, Sendable {
        public var namespaces: [Located<String>]
        public var workloadSelector: LabelSelector?
        public var serviceSelector: LabelSelector?
        @NotCompared public var range: SourceRange = .synthetic
        public init(
            namespaces: [Located<String>], workloadSelector: LabelSelector?, serviceSelector: LabelSelector?,
            range: SourceRange = .synthetic
        ) {
            self.namespaces = namespaces
            self.workloadSelector = workloadSelector
            self.serviceSelector = serviceSelector
            self.range = range
        }
    }
    public struct Attestation: Hashable, Sendable {
        public var jurisdiction: Located<String>
        public var mechanism: Located<String>
        public var recipients: [Located<String>]
        public var reference: Located<String>?
        @NotCompared public var range: SourceRange = .synthetic
        public init(
            jurisdiction: Located<String>, mechanism: Located<String>, recipients: [Located<String>],
            reference: Located<String>?, range: SourceRange = .synthetic
        ) {
            self.jurisdiction = jurisdiction
            self.mechanism = mechanism
            self.recipients = recipients
            self.reference = reference
            self.range = range
        }
    }
    /// A location the policy's owner declares for a region or an external host that the
    /// catalog and the host name cannot place (exactly one of `region` and `host`).
    public struct Location: Hashable, Sendable {
        public var region: Located<String>?
        public var host: Located<String>?
        public var country: Located<String>
        public var reference: Located<String>?
        @NotCompared public var range: SourceRange = .synthetic
        public init(
            region: Located<String>?, host: Located<String>?, country: Located<String>, reference: Located<String>?,
            range: SourceRange = .synthetic
        ) {
            self.region = region
            self.host = host
            self.country = country
            self.reference = reference
            self.range = range
        }
    }
    /// A workload known not to forward the personal data it receives (a tokenizer, a sink that
    /// only stores): the analysis judges what reaches it but does not follow its own paths.
    public struct Processor: Hashable, Sendable {
        /// `namespace/name`.
        public var workload: Located<String>
        public var reason: Located<String>
        @NotCompared public var range: SourceRange = .synthetic
        public init(workload: Located<String>, reason: Located<String>, range: SourceRange = .synthetic) {
            self.workload = workload
            self.reason = reason
            self.range = range
        }
    }
    /// An ingress Gateway through which personal data enters: the users it serves are in
    /// `serves` (jurisdictions as in `allowedJurisdictions`; empty: anyone).
    public struct IngressSource: Hashable, Sendable {
        /// The Gateway, `namespace/name`.
        public var gateway: Located<String>
        public var serves: [Located<String>]
        @NotCompared public var range: SourceRange = .synthetic
        public init(gateway: Located<String>, serves: [Located<String>], range: SourceRange = .synthetic) {
            self.gateway = gateway
            self.serves = serves
            self.range = range
        }
    }
    public static let kind = ResourceKind.residencyPolicy
    public var meta: ObjectMeta
    public var origin: ResourceOrigin
    public var namespace: String
    public var personalData: [DataSelector]
    public var allowedJurisdictions: [Located<String>]
    public var attestations: [Attestation]
    public var locations: [Location]
    public var processors: [Processor]
    public var ingressGateways: [IngressSource]
    /// Every path the configuration opens is an error, with call evidence or not.
    public var strict: Located<Bool>?
    @NotCompared public var allowedJurisdictionsRange: SourceRange = .synthetic
    public init(meta: ObjectMeta, origin: ResourceOrigin, namespace: String) {
        self.meta = meta
        self.origin = origin
        self.namespace = namespace
        self.personalData = []
        self.allowedJurisdictions = []
        self.attestations = []
        self.locations = []
        self.processors = []
        self.ingressGateways = []
        self.strict = nil
    }
}
