// swift-format-ignore-file
// Generated from grammar/diagnostics.yaml by `make generate`. Do not edit.

extension DiagnosticCatalog {
    public static let entries: [CatalogEntry] = [
        CatalogEntry(code: DiagnosticCode("FJ1001"), name: "yaml-syntax", severity: .error, summary: "the input is not well-formed YAML", message: "{problem} {context}"),
        CatalogEntry(code: DiagnosticCode("FJ1002"), name: "duplicate-key", severity: .warning, summary: "a mapping holds the same key twice and only the last value takes effect", message: "duplicate key {key}; the earlier value is ignored"),
        CatalogEntry(code: DiagnosticCode("FJ1003"), name: "unknown-field", severity: .warning, summary: "a field that the resource's schema does not define", message: "unknown field {field} in {type}"),
        CatalogEntry(code: DiagnosticCode("FJ1004"), name: "invalid-value", severity: .error, summary: "a value has the wrong type or is not one of the allowed values", message: "{field} must be {expected}, found {actual}"),
        CatalogEntry(code: DiagnosticCode("FJ1005"), name: "input-limit", severity: .error, summary: "an input exceeds a size, depth or alias-expansion limit", message: "{what} exceeds the limit of {limit}"),
        CatalogEntry(code: DiagnosticCode("FJ1006"), name: "invalid-regex", severity: .error, summary: "a regular expression that RE2 rejects", message: "invalid regular expression {regex}: {problem}"),
        CatalogEntry(code: DiagnosticCode("FJ1007"), name: "unknown-kind", severity: .info, summary: "a resource of a kind Fjord does not model is skipped", message: "skipping {kind} {name}: fjord does not model this kind"),
        CatalogEntry(code: DiagnosticCode("FJ1008"), name: "unreadable-input", severity: .error, summary: "an input path cannot be read", message: "cannot read {path}: {reason}"),
        CatalogEntry(code: DiagnosticCode("FJ1009"), name: "missing-field", severity: .error, summary: "a required field is missing", message: "{type} requires {field}"),
        CatalogEntry(code: DiagnosticCode("FJ1010"), name: "deprecated-field", severity: .warning, summary: "a field that Istio has deprecated", message: "{field} is deprecated: {advice}"),
        CatalogEntry(code: DiagnosticCode("FJ1011"), name: "conflicting-fields", severity: .error, summary: "fields that exclude each other are set together", message: "{field} cannot be set together with {other}"),
        CatalogEntry(code: DiagnosticCode("FJ1012"), name: "unsupported-api-version", severity: .error, summary: "a known kind with an apiVersion Fjord does not accept", message: "{kind} does not exist in {apiVersion}"),
        CatalogEntry(code: DiagnosticCode("FJ1013"), name: "duplicate-resource", severity: .warning, summary: "the same resource is defined twice and the later definition replaces the earlier", message: "{resource} is defined more than once; the last definition wins"),
        CatalogEntry(code: DiagnosticCode("FJ1014"), name: "empty-input", severity: .error, summary: "an input holds no resources", message: "{path} holds no resources"),
        CatalogEntry(code: DiagnosticCode("FJ1015"), name: "invalid-duration", severity: .error, summary: "a duration shorter than 1 ms or finer than millisecond precision", message: "{field} must be at least 1ms, found {value}"),
        CatalogEntry(code: DiagnosticCode("FJ1016"), name: "invalid-port", severity: .error, summary: "a port number outside 1 to 65535", message: "port {port} is outside 1-65535"),
        CatalogEntry(code: DiagnosticCode("FJ1017"), name: "duplicate-subset", severity: .error, summary: "a DestinationRule defines the same subset name twice", message: "subset {name} is defined more than once"),
        CatalogEntry(code: DiagnosticCode("FJ1018"), name: "conflicting-actions", severity: .error, summary: "an HTTP rule combines actions that exclude each other", message: "{rule} has both {a} and {b}"),
        CatalogEntry(code: DiagnosticCode("FJ1019"), name: "missing-action", severity: .error, summary: "an HTTP rule has no route, redirect, direct response or delegate", message: "{rule} has no `route`, `redirect`, `directResponse` or `delegate`"),
        CatalogEntry(code: DiagnosticCode("FJ1020"), name: "unknown-retry-condition", severity: .error, summary: "a `retryOn` condition Envoy does not know", message: "unknown retry condition {token}"),
        CatalogEntry(code: DiagnosticCode("FJ1021"), name: "port-mtls-without-selector", severity: .error, summary: "port-level mTLS in a PeerAuthentication without a workload selector", message: "`portLevelMtls` requires a workload selector"),
        CatalogEntry(code: DiagnosticCode("FJ1022"), name: "invalid-host", severity: .error, summary: "a host name Istio rejects", message: "invalid host {host}: {problem}"),
        CatalogEntry(code: DiagnosticCode("FJ1023"), name: "invalid-header-name", severity: .error, summary: "a header name that cannot be matched or edited", message: "{problem}"),
        CatalogEntry(code: DiagnosticCode("FJ1024"), name: "invalid-percentage", severity: .error, summary: "a percentage outside 0 to 100", message: "{field} must be between 0 and 100, found {value}"),
        CatalogEntry(code: DiagnosticCode("FJ1025"), name: "invalid-status-code", severity: .error, summary: "an HTTP status code Istio does not accept in this place", message: "{field} {value} is not {allowed}"),
        CatalogEntry(code: DiagnosticCode("FJ1026"), name: "invalid-fault", severity: .error, summary: "a fault injection that injects nothing", message: "{problem}"),
        CatalogEntry(code: DiagnosticCode("FJ1027"), name: "invalid-locality-lb", severity: .error, summary: "locality load-balancing settings Istio rejects", message: "{problem}"),
        CatalogEntry(code: DiagnosticCode("FJ1028"), name: "invalid-tls-settings", severity: .error, summary: "client TLS settings that do not fit their mode", message: "{problem}"),
        CatalogEntry(code: DiagnosticCode("FJ1029"), name: "invalid-virtual-service", severity: .error, summary: "a VirtualService without routes, or a delegate with fields only a root may have", message: "{problem}"),
        CatalogEntry(code: DiagnosticCode("FJ1030"), name: "nested-delegate", severity: .error, summary: "a delegate VirtualService that delegates again (Istio supports one level)", message: "{rule} delegates from a delegate VirtualService"),
        CatalogEntry(code: DiagnosticCode("FJ1031"), name: "invalid-name", severity: .error, summary: "a subset or object name that Istio or the Kubernetes API server rejects (not a DNS-1123 label or subdomain as required)", message: "{what} {name} is not a valid DNS-1123 label"),
        CatalogEntry(code: DiagnosticCode("FJ1032"), name: "duplicate-route-name", severity: .warning, summary: "two HTTP rules of one VirtualService share a name", message: "route name {name} is used more than once"),
        CatalogEntry(code: DiagnosticCode("FJ1033"), name: "invalid-export-to", severity: .error, summary: "an `exportTo` list Istio rejects", message: "{problem}"),
        CatalogEntry(code: DiagnosticCode("FJ1034"), name: "negative-value", severity: .error, summary: "a count or limit that cannot be negative", message: "{field} cannot be negative, found {value}"),
        CatalogEntry(code: DiagnosticCode("FJ1035"), name: "empty-redirect", severity: .error, summary: "a redirect that changes nothing", message: "{rule} redirects without changing the uri, authority, scheme or port"),
        CatalogEntry(code: DiagnosticCode("FJ1036"), name: "empty-policy", severity: .error, summary: "a policy block without any setting", message: "{field} must set at least one field"),
        CatalogEntry(code: DiagnosticCode("FJ1037"), name: "invalid-tls-route", severity: .error, summary: "a TLS route whose match cannot select traffic", message: "{problem}"),
        CatalogEntry(code: DiagnosticCode("FJ1038"), name: "invalid-service-entry", severity: .error, summary: "a ServiceEntry whose addresses, endpoints or selectors do not fit its resolution", message: "{problem}"),
        CatalogEntry(code: DiagnosticCode("FJ1039"), name: "duplicate-port", severity: .error, summary: "the same port number or port name is declared twice", message: "port {port} is declared more than once"),
        CatalogEntry(code: DiagnosticCode("FJ1040"), name: "invalid-authorization-policy", severity: .error, summary: "an AuthorizationPolicy source that mixes exclusive fields", message: "{problem}"),
        CatalogEntry(code: DiagnosticCode("FJ1041"), name: "unrendered-input", severity: .warning, summary: "a Helm chart, Helm template or kustomize directory that must be rendered before it is checked", message: "{path} is {what}: check its output with `{command} | fjord check -`"),
        CatalogEntry(code: DiagnosticCode("FJ2001"), name: "weights-not-100", severity: .warning, summary: "the destination weights of a route with several destinations do not sum to 100", message: "destination weights of {rule} sum to {total}, not 100"),
        CatalogEntry(code: DiagnosticCode("FJ2002"), name: "unreachable-rule", severity: .warning, summary: "a routing rule that no request can reach, because earlier rules take every request it matches", message: "{rule} can never match"),
        CatalogEntry(code: DiagnosticCode("FJ2003"), name: "ineffective-match", severity: .warning, summary: "a match block that can never be the one that matches", message: "match block {index} of {rule} can never be the one that matches"),
        CatalogEntry(code: DiagnosticCode("FJ2004"), name: "conflicting-virtual-services", severity: .error, summary: "several VirtualServices bind one host for sidecars and only the first takes effect", message: "{virtualService} binds host {host}, which {other} already binds; sidecars use only {other}"),
        CatalogEntry(code: DiagnosticCode("FJ2005"), name: "invalid-weights", severity: .error, summary: "negative destination weights, or several destinations that are all weight 0", message: "{problem}"),
        CatalogEntry(code: DiagnosticCode("FJ2006"), name: "delegate-conflict", severity: .warning, summary: "a delegate rule whose match conflicts with its root rule and that Istio drops silently", message: "{rule} of delegate {delegate} conflicts with the match of {root} and is dropped"),
        CatalogEntry(code: DiagnosticCode("FJ2007"), name: "unanalysed-rule", severity: .info, summary: "rules whose reachability was not analysed, because their automata or diagrams exceed the analysis budget", message: "{rules} of {virtualService} not analysed for reachability: {reason}"),
        CatalogEntry(code: DiagnosticCode("FJ2101"), name: "unknown-host", severity: .error, summary: "a destination or mirror host that no Service, ServiceEntry or WorkloadEntry defines, or that is not visible where the route applies", message: "destination host {host} matches no Service, ServiceEntry or WorkloadEntry"),
        CatalogEntry(code: DiagnosticCode("FJ2102"), name: "unknown-subset", severity: .error, summary: "a destination subset that no DestinationRule for its host defines", message: "subset {subset} of host {host} is not defined by any DestinationRule"),
        CatalogEntry(code: DiagnosticCode("FJ2103"), name: "empty-subset", severity: .warning, summary: "a DestinationRule subset whose labels select none of the service's workloads", message: "subset {subset} of host {host} selects none of its workloads"),
        CatalogEntry(code: DiagnosticCode("FJ2104"), name: "missing-timeout", severity: .warning, summary: "an HTTP route without a timeout, so a slow upstream holds the request forever", message: "{rule} has no timeout"),
        CatalogEntry(code: DiagnosticCode("FJ2105"), name: "unknown-destination-port", severity: .error, summary: "a destination port that the destination service does not expose", message: "port {port} is not a port of {host}"),
        CatalogEntry(code: DiagnosticCode("FJ2106"), name: "unknown-gateway", severity: .error, summary: "a VirtualService bound to a Gateway that does not exist", message: "gateway {gateway} does not exist"),
        CatalogEntry(code: DiagnosticCode("FJ2107"), name: "duplicate-destination-rule", severity: .warning, summary: "several DestinationRules of one namespace configure the same host and Istio merges them, ignoring parts of the newer", message: "{destinationRule} configures host {host}, which the older {other} already configures"),
        CatalogEntry(code: DiagnosticCode("FJ2108"), name: "export-to-unknown-namespace", severity: .warning, summary: "an `exportTo` entry names a namespace that the inputs do not declare", message: "`exportTo` names namespace {namespace}, which does not exist"),
        CatalogEntry(code: DiagnosticCode("FJ2109"), name: "unknown-delegate", severity: .error, summary: "a rule delegates to a VirtualService that does not exist or cannot be a delegate", message: "delegate {delegate} does not exist"),
        CatalogEntry(code: DiagnosticCode("FJ2110"), name: "retries-exceed-timeout", severity: .warning, summary: "the tries a retry policy allows do not fit in the route timeout, so the last ones never run", message: "{tries} tries of {perTryTimeout} take up to {total}, longer than the route timeout {timeout}"),
        CatalogEntry(code: DiagnosticCode("FJ2111"), name: "host-not-on-gateway", severity: .warning, summary: "a VirtualService bound to a Gateway none of whose servers accepts any of its hosts, so the gateway never uses it", message: "gateway {gateway} serves none of the hosts of this VirtualService ({hosts})"),
        CatalogEntry(code: DiagnosticCode("FJ2112"), name: "selector-matches-no-workload", severity: .warning, summary: "a workload selector (Sidecar, PeerAuthentication, RequestAuthentication, AuthorizationPolicy, Gateway) matches no workload in the inputs, so the resource applies to nothing", message: "selector {labels} of this {kind} matches no workload in {scope}"),
        CatalogEntry(code: DiagnosticCode("FJ2113"), name: "several-namespace-sidecars", severity: .error, summary: "several Sidecars without a workload selector in one namespace, and Istio applies an arbitrary one", message: "namespace {namespace} has {count} Sidecars without a workload selector; Istio uses only one"),
        CatalogEntry(code: DiagnosticCode("FJ2114"), name: "several-sidecars-for-workload", severity: .error, summary: "several Sidecars select one workload, and Istio applies an arbitrary one", message: "workload {workload} is selected by {count} Sidecars; Istio uses only one"),
        CatalogEntry(code: DiagnosticCode("FJ2115"), name: "unknown-destination-rule-host", severity: .warning, summary: "a DestinationRule whose host matches no Service, ServiceEntry or WorkloadEntry, so it configures nothing", message: "host {host} of this DestinationRule matches no Service, ServiceEntry or WorkloadEntry"),
        CatalogEntry(code: DiagnosticCode("FJ2116"), name: "subset-without-labels", severity: .info, summary: "a DestinationRule subset without labels, which selects every endpoint of the host", message: "subset {subset} has no labels and selects every endpoint of {host}"),
        CatalogEntry(code: DiagnosticCode("FJ2117"), name: "conflicting-gateways", severity: .error, summary: "two Gateways on one workload claim the same host on the same port, and Istio keeps only one server", message: "gateways {gateway} and {other} both claim host {host} on port {port} of the same workloads"),
        CatalogEntry(code: DiagnosticCode("FJ2118"), name: "duplicate-service-entry", severity: .warning, summary: "two ServiceEntries visible together define the same host and port (an error when their protocols differ)", message: "host {host} port {port} is also defined by ServiceEntry {other}"),
        CatalogEntry(code: DiagnosticCode("FJ2119"), name: "unknown-egress-host", severity: .warning, summary: "a Sidecar egress host that matches no Service or ServiceEntry of its namespace, so it imports nothing", message: "egress host {host} matches no Service or ServiceEntry"),
        CatalogEntry(code: DiagnosticCode("FJ2120"), name: "root-sidecar-selector", severity: .warning, summary: "a Sidecar in the root namespace with a workload selector, which Istio does not use as the mesh default", message: "Sidecar in the root namespace {namespace} has a workload selector"),
        CatalogEntry(code: DiagnosticCode("FJ2121"), name: "service-port-without-container-port", severity: .warning, summary: "a Service port whose target port none of the selected workloads' containers declares", message: "target port {port} of Service port {name} is declared by no container of {workloads}"),
        CatalogEntry(code: DiagnosticCode("FJ3001"), name: "plaintext-client-to-strict", severity: .error, summary: "a workload without a sidecar calls a workload whose PeerAuthentication is STRICT, and its plaintext calls are refused", message: "{client} has no sidecar but calls {service} on port {port}, which {policy} makes STRICT"),
        CatalogEntry(code: DiagnosticCode("FJ3002"), name: "tls-disabled-toward-strict", severity: .error, summary: "a DestinationRule sends plaintext or simple TLS toward workloads whose PeerAuthentication is STRICT", message: "TLS mode {mode} sends {what} to {host} ({ports}), which {policy} makes STRICT"),
        CatalogEntry(code: DiagnosticCode("FJ3003"), name: "istio-mutual-without-sidecar", severity: .error, summary: "a DestinationRule sets `ISTIO_MUTUAL` toward workloads without a sidecar, which cannot answer mutual TLS", message: "TLS mode `ISTIO_MUTUAL` toward {host} ({ports}), whose workloads {workloads} have no sidecar"),
        CatalogEntry(code: DiagnosticCode("FJ3004"), name: "ignored-peer-authentication", severity: .warning, summary: "a PeerAuthentication that Istio ignores because an older one applies at the same level, or a selector in the root namespace", message: "{policy} is ignored: {reason}"),
        CatalogEntry(code: DiagnosticCode("FJ3098"), name: "identity-rule-without-mtls", severity: .error, summary: "an AuthorizationPolicy rule on caller identities (principals, namespaces, service accounts) at a workload that accepts plaintext on that port, so it cannot match plaintext callers (an error for DENY, a warning for ALLOW)", message: "{field} needs the caller's mTLS identity, but {port}workload {workload} is {mode}: {consequence}"),
        CatalogEntry(code: DiagnosticCode("FJ3099"), name: "custom-authorization-not-enforced", severity: .info, summary: "a CUSTOM AuthorizationPolicy, decided by an external authorizer that fjord-proxy does not call", message: "this CUSTOM policy {provider}is decided by an external authorizer, which fjord-proxy does not call"),
        CatalogEntry(code: DiagnosticCode("FJ4001"), name: "residency-violation", severity: .error, summary: "personal data can reach a location outside the jurisdictions its ResidencyPolicy allows", message: "personal data from {source} ({location}) can reach {destination} in {place}, outside the allowed jurisdictions ({allowed})"),
        CatalogEntry(code: DiagnosticCode("FJ4002"), name: "unknown-location", severity: .warning, summary: "personal data can reach a place whose location cannot be established, so residency is not proved", message: "personal data from {source} ({location}) can reach {destination}, whose location cannot be established; residency is not proved"),
        CatalogEntry(code: DiagnosticCode("FJ4003"), name: "conditional-adequacy", severity: .warning, summary: "a path of personal data relies on a conditional adequacy decision, such as the EU-US Data Privacy Framework", message: "personal data from {source} ({location}) can reach {destination} in {place}, allowed only under the conditional adequacy decision for {country}{attestation}"),
        CatalogEntry(code: DiagnosticCode("FJ4004"), name: "invalid-residency-policy", severity: .error, summary: "a ResidencyPolicy names an unknown jurisdiction, misapplies an attestation or selects nothing", message: "{problem}"),
        CatalogEntry(code: DiagnosticCode("FJ5001"), name: "split-automaton", severity: .info, summary: "a virtual host's conditions on one attribute do not fit one automaton and are tested by several", message: "the {attribute} conditions of {host} are split over several automata; lookup tests each"),
        CatalogEntry(code: DiagnosticCode("FJ5002"), name: "uncompilable-routes", severity: .error, summary: "the routes of a virtual host cannot be compiled within the table's limits", message: "cannot compile the routes of {host}: {reason}"),
        CatalogEntry(code: DiagnosticCode("FJ5003"), name: "invalid-table-image", severity: .error, summary: "a table image that is truncated, corrupted or of another format version", message: "{path} is not a valid table image: {reason}"),
    ]
}

