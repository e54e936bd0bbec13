import FjordSource

/// Renders the public, versioned JSON document (`--format json`), documented field by field in
/// `docs/output-formats.md`:
///
/// ```json
/// {
///   "version": 1,
///   "diagnostics": [ { "code": "FJ1002", "severity": "warning", "message": "...", ... } ],
///   "summary": { "files": 1, "resources": 2, "errors": 0, "warnings": 1, ... }
/// }
/// ```
///
/// Keys appear in a fixed order, absent values are `null` (never left out), and the output is
/// pretty-printed with two spaces. Within ``JSONRenderer/version`` fields are only ever added.
public struct JSONRenderer: DiagnosticRenderer {
    /// The `version` field. Removing or changing the meaning of a field bumps it.
    public static let version = 1

    /// The settings this renderer reads.
    public var options: RenderOptions

    /// A renderer with `options` (the defaults suit a pipe).
    public init(options: RenderOptions = RenderOptions()) {
        self.options = options
    }

    /// Renders `diagnostics` in the order given; see the type's documentation for the shape.
    public func render(_ diagnostics: [Diagnostic], sources: SourceManager, summary: RunSummary) -> String {
        let document = JSONValue.object([
            ("version", .int(Self.version)),
            ("diagnostics", .array(diagnostics.map { Self.diagnostic($0, sources: sources) })),
            ("summary", Self.summary(summary)),
        ])
        return document.written() + "\n"
    }

    /// One element of the `diagnostics` array (also embedded by `fjord diff --format json`).
    public static func diagnostic(_ d: Diagnostic, sources: SourceManager) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("code", .string(d.code.rawValue)),
            ("severity", .string(d.severity.description)),
            ("message", .string(d.message)),
        ]
        members += position(d.range, sources: sources)
        members.append(("resource", d.resource.map(resource) ?? .null))
        members.append(("notes", .array(d.notes.map { note($0, sources: sources) })))
        members.append(("fix", d.fix.map { fix($0, sources: sources) } ?? .null))
        members.append(("witness", d.witness.map(witness) ?? .null))
        return .object(members)
    }

    /// `file`, `line`, `column`, `endLine`, `endColumn`; all null without a position.
    public static func position(_ range: SourceRange?, sources: SourceManager) -> [(String, JSONValue)] {
        guard let r = range, !r.isSynthetic else {
            return [("file", .null), ("line", .null), ("column", .null), ("endLine", .null), ("endColumn", .null)]
        }
        return [
            ("file", .string(sources.path(of: r.file))),
            ("line", .int(r.start.line)),
            ("column", .int(r.start.column)),
            ("endLine", .int(r.end.line)),
            ("endColumn", .int(r.end.column)),
        ]
    }

    static func resource(_ r: ResourceRef) -> JSONValue {
        .object([("kind", .string(r.kind)), ("namespace", .nullable(r.namespace)), ("name", .string(r.name))])
    }

    static func note(_ n: Note, sources: SourceManager) -> JSONValue {
        .object([("message", .string(n.message))] + position(n.range, sources: sources))
    }

    static func fix(_ f: FixIt, sources: SourceManager) -> JSONValue {
        .object(
            [("message", .string(f.message)), ("replacement", .nullable(f.replacement))]
                + position(f.range, sources: sources))
    }

    static func witness(_ w: Witness) -> JSONValue {
        .object([
            ("kind", .string(w.kind.rawValue)),
            ("request", w.request.map(request) ?? .null),
            ("steps", .array(w.steps.map { .string($0) })),
        ])
    }

    static func request(_ r: WitnessRequest) -> JSONValue {
        .object([
            ("method", .string(r.method)),
            ("url", .string(r.url)),
            ("headers", .array(r.headers.map { .object([("name", .string($0.name)), ("value", .string($0.value))]) })),
            ("port", .nullable(r.port)),
            ("source", .nullable(r.source)),
        ])
    }

    static func summary(_ s: RunSummary) -> JSONValue {
        .object([
            ("files", .int(s.files)),
            ("resources", .int(s.resources)),
            ("errors", .int(s.errors)),
            ("warnings", .int(s.warnings)),
            ("infos", .int(s.infos)),
            ("suppressed", .int(s.suppressed)),
            ("durationMs", .number(s.durationMilliseconds)),
        ])
    }
}
