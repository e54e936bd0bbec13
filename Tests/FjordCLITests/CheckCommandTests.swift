import Foundation
import Testing
import _FjordTestSupport

/// `fjord check`, `fjord generate` and `fjord checks` run as the user runs them: the built
/// executable in a subprocess, real files, real exit codes.
@Suite struct CheckCommandTests {
    // MARK: Exit codes

    @Test func cleanFileExitsZero() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("clean.yaml", Samples.clean)
        let r = try FjordProcess.run(["check", file])
        #expect(r.exited(0), "\(r)")
        #expect(r.stdout.contains("no problems found in 1 file (1 resource)"), "\(r)")
        #expect(r.stderr.isEmpty, "\(r)")
    }

    @Test func errorFindingExitsOne() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("ports.yaml", Samples.badPorts)
        let r = try FjordProcess.run(["check", file])
        #expect(r.exited(1), "\(r)")
        #expect(r.stdout.contains("\(file):11:13: error: [FJ1016]"), "\(r)")
        #expect(r.stdout.contains("\(file):16:19: error: [FJ1016]"), "\(r)")
        #expect(r.stdout.contains("2 errors in 1 file"), "\(r)")
    }

    @Test func failOnWarningTurnsAWarningIntoExitOne() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("warn.yaml", Samples.unknownField)
        let plain = try FjordProcess.run(["check", file])
        #expect(plain.exited(0), "a warning alone does not fail the default run: \(plain)")
        #expect(plain.stdout.contains("\(file):9:3: warning: [FJ1003] unknown field `htp` in `spec`"), "\(plain)")
        let strict = try FjordProcess.run(["check", "--fail-on", "warning", file])
        #expect(strict.exited(1), "\(strict)")
        let info = try FjordProcess.run(["check", "--fail-on", "info", file])
        #expect(info.exited(1), "\(info)")
        let errorOnly = try FjordProcess.run(["check", "--fail-on", "error", file])
        #expect(errorOnly.exited(0), "\(errorOnly)")
    }

    @Test func missingPathExitsTwoWithFJ1008AtAPosition() throws {
        let dir = try TemporaryDirectory()
        let missing = dir.url.appendingPathComponent("no-such-file.yaml").path
        let r = try FjordProcess.run(["check", missing])
        #expect(r.exited(2), "\(r)")
        #expect(r.stdout.contains("\(missing):1:1: error: [FJ1008]"), "\(r)")
        // A missing path next to a good file still fails the run.
        let good = try dir.write("clean.yaml", Samples.clean)
        let both = try FjordProcess.run(["check", "--compact", good, missing])
        #expect(both.exited(2), "\(both)")
        #expect(hasHeader(both.stdout, path: missing, code: "FJ1008"), "\(both)")
    }

    @Test(arguments: [
        (["check", "--bogus", "x.yaml"], "--bogus"),
        (["frobnicate"], "frobnicate"),
        (["check", "--istio-version", "one.fourteen", "x.yaml"], "--istio-version"),
        (["check", "--istio-version", "", "x.yaml"], "--istio-version"),
        (["check", "--disable", "FJ9999", "x.yaml"], "FJ9999"),
        (["check", "--disable", "nonsense", "x.yaml"], "nonsense"),
        (["check", "--format", "xml", "x.yaml"], "xml"),
        (["check", "--fail-on", "fatal", "x.yaml"], "fatal"),
        (["check", "--color", "sometimes", "x.yaml"], "sometimes"),
        (["check", "--max-errors", "-1", "x.yaml"], "--max-errors"),
        (["check"], "at least one file"),
        (["generate", "--services", "0", "--out", "/tmp/never-written"], "--services"),
        (["checks", "FJ9999"], "FJ9999"),
    ])
    func commandLineErrorsExitTwo(_ arguments: [String], mentions: String) throws {
        let r = try FjordProcess.run(arguments)
        #expect(r.exited(2), "\(r)")
        #expect(r.stderr.contains(mentions), "stderr should name `\(mentions)`: \(r)")
        #expect(r.stdout.isEmpty, "a usage error prints nothing on stdout: \(r)")
    }

    @Test func versionAndHelpExitZero() throws {
        let v = try FjordProcess.run(["--version"])
        #expect(v.exited(0), "\(v)")
        #expect(
            v.stdout.trimmingCharacters(in: .whitespacesAndNewlines).firstMatch(of: /^\d+\.\d+\.\d+$/) != nil, "\(v)")
        let h = try FjordProcess.run(["check", "--help"])
        #expect(h.exited(0), "\(h)")
        #expect(h.stdout.contains("--fail-on") && h.stdout.contains("fjord.dev/ignore"), "\(h)")
    }

    @Test func fileOfSkippedKindsIsValidInput() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write(
            "route.yaml",
            """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: reviews
            spec:
              parentRefs:
              - name: gateway

            """)
        let (r, json) = try FjordProcess.checkJSON([file])
        #expect(r.exited(0), "a kind Fjord does not model is skipped, not an error: \(r)")
        #expect(positions(json) == ["FJ1007@2:7"], "\(r)")
        let none = try FjordProcess.run(["check", try dir.write("values.yaml", "replicas: 3\n")])
        #expect(none.exited(2), "nothing Kubernetes-shaped at all: \(none)")
        #expect(none.stdout.contains("no resources found"), "\(none)")
    }

    // MARK: JSON

    @Test func jsonOutputIsTheDocumentedInterface() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("mixed.yaml", Samples.mixed)
        let (r, json) = try FjordProcess.checkJSON([file])
        #expect(r.exited(1), "\(r)")
        #expect(json["version"] as? Int == 1)
        #expect(positions(json) == ["FJ1003@9:3", "FJ1016@12:13", "FJ1016@17:19", "FJ1007@21:7"], "\(r)")
        let keys = [
            "code", "severity", "message", "file", "line", "column", "endLine", "endColumn", "resource", "notes", "fix",
            "witness",
        ]
        for d in diagnostics(json) {
            for k in keys { #expect(d.keys.contains(k), "diagnostic lacks `\(k)`: \(d)") }
            #expect((d["code"] as? String)?.firstMatch(of: /^FJ\d{4}$/) != nil)
            #expect(["error", "warning", "info"].contains(d["severity"] as? String ?? ""))
            #expect(d["file"] as? String == file)
            let line = d["line"] as? Int ?? 0, column = d["column"] as? Int ?? 0
            let endLine = d["endLine"] as? Int ?? 0, endColumn = d["endColumn"] as? Int ?? 0
            #expect(line >= 1 && column >= 1 && (endLine, endColumn) >= (line, column), "\(d)")
            #expect(d["notes"] is [Any])
            let resource = d["resource"] as? [String: Any]
            #expect(resource?["kind"] is String && resource?["name"] is String, "\(d)")
            #expect(resource?.keys.contains("namespace") == true)
        }
        let first = diagnostics(json).first
        #expect(first?["severity"] as? String == "warning")
        #expect((first?["fix"] as? [String: Any])?["replacement"] as? String == "http")
        #expect((first?["resource"] as? [String: Any])?["namespace"] as? String == "default")
        let s = summary(json)
        #expect(s["files"] as? Int == 1)
        #expect(s["resources"] as? Int == 1, "the Frobnicator is skipped, not modelled")
        #expect(s["errors"] as? Int == 2)
        #expect(s["warnings"] as? Int == 1)
        #expect(s["infos"] as? Int == 1)
        #expect(s["suppressed"] as? Int == 0)
        // No timings in JSON: the same input gives the same bytes (docs/output-formats.md).
        #expect(s["durationMs"] is NSNull)
    }

    // MARK: Inputs

    @Test func dashReadsStandardInput() throws {
        let r = try FjordProcess.run(["check", "--compact", "-"], stdin: Data(Samples.badPorts.utf8))
        #expect(r.exited(1), "\(r)")
        #expect(r.stdout.contains("<stdin>:11:13: error: [FJ1016]"), "\(r)")
        let clean = try FjordProcess.run(["check", "-"], stdin: Data(Samples.clean.utf8))
        #expect(clean.exited(0), "\(clean)")
        let empty = try FjordProcess.run(["check", "-"], stdin: Data())
        #expect(empty.exited(2), "\(empty)")
        #expect(hasHeader(empty.stdout, path: "<stdin>", code: "FJ1014"), "\(empty)")
    }

    @Test func directoryIsWalked() throws {
        let dir = try TemporaryDirectory()
        try dir.write("mesh/a.yaml", Samples.clean)
        let nested = try dir.write("mesh/team/b.yml", Samples.badPorts)
        try dir.write("mesh/team/notes.txt", "port: 0\n")
        try dir.write("mesh/README.md", "# not YAML\n")
        let (r, json) = try FjordProcess.checkJSON([dir.url.appendingPathComponent("mesh").path])
        #expect(r.exited(1), "\(r)")
        #expect(summary(json)["files"] as? Int == 2, "only .yaml and .yml files are read: \(r)")
        #expect(Set(diagnostics(json).compactMap { $0["file"] as? String }) == [nested], "\(r)")
    }

    @Test func disableSilencesACode() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("mixed.yaml", Samples.mixed)
        let (r, json) = try FjordProcess.checkJSON(["--disable", "FJ1016", file])
        #expect(r.exited(0), "only a warning and an info are left: \(r)")
        #expect(positions(json) == ["FJ1003@9:3", "FJ1007@21:7"], "\(r)")
        let (both, bothJSON) = try FjordProcess.checkJSON(["--disable", "FJ1016", "--disable", "fj1003", file])
        #expect(both.exited(0), "\(both)")
        #expect(positions(bothJSON) == ["FJ1007@21:7"], "a code is accepted in lowercase too: \(both)")
    }

    @Test func ignoreAnnotationSilencesOnlyTheListedCodesOnThatResource() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("ignore.yaml", Samples.ignoreAnnotation)
        let (r, json) = try FjordProcess.checkJSON([file])
        #expect(r.exited(1), "\(r)")
        let kept = diagnostics(json).map { d in
            "\(d["code"] ?? "?") \((d["resource"] as? [String: Any])?["name"] ?? "?")"
        }
        #expect(kept.contains("FJ1016 ratings"), "the resource without the annotation keeps its finding: \(kept)")
        #expect(!kept.contains("FJ1016 reviews"), "the annotated resource loses FJ1016: \(kept)")
        #expect(
            kept.contains { $0.hasSuffix(" reviews") && !$0.hasPrefix("FJ1016") },
            "other codes on the annotated resource stay: \(kept)")
        #expect(summary(json)["suppressed"] as? Int == 2, "\(r)")
        let text = try FjordProcess.run(["check", file])
        #expect(text.stdout.contains("(2 suppressed)"), "\(text)")
    }

    // MARK: Colour

    @Test func colourOnlyWhenAskedOrOnATerminal() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("warn.yaml", Samples.unknownField)
        let escape = "\u{1B}["
        let always = try FjordProcess.run(["check", "--color", "always", file])
        #expect(always.stdout.contains(escape), "\(always)")
        let auto = try FjordProcess.run(["check", file])
        #expect(!auto.stdout.contains(escape), "standard output is a file here, not a terminal: \(auto)")
        let never = try FjordProcess.run(["check", "--color", "never", file])
        #expect(!never.stdout.contains(escape))
        let json = try FjordProcess.run(["check", "--color", "always", "--format", "json", file])
        #expect(!json.stdout.contains(escape), "colour is for text output only")
    }

    // MARK: generate

    @Test func generateIsDeterministicAndItsMeshIsClean() throws {
        let dir = try TemporaryDirectory()
        let a = dir.url.appendingPathComponent("a").path
        let b = dir.url.appendingPathComponent("b").path
        let first = try FjordProcess.run(["generate", "--services", "50", "--seed", "3", "--out", a])
        let second = try FjordProcess.run(["generate", "--services", "50", "--seed", "3", "--out", b])
        #expect(first.exited(0) && second.exited(0), "\(first)\n\(second)")
        let filesA = RepoPaths.files(under: URL(fileURLWithPath: a), extensions: ["yaml", "yml"])
        let filesB = RepoPaths.files(under: URL(fileURLWithPath: b), extensions: ["yaml", "yml"])
        #expect(filesA.count > 50, "one file a service and more: \(filesA.count)")
        #expect(filesA.map { $0.path.dropFirst(a.count) } == filesB.map { $0.path.dropFirst(b.count) })
        for (x, y) in zip(filesA, filesB) {
            #expect(try Data(contentsOf: x) == Data(contentsOf: y), "\(x.lastPathComponent) differs between two runs")
        }
        let other = dir.url.appendingPathComponent("c").path
        _ = try FjordProcess.run(["generate", "--services", "50", "--seed", "4", "--out", other])
        let filesC = RepoPaths.files(under: URL(fileURLWithPath: other), extensions: ["yaml", "yml"])
        #expect(
            try filesC.map { try Data(contentsOf: $0) } != filesA.map { try Data(contentsOf: $0) },
            "another seed, another mesh")

        let (r, json) = try FjordProcess.checkJSON([a])
        #expect(r.exited(0), "\(r)")
        let s = summary(json)
        print(
            "fjord check on `generate --services 50 --seed 3`: \(s["files"] ?? "?") files, \(s["resources"] ?? "?") resources, "
                + "\(diagnostics(json).count) findings, \(s["durationMs"] ?? "?") ms")
        for d in diagnostics(json) {
            print(
                "  \(d["file"] ?? "?"):\(d["line"] ?? "?"):\(d["column"] ?? "?"): \(d["severity"] ?? "?"): [\(d["code"] ?? "?")] \(d["message"] ?? "")"
            )
        }
        let loud = diagnostics(json).filter { ($0["severity"] as? String) != "info" }
        #expect(loud.isEmpty, "the generated mesh is valid; these are false positives: \(loud)")
    }

    // MARK: checks

    @Test func checksListsCodesAndDescribesOne() throws {
        let all = try FjordProcess.run(["checks"])
        #expect(all.exited(0), "\(all)")
        #expect(all.stdout.contains("FJ1016") && all.stdout.contains("invalid-port"), "\(all)")
        #expect(all.stdout.contains("FJ1001") && all.stdout.contains("checks:"), "\(all)")
        let one = try FjordProcess.run(["checks", "FJ1016"])
        #expect(one.exited(0), "\(one)")
        #expect(one.stdout.hasPrefix("# FJ1016: invalid-port"), "the code's page: \(one)")
        #expect(one.stdout.contains("1 to 65535"), "\(one)")
        let lower = try FjordProcess.run(["checks", "fj1016"])
        #expect(lower.stdout == one.stdout)
    }
}
