import FjordProxy
import FjordProxyServer
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import Testing

/// Large bodies in both directions stream through (no whole-body buffering), HEAD and bodiless
/// statuses keep their framing.
@Suite(.serialized) struct StreamingTests {
    static let big = 8 * 1024 * 1024

    @Test func largeBodiesBothWays() throws {
        let up = try TestUpstream("v1") { r, _ in
            // Echo the size, and answer GET /download with a large body.
            if r.uri == "/download" {
                return .respond(status: 200, body: String(repeating: "d", count: StreamingTests.big))
            }
            return .respond(
                status: 200,
                body: "got \(r.body.count) bytes, last \(r.body.last.map { String(UnicodeScalar($0)) } ?? "-")")
        }
        defer { up.stop() }
        let eps = endpointsYAML([("reviews.shop.svc.cluster.local", 8080, [(up, ["version": "v2"])])])
        let proxy = try ProxyHarness(yaml: TestMeshes.shop, endpoints: eps)
        defer { proxy.stop() }
        let c = try proxy.client()
        defer { c.close() }
        let upload = String(repeating: "u", count: Self.big - 1) + "!"
        let r = try c.send(
            .POST, "/upload", host: "reviews.shop:8080", headers: [("x-debug-user", "true")], body: upload,
            timeout: .seconds(30))
        #expect(r.status == 200 && r.body == "got \(Self.big) bytes, last !")
        let d = try c.send(
            .GET, "/download", host: "reviews.shop:8080", headers: [("x-debug-user", "true")], timeout: .seconds(30))
        #expect(d.status == 200 && d.body.utf8.count == Self.big)
        // The keep-alive connection still works afterwards.
        #expect(try c.send(.GET, "/x", host: "reviews.shop:8080", headers: [("x-debug-user", "true")]).status == 200)
    }

    @Test func headAndBodilessResponses() throws {
        let up = try TestUpstream("v1") { r, _ in
            switch r.uri {
            case "/none": return .respond(status: 204, body: "")
            default: return .respond(status: 200, body: r.method == "HEAD" ? "" : "twelve bytes", headers: [])
            }
        }
        defer { up.stop() }
        let eps = endpointsYAML([("reviews.shop.svc.cluster.local", 8080, [(up, ["version": "v2"])])])
        let proxy = try ProxyHarness(yaml: TestMeshes.shop, endpoints: eps)
        defer { proxy.stop() }
        let (text, _) = RawClient.exchange(
            port: proxy.port,
            [
                Array(
                    """
                    HEAD /h HTTP/1.1\r\nhost: reviews.shop:8080\r\nx-debug-user: true\r\n\r\n\
                    GET /none HTTP/1.1\r\nhost: reviews.shop:8080\r\nx-debug-user: true\r\n\r\n\
                    GET /g HTTP/1.1\r\nhost: reviews.shop:8080\r\nx-debug-user: true\r\nconnection: close\r\n\r\n
                    """.utf8)
            ])
        let answers = text.components(separatedBy: "HTTP/1.1 ").dropFirst()
        #expect(answers.count == 3, "got \(text.debugDescription)")
        #expect(answers.first?.hasPrefix("200") == true)
        #expect(answers.dropFirst().first?.hasPrefix("204") == true)
        #expect(text.hasSuffix("twelve bytes"))
    }
}