extension DiagnosticCode {
    /// FJ1001: the input is not well-formed YAML
    public static let yamlSyntax = DiagnosticCode("FJ1001")
    /// FJ1002: a mapping holds the same key twice and only the last value takes effect
    public static let duplicateKey = DiagnosticCode("FJ1002")
    /// FJ1003: a field that the resource's schema does not define
    public static let unknownField = DiagnosticCode("FJ1003")
    /// FJ1004: a value has the wrong type or is not one of the allowed values
    public static let invalidValue = DiagnosticCode("FJ1004")
    /// FJ1005: an input exceeds a size, depth or alias-expansion limit
    public static let inputLimit = DiagnosticCode("FJ1005")
    /// FJ1006: a regular expression that RE2 rejects
    public static let invalidRegex = DiagnosticCode("FJ1006")
    /// FJ1007: a resource of a kind Fjord does not model is skipped
    public static let unknownKind = DiagnosticCode("FJ1007")
    /// FJ1008: an input path cannot be read
    public static let unreadableInput = DiagnosticCode("FJ1008")
    /// FJ1009: a required field is missing
    public static let missingField = DiagnosticCode("FJ1009")
    /// FJ1010: a field that Istio has deprecated
    public static let deprecatedField = DiagnosticCode("FJ1010")
    /// FJ1011: fields that exclude each other are set together
    public static let conflictingFields = DiagnosticCode("FJ1011")
    /// FJ1012: a known kind with an apiVersion Fjord does not accept
    public static let unsupportedApiVersion = DiagnosticCode("FJ1012")
    /// FJ1013: the same resource is defined twice and the later definition replaces the earlier
    public static let duplicateResource = DiagnosticCode("FJ1013")
    /// FJ1014: an input holds no resources
    public static let emptyInput = DiagnosticCode("FJ1014")
    /// FJ1015: a duration shorter than 1 ms or finer than millisecond precision
    public static let invalidDuration = DiagnosticCode("FJ1015")
    /// FJ1016: a port number outside 1 to 65535
    public static let invalidPort = DiagnosticCode("FJ1016")
    /// FJ1017: a DestinationRule defines the same subset name twice
    public static let duplicateSubset = DiagnosticCode("FJ1017")
    /// FJ1018: an HTTP rule combines actions that exclude each other
    public static let conflictingActions = DiagnosticCode("FJ1018")
    /// FJ1019: an HTTP rule has no route, redirect, direct response or delegate
    public static let missingAction = DiagnosticCode("FJ1019")
    /// FJ1020: a `retryOn` condition Envoy does not know
    public static let unknownRetryCondition = DiagnosticCode("FJ1020")
    /// FJ1021: port-level mTLS in a PeerAuthentication without a workload selector
    public static let portMtlsWithoutSelector = DiagnosticCode("FJ1021")
    /// FJ1022: a host name Istio rejects
    public static let invalidHost = DiagnosticCode("FJ1022")
    /// FJ1023: a header name that cannot be matched or edited
    public static let invalidHeaderName = DiagnosticCode("FJ1023")
    /// FJ1024: a percentage outside 0 to 100
    public static let invalidPercentage = DiagnosticCode("FJ1024")
    /// FJ1025: an HTTP status code Istio does not accept in this place
    public static let invalidStatusCode = DiagnosticCode("FJ1025")
    /// FJ1026: a fault injection that injects nothing
    public static let invalidFault = DiagnosticCode("FJ1026")
    /// FJ1027: locality load-balancing settings Istio rejects
    public static let invalidLocalityLb = DiagnosticCode("FJ1027")
    /// FJ1028: client TLS settings that do not fit their mode
    public static let invalidTlsSettings = DiagnosticCode("FJ1028")
    /// FJ1029: a VirtualService without routes, or a delegate with fields only a root may have
    public static let invalidVirtualService = DiagnosticCode("FJ1029")
    /// FJ1030: a delegate VirtualService that delegates again (Istio supports one level)
    public static let nestedDelegate = DiagnosticCode("FJ1030")
    /// FJ1031: a subset or object name that Istio or the Kubernetes API server rejects (not a DNS-1123 label or subdomain as required)
    public static let invalidName = DiagnosticCode("FJ1031")
    /// FJ1032: two HTTP rules of one VirtualService share a name
    public static let duplicateRouteName = DiagnosticCode("FJ1032")
    /// FJ1033: an `exportTo` list Istio rejects
    public static let invalidExportTo = DiagnosticCode("FJ1033")
    /// FJ1034: a count or limit that cannot be negative
    public static let negativeValue = DiagnosticCode("FJ1034")
    /// FJ1035: a redirect that changes nothing
    public static let emptyRedirect = DiagnosticCode("FJ1035")
    /// FJ1036: a policy block without any setting
    public static let emptyPolicy = DiagnosticCode("FJ1036")
    /// FJ1037: a TLS route whose match cannot select traffic
    public static let invalidTlsRoute = DiagnosticCode("FJ1037")
    /// FJ1038: a ServiceEntry whose addresses, endpoints or selectors do not fit its resolution
    public static let invalidServiceEntry = DiagnosticCode("FJ1038")
    /// FJ1039: the same port number or port name is declared twice
    public static let duplicatePort = DiagnosticCode("FJ1039")
    /// FJ1040: an AuthorizationPolicy source that mixes exclusive fields
    public static let invalidAuthorizationPolicy = DiagnosticCode("FJ1040")
    /// FJ1041: a Helm chart, Helm template or kustomize directory that must be rendered before it is checked
    public static let unrenderedInput = DiagnosticCode("FJ1041")
    /// FJ2001: the destination weights of a route with several destinations do not sum to 100
    public static let weightsNot100 = DiagnosticCode("FJ2001")
    /// FJ2002: a routing rule that no request can reach, because earlier rules take every request it matches
    public static let unreachableRule = DiagnosticCode("FJ2002")
    /// FJ2003: a match block that can never be the one that matches
    public static let ineffectiveMatch = DiagnosticCode("FJ2003")
    /// FJ2004: several VirtualServices bind one host for sidecars and only the first takes effect
    public static let conflictingVirtualServices = DiagnosticCode("FJ2004")
    /// FJ2005: negative destination weights, or several destinations that are all weight 0
    public static let invalidWeights = DiagnosticCode("FJ2005")
    /// FJ2006: a delegate rule whose match conflicts with its root rule and that Istio drops silently
    public static let delegateConflict = DiagnosticCode("FJ2006")
    /// FJ2007: rules whose reachability was not analysed, because their automata or diagrams exceed the analysis budget
    public static let unanalysedRule = DiagnosticCode("FJ2007")
    /// FJ2101: a destination or mirror host that no Service, ServiceEntry or WorkloadEntry defines, or that is not visible where the route applies
    public static let unknownHost = DiagnosticCode("FJ2101")
    /// FJ2102: a destination subset that no DestinationRule for its host defines
    public static let unknownSubset = DiagnosticCode("FJ2102")
    /// FJ2103: a DestinationRule subset whose labels select none of the service's workloads
    public static let emptySubset = DiagnosticCode("FJ2103")
    /// FJ2104: an HTTP route without a timeout, so a slow upstream holds the request forever
    public static let missingTimeout = DiagnosticCode("FJ2104")
    /// FJ2105: a destination port that the destination service does not expose
    public static let unknownDestinationPort = DiagnosticCode("FJ2105")
    /// FJ2106: a VirtualService bound to a Gateway that does not exist
    public static let unknownGateway = DiagnosticCode("FJ2106")
    /// FJ2107: several DestinationRules of one namespace configure the same host and Istio merges them, ignoring parts of the newer
    public static let duplicateDestinationRule = DiagnosticCode("FJ2107")
    /// FJ2108: an `exportTo` entry names a namespace that the inputs do not declare
    public static let exportToUnknownNamespace = DiagnosticCode("FJ2108")
    /// FJ2109: a rule delegates to a VirtualService that does not exist or cannot be a delegate
    public static let unknownDelegate = DiagnosticCode("FJ2109")
    /// FJ2110: the tries a retry policy allows do not fit in the route timeout, so the last ones never run
    public static let retriesExceedTimeout = DiagnosticCode("FJ2110")
    /// FJ2111: a VirtualService bound to a Gateway none of whose servers accepts any of its hosts, so the gateway never uses it
    public static let hostNotOnGateway = DiagnosticCode("FJ2111")
    /// FJ2112: a workload selector (Sidecar, PeerAuthentication, RequestAuthentication, AuthorizationPolicy, Gateway) matches no workload in the inputs, so the resource applies to nothing
    public static let selectorMatchesNoWorkload = DiagnosticCode("FJ2112")
    /// FJ2113: several Sidecars without a workload selector in one namespace, and Istio applies an arbitrary one
    public static let severalNamespaceSidecars = DiagnosticCode("FJ2113")
    /// FJ2114: several Sidecars select one workload, and Istio applies an arbitrary one
    public static let severalSidecarsForWorkload = DiagnosticCode("FJ2114")
    /// FJ2115: a DestinationRule whose host matches no Service, ServiceEntry or WorkloadEntry, so it configures nothing
    public static let unknownDestinationRuleHost = DiagnosticCode("FJ2115")
    /// FJ2116: a DestinationRule subset without labels, which selects every endpoint of the host
    public static let subsetWithoutLabels = DiagnosticCode("FJ2116")
    /// FJ2117: two Gateways on one workload claim the same host on the same port, and Istio keeps only one server
    public static let conflictingGateways = DiagnosticCode("FJ2117")
    /// FJ2118: two ServiceEntries visible together define the same host and port (an error when their protocols differ)
    public static let duplicateServiceEntry = DiagnosticCode("FJ2118")
    /// FJ2119: a Sidecar egress host that matches no Service or ServiceEntry of its namespace, so it imports nothing
    public static let unknownEgressHost = DiagnosticCode("FJ2119")
    /// FJ2120: a Sidecar in the root namespace with a workload selector, which Istio does not use as the mesh default
    public static let rootSidecarSelector = DiagnosticCode("FJ2120")
    /// FJ2121: a Service port whose target port none of the selected workloads' containers declares
    public static let servicePortWithoutContainerPort = DiagnosticCode("FJ2121")
    /// FJ3001: a workload without a sidecar calls a workload whose PeerAuthentication is STRICT, and its plaintext calls are refused
    public static let plaintextClientToStrict = DiagnosticCode("FJ3001")
    /// FJ3002: a DestinationRule sends plaintext or simple TLS toward workloads whose PeerAuthentication is STRICT
    public static let tlsDisabledTowardStrict = DiagnosticCode("FJ3002")
    /// FJ3003: a DestinationRule sets `ISTIO_MUTUAL` toward workloads without a sidecar, which cannot answer mutual TLS
    public static let istioMutualWithoutSidecar = DiagnosticCode("FJ3003")
    /// FJ3004: a PeerAuthentication that Istio ignores because an older one applies at the same level, or a selector in the root namespace
    public static let ignoredPeerAuthentication = DiagnosticCode("FJ3004")
    /// FJ3098: an AuthorizationPolicy rule on caller identities (principals, namespaces, service accounts) at a workload that accepts plaintext on that port, so it cannot match plaintext callers (an error for DENY, a warning for ALLOW)
    public static let identityRuleWithoutMtls = DiagnosticCode("FJ3098")
    /// FJ3099: a CUSTOM AuthorizationPolicy, decided by an external authorizer that fjord-proxy does not call
    public static let customAuthorizationNotEnforced = DiagnosticCode("FJ3099")
    /// FJ4001: personal data can reach a location outside the jurisdictions its ResidencyPolicy allows
    public static let residencyViolation = DiagnosticCode("FJ4001")
    /// FJ4002: personal data can reach a place whose location cannot be established, so residency is not proved
    public static let unknownLocation = DiagnosticCode("FJ4002")
    /// FJ4003: a path of personal data relies on a conditional adequacy decision, such as the EU-US Data Privacy Framework
    public static let conditionalAdequacy = DiagnosticCode("FJ4003")
    /// FJ4004: a ResidencyPolicy names an unknown jurisdiction, misapplies an attestation or selects nothing
    public static let invalidResidencyPolicy = DiagnosticCode("FJ4004")
    /// FJ5001: a virtual host's conditions on one attribute do not fit one automaton and are tested by several
    public static let splitAutomaton = DiagnosticCode("FJ5001")
    /// FJ5002: the routes of a virtual host cannot be compiled within the table's limits
    public static let uncompilableRoutes = DiagnosticCode("FJ5002")
    /// FJ5003: a table image that is truncated, corrupted or of another format version
    public static let invalidTableImage = DiagnosticCode("FJ5003")
}
