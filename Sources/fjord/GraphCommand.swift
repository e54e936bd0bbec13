import ArgumentParser
import FjordCompiler
import FjordDiagnostics

struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Draw the mesh: services, routes with weights, mTLS modes and jurisdictions.",
        discussion: """
            Prints a Graphviz (`dot`) or Mermaid graph: namespaces with their mTLS mode, services \
            and the workloads behind them, VirtualService routes with weights and mirrors, calls \
            named in the configuration, and external hosts. Each workload is coloured by where it \
            runs: EEA, adequacy decision, other, or unknown; personal-data workloads have a thick \
            border.

            Examples:
              fjord graph mesh/ | dot -Tsvg > mesh.svg
              fjord graph --format mermaid mesh/ > mesh.mmd
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case dot, mermaid }

    @OptionGroup var input: InputOptions

    @Option(help: ArgumentHelp("Output format: dot or mermaid.", valueName: "format"))
    var format: Format = .dot

    @Option(help: ArgumentHelp("The graph's title (default: the first path).", valueName: "text"))
    var title: String?

    func run() throws {
        var driver = Driver(options: input.compilerOptions())
        var problems: [Diagnostic] = []
        let loaded = driver.load(paths: input.paths, emit: { d in if d.severity == .error { problems.append(d) } })
        if !problems.isEmpty {
            let summary = RunSummary(
                files: loaded.fileCount, resources: loaded.resources.count, durationSeconds: 0, suppressed: 0,
                diagnostics: problems)
            writeStandardError(
                OutputFormat.text.render(
                    problems, sources: loaded.sources, summary: summary,
                    options: RenderOptions(color: false, compact: true)))
        }
        if loaded.inputFailed { throw ExitCode(2) }
        let graph = MeshGraph(loaded, title: title ?? input.paths.joined(separator: " "))
        switch format {
        case .dot: writeStandardOutput(graph.dot())
        case .mermaid: writeStandardOutput(graph.mermaid())
        }
    }
}
