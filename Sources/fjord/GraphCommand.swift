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
              fjord graph --focus residency mesh/ | dot -Tsvg > residency.svg
              fjord graph --from payments/ledger mesh/
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case dot, mermaid }

    @OptionGroup var input: InputOptions

    @Option(help: ArgumentHelp("Output format: dot or mermaid.", valueName: "format"))
    var format: Format = .dot

    @Option(help: ArgumentHelp("The graph's title (default: the first path).", valueName: "text"))
    var title: String?

    enum FocusName: String, ExpressibleByArgument, CaseIterable { case residency }

    @Option(
        help: ArgumentHelp(
            "Draw only the paths personal data takes (residency): each data-bearing service and the places its data reaches.",
            valueName: "focus"))
    var focus: FocusName?

    @Option(
        help: ArgumentHelp(
            "Draw only the paths from one workload or Service (namespace/name); needs a ResidencyPolicy among the inputs.",
            valueName: "namespace/name"))
    var from: String?

    func validate() throws {
        if focus != nil && from != nil { throw ValidationError("use `--focus residency` or `--from`, not both") }
        if let from, from.split(separator: "/").count != 2 {
            throw ValidationError("`--from` takes `namespace/name`, got `\(from)`")
        }
    }

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
        let focus: MeshGraph.Focus = from.map { .from($0) } ?? (self.focus == .residency ? .residency : .all)
        if focus != .all && loaded.resources.residencyPolicies.isEmpty {
            writeStandardError(
                "fjord graph: `--focus` and `--from` follow personal data and need a ResidencyPolicy among the inputs (see docs/residency.md)\n"
            )
            throw ExitCode(2)
        }
        if case .from(let id) = focus, loaded.mesh.workload(id) == nil,
            !loaded.mesh.resources.services.contains(where: { $0.key.qualifiedName == id })
        {
            writeStandardError("fjord graph: no workload or Service `\(id)` among the inputs\n")
            throw ExitCode(2)
        }
        let graph = MeshGraph(loaded, title: title ?? input.paths.joined(separator: " "), focus: focus)
        switch format {
        case .dot: writeStandardOutput(graph.dot())
        case .mermaid: writeStandardOutput(graph.mermaid())
        }
    }
}
