import FjordHTTP1
import NIOCore
import Testing

/// What a parser made of some bytes: the events in a comparable form, or the refusal.
struct Parsed: Equatable, CustomStringConvertible {
    var events: [String] = []
    var error: HTTP1Error?
    var description: String { events.joined(separator: " | ") + (error.map { " !! \($0)" } ?? "") }
}

/// Parses `chunks` in order (the bytes arriving in those reads), then the end of the stream.
func parse(
    _ kind: HTTP1Parser.Kind, _ chunks: [[UInt8]], eof: Bool = true, headResponses: Bool = false,
    configure: (inout HTTP1Parser) -> Void = { _ in }
) -> Parsed {
    var p = HTTP1Parser(kind: kind)
    configure(&p)
    var out = Parsed()
    var buffer = ByteBuffer()
    var body: [UInt8] = []
    func flushBody() {
        if !body.isEmpty { out.events.append("body " + String(decoding: body, as: UTF8.self).debugDescription) }
        body = []
    }
    func drain(_ last: Bool) -> Bool {
        do {
            while true {
                if headResponses { p.nextResponseIsToHEAD = true }
                guard let e = try (last ? p.finish(&buffer) : p.next(&buffer)) else { return true }
                switch e {
                case .head(let h):
                    let start =
                        h.isRequest
                        ? "\(h.method.name) \(h.targetString) 1.\(h.minorVersion)" : "1.\(h.minorVersion) \(h.status)"
                    let fields = h.headerList.map { "\($0.0)=\($0.1)" }.joined(separator: ",")
                    out.events.append("head \(start) [\(fields)] \(h.framing) keepAlive=\(h.keepAlive)")
                case .body(let b):
                    body += b.readableBytesView
                case .end(let t):
                    flushBody()
                    out.events.append(
                        "end" + (t.map { " " + $0.headerList.map { "\($0.0)=\($0.1)" }.joined(separator: ",") } ?? ""))
                }
                if last { return true }
            }
        } catch {
            flushBody()
            out.error = error
            return false
        }
    }
    for c in chunks {
        buffer.writeBytes(c)
        guard drain(false) else { return out }
    }
    flushBody()
    if eof { _ = drain(true) }
    flushBody()
    return out
}

func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

/// Whole, byte by byte, and at every split point: the same result.
func parseEverySplit(_ kind: HTTP1Parser.Kind, _ s: String, headResponses: Bool = false) -> Parsed {
    let b = bytes(s)
    let whole = parse(kind, [b], headResponses: headResponses)
    let single = parse(kind, b.map { [$0] }, headResponses: headResponses)
    #expect(single == whole, "byte by byte: \(single) vs \(whole)")
    for k in 0...b.count {
        let split = parse(kind, [Array(b[..<k]), Array(b[k...])], headResponses: headResponses)
        #expect(split == whole, "split at \(k): \(split) vs \(whole)")
    }
    return whole
}

