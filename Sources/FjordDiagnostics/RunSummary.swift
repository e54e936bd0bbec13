/// What one run looked at and what it found: the figures behind the final summary line of the
/// text output and the `summary` object of the JSON output.
public struct RunSummary: Sendable, Hashable {
    /// How many input files were read.
    public var files: Int
    /// How many resources (YAML documents that decoded to a kind) were read.
    public var resources: Int
    /// Wall-clock time of the run, when the caller measured it.
    public var durationSeconds: Double?
    /// Reported errors (suppressed diagnostics are not counted).
    public var errors: Int
    /// Reported warnings.
    public var warnings: Int
    /// Reported infos.
    public var infos: Int
    /// Diagnostics that a suppression (for example a `fjord.dev/ignore` annotation) silenced.
    public var suppressed: Int

    /// A summary whose counts by severity are taken from `diagnostics`.
    public init(
        files: Int,
        resources: Int,
        durationSeconds: Double? = nil,
        suppressed: Int = 0,
        diagnostics: [Diagnostic]
    ) {
        var counts = [0, 0, 0]
        for d in diagnostics { counts[d.severity.rawValue] += 1 }
        self.init(
            files: files, resources: resources, durationSeconds: durationSeconds,
            errors: counts[Severity.error.rawValue], warnings: counts[Severity.warning.rawValue],
            infos: counts[Severity.info.rawValue], suppressed: suppressed)
    }

    /// A summary with explicit counts.
    public init(
        files: Int,
        resources: Int,
        durationSeconds: Double? = nil,
        errors: Int,
        warnings: Int,
        infos: Int,
        suppressed: Int = 0
    ) {
        self.files = files
        self.resources = resources
        self.durationSeconds = durationSeconds
        self.errors = errors
        self.warnings = warnings
        self.infos = infos
        self.suppressed = suppressed
    }

    /// The number of reported diagnostics of `severity`.
    public func count(_ severity: Severity) -> Int {
        switch severity {
        case .error: errors
        case .warning: warnings
        case .info: infos
        }
    }

    /// All reported diagnostics.
    public var total: Int { errors + warnings + infos }

    /// The duration in milliseconds, rounded to the microsecond (`38.215`), or nil when the
    /// duration is unknown or not a finite, non-negative number.
    var durationMilliseconds: Double? {
        guard let s = durationSeconds, s.isFinite, s >= 0, s < 1e12 else { return nil }
        return (s * 1_000_000).rounded() / 1000
    }

    /// The last line of the text output, without colour:
    /// `3 errors, 1 warning in 6 files (41 resources) in 38 ms`, or
    /// `no problems found in 6 files (41 resources)`.
    ///
    /// Only non-zero severities are listed; the suppressed count and the duration appear only
    /// when they are known and non-zero.
    public var line: String {
        var parts: [String] = []
        if errors > 0 { parts.append(counted(errors, "error", "errors")) }
        if warnings > 0 { parts.append(counted(warnings, "warning", "warnings")) }
        if infos > 0 { parts.append(counted(infos, "info", "infos")) }
        var s = parts.isEmpty ? "no problems found" : parts.joined(separator: ", ")
        s += " in " + counted(files, "file", "files") + " (" + counted(resources, "resource", "resources") + ")"
        if let ms = durationMilliseconds { s += " in " + Self.formatDuration(milliseconds: ms) }
        if suppressed > 0 { s += " (\(suppressed) suppressed)" }
        return s
    }

    /// `38 ms` below a second (`<1 ms` when it rounds to zero), `1.24 s` from a second on.
    static func formatDuration(milliseconds ms: Double) -> String {
        if ms < 999.5 {
            let whole = Int(ms.rounded())
            return whole == 0 ? "<1 ms" : "\(whole) ms"
        }
        let hundredths = Int((ms / 10).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction) s"
    }
}

/// `1 file`, `2 files`, `0 files`.
func counted(_ n: Int, _ singular: String, _ plural: String) -> String {
    "\(n) \(n == 1 ? singular : plural)"
}
