import ArgumentParser
import FjordCompiler
import FjordDiagnostics

struct ChecksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checks",
        abstract: "List every check with its codes, or describe one code.",
        discussion: """
            Examples:
              fjord checks
              fjord checks FJ2001     (prints the code's page: what it means, an example, the fix)
            """)

    @Argument(help: ArgumentHelp("A code to describe, such as `FJ2001`.", valueName: "code"))
    var code: String?

    func run() throws {
        if let code {
            guard let entry = DiagnosticCatalog.entry(for: DiagnosticCode(code.uppercased())) else {
                throw ValidationError("unknown code `\(code)`; `fjord checks` lists them")
            }
            // The page itself (built into the binary): a source-tree path means nothing to an
            // installed `fjord`.
            if let page = diagnosticPages[entry.code.rawValue] {
                writeStandardOutput(page.hasSuffix("\n") ? page : page + "\n")
            } else {
                writeStandardOutput(
                    """
                    \(entry.code) \(entry.name) (\(entry.severity))
                      \(entry.summary)

                    """)
            }
            return
        }
        var out = ""
        for e in DiagnosticCatalog.entries where !e.retired {
            let sev = e.severity.description.padding(7)
            out += "\(e.code)  \(sev)  \(e.name.padding(30))  \(e.summary)\n"
        }
        out += "\nchecks:\n"
        for m in CheckCatalog.checks {
            out +=
                "  \(m.name.padding(30))  \(m.codes.map(\.rawValue).joined(separator: ","))  reads \(m.inputs.map(\.rawValue).joined(separator: ", "))\n"
        }
        writeStandardOutput(out)
    }
}

extension String {
    func padding(_ n: Int) -> String {
        count >= n ? self : self + String(repeating: " ", count: n - count)
    }
}
