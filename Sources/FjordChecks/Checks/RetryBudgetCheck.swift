import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ2110: the tries a retry policy allows do not fit in the route timeout. `attempts` counts
/// retries (Envoy's `num_retries`), so a request gets up to `attempts + 1` tries of at most
/// `perTryTimeout` each; Envoy's route timeout bounds all of them together (and the backoff
/// between them). When `(attempts + 1) × perTryTimeout` exceeds the timeout, the last tries
/// are cut short or never start, and the caller sees a 504 where the retry policy promised
/// another try.
public enum RetryBudgetCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "retries-exceed-timeout", codes: [.retriesExceedTimeout],
        summary: "retry policies whose tries do not fit in the route timeout", inputs: [.virtualService])

    public static func run(_ ctx: CheckContext) {
        for vs in ctx.resources.virtualServices {
            for r in vs.http {
                guard let timeout = r.timeout, let retries = r.retries, let perTry = retries.perTryTimeout,
                    let attempts = retries.attempts?.value, attempts > 0, attempts < 1_000_000,
                    timeout.value >= .milliseconds(1), perTry.value >= .milliseconds(1)
                else { continue }
                let tries = attempts + 1
                // Durations beyond a year are not worth the arithmetic (and could overflow).
                guard timeout.value < .seconds(31_536_000), perTry.value < .seconds(31_536_000) else { continue }
                let total = perTry.value * tries
                guard total > timeout.value else { continue }
                let fitting = Int(timeout.value / perTry.value)
                let budget =
                    fitting >= 1
                    ? "only \(fitting) whole tr\(fitting == 1 ? "y fits" : "ies fit") in the route timeout \(formatDuration(timeout.value)): a try that times out after that is cut short and the retries after it never run, so the caller gets a 504"
                    : "`perTryTimeout` is longer than the route timeout \(formatDuration(timeout.value)): the route timeout ends the first try, and no retry after a per-try timeout ever runs"
                let suggestedPerTry = Duration.milliseconds(Int64(milliseconds(timeout.value) / Double(tries)))
                var notes: [Note] = [
                    Note(
                        "`attempts: \(attempts)` allows \(tries) tries (the first and \(attempts) retr\(attempts == 1 ? "y" : "ies")), and Envoy's route timeout bounds them all together",
                        at: retries.attempts?.range),
                    Note(budget, at: timeout.range),
                ]
                notes.append(
                    Note(
                        "the backoff between tries (25 ms base unless `retries.backoff` says otherwise) takes from the same budget"
                    ))
                ctx.report(
                    .retriesExceedTimeout,
                    "\(tries) tries of \(formatDuration(perTry.value)) take up to \(formatDuration(total)), longer than the route timeout \(formatDuration(timeout.value))",
                    at: perTry.range, in: vs, notes: notes,
                    fix: FixIt(
                        "raise `timeout` to at least \(formatDuration(total)), lower `perTryTimeout` to \(formatDuration(suggestedPerTry)), or allow fewer attempts"
                    ))
            }
        }
    }

    static func milliseconds(_ d: Duration) -> Double {
        let (s, a) = d.components
        return Double(s) * 1000 + Double(a) / 1e15
    }
}
