import Foundation
import Testing
import _FjordTestSupport

/// The defects a new user met on the first day (issue 14, item 6), each as the user met it: the
/// built `fjord` (and `fjord-proxy`) on real files.
@Suite struct NewUserTests {
    static let mistakes = "fixtures/examples/oslo-shop/mistakes"

    /// The README's showcase: `alice-debug` is taken by `beta-basket` alone, although `api-v2`
    /// takes some of its requests too; the note must not say no single rule covers it.
    @Test func oneEarlierRuleThatCoversARuleIsNamedAlone() throws {
        let (r, json) = try FjordProcess.checkJSON([Self.mistakes])
        let diagnostics = json["diagnostics"] as? [[String: Any]] ?? []
        let finding = diagnostics.first {
            $0["code"] as? String == "FJ2002" && ($0["message"] as? String ?? "").contains("alice-debug")
        }
        let notes = (finding?["notes"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
        #expect(finding != nil, "\(r)")
        #expect(notes.contains("every request it matches is taken by rule `beta-basket` first"), "\(notes)")
        #expect(!notes.contains { $0.contains("no single earlier rule") }, "\(notes)")
        #expect(!notes.contains { $0.contains("api-v2") }, "\(notes)")
    }

    /// Several rules that only together cover a rule are still all named.
    @Test func rulesThatOnlyTogetherCoverARuleAreNamed() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write(
            "vs.yaml",
            """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: shop, namespace: shop}
            spec:
              hosts: [shop]
              http:
              - name: starts-with-a
                match: [{headers: {x-user: {prefix: a}}}]
                route: [{destination: {host: shop}}]
                timeout: 1s
              - name: starts-otherwise
                match: [{headers: {x-user: {regex: "[^a].*"}}}]
                route: [{destination: {host: shop}}]
                timeout: 1s
              - name: never
                match: [{headers: {x-user: {regex: ".+"}}}]
                route: [{destination: {host: shop}}]
                timeout: 1s

            """)
        let (r, json) = try FjordProcess.checkJSON([file])
        let diagnostics = json["diagnostics"] as? [[String: Any]] ?? []
        let finding = diagnostics.first { $0["code"] as? String == "FJ2002" }
        let notes = (finding?["notes"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
        #expect(notes.contains("no single earlier rule covers it; together they do"), "\(r)")
    }

    @Test func failOnHelpShowsItsDefaultByName() throws {
        let r = try FjordProcess.run(["help", "check"])
        #expect(r.exited(0), "\(r)")
        #expect(r.stdout.contains("default: error"), "\(r)")
        #expect(!r.stdout.contains("default: 2"), "\(r)")
    }

    @Test func aMisspelledKindIsAnErrorWithASuggestion() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write(
            "vs.yaml",
            """
            apiVersion: networking.istio.io/v1
            kind: VirtualSevice
            metadata: {name: shop, namespace: shop}
            spec:
              hosts: [shop]

            """)
        let r = try FjordProcess.run(["check", "--compact", file])
        #expect(r.exited(1), "\(r)")
        #expect(r.stdout.contains("\(file):2:7: error: [FJ1007] unknown kind `VirtualSevice`"), "\(r)")
        let text = try FjordProcess.run(["check", file])
        #expect(text.stdout.contains("did you mean `VirtualService`?"), "\(text)")
    }

    @Test func anApiVersionWithoutAVersionSaysSo() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write(
            "vs.yaml",
            """
            apiVersion: networking.istio.io
            kind: VirtualService
            metadata: {name: shop, namespace: shop}
            spec:
              hosts: [shop]

            """)
        let r = try FjordProcess.run(["check", file])
        #expect(r.exited(1), "\(r)")
        #expect(r.stdout.contains("error: [FJ1012] `apiVersion` `networking.istio.io` lacks a version"), "\(r)")
        #expect(r.stdout.contains("`networking.istio.io/v1`"), "\(r)")
        #expect(!r.stdout.contains("not in `networking.istio.io`"), "the message contradicts itself: \(r)")
    }

    /// A document that is no valid resource (a list, a resource without a name) is a finding
    /// (exit 1) whether the file holds other resources or not; it was exit 2 when alone.
    @Test(arguments: [
        "- just\n- a list\n",
        "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {namespace: x}\nspec: {hosts: [a]}\n",
    ])
    func anInvalidResourceExitsOneAloneOrWithOthers(_ bad: String) throws {
        let dir = try TemporaryDirectory()
        let alone = try dir.write("alone.yaml", bad)
        let good = try RepoPaths.read("fixtures/examples/oslo-shop/clean/cart.yaml")
        let mixed = try dir.write("mixed.yaml", good + "\n---\n" + bad)
        let a = try FjordProcess.run(["check", "--compact", alone])
        let m = try FjordProcess.run(["check", "--compact", mixed])
        #expect(a.exited(1), "\(a)")
        #expect(m.exited(1), "\(m)")
        #expect(!a.stdout.contains("FJ1014"), "\(a)")
    }

    @Test func compileSaysOnceHowManyWorkloadsHaveNoSidecarScope() throws {
        let dir = try TemporaryDirectory()
        let out = dir.url.appendingPathComponent("mesh.fjt").path
        let r = try FjordProcess.run(["compile", Self.mistakes, "-o", out, "--force"])
        #expect(r.exited(0), "\(r)")
        let lines = r.stderr.split(separator: "\n").filter { $0.contains("without a sidecar") }
        #expect(lines.count == 1, "\(r)")
        #expect(lines.first?.contains("no sidecar scope in the image") == true, "\(r)")
    }

    @Test func explainJSONHasTheTrace() throws {
        let r = try FjordProcess.run([
            "explain", Self.mistakes, "--workload", "shop/frontend", "--request",
            "GET http://checkout.shop.svc.cluster.local:8080/", "-H", "x-user: alice", "--format", "json",
        ])
        #expect(r.exited(0), "\(r)")
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let trace = object?["trace"] as? [String: Any]
        let rules = trace?["rules"] as? [[String: Any]] ?? []
        #expect(rules.contains { $0["name"] as? String == "api-v2" && $0["matched"] as? Bool == false }, "\(r)")
        #expect(rules.contains { $0["name"] as? String == "beta-basket" && $0["matched"] as? Bool == true }, "\(r)")
        #expect(object?["outcome"] as? String == "matched", "\(r)")
    }

    @Test func checksCodePrintsThePage() throws {
        let r = try FjordProcess.run(["checks", "fj2002"])
        #expect(r.exited(0), "\(r)")
        let page = try RepoPaths.read("docs/diagnostics/FJ2002.md")
        #expect(r.stdout.contains(page.trimmingCharacters(in: .whitespacesAndNewlines)), "\(r)")
        #expect(
            !r.stdout.contains("docs/diagnostics/"), "a source-tree path means nothing to an installed binary: \(r)")
    }

