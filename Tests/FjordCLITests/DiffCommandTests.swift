import Foundation
import Testing
import _FjordTestSupport

/// `fjord diff` and `fjord check --baseline` as the user runs them: the built executable on the
/// fixtures of fixtures/diff/<case>/{old,new}, whose expected text output is
/// fixtures/diff/<case>/expected.txt (regenerate with FJORD_REGENERATE=1 after checking the new
/// output by hand).
@Suite struct DiffCommandTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var exit: Int32
        /// Lines the output must hold, whatever else changes in the rendering.
        var mustContain: [String]
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "canary", exit: 1,
            mustContain: [
                "~ weights: rule `canary` of shop/payment-service -> rule `canary` of shop/payment-service",
                "payment-service.shop.svc.cluster.local v2: 10 % -> 50 %",
                "payment-service.shop.svc.cluster.local v1: 90 % -> 50 %",
                "1 request class changed on 1 host",
            ]),
        Case(
            name: "shadowing", exit: 1,
            mustContain: [
                "~ destination: rule `alice` of shop/payment-service -> rule `ali-prefix` of shop/payment-service",
                "witness: GET http://payment-service.shop.svc.cluster.local:8080/  x-user: alice",
                "rules now unreachable",
                "[FJ2002] rule `alice` can never match",
            ]),
        Case(
            name: "subset-removed", exit: 1,
            mustContain: [
                "503 for payment-service.shop.svc.cluster.local v3 (no such subset)",
                "witness: GET http://payment-service.shop.svc.cluster.local:8080/  x-beta: true",
                "subsets removed `v3`",
                "[FJ2102] subset `v3` of host `payment-service` is not defined by any DestinationRule",
            ]),
        Case(
            name: "locality-failover", exit: 1,
            mustContain: [
                "residency paths opened",
                "in us-east-1 (US), outside the allowed jurisdictions (EEA)",
                "path: payments/ledger -> risk.risk.svc.cluster.local:8080 (env `UPSTREAM_URL`, line 46) -> locality failover eu-north-1 -> us-east-1",
            ]),
        Case(
            name: "permissive-to-strict", exit: 1,
            mustContain: [
                "mTLS edges newly broken",
                "`legacy/batch-reporter` has no sidecar but calls `ledger.payments` on port 80, which PeerAuthentication `payments/default` makes STRICT",
            ]),
        Case(name: "reformatting", exit: 0, mustContain: ["no behaviour change"]),
    ]

    @Test(arguments: cases)
    func fixtureDiffIsTheExpectedOne(_ c: Case) throws {
        let dir = "fixtures/diff/\(c.name)"
        let r = try FjordProcess.run(["diff", "--color", "never", "\(dir)/old", "\(dir)/new"])
        #expect(r.exited(c.exit), "\(r)")
        for line in c.mustContain { #expect(r.stdout.contains(line), "missing `\(line)`\n\(r)") }
        let expectedPath = RepoPaths.path("\(dir)/expected.txt")
        if regenerating {
            try r.stdout.write(toFile: expectedPath, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOfFile: expectedPath, encoding: .utf8)
        #expect(r.stdout == expected, "\(dir)/expected.txt differs (FJORD_REGENERATE=1 rewrites it)\n\(r)")
    }

    @Test func reformattingReportsNothingInAnyFormat() throws {
        let dir = "fixtures/diff/reformatting"
        let json = try FjordProcess.run(["diff", "--format", "json", "\(dir)/old", "\(dir)/new"])
        #expect(json.exited(0), "\(json)")
        let doc = try #require(
            try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], "\(json)")
        #expect(doc["behaviourChanged"] as? Bool == false)
        #expect((doc["hosts"] as? [Any])?.isEmpty == true)
        #expect((doc["newFindings"] as? [Any])?.isEmpty == true)
        #expect((doc["goneFindings"] as? [Any])?.isEmpty == true)
        // Even --fail-on any: no finding is new or gone although every line moved.
        let any = try FjordProcess.run(["diff", "--fail-on", "any", "\(dir)/old", "\(dir)/new"])
        #expect(any.exited(0), "\(any)")
    }

    @Test func jsonHoldsClassesSharesAndWitnesses() throws {
        let dir = "fixtures/diff/canary"
        let r = try FjordProcess.run(["diff", "--format", "json", "\(dir)/old", "\(dir)/new"])
        #expect(r.exited(1), "\(r)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(doc["version"] as? Int == 1)
        let hosts = try #require(doc["hosts"] as? [[String: Any]])
        #expect(hosts.count == 1)
        #expect(hosts.first?["host"] as? String == "payment-service.shop.svc.cluster.local")
        let classes = try #require(hosts.first?["classes"] as? [[String: Any]])
        #expect(classes.count == 1)
        let shares = try #require(classes.first?["shares"] as? [[String: Any]])
        #expect(
            shares.contains {
                $0["destination"] as? String == "payment-service.shop.svc.cluster.local v2"
                    && $0["before"] as? String == "10" && $0["after"] as? String == "50"
            }, "\(shares)")
        let witness = try #require(classes.first?["witness"] as? [String: Any])
        #expect(witness["authority"] as? String == "payment-service.shop.svc.cluster.local")
        let location = try #require(classes.first?["location"] as? [String: Any])
        #expect(location["file"] as? String == "\(dir)/new/routes.yaml")
    }

    @Test func markdownHasASummaryTableThenCollapsibleDetails() throws {
        let dir = "fixtures/diff/shadowing"
        let r = try FjordProcess.run(["diff", "--format", "markdown", "\(dir)/old", "\(dir)/new"])
        #expect(r.exited(1), "\(r)")
        #expect(r.stdout.hasPrefix("### fjord diff: behaviour changed\n"), "\(r)")
        #expect(r.stdout.contains("| request classes changed | 1 |"), "\(r)")
        #expect(r.stdout.contains("| rules now unreachable | 1 |"), "\(r)")
        let table = try #require(r.stdout.range(of: "| change | count |"))
        let details = try #require(r.stdout.range(of: "<details><summary>Routing"))
        #expect(table.lowerBound < details.lowerBound)
        #expect(r.stdout.contains("</details>"))
    }

    @Test func sarifHoldsOnlyTheNewFindings() throws {
        let dir = "fixtures/diff/subset-removed"
        let r = try FjordProcess.run(["diff", "--format", "sarif", "\(dir)/old", "\(dir)/new"])
        #expect(r.exited(1), "\(r)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let runs = try #require(doc["runs"] as? [[String: Any]])
        let results = try #require(runs.first?["results"] as? [[String: Any]])
        // FJ2102 is new; FJ2103 (the empty subset v3 of OLD) is gone and not reported.
        #expect(results.map { $0["ruleId"] as? String } == ["FJ2102"], "\(results)")
    }

    @Test func failOnSelectsTheCondition() throws {
        let canary = "fixtures/diff/canary"
        // A traffic change with no new error and no residency path.
        #expect(try FjordProcess.run(["diff", "--fail-on", "new-error", "\(canary)/old", "\(canary)/new"]).exited(0))
        #expect(try FjordProcess.run(["diff", "--fail-on", "residency", "\(canary)/old", "\(canary)/new"]).exited(0))
        let failover = "fixtures/diff/locality-failover"
        #expect(
            try FjordProcess.run(["diff", "--fail-on", "residency", "\(failover)/old", "\(failover)/new"]).exited(1))
        let subset = "fixtures/diff/subset-removed"
        #expect(try FjordProcess.run(["diff", "--fail-on", "new-error", "\(subset)/old", "\(subset)/new"]).exited(1))
    }

    @Test func badInputExitsTwo() throws {
        let dir = try TemporaryDirectory("fjord-diff")
        let missing = dir.url.appendingPathComponent("missing.yaml").path
        let r = try FjordProcess.run(["diff", missing, "fixtures/diff/canary/new"])
        #expect(r.exited(2), "\(r)")
        #expect(r.stderr.contains("[FJ1008]"), "\(r)")
        let broken = try dir.write("broken.yaml", "kind: [unclosed\n")
        let b = try FjordProcess.run(["diff", "fixtures/diff/canary/old", broken])
        #expect(b.exited(2), "\(b)")
        #expect(b.stderr.contains("[FJ1001]"), "\(b)")
        let usage = try FjordProcess.run(["diff", "fixtures/diff/canary/old"])
        #expect(usage.exited(2), "\(usage)")
        let stdinTwice = try FjordProcess.run(["diff", "-", "-"])
        #expect(stdinTwice.exited(2), "\(stdinTwice)")
        let noRepo = try FjordProcess.run(["diff", "--git", "HEAD", dir.path])
        #expect(noRepo.exited(2), "\(noRepo)")
        #expect(noRepo.stderr.contains("not in a git repository"), "\(noRepo)")
    }

    @Test func gitTakesOldFromARevision() throws {
        let dir = try TemporaryDirectory("fjord-diff-git")
        let git = { (args: [String]) throws -> Void in
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["git", "-C", dir.path, "-c", "user.name=t", "-c", "user.email=t@example.com"] + args
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            #expect(p.terminationStatus == 0, "git \(args)")
        }
        let old = "fixtures/diff/canary/old"
        let new = "fixtures/diff/canary/new"
        for f in ["services.yaml", "routes.yaml"] {
            try dir.write("mesh/\(f)", try RepoPaths.read("\(old)/\(f)"))
        }
        try git(["init", "-q"])
        try git(["add", "."])
        try git(["commit", "-q", "-m", "old"])
        try dir.write("mesh/routes.yaml", try RepoPaths.read("\(new)/routes.yaml"))
        let r = try FjordProcess.run(["diff", "--color", "never", "--git", "HEAD", dir.path + "/mesh"])
        #expect(r.exited(1), "\(r)")
        #expect(r.stdout.contains("payment-service.shop.svc.cluster.local v2: 10 % -> 50 %"), "\(r)")
        // Against itself: no change; a file as the path works too.
        let same = try FjordProcess.run(["diff", "--git", "HEAD", dir.path + "/mesh/services.yaml"])
        #expect(same.exited(0), "\(same)")
        let badRev = try FjordProcess.run(["diff", "--git", "no-such-revision", dir.path + "/mesh"])
        #expect(badRev.exited(2), "\(badRev)")
    }

    @Test func checkBaselineReportsOnlyNewFindings() throws {
        let dir = "fixtures/diff/subset-removed"
        let all = try FjordProcess.run(["check", "--compact", "\(dir)/new"])
        #expect(all.exited(1) && all.stdout.contains("[FJ2102]"), "\(all)")
        let onlyNew = try FjordProcess.run(["check", "--compact", "--baseline", "\(dir)/old", "\(dir)/new"])
        #expect(onlyNew.exited(1), "\(onlyNew)")
        let newLines = onlyNew.stdout.split(separator: "\n").filter { $0.contains(": [FJ") || $0.contains("] ") }
        #expect(newLines.count == 1 && newLines[0].contains("[FJ2102]"), "\(onlyNew)")
        // NEW as its own baseline: every finding is old.
        let itself = try FjordProcess.run(["check", "--compact", "--baseline", "\(dir)/new", "\(dir)/new"])
        #expect(itself.exited(0), "\(itself)")
        #expect(!itself.stdout.contains("[FJ"), "\(itself)")
        // A reformatted copy as the baseline hides everything.
        let same = try FjordProcess.run([
            "check", "--compact", "--baseline", "fixtures/diff/reformatting/old", "fixtures/diff/reformatting/new",
        ])
        #expect(same.exited(0), "\(same)")
        #expect(!same.stdout.contains("[FJ"), "\(same)")
        let missing = try FjordProcess.run(["check", "--baseline", "/nonexistent/fjord", "\(dir)/new"])
        #expect(missing.exited(2), "\(missing)")
        #expect(missing.stderr.contains("the baseline could not be read"), "\(missing)")
    }
}
