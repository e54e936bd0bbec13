import FjordYAML
import Foundation
import Testing
import _FjordTestSupport

/// Fjord in a team's workflow (issue 14): the configuration file, output controls, inputs that
/// need rendering, and the glue (GitHub Action entry script, pre-commit hook, kubectl plugin,
/// container image), each run as a user runs it.
@Suite struct WorkflowTests {
    static let mistakes = "fixtures/examples/oslo-shop/mistakes"

    static func codes(_ json: [String: Any]) -> [String] {
        (json["diagnostics"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
    }

    /// A copy of the demo's mistakes in a scratch directory, with `config` as its `.fjord.yaml`.
    static func meshWithConfig(_ config: String?) throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory("fjord-config")
        for name in try FileManager.default.contentsOfDirectory(atPath: RepoPaths.path(mistakes)) {
            try dir.write("mesh/\(name)", try RepoPaths.read("\(mistakes)/\(name)"))
        }
        if let config { try dir.write(".fjord.yaml", config) }
        return dir
    }

    // MARK: Configuration file

    @Test func configurationFileIsFoundUpwardsAndApplied() throws {
        let dir = try Self.meshWithConfig(
            """
            # team settings
            disable: [FJ2104]
            failOn: warning
            severity:
              FJ2002: error
            suppress:
              - code: FJ3001
                resource: "* */*"
                reason: legacy clients move to mTLS in Q3
                owner: team-platform

            """)
        let r = try FjordProcess.run(["check", "--format", "json", "mesh"], in: dir.url)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] ?? [:]
        let codes = Self.codes(json)
        #expect(!codes.contains("FJ2104") && !codes.contains("FJ3001") && codes.contains("FJ2002"), "\(r)")
        let fj2002 = (json["diagnostics"] as? [[String: Any]] ?? []).first { $0["code"] as? String == "FJ2002" }
        #expect(fj2002?["severity"] as? String == "error", "\(r)")
        let summary = json["summary"] as? [String: Any]
        #expect((summary?["suppressed"] as? Int ?? 0) > 0, "\(r)")
        #expect(r.exited(1), "\(r)")
        // --show-suppressed lists them with the rule, the reason and the owner.
        let shown = try FjordProcess.run(["check", "--compact", "--show-suppressed", "mesh"], in: dir.url)
        #expect(shown.stdout.contains("suppressed:\n"), "\(shown)")
        #expect(
            shown.stdout.contains(
                "by .fjord.yaml:7 `FJ3001`: legacy clients move to mTLS in Q3 (owner: team-platform)"),
            "\(shown)")
        #expect(shown.stdout.contains(" suppressed)"), "the summary counts them: \(shown)")
        // --no-config ignores it; the command line wins over it.
        let plain = try FjordProcess.checkJSON(["--no-config", dir.url.appendingPathComponent("mesh").path])
        #expect(Self.codes(plain.1).contains("FJ2104"), "\(plain.0)")
        let lenient = try FjordProcess.run(["check", "--fail-on", "error", "--disable", "FJ2002", "mesh"], in: dir.url)
        #expect(!lenient.stdout.contains("FJ2002"), "\(lenient)")
    }

    @Test func unknownConfigurationKeysGetFJ1003WithASuggestion() throws {
        let dir = try Self.meshWithConfig("disabel: [FJ2104]\nfailOn: fatal\n")
        let r = try FjordProcess.run(["check", "mesh"], in: dir.url)
        #expect(r.stdout.contains(".fjord.yaml:1:1: warning: [FJ1003] unknown field `disabel`"), "\(r)")
        #expect(r.stdout.contains("did you mean `disable`?"), "\(r)")
        #expect(r.stdout.contains(".fjord.yaml:2:9: error: [FJ1004]"), "\(r)")
        #expect(r.exited(2), "a broken configuration is like a bad option: \(r)")
    }

    @Test func excludeGlobsAndResidencyPolicyPath() throws {
        let dir = try Self.meshWithConfig("exclude: [\"mesh/legacy.yaml\", \"**/egress.yaml\"]\n")
        let r = try FjordProcess.run(["check", "--format", "json", "mesh"], in: dir.url)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] ?? [:]
        let files = Set((json["diagnostics"] as? [[String: Any]] ?? []).compactMap { $0["file"] as? String })
        #expect(!files.contains { $0.hasSuffix("legacy.yaml") || $0.hasSuffix("egress.yaml") }, "\(files)")
        #expect((json["summary"] as? [String: Any])?["files"] as? Int == 16, "\(r)")
        // The residency policy, kept elsewhere, is read with every run.
        let moved = try Self.meshWithConfig("residencyPolicy: policy/residency.yaml\n")
        try FileManager.default.createDirectory(
            at: moved.url.appendingPathComponent("policy"), withIntermediateDirectories: true)
        try FileManager.default.moveItem(
            at: moved.url.appendingPathComponent("mesh/residency.yaml"),
            to: moved.url.appendingPathComponent("policy/residency.yaml"))
        let with = try FjordProcess.run(["check", "--compact", "mesh"], in: moved.url)
        let without = try FjordProcess.run(["check", "--compact", "--no-config", "mesh"], in: moved.url)
        #expect(with.stdout.contains("FJ4001"), "\(with)")
        #expect(!without.stdout.contains("FJ4001"), "\(without)")
    }

    @Test func suppressTakesIstioctlsForm() throws {
        let all = try FjordProcess.checkJSON(["--no-config", Self.mistakes])
        #expect(Self.codes(all.1).contains("FJ2002"), "\(all.0)")
        for rule in ["FJ2002=VirtualService checkout.shop", "FJ2002=VirtualService shop/check*", "fj2002"] {
            let r = try FjordProcess.checkJSON(["--no-config", "--suppress", rule, Self.mistakes])
            let left = (r.1["diagnostics"] as? [[String: Any]] ?? []).filter {
                $0["code"] as? String == "FJ2002"
                    && (($0["resource"] as? [String: Any])?["name"] as? String) == "checkout"
            }
            #expect(left.isEmpty, "\(rule): \(r.0)")
        }
        let bad = try FjordProcess.run(["check", "--suppress", "FJ9999=VirtualService a/b", Self.mistakes])
        #expect(bad.exited(2), "\(bad)")
    }

    // MARK: Output controls

    @Test func sourceRootMakesSARIFAndGitHubPathsRelative() throws {
        let root = RepoPaths.root.path
        let sarif = try FjordProcess.run(["check", "--format", "sarif", "--source-root", root, Self.mistakes])
        #expect(sarif.stdout.contains("\"originalUriBaseIds\""), "\(sarif)")
        #expect(sarif.stdout.contains("\"uri\": \"fixtures/examples/oslo-shop/mistakes/checkout.yaml\""), "\(sarif)")
        let gh = try FjordProcess.run(["check", "--format", "github", "--source-root", root, Self.mistakes])
        #expect(gh.stdout.contains("file=fixtures/examples/oslo-shop/mistakes/checkout.yaml,"), "\(gh)")
    }

    @Test func outputWritesASecondFormatToAFile() throws {
        let dir = try TemporaryDirectory()
        let out = dir.url.appendingPathComponent("fjord.sarif").path
        let junit = dir.url.appendingPathComponent("report.xml").path
        let r = try FjordProcess.run(["check", "--no-config", "--output", out, Self.mistakes])
        #expect(r.stdout.contains("warning: [FJ2002]"), "text still goes to the terminal: \(r)")
        let sarif = try String(contentsOfFile: out, encoding: .utf8)
        #expect(sarif.contains("\"$schema\"") && sarif.contains("FJ2002"), "\(sarif)")
        _ = try FjordProcess.run(["check", "--no-config", "--output", junit, Self.mistakes])
        #expect(try String(contentsOfFile: junit, encoding: .utf8).hasPrefix("<?xml"))
        let unknown = try FjordProcess.run(["check", "--output", "report.out", Self.mistakes])
        #expect(unknown.exited(2) && unknown.stderr.contains("--output-format"), "\(unknown)")
    }

    @Test(arguments: ["json", "junit", "sarif"])
    func machineFormatsAreByteForByteDeterministic(_ format: String) throws {
        let a = try FjordProcess.run(["check", "--no-config", "--format", format, Self.mistakes])
        let b = try FjordProcess.run(["check", "--no-config", "--format", format, Self.mistakes])
        #expect(a.stdout == b.stdout, "two runs differ")
        #expect(!a.stdout.isEmpty)
        if format == "json" { #expect(a.stdout.contains("\"durationMs\": null"), "\(a)") }
        if format == "junit" { #expect(!a.stdout.contains(" time=\""), "\(a)") }
    }

    @Test func quietPrintsOnlyWhatFails() throws {
        let clean = try FjordProcess.run(["check", "--no-config", "--quiet", "fixtures/examples/oslo-shop/clean"])
        #expect(clean.exited(0) && clean.stdout.isEmpty, "\(clean)")
        let failing = try FjordProcess.run(["check", "--no-config", "-q", "--compact", Self.mistakes])
        #expect(failing.exited(1), "\(failing)")
        #expect(!failing.stdout.contains("warning:"), "warnings do not fail the run: \(failing)")
        #expect(failing.stdout.contains("error:"), "\(failing)")
        #expect(!failing.stdout.contains(" in 18 files"), "no summary: \(failing)")
    }

    @Test func colorIsChosenByFlagAndNoColor() throws {
        let always = try FjordProcess.run(["check", "--no-config", "--color", "always", Self.mistakes])
        #expect(always.stdout.contains("\u{1B}["), "\(always)")
        let never = try FjordProcess.run(["check", "--no-config", "--color", "never", Self.mistakes])
        #expect(!never.stdout.contains("\u{1B}["), "\(never)")
        let noColor = try FjordProcess.run(
            ["check", "--no-config", Self.mistakes], environment: Tool.environment(["NO_COLOR": "1", "TERM": "xterm"]))
        #expect(!noColor.stdout.contains("\u{1B}["), "\(noColor)")
    }

    @Test func maxErrorsSaysWhenItTruncated() throws {
        let all = try FjordProcess.run(["check", "--no-config", "--compact", Self.mistakes])
        let errors = all.stdout.split(separator: "\n").filter { $0.contains(": error: ") }.count
        try #require(errors > 1, "\(all)")
        let one = try FjordProcess.run(["check", "--no-config", "--compact", "--max-errors", "1", Self.mistakes])
        #expect(one.stderr.contains("stopped after 1 error (--max-errors 1)"), "\(one)")
        let enough = try FjordProcess.run([
            "check", "--no-config", "--compact", "--max-errors", String(errors), Self.mistakes,
        ])
        #expect(!enough.stderr.contains("stopped after"), "\(enough)")
    }

    // MARK: Inputs that need rendering

    @Test func helmChartsAndKustomizeDirectoriesGetOneDiagnosticEach() throws {
        let dir = try TemporaryDirectory("fjord-render")
        try dir.write("deploy/charts/shop/Chart.yaml", "apiVersion: v2\nname: shop\nversion: 0.1.0\n")
        try dir.write("deploy/charts/shop/values.yaml", "host: shop\n")
        try dir.write(
            "deploy/charts/shop/templates/vs.yaml",
            "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: {{ .Release.Name }}\n")
        try dir.write("deploy/overlays/prod/kustomization.yaml", "resources: [../../base]\n")
        try dir.write("deploy/overlays/prod/patch.yaml", "spec:\n  replicas: 3\n")
        try dir.write("deploy/plain/cart.yaml", try RepoPaths.read("fixtures/examples/oslo-shop/clean/cart.yaml"))
        let r = try FjordProcess.run(["check", "--no-config", "--compact", "deploy"], in: dir.url)
        let lines = r.stdout.split(separator: "\n").filter { $0.contains("[FJ1041]") }
        #expect(lines.count == 2, "\(r)")
        #expect(
            r.stdout.contains(
                "`deploy/charts/shop` is a Helm chart: check its output with `helm template deploy/charts/shop | fjord check -`"
            ), "\(r)")
        #expect(
            r.stdout.contains(
                "`deploy/overlays/prod` is a kustomize directory: check its output with `kustomize build deploy/overlays/prod | fjord check -`"
            ), "\(r)")
        #expect(!r.stdout.contains("FJ1001") && !r.stdout.contains("FJ1007"), "\(r)")
        #expect(r.exited(0), "\(r)")
        // Only a chart: nothing was checked.
        let only = try FjordProcess.run(["check", "--no-config", "deploy/charts"], in: dir.url)
        #expect(only.exited(2) && only.stdout.contains("[FJ1041]"), "\(only)")
    }

    // MARK: kubectl plugin

    /// `kubectl fjord` with a stand-in `kubectl` that prints the demo mesh as `kubectl get -o yaml`
    /// does (a `List`) and records its arguments.
    @Test func kubectlPluginPipesTheClusterIntoFjord() throws {
        let dir = try TemporaryDirectory("fjord-kubectl")
        var items = ""
        for name in try FileManager.default.contentsOfDirectory(atPath: RepoPaths.path(Self.mistakes)).sorted() {
            items += try RepoPaths.read("\(Self.mistakes)/\(name)") + "\n---\n"
        }
        try dir.write("cluster.yaml", items)
        let fake = try dir.write(
            "bin/kubectl", "#!/bin/sh\necho \"$@\" > \"\(dir.path)/args\"\ncat \"\(dir.path)/cluster.yaml\"\n")
        chmod(fake, 0o755)
        let env = Tool.environment(["PATH": "\(dir.path)/bin:\(Tool.binaryDirectory):/usr/bin:/bin"])
        let r = try Tool.run(
            RepoPaths.path("scripts/kubectl-fjord"), ["--context", "prod", "--compact", "--no-config"], in: dir.url,
            environment: env, timeout: 60)
        #expect(r.exited(1), "\(r)")
        #expect(r.stdout.contains("<stdin>:") && r.stdout.contains("[FJ2002]"), "\(r)")
        let args = try String(contentsOfFile: "\(dir.path)/args", encoding: .utf8)
        #expect(args.contains("--context=prod get ") && args.contains("virtualservices.networking.istio.io"), "\(args)")
        #expect(args.contains(" -A -o yaml"), "\(args)")
    }

    // MARK: GitHub Action

    /// `action.yml` has what GitHub's action metadata schema requires: name, description, and
    /// `runs` with `using: composite` and steps that each `run` (with a `shell`) or `uses`.
    @Test func actionMetadataHasTheRequiredKeys() throws {
        let yaml = try ParsedYAML(RepoPaths.path("action.yml"))
        #expect(yaml.text(["name"])?.isEmpty == false)
        #expect(yaml.text(["description"])?.isEmpty == false)
        #expect(yaml.text(["runs", "using"]) == "composite")
        let steps = yaml.sequence(["runs", "steps"])
        #expect(!steps.isEmpty)
        for step in steps {
            let run = step["run"] != nil
            let uses = step["uses"] != nil
            #expect(run != uses, "a step either runs or uses")
            if run { #expect(step["shell"] != nil, "a composite `run` step needs `shell`") }
        }
        for (name, input) in yaml.mapping(["inputs"]) {
            #expect(input["description"] != nil, "input \(name) has no description")
        }
        for (name, output) in yaml.mapping(["outputs"]) {
            #expect(output["value"] != nil, "a composite action's output \(name) needs `value`")
        }
        // Every input the entry script reads is declared, and passed to it.
        let script = try RepoPaths.read("scripts/action-entry.sh")
        let action = try RepoPaths.read("action.yml")
        for variable in [
            "INPUT_PATHS", "INPUT_FAIL_ON", "INPUT_CONFIG", "INPUT_ARGS", "INPUT_SARIF", "INPUT_FJORD",
            "INPUT_DIFF_BASE", "INPUT_COMMENT",
        ] {
            #expect(script.contains(variable) && action.contains("\(variable): ${{ inputs."), "\(variable)")
        }
    }

    /// The entry script as GitHub runs it, on the demo mesh: annotations with paths relative to
    /// the workspace, a SARIF file, the outputs and the step summary.
    @Test func actionEntryScriptRunsOnTheDemoMesh() throws {
        let dir = try TemporaryDirectory("fjord-action")
        let outputs = dir.url.appendingPathComponent("outputs").path
        let summary = dir.url.appendingPathComponent("summary.md").path
        let sarif = dir.url.appendingPathComponent("fjord.sarif").path
        let env = Tool.environment([
            "GITHUB_WORKSPACE": RepoPaths.root.path, "GITHUB_OUTPUT": outputs, "GITHUB_STEP_SUMMARY": summary,
            "INPUT_PATHS": Self.mistakes, "INPUT_SARIF": sarif, "INPUT_FAIL_ON": "error", "INPUT_ARGS": "--no-config",
        ])
        let r = try Tool.run(
            RepoPaths.path("scripts/action-entry.sh"), [], in: dir.url, environment: env, timeout: 120)
        #expect(r.exited(1), "\(r)")
        #expect(r.stdout.contains("::warning file=fixtures/examples/oslo-shop/mistakes/checkout.yaml,"), "\(r)")
        #expect(r.stdout.contains("::error "), "\(r)")
        let written = try String(contentsOfFile: outputs, encoding: .utf8)
        #expect(written.contains("exit-code=1\n") && written.contains("sarif=\(sarif)\n"), "\(written)")
        let doc =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: sarif))) as? [String: Any]
        #expect(doc?["version"] as? String == "2.1.0")
        #expect(try String(contentsOfFile: summary, encoding: .utf8).contains("### fjord check"))
        // The clean variant passes.
        var cleanEnv = env
        cleanEnv["INPUT_PATHS"] = "fixtures/examples/oslo-shop/clean"
        let clean = try Tool.run(
            RepoPaths.path("scripts/action-entry.sh"), [], in: dir.url, environment: cleanEnv, timeout: 120)
        #expect(clean.exited(0), "\(clean)")
    }

    /// With `diff-base`, the entry script writes `fjord diff --git`'s Markdown for the pull
    /// request: to the `diff` output's file and the step summary (the canary 10 -> 50 change).
    @Test(.enabled(if: Tool.which("git") != nil))
    func actionEntryScriptWritesTheDiffMarkdown() throws {
        let gitPath = try #require(Tool.which("git"))
        let dir = try TemporaryDirectory("fjord-action-diff")
        let outputs = dir.url.appendingPathComponent("outputs").path
        let summary = dir.url.appendingPathComponent("summary.md").path
        let env = Tool.environment([
            "GITHUB_WORKSPACE": dir.path, "GITHUB_OUTPUT": outputs, "GITHUB_STEP_SUMMARY": summary,
            "RUNNER_TEMP": dir.path, "INPUT_PATHS": "mesh", "INPUT_SARIF": "", "INPUT_ARGS": "--no-config",
            "INPUT_DIFF_BASE": "HEAD", "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.invalid",
        ])
        func git(_ args: [String]) throws {
            let r = try Tool.run(gitPath, args, in: dir.url, environment: env, timeout: 30)
            try #require(r.exited(0), "\(r)")
        }
        let old = RepoPaths.path("fixtures/diff/canary/old")
        let new = RepoPaths.path("fixtures/diff/canary/new")
        func copy(_ from: String) throws {
            for name in try FileManager.default.contentsOfDirectory(atPath: from) {
                try dir.write("mesh/\(name)", try String(contentsOfFile: "\(from)/\(name)", encoding: .utf8))
            }
        }
        try git(["init", "-q", "-b", "main"])
        try copy(old)
        try git(["add", "."])
        try git(["commit", "-q", "-m", "base"])
        try copy(new)
        let r = try Tool.run(
            RepoPaths.path("scripts/action-entry.sh"), [], in: dir.url, environment: env, timeout: 120)
        #expect(r.exited(0), "\(r)")
        let written = try String(contentsOfFile: outputs, encoding: .utf8)
        let markdown = try String(contentsOfFile: dir.url.appendingPathComponent("fjord-diff.md").path, encoding: .utf8)
        #expect(written.contains("diff=\(dir.path)/fjord-diff.md\n"), "\(written)")
        #expect(markdown.hasPrefix("### fjord diff: behaviour changed"), "\(markdown)")
        #expect(markdown.contains("10 % -> 50 %"), "\(markdown)")
        #expect(try String(contentsOfFile: summary, encoding: .utf8).contains("### fjord diff"))
    }

    // MARK: pre-commit

    /// The hook with the real `pre-commit` (PyPI) in a throw-away git repository; skipped when
    /// pre-commit is not installed (CI installs it: .ci/run).
    @Test(.enabled(if: Tool.which("pre-commit") != nil && Tool.which("git") != nil))
    func preCommitHookRunsFjordCheck() throws {
        let preCommit = try #require(Tool.which("pre-commit"))
        let gitPath = try #require(Tool.which("git"))
        let dir = try TemporaryDirectory("fjord-pre-commit")
        let home = try TemporaryDirectory("fjord-pre-commit-home")
        let env = Tool.environment([
            "PRE_COMMIT_HOME": home.path, "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.invalid",
        ])
        func git(_ args: [String]) throws {
            let r = try Tool.run(gitPath, args, in: dir.url, environment: env, timeout: 30)
            try #require(r.exited(0), "\(r)")
        }
        try git(["init", "-q", "-b", "main"])
        try dir.write("mesh/checkout.yaml", try RepoPaths.read("\(Self.mistakes)/checkout.yaml"))
        try dir.write("mesh/cart.yaml", try RepoPaths.read("fixtures/examples/oslo-shop/clean/cart.yaml"))
        try dir.write(
            "mesh/broken.yaml",
            "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: b, namespace: shop}\n"
                + "spec:\n  hosts: [b]\n  http:\n  - route: [{destination: {host: b, port: {number: 90800}}}]\n    timeout: 1s\n"
        )
        try dir.write(".pre-commit-config.yaml", "repos: []\n")
        try git(["add", "."])
        let failing = try Tool.run(
            preCommit, ["try-repo", RepoPaths.root.path, "fjord-check", "--all-files"], in: dir.url, environment: env,
            timeout: 300)
        #expect(failing.exited(1), "\(failing)")
        #expect(failing.stdout.contains("mesh/broken.yaml:7:") && failing.stdout.contains("[FJ1016]"), "\(failing)")
        #expect(!failing.stdout.contains(".pre-commit-config.yaml:"), "CI files are excluded: \(failing)")
        try FileManager.default.removeItem(at: dir.url.appendingPathComponent("mesh/broken.yaml"))
        try git(["add", "-A"])
        let passing = try Tool.run(
            preCommit, ["try-repo", RepoPaths.root.path, "fjord-check", "--all-files"], in: dir.url, environment: env,
            timeout: 300)
        #expect(passing.exited(0), "\(passing)")
        #expect(passing.stdout.contains("fjord check") && passing.stdout.contains("Passed"), "\(passing)")
    }

    @Test func preCommitHooksFileDeclaresTheHook() throws {
        let yaml = try ParsedYAML(RepoPaths.path(".pre-commit-hooks.yaml"))
        let hooks = yaml.root?.sequence ?? []
        let hook = hooks.first { $0["id"]?.text == "fjord-check" }
        #expect(hook?["entry"]?.text?.hasPrefix("fjord check") == true)
        #expect(hook?["language"]?.text == "system")
        #expect(hook?["types"]?.sequence?.compactMap(\.text) == ["yaml"])
        #expect(hook?["name"] != nil)
    }

    // MARK: Container image

    /// The image builds with podman or docker when one can build here; skipped cleanly when
    /// neither can (no engine, or no daemon).
    @Test(.enabled(if: ContainerEngine.usable != nil)) func containerImageBuilds() throws {
        let engine = try #require(ContainerEngine.usable)
        let tag = "fjord-test:\(UUID().uuidString.prefix(8).lowercased())"
        let r = try Tool.run(
            engine, ["build", "-t", tag, "-f", "Containerfile", "."], in: RepoPaths.root, timeout: 3600)
        #expect(r.exited(0), "\(r)")
        let v = try Tool.run(engine, ["run", "--rm", tag, "--version"], in: RepoPaths.root, timeout: 120)
        #expect(v.stdout.contains("0.1.0"), "\(v)")
        let size = try Tool.run(engine, ["image", "inspect", "--format", "{{.Size}}", tag], in: RepoPaths.root)
        let bytes = Int(size.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? .max
        #expect(bytes < 100_000_000, "the runtime image is \(bytes) bytes")
        _ = try? Tool.run(engine, ["rmi", "-f", tag], in: RepoPaths.root)
    }

    @Test func containerfileHasASwiftBuildStageAndASlimDebianRuntime() throws {
        let text = try RepoPaths.read("Containerfile")
        let froms = text.split(separator: "\n").filter { $0.hasPrefix("FROM ") }
        #expect(froms.count == 2, "multi-stage: a build and a runtime stage")
        #expect(text.contains("swift:") && text.contains("AS build"))
        #expect(text.contains("debian:") && text.contains("-slim"))
        #expect(text.contains("libyaml-0-2") && text.contains("COPY --from=build"))
    }

    // MARK: Generated sources

    @Test func generatedConfigSchemaIsUpToDate() throws {
        let expected = try GeneratedSources.configSchema(from: try RepoPaths.read("grammar/config.yaml"))
        let path = "Sources/FjordFrontend/ConfigSchema.generated.swift"
        if regenerating { try expected.write(toFile: RepoPaths.path(path), atomically: true, encoding: .utf8) }
        #expect(try RepoPaths.read(path) == expected, "\(path) is stale: run `make generate`")
    }

    @Test func generatedDiagnosticPagesAreUpToDate() throws {
        let dir = RepoPaths.root.appendingPathComponent("docs/diagnostics")
        let pages = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter {
            $0.hasPrefix("FJ") && $0.hasSuffix(".md")
        }.map {
            (
                code: String($0.dropLast(3)),
                text: try String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8)
            )
        }
        let expected = try GeneratedSources.diagnosticPages(pages)
        let path = "Sources/fjord/Pages.generated.swift"
        if regenerating { try expected.write(toFile: RepoPaths.path(path), atomically: true, encoding: .utf8) }
        #expect(try RepoPaths.read(path) == expected, "\(path) is stale: run `make generate`")
    }
}

/// podman or docker, when it can build images here (a client without a daemon cannot).
enum ContainerEngine {
    static let usable: String? = {
        for name in ["podman", "docker"] {
            guard let path = Tool.which(name) else { continue }
            if let r = try? Tool.run(path, ["info"], in: RepoPaths.root, timeout: 20), r.exited(0) { return path }
        }
        return nil
    }()
}