    @Test func disableTakesTheAnnotationsListSyntax() throws {
        let (plain, json) = try FjordProcess.checkJSON([Self.mistakes])
        let codes = Set((json["diagnostics"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String })
        #expect(codes.contains("FJ2002") && codes.contains("FJ2104"), "\(plain)")
        let (r, filtered) = try FjordProcess.checkJSON(["--disable", "FJ2002,fj2104", Self.mistakes])
        let left = Set((filtered["diagnostics"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String })
        #expect(!left.contains("FJ2002") && !left.contains("FJ2104") && !left.isEmpty, "\(r)")
    }

    @Test func theAnnotationTakesBlankSeparatedCodesLikeDisable() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write(
            "vs.yaml",
            """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata:
              name: shop
              namespace: shop
              annotations:
                fjord.dev/ignore: "FJ2104 FJ2101"
            spec:
              hosts: [shop]
              http:
              - route: [{destination: {host: nowhere}}]

            """)
        let (r, json) = try FjordProcess.checkJSON([file])
        let codes = Set((json["diagnostics"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String })
        #expect(!codes.contains("FJ2104") && !codes.contains("FJ2101"), "\(r)")
        #expect(((json["summary"] as? [String: Any])?["suppressed"] as? Int ?? 0) >= 1, "\(r)")
    }

    static var proxyBinary: String {
        URL(fileURLWithPath: RepoPaths.fjordBinary).deletingLastPathComponent().appendingPathComponent("fjord-proxy")
            .path
    }

    @Test func fjordProxyHasVersionAndUsageErrorsExitTwo() throws {
        let proxy = Self.proxyBinary
        try #require(FileManager.default.isExecutableFile(atPath: proxy), "build fjord-proxy first")
        let v = try Tool.run(proxy, ["--version"], in: RepoPaths.root, timeout: 20)
        #expect(v.exited(0), "\(v)")
        #expect(v.stdout.trimmingCharacters(in: .whitespacesAndNewlines).first?.isNumber == true, "\(v)")
        let bad = try Tool.run(proxy, ["run", "--bogus"], in: RepoPaths.root, timeout: 20)
        #expect(bad.exited(2), "\(bad)")
        let missing = try Tool.run(proxy, ["frobnicate"], in: RepoPaths.root, timeout: 20)
        #expect(missing.exited(2), "\(missing)")
    }

    /// README: how to get Swift on Debian and install the binaries; the tools version and
    /// platforms it states are Package.swift's.
    @Test func readmeSaysHowToInstallAndAgreesWithPackageSwift() throws {
        let readme = try RepoPaths.read("README.md")
        let package = try RepoPaths.read("Package.swift")
        #expect(readme.contains("make install PREFIX="), "the README does not say how to install the binaries")
        #expect(readme.contains("swift.org/install"), "the README does not say how to get Swift on Debian")
        let tools = package.split(separator: "\n").first?.replacingOccurrences(of: "// swift-tools-version: ", with: "")
        let version = try #require(tools)
        #expect(readme.contains("Swift \(version) or later"), "README and Package.swift disagree on Swift \(version)")
        #expect(readme.contains("Linux") && readme.contains("macOS 15"), "README should state the platforms")
        #expect(package.contains("platforms: [.macOS(.v15)]"), "Package.swift's platforms changed: update the README")
        let makefile = try RepoPaths.read("Makefile")
        #expect(makefile.contains("\ninstall:"), "Makefile has no install target")
    }

    @Test func makeInstallInstallsIntoPrefix() throws {
        let make = try #require(Tool.which("make"))
        let dir = try TemporaryDirectory()
        // A dry run: what `make install` would do, without building in release.
        let r = try Tool.run(make, ["-n", "install", "PREFIX=\(dir.path)"], in: RepoPaths.root, timeout: 30)
        #expect(r.exited(0), "\(r)")
        #expect(r.stdout.contains("\(dir.path)/bin"), "\(r)")
        #expect(r.stdout.contains("fjord-proxy"), "\(r)")
    }
}

/// `fjord graph` shows what the new user looked for: gateway routes, broken routes, and what each
/// edge style means.
@Suite struct GraphCompletenessTests {
    @Test func graphDrawsGatewayRoutesBrokenRoutesAndAnEdgeLegend() throws {
        let r = try FjordProcess.run(["graph", NewUserTests.mistakes])
        #expect(r.exited(0), "\(r)")
        #expect(
            r.stdout.contains("\"gw:ingress/shop-gateway\" -> \"svc:frontend.shop.svc.cluster.local\""),
            "the Gateway's routes are missing: \(r)")
        #expect(
            r.stdout.contains("-> \"missing:invetory\\n(no such host)\"") && r.stdout.contains("arrowhead=tee"),
            "the route to a host that does not exist is missing: \(r)")
        #expect(r.stdout.contains("(no such subset)"), "the route to a missing subset is missing: \(r)")
        #expect(r.stdout.contains("subgraph \"cluster_legend_edges\""), "no legend for edge styles: \(r)")
        for meaning in ["mirror (copy of traffic)", "locality failover", "broken route (no such host or subset)"] {
            #expect(r.stdout.contains(meaning), "the legend does not explain `\(meaning)`")
        }
        let mermaid = try FjordProcess.run(["graph", "--format", "mermaid", NewUserTests.mistakes])
        #expect(mermaid.stdout.contains("--x"), "broken routes in Mermaid: \(mermaid)")
        #expect(mermaid.stdout.contains("subgraph legend_edges"), "\(mermaid)")
        // Graphviz accepts it, when installed.
        if let dot = Tool.which("dot") {
            let dir = try TemporaryDirectory()
            let file = try dir.write("g.dot", r.stdout)
            let svg = try Tool.run(dot, ["-Tsvg", file], in: dir.url, timeout: 60)
            #expect(svg.exited(0) && svg.stdout.contains("<svg"), "\(svg)")
        }
    }
}
