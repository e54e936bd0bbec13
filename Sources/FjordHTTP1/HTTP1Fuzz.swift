import NIOCore

/// The parser's fuzz entry (a libFuzzer target calls it with each input): the bytes are parsed
/// as requests and as responses, whole and split in two at a point the first byte chooses, and
/// the invariants that do not depend on the bytes are checked: a refusal is final, a length-
/// framed body has exactly its length, field ranges lie inside their head, and the same verdict
/// and events come out whatever the split. A broken invariant traps (a finding).
public enum HTTP1Fuzz {
    public static func one(_ data: UnsafeRawBufferPointer) {
        for kind in [HTTP1Parser.Kind.request, .response] {
            let whole = run(kind, data, split: data.count)
            let at = data.isEmpty ? 0 : Int(data[0]) % (data.count + 1)
            let parts = run(kind, data, split: at)
            precondition(whole == parts, "a split changed the result")
        }
    }

    /// A digest of what the parser produced: events, body bytes and the verdict.
    struct Outcome: Equatable {
        var events: [String] = []
        var body: [UInt8] = []
        var error: HTTP1Error?
    }

    static func run(_ kind: HTTP1Parser.Kind, _ data: UnsafeRawBufferPointer, split: Int) -> Outcome {
        var parser = HTTP1Parser(kind: kind, maxHeadBytes: 4096, maxFields: 32)
        var out = Outcome()
        var buffer = ByteBuffer()
        var bodyLeft = -1
        func drain(eof: Bool) -> Bool {
            do {
                var steps = 0
                while let e = try (eof ? parser.finish(&buffer) : parser.next(&buffer)) {
                    steps += 1
                    precondition(steps <= data.count + 2, "the parser does not advance")
                    switch e {
                    case .head(let h):
                        for f in h.fields {
                            precondition(f.name.end <= f.value.start && f.value.end <= h.bytes.readableBytes)
                        }
                        precondition(h.target.end <= h.bytes.readableBytes)
                        if case .length(let n) = h.framing { bodyLeft = n } else { bodyLeft = -1 }
                        out.events.append("head \(h.status) \(h.targetString) \(h.fields.count) \(h.framing)")
                    case .body(let b):
                        precondition(b.readableBytes > 0, "an empty body part")
                        if bodyLeft >= 0 {
                            bodyLeft -= b.readableBytes
                            precondition(bodyLeft >= 0, "more body than its length")
                        }
                        out.body += b.readableBytesView
                    case .end(let t):
                        precondition(bodyLeft <= 0, "a length-framed body ended short")
                        bodyLeft = -1
                        out.events.append("end \(t?.fields.count ?? 0)")
                    }
                    if eof { break }
                }
                return true
            } catch {
                out.error = error
                // A refusal is final.
                do {
                    _ = try parser.next(&buffer)
                    preconditionFailure("a refused parser went on")
                } catch let again {
                    precondition(again == error)
                }
                return false
            }
        }
        buffer.writeBytes(UnsafeRawBufferPointer(rebasing: data[0..<split]))
        guard drain(eof: false) else { return out }
        buffer.writeBytes(UnsafeRawBufferPointer(rebasing: data[split...]))
        guard drain(eof: false) else { return out }
        _ = drain(eof: true)
        return out
    }
}
