import FjordSource
import FjordYAML
import Foundation

/// Runs another program (git, pre-commit, sh, a container engine) as a subprocess with output to
/// files, like ``FjordProcess``: for the tests of the workflow glue (the GitHub Action's entry
/// script, the pre-commit hook, the kubectl plugin).
public enum Tool {
    /// The absolute path of `name` on `PATH` (or in `extra` directories first), or nil.
    public static func which(_ name: String, extra: [String] = []) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in extra + path.split(separator: ":").map(String.init) where !dir.isEmpty {
            let candidate = URL(fileURLWithPath: dir).appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// The directory of the built `fjord` (and `fjord-proxy`), to put first on `PATH`.
    public static var binaryDirectory: String {
        URL(fileURLWithPath: RepoPaths.fjordBinary).deletingLastPathComponent().path
    }

    /// The environment with the built binaries first on `PATH` and `extra` added.
    public static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["PATH"] = binaryDirectory + ":" + (env["PATH"] ?? "/usr/local/bin:/usr/bin:/bin")
        env.removeValue(forKey: "NO_COLOR")
        for (k, v) in extra { env[k] = v }
        return env
    }

    /// Runs `executable arguments...` in `directory` with `environment`, killing it after
    /// `timeout` seconds (a guard against hangs, not a performance assertion).
    public static func run(
        _ executable: String, _ arguments: [String], in directory: URL, environment: [String: String]? = nil,
        stdin: Data? = nil, timeout: Double = 120
    ) throws -> FjordProcess.Result {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("fjord-tool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        let inURL = scratch.appendingPathComponent("stdin")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        FileManager.default.createFile(atPath: inURL.path, contents: stdin ?? Data())
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = environment ?? Self.environment()
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        let input = try FileHandle(forReadingFrom: inURL)
        defer {
            try? out.close()
            try? err.close()
            try? input.close()
        }
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        let start = Date()
        try process.run()
        var timedOut = false
        while process.isRunning {
            if Date().timeIntervalSince(start) > timeout {
                timedOut = true
                process.terminate()
                let killDeadline = Date().addingTimeInterval(2)
                while process.isRunning, Date() < killDeadline { usleep(10_000) }
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                break
            }
            usleep(5_000)
        }
        process.waitUntilExit()
        return FjordProcess.Result(
            arguments: [executable] + arguments, status: process.terminationStatus,
            signaled: process.terminationReason == .uncaughtSignal, timedOut: timedOut,
            stdout: String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self),
            stderr: String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self),
            seconds: Date().timeIntervalSince(start))
    }
}

/// A YAML file parsed with Fjord's own loader (libyaml), for tests of workflow files.
public struct ParsedYAML {
    public let root: YAMLNode?

    public init(_ path: String) throws {
        var sources = SourceManager()
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let file = sources.add(path: path, bytes: bytes)
        var problems: [String] = []
        let docs = YAMLLoader.load(file, diagnostics: { if $0.severity == .error { problems.append($0.message) } })
        guard problems.isEmpty else {
            throw FjordProcess.Failure(description: "\(path): \(problems.joined(separator: "; "))")
        }
        root = docs.first?.root
    }

    public func node(_ keys: [String]) -> YAMLNode? {
        var n = root
        for k in keys { n = n?[k] }
        return n
    }

    public func text(_ keys: [String]) -> String? { node(keys)?.text }
    public func sequence(_ keys: [String]) -> [YAMLNode] { node(keys)?.sequence ?? [] }
    public func mapping(_ keys: [String]) -> [(String, YAMLNode)] {
        (node(keys)?.mapping ?? []).compactMap { p in p.key.text.map { ($0, p.value) } }
    }
}
