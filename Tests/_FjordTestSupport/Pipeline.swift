import FjordCompiler
import FjordDiagnostics
import FjordSource
import Foundation
import _FjordTestSupportCore

/// Runs `fjord check` in-process on files or on text.
public enum TestPipeline {
    public static func check(paths: [String], options: CompilerOptions = CompilerOptions()) -> CheckResult {
        var driver = Driver(options: options)
        return driver.check(paths: paths)
    }

    /// Writes `text` to a temporary file named `name` and checks it.
    public static func check(text: String, name: String = "input.yaml", options: CompilerOptions = CompilerOptions())
        throws -> CheckResult
    {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fjord-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent(name)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return check(paths: [file.path], options: options)
    }
}
