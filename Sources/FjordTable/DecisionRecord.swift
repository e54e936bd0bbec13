/// A routing decision as plain data: what the reference semantics answers, what a compiled table
/// answers, and what `fjord explain` prints. Two implementations agree when their records are
/// equal.
public struct DecisionRecord: Hashable, Sendable, CustomStringConvertible {
    public enum Outcome: String, Hashable, Sendable {
        /// A VirtualService rule matched.
        case matched
        /// The host has no VirtualService: Istio's default route to the service.
        case defaultRoute
        /// The host has VirtualService rules but none matched: 404.
        case noRoute
        /// The host is unknown and the outbound policy is ALLOW_ANY: forwarded as addressed.
        case passthrough
        /// The host is unknown and the outbound policy is REGISTRY_ONLY: 502.
        case blackhole
    }

    public var outcome: Outcome
    /// The virtual host the authority selected (an FQDN or a gateway host pattern).
    public var host: String?
    public var rule: RuleRef?
    public var action: ActionRecord?

    public init(outcome: Outcome, host: String? = nil, rule: RuleRef? = nil, action: ActionRecord? = nil) {
        self.outcome = outcome
        self.host = host
        self.rule = rule
        self.action = action
    }

    public var description: String {
        var s = outcome.rawValue
        if let host { s += " host=\(host)" }
        if let rule { s += " \(rule)" }
        if let action { s += " -> \(action)" }
        return s
    }
}

/// Which rule decided: a VirtualService and the index of the rule in its `http` list, and for a
/// delegated rule the delegate VirtualService and its rule index too.
public struct RuleRef: Hashable, Sendable, CustomStringConvertible {
    /// `namespace/name` of the root VirtualService.
    public var virtualService: String
    public var index: Int
    public var name: String?
    /// `namespace/name` of the delegate, when the rule came from one.
    public var delegate: String?
    public var delegateIndex: Int?

    public init(virtualService: String, index: Int, name: String?, delegate: String? = nil, delegateIndex: Int? = nil) {
        self.virtualService = virtualService
        self.index = index
        self.name = name
        self.delegate = delegate
        self.delegateIndex = delegateIndex
    }

    public var description: String {
        var s = "\(virtualService)#\(index)"
        if let name { s += "(\(name))" }
        if let delegate, let delegateIndex { s += " via \(delegate)#\(delegateIndex)" }
        return s
    }
}

public struct DestinationRecord: Hashable, Sendable, CustomStringConvertible {
    public var host: String
    public var subset: String?
    public var port: Int?
    /// Share of traffic in percent of the rule's total weight (weights as written; one
    /// destination alone is 100).
    public var weight: Int
    /// This destination's own header operations (`route[].headers`), applied before the
    /// rule's (Envoy's weighted-cluster level, which the route level overrides).
    public var requestHeaders: HeaderOpsRecord
    public var responseHeaders: HeaderOpsRecord

    public init(
        host: String, subset: String?, port: Int?, weight: Int,
        requestHeaders: HeaderOpsRecord = HeaderOpsRecord(), responseHeaders: HeaderOpsRecord = HeaderOpsRecord()
    ) {
        self.host = host
        self.subset = subset
        self.port = port
        self.weight = weight
        self.requestHeaders = requestHeaders
        self.responseHeaders = responseHeaders
    }

    public var description: String {
        "\(host)\(subset.map { " subset \($0)" } ?? "")\(port.map { ":\($0)" } ?? "") (\(weight))"
    }
}

public struct MirrorRecord: Hashable, Sendable {
    public var destination: DestinationRecord
    /// 0-100.
    public var percentage: Double
    public init(destination: DestinationRecord, percentage: Double) {
        self.destination = destination
        self.percentage = percentage
    }
}

public struct HeaderOpsRecord: Hashable, Sendable {
    public var set: [HeaderPair]
    public var add: [HeaderPair]
    public var remove: [String]
    public init(set: [HeaderPair] = [], add: [HeaderPair] = [], remove: [String] = []) {
        self.set = set
        self.add = add
        self.remove = remove
    }
    public var isEmpty: Bool { self.set.isEmpty && self.add.isEmpty && self.remove.isEmpty }
}

public struct HeaderPair: Hashable, Sendable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

