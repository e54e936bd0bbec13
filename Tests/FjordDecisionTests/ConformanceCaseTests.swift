import FjordCompiler
import FjordDecision
import FjordModel
import FjordTable
import Foundation
import Testing
import _FjordTestSupport

/// The hand-written routing cases of `fixtures/conformance/`: each request's decision, from the
/// reference semantics and from a compiled image, must equal the reviewed expectation.
@Suite struct ConformanceCaseTests {
    static let cases = RepoPaths.files(
        under: RepoPaths.root.appendingPathComponent("fixtures/conformance"), extensions: ["yaml"]
    )
    .map { $0.deletingPathExtension().lastPathComponent }

    @Test(arguments: cases)
    func decisionsMatchTheReviewedExpectations(_ name: String) throws {
        let dir = RepoPaths.root.appendingPathComponent("fixtures/conformance")
        let yaml = try String(contentsOf: dir.appendingPathComponent("\(name).yaml"), encoding: .utf8)
        let requests = try String(contentsOf: dir.appendingPathComponent("\(name).jsonl"), encoding: .utf8)
        let (mesh, _) = try MeshLoading.mesh(fromYAML: yaml)
        let semantics = Semantics(mesh: mesh)
        var compiler = MeshCompiler(mesh: mesh)
        let image = try TableImage(program: compiler.compile())
        var actual: [String] = []
        for line in requests.split(separator: "\n") where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let obj = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let scopeText = try #require(obj["scope"] as? String)
            let parts = scopeText.split(separator: " ").map(String.init)
            let scope: ProxyScope = parts[0] == "gateway" ? .gateway(parts[1]) : .sidecar(parts[1])
            let headers = (obj["headers"] as? [String: String] ?? [:]).sorted { $0.key < $1.key }.map {
                MeshRequest.HeaderField($0.key, $0.value)
            }
            let request = try MeshRequest.parse(
                "\(obj["method"] as? String ?? "GET") \(obj["url"] as? String ?? "")", headers: headers,
                port: obj["port"] as? Int)
            let expected = semantics.decide(request, at: scope)
            let kind: TableProgram.ScopeKind = parts[0] == "gateway" ? .gateway : .sidecar
            let handle = try #require(image.scope(named: scope.id, kind: kind), "\(name): no \(scope) in the image")
            let fromTable = image.decisionRecord(
                image.lookup(
                    scope: handle, port: request.port,
                    request: SimpleTableRequest(
                        method: request.method, scheme: request.scheme, authority: request.authority,
                        path: request.path,
                        headers: headers.map { HeaderPair($0.name, $0.value) })))
            #expect(fromTable == expected, "\(name): \(line)\n  table:     \(fromTable)\n  reference: \(expected)")
            actual.append(DecisionOutput.json(expected))
        }
        let expectedPath = dir.appendingPathComponent("\(name).expected.jsonl")
        let text = actual.joined(separator: "\n") + "\n"
        if regenerating { try text.write(to: expectedPath, atomically: true, encoding: .utf8) }
        let reviewed = try String(contentsOf: expectedPath, encoding: .utf8)
        let want = reviewed.split(separator: "\n").map(String.init)
        #expect(want.count == actual.count, "\(name): \(want.count) expectations for \(actual.count) requests")
        for (i, (w, a)) in zip(want, actual).enumerated() {
            #expect(w == a, "\(name) request \(i + 1):\n  expected \(w)\n  got      \(a)")
        }
    }
}
