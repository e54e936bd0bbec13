import FjordSource

/// Turns a run's diagnostics into one string in some output format.
///
/// Renderers are pure: they never print, never sort (the diagnostics arrive in the order the
/// caller wants, normally ``Diagnostic/sourceOrder(_:_:)``) and give the same bytes for the same
/// input. Every non-empty output ends with a newline.
public protocol DiagnosticRenderer: Sendable {
    /// Renders `diagnostics`, reading source lines and file paths from `sources`.
    func render(_ diagnostics: [Diagnostic], sources: SourceManager, summary: RunSummary) -> String
}

/// The formats `fjord check --format` offers. See `docs/output-formats.md`.
public enum OutputFormat: String, CaseIterable, Sendable {
    /// Caret diagnostics with source context for people (or one line each with
    /// ``RenderOptions/compact``).
    case text
    /// One versioned JSON document; a public interface.
    case json
    /// SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.
    case sarif
    /// JUnit XML for CI test reports: one failure per error.
    case junit
    /// GitHub Actions workflow commands (`::error file=...::message`) that become annotations.
    case github

    /// The renderer for this format.
    public func renderer(options: RenderOptions = RenderOptions()) -> any DiagnosticRenderer {
        switch self {
        case .text: TextRenderer(options: options)
        case .json: JSONRenderer(options: options)
        case .sarif: SARIFRenderer(options: options)
        case .junit: JUnitRenderer(options: options)
        case .github: GitHubRenderer(options: options)
        }
    }

    /// Renders `diagnostics` (already sorted) in this format.
    public func render(
        _ diagnostics: [Diagnostic],
        sources: SourceManager,
        summary: RunSummary,
        options: RenderOptions = RenderOptions()
    ) -> String {
        renderer(options: options).render(diagnostics, sources: sources, summary: summary)
    }
}

/// Settings shared by the renderers; each renderer reads the ones that concern it.
public struct RenderOptions: Sendable, Hashable {
    /// Text: ANSI colour and bold. The command line passes whether standard output is a terminal.
    public var color: Bool
    /// Text: one line a diagnostic (`path:line:col: severity: [CODE] message`), no source context.
    public var compact: Bool
    /// Text: source lines shown before and after each annotated line.
    public var contextLines: Int
    /// Text: tab stops are this many columns apart when tabs are expanded.
    public var tabWidth: Int
    /// Text: source lines wider than this many terminal cells are cut around the carets
    /// (0: never cut).
    public var maxLineWidth: Int
    /// Text: end with the summary line (`3 errors, 1 warning in 6 files (41 resources)`).
    public var showSummary: Bool
    /// SARIF: `tool.driver.version`.
    public var toolVersion: String
    /// SARIF: `tool.driver.informationUri`.
    public var informationURI: String
    /// SARIF and GitHub: absolute input paths below this directory are made relative to it, so
    /// that they resolve against the repository root. Relative paths are kept as they are.
    public var sourceRoot: String?

    /// Options with the given values; the defaults suit a pipe (no colour).
    public init(
        color: Bool = false,
        compact: Bool = false,
        contextLines: Int = 1,
        tabWidth: Int = 4,
        maxLineWidth: Int = 200,
        showSummary: Bool = true,
        toolVersion: String = "0.0.0-dev",
        informationURI: String = "https://github.com/fjord-mesh/fjord",
        sourceRoot: String? = nil
    ) {
        self.color = color
        self.compact = compact
        self.contextLines = contextLines
        self.tabWidth = tabWidth
        self.maxLineWidth = maxLineWidth
        self.showSummary = showSummary
        self.toolVersion = toolVersion
        self.informationURI = informationURI
        self.sourceRoot = sourceRoot
    }
}

// MARK: - Shared helpers

extension RenderOptions {
    /// A path as CI systems want it: forward slashes, no leading `./`, relative to
    /// ``sourceRoot`` when it lies below it.
    func repositoryPath(_ path: String) -> String {
        var p = String(path.map { $0 == "\\" ? "/" : $0 })
        if let root = sourceRoot, !root.isEmpty {
            var r = String(root.map { $0 == "\\" ? "/" : $0 })
            while r.count > 1, r.hasSuffix("/") { r.removeLast() }
            if p.hasPrefix(r + "/") { p.removeFirst(r.count + 1) }
        }
        while p.hasPrefix("./") {
            p.removeFirst(2)
            while p.hasPrefix("/") { p.removeFirst() }
        }
        return p
    }
}

extension Diagnostic {
    /// Whether the primary range points into a file that `sources` holds.
    func hasLocation(in sources: SourceManager) -> Bool {
        !range.isSynthetic && sources[range.file] != nil
    }
}

extension String {
    /// The first line (up to a line break) of the string.
    var firstLine: Substring {
        self[..<(firstIndex(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) ?? endIndex)]
    }
}
