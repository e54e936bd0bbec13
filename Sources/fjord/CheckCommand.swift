import ArgumentParser
import FjordCompiler
import FjordDiagnostics

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate mesh configuration and report findings.",
        discussion: """
            Reads Kubernetes and Istio resources (multi-document YAML, `kind: List`, kubectl and \
            helm output) and reports every problem with its position.

            Examples:
              fjord check mesh/
              fjord check --format sarif mesh/ > fjord.sarif
              helm template chart | fjord check -
              fjord check --fail-on warning --istio-version 1.14 mesh/
              fjord check --traffic observed-calls.csv mesh/

            Silence a finding on one resource with the annotation
              fjord.dev/ignore: "FJ2104,FJ2001"
            """)

    @OptionGroup var input: InputOptions

    @Option(help: ArgumentHelp("Output format.", valueName: "format"))
    var format: OutputFormat = .text

    @Option(help: ArgumentHelp("Exit 1 when a finding of this severity or above is reported.", valueName: "severity"))
    var failOn: Severity = .error

    @Option(
        help: ArgumentHelp(
            "The Istio release the mesh runs, such as `1.14`; some findings depend on it.", valueName: "version"))
    var istioVersion: String?

    @Option(
        help: ArgumentHelp(
            "Calls observed in the running mesh, as CSV with the header `source_namespace,source_workload,destination_service,port`: more evidence of who calls whom for the mTLS checks.",
            valueName: "file"))
    var traffic: String?

    @Option(help: ArgumentHelp("Colour in text output.", valueName: "when"))
    var color: ColorChoice = .auto

    @Option(
        name: .customLong("disable"), help: ArgumentHelp("Do not report this code (repeatable).", valueName: "code"))
    var disabled: [String] = []

    @Option(help: ArgumentHelp("Stop after this many errors (0: no limit).", valueName: "n"))
    var maxErrors: Int = 0

    @Option(
        help: ArgumentHelp(
            "Report only findings that are not in this older state of the inputs (compared without positions; repeatable).",
            valueName: "path"))
    var baseline: [String] = []

    @Flag(help: "Print one line per finding, without source excerpts.")
    var compact = false

    @Flag(help: "Print how long each stage took, to standard error.")
    var timings = false

    /// `--disable` codes, case-insensitive like `fjord checks fj2001` and the ignore annotation.
    var disabledCodes: [DiagnosticCode] { disabled.map { DiagnosticCode($0.uppercased()) } }

    func validate() throws {
        if let v = istioVersion, IstioVersion(v) == nil {
            throw ValidationError("--istio-version must look like `1.14`, found `\(v)`")
        }
        for (written, code) in zip(disabled, disabledCodes)
        where !DiagnosticCode.isWellFormed(code.rawValue) || DiagnosticCatalog.entry(for: code) == nil {
            throw ValidationError("--disable takes a known code such as `FJ2104`, found `\(written)`")
        }
        guard maxErrors >= 0 else { throw ValidationError("--max-errors cannot be negative") }
    }

    func run() throws {
        var options = input.compilerOptions()
        if let v = istioVersion.flatMap(IstioVersion.init) { options.checks.istioVersion = v }
        options.checks.disabled = Set(disabledCodes)
        options.errorLimit = maxErrors
        if let traffic {
            switch TrafficInput.load(path: traffic, maxFileBytes: input.maxFileBytes) {
            case .success(let calls): options.checks.observedCalls = calls
            case .failure(let e):
                writeStandardError("fjord: \(e.description)\n")
                throw ExitCode(2)
            }
        }
        var driver = Driver(options: options)
        var result = driver.check(paths: input.paths)
        if !baseline.isEmpty {
            var old = Driver(options: options)
            if let why = result.keepOnlyNew(relativeTo: old.check(paths: baseline)) {
                writeStandardError("fjord: \(why)\n")
            }
        }
        var render = RenderOptions(color: format == .text && color.enabled, compact: compact)
        render.toolVersion = fjordVersion
        let output = format.render(
            result.diagnostics, sources: result.sources, summary: result.summary, options: render)
        writeStandardOutput(output)
        if timings {
            var lines = ""
            for t in result.timings { lines += "  \(t.name): \(String(format3(t.seconds * 1000))) ms\n" }
            writeStandardError("timings:\n" + lines)
        }
        let code = result.exitCode(failOn: failOn)
        if code != 0 { throw ExitCode(code) }
    }
}

func format3(_ v: Double) -> String {
    let scaled = (v * 1000).rounded() / 1000
    return String(scaled)
}
