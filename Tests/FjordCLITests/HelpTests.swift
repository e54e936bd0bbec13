import Foundation
import Testing
import _FjordTestSupport

/// Every command has help with an example, and `docs/cli.md` (written by scripts/cli-doc.sh)
/// shows the current help of each.
@Suite struct HelpTests {
    static let commands = ["check", "diff", "compile", "explain", "residency", "graph", "generate", "checks"]

    @Test(arguments: commands)
    func everyCommandHasHelpWithAnExample(_ command: String) throws {
        let r = try FjordProcess.run(["help", command])
        #expect(r.exited(0), "\(r)")
        #expect(r.stdout.contains("Example"), "`fjord help \(command)` has no example")
        let doc = try RepoPaths.read("docs/cli.md")
        let help = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }.joined(separator: "\n")
        #expect(
            doc.contains(help.trimmingCharacters(in: .whitespacesAndNewlines)),
            "docs/cli.md is stale for `fjord \(command)`: run scripts/cli-doc.sh")
    }

    @Test func everyCommandIsListed() throws {
        let r = try FjordProcess.run(["--help"])
        for c in Self.commands { #expect(r.stdout.contains("  \(c) "), "`fjord --help` does not list \(c)") }
    }
}
