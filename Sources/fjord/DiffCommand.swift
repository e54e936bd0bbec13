import ArgumentParser
import FjordCompiler
import FjordDiagnostics
import Foundation

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what a configuration change does to traffic, proved on decision diagrams.",
        discussion: """
            Compares two states of a mesh: for every proxy scope and host, the classes of requests \
            whose outcome changes (destination, subset, weights, timeout, retries, fault, mirror, \
            redirect, rewrite, direct response, header operations), each with a witness request \
            and the outcome before and after; traffic-share changes; rules that became \
            unreachable or reachable again; residency paths opened or closed; mTLS edges newly \
            broken; and the findings that are new or gone (compared without positions, so moved \
            lines and reordered keys do not count). Positions are in NEW. See docs/diff.md.

            Exit codes: 0 no behaviour change, 1 behaviour changed (or what --fail-on names), \
            2 an input could not be read or the command line is wrong.

            Examples:
              fjord diff old/ new/
              fjord diff --git origin/main mesh/
              fjord diff --format markdown --git origin/main mesh/ > comment.md
              fjord diff --format sarif --git origin/main mesh/ > new-findings.sarif
              fjord diff --fail-on residency before.yaml after.yaml
            """)

    @Argument(
        help: ArgumentHelp(
            "OLD and NEW (a file, a directory or `-`); with --git, the paths of NEW, whose OLD is read from the revision.",
            valueName: "path"))
    var paths: [String] = []

    @Option(help: ArgumentHelp("Take OLD from this git revision of the same paths.", valueName: "rev"))
    var git: String?

    @Option(name: [.customShort("n"), .long], help: "The namespace of resources that do not name one.")
    var namespace: String = "default"

    @Option(help: ArgumentHelp("Refuse input files larger than this many bytes.", valueName: "bytes"))
    var maxFileBytes: Int = CompilerOptions().limits.maxFileBytes

    @Option(
        help: ArgumentHelp(
            "Output format: `text`, `json`, `markdown` or `sarif` (new findings only).", valueName: "format"))
    var format: DiffFormat = .text

    @Option(
        help: ArgumentHelp(
            "Exit 1 on `change` (any behaviour change), `new-error` (a new error finding), `residency` (a residency path opened) or `any` (also any finding new or gone).",
            valueName: "condition"))
    var failOn: DiffFailOn = .change

    @Option(
        help: ArgumentHelp(
            "The Istio release the mesh runs, such as `1.14`; some findings depend on it.", valueName: "version"))
    var istioVersion: String?

    @Option(help: ArgumentHelp("Colour in text output.", valueName: "when"))
    var color: ColorChoice = .auto

    @Flag(help: "Print how long each stage took, to standard error.")
    var timings = false

    func validate() throws {
        if git == nil {
            guard paths.count == 2 else {
                throw ValidationError("give OLD and NEW (two files or directories), or --git REV and the paths of NEW")
            }
            if paths[0] == "-" && paths[1] == "-" {
                throw ValidationError("only one side can be read from standard input")
            }
        } else {
            guard !paths.isEmpty else { throw ValidationError("--git REV needs the paths of NEW") }
            guard !paths.contains("-") else {
                throw ValidationError("--git reads OLD from the repository; standard input has no revision")
            }
        }
        if let v = istioVersion, IstioVersion(v) == nil {
            throw ValidationError("--istio-version must look like `1.14`, found `\(v)`")
        }
        guard maxFileBytes > 0 else { throw ValidationError("--max-file-bytes must be positive") }
    }

    func run() throws {
        var options = CompilerOptions()
        options.frontend.defaultNamespace = namespace
        options.limits.maxFileBytes = maxFileBytes
        if let v = istioVersion.flatMap(IstioVersion.init) { options.checks.istioVersion = v }
        var oldPaths: [String]
        let newPaths: [String]
        var snapshot: GitSnapshot?
        if let git {
            do {
                let s = try GitSnapshot(revision: git, paths: paths)
                snapshot = s
                oldPaths = s.paths
            } catch let e as GitSnapshot.Failure {
                writeStandardError("fjord: \(e.message)\n")
                throw ExitCode(2)
            }
            newPaths = paths
        } else {
            oldPaths = [paths[0]]
            newPaths = [paths[1]]
        }
        defer { snapshot?.remove() }
        var driver = Driver(options: options)
        let result = driver.diff(old: oldPaths, new: newPaths)
        var renderer = DiffRenderer(result: result, color: format == .text && color.enabled)
        if let snapshot { renderer.oldPathPrefix = (snapshot.root + "/", "\(snapshot.revision):") }
        if result.inputFailed {
            // Say why, with positions, in the usual check output of the side that failed.
            for side in [result.old, result.new] where side.inputFailed {
                var render = RenderOptions(color: false, compact: true)
                render.toolVersion = fjordVersion
                let failures = side.diagnostics.filter { $0.severity == .error }
                writeStandardError(
                    renderer.remap(
                        OutputFormat.text.render(
                            failures, sources: side.sources, summary: side.summary, options: render)))
            }
            throw ExitCode(2)
        }
        writeStandardOutput(renderer.render(format))
        if timings {
            var lines = ""
            for t in driver.timings { lines += "  \(t.name): \(format3(t.seconds * 1000)) ms\n" }
            writeStandardError("timings:\n" + lines)
        }
        let code = result.exitCode(failOn: failOn.value)
        if code != 0 { throw ExitCode(code) }
    }
}

