import FjordDiagnostics
import FjordSource
import FjordYAML

/// Produces the Swift sources derived from `grammar/`. Tests compare them with the committed
/// files; `make generate` writes them.
public enum GeneratedSources {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    static func swiftString(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }

    static func camelCase(_ kebab: String) -> String {
        let parts = kebab.split(separator: "-")
        guard let first = parts.first else { return kebab }
        return String(first) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// `Sources/FjordDiagnostics/Catalog.generated.swift` from `grammar/diagnostics.yaml`.
    public static func catalog(from grammar: String) throws -> String {
        var sources = SourceManager()
        let file = sources.add(path: "grammar/diagnostics.yaml", bytes: Array(grammar.utf8))
        var problems: [String] = []
        let docs = YAMLLoader.load(file, diagnostics: { problems.append("\($0.range.start): \($0.message)") })
        guard problems.isEmpty, let codes = docs.first?.root?["codes"]?.sequence else {
            throw Failure(description: "grammar/diagnostics.yaml: " + (problems.first ?? "missing `codes`"))
        }
        var entries = ""
        var constants = ""
        for c in codes {
            guard let code = c["code"]?.text, let name = c["name"]?.text, let severity = c["severity"]?.text,
                  let summary = c["summary"]?.text, let message = c["message"]?.text else {
                throw Failure(description: "grammar/diagnostics.yaml:\(c.range.start): an entry needs code, name, severity, summary and message")
            }
            let retired = c["retired"]?.text == "true"
            entries += "        CatalogEntry(code: DiagnosticCode(\"\(code)\"), name: \(swiftString(name)), severity: .\(severity), "
                + "summary: \(swiftString(summary)), message: \(swiftString(message))\(retired ? ", retired: true" : "")),\n"
            constants += "    /// \(code): \(summary)\n    public static let \(camelCase(name)) = DiagnosticCode(\"\(code)\")\n"
        }
        return """
            // Generated from grammar/diagnostics.yaml by `make generate`. Do not edit.

            extension DiagnosticCatalog {
                public static let entries: [CatalogEntry] = [
            \(entries)    ]
            }

            extension DiagnosticCode {
            \(constants)}

            """
    }

    /// `Sources/FjordFrontend/Schema.generated.swift`: the schema text embedded verbatim.
    public static func schema(from grammar: String) throws -> String {
        guard !grammar.contains("\"\"\"#") else { throw Failure(description: "grammar/schema.yaml cannot contain `\"\"\"#`") }
        return """
            // Generated from grammar/schema.yaml by `make generate`. Do not edit.
            // The front end parses this copy at start-up (Schema.builtIn).

            let embeddedSchemaSource = #\"\"\"
            \(grammar)\"\"\"#

            """
    }
}
