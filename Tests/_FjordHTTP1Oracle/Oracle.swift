import FjordHTTP1
import NIOCore
import NIOEmbedded
import NIOHTTP1

/// One parse, normalised so that NIO's decoder and FjordHTTP1 can be compared: the events of the
/// messages that completed (`head ...`, `body ...` with the parts joined, `end ...`) and whether
/// the bytes were refused.
public struct Verdict: Equatable, CustomStringConvertible, Sendable {
    public var events: [String] = []
    public var refused = false
    /// FjordHTTP1's reason, when it refused.
    public var error: HTTP1Error?
    public init(events: [String] = [], refused: Bool = false, error: HTTP1Error? = nil) {
        self.events = events
        self.refused = refused
        self.error = error
    }
    public var description: String {
        events.joined(separator: " | ") + (refused ? " !! refused" + (error.map { " (\($0))" } ?? "") : "")
    }

    /// Keeps complete messages only (a refusal may come after a head was handed out) and stops
    /// after an upgrade: NIO's decoder stops parsing there, FjordHTTP1 declines the upgrade.
    mutating func normalise(upgradeAt: Int?) {
        if let u = upgradeAt, let end = events[u...].firstIndex(where: { $0.hasPrefix("end") }) {
            events = Array(events[...end])
            refused = false
            error = nil
            return
        }
        if refused {
            let last = events.lastIndex(where: {
                $0.hasPrefix("end") || $0.hasPrefix("head 1.1 1") || $0.hasPrefix("head 1.0 1")
            })
            events = last.map { Array(events[...$0]) } ?? []
        }
    }
}

func describeHead(
    request: Bool, method: String, target: String, version: (Int, Int), status: Int, headers: [(String, String)]
)
    -> String
{
    let start = request ? "\(method) \(target) \(version.0).\(version.1)" : "\(version.0).\(version.1) \(status)"
    return "head \(start) [" + headers.map { "\($0.0)=\($0.1)" }.joined(separator: ",") + "]"
}

func describeBody(_ b: [UInt8]) -> String { "body " + b.map { String($0, radix: 16) }.joined(separator: " ") }

/// Whether a request head asks for an upgrade the way llhttp counts one (`Upgrade` with
/// `Connection: upgrade`, or CONNECT).
func isUpgradeRequest(method: String, headers: [(String, String)]) -> Bool {
    if method == "CONNECT" { return true }
    let upgrade = headers.contains { $0.0.lowercased() == "upgrade" }
    let connection = headers.contains {
        $0.0.lowercased() == "connection"
            && $0.1.lowercased().split(separator: ",").contains { $0.trimmingCharacters(in: " \t") == "upgrade" }
    }
    return upgrade && connection
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}

/// A field value without trailing whitespace: llhttp keeps a trailing tab in a value, RFC 9110
/// (section 5.5) and FjordHTTP1 do not (a listed difference, docs/proxy.md).
func trimOWS(_ v: String) -> String {
    var s = Substring(v)
    while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
    return String(s)
}

/// NIO's llhttp-based decoder in its (only, strict) mode: the oracle.
public func nioVerdict(_ request: Bool, _ chunks: [[UInt8]]) -> Verdict {
    var v = Verdict()
    var upgradeAt: Int?
    let channel = EmbeddedChannel()
    do {
        if request {
            try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(HTTPRequestDecoder()))
        } else {
            try channel.pipeline.syncOperations.addHandler(HTTPRequestEncoder())
            try channel.pipeline.syncOperations.addHandler(
                ByteToMessageHandler(
                    HTTPResponseDecoder(leftOverBytesStrategy: .dropBytes, informationalResponseStrategy: .forward)))
            for _ in 0..<8 {
                try channel.writeOutbound(
                    HTTPClientRequestPart.head(HTTPRequestHead(version: .http1_1, method: .GET, uri: "/")))
                try channel.writeOutbound(HTTPClientRequestPart.end(nil))
            }
            while try channel.readOutbound(as: ByteBuffer.self) != nil {}
        }
    } catch {
        fatalError("cannot set up NIO's decoder: \(error)")
    }
    var body: [UInt8] = []
    func flushBody() {
        if !body.isEmpty { v.events.append(describeBody(body)) }
        body = []
    }
    func read() {
        if request {
            while let part = try? channel.readInbound(as: HTTPServerRequestPart.self) {
                switch part {
                case .head(let h):
                    let headers = h.headers.map { ($0.name, trimOWS($0.value)) }
                    if upgradeAt == nil && isUpgradeRequest(method: h.method.rawValue, headers: headers) {
                        upgradeAt = v.events.count
                    }
                    v.events.append(
                        describeHead(
                            request: true, method: h.method.rawValue, target: h.uri,
                            version: (h.version.major, h.version.minor), status: 0, headers: headers))
                case .body(let b): body += b.readableBytesView
                case .end(let t):
                    flushBody()
                    v.events.append(
                        "end" + (t.map { " " + $0.map { "\($0.name)=\($0.value)" }.joined(separator: ",") } ?? ""))
                }
            }
        } else {
            while let part = try? channel.readInbound(as: HTTPClientResponsePart.self) {
                switch part {
                case .head(let h):
                    v.events.append(
                        describeHead(
                            request: false, method: "", target: "", version: (h.version.major, h.version.minor),
                            status: Int(h.status.code), headers: h.headers.map { ($0.name, trimOWS($0.value)) }))
                case .body(let b): body += b.readableBytesView
                case .end(let t):
                    flushBody()
                    v.events.append(
                        "end" + (t.map { " " + $0.map { "\($0.name)=\($0.value)" }.joined(separator: ",") } ?? ""))
                }
            }
        }
    }
    for c in chunks {
        do {
            try channel.writeInbound(ByteBuffer(bytes: c))
            read()
        } catch {
            read()
            flushBody()
            v.refused = true
            break
        }
    }
    if !v.refused {
        do {
            try channel.close().wait()
            try channel.throwIfErrorCaught()
            read()
        } catch {
            read()
            flushBody()
            v.refused = true
        }
    }
    flushBody()
    _ = try? channel.finish(acceptAlreadyClosed: true)
    v.normalise(upgradeAt: upgradeAt)
    return v
}

