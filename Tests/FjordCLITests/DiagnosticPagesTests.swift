import Foundation
import Testing
import _FjordTestSupport

/// The examples on the diagnostics pages (`docs/diagnostics/FJxxxx.md`) are what `fjord` prints:
/// each page's files are written to a scratch directory and each `$ fjord check ...` block is run
/// there and compared with the page, the run time (`in 12 ms`) aside.
///
/// A page names a file with a line `` `reviews.yaml`: `` before its YAML block; a YAML block
/// without a name (the fixed version under "How to fix") replaces the file the next command reads
/// (with several files, the blocks replace them in order); an excerpt with `# ...` for elided
/// lines is not run.
@Suite struct DiagnosticPagesTests {
    struct Example: CustomStringConvertible {
        var page: String
        var files: [String: String]
        var arguments: [String]
        var expected: String
        var description: String { "\(page): fjord \(arguments.joined(separator: " "))" }
    }

    /// Every `$ fjord check` example of every page, with the files it reads as the page has them
    /// at that point.
    /// FJ2007's example spends the reachability analysis' work budget: seconds on a debug build,
    /// past the process timeout when the whole suite runs. `FixtureTests` checks the same finding
    /// in-process (`fixtures/checks/FJ2007-regex-budget.yaml`).
    static let notRun: Set = ["FJ2007.md"]

    static func examples() throws -> [Example] {
        let dir = RepoPaths.root.appendingPathComponent("docs/diagnostics")
        let pages = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter {
            $0.hasPrefix("FJ") && $0.hasSuffix(".md")
        }.sorted()
        var out: [Example] = []
        for page in pages where !notRun.contains(page) {
            let text = try String(contentsOf: dir.appendingPathComponent(page), encoding: .utf8)
            out += examples(in: text, page: page)
        }
        return out
    }

    static func examples(in text: String, page: String) -> [Example] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var files: [String: String] = [:]
        var pendingName: String?
        var unnamed: [String] = []
        var out: [Example] = []
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if line.hasPrefix("`"), line.hasSuffix("`:"), line.count > 3 {
                pendingName = String(line.dropFirst().dropLast(2))
                i += 1
                continue
            }
            guard line.hasPrefix("```") else {
                i += 1
                continue
            }
            let info = String(line.dropFirst(3))
            var body: [String] = []
            i += 1
            while i < lines.count, !lines[i].hasPrefix("```") {
                body.append(lines[i])
                i += 1
            }
            i += 1
            let content = body.joined(separator: "\n") + "\n"
            if info != "" {
                if let name = pendingName {
                    files[name] = content
                } else if info == "yaml" {
                    // An excerpt (`# ...` for elided lines) is not a whole file to run.
                    if !content.contains("# ...") { unnamed.append(content) }
                }
                pendingName = nil
                continue
            }
            pendingName = nil
            guard let first = body.first, first.hasPrefix("$ fjord check ") else { continue }
            let arguments = first.dropFirst("$ fjord ".count).split(separator: " ").map(String.init)
            let paths = arguments.dropFirst().filter { !$0.hasPrefix("-") }
            if !unnamed.isEmpty, unnamed.count == paths.count {
                for (path, content) in zip(paths, unnamed) { files[path] = content }
            } else if let last = unnamed.last, paths.count == 1, let only = paths.first {
                files[only] = last
            }
            unnamed = []
            guard paths.allSatisfy({ files[$0] != nil }) else { continue }
            out.append(
                Example(
                    page: page, files: files, arguments: arguments,
                    expected: body.dropFirst().joined(separator: "\n")))
        }
        return out
    }

    /// `in 12 ms` and `in 1.5 ms` at the end of the summary line vary from run to run (and an
    /// example that spends the analysis budget, FJ2007, takes seconds on a debug build).
    static func normalised(_ s: String) -> String {
        s.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.replacingOccurrences(of: " in [0-9.]+ m?s$", with: " in N ms", options: .regularExpression)
        }.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func everyPageHasARunnableExample() throws {
        let pages = Set(try Self.examples().map(\.page))
        // FJ1008 (a missing file), FJ5001-FJ5003 (compile and table images) show other commands.
        let exempt = Set(["FJ1008.md", "FJ5001.md", "FJ5002.md", "FJ5003.md"]).union(Self.notRun)
        let all = try FileManager.default.contentsOfDirectory(atPath: RepoPaths.path("docs/diagnostics")).filter {
            $0.hasPrefix("FJ") && $0.hasSuffix(".md")
        }
        for page in all where !exempt.contains(page) {
            #expect(pages.contains(page), "\(page) has no `$ fjord check` example this test can run")
        }
    }

    @Test(arguments: try examples())
    func pageExampleMatchesFjord(_ example: Example) throws {
        let dir = try TemporaryDirectory("fjord-page")
        for (name, content) in example.files { try dir.write(name, content) }
        let r = try FjordProcess.run(example.arguments + ["--color", "never"], in: dir.url)
        #expect(!r.signaled && !r.timedOut, "\(r)")
        #expect(
            Self.normalised(r.stdout + r.stderr) == Self.normalised(example.expected),
            "docs/diagnostics/\(example.page) shows output fjord no longer prints; it prints:\n\(r.stdout)\(r.stderr)")
    }
}
