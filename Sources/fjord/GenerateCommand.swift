import ArgumentParser
import FjordCompiler

#if canImport(Glibc)
    import Glibc
#endif

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a realistic, deterministic synthetic mesh for scale work.",
        discussion: """
            The same seed gives the same files on every machine. The mesh is valid: `fjord check` \
            reports nothing on it.

            Example:
              fjord generate --services 2000 --seed 7 --out /tmp/mesh-2000
            """)

    @Option(help: "How many services to generate.")
    var services: Int = 100

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Directory to write (created if missing).", valueName: "dir"))
    var out: String

    @Flag(
        help:
            "Also write a ResidencyPolicy (payments, identity and ledger namespaces; EEA only) and REGISTRY_ONLY egress."
    )
    var residencyPolicy = false

    func validate() throws {
        guard services >= 1, services <= 100_000 else {
            throw ValidationError("--services must be between 1 and 100000")
        }
    }

    func run() throws {
        var generator = MeshGenerator(services: services, seed: seed)
        generator.residencyPolicy = residencyPolicy
        guard mkdirs(out) else {
            throw ValidationError("cannot create directory `\(out)`")
        }
        var bytes = 0
        let files = generator.files()
        for f in files {
            let path = out.hasSuffix("/") ? out + f.path : out + "/" + f.path
            guard writeFile(path, f.text) else { throw ValidationError("cannot write `\(path)`") }
            bytes += f.text.utf8.count
        }
        writeStandardOutput("wrote \(files.count) files (\(bytes) bytes, \(services) services) to \(out)\n")
    }
}

func mkdirs(_ path: String) -> Bool {
    var current = path.hasPrefix("/") ? "/" : ""
    for part in path.split(separator: "/") {
        current += part + "/"
        if mkdir(current, 0o755) != 0, errno != EEXIST { return false }
    }
    return true
}

func writeFile(_ path: String, _ text: String) -> Bool {
    guard let f = fopen(path, "wb") else { return false }
    defer { fclose(f) }
    let bytes = Array(text.utf8)
    return bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) == $0.count }
}
