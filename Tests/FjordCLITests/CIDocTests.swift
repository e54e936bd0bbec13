import FjordYAML
import Foundation
import Testing
import _FjordTestSupport

/// The copy-paste blocks of docs/ci.md, run where they can be: each block follows a
/// `<!-- ci-doc: NAME -->` line.
@Suite struct CIDocTests {
    static func block(_ name: String) throws -> String {
        let doc = try RepoPaths.read("docs/ci.md")
        let lines = doc.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let marker = lines.firstIndex(of: "<!-- ci-doc: \(name) -->"), marker + 1 < lines.count,
            lines[marker + 1].hasPrefix("```")
        else { throw FjordProcess.Failure(description: "docs/ci.md has no block `\(name)`") }
        var body: [String] = []
        var i = marker + 2
        while i < lines.count, !lines[i].hasPrefix("```") {
            body.append(lines[i])
            i += 1
        }
        return body.joined(separator: "\n") + "\n"
    }

    /// The demo's mistakes in `dir/mesh` (without the residency policy, which the configuration
    /// block reads from `policy/`).
    static func demo(in dir: TemporaryDirectory) throws {
        let mistakes = "fixtures/examples/oslo-shop/mistakes"
        for name in try FileManager.default.contentsOfDirectory(atPath: RepoPaths.path(mistakes)) {
            let text = try RepoPaths.read("\(mistakes)/\(name)")
            try dir.write(name == "residency.yaml" ? "policy/\(name)" : "mesh/\(name)", text)
        }
    }

    @Test func configurationBlockIsValid() throws {
        let dir = try TemporaryDirectory("fjord-ci-doc")
        try Self.demo(in: dir)
        try dir.write(".fjord.yaml", try Self.block("config"))
        let r = try FjordProcess.run(["check", "--compact", "mesh/"], in: dir.url)
        #expect(!r.stdout.contains(".fjord.yaml:"), "the example configuration has problems: \(r)")
        #expect(r.exited(1), "\(r)")
        #expect(r.stdout.contains("[FJ4001]"), "its residency policy is read: \(r)")
        #expect(!r.stdout.contains("[FJ1007]"), "its `disable` applies: \(r)")
    }

    @Test func githubWorkflowBlockUsesTheActionsInputs() throws {
        let dir = try TemporaryDirectory("fjord-ci-doc")
        let file = try dir.write("fjord.yml", try Self.block("github"))
        let workflow = try ParsedYAML(file)
        let action = try ParsedYAML(RepoPaths.path("action.yml"))
        let inputs = Set(action.mapping(["inputs"]).map(\.0))
        let steps = workflow.sequence(["jobs", "check", "steps"])
        let fjord = try #require(steps.first { $0["uses"]?.text?.contains("/fjord@") == true })
        for pair in fjord["with"]?.mapping ?? [] {
            let key = pair.key.text ?? ""
            #expect(inputs.contains(key), "the workflow passes `\(key)`, which action.yml does not declare")
        }
        #expect(workflow.text(["permissions", "security-events"]) == "write")
    }

    /// The GitLab job's script, run with the built fjord on the demo mesh: it fails (findings) and
    /// leaves the JUnit report the artifacts keep.
    @Test func gitlabBlockWritesTheJUnitReport() throws {
        let dir = try TemporaryDirectory("fjord-ci-doc")
        try Self.demo(in: dir)
        let file = try dir.write(".gitlab-ci.yml", try Self.block("gitlab"))
        let job = try ParsedYAML(file)
        let script = job.sequence(["fjord", "script"]).compactMap(\.text)
        let report = try #require(job.text(["fjord", "artifacts", "reports", "junit"]))
        #expect(job.text(["fjord", "artifacts", "when"]) == "always")
        try #require(!script.isEmpty)
        let sh = try #require(Tool.which("sh"))
        let r = try Tool.run(sh, ["-c", script.joined(separator: "\n")], in: dir.url, timeout: 120)
        #expect(r.exited(1), "\(r)")
        #expect(r.stdout.contains("[FJ2002]"), "\(r)")
        let xml = try String(contentsOf: dir.url.appendingPathComponent(report), encoding: .utf8)
        #expect(xml.hasPrefix("<?xml") && xml.contains("<testsuites"), "\(xml)")
    }

    @Test func preCommitBlockNamesTheHook() throws {
        let dir = try TemporaryDirectory("fjord-ci-doc")
        let file = try dir.write(".pre-commit-config.yaml", try Self.block("pre-commit"))
        let config = try ParsedYAML(file)
        let hooks = try ParsedYAML(RepoPaths.path(".pre-commit-hooks.yaml"))
        let ids = Set((hooks.root?.sequence ?? []).compactMap { $0["id"]?.text })
        let used = config.sequence(["repos"]).flatMap { $0["hooks"]?.sequence ?? [] }.compactMap { $0["id"]?.text }
        #expect(!used.isEmpty)
        for id in used { #expect(ids.contains(id), "docs/ci.md uses hook `\(id)`, not in .pre-commit-hooks.yaml") }
    }

    /// The live-cluster pipe with a stand-in `kubectl` that prints the demo mesh as a `List`.
    @Test func liveClusterPipeRuns() throws {
        let dir = try TemporaryDirectory("fjord-ci-doc")
        var list = "apiVersion: v1\nkind: List\nitems:\n"
        let mistakes = "fixtures/examples/oslo-shop/mistakes"
        var documents = ""
        for name in try FileManager.default.contentsOfDirectory(atPath: RepoPaths.path(mistakes)).sorted() {
            documents += try RepoPaths.read("\(mistakes)/\(name)") + "\n---\n"
        }
        try dir.write("cluster.yaml", documents)
        list = "#!/bin/sh\necho \"$@\" > \"\(dir.path)/args\"\ncat \"\(dir.path)/cluster.yaml\"\n"
        let fake = try dir.write("bin/kubectl", list)
        chmod(fake, 0o755)
        let command = try Self.block("live").trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(command.hasPrefix("kubectl get ") && command.hasSuffix("-A -o yaml | fjord check -"), "\(command)")
        let sh = try #require(Tool.which("sh"))
        let env = Tool.environment(["PATH": "\(dir.path)/bin:\(Tool.binaryDirectory):/usr/bin:/bin"])
        let r = try Tool.run(
            sh, ["-c", command + " --no-config --compact"], in: dir.url, environment: env, timeout: 60)
        #expect(r.exited(1), "\(r)")
        #expect(r.stdout.contains("<stdin>:") && r.stdout.contains("[FJ2002]"), "\(r)")
    }
}