@Suite struct HTTP1ParserTests {
    @Test func simpleRequestAndKeepAlive() {
        let r = parseEverySplit(
            .request, "GET /a?b HTTP/1.1\r\nHost: x:80\r\nX-A:  v v \r\n\r\nGET /b HTTP/1.1\r\nhost: y\r\n\r\n")
        #expect(
            r.events == [
                "head GET /a?b 1.1 [Host=x:80,X-A=v v] none keepAlive=true", "end",
                "head GET /b 1.1 [host=y] none keepAlive=true", "end",
            ])
        #expect(r.error == nil)
    }

    @Test func headRangesPointIntoTheReceivedBytes() throws {
        var p = HTTP1Parser(kind: .request)
        var b = ByteBuffer(string: "POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc")
        guard case .head(let h) = try p.next(&b) else { Issue.record("no head"); return }
        #expect(h.bytes.readableBytes == 48)
        #expect(h.string(h.fields[1].name) == "Content-Length")
        #expect(h.host == "h")
        #expect(h.framing == .length(3))
        #expect(h.firstIndex(of: "content-length") == 1)
        guard case .body(let body) = try p.next(&b) else { Issue.record("no body"); return }
        #expect(String(buffer: body) == "abc")
        guard case .end(nil) = try p.next(&b) else { Issue.record("no end"); return }
        #expect(try p.next(&b) == nil)
    }

    @Test func chunkedWithExtensionsAndTrailers() {
        let r = parseEverySplit(
            .request,
            "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;a=b;c=\"q \\\" d\"\r\nhello\r\nA\r\n0123456789\r\n0;last\r\nX-T: 1\r\nY: 2\r\n\r\n")
        #expect(r.error == nil)
        #expect(r.events.last == "end X-T=1,Y=2")
        #expect(r.events.contains("body \"hello0123456789\""))
    }

    @Test func badChunksAreRefused() {
        let prefix = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        for (bad, error) in [
            ("x\r\n", HTTP1Error.invalidChunkSize), ("5 \r\nhello\r\n0\r\n\r\n", .invalidChunkSize),
            ("5;\r\nhello\r\n", .invalidChunkExtension), ("5;=x\r\nhello\r\n", .emptyChunkExtensionName),
            ("5;a=\"x\r\nhello\r\n", .invalidChunkExtension),
            ("5\r\nhelloXX0\r\n\r\n", .invalidChunkEnd), ("5\nhello", .invalidLineEnding),
            ("fffffffffffffffffff\r\n", .invalidChunkSize), ("0\r\nX : 1\r\n\r\n", .whitespaceBeforeColon),
        ] {
            let r = parse(.request, [bytes(prefix + bad)])
            #expect(r.error == error, "\(bad.debugDescription): \(r)")
        }
    }

    @Test func smugglingIsRefused() {
        let cases: [(String, HTTP1Error)] = [
            ("Content-Length: 3\r\nTransfer-Encoding: chunked\r\n", .lengthAndTransferEncoding),
            ("Transfer-Encoding: chunked\r\nContent-Length: 3\r\n", .lengthAndTransferEncoding),
            ("Content-Length: 3\r\nContent-Length: 4\r\n", .duplicateContentLength),
            ("Content-Length: 3\r\nContent-Length: 3\r\n", .duplicateContentLength),
            ("Content-Length: +3\r\n", .invalidContentLength), ("Content-Length: 3 4\r\n", .invalidContentLength),
            ("Content-Length:\r\n", .invalidContentLength),
            ("Content-Length: 99999999999999999999\r\n", .invalidContentLength),
            ("Transfer-Encoding: gzip\r\n", .unsupportedTransferCoding),
            ("Transfer-Encoding: gzip, chunked\r\n", .unsupportedTransferCoding),
            ("Transfer-Encoding: chunked, chunked\r\n", .unsupportedTransferCoding),
            ("Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n", .unsupportedTransferCoding),
            ("X-A: 1\r\n folded\r\n", .obsFold), ("X-A : 1\r\n", .whitespaceBeforeColon),
            ("X-A\t: 1\r\n", .whitespaceBeforeColon), ("X-A: a\rb\r\n", .invalidLineEnding),
            ("X-A: a\nb\r\n", .invalidLineEnding), ("X-A: a\u{0}b\r\n", .invalidHeaderValue),
            ("X-A: a\u{7F}b\r\n", .invalidHeaderValue), ("X(A): 1\r\n", .invalidHeaderName),
            (": 1\r\n", .invalidHeaderName), ("Content-Length: 3\t\r\n", .invalidContentLength),
            ("Transfer-Encoding: chunked,\r\n", .unsupportedTransferCoding),
        ]
        for (fields, error) in cases {
            let r = parse(.request, [bytes("POST / HTTP/1.1\r\nHost: h\r\n" + fields + "\r\nabc")])
            #expect(r.error == error, "\(fields.debugDescription): \(r)")
            #expect(r.events.isEmpty, "nothing is handed out before the refusal: \(r)")
        }
    }

    @Test func requestLinesAreStrict() {
        let cases: [(String, HTTP1Error)] = [
            ("GARBAGE\r\n\r\n", .invalidRequestLine), ("GET\r\n\r\n", .invalidRequestLine),
            ("GET  / HTTP/1.1\r\nHost: h\r\n\r\n", .extraWhitespace),
            ("GET /  HTTP/1.1\r\nHost: h\r\n\r\n", .extraWhitespace),
            ("GET / HTTP/1.1 \r\nHost: h\r\n\r\n", .invalidRequestLine),
            ("GET /\r\n\r\n", .invalidRequestLine), ("GET / HTTP/9.9\r\nHost: h\r\n\r\n", .invalidVersion),
            ("GET / HTTP/2.0\r\nHost: h\r\n\r\n", .invalidVersion),
            ("get / HTTP/1.1\r\nHost: h\r\n\r\n", .unknownMethod),
            ("FOO / HTTP/1.1\r\nHost: h\r\n\r\n", .unknownMethod), ("G\u{1}T / HTTP/1.1\r\n\r\n", .invalidRequestLine),
            ("GET /a\u{7F} HTTP/1.1\r\nHost: h\r\n\r\n", .invalidRequestLine),
            ("GET http://a\"b/ HTTP/1.1\r\nHost: h\r\n\r\n", .invalidTarget),
            ("GET x HTTP/1.1\r\nHost: h\r\n\r\n", .invalidTarget),
            ("GET * HTTP/1.1\r\nHost: h\r\n\r\n", .invalidTarget),
            ("CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n", .connectNotSupported),
            ("GET / HTTP/1.1\nHost: h\n\n", .invalidLineEnding),
        ]
        for (line, error) in cases {
            let r = parse(.request, [bytes(line)])
            #expect(r.error == error, "\(line.debugDescription): \(r)")
        }
        #expect(HTTP1Error.connectNotSupported.status == 501)
        #expect(HTTP1Error.obsFold.status == 400)
        #expect(parse(.request, [bytes("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n")]).error == nil)
        #expect(parse(.request, [bytes("GET http://h:1/p HTTP/1.1\r\nHost: h\r\n\r\n")]).error == nil)
        #expect(parse(.request, [bytes("M-SEARCH * HTTP/1.1\r\nHost: h\r\n\r\n")]).error == .invalidTarget)
        // Empty lines (and lone CRs and LFs) before a request are skipped.
        #expect(parse(.request, [bytes("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n")]).events.count == 2)
        #expect(parse(.request, [bytes("\n\rGET / HTTP/1.1\r\nHost: h\r\n\r\n\n")]).events.count == 2)
    }

    @Test func hostRules() {
        func verdict(_ s: String) -> HTTP1Error? { parse(.request, [bytes(s)]).error }
        #expect(verdict("GET / HTTP/1.1\r\n\r\n") == .missingHost)
        #expect(verdict("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") == .duplicateHost)
        #expect(verdict("GET / HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n") == .duplicateHost)
        #expect(verdict("GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n") == .duplicateHost)
        #expect(verdict("GET / HTTP/1.1\r\nHost: user@h\r\n\r\n") == .invalidHost)
        #expect(verdict("GET / HTTP/1.1\r\nHost: h:99999999999\r\n\r\n") == .invalidHost)
        #expect(verdict("GET / HTTP/1.1\r\nHost: h:65536\r\n\r\n") == .invalidHost)
        #expect(verdict("GET / HTTP/1.1\r\nHost: h:8x\r\n\r\n") == .invalidHost)
        #expect(verdict("GET / HTTP/1.1\r\nHost: h h\r\n\r\n") == .invalidHost)
        #expect(verdict("GET / HTTP/1.1\r\nHost: [::1\r\n\r\n") == .invalidHost)
        for ok in ["h", "h:65535", "reviews.shop.svc.cluster.local:9080", "[::1]:80", "10.0.0.1", "", "h:", "a%2Db"] {
            #expect(verdict("GET / HTTP/1.1\r\nHost: \(ok)\r\n\r\n") == nil, "\(ok)")
        }
        #expect(verdict("GET / HTTP/1.0\r\n\r\n") == nil)
        #expect(HTTP1Error.missingHost.status == 400)
        let relaxed = parse(.request, [bytes("GET / HTTP/1.1\r\n\r\n")]) { $0.requireHost = false }
        #expect(relaxed.error == nil)
    }

    @Test func limits() {
        let many = (0..<100).map { "X-\($0): v\r\n" }.joined()
        #expect(parse(.request, [bytes("GET / HTTP/1.1\r\nHost: h\r\n" + many + "\r\n")]).error == .tooManyFields)
        let fits = (0..<99).map { "X-\($0): v\r\n" }.joined()
        #expect(parse(.request, [bytes("GET / HTTP/1.1\r\nHost: h\r\n" + fits + "\r\n")]).error == nil)
        let big = String(repeating: "a", count: 64 * 1024)
        // Refused before the head ends, as soon as the limit is passed.
        let r = parse(.request, [bytes("GET / HTTP/1.1\r\nHost: h\r\nX: " + big)], eof: false)
        #expect(r.error == .headTooLarge)
        let near = String(repeating: "a", count: 64 * 1024 - 40)
        #expect(parse(.request, [bytes("GET / HTTP/1.1\r\nHost: h\r\nX: " + near + "\r\n\r\n")]).error == nil)
    }

    @Test func connectionAndExpect() {
        let r = parse(
            .request,
            [
                bytes(
                    "GET / HTTP/1.0\r\nHost: h\r\nConnection: Keep-Alive\r\n\r\n"
                        + "PUT / HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 1\r\nConnection: foo, close\r\n\r\nx"
                        + "GET / HTTP/1.1\r\nHost: h\r\n\r\n")
            ])
        #expect(r.events.count == 5, "\(r)")
        #expect(r.events[0].hasSuffix("keepAlive=true"))
        #expect(r.events[2].hasSuffix("keepAlive=false"))
        // Only empty lines may follow a message that closes the connection.
        #expect(r.error == .dataAfterClose)
        var p = HTTP1Parser(kind: .request)
        var b = ByteBuffer(
            string:
                "PUT / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nUpgrade: h2c\r\nConnection: upgrade, te\r\nTE: trailers\r\n\r\n"
        )
        guard case .head(let h)? = try? p.next(&b) else { Issue.record("no head"); return }
        #expect(h.expectContinue && h.hasUpgrade)
        #expect(h.hopByHop & HTTP1HopByHop.connectionNamesOthers != 0)
        #expect(h.hopByHop & HTTP1HopByHop.te != 0)
        #expect(h.hopByHop & HTTP1HopByHop.expect != 0)
        #expect(h.hopByHop & HTTP1HopByHop.transferEncoding == 0)
        // HTTP/1.0 ignores Expect.
        var q = HTTP1Parser(kind: .request)
        var c = ByteBuffer(string: "PUT / HTTP/1.0\r\nExpect: 100-continue\r\n\r\n")
        guard case .head(let g)? = try? q.next(&c) else { Issue.record("no head"); return }
        #expect(!g.expectContinue && !g.keepAlive)
    }

    @Test func responseFraming() {
        #expect(
            parseEverySplit(.response, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi").events == [
                "head 1.1 200 [Content-Length=2] length(2) keepAlive=true", "body \"hi\"", "end",
            ])
        // Close-delimited: the body runs to EOF.
        #expect(
            parseEverySplit(.response, "HTTP/1.1 200 OK\r\n\r\nuntil the end").events == [
                "head 1.1 200 [] untilClose keepAlive=false", "body \"until the end\"", "end",
            ])
        #expect(
            parseEverySplit(.response, "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nzz").events.last == "end")
        // 1xx, 204, 304 and responses to HEAD have no body whatever their headers say.
        let r = parseEverySplit(
            .response,
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nHTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\nHTTP/1.1 200\r\nContent-Length: 1\r\n\r\nx"
        )
        #expect(r.error == nil, "\(r)")
        #expect(r.events.count == 9, "\(r)")
        let head = parseEverySplit(.response, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", headResponses: true)
        #expect(head.events == ["head 1.1 200 [Content-Length=5] none keepAlive=true", "end"])
        #expect(
            parse(.response, [bytes("HTTP/1.1 101 Switching Protocols\r\n\r\n")]).error == .unexpectedSwitchingProtocols
        )
        #expect(parse(.response, [bytes("HTTP/1.1 2000 OK\r\n\r\n")]).error == .invalidStatusLine)
        #expect(parse(.response, [bytes("HTTP/1.1 20 OK\r\n\r\n")]).error == .invalidStatusLine)
        #expect(parse(.response, [bytes("HTTP/1.1 000 OK\r\n\r\n")]).error == .statusBelow100)
        // A 1xx's `Connection: close` counts (as llhttp counts it).
        #expect(
            parse(.response, [bytes("HTTP/1.1 100 Continue\r\nConnection: close\r\n\r\nHTTP/1.1 200 OK\r\n\r\n")]).error
                == .dataAfterClose)
        #expect(parse(.response, [bytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab")]).error == .incompleteMessage)
        #expect(parse(.response, [bytes("HTTP/1.1 200 O\u{1}K\r\n\r\n")]).error == .invalidReasonPhrase)
        #expect(parse(.response, [bytes("HTTP/1.1 200 OK\r\rX: 1\r\n\r\n")]).error == .bareCRAfterStartLine)
        // Framing fields in trailers are refused; `Connection: close` there closes.
        let chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n"
        #expect(parse(.response, [bytes(chunked + "Content-Length: 1\r\n\r\n")]).error == .framingInTrailers)
        #expect(
            parse(.response, [bytes(chunked + "Connection: close\r\n\r\nHTTP/1.1 200 OK\r\n\r\n")]).error
                == .dataAfterClose)
    }

    @Test func eofBetweenMessagesIsClean() {
        #expect(parse(.request, [bytes("GET / HTTP/1.1\r\nHost: h\r\n\r\n\r\n")]).error == nil)
        #expect(parse(.request, [bytes("GET / HTTP/1.1\r\nHost: h\r\n")]).error == .incompleteMessage)
        #expect(parse(.request, [[]]).error == nil)
    }

    @Test func aRefusalIsFinal() {
        var p = HTTP1Parser(kind: .request)
        var b = ByteBuffer(string: "GET / HTTP/1.1\r\nX : y\r\n\r\n")
        #expect(throws: HTTP1Error.whitespaceBeforeColon) { _ = try p.next(&b) }
        var more = ByteBuffer(string: "GET / HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(throws: HTTP1Error.whitespaceBeforeColon) { _ = try p.next(&more) }
    }

    @Test func fieldStorageIsReused() throws {
        var p = HTTP1Parser(kind: .request)
        var b = ByteBuffer(string: "GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n")
        guard case .head(var h) = try p.next(&b) else { Issue.record("no head"); return }
        let capacity = h.fields.capacity
        p.recycle(&h)
        _ = try p.next(&b)
        guard case .head(let h2) = try p.next(&b) else { Issue.record("no second head"); return }
        #expect(h2.fields.capacity == capacity)
        #expect(h2.fields.count == 1)
    }

    @Test func fuzzEntryRunsOnSamples() {
        for s in [
            "GET / HTTP/1.1\r\nHost: h\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc",
            "\u{20}POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", "",
        ] {
            bytes(s).withUnsafeBytes { HTTP1Fuzz.one($0) }
        }
    }
}
