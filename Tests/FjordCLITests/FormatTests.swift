import Foundation
import Testing
import _FjordTestSupport

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `--format sarif | junit | github` from the executable, checked against what their consumers
/// require (SARIF 2.1.0's required properties, well-formed JUnit XML, GitHub workflow commands),
/// on an input with findings of every severity in two files.
@Suite struct FormatTests {
    /// Two files: `mixed.yaml` (a warning, two errors, an info) and `ports.yaml` (two errors).
    static func inputs() throws -> (TemporaryDirectory, [String]) {
        let dir = try TemporaryDirectory("fjord-format")
        let a = try dir.write("mesh/mixed.yaml", Samples.mixed)
        // Another name, so that the two files do not define the same resource (FJ1013).
        let b = try dir.write(
            "mesh/ports.yaml", Samples.badPorts.replacingOccurrences(of: "name: reviews", with: "name: ratings"))
        return (dir, [a, b])
    }

    /// The findings as the JSON format reports them: the reference for the other formats.
    static func reference(_ paths: [String]) throws -> [[String: Any]] {
        let (_, json) = try FjordProcess.checkJSON(paths)
        return diagnostics(json)
    }

    // MARK: SARIF

    /// Walks a SARIF log and returns every required property of SARIF 2.1.0 that is missing or
    /// malformed (sarif-schema-2.1.0.json: the `required` lists of sarifLog, run, tool,
    /// toolComponent, reportingDescriptor, result, message, location, physicalLocation,
    /// artifactLocation and region, and the enums and minimums on what we emit).
    static func sarifProblems(_ log: [String: Any]) -> [String] {
        var problems: [String] = []
        func need(_ ok: Bool, _ what: @autoclosure () -> String) { if !ok { problems.append(what()) } }

        need(log["version"] as? String == "2.1.0", "sarifLog.version must be \"2.1.0\"")
        if let schema = log["$schema"] { need(schema is String, "sarifLog.$schema must be a URI string") }
        guard let runs = log["runs"] as? [[String: Any]] else {
            return problems + ["sarifLog.runs is required (an array)"]
        }
        for (ri, run) in runs.enumerated() {
            let at = "runs[\(ri)]"
            guard let tool = run["tool"] as? [String: Any] else { problems.append("\(at).tool is required"); continue }
            guard let driver = tool["driver"] as? [String: Any] else {
                problems.append("\(at).tool.driver is required"); continue
            }
            need((driver["name"] as? String).map { !$0.isEmpty } ?? false, "\(at).tool.driver.name is required")
            let rules = driver["rules"] as? [[String: Any]] ?? []
            var ruleIDs: [String] = []
            for (i, rule) in rules.enumerated() {
                let id = rule["id"] as? String
                need(id != nil, "\(at).tool.driver.rules[\(i)].id is required")
                ruleIDs.append(id ?? "")
                if let d = rule["shortDescription"] {
                    need((d as? [String: Any])?["text"] is String, "rules[\(i)].shortDescription.text is required")
                }
                if let c = rule["defaultConfiguration"] as? [String: Any], let level = c["level"] {
                    need(
                        ["none", "note", "warning", "error"].contains(level as? String ?? ""),
                        "rules[\(i)].defaultConfiguration.level \(level)")
                }
            }
            need(Set(ruleIDs).count == ruleIDs.count, "\(at): rule ids are unique")
            if let kind = run["columnKind"] {
                need(
                    ["utf16CodeUnits", "unicodeCodePoints"].contains(kind as? String ?? ""), "\(at).columnKind \(kind)")
            }
            guard let results = run["results"] as? [[String: Any]] else { continue }
            for (i, result) in results.enumerated() {
                let rat = "\(at).results[\(i)]"
                guard let message = result["message"] as? [String: Any] else {
                    problems.append("\(rat).message is required"); continue
                }
                need(message["text"] is String || message["id"] is String, "\(rat).message needs text or id")
                need(message["text"] is String, "\(rat).message.text (fjord always writes text)")
                if let level = result["level"] {
                    need(
                        ["none", "note", "warning", "error"].contains(level as? String ?? ""), "\(rat).level \(level)")
                }
                if let ruleID = result["ruleId"] as? String {
                    need(ruleIDs.contains(ruleID), "\(rat).ruleId \(ruleID) is not in tool.driver.rules")
                    if let index = result["ruleIndex"] as? Int {
                        need(
                            index >= 0 && index < ruleIDs.count && ruleIDs[index] == ruleID,
                            "\(rat).ruleIndex \(index) does not point at \(ruleID)")
                    }
                } else {
                    problems.append("\(rat).ruleId (fjord always names the rule)")
                }
                for (li, location) in (result["locations"] as? [[String: Any]] ?? []).enumerated() {
                    let lat = "\(rat).locations[\(li)]"
                    guard let physical = location["physicalLocation"] as? [String: Any] else { continue }
                    need(
                        physical["artifactLocation"] != nil || physical["address"] != nil,
                        "\(lat).physicalLocation needs artifactLocation or address")
                    let uri = (physical["artifactLocation"] as? [String: Any])?["uri"] as? String
                    need(
                        uri.map { !$0.isEmpty && URL(string: $0) != nil } ?? false,
                        "\(lat).physicalLocation.artifactLocation.uri is a URI reference")
                    if let region = physical["region"] as? [String: Any] {
                        let startLine = region["startLine"] as? Int
                        need(startLine.map { $0 >= 1 } ?? false, "\(lat).region.startLine >= 1")
                        for key in ["startColumn", "endLine", "endColumn"] {
                            if let v = region[key] {
                                need((v as? Int).map { $0 >= 1 } ?? false, "\(lat).region.\(key) >= 1")
                            }
                        }
                        if let s = startLine, let e = region["endLine"] as? Int {
                            need(e >= s, "\(lat).region.endLine >= startLine")
                        }
                    } else {
                        problems.append("\(lat).physicalLocation.region (fjord always has a position here)")
                    }
                }
                need(
                    !(result["locations"] as? [Any] ?? []).isEmpty,
                    "\(rat).locations (every finding here has a position)")
            }
        }
        return problems
    }

