import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ1020: `retryOn` is a comma-separated list of Envoy retry conditions and status codes.
public enum RetryOnCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "unknown-retry-condition", codes: [.unknownRetryCondition],
        summary: "`retryOn` conditions Envoy does not know",
        inputs: [.virtualService])

    /// Envoy's HTTP and gRPC retry conditions that Istio passes through.
    public static let knownConditions: [String] = [
        "5xx", "gateway-error", "reset", "reset-before-request", "connect-failure", "envoy-ratelimited",
        "retriable-4xx",
        "refused-stream", "retriable-status-codes", "retriable-headers", "http3-post-connect-failure",
        "cancelled", "deadline-exceeded", "internal", "resource-exhausted", "unavailable",
    ]

    public static func run(_ ctx: CheckContext) {
        for (vs, r) in ctx.resources.httpRoutes {
            guard let retryOn = r.retries?.retryOn else { continue }
            var offset = 0
            for raw in retryOn.value.split(separator: ",", omittingEmptySubsequences: false) {
                let token = String(raw).trimmingCharacters(in: " ")
                let leading = raw.prefix { $0 == " " }.count
                let at = subrange(
                    of: retryOn.range, text: retryOn.value, offset: offset + leading, length: token.unicodeScalars.count
                )
                offset += raw.unicodeScalars.count + 1
                if token.isEmpty {
                    ctx.report(.unknownRetryCondition, "`retryOn` has an empty condition", at: retryOn.range, in: vs)
                    continue
                }
                if let code = Int(token) {
                    if code < 100 || code > 599 {
                        ctx.report(
                            .unknownRetryCondition, "retry status code \(quoted(token)) is not an HTTP status", at: at,
                            in: vs)
                    }
                    continue
                }
                guard !knownConditions.contains(token) else { continue }
                var notes: [Note] = []
                var fix: FixIt?
                let close = knownConditions.min { editDistance(token, $0) < editDistance(token, $1) }
                if let close, editDistance(token, close) <= 3 {
                    fix = FixIt("did you mean \(quoted(close))?", replacement: close, at: at)
                } else {
                    notes.append(
                        Note(
                            "known conditions: " + knownConditions.joined(separator: ", ") + ", or an HTTP status code")
                    )
                }
                ctx.report(
                    .unknownRetryCondition, "unknown retry condition \(quoted(token))", at: at, in: vs, notes: notes,
                    fix: fix)
            }
        }
    }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s.removeFirst() }
        while s.last == set { s.removeLast() }
        return String(s)
    }
}
