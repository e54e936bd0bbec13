import Dispatch
import FjordDecision
import FjordDiagnostics
import FjordModel

/// A finding's identity across two versions of the inputs: its code, the resource it is about,
/// and its message with positions taken out. Moving a document, reordering keys or adding lines
/// above a finding keeps its key; changing what it says about the mesh does not.
public struct FindingKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var code: String
    public var resource: String
    public var text: String

    public init(_ d: Diagnostic) {
        code = d.code.rawValue
        resource = d.resource?.description ?? ""
        text = FindingKey.positionFree(d.message)
    }

    public var description: String { "\(code) \(resource): \(text)" }

    public static func < (a: FindingKey, b: FindingKey) -> Bool {
        (a.code, a.resource, a.text) < (b.code, b.resource, b.text)
    }

    /// `message` with line numbers (`line 18`, `(line 18)`) and file positions
    /// (`mesh/a.yaml:12:3`, `a.yaml:27`) replaced by `_`.
    public static func positionFree(_ message: String) -> String {
        var out = ""
        var word = ""
        func flush() {
            out += stripPosition(word)
            word = ""
        }
        for ch in message {
            if ch == " " || ch == "(" || ch == ")" || ch == "," || ch == "`" {
                flush()
                out.append(ch)
            } else {
                word.append(ch)
            }
        }
        flush()
        // `line 18` -> `line _`
        var result = ""
        var rest = Substring(out)
        while let r = rest.firstRange(of: "line ") {
            result += rest[..<r.upperBound]
            rest = rest[r.upperBound...]
            let digits = rest.prefix(while: \.isNumber)
            if !digits.isEmpty {
                result += "_"
                rest = rest.dropFirst(digits.count)
            }
        }
        return result + rest
    }

    /// `path.yaml:12:3` -> `path.yaml:_`; any other word unchanged.
    static func stripPosition(_ word: String) -> String {
        guard let colon = word.firstIndex(of: ":") else { return word }
        let head = word[..<colon]
        let tail = word[word.index(after: colon)...]
        guard head.hasSuffix(".yaml") || head.hasSuffix(".yml") || head == "<stdin>",
            !tail.isEmpty, tail.allSatisfy({ $0.isNumber || $0 == ":" })
        else { return word }
        return head + ":_"
    }
}

/// Findings of a new state compared with an old one by `FindingKey`, as multisets (two equal
/// findings in OLD and three in NEW make one new).
public struct FindingsDiff: Sendable {
    /// In NEW and not in OLD, in NEW's source order.
    public var added: [Diagnostic]
    /// In OLD and not in NEW, in OLD's source order.
    public var removed: [Diagnostic]

    public init(old: [Diagnostic], new: [Diagnostic]) {
        func subtract(_ a: [Diagnostic], _ b: [Diagnostic]) -> [Diagnostic] {
            var counts: [FindingKey: Int] = [:]
            for d in b { counts[FindingKey(d), default: 0] += 1 }
            var out: [Diagnostic] = []
            for d in a {
                let k = FindingKey(d)
                if let c = counts[k], c > 0 {
                    counts[k] = c - 1
                } else {
                    out.append(d)
                }
            }
            return out
        }
        added = subtract(new, old)
        removed = subtract(old, new)
    }
}

/// The result of `fjord diff`.
public struct DiffResult: Sendable {
    public var old: CheckResult
    public var new: CheckResult
    public var routes: RouteDiff.Result
    public var findings: FindingsDiff
    public var durationSeconds: Double

    public var inputFailed: Bool { old.inputFailed || new.inputFailed }

    /// Codes whose appearance or disappearance says a rule became unreachable or reachable.
    public static let reachabilityCodes: Set<String> = ["FJ2002", "FJ2003"]
    /// Codes of residency paths (personal data reaching a place outside, or not proved inside,
    /// the allowed jurisdictions).
    public static let residencyCodes: Set<String> = ["FJ4001", "FJ4002", "FJ4003"]
    /// Codes of call edges that mutual TLS breaks.
    public static let mtlsCodes: Set<String> = ["FJ3001", "FJ3002", "FJ3003"]

    public var newlyUnreachable: [Diagnostic] {
        findings.added.filter { Self.reachabilityCodes.contains($0.code.rawValue) }
    }
    public var reachableAgain: [Diagnostic] {
        findings.removed.filter { Self.reachabilityCodes.contains($0.code.rawValue) }
    }
    public var residencyOpened: [Diagnostic] {
        findings.added.filter { Self.residencyCodes.contains($0.code.rawValue) }
    }
    public var residencyClosed: [Diagnostic] {
        findings.removed.filter { Self.residencyCodes.contains($0.code.rawValue) }
    }
    public var mtlsBroken: [Diagnostic] { findings.added.filter { Self.mtlsCodes.contains($0.code.rawValue) } }
    public var mtlsRepaired: [Diagnostic] { findings.removed.filter { Self.mtlsCodes.contains($0.code.rawValue) } }