    @Test func sarifHasEverySARIF210RequiredProperty() throws {
        let (dir, paths) = try Self.inputs()
        let r = try FjordProcess.run(["check", "--format", "sarif"] + paths)
        #expect(r.exited(1), "\(r)")
        let log = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r)")
        let problems = Self.sarifProblems(log)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        let results = (log["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]] ?? []
        let reference = try Self.reference(paths)
        #expect(results.count == reference.count, "one result a finding")
        #expect(results.map { $0["ruleId"] as? String ?? "" } == reference.map { $0["code"] as? String ?? "" })
        let levels = results.map { $0["level"] as? String ?? "" }
        #expect(
            levels
                == reference.map {
                    ["error": "error", "warning": "warning", "info": "note"][$0["severity"] as? String ?? ""] ?? "?"
                })
        for (result, d) in zip(results, reference) {
            let physical =
                ((result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]) ?? [:]
            let region = physical["region"] as? [String: Any] ?? [:]
            #expect(
                region["startLine"] as? Int == d["line"] as? Int && region["startColumn"] as? Int == d["column"] as? Int
            )
            let uri = (physical["artifactLocation"] as? [String: Any])?["uri"] as? String ?? ""
            #expect(
                uri.hasSuffix((d["file"] as? String ?? "").split(separator: "/").last.map(String.init) ?? "?"), "\(uri)"
            )
        }
        _ = dir
    }

    /// The checker itself notices what it should.
    @Test func sarifCheckerRejectsBrokenLogs() {
        #expect(!Self.sarifProblems([:]).isEmpty)
        #expect(!Self.sarifProblems(["version": "2.1.0", "runs": [["tool": ["driver": [:]]]]]).isEmpty)
        let log: [String: Any] = [
            "version": "2.1.0",
            "runs": [
                [
                    "tool": ["driver": ["name": "fjord", "rules": [["id": "FJ1016"]]]],
                    "results": [
                        [
                            "ruleId": "FJ1017", "message": ["text": "x"],
                            "locations": [
                                [
                                    "physicalLocation": [
                                        "artifactLocation": ["uri": "a.yaml"], "region": ["startLine": 0],
                                    ]
                                ]
                            ],
                        ]
                    ],
                ]
            ],
        ]
        let problems = Self.sarifProblems(log)
        #expect(problems.contains { $0.contains("FJ1017 is not in tool.driver.rules") }, "\(problems)")
        #expect(problems.contains { $0.contains("startLine >= 1") }, "\(problems)")
    }

    // MARK: JUnit

    @Test func junitIsWellFormedWithOneFailureForEachError() throws {
        let (dir, paths) = try Self.inputs()
        let r = try FjordProcess.run(["check", "--format", "junit"] + paths)
        #expect(r.exited(1), "\(r)")
        let document = try XMLDocument(data: Data(r.stdout.utf8), options: [])
        let root = try #require(document.rootElement())
        #expect(root.name == "testsuites")
        let failures = try document.nodes(forXPath: "//failure")
        let reference = try Self.reference(paths)
        let errors = reference.filter { $0["severity"] as? String == "error" }
        #expect(failures.count == errors.count, "one <failure> an error: \(failures.count) for \(errors.count)")
        #expect(failures.count >= 4, "the inputs hold at least four errors")
        let failureTypes = failures.compactMap { ($0 as? XMLElement)?.attribute(forName: "type")?.stringValue }
        #expect(failureTypes == errors.map { $0["code"] as? String ?? "" })
        #expect(root.attribute(forName: "failures")?.stringValue == "\(errors.count)")
        let cases = try document.nodes(forXPath: "//testcase")
        #expect(cases.count == reference.count, "one test case a finding")
        #expect(root.attribute(forName: "tests")?.stringValue == "\(reference.count)")
        let suites = try document.nodes(forXPath: "/testsuites/testsuite")
        #expect(suites.count == 2, "one test suite a file")
        _ = dir
    }

    @Test func junitOfACleanRunIsWellFormedWithoutFailures() throws {
        let dir = try TemporaryDirectory("fjord-format")
        let file = try dir.write("clean.yaml", Samples.clean)
        let r = try FjordProcess.run(["check", "--format", "junit", file])
        #expect(r.exited(0), "\(r)")
        let document = try XMLDocument(data: Data(r.stdout.utf8), options: [])
        #expect(try document.nodes(forXPath: "//failure").isEmpty)
        #expect(document.rootElement()?.name == "testsuites")
    }

    // MARK: GitHub

    @Test func githubLinesAreWorkflowCommands() throws {
        let (dir, paths) = try Self.inputs()
        let r = try FjordProcess.run(["check", "--format", "github"] + paths)
        #expect(r.exited(1), "\(r)")
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        #expect(r.stdout.hasSuffix("\n"))
        let reference = try Self.reference(paths)
        #expect(lines.count == reference.count, "one line a finding:\n\(r.stdout)")
        for (line, d) in zip(lines, reference) {
            let match = line.firstMatch(
                of:
                    /^::(error|warning|notice) file=([^,:]+),line=(\d+),col=(\d+)(,endLine=\d+,endColumn=\d+)?,title=(FJ\d{4})::(.+)$/
            )
            #expect(match != nil, "not a workflow command: \(line)")
            guard let m = match else { continue }
            let level = ["error": "error", "warning": "warning", "info": "notice"][d["severity"] as? String ?? ""]
            #expect(String(m.1) == level, "\(line)")
            #expect(String(m.2) == d["file"] as? String, "\(line)")
            #expect(Int(m.3) == d["line"] as? Int && Int(m.4) == d["column"] as? Int, "\(line)")
            #expect(String(m.6) == d["code"] as? String, "\(line)")
            #expect(!m.7.contains("\n") && !m.7.contains("\r"), "\(line)")
        }
        _ = dir
    }
}
