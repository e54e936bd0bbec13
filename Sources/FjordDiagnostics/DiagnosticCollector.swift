import FjordSource

/// Collects diagnostics, applies suppressions and counts by severity.
///
/// Not thread-safe: one collector belongs to one run of the compiler driver.
public final class DiagnosticCollector {
    public private(set) var diagnostics: [Diagnostic] = []
    /// Stop collecting after this many errors (0: no limit).
    public var errorLimit: Int
    public private(set) var suppressedCount = 0
    public private(set) var truncated = false
    /// Decides whether a diagnostic is suppressed (for example by a `fjord.dev/ignore` annotation).
    public var suppression: ((Diagnostic) -> Bool)?

    public init(errorLimit: Int = 0) {
        self.errorLimit = errorLimit
    }

    public func emit(_ d: Diagnostic) {
        if let suppression, suppression(d) {
            suppressedCount += 1
            return
        }
        if errorLimit > 0, d.severity == .error, count(.error) >= errorLimit {
            truncated = true
            return
        }
        diagnostics.append(d)
    }

    public var consumer: DiagnosticConsumer { { [unowned self] in self.emit($0) } }

    public func count(_ severity: Severity) -> Int {
        diagnostics.reduce(0) { $0 + ($1.severity == severity ? 1 : 0) }
    }

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    public func sorted() -> [Diagnostic] {
        diagnostics.sorted(by: Diagnostic.sourceOrder)
    }
}
