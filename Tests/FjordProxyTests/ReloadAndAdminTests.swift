import FjordProxy
import FjordProxyServer
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Hot reload (swap under load, refusal of corrupt images, in-flight requests keep their
/// table) and the admin endpoint.
@Suite(.serialized) struct ReloadAndAdminTests {
    /// The shop mesh with `/teapot`'s direct response answering `status` instead of 418.
    static func variant(_ status: Int) -> String {
        TestMeshes.shop.replacingOccurrences(of: "status: 418", with: "status: \(status)")
    }

    final class World: Sendable {
        let v1: TestUpstream
        let v2: TestUpstream
        let proxy: ProxyHarness
        init(configure: (inout ProxyOptions) -> Void = { _ in }) throws {
            v1 = try TestUpstream("v1")
            v2 = try TestUpstream("v2")
            let eps = endpointsYAML([
                ("reviews.shop.svc.cluster.local", 8080, [(v1, ["version": "v1"]), (v2, ["version": "v2"])])
            ])
            proxy = try ProxyHarness(yaml: TestMeshes.shop, endpoints: eps, configure: configure)
        }
        func stop() {
            proxy.stop()
            v1.stop()
            v2.stop()
        }
        /// Replaces the table file atomically (write, then rename, as a ConfigMap update).
        func install(_ bytes: [UInt8]) throws {
            let tmp = proxy.dir.path("next.fjt")
            try Data(bytes).write(to: URL(fileURLWithPath: tmp))
            _ = rename(tmp, proxy.tablesPath)
        }
    }

    @Test func reloadUnderLoadLosesNothing() throws {
        let w = try World()
        defer { w.stop() }
        let images = [try compileImage(Self.variant(418)), try compileImage(Self.variant(419))]
        let stop = NIOLockedValueBox(false)
        let outcomes = NIOLockedValueBox<[Int: Int]>([:])
        let failures = NIOLockedValueBox<[String]>([])
        let progress = Changes()
        func served() -> Int { outcomes.withLockedValue { $0.values.reduce(0, +) } }
        let group = DispatchGroup()
        for k in 0..<4 {
            group.enter()
            Thread {
                defer { group.leave() }
                do {
                    let c = try w.proxy.client()
                    defer { c.close() }
                    var n = 0
                    while !stop.withLockedValue({ $0 }) && n < 20_000 {
                        let uri = k % 2 == 0 ? "/x" : "/teapot"
                        let r = try c.send(.GET, uri, host: "reviews.shop:8080", headers: [("x-debug-user", "true")])
                        outcomes.withLockedValue { $0[r.status, default: 0] += 1 }
                        progress.changed()
                        n += 1
                    }
                } catch {
                    failures.withLockedValue { $0.append("\(error)") }
                }
            }.start()
        }
        var results: [Bool] = []
        for i in 0..<21 {
            // Each table serves some requests before the next reload.
            let before = served()
            progress.wait(timeout: 5) { served() >= before + 4 }
            if i == 10 {
                // A corrupt image: refused, the old table keeps serving.
                var bad = images[0]
                bad[bad.count / 2] ^= 0xFF
                try w.install(bad)
                let r = w.proxy.server.reload(reason: "test")
                #expect(!r.ok)
                #expect(r.message.contains("checksum") || r.message.contains("invalid"))
                continue
            }
            try w.install(images[i % 2])
            results.append(w.proxy.server.reload(reason: "test").ok)
        }
        let before = served()
        progress.wait(timeout: 5) { served() >= before + 4 }
        stop.withLockedValue { $0 = true }
        #expect(group.wait(timeout: .now() + 20) == .success)
        #expect(failures.withLockedValue { $0 }.isEmpty, "client errors: \(failures.withLockedValue { $0.prefix(3) })")
        #expect(results.count == 20 && results.allSatisfy { $0 })
        let o = outcomes.withLockedValue { $0 }
        let total = o.values.reduce(0, +)
        #expect(total > 100, "only \(total) requests ran")
        // Only the statuses the two tables give: nothing failed.
        #expect(Set(o.keys).isSubset(of: [200, 418, 419]), "outcomes \(o)")
        #expect(w.proxy.server.metrics.reloadCounts == (20, 1))
        #expect(w.proxy.server.tables.current.generation == 21)
    }

    @Test func inFlightRequestsFinishOnTheirTable() throws {
        let w = try World()
        defer { w.stop() }
        // /teapot -> a route on the new table? Use the slow route: upstream answers in 600 ms.
        w.v1.setBehaviour { _, _ in .delayed(.milliseconds(600), status: 200, body: "old table") }
        let slow = Eventually<ClientResponse>()
        let t = Thread {
            if let c = try? w.proxy.client() {
                if let r = try? c.send(.GET, "/slow", host: "reviews.shop:8080") { slow.set(r) }
                c.close()
            }
        }
        t.start()
        // The request is in flight once the upstream has it.
        #expect(w.v1.waitForRequest(timeout: 5) { $0.uri == "/slow" })
        // The new table answers /slow... with nothing: make it a mesh without the timeout route.
        let newMesh = TestMeshes.shop.replacingOccurrences(of: "prefix: /slow", with: "prefix: /no-longer-slow")
        try w.install(try compileImage(newMesh))
        #expect(w.proxy.server.reload(reason: "test").ok)
        let r = try #require(slow.wait(timeout: 5))
        #expect(r.status == 200 && r.body == "old table")
        // A new /slow request now takes the split (no 1 s timeout any more): v2 or v1, no 504.
        w.v1.setBehaviour { _, _ in .respond(status: 200, body: "new") }
        let c = try w.proxy.client()
        defer { c.close() }
        #expect(try c.send(.GET, "/slow", host: "reviews.shop:8080").status == 200)
    }

    @Test func changedFileAndSIGHUPAndAdminReload() throws {
        let w = try World { o in
            o.pollInterval = .milliseconds(50)
            o.handleSIGHUP = true
        }
        defer { w.stop() }
        let c = try w.proxy.client()
        defer { c.close() }
        #expect(try c.send(.GET, "/teapot", host: "reviews.shop:8080").status == 418)
        // A changed file is picked up by polling.
        try w.install(try compileImage(Self.variant(420)))
        // Ask until the answer changes (bounded): each request waits on the proxy, not a timer.
        var deadline = Date().addingTimeInterval(5)
        var status = 0
        while status != 420 && Date() < deadline {
            status = try c.send(.GET, "/teapot", host: "reviews.shop:8080").status
        }
        #expect(status == 420)
        #expect(w.proxy.server.tables.current.generation == 2)
        // SIGHUP reloads (the same file: a new generation).
        kill(getpid(), SIGHUP)
        // The same answers, so watch the generation, one request (a round trip) per look.
        deadline = Date().addingTimeInterval(5)
        while w.proxy.server.tables.current.generation < 3 && Date() < deadline {
            #expect(try c.send(.GET, "/teapot", host: "reviews.shop:8080").status == 420)
        }
        #expect(w.proxy.server.tables.current.generation == 3)
        // POST /reload with a corrupt file: 400, and the old table keeps serving.
        try w.install(Array("not a table image".utf8))
        let admin = try TestClient(port: w.proxy.adminPort)
        defer { admin.close() }
        let r = try admin.send(.POST, "/reload", host: "admin")
        #expect(r.status == 400)
        #expect(r.body.contains("\"ok\":false"))
        #expect(try c.send(.GET, "/teapot", host: "reviews.shop:8080").status == 420)
        try w.install(try compileImage(Self.variant(421)))
        let r2 = try admin.send(.POST, "/reload", host: "admin")
        #expect(r2.status == 200)
        #expect(try c.send(.GET, "/teapot", host: "reviews.shop:8080").status == 421)
    }

    /// The process's resident memory now (Linux), in KiB; nil elsewhere.
    static func residentKiB() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }
        return line.flatMap {
            Int($0.dropFirst(6).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "")
        }
    }

    /// Why `ProxyServer.readTableImage` refuses `path` ("" when it does not).
    static func refusal(_ path: String, maxBytes: Int) -> String {
        do {
            _ = try ProxyServer.readTableImage(path, maxBytes: maxBytes)
            return ""
        } catch {
            return "\(error)"
        }
    }

    /// Reloading junk is refused from its size and header, before the file is read: a 300 MB
    /// file over `--max-table-bytes`, the same under a larger limit (header only), `/dev/zero`
    /// and a FIFO; the old table keeps serving and memory does not grow with the file.
    @Test func reloadsAreBoundedBeforeTheFileIsRead() throws {
        let w = try World()
        defer { w.stop() }
        let c = try w.proxy.client()
        defer { c.close() }
        #expect(try c.send(.GET, "/teapot", host: "reviews.shop:8080").status == 418)
        let junk = w.proxy.dir.path("junk.fjt")
        #expect(FileManager.default.createFile(atPath: junk, contents: nil))
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: junk))
        try h.truncate(atOffset: 300 << 20)  // sparse: 300 MB of zeros that use no disk
        try h.close()
        let before = Self.residentKiB()
        _ = rename(junk, w.proxy.tablesPath)
        let overLimit = w.proxy.server.reload(reason: "test")
        #expect(!overLimit.ok)
        #expect(
            overLimit.message.contains("over the limit of \(ProxyOptions.defaultMaxTableBytes) bytes"), "\(overLimit)")
        if let before, let after = Self.residentKiB() {
            print("reload of a 300 MB junk file: RSS \(before / 1024) -> \(after / 1024) MiB")
            #expect(after - before < 64 << 10, "RSS grew from \(before) to \(after) KiB")
        }
        #expect(try c.send(.GET, "/teapot", host: "reviews.shop:8080").status == 418)
        // Under a larger limit the header is read (32 bytes) and refused.
        #expect(
            Self.refusal(w.proxy.tablesPath, maxBytes: 1 << 30).contains("not a table image"),
            "\(Self.refusal(w.proxy.tablesPath, maxBytes: 1 << 30))")
        for special in ["/dev/zero", "/dev/null"] {
            #expect(Self.refusal(special, maxBytes: 1 << 30).contains("not a regular file"))
        }
        let fifo = w.proxy.dir.path("fifo.fjt")
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(Self.refusal(fifo, maxBytes: 1 << 30).contains("not a regular file"))
    }

    @Test func adminEndpoints() throws {
        let w = try World()
        defer { w.stop() }
        let c = try w.proxy.client()
        defer { c.close() }
        for _ in 0..<5 { _ = try c.send(.GET, "/x", host: "reviews.shop:8080", headers: [("x-debug-user", "true")]) }
        _ = try c.send(.GET, "/teapot", host: "reviews.shop:8080")
        let admin = try TestClient(port: w.proxy.adminPort)
        defer { admin.close() }
        #expect(try admin.send(.GET, "/ready", host: "admin").status == 200)
        let m = try admin.send(.GET, "/metrics", host: "admin")
        #expect(m.status == 200)
        #expect(m.body.contains("# TYPE istio_requests_total counter"))
        #expect(m.body.contains("# TYPE istio_request_duration_milliseconds histogram"))
        let line = try #require(
            m.body.split(separator: "\n").first {
                $0.hasPrefix("istio_requests_total{") && $0.contains("destination_version=\"v2\"")
            })
        for label in [
            "reporter=\"source\"", "source_workload=\"client\"", "source_workload_namespace=\"shop\"",
            "destination_service=\"reviews.shop.svc.cluster.local\"", "destination_service_name=\"reviews\"",
            "destination_service_namespace=\"shop\"", "response_code=\"200\"", "response_flags=\"-\"",
        ] {
            #expect(line.contains(label), "missing \(label) in \(line)")
        }
        #expect(line.hasSuffix(" 5"))
        #expect(m.body.contains("response_code=\"418\""))
        #expect(m.body.contains("istio_request_duration_milliseconds_bucket{"))
        let tables = try admin.send(.GET, "/tables", host: "admin")
        #expect(tables.status == 200 && tables.body.hasPrefix("{"))
        let stats = try admin.send(.GET, "/stats", host: "admin")
        #expect(stats.body.contains("\"generation\":1"))
        #expect(stats.body.contains("outbound|8080|v2|reviews.shop.svc.cluster.local"))
        #expect(try admin.send(.GET, "/nope", host: "admin").status == 404)
        #expect(try admin.send(.GET, "/reload", host: "admin").status == 405)
    }

    @Test func waitReportsReadiness() throws {
        // Nothing listens: the wait fails after its timeout.
        let t0 = Date()
        #expect(!ReadinessWait.wait(admin: HostPort(host: "127.0.0.1", port: 1), timeout: .milliseconds(300)))
        #expect(Date().timeIntervalSince(t0) < 3)
        let w = try World()
        defer { w.stop() }
        #expect(ReadinessWait.wait(admin: HostPort(host: "127.0.0.1", port: w.proxy.adminPort), timeout: .seconds(5)))
        #expect(w.proxy.server.startupMs < 1000)
    }
}
