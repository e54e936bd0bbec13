import ArgumentParser
import FjordCompiler
import FjordDiagnostics
import Foundation

struct CompileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compile",
        abstract: "Compile the routing of every proxy (or one) into a table image.",
        discussion: """
            Checks the inputs first; with an error finding no image is written unless --force is \
            given. The image is what fjord-proxy executes and what `fjord explain --tables` reads.

            Examples:
              fjord compile mesh/ -o mesh.fjt
              fjord compile mesh/ --workload shop/checkout -o checkout.fjt
              fjord compile mesh/ -o mesh.fjt --dump-json mesh.json
            """)

    @OptionGroup var input: InputOptions

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Where to write the table image.", valueName: "file"))
    var output: String

    @Option(help: ArgumentHelp("Compile only the sidecar of this workload (`namespace/name`).", valueName: "ns/name"))
    var workload: String?

    @Option(help: ArgumentHelp("Compile only this Gateway (`namespace/name`).", valueName: "ns/name"))
    var gateway: String?

    @Option(help: ArgumentHelp("Also write the decoded table as JSON.", valueName: "file"))
    var dumpJSON: String?

    @Flag(help: "Write the image even when the inputs have errors.")
    var force = false

    @Option(help: ArgumentHelp("Colour in text output.", valueName: "when"))
    var color: ColorChoice = .auto

    func validate() throws {
        if workload != nil && gateway != nil { throw ValidationError("give --workload or --gateway, not both") }
    }

    func run() throws {
        var driver = Driver(options: input.compilerOptions())
        // Scope names are checked against the mesh after loading.
        var scopes: [ProxyScope]?
        if workload != nil || gateway != nil {
            var probe = Driver(options: input.compilerOptions())
            let loaded = probe.load(paths: input.paths, emit: { _ in })
            switch ScopeResolution.scope(workload: workload, gateway: gateway, in: loaded.mesh) {
            case .success(let s): scopes = [s]
            case .failure(let e):
                writeStandardError("fjord: error: \(e)\n")
                throw ExitCode(2)
            }
        }
        let start = Date()
        let result = driver.compile(paths: input.paths, scopes: scopes)
        var render = RenderOptions(color: color.enabled)
        render.showSummary = false
        let findings = result.diagnostics.filter { $0.severity >= .warning }
        if !findings.isEmpty {
            writeStandardError(
                OutputFormat.text.render(
                    findings, sources: result.loaded.sources,
                    summary: RunSummary(
                        files: 0, resources: 0, durationSeconds: nil, suppressed: 0, diagnostics: findings),
                    options: render))
        }
        if result.loaded.inputFailed { throw ExitCode(2) }
        let errors = result.diagnostics.filter { $0.severity == .error }.count
        if errors > 0 && !force {
            writeStandardError(
                "fjord: no image written: \(errors) error\(errors == 1 ? "" : "s") (give --force to write it anyway)\n")
            throw ExitCode(1)
        }
        guard FileManager.default.createFile(atPath: output, contents: Data(result.image)) else {
            writeStandardError("fjord: error: cannot write `\(output)`\n")
            throw ExitCode(2)
        }
        if let dumpJSON {
            let json = try ExplainSession.image(bytes: result.image, path: output).get().dumpJSON()
            guard FileManager.default.createFile(atPath: dumpJSON, contents: Data(json.utf8)) else {
                writeStandardError("fjord: error: cannot write `\(dumpJSON)`\n")
                throw ExitCode(2)
            }
        }
        // Workloads without a sidecar get no scope: say so once, not silently.
        if scopes == nil {
            let bare = result.loaded.mesh.workloads.filter { !$0.membership.hasSidecar }
            if !bare.isEmpty {
                let namespaces = Set(bare.map(\.namespace)).sorted().map { "`\($0)`" }
                writeStandardError(
                    "fjord: note: \(bare.count) workload\(bare.count == 1 ? "" : "s") without a sidecar (namespace\(namespaces.count == 1 ? "" : "s") \(namespaces.prefix(8).joined(separator: ", "))\(namespaces.count > 8 ? ", ..." : "")) \(bare.count == 1 ? "has" : "have") no sidecar scope in the image\n"
                )
            }
        }
        let s = result.statistics
        let ms = Int(Date().timeIntervalSince(start) * 1000)
        writeStandardOutput(
            """
            wrote \(output): \(result.image.count) bytes, \(s.scopes) proxy scope\(s.scopes == 1 ? "" : "s"), \(s.listeners) listeners, \
            \(s.hostMaps) host map\(s.hostMaps == 1 ? "" : "s"), \(s.virtualHosts) virtual hosts, \(s.routeTables) route tables, \
            \(s.nodes) decision nodes, \(s.classifiers) classifiers, \(s.actions) actions in \(ms) ms

            """)
    }
}
