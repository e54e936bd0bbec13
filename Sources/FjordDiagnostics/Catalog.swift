/// One entry of the diagnostic catalog (`grammar/diagnostics.yaml`).
public struct CatalogEntry: Sendable, Hashable {
    public var code: DiagnosticCode
    /// Stable kebab-case name (`duplicate-key`).
    public var name: String
    public var severity: Severity
    public var summary: String
    /// The shape of the message with `{placeholders}`.
    public var message: String
    public var retired: Bool

    public init(
        code: DiagnosticCode, name: String, severity: Severity, summary: String, message: String, retired: Bool = false
    ) {
        self.code = code
        self.name = name
        self.severity = severity
        self.summary = summary
        self.message = message
        self.retired = retired
    }

    /// Where the code's documentation page lives, relative to the repository root.
    public var docsPath: String { "docs/diagnostics/\(code.rawValue).md" }
}

public enum DiagnosticCatalog {
    private static let byCode: [DiagnosticCode: CatalogEntry] = {
        var d: [DiagnosticCode: CatalogEntry] = [:]
        for e in entries { d[e.code] = e }
        return d
    }()

    public static func entry(for code: DiagnosticCode) -> CatalogEntry? { byCode[code] }

    /// Base URL for the documentation pages, used by SARIF `helpUri` and text output.
    public static let docsBaseURL = "https://github.com/fjord-mesh/fjord/blob/main/"
}