    /// Whether traffic behaves differently: a changed request class, a scope added or removed, a
    /// destination policy that changed, a residency path or an mTLS edge opened or closed, or a
    /// rule that became unreachable or reachable.
    public var behaviourChanged: Bool {
        routes.changesRouting || !routes.destinationPolicyChanges.isEmpty || !residencyOpened.isEmpty
            || !residencyClosed.isEmpty || !mtlsBroken.isEmpty || !mtlsRepaired.isEmpty
            || !newlyUnreachable.isEmpty || !reachableAgain.isEmpty
    }

    /// What `--fail-on` can ask for.
    public enum FailOn: String, Sendable, CaseIterable {
        /// Any behaviour change (the default).
        case change
        /// A new error finding.
        case newError = "new-error"
        /// A residency path opened.
        case residency
        /// Any change at all: behaviour, or any finding new or gone.
        case any
    }

    /// 2 when an input could not be read; 1 when the `failOn` condition holds; else 0.
    public func exitCode(failOn: FailOn) -> Int32 {
        if inputFailed { return 2 }
        let fail: Bool
        switch failOn {
        case .change: fail = behaviourChanged
        case .newError: fail = findings.added.contains { $0.severity == .error }
        case .residency: fail = !residencyOpened.isEmpty
        case .any: fail = behaviourChanged || !findings.added.isEmpty || !findings.removed.isEmpty
        }
        return fail ? 1 : 0
    }
}

extension CheckResult {
    /// Keeps only the findings that are not in `baseline` (by `FindingKey`): `fjord check
    /// --baseline OLD`. An unreadable baseline makes the run fail like unreadable input; the
    /// returned sentence says why (nil when the baseline was read).
    @discardableResult
    public mutating func keepOnlyNew(relativeTo baseline: CheckResult) -> String? {
        diagnostics = FindingsDiff(old: baseline.diagnostics, new: diagnostics).added
        guard baseline.inputFailed else { return nil }
        loaded.inputFailed = true
        let reasons = baseline.diagnostics.filter { $0.severity == .error }.prefix(3).map { d in
            let path = d.range.isSynthetic ? "" : baseline.sources.path(of: d.range.file) + ": "
            return path + d.message
        }
        return "the baseline could not be read" + (reasons.isEmpty ? "" : ": " + reasons.joined(separator: "; "))
    }
}

extension Driver {
    /// `fjord diff`: checks both states (side by side on two threads: the pipeline holds no
    /// shared mutable state but its locked caches) and compares their routing and findings.
    public mutating func diff(old: [String], new: [String]) -> DiffResult {
        let clock = ContinuousClock()
        let start = clock.now
        final class Sides: @unchecked Sendable {
            // Each thread writes only its own properties; `concurrentPerform` returns after both.
            var old: (CheckResult, [StageTiming])?
            var new: (CheckResult, [StageTiming])?
        }
        let sides = Sides()
        let options = self.options
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            var driver = Driver(options: options)
            if i == 0 {
                let r = driver.check(paths: old)
                sides.old = (r, driver.timings)
            } else {
                let r = driver.check(paths: new)
                sides.new = (r, driver.timings)
            }
        }
        guard let (oldResult, oldTimings) = sides.old, let (newResult, newTimings) = sides.new else {
            preconditionFailure("concurrentPerform ran both checks")
        }
        for t in newTimings { appendTiming(t) }
        for t in oldTimings { appendTiming(StageTiming(name: "old: " + t.name, seconds: t.seconds)) }
        let routes: RouteDiff.Result
        if oldResult.inputFailed || newResult.inputFailed {
            routes = RouteDiff.Result()
        } else {
            let t = clock.now
            routes = RouteDiff.compute(old: oldResult.loaded.mesh, new: newResult.loaded.mesh)
            let (s, a) = (clock.now - t).components
            appendTiming(StageTiming(name: "diff", seconds: Double(s) + Double(a) / 1e18))
        }
        let (s, a) = (clock.now - start).components
        return DiffResult(
            old: oldResult, new: newResult, routes: routes,
            findings: FindingsDiff(old: oldResult.diagnostics, new: newResult.diagnostics),
            durationSeconds: Double(s) + Double(a) / 1e18)
    }
}
