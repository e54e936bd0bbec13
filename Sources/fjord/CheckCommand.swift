import ArgumentParser
import FjordCompiler
import FjordDiagnostics
import Foundation

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
            or with `--suppress "FJ2104=VirtualService shop/legacy-*"` and the `suppress` list of \
            `.fjord.yaml`, the configuration file found in the first path's directory or above it \
            (docs/ci.md). Options given here win over the file's.

            In CI:
              fjord check --format github --output fjord.sarif --source-root "$PWD" mesh/
              fjord check --output fjord-junit.xml mesh/
            """)

    @OptionGroup var input: InputOptions

    @Option(help: ArgumentHelp("Output format.", valueName: "format"))
    var format: OutputFormat = .text

    @Option(
        help: ArgumentHelp(
            "Exit 1 when a finding of this severity or above is reported (default: error, or the configuration's `failOn`).",
            valueName: "severity"))
    var failOn: Severity?

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
        name: .customLong("disable"),
        help: ArgumentHelp(
            "Do not report these codes: `FJ2104` or `FJ2104,FJ2001`, as the `fjord.dev/ignore` annotation takes them (repeatable).",
            valueName: "codes"))
    var disabled: [String] = []

    @Option(
        help: ArgumentHelp(
            "Suppress findings: `CODE=Kind namespace/name` or istioctl's `CODE=Kind name.namespace`, globs on the names (repeatable).",
            valueName: "rule"))
    var suppress: [String] = []

    @Flag(help: "List the suppressed findings too, with the rule and reason that silenced each.")
    var showSuppressed = false

    @Option(
        help: ArgumentHelp(
            "The configuration file (default: the nearest `.fjord.yaml` at or above the first path).",
            valueName: "file"))
    var config: String?

    @Flag(help: "Read no configuration file.")
    var noConfig = false

    @Option(
        help: ArgumentHelp(
            "Write paths relative to this directory in SARIF (`originalUriBaseIds`) and GitHub output.",
            valueName: "dir"))
    var sourceRoot: String?

    @Option(
        help: ArgumentHelp(
            "Also write the findings to this file, in --output-format or the format its name says (`.sarif`, `.json`, `.xml` for JUnit).",
            valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("The format of --output.", valueName: "format"))
    var outputFormat: OutputFormat?

    @Flag(name: [.customShort("q"), .long], help: "Print nothing when nothing reaches --fail-on; no summary line.")
    var quiet = false

    @Option(help: ArgumentHelp("Stop after this many errors (0: no limit).", valueName: "n"))
    var maxErrors: Int = 0

    @Option(
        help: ArgumentHelp(
            "Report only findings that are not in this older state of the inputs (compared without positions; repeatable).",
            valueName: "path"))
    var baseline: [String] = []

    @Flag(help: "Print one line per finding, without source excerpts.")
    var compact = false

    @Flag(
        help:
            "Print how long each stage took, to standard error. Only the text format shows the run's time otherwise, so JSON, SARIF and JUnit are the same bytes for the same input."
    )
    var timings = false

    @Flag(help: "Leave the run's time out of the text summary too.")
    var noTimings = false

    /// `--disable` codes, case-insensitive and comma- or blank-separated like the ignore annotation.
    var disabledCodes: [DiagnosticCode] { disabled.flatMap(DiagnosticCodeList.parse).map { DiagnosticCode($0) } }

    func validate() throws {
        if let v = istioVersion, IstioVersion(v) == nil {
            throw ValidationError("--istio-version must look like `1.14`, found `\(v)`")
        }
        for written in disabled {
            let codes = DiagnosticCodeList.parse(written)
            if codes.isEmpty {
                throw ValidationError("--disable takes a known code such as `FJ2104`, found `\(written)`")
            }
            for code in codes
            where !DiagnosticCode.isWellFormed(code) || DiagnosticCatalog.entry(for: DiagnosticCode(code)) == nil {
                throw ValidationError("--disable takes a known code such as `FJ2104`, found `\(written)`")
            }
        }
        for rule in suppress {
            if case .failure(let e) = SuppressionRule.parse(rule, origin: "--suppress") {
                throw ValidationError("--suppress: \(e)")
            }
        }
        guard maxErrors >= 0 else { throw ValidationError("--max-errors cannot be negative") }
        if config != nil && noConfig { throw ValidationError("give --config or --no-config, not both") }
        if let output, outputFormat == nil, Self.format(forFile: output) == nil {
            throw ValidationError(
                "--output `\(output)`: name the format with --output-format (json, sarif, junit, github, text)")
        }
        if outputFormat != nil && output == nil { throw ValidationError("--output-format needs --output FILE") }
    }

    /// The format a file name says: `.sarif` (and `.sarif.json`), `.json`, `.xml` (JUnit), `.txt`.
    static func format(forFile path: String) -> OutputFormat? {
        let lower = path.lowercased()
        if lower.hasSuffix(".sarif") || lower.hasSuffix(".sarif.json") { return .sarif }
        if lower.hasSuffix(".json") { return .json }
        if lower.hasSuffix(".xml") { return .junit }
        if lower.hasSuffix(".txt") || lower.hasSuffix(".log") { return .text }
        return nil
    }

    func run() throws {
        var options = input.compilerOptions()
        var paths = input.paths
        var root: String?
        if let sourceRoot {
            // Paths are made relative to the root in SARIF and GitHub output: make them absolute.
            let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
            root = URL(fileURLWithPath: sourceRoot, relativeTo: cwd).standardizedFileURL.path
            paths = paths.map { $0 == "-" ? $0 : URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL.path }
        }
        // The configuration file: found upwards from the inputs, or named; options win over it.
        var configuration: FjordConfiguration?
        if let config {
            configuration = FjordConfiguration.load(path: config)
        } else if !noConfig, let found = FjordConfiguration.find(for: input.paths) {
            configuration = FjordConfiguration.load(path: found)
        }
        var failOn = self.failOn ?? .error
        if let c = configuration {
            options.configuration = c
            if self.failOn == nil, let f = c.failOn { failOn = f }
            if let v = c.istioVersion { options.checks.istioVersion = v }
            options.checks.disabled = Set(c.disable)
            options.severityOverrides = c.severity
        }
        if let v = istioVersion.flatMap(IstioVersion.init) { options.checks.istioVersion = v }
        options.checks.disabled.formUnion(disabledCodes)
        options.suppressions = suppress.compactMap { try? SuppressionRule.parse($0, origin: "--suppress").get() }
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
        var result = driver.check(paths: paths)
        if !baseline.isEmpty {
            var old = Driver(options: options)
            if let why = result.keepOnlyNew(relativeTo: old.check(paths: baseline)) {
                writeStandardError("fjord: \(why)\n")
            }
        }
        var render = RenderOptions(color: format == .text && color.enabled, compact: compact)
        render.toolVersion = fjordVersion
        render.sourceRoot = root
        let code = result.exitCode(failOn: failOn)
        // The run's time only in text (and there only without --no-timings): the other formats
        // are the same bytes for the same input.
        func summary(for f: OutputFormat) -> RunSummary {
            var s = result.summary
            if f != .text || noTimings { s.durationSeconds = nil }
            return s
        }
        if let output {
            let fileFormat = outputFormat ?? Self.format(forFile: output) ?? .json
            var fileRender = render
            fileRender.color = false
            let text = fileFormat.render(
                result.diagnostics, sources: result.sources, summary: summary(for: fileFormat), options: fileRender)
            guard FileManager.default.createFile(atPath: output, contents: Data(text.utf8)) else {
                writeStandardError("fjord: error: cannot write `\(output)`\n")
                throw ExitCode(2)
            }
        }
        if quiet && format == .text {
            // Only what fails the run, without the summary.
            let failing = result.diagnostics.filter { $0.severity >= failOn || code == 2 }
            render.showSummary = false
            if !failing.isEmpty {
                writeStandardOutput(
                    format.render(failing, sources: result.sources, summary: summary(for: format), options: render))
            }
        } else {
            writeStandardOutput(
                format.render(
                    result.diagnostics, sources: result.sources, summary: summary(for: format), options: render))
        }
        if showSuppressed && !result.suppressedDiagnostics.isEmpty {
            var lines = "suppressed:\n"
            for (d, rule) in result.suppressedDiagnostics {
                let at =
                    result.sources[d.range.file].map { "\($0.path):\(d.range.start.line):\(d.range.start.column): " }
                    ?? ""
                lines += "  \(at)\(d.severity): [\(d.code)] \(d.message)\n"
                if let rule {
                    var why = "    by \(rule.origin) `\(rule.display)`"
                    if let r = rule.reason { why += ": \(r)" }
                    if let o = rule.owner { why += " (owner: \(o))" }
                    lines += why + "\n"
                } else {
                    lines += "    by the `fjord.dev/ignore` annotation\n"
                }
            }
            if format == .text { writeStandardOutput(lines) } else { writeStandardError(lines) }
        }
        if result.truncated {
            writeStandardError(
                "fjord: stopped after \(maxErrors) error\(maxErrors == 1 ? "" : "s") (--max-errors \(maxErrors)); later errors are not reported\n"
            )
        }
        if timings {
            var lines = ""
            for t in result.timings { lines += "  \(t.name): \(String(format3(t.seconds * 1000))) ms\n" }
            writeStandardError("timings:\n" + lines)
        }
        if code != 0 { throw ExitCode(code) }
    }
}

func format3(_ v: Double) -> String {
    let scaled = (v * 1000).rounded() / 1000
    return String(scaled)
}
