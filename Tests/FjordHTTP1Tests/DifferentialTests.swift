import FjordHTTP1
import Foundation
import Testing
import _FjordHTTP1Oracle

/// The parser against its oracle, NIO's llhttp-based `HTTPDecoder` (strict): the same verdict
/// and the same method, target, version, header list, body bytes and trailers.
@Suite struct DifferentialTests {
    struct Case: Decodable {
        let source: String
        let title: String
        let type: String
        let input: String
        let llhttp: String
    }

    static var fixtures: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("fixtures/http1")
    }

    static func hex(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        var it = s.utf8.makeIterator()
        while let a = it.next(), let b = it.next() {
            out.append(UInt8(String(decoding: [a, b], as: UTF8.self), radix: 16) ?? 0)
        }
        return out
    }

    /// llhttp's own request and response cases (fixtures/http1/llhttp-cases.jsonl, transcribed by
    /// scripts/llhttp-cases.py): every case agrees, or FjordHTTP1 is stricter for a listed reason
    /// and the case is listed in fixtures/http1/llhttp-differences.txt (no more, no fewer).
    @Test func llhttpCases() throws {
        let lines = try String(contentsOf: Self.fixtures.appendingPathComponent("llhttp-cases.jsonl"), encoding: .utf8)
            .split(separator: "\n").dropFirst()
        let cases = try lines.map { try JSONDecoder().decode(Case.self, from: Data($0.utf8)) }
        #expect(cases.count > 200)
        var found: [String] = []
        var disagreements: [String] = []
        var agreed = 0
        for c in cases {
            let input = Self.hex(c.input)
            let request = c.type.hasPrefix("request")
            switch compare(request, input, split: input.count / 2) {
            case .agree: agreed += 1
            case .stricter(let why): found.append("\(c.source) \(why)")
            case .disagree(let nio, let fjord)
            where (c.type == "request" || c.type == "response") && fjord.refused == (c.llhttp != "ok")
                && nio.refused != fjord.refused:
                // NIO bundles llhttp 9.3.0; the cases are 9.4.2's, whose verdict FjordHTTP1 keeps.
                found.append("\(c.source) as llhttp 9.4.2, not NIO's 9.3.0")
            case .disagree(let nio, let fjord):
                disagreements.append("\(c.source) \(c.title):\n  nio:   \(nio)\n  fjord: \(fjord)")
            }
        }
        #expect(
            disagreements.isEmpty, "\(disagreements.count) disagreements:\n\(disagreements.joined(separator: "\n"))")
        let listed = try String(
            contentsOf: Self.fixtures.appendingPathComponent("llhttp-differences.txt"), encoding: .utf8
        )
        .split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }.map(String.init)
        #expect(found == listed, "differences found:\n\(found.joined(separator: "\n"))")
        #expect(agreed + found.count == cases.count)
    }

    /// Seeded generated and mutated messages: 10,000 here; `FJORD_HTTP1_DIFFERENTIAL=N` for more
    /// (docs/performance.md records a 1,000,000-message run).
    @Test func generatedMessages() {
        let count = ProcessInfo.processInfo.environment["FJORD_HTTP1_DIFFERENTIAL"].flatMap { Int($0) } ?? 10_000
        let seed = ProcessInfo.processInfo.environment["FJORD_HTTP1_SEED"].flatMap { UInt64($0) } ?? 0x5EED_8
        let r = runGenerated(count: count, seed: seed)
        #expect(
            r.disagreements.isEmpty,
            "\(r.disagreements.count) disagreements, first:\n\(r.disagreements.prefix(5).joined(separator: "\n"))")
        // The generator reaches both verdicts and the stricter rules.
        #expect(r.accepted > count / 5, "accepted \(r.accepted)")
        #expect(r.refused > count / 10, "refused \(r.refused)")
        print(
            "http1 differential: \(count) messages, seed \(seed): \(r.accepted) accepted, \(r.refused) refused by both, stricter: \(r.stricter.sorted { $0.key < $1.key })"
        )
    }
}
