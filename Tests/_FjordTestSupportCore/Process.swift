import Foundation

/// Runs the built `fjord` executable as a subprocess: the real binary, the real files, the real
/// exit code. Output goes to temporary files rather than pipes, so a large output can never
/// block the child, and standard output is never a terminal.
public enum FjordProcess {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    public struct Result: CustomStringConvertible, Sendable {
        public var arguments: [String]
        /// The exit status, or the signal number when `signal` is set.
        public var status: Int32
        /// True when the process ended by a signal (a crash, or our timeout).
        public var signaled: Bool
        public var timedOut: Bool
        public var stdout: String
        public var stderr: String
        public var seconds: Double

        /// Exited normally with this code.
        public func exited(_ code: Int32) -> Bool { !signaled && !timedOut && status == code }

        public var description: String {
            let how = timedOut ? "timed out" : signaled ? "killed by signal \(status)" : "exit \(status)"
            return "fjord \(arguments.joined(separator: " ")): \(how) in \(String(format: "%.3f", seconds)) s\n"
                + "--- stdout (\(stdout.utf8.count) bytes)\n\(stdout.prefix(2000))\n--- stderr\n\(stderr.prefix(2000))"
        }
    }

    /// The executable, or a failure that says how to build it.
    public static func executable() throws -> String {
        let path = RepoPaths.fjordBinary
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw Failure(
                description:
                    "the fjord executable is missing at \(path); run `swift build --build-tests` first (it builds the `fjord` product too)"
            )
        }
        return path
    }

    /// Runs `fjord arguments...` in `directory` (the repository root by default), feeding it
    /// `stdin` (or nothing), and kills it after `timeout` seconds: the timeout only guards
    /// against hangs, it is not a performance assertion.
    public static func run(
        _ arguments: [String], stdin: Data? = nil, in directory: URL? = nil, environment: [String: String]? = nil,
        timeout: Double = 20, wrapper: [String] = [], binary name: String = "fjord"
    ) throws -> Result {
        let fjord = try executable()
        let binary =
            name == "fjord"
            ? fjord : URL(fileURLWithPath: fjord).deletingLastPathComponent().appendingPathComponent(name).path
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("fjord-proc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        let inURL = scratch.appendingPathComponent("stdin")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        FileManager.default.createFile(atPath: inURL.path, contents: stdin ?? Data())

        let process = Process()
        process.executableURL = URL(fileURLWithPath: wrapper.first ?? binary)
        process.arguments = wrapper.isEmpty ? arguments : Array(wrapper.dropFirst()) + [binary] + arguments
        process.currentDirectoryURL = directory ?? RepoPaths.root
        var env = environment ?? ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NO_COLOR")
        process.environment = env
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

        // Wait for the exit itself (bounded by `timeout`), then SIGTERM, then SIGKILL.
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        let start = Date()
        try process.run()
        var timedOut = false
        if exited.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            process.terminate()
            if exited.wait(timeout: .now() + 2) == .timedOut { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        let seconds = Date().timeIntervalSince(start)
        let stdoutText = String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self)
        let stderrText = String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self)
        return Result(
            arguments: arguments, status: process.terminationStatus,
            signaled: process.terminationReason == .uncaughtSignal,
            timedOut: timedOut, stdout: stdoutText, stderr: stderrText, seconds: seconds)
    }

    /// `fjord check --format json ...`, parsed.
    public static func checkJSON(_ arguments: [String], stdin: Data? = nil) throws -> (Result, [String: Any]) {
        let r = try run(["check", "--format", "json"] + arguments, stdin: stdin)
        guard let object = try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] else {
            throw Failure(description: "the output of `fjord check --format json` is not a JSON object:\n\(r)")
        }
        return (r, object)
    }
}

/// A temporary directory removed when the value is released.
public final class TemporaryDirectory: Sendable {
    public let url: URL

    public init(_ label: String = "fjord-test") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    public var path: String { url.path }

    /// Writes `text` to `name` (subdirectories created) and returns its path.
    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        try write(name, Data(text.utf8))
    }

    @discardableResult
    public func write(_ name: String, _ data: Data) throws -> String {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: file)
        return file.path
    }
}
