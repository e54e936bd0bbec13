import ArgumentParser
import FjordCompiler
import FjordDiagnostics

#if canImport(Glibc)
    import Glibc
#endif

/// The version printed by `fjord --version` and written into SARIF.
let fjordVersion = "0.1.0"

@main
struct Fjord: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fjord",
        abstract: "Check, compile and explain Istio service-mesh configuration.",
        discussion: """
            Exit codes: 0 when nothing reaches the failing severity, 1 when something does, 2 when \
            the input could not be read or the command line is wrong.
            """,
        version: fjordVersion,
        subcommands: [
            CheckCommand.self, DiffCommand.self, CompileCommand.self, ExplainCommand.self, ResidencyCommand.self,
            GraphCommand.self,
            GenerateCommand.self,
            ChecksCommand.self,
        ],
        defaultSubcommand: nil
    )

    /// Runs the command line with Fjord's exit codes: a usage error is 2, not ArgumentParser's 64.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            Glibc.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Glibc.exit(0)
            }
            let message = fullMessage(for: error)
            writeStandardError(message.isEmpty ? "fjord: error\n" : message + "\n")
            Glibc.exit(2)
        }
    }
}

func writeStandardError(_ s: String) {
    var bytes = Array(s.utf8)
    bytes.withUnsafeMutableBytes { raw in
        var offset = 0
        while offset < raw.count {
            let n = write(2, raw.baseAddress! + offset, raw.count - offset)
            if n <= 0 { break }
            offset += n
        }
    }
}

func writeStandardOutput(_ s: String) {
    var bytes = Array(s.utf8)
    bytes.withUnsafeMutableBytes { raw in
        var offset = 0
        while offset < raw.count {
            let n = write(1, raw.baseAddress! + offset, raw.count - offset)
            if n <= 0 { break }
            offset += n
        }
    }
}

enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never

    var enabled: Bool {
        switch self {
        case .always: return true
        case .never: return false
        case .auto:
            if getenv("NO_COLOR") != nil { return false }
            if let term = getenv("TERM"), String(cString: term) == "dumb" { return false }
            return isatty(1) != 0
        }
    }
}

extension OutputFormat: ExpressibleByArgument {}

extension Severity: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
    public static var allValueStrings: [String] { ["error", "warning", "info"] }
    /// Help shows `default: error`, not the raw value.
    public var defaultValueDescription: String { description }
}

/// Options shared by every command that reads a mesh.
struct InputOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("Files or directories of YAML, or `-` for standard input.", valueName: "path"))
    var paths: [String] = []

    @Option(name: [.customShort("n"), .long], help: "The namespace of resources that do not name one.")
    var namespace: String = "default"

    @Option(help: ArgumentHelp("Refuse input files larger than this many bytes.", valueName: "bytes"))
    var maxFileBytes: Int = CompilerOptions().limits.maxFileBytes

    func validate() throws {
        guard !paths.isEmpty else {
            throw ValidationError("give at least one file or directory to read, or `-` for standard input")
        }
        guard maxFileBytes > 0 else { throw ValidationError("--max-file-bytes must be positive") }
    }

    func compilerOptions() -> CompilerOptions {
        var o = CompilerOptions()
        o.frontend.defaultNamespace = namespace
        o.limits.maxFileBytes = maxFileBytes
        return o
    }
}
