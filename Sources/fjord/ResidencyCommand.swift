import ArgumentParser
import FjordCompiler
import FjordDiagnostics

struct ResidencyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "residency",
        abstract: "Show where personal data runs and which jurisdictions it can reach.",
        discussion: """
            Reads the mesh and its ResidencyPolicies (fjord.dev/v1alpha1) and prints, for each \
            service that holds personal data, where its workloads run and which jurisdictions its \
            data can reach, through what: routes, weights, mirrors, locality failover, egress, \
            ALLOW_ANY, responses to callers. `fjord check` reports each path that leaves the \
            allowed jurisdictions (FJ4001-FJ4004) with its witness. See docs/residency.md.

            Examples:
              fjord residency mesh/
              fjord residency --format json mesh/ > residency.json
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var input: InputOptions

    @Option(help: ArgumentHelp("Output format: text or json.", valueName: "format"))
    var format: Format = .text

    @Option(
        help: ArgumentHelp("Exit 1 when a residency finding of this severity or above exists.", valueName: "severity"))
    var failOn: Severity = .error

    @Flag(help: "Print how long the analysis took, to standard error.")
    var timings = false

    func run() throws {
        var driver = Driver(options: input.compilerOptions())
        let result = driver.residency(paths: input.paths)
        // Input that could not be read or decoded: say so, as `fjord check` would.
        let inputProblems = result.diagnostics.filter { !$0.code.rawValue.hasPrefix("FJ4") }
        if !inputProblems.isEmpty {
            let summary = RunSummary(
                files: result.loaded.fileCount, resources: result.loaded.resources.count,
                durationSeconds: result.durationSeconds,
                suppressed: 0, diagnostics: inputProblems)
            writeStandardError(
                OutputFormat.text.render(
                    inputProblems, sources: result.sources, summary: summary,
                    options: RenderOptions(color: false, compact: true)))
        }
        switch format {
        case .text: writeStandardOutput(ResidencyRenderer.text(result))
        case .json: writeStandardOutput(ResidencyRenderer.json(result))
        }
        if timings {
            writeStandardError(
                "timings:\n  residency analysis: \(format3(result.analysisSeconds * 1000)) ms\n  total: \(format3(result.durationSeconds * 1000)) ms\n"
            )
        }
        let code = result.exitCode(failOn: failOn)
        if code != 0 { throw ExitCode(code) }
    }
}