enum DiffFormat: String, ExpressibleByArgument, CaseIterable { case text, json, markdown, sarif }

enum DiffFailOn: String, ExpressibleByArgument, CaseIterable {
    case change
    case newError = "new-error"
    case residency
    case any

    var value: DiffResult.FailOn {
        switch self {
        case .change: .change
        case .newError: .newError
        case .residency: .residency
        case .any: .any
        }
    }
}

/// The inputs as they were at a git revision: `git archive` of the paths' repository, unpacked
/// into a temporary directory (no libgit; the `git` on PATH does the work).
struct GitSnapshot {
    struct Failure: Error { var message: String }

    let revision: String
    /// The temporary directory standing for the repository's root.
    let root: String
    /// The paths of OLD, one per path of NEW.
    let paths: [String]

    init(revision: String, paths newPaths: [String]) throws {
        guard !revision.isEmpty, !revision.hasPrefix("-") else {
            throw Failure(message: "--git takes a revision such as `origin/main`, found `\(revision)`")
        }
        self.revision = revision
        let fm = FileManager.default
        let tmp = fm.temporaryDirectory.appendingPathComponent("fjord-diff-\(UUID().uuidString)").path
        try? fm.createDirectory(atPath: tmp, withIntermediateDirectories: true)
        root = tmp
        var out: [String] = []
        do {
            for p in newPaths {
                var isDir: ObjCBool = false
                let exists = fm.fileExists(atPath: p, isDirectory: &isDir)
                let absolute = URL(fileURLWithPath: p).standardizedFileURL
                let dir = exists && isDir.boolValue ? absolute.path : absolute.deletingLastPathComponent().path
                guard fm.fileExists(atPath: dir) else {
                    throw Failure(message: "cannot read `\(p)`: no such directory")
                }
                let top = try Self.git(
                    ["-C", dir, "rev-parse", "--show-toplevel"], what: "`\(p)` is not in a git repository"
                )
                .trimmingCharacters(in: .whitespacesAndNewlines)
                let topURL = URL(fileURLWithPath: top).resolvingSymlinksInPath().standardizedFileURL
                let target = absolute.resolvingSymlinksInPath().standardizedFileURL
                var relative = String(target.path.dropFirst(topURL.path.count))
                while relative.hasPrefix("/") { relative.removeFirst() }
                let archive = tmp + "/.archive-\(out.count).tar"
                var args = ["-C", top, "archive", "--format=tar", "-o", archive, revision]
                if !relative.isEmpty { args += ["--", relative] }
                _ = try Self.git(
                    args, what: "cannot read `\(relative.isEmpty ? "." : relative)` at revision `\(revision)`")
                try Self.run(["tar", "-xf", archive, "-C", tmp], what: "cannot unpack `\(revision)`")
                try? fm.removeItem(atPath: archive)
                out.append(relative.isEmpty ? tmp : tmp + "/" + relative)
            }
        } catch {
            try? fm.removeItem(atPath: tmp)
            throw error
        }
        paths = out
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }

    @discardableResult
    static func git(_ args: [String], what: String) throws -> String {
        try run(["git"] + args, what: what)
    }

    /// Runs a program from PATH with output to temporary files; throws `what` and its error
    /// output when it fails.
    @discardableResult
    static func run(_ args: [String], what: String) throws -> String {
        let fm = FileManager.default
        let base = fm.temporaryDirectory.appendingPathComponent("fjord-run-\(UUID().uuidString)")
        let outURL = base.appendingPathExtension("out")
        let errURL = base.appendingPathExtension("err")
        fm.createFile(atPath: outURL.path, contents: nil)
        fm.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? fm.removeItem(at: outURL)
            try? fm.removeItem(at: errURL)
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        p.standardInput = FileHandle.nullDevice
        do {
            p.standardOutput = try FileHandle(forWritingTo: outURL)
            p.standardError = try FileHandle(forWritingTo: errURL)
            try p.run()
        } catch {
            throw Failure(message: "\(what): cannot run `\(args[0])`")
        }
        p.waitUntilExit()
        let out = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
        if p.terminationStatus != 0 {
            let err = ((try? String(contentsOf: errURL, encoding: .utf8)) ?? "").trimmingCharacters(
                in: .whitespacesAndNewlines)
            throw Failure(message: what + (err.isEmpty ? "" : " (\(err))"))
        }
        return out
    }
}
