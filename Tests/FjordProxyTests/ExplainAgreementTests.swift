import FjordCompiler
import FjordDecision
import FjordModel
import FjordProxy
import FjordTable
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import _FjordTestSupport

/// The proxy's decisions agree with the `fjord explain` command itself: generated meshes and
/// requests, the image written to a file, `fjord explain --tables FILE --requests FILE` run as a
/// process, and each JSON decision compared with what the proxy decides for the same request
/// parsed from HTTP/1.1 bytes.
@Suite struct ExplainAgreementTests {
    @Test(arguments: [3, 11, 29])
    func proxyAgreesWithFjordExplain(seed: Int) throws {
        var gen = RoutingGenerator(seed: UInt64(seed) &* 31 &+ 5)
        let (mesh, _) = try MeshLoading.mesh(fromYAML: gen.mesh())
        let semantics = Semantics(mesh: mesh)
        var compiler = MeshCompiler(mesh: mesh)
        let bytes = TableImage.write(compiler.compile())
        let image = try TableImage(bytes: bytes)
        let dir = TempDir()
        let imagePath = try dir.write("mesh.fjt", bytes)
        // One sidecar scope: explain takes one --workload per run.
        let scope = try #require(
            semantics.tables.scopes.first(where: { if case .gateway = $0 { return false } else { return true } }))
        var requests: [MeshRequest] = []
        while requests.count < 150 {
            let r = gen.request(
                ports: semantics.tables.ports(of: scope),
                knownHosts: { port in
                    guard let l = semantics.tables.listener(scope, port: port) else { return [] }
                    return l.hosts.keys.sorted() + l.wildcardHosts.map(\.host)
                })
            // JSON headers are an object: no repeated names; plain HTTP only.
            guard r.scheme == "http", Set(r.headers.map(\.name)).count == r.headers.count else { continue }
            requests.append(r)
        }
        var lines = ""
        for r in requests {
            let headers = Dictionary(uniqueKeysWithValues: r.headers.map { ($0.name, $0.value) })
            let obj: [String: Any] = [
                "method": r.method, "url": "http://\(r.authority)\(r.path)", "headers": headers, "port": r.port,
            ]
            lines += String(decoding: try JSONSerialization.data(withJSONObject: obj), as: UTF8.self) + "\n"
        }
        let requestsPath = try dir.write("requests.jsonl", lines)
        let result = try FjordProcess.run([
            "explain", "--tables", imagePath, "--workload", scope.id, "--requests", requestsPath,
        ])
        #expect(result.status == 0, "\(result)")
        let answers = result.stdout.split(separator: "\n")
        try #require(
            answers.count == requests.count, "explain printed \(answers.count) lines for \(requests.count) requests")
        let handle = try #require(image.scope(named: scope.id, kind: .sidecar))
        var matched = 0
        for (r, line) in zip(requests, answers) {
            let json = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            var raw = "\(r.method) \(r.path) HTTP/1.1\r\nhost: \(r.authority)\r\n"
            for h in r.headers { raw += "\(h.name): \(h.value)\r\n" }
            guard let head = try DecisionDifferentialTests.parse(raw + "\r\n") else { continue }
            let proxy = image.decisionRecord(
                image.lookup(scope: handle, port: r.port, request: HeadRequest(head: head)))
            #expect(json["outcome"] as? String == proxy.outcome.rawValue, "seed \(seed) \(r): explain \(line)")
            #expect(json["host"] as? String == proxy.host, "seed \(seed) \(r)")
            let rule = json["rule"] as? [String: Any]
            #expect(
                rule?["index"] as? Int == proxy.rule?.index
                    && rule?["virtualService"] as? String == proxy.rule?.virtualService,
                "seed \(seed) \(r): explain \(line), proxy \(proxy)")
            let action = json["action"] as? [String: Any]
            #expect(action?["kind"] as? String == proxy.action?.kind.rawValue)
            let dests = (action?["destinations"] as? [[String: Any]] ?? []).map {
                ($0["host"] as? String ?? "", $0["subset"] as? String)
            }
            #expect(dests.map(\.0) == (proxy.action?.destinations ?? []).map(\.host))
            if proxy.outcome == .matched { matched += 1 }
        }
        #expect(matched > 0)
        print("explain agreement seed \(seed): \(answers.count) requests, \(matched) matched a rule")
    }
}
