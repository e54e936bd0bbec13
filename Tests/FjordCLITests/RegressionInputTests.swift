import Foundation
import Testing
import _FjordTestSupport

/// Inputs that once crashed `fjord` (fixtures/regressions/, each naming its expected code on its
/// first line as `# expect: FJxxxx`), run through every command that reads a mesh, on the real
/// binary. `check` and `compile` must give a positioned diagnostic with that code and exit 1 or
/// 2; `compile --force`, `residency` and `graph` must end without a signal (they may succeed:
/// the bad entry is skipped).
@Suite struct RegressionInputTests {
    static let directory = RepoPaths.root.appendingPathComponent("fixtures/regressions")

    static let files: [String] = RepoPaths.files(under: directory, extensions: ["yaml"]).map(\.lastPathComponent)

    static func expectedCode(_ text: String) -> String? {
        guard let line = text.split(separator: "\n", omittingEmptySubsequences: false).first,
            line.hasPrefix("# expect: ")
        else { return nil }
        return String(line.dropFirst("# expect: ".count)).trimmingCharacters(in: .whitespaces)
    }

    @Test func thereAreReproducers() {
        #expect(Self.files.count >= 8, "\(Self.files)")
    }

    @Test(arguments: files)
    func endsWithADiagnosticNeverASignal(_ name: String) throws {
        let file = Self.directory.appendingPathComponent(name).path
        let code = try #require(Self.expectedCode(try String(contentsOfFile: file, encoding: .utf8)), "\(name)")
        let dir = try TemporaryDirectory("fjord-regression")
        let image = dir.url.appendingPathComponent("out.fjt").path
        for arguments in [["check", file], ["compile", file, "-o", image]] {
            let r = try FjordProcess.run(arguments, timeout: 20)
            print("\(name): fjord \(arguments[0]) exit \(r.status) in \(String(format: "%.3f", r.seconds)) s")
            #expect(!r.signaled && !r.timedOut, "\(name): \(r)")
            #expect(r.exited(1) || r.exited(2), "\(name): \(r)")
            #expect(hasHeader(r.stdout + r.stderr, path: file, code: code), "\(name): no positioned [\(code)]\n\(r)")
        }
        for arguments in [["compile", file, "-o", image, "--force"], ["residency", file], ["graph", file]] {
            let r = try FjordProcess.run(arguments, timeout: 20)
            print("\(name): fjord \(arguments.joined(separator: " ")) exit \(r.status)")
            #expect(!r.signaled && !r.timedOut, "\(name): \(r)")
            #expect([0, 1, 2].contains(r.status), "\(name): \(r)")
        }
    }
}