public struct RetryRecord: Hashable, Sendable {
    /// Retries after the first try (0: none).
    public var attempts: Int
    public var perTryTimeoutMs: Int?
    public var retryOn: String
    public var backoffMs: Int?
    public init(attempts: Int, perTryTimeoutMs: Int?, retryOn: String, backoffMs: Int? = nil) {
        self.attempts = attempts
        self.perTryTimeoutMs = perTryTimeoutMs
        self.retryOn = retryOn
        self.backoffMs = backoffMs
    }
    /// Istio's default when a route sets no `retries`.
    public static let istioDefault = RetryRecord(
        attempts: 2, perTryTimeoutMs: nil,
        retryOn: "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes")
    public static let none = RetryRecord(attempts: 0, perTryTimeoutMs: nil, retryOn: "")
}

public struct FaultRecord: Hashable, Sendable {
    public var delayMs: Int?
    public var delayPercentage: Double
    public var abortStatus: Int?
    public var abortGrpcStatus: String?
    public var abortPercentage: Double
    public init(
        delayMs: Int?, delayPercentage: Double, abortStatus: Int?, abortGrpcStatus: String?, abortPercentage: Double
    ) {
        self.delayMs = delayMs
        self.delayPercentage = delayPercentage
        self.abortStatus = abortStatus
        self.abortGrpcStatus = abortGrpcStatus
        self.abortPercentage = abortPercentage
    }
}

public struct RedirectRecord: Hashable, Sendable {
    public var uri: String?
    public var authority: String?
    public var scheme: String?
    public var port: Int?
    /// `FROM_PROTOCOL_DEFAULT` or `FROM_REQUEST_PORT`.
    public var derivePort: String?
    public var code: Int
    public init(uri: String?, authority: String?, scheme: String?, port: Int?, derivePort: String?, code: Int) {
        self.uri = uri
        self.authority = authority
        self.scheme = scheme
        self.port = port
        self.derivePort = derivePort
        self.code = code
    }
}

public struct RewriteRecord: Hashable, Sendable {
    public var uri: String?
    public var authority: String?
    public var regexMatch: String?
    public var regexSubstitution: String?
    public init(uri: String?, authority: String?, regexMatch: String?, regexSubstitution: String?) {
        self.uri = uri
        self.authority = authority
        self.regexMatch = regexMatch
        self.regexSubstitution = regexSubstitution
    }
}

/// What happens to a matched request.
public struct ActionRecord: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable { case route, redirect, directResponse }
    public var kind: Kind
    public var destinations: [DestinationRecord]
    public var redirect: RedirectRecord?
    public var directStatus: Int?
    public var directBody: String?
    public var rewrite: RewriteRecord?
    public var requestHeaders: HeaderOpsRecord
    public var responseHeaders: HeaderOpsRecord
    /// nil: no timeout (Istio's default).
    public var timeoutMs: Int?
    public var retries: RetryRecord
    public var fault: FaultRecord?
    public var mirrors: [MirrorRecord]

    public init(
        kind: Kind, destinations: [DestinationRecord] = [], redirect: RedirectRecord? = nil, directStatus: Int? = nil,
        directBody: String? = nil, rewrite: RewriteRecord? = nil, requestHeaders: HeaderOpsRecord = HeaderOpsRecord(),
        responseHeaders: HeaderOpsRecord = HeaderOpsRecord(), timeoutMs: Int? = nil,
        retries: RetryRecord = .istioDefault,
        fault: FaultRecord? = nil, mirrors: [MirrorRecord] = []
    ) {
        self.kind = kind
        self.destinations = destinations
        self.redirect = redirect
        self.directStatus = directStatus
        self.directBody = directBody
        self.rewrite = rewrite
        self.requestHeaders = requestHeaders
        self.responseHeaders = responseHeaders
        self.timeoutMs = timeoutMs
        self.retries = retries
        self.fault = fault
        self.mirrors = mirrors
    }

    public var description: String {
        switch kind {
        case .route: return destinations.map(\.description).joined(separator: ", ")
        case .redirect: return "redirect \(redirect?.code ?? 301)"
        case .directResponse: return "direct response \(directStatus ?? 0)"
        }
    }
}