/// FjordHTTP1 on the same bytes.
public func fjordVerdict(_ request: Bool, _ chunks: [[UInt8]], requireHost: Bool = true) -> Verdict {
    var p = HTTP1Parser(kind: request ? .request : .response)
    p.requireHost = requireHost
    var v = Verdict()
    var upgradeAt: Int?
    var buffer = ByteBuffer()
    var body: [UInt8] = []
    var informational = false
    func flushBody() {
        if !body.isEmpty { v.events.append(describeBody(body)) }
        body = []
    }
    func drain(eof: Bool) -> Bool {
        do {
            while let e = try (eof ? p.finish(&buffer) : p.next(&buffer)) {
                switch e {
                case .head(let h):
                    let headers = h.headerList
                    if request && upgradeAt == nil && isUpgradeRequest(method: h.method.name, headers: headers) {
                        upgradeAt = v.events.count
                    }
                    informational = !request && h.status < 200
                    v.events.append(
                        describeHead(
                            request: request, method: h.method.name, target: h.targetString,
                            version: (1, Int(h.minorVersion)), status: h.status, headers: headers))
                case .body(let b): body += b.readableBytesView
                case .end(let t):
                    flushBody()
                    // NIO hands out an informational response as a head alone.
                    if informational {
                        informational = false
                    } else {
                        v.events.append(
                            "end"
                                + (t.map { " " + $0.headerList.map { "\($0.0)=\($0.1)" }.joined(separator: ",") } ?? "")
                        )
                    }
                }
                if eof { break }
            }
            return true
        } catch {
            flushBody()
            v.refused = true
            v.error = error
            return false
        }
    }
    var ok = true
    for c in chunks {
        buffer.writeBytes(c)
        ok = drain(eof: false)
        if !ok { break }
    }
    if ok { _ = drain(eof: true) }
    flushBody()
    v.normalise(upgradeAt: upgradeAt)
    return v
}

/// How FjordHTTP1 compares with the oracle on one input.
public enum Comparison: Equatable, Sendable {
    case agree
    /// FjordHTTP1 refuses, with a reason of `HTTP1Error.isStricterThanLLHTTP`, what NIO accepts.
    case stricter(String)
    case disagree(nio: Verdict, fjord: Verdict)
}

/// Compares on `chunks`, and checks that FjordHTTP1 gives the same result byte by byte (every
/// split point at once) and at `split`.
public func compare(_ request: Bool, _ input: [UInt8], split: Int? = nil) -> Comparison {
    let nio = nioVerdict(request, [input])
    var ours = fjordVerdict(request, [input])
    let bytewise = fjordVerdict(request, input.map { [$0] })
    if bytewise != ours { return .disagree(nio: ours, fjord: bytewise) }
    if let k = split {
        let two = fjordVerdict(request, [Array(input[..<k]), Array(input[k...])])
        if two != ours { return .disagree(nio: ours, fjord: two) }
    }
    let hostRules: [HTTP1Error] = [.missingHost, .duplicateHost, .invalidHost]
    if nio == Verdict(events: ours.events, refused: ours.refused) {
        // Both refuse: without the Host rules FjordHTTP1 still refuses (for the oracle's reason).
        if let e = ours.error, hostRules.contains(e) {
            let relaxed = fjordVerdict(request, [input], requireHost: false)
            if nio != Verdict(events: relaxed.events, refused: relaxed.refused) {
                return .disagree(nio: nio, fjord: relaxed)
            }
        }
        return .agree
    }
    guard var e = ours.error, e.isStricterThanLLHTTP else { return .disagree(nio: nio, fjord: ours) }
    var why = "\(e)"
    if hostRules.contains(e) {
        // Compare the rest of the message without the Host rules.
        ours = fjordVerdict(request, [input], requireHost: false)
        if nio == Verdict(events: ours.events, refused: ours.refused) { return .stricter(why) }
        guard let e2 = ours.error, e2.isStricterThanLLHTTP else { return .disagree(nio: nio, fjord: ours) }
        e = e2
        why += ", \(e2)"
    }
    // Refused earlier than NIO: what came before is the same.
    if nio.events.starts(with: ours.events) { return .stricter(why) }
    return .disagree(nio: nio, fjord: ours)
}
