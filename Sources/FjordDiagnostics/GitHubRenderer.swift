import FjordSource

/// Renders GitHub Actions workflow commands, which the runner turns into annotations on the
/// pull request:
///
/// ```
/// ::error file=mesh/payments.yaml,line=31,col=7,endLine=31,endColumn=14,title=FJ2002::rule `canary-v2` can never match%0Anote: ...
/// ```
///
/// `::warning` for warnings and `::notice` for infos. Columns appear only for a range on one
/// line, and `endColumn` is inclusive (the last column underlined). Notes, the fix and the
/// witness follow the message on further lines. Data is escaped as the runner expects
/// (`%` `\r` `\n`; in property values also `:` and `,`). A diagnostic without a source position
/// has no `file` property. Paths use forward slashes, relative to ``RenderOptions/sourceRoot``.
public struct GitHubRenderer: DiagnosticRenderer {
    /// The settings this renderer reads.
    public var options: RenderOptions

    /// A renderer with `options` (the defaults suit a pipe).
    public init(options: RenderOptions = RenderOptions()) {
        self.options = options
    }

    /// Renders `diagnostics` in the order given; see the type's documentation for the shape.
    public func render(_ diagnostics: [Diagnostic], sources: SourceManager, summary: RunSummary) -> String {
        var out = ""
        for d in diagnostics { out += command(d, sources: sources) + "\n" }
        return out
    }

    /// The workflow command for one diagnostic, without the final newline.
    public func command(_ d: Diagnostic, sources: SourceManager) -> String {
        let name: String
        switch d.severity {
        case .error: name = "error"
        case .warning: name = "warning"
        case .info: name = "notice"
        }
        var properties: [(String, String)] = []
        if d.hasLocation(in: sources) {
            let r = d.range
            properties.append(("file", options.repositoryPath(sources.path(of: r.file))))
            let line = max(1, r.start.line)
            properties.append(("line", String(line)))
            if r.end.line <= line {
                let column = max(1, r.start.column)
                properties.append(("col", String(column)))
                properties.append(("endLine", String(line)))
                properties.append(("endColumn", String(max(column, r.end.column - 1))))
            } else {
                properties.append(("endLine", String(r.end.line)))
            }
        }
        properties.append(("title", d.code.rawValue))

        var message = d.message
        for note in d.notes {
            message += "\nnote: "
            if let r = note.range, !r.isSynthetic {
                message += "\(options.repositoryPath(sources.path(of: r.file))):\(r.start.line):\(r.start.column): "
            }
            message += note.message
        }
        if let fix = d.fix { message += "\nhelp: " + TextRenderer.fixLines(fix).joined(separator: "\n") }
        if let witness = d.witness { message += "\n\(witness.kind == .path ? "path" : "witness"): " + witness.rendered }

        let props = properties.map { "\($0.0)=\(Self.escapedProperty($0.1))" }.joined(separator: ",")
        return "::\(name) \(props)::\(Self.escapedData(message))"
    }

    /// Escapes a command's data: `%`, `\r`, `\n`.
    public static func escapedData(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// Escapes a property value: as data, and also `:` and `,`.
    public static func escapedProperty(_ s: String) -> String {
        var out = ""
        for u in escapedData(s).unicodeScalars {
            switch u {
            case ":": out += "%3A"
            case ",": out += "%2C"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }
}
