import Foundation
import Testing
import _FjordTestSupport

/// Every input limit the docs promise, proved at the limit (accepted) and one past it (refused
/// with the documented diagnostic), on the real binary. Each run prints its time and peak RSS
/// (through `/usr/bin/time` when the machine has it); only the RSS bound (1 GiB) and the hang
/// guard (20 s, 90 s for a million nodes) are asserted, never a time (docs/fuzzing.md, "Limits").
@Suite(.serialized) struct LimitTests {
    struct Run {
        var result: FjordProcess.Result
        var maxRSSKiB: Int?
    }

    /// `fjord arguments`, with its peak RSS when `/usr/bin/time` exists.
    static func measured(_ arguments: [String], label: String, binary: String = "fjord", timeout: Double = 20) throws
        -> Run
    {
        let timeBinary = "/usr/bin/time"
        guard FileManager.default.isExecutableFile(atPath: timeBinary) else {
            let r = try FjordProcess.run(arguments, timeout: timeout, binary: binary)
            print("limit `\(label)`: exit \(r.status) in \(String(format: "%.3f", r.seconds)) s, RSS not measured")
            return Run(result: r, maxRSSKiB: nil)
        }
        let dir = try TemporaryDirectory("fjord-limit")
        let rssFile = dir.url.appendingPathComponent("rss").path
        let r = try FjordProcess.run(
            arguments, timeout: timeout, wrapper: [timeBinary, "-f", "%M", "-o", rssFile], binary: binary)
        let rss = (try? String(contentsOfFile: rssFile, encoding: .utf8))?.split(separator: "\n").last.flatMap {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
        print(
            "limit `\(label)`: exit \(r.status) in \(String(format: "%.3f", r.seconds)) s, peak RSS \(rss.map { "\($0 / 1024) MiB" } ?? "?")"
        )
        return Run(result: r, maxRSSKiB: rss)
    }

    static func expectBounded(_ run: Run, _ label: String) {
        #expect(!run.result.timedOut && !run.result.signaled, "\(label): \(run.result)")
        if let rss = run.maxRSSKiB { #expect(rss < 1 << 20, "\(label): peak RSS \(rss) KiB") }
    }

    static let namespaceHeader = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: limits\nspec:\n  x: "

    /// A Namespace whose `spec` (typed `any`) holds `body`.
    static func namespace(_ body: String) -> [UInt8] { Array((namespaceHeader + body + "\n").utf8) }

    /// `documents` Namespaces whose `spec.x` lists `1`s, `nodes` nodes in all (each document
    /// has 13 nodes besides its items). Lines stay short: one item per line.
    static func flatList(documents: Int, nodes: Int) -> [UInt8] {
        var out: [UInt8] = []
        var left = nodes
        for d in 0..<documents {
            let here = d == documents - 1 ? left : nodes / documents
            left -= here
            if d > 0 { out += Array("---\n".utf8) }
            out += Array(namespaceHeader.dropLast(1).utf8) + Array("\n".utf8)
            out.reserveCapacity(out.count + 5 * (here - 13))
            for _ in 0..<(here - 13) { out += [0x20, 0x20, 0x2D, 0x20, 0x31, 0x0A] }
        }
        return out
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var arguments: [String] = []
        var make: @Sendable (_ past: Bool) -> [UInt8]
        /// The code and a fragment of the message one past the limit.
        var code: String
        var message: String
        /// The hang guard: a million nodes take seconds in a debug build on a busy machine.
        var timeout: Double = 20
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "file size (--max-file-bytes)",
            arguments: ["--max-file-bytes", String(namespace("{}").count)],
            make: { past in namespace(past ? "{ }" : "{}") }, code: "FJ1005", message: "over the limit"),
        Case(
            name: "nesting depth (256 levels)",
            // The root mapping is level 1, `spec` level 2, `x` holds the flow sequences.
            make: { past in
                let n = past ? 255 : 254
                return namespace(String(repeating: "[", count: n) + String(repeating: "]", count: n))
            }, code: "FJ1005", message: "nesting is deeper than the limit of 256 levels"),
        Case(
            name: "alias expansion (100,000 nodes)",
            make: { past in
                let uses = past ? 100_001 : 100_000
                return namespace("[&a x, " + Array(repeating: "*a", count: uses).joined(separator: ",") + "]")
            }, code: "FJ1005", message: "aliases copy 100001 nodes, over the limit of 100000"),
        Case(
            name: "nodes per document (1,000,000)",
            make: { past in flatList(documents: 1, nodes: past ? 1_000_001 : 1_000_000) },
            code: "FJ1005", message: "document has 1000001 nodes, over the limit of 1000000", timeout: 90),
        Case(
            name: "nodes per file (2,000,000)",
            make: { past in flatList(documents: 3, nodes: past ? 2_000_001 : 2_000_000) },
            code: "FJ1005", message: "the file has 2000001 nodes, over the limit of 2000000 per file", timeout: 90),
        Case(
            name: "documents per file (100,000)",
            make: { past in
                namespace("{}") + Array(repeating: Array("---\n".utf8), count: past ? 100_000 : 99_999).flatMap { $0 }
            }, code: "FJ1005", message: "the file has more than 100000 documents"),
        Case(
            name: "scalar size (1 MiB)",
            make: { past in namespace("\"" + String(repeating: "x", count: (1 << 20) + (past ? 1 : 0)) + "\"") },
            code: "FJ1005", message: "over the limit of 1048576 bytes"),
    ]

    @Test(arguments: cases)
    func atTheLimitIsAcceptedAndOnePastIsRefused(_ c: Case) throws {
        let dir = try TemporaryDirectory("fjord-limit")
        let at = try dir.write("at.yaml", Data(c.make(false)))
        let past = try dir.write("past.yaml", Data(c.make(true)))
        let ok = try Self.measured(
            ["check", "--compact"] + c.arguments + [at], label: "\(c.name), at the limit", timeout: c.timeout)
        Self.expectBounded(ok, c.name)
        #expect(ok.result.exited(0), "\(c.name) at the limit: \(ok.result)")
        let refused = try Self.measured(
            ["check"] + c.arguments + [past], label: "\(c.name), one past", timeout: c.timeout)
        Self.expectBounded(refused, c.name)
        #expect(refused.result.exited(2), "\(c.name) one past the limit: \(refused.result)")
        #expect(hasHeader(refused.result.stdout, path: past, code: c.code), "\(c.name): \(refused.result)")
        #expect(refused.result.stdout.contains(c.message), "\(c.name): \(refused.result)")
    }

    /// `fjord explain --tables` and `fjord-proxy run --tables` read a table image only after its
    /// size and header passed: an image of exactly `--max-table-bytes` loads, one byte less of
    /// limit refuses it, and `/dev/zero` or a 2 GiB (sparse) junk file are refused at once.
    @Test func tableImagesAreBoundedBeforeTheyAreRead() throws {
        let dir = try TemporaryDirectory("fjord-limit-tables")
        let mesh = RepoPaths.path("fixtures/examples/oslo-shop/clean")
        let image = dir.url.appendingPathComponent("mesh.fjt").path
        #expect(try FjordProcess.run(["compile", mesh, "-o", image]).exited(0))
        let size = try #require(FileManager.default.attributesOfItem(atPath: image)[.size] as? Int)
        let junk = dir.url.appendingPathComponent("junk.fjt").path
        #expect(FileManager.default.createFile(atPath: junk, contents: nil))
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: junk))
        try h.truncate(atOffset: 2 << 30)
        try h.close()
        let explain = ["explain", "--workload", "shop/checkout", "--request", "http://cart.shop/", "--tables"]
        let at = try Self.measured(
            explain + [image, "--max-table-bytes", String(size)], label: "table image at the limit")
        Self.expectBounded(at, "at the limit")
        #expect(at.result.exited(0), "\(at.result)")
        let cases: [(String, [String], String)] = [
            ("table image one byte over the limit", [image, "--max-table-bytes", String(size - 1)], "over the limit"),
            ("/dev/zero as a table image", ["/dev/zero"], "not a regular file"),
            ("a 2 GiB junk table image", [junk], "over the limit of \(64 << 20) bytes"),
            (
                "a 2 GiB junk table image under a 4 GiB limit", [junk, "--max-table-bytes", String(4 << 30)],
                "not a table image"
            ),
        ]
        for (label, arguments, message) in cases {
            let r = try Self.measured(explain + arguments, label: label)
            Self.expectBounded(r, label)
            #expect(r.result.exited(2), "\(label): \(r.result)")
            #expect(r.result.stderr.contains(message), "\(label): \(r.result.stderr)")
        }
        // fjord-proxy refuses the same before it listens.
        for (label, arguments, message) in [
            ("fjord-proxy --tables /dev/zero", ["/dev/zero"], "not a regular file"),
            ("fjord-proxy --tables junk (2 GiB)", [junk], "over the limit"),
            (
                "fjord-proxy --tables junk under --max-table-bytes 4 GiB",
                [junk, "--max-table-bytes", String(4 << 30)], "not a table image"
            ),
        ] {
            let r = try Self.measured(
                ["run", "--workload", "shop/checkout", "--outbound", "127.0.0.1:0", "--tables"] + arguments,
                label: label,
                binary: "fjord-proxy")
            Self.expectBounded(r, label)
            #expect(!r.result.exited(0), "\(label): \(r.result)")
            #expect(r.result.stderr.contains(message), "\(label): \(r.result.stderr)")
        }
    }
}
