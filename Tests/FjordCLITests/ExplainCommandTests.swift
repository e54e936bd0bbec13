import FjordCompiler
import FjordDecision
import FjordModel
import Foundation
import Testing
import _FjordTestSupport

/// `fjord compile` and `fjord explain`, run as a user would.
@Suite struct ExplainCommandTests {
    /// `fjord explain` from sources and from `--tables` answer every request of generated
    /// differential sets identically (JSON lines, byte for byte).
    @Test(arguments: 0..<6)
    func explainFromSourcesAndFromTablesAgree(seed: Int) throws {
        let dir = try TemporaryDirectory("fjord-explain")
        var gen = RoutingGenerator(seed: UInt64(seed) &* 31 &+ 5)
        let mesh = try dir.write("mesh.yaml", gen.mesh())
        let image = dir.url.appendingPathComponent("mesh.fjt").path
        let compiled = try FjordProcess.run(["compile", mesh, "-o", image, "--force"])
        #expect(compiled.exited(0), "\(compiled)")
        let (loaded, _) = try MeshLoading.mesh(fromYAML: try String(contentsOfFile: mesh, encoding: .utf8))
        let tables = RouteTables(mesh: loaded)
        for scope in tables.scopes.prefix(4) {
            var lines = ""
            for _ in 0..<60 {
                let r = gen.request(
                    ports: tables.ports(of: scope),
                    knownHosts: { port in
                        tables.listener(scope, port: port).map { $0.hosts.keys.sorted() + $0.wildcardHosts.map(\.host) }
                            ?? []
                    })
                let headers = r.headers.map { "\"\($0.name)\": \"\($0.value)\"" }.joined(separator: ", ")
                let url = "\(r.scheme)://\(r.authority)\(r.path)".replacingOccurrences(of: "\"", with: "\\\"")
                lines +=
                    "{\"method\": \"\(r.method)\", \"url\": \"\(url)\", \"headers\": {\(headers)}, \"port\": \(r.port)}\n"
            }
            let requests = try dir.write("requests-\(scope.id.replacingOccurrences(of: "/", with: "_")).jsonl", lines)
            let flag = { () -> [String] in
                if case .gateway(let g) = scope { return ["--gateway", g] }
                return ["--workload", scope.id]
            }()
            let fromSources = try FjordProcess.run(["explain", mesh] + flag + ["--requests", requests])
            let fromTables = try FjordProcess.run(["explain", "--tables", image] + flag + ["--requests", requests])
            #expect(fromSources.exited(0), "\(fromSources)")
            #expect(fromTables.exited(0), "\(fromTables)")
            #expect(fromSources.stdout == fromTables.stdout, "seed \(seed) \(scope): sources and tables disagree")
            #expect(fromSources.stdout.split(separator: "\n").count == 60)
        }
    }

    @Test func explainPrintsTheRuleAndTheTrace() throws {
        let mesh = RepoPaths.path("fixtures/examples/oslo-shop/clean")
        let r = try FjordProcess.run([
            "explain", mesh, "--workload", "shop/checkout", "--request",
            "GET http://payment-service.payments:8080/api/pay", "-H", "x-debug-user: true",
        ])
        #expect(r.exited(0), "\(r)")
        #expect(r.stdout.contains("via VirtualService payments/payment-service rule 0"), "\(r.stdout)")
        #expect(r.stdout.contains("matched: header `x-debug-user` exact `true`"), "\(r.stdout)")
        let skipped = try FjordProcess.run([
            "explain", mesh, "--workload", "shop/checkout", "--request",
            "GET http://payment-service.payments:8080/api/pay",
        ])
        #expect(skipped.stdout.contains("skipped: block 0: header `x-debug-user` is absent"), "\(skipped.stdout)")
        #expect(skipped.stdout.contains("(90 %)") && skipped.stdout.contains("(10 %)"), "\(skipped.stdout)")
    }

    @Test func badTableImagesAreRefusedWithFJ5003() throws {
        let dir = try TemporaryDirectory("fjord-explain-bad")
        let mesh = RepoPaths.path("fixtures/examples/oslo-shop/clean")
        let image = dir.url.appendingPathComponent("mesh.fjt").path
        #expect(try FjordProcess.run(["compile", mesh, "-o", image]).exited(0))
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: image)))
        bytes[bytes.count / 2] ^= 0x40
        let corrupt = try dir.write("corrupt.fjt", Data(bytes))
        let truncated = try dir.write("truncated.fjt", Data(bytes.prefix(100)))
        for bad in [corrupt, truncated] {
            let r = try FjordProcess.run([
                "explain", "--tables", bad, "--workload", "shop/checkout", "--request", "http://cart.shop/",
            ])
            #expect(r.exited(2), "\(r)")
            #expect(r.stderr.contains("[FJ5003]") && r.stderr.contains("is not a valid table image"), "\(r.stderr)")
        }
    }

    @Test func compileRefusesInputsWithErrorsUnlessForced() throws {
        let mesh = RepoPaths.path("fixtures/examples/oslo-shop/mistakes")
        let dir = try TemporaryDirectory("fjord-compile")
        let image = dir.url.appendingPathComponent("m.fjt").path
        let refused = try FjordProcess.run(["compile", mesh, "-o", image])
        #expect(refused.exited(1), "\(refused)")
        #expect(!FileManager.default.fileExists(atPath: image))
        #expect(refused.stderr.contains("no image written"))
        let forced = try FjordProcess.run(["compile", mesh, "-o", image, "--force"])
        #expect(forced.exited(0), "\(forced)")
        #expect(FileManager.default.fileExists(atPath: image))
    }

    /// FJ5001: conditions on one attribute too large for one automaton are split over several,
    /// and the compiler says so.
    @Test func splitAutomataAreReported() throws {
        var yaml = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: many, namespace: default}
            spec:
              hosts: [many]
              http:

            """
        // Regexes whose product automaton is large: each `(a|b)*a(a|b){k}` needs 2^k states.
        for k in 9...13 {
            yaml +=
                "  - match: [{uri: {regex: \"/(a|b)*a(a|b){\(k)}\"}}]\n    route: [{destination: {host: many}}]\n    timeout: 1s\n"
        }
        yaml += """
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: default, labels: {istio-injection: enabled}}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: many, namespace: default}
            spec: {selector: {app: many}, ports: [{name: http, port: 80}]}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: client, namespace: default, labels: {app: client}}
            spec:
              selector: {matchLabels: {app: client}}
              template: {metadata: {labels: {app: client}}, spec: {containers: [{name: c, image: x}]}}
            """
        let (mesh, _) = try MeshLoading.mesh(fromYAML: yaml)
        var options = MeshCompiler.Options()
        options.maxDFAStates = 5_000
        var compiler = MeshCompiler(mesh: mesh, options: options)
        _ = compiler.compile()
        #expect(
            compiler.notes.contains { $0.severity == "info" && $0.message.contains("split over several automata") },
            "\(compiler.notes)")
    }
}
