import NIOCore

/// An incremental HTTP/1.1 message parser over NIO's `ByteBuffer` (RFC 9112), strict where a
/// proxy must be: it is what stands between a client and request smuggling.
///
/// The caller keeps the received bytes in one buffer (a cumulation, as `ByteToMessageDecoder`
/// does) and calls `next(_:)` until it returns nil (more bytes needed). A head is handed out once
/// it is complete, as a slice of that buffer with field ranges into it; body bytes as slices of
/// it, with chunked framing removed. Nothing is copied.
///
/// - Heads (start line and fields) are limited to `maxHeadBytes` and `maxFields`; trailers too.
/// - Line endings are CRLF; a bare CR or LF anywhere in a head or chunk line is refused.
/// - Request lines are `method SP target SP HTTP/1.x`, with one space each, a method llhttp
///   knows (CONNECT refused), a target in origin, absolute or (OPTIONS) asterisk form.
/// - Field names are tokens directly followed by `:`; obs-fold and whitespace before the colon
///   are refused; values are visible ASCII, obs-text, space and tab.
/// - Framing: `Transfer-Encoding` with `Content-Length`, more than one `Content-Length`, a
///   request coding other than `chunked`, a malformed length or chunk size are refused.
/// - Requests: HTTP/1.1 needs exactly one valid `Host`; HTTP/1.0 at most one.
/// - After a message that does not keep the connection, only empty lines may follow.
public struct HTTP1Parser: Sendable {
    public enum Kind: Sendable { case request, response }

    enum State: Sendable {
        case head
        case length(Int)
        case chunkSize
        case chunkData(Int)
        case chunkDataEnd
        case trailers
        case untilClose
        case endPending
        case closed
        case failed(HTTP1Error)
    }

    public let kind: Kind
    public var maxHeadBytes: Int
    public var maxFields: Int
    /// Responses: the next response answers a `HEAD` request (no body whatever its headers say).
    public var nextResponseIsToHEAD = false
    /// Requests: enforce RFC 9112's `Host` rules (exactly one in HTTP/1.1, at most one in 1.0, a
    /// valid one). Off only to compare the rest of a message with a parser that leaves them out.
    public var requireHost = true
    var state = State.head
    /// Bytes of the current head, chunk line or trailer block already scanned for its end.
    var scanned = 0
    /// Bytes of empty lines skipped before the current head.
    var skipped = 0
    var keepAlive = true
    /// Field storage handed back by `recycle(_:)`, reused for the next head.
    var fieldStore: [HTTP1Field] = []

    public init(kind: Kind, maxHeadBytes: Int = 64 * 1024, maxFields: Int = 100) {
        self.kind = kind
        self.maxHeadBytes = maxHeadBytes
        self.maxFields = maxFields
    }

    /// Whether the parser is between messages (nothing of a message has been consumed).
    public var isIdle: Bool {
        if case .head = state { return scanned == 0 }
        if case .closed = state { return true }
        return false
    }

    /// Gives a head's field storage back to be reused by the next head (saves an allocation per
    /// message when the caller no longer holds the head).
    public mutating func recycle(_ head: inout HTTP1Head) {
        fieldStore = head.fields
        head.fields = []
    }

    /// The next event from `buffer`, consuming its bytes; nil when more bytes are needed.
    public mutating func next(_ buffer: inout ByteBuffer) throws(HTTP1Error) -> HTTP1Event? {
        while true {
            switch state {
            case .failed(let e):
                throw e
            case .closed:
                // Only empty lines may follow a message that closes the connection (llhttp's
                // strict mode; a proxy closes anyway).
                while let c = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) {
                    guard c == 13 || c == 10 else { return try fail(.dataAfterClose) }
                    buffer.moveReaderIndex(forwardBy: 1)
                }
                return nil
            case .endPending:
                state = keepAlive ? .head : .closed
                return .end(nil)
            case .head:
                guard let head = try parseHead(&buffer) else { return nil }
                return .head(head)
            case .length(let remaining):
                let n = min(remaining, buffer.readableBytes)
                guard n > 0, let slice = buffer.readSlice(length: n) else { return nil }
                state = remaining == n ? .endPending : .length(remaining - n)
                return .body(slice)
            case .chunkData(let remaining):
                let n = min(remaining, buffer.readableBytes)
                guard n > 0, let slice = buffer.readSlice(length: n) else { return nil }
                state = remaining == n ? .chunkDataEnd : .chunkData(remaining - n)
                return .body(slice)
            case .chunkDataEnd:
                guard let c = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return nil }
                guard c == 13 else { return try fail(.invalidChunkEnd) }
                guard let l = buffer.getInteger(at: buffer.readerIndex + 1, as: UInt8.self) else { return nil }
                guard l == 10 else { return try fail(.invalidChunkEnd) }
                buffer.moveReaderIndex(forwardBy: 2)
                state = .chunkSize
            case .chunkSize:
                guard let size = try parseChunkLine(&buffer) else { return nil }
                state = size == 0 ? .trailers : .chunkData(size)
            case .trailers:
                guard let trailers = try parseTrailers(&buffer) else { return nil }
                state = keepAlive ? .head : .closed
                return .end(trailers.fields.isEmpty ? nil : trailers)
            case .untilClose:
                guard buffer.readableBytes > 0, let slice = buffer.readSlice(length: buffer.readableBytes) else {
                    return nil
                }
                return .body(slice)
            }
        }
    }

    /// The connection ended (EOF) with `buffer` unconsumed: the end of a close-delimited body,
    /// nothing between messages, else a refusal (the message was cut short).
    public mutating func finish(_ buffer: inout ByteBuffer) throws(HTTP1Error) -> HTTP1Event? {
        switch state {
        case .failed(let e): throw e
        case .closed: return nil
        case .untilClose:
            state = .closed
            return .end(nil)
        case .endPending:
            state = .closed
            return .end(nil)
        case .head:
            // Empty lines between messages are not a message.
            let rest = buffer.readableBytesView
            if rest.allSatisfy({ $0 == 13 || $0 == 10 }) {
                state = .closed
                return nil
            }
            return try fail(.incompleteMessage)
        default:
            return try fail(.incompleteMessage)
        }
    }

    mutating func fail<T>(_ e: HTTP1Error.Kind) throws(HTTP1Error) -> T {
        let error = HTTP1Error(e)
        state = .failed(error)
        throw error
    }

    // MARK: Finding a block's end

    /// The length of the block at the buffer's start that ends with an empty line (CRLF CRLF),
    /// validating line endings on the way; nil when it has not arrived yet.
    mutating func blockEnd(_ buffer: ByteBuffer, limit: Int, startLine: Bool) throws(HTTP1Error) -> Int? {
        let from = scanned
        let result: Int? = buffer.withUnsafeReadableBytes { p -> Int? in
            var i = from
            let n = min(p.count, limit + 1)
            while i < n {
                let c = p[i]
                if i > 0 && p[i &- 1] == 13 && c != 10 {
                    // The start line's own CR (the first in the block)?
                    return !startLine || p[0..<(i &- 1)].contains(13) || p[0..<(i &- 1)].contains(10) ? -1 : -2
                }
                if c == 10 {
                    if i == 0 || p[i &- 1] != 13 { return -1 }
                    if i >= 3 && p[i &- 2] == 10 && p[i &- 3] == 13 { return i &+ 1 }
                }
                i &+= 1
            }
            return nil
        }
        switch result {
        case .some(-1):
            return try fail(.invalidLineEnding)
        case .some(-2):
            return try fail(.bareCRAfterStartLine)
        case .some(let end):
            scanned = 0
            if end > limit { return try fail(.headTooLarge) }
            return end
        case .none:
            if buffer.readableBytes > limit { return try fail(.headTooLarge) }
            scanned = buffer.readableBytes
            return nil
        }
    }

    // MARK: Heads

    mutating func parseHead(_ buffer: inout ByteBuffer) throws(HTTP1Error) -> HTTP1Head? {
        if scanned == 0 {
            // Empty lines before a message are skipped (RFC 9112 section 2.2; as llhttp, a lone
            // CR or LF there too: nothing of a message has started).
            while let c = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self), c == 13 || c == 10 {
                buffer.moveReaderIndex(forwardBy: 1)
                skipped += 1
                if skipped > maxHeadBytes { return try fail(.headTooLarge) }
            }
            if buffer.readableBytes == 0 { return nil }
        }
        guard let end = try blockEnd(buffer, limit: maxHeadBytes, startLine: true) else { return nil }
        skipped = 0
        guard let bytes = buffer.readSlice(length: end) else { return nil }
        var head = HTTP1Head(bytes: bytes, isRequest: kind == .request)
        var fields = fieldStore
        fieldStore = []
        fields.removeAll(keepingCapacity: true)
        let r: HTTP1Error.Kind? = bytes.withUnsafeReadableBytes { p in
            parseHeadBytes(p, into: &head, fields: &fields)
        }
        head.fields = fields
        if let r { return try fail(r) }
        keepAlive = head.keepAlive
        switch head.framing {
        case .none: state = .endPending
        case .length(let n): state = .length(n)
        case .chunked: state = .chunkSize
        case .untilClose: state = .untilClose
        }
        if kind == .response {
            // An informational response: the final one follows (the HEAD flag stays). Its
            // `Connection: close` counts, as llhttp counts it.
            if head.status >= 200 { nextResponseIsToHEAD = false }
        }
        return head
    }

    func parseHeadBytes(_ p: UnsafeRawBufferPointer, into head: inout HTTP1Head, fields: inout [HTTP1Field])
        -> HTTP1Error.Kind?
    {
        var i = 0
        if kind == .request {
            // method SP
            while i < p.count && isTchar(p[i]) { i &+= 1 }
            guard i > 0, i < p.count, p[i] == 32 else { return .invalidRequestLine }
            guard let m = matchMethod(p, 0, i) else { return .unknownMethod }
            head.method = m
            i &+= 1
            if i < p.count && p[i] == 32 { return .extraWhitespace }
            // target SP
            let t0 = i
            while i < p.count && p[i] > 32 && p[i] < 127 { i &+= 1 }
            guard i > t0, i < p.count, p[i] == 32 else { return .invalidRequestLine }
            head.target = HTTP1Span(t0, i)
            i &+= 1
            if i < p.count && p[i] == 32 { return .extraWhitespace }
            guard let minor = parseVersion(p, &i) else { return .invalidVersion }
            head.minorVersion = minor
            guard i + 1 < p.count, p[i] == 13 else { return .invalidRequestLine }
            i &+= 2
            if m == .CONNECT { return .connectNotSupported }
            if !validTarget(p, t0, head.target.range.upperBound, method: m) { return .invalidTarget }
        } else {
            guard let minor = parseVersion(p, &i) else { return .invalidVersion }
            head.minorVersion = minor
            guard i + 4 < p.count, p[i] == 32, isDigit(p[i + 1]), isDigit(p[i + 2]), isDigit(p[i + 3]) else {
                return .invalidStatusLine
            }
            let status = Int(p[i + 1] - 48) * 100 + Int(p[i + 2] - 48) * 10 + Int(p[i + 3] - 48)
            guard status >= 100 else { return .statusBelow100 }
            head.status = status
            i &+= 4
            var r0 = i
            if p[i] == 32 {
                i &+= 1
                r0 = i
                while i < p.count && p[i] != 13 {
                    guard isFieldValueByte(p[i]) else { return .invalidReasonPhrase }
                    i &+= 1
                }
            }
            guard i + 1 < p.count, p[i] == 13 else { return .invalidStatusLine }
            head.target = HTTP1Span(r0, i)
            i &+= 2
        }

        // Field lines.
        var contentLength = -1
        var transferEncoding = false
        var chunkedLast = false
        var codingOther = false
        var hosts = 0
        var connectionClose = false
        var connectionKeepAlive = false
        var hop: UInt32 = 0
        while true {
            guard i + 1 < p.count else { return .invalidHeaderName }
            if p[i] == 13 { break }
            if p[i] == 32 || p[i] == 9 { return .obsFold }
            let n0 = i
            while isTchar(p[i]) { i &+= 1 }
            if i == n0 { return .invalidHeaderName }
            let n1 = i
            if p[i] != 58 { return p[i] == 32 || p[i] == 9 ? .whitespaceBeforeColon : .invalidHeaderName }
            i &+= 1
            while p[i] == 32 || p[i] == 9 { i &+= 1 }
            let v0 = i
            var v1 = i
            while p[i] != 13 {
                let c = p[i]
                guard isFieldValueByte(c) else { return .invalidHeaderValue }
                i &+= 1
                if c != 32 && c != 9 { v1 = i }
            }
            let rawEnd = i
            i &+= 2
            if fields.count >= maxFields { return .tooManyFields }
            fields.append(HTTP1Field(name: HTTP1Span(n0, n1), value: HTTP1Span(v0, v1)))

            // The fields framing and forwarding need.
            let name = UnsafeRawBufferPointer(rebasing: p[n0..<n1])
            let value = UnsafeRawBufferPointer(rebasing: p[v0..<v1])
            switch name.count {
            case 2:
                if lower(name, "te") { hop |= HTTP1HopByHop.te }
            case 4:
                if lower(name, "host") {
                    hosts += 1
                    if head.hostIndex < 0 { head.hostIndex = fields.count - 1 }
                }
            case 6:
                if lower(name, "expect") {
                    hop |= HTTP1HopByHop.expect
                    if lower(value, "100-continue") { head.expectContinue = true }
                }
            case 7:
                if lower(name, "upgrade") {
                    hop |= HTTP1HopByHop.upgrade
                    head.hasUpgrade = true
                } else if lower(name, "trailer") {
                    hop |= HTTP1HopByHop.trailer
                }
            case 10:
                if lower(name, "connection") {
                    hop |= HTTP1HopByHop.connection
                    forEachToken(value) { t in
                        if lower(t, "close") {
                            connectionClose = true
                        } else if lower(t, "keep-alive") {
                            connectionKeepAlive = true
                        } else {
                            hop |= HTTP1HopByHop.connectionNamesOthers
                        }
                    }
                } else if lower(name, "keep-alive") {
                    hop |= HTTP1HopByHop.keepAlive
                }
            case 14:
                if lower(name, "content-length") {
                    if contentLength >= 0 { return .duplicateContentLength }
                    guard value.count > 0, value.count <= 15 else { return .invalidContentLength }
                    // Digits, then spaces only (a tab there is refused, as llhttp does).
                    for k in v1..<rawEnd where p[k] != 32 { return .invalidContentLength }
                    var v = 0
                    for c in value {
                        guard isDigit(c) else { return .invalidContentLength }
                        v = v * 10 + Int(c - 48)
                    }
                    contentLength = v
                }
            case 16:
                if lower(name, "proxy-connection") { hop |= HTTP1HopByHop.proxyConnection }
            case 17:
                if lower(name, "transfer-encoding") {
                    hop |= HTTP1HopByHop.transferEncoding
                    var bad = false
                    forEachToken(value) { t in
                        if transferEncoding && chunkedLast && kind == .request { bad = true }
                        transferEncoding = true
                        if lower(t, "chunked") {
                            chunkedLast = true
                        } else {
                            chunkedLast = false
                            codingOther = true
                        }
                    }
                    if bad { return .unsupportedTransferCoding }
                    if value.count == 0 { return .unsupportedTransferCoding }
                    if kind == .request && !lower(value, "chunked") { return .unsupportedTransferCoding }
                }
            default:
                break
            }
        }
        head.hopByHop = hop
        // As llhttp: HTTP/1.1 closes on `close`; HTTP/1.0 keeps the connection on `keep-alive`.
        head.keepAlive = head.minorVersion == 1 ? !connectionClose : connectionKeepAlive
        if head.minorVersion == 0 { head.expectContinue = false }

        if transferEncoding && contentLength >= 0 { return .lengthAndTransferEncoding }
        if kind == .request {
            if hosts > 1 && requireHost { return .duplicateHost }
            if hosts == 0 && head.minorVersion == 1 && requireHost { return .missingHost }
            if head.hostIndex >= 0 && requireHost {
                let v = fields[head.hostIndex].value
                if !validHost(UnsafeRawBufferPointer(rebasing: p[v.range])) { return .invalidHost }
            }
            if transferEncoding {
                if codingOther || !chunkedLast { return .unsupportedTransferCoding }
                head.framing = .chunked
            } else if contentLength > 0 {
                head.framing = .length(contentLength)
            }
        } else {
            let s = head.status
            if s == 101 { return .unexpectedSwitchingProtocols }
            if nextResponseIsToHEAD || s < 200 || s == 204 || s == 304 {
                head.framing = .none
            } else if transferEncoding {
                head.framing = chunkedLast ? .chunked : .untilClose
            } else if contentLength >= 0 {
                head.framing = contentLength > 0 ? .length(contentLength) : .none
            } else {
                head.framing = .untilClose
            }
            if head.framing == .untilClose { head.keepAlive = false }
        }
        return nil
    }

    // MARK: Chunks and trailers

    /// A chunk-size line (`1*HEXDIG *(";" ext-name ["=" ext-value]) CRLF`): the size; nil when
    /// the line has not arrived.
    mutating func parseChunkLine(_ buffer: inout ByteBuffer) throws(HTTP1Error) -> Int? {
        let from = scanned
        let limit = maxHeadBytes
        // -1 bare CR/LF, -2 too long, else the line's length up to CR.
        let found: Int? = buffer.withUnsafeReadableBytes { p -> Int? in
            var i = from
            while i < p.count {
                if i > 0 && p[i &- 1] == 13 && p[i] != 10 { return -1 }
                if p[i] == 10 {
                    if i == 0 || p[i &- 1] != 13 { return -1 }
                    return i &- 1
                }
                if i >= limit { return -2 }
                i &+= 1
            }
            return nil
        }
        guard let lineEnd = found else {
            scanned = buffer.readableBytes
            return nil
        }
        if lineEnd == -1 { return try fail(.invalidLineEnding) }
        if lineEnd == -2 { return try fail(.invalidChunkExtension) }
        scanned = 0
        let r: (Int, HTTP1Error.Kind?) = buffer.withUnsafeReadableBytes { p in
            var i = 0
            var size = 0
            while i < lineEnd, let d = hexValue(p[i]) {
                if size > (Int.max >> 5) { return (0, .invalidChunkSize) }
                size = size << 4 | d
                i &+= 1
            }
            if i == 0 { return (0, .invalidChunkSize) }
            while i < lineEnd {
                guard p[i] == 59 else { return (0, i == 0 ? .invalidChunkSize : .invalidChunkSize) }
                i &+= 1
                let e0 = i
                while i < lineEnd && isTchar(p[i]) { i &+= 1 }
                if i == e0 { return (0, i < lineEnd && p[i] == 61 ? .emptyChunkExtensionName : .invalidChunkExtension) }
                if i < lineEnd && p[i] == 61 {
                    i &+= 1
                    if i < lineEnd && p[i] == 34 {
                        i &+= 1
                        var closed = false
                        while i < lineEnd {
                            let c = p[i]
                            if c == 34 {
                                closed = true
                                i &+= 1
                                break
                            }
                            if c == 92 {
                                i &+= 1
                                guard i < lineEnd, isFieldValueByte(p[i]) else { return (0, .invalidChunkExtension) }
                            } else if !isFieldValueByte(c) && c != 127 {
                                return (0, .invalidChunkExtension)
                            }
                            i &+= 1
                        }
                        if !closed { return (0, .invalidChunkExtension) }
                    } else {
                        let v0 = i
                        while i < lineEnd && isTchar(p[i]) { i &+= 1 }
                        if i == v0 { return (0, .invalidChunkExtension) }
                    }
                }
            }
            return (size, nil)
        }
        if let e = r.1 { return try fail(e) }
        buffer.moveReaderIndex(forwardBy: lineEnd + 2)
        return r.0
    }

    /// The trailer section after the last chunk (field lines, then an empty line).
    mutating func parseTrailers(_ buffer: inout ByteBuffer) throws(HTTP1Error) -> HTTP1Trailers? {
        if scanned == 0 {
            guard let c = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return nil }
            if c == 13 {
                guard let l = buffer.getInteger(at: buffer.readerIndex + 1, as: UInt8.self) else { return nil }
                guard l == 10 else { return try fail(.invalidLineEnding) }
                buffer.moveReaderIndex(forwardBy: 2)
                return HTTP1Trailers(bytes: ByteBuffer(), fields: [])
            }
        }
        guard let end = try blockEnd(buffer, limit: maxHeadBytes, startLine: false) else { return nil }
        guard let bytes = buffer.readSlice(length: end) else { return nil }
        var fields: [HTTP1Field] = []
        let max = maxFields
        var close = false
        let r: HTTP1Error.Kind? = bytes.withUnsafeReadableBytes { p in
            var i = 0
            while true {
                guard i + 1 < p.count else { return .invalidHeaderName }
                if p[i] == 13 { return nil }
                if p[i] == 32 || p[i] == 9 { return .obsFold }
                let n0 = i
                while isTchar(p[i]) { i &+= 1 }
                if i == n0 { return .invalidHeaderName }
                let n1 = i
                if p[i] != 58 { return p[i] == 32 || p[i] == 9 ? .whitespaceBeforeColon : .invalidHeaderName }
                i &+= 1
                while p[i] == 32 || p[i] == 9 { i &+= 1 }
                let v0 = i
                var v1 = i
                while p[i] != 13 {
                    let c = p[i]
                    guard isFieldValueByte(c) else { return .invalidHeaderValue }
                    i &+= 1
                    if c != 32 && c != 9 { v1 = i }
                }
                i &+= 2
                if fields.count >= max { return .tooManyFields }
                fields.append(HTTP1Field(name: HTTP1Span(n0, n1), value: HTTP1Span(v0, v1)))
                // Framing fields cannot come after the body (RFC 9110 section 6.5.1); a
                // `Connection: close` there still closes (as llhttp counts it).
                let name = UnsafeRawBufferPointer(rebasing: p[n0..<n1])
                if lower(name, "content-length") || lower(name, "transfer-encoding") { return .framingInTrailers }
                if lower(name, "connection") {
                    forEachToken(UnsafeRawBufferPointer(rebasing: p[v0..<v1])) { t in
                        if lower(t, "close") { close = true }
                    }
                }
            }
        }
        if let r { return try fail(r) }
        if close { keepAlive = false }
        return HTTP1Trailers(bytes: bytes, fields: fields)
    }
}

// MARK: Character classes (RFC 9110 section 5.6)

@inline(__always)
func isDigit(_ c: UInt8) -> Bool { c &- 48 < 10 }

@inline(__always)
func hexValue(_ c: UInt8) -> Int? {
    if c &- 48 < 10 { return Int(c &- 48) }
    let l = c | 0x20
    if l &- 97 < 6 { return Int(l &- 87) }
    return nil
}

/// tchar: `!#$%&'*+-.^_`|~`, digits and letters.
@inline(__always)
func isTchar(_ c: UInt8) -> Bool {
    if c &- 48 < 10 { return true }
    if (c | 0x20) &- 97 < 26 { return true }
    switch c {
    case 33, 35, 36, 37, 38, 39, 42, 43, 45, 46, 94, 95, 96, 124, 126: return true
    default: return false
    }
}

/// field-vchar, obs-text, SP and HTAB.
@inline(__always)
func isFieldValueByte(_ c: UInt8) -> Bool { c == 9 || (c >= 32 && c != 127) }

@inline(__always)
func lower(_ bytes: UnsafeRawBufferPointer, _ lowercase: StaticString) -> Bool {
    guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
    return asciiCaseInsensitiveEqual(bytes, UnsafeRawBufferPointer(start: lowercase.utf8Start, count: bytes.count))
}

/// Calls `body` with each element of a comma-separated list (optional whitespace trimmed,
/// empty elements skipped, as RFC 9110 section 5.6.1 asks of recipients).
@inline(__always)
func forEachToken(_ v: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) {
    var i = 0
    while i < v.count {
        while i < v.count && (v[i] == 32 || v[i] == 9 || v[i] == 44) { i += 1 }
        let s = i
        while i < v.count && v[i] != 44 { i += 1 }
        var e = i
        while e > s && (v[e - 1] == 32 || v[e - 1] == 9) { e -= 1 }
        if e > s { body(UnsafeRawBufferPointer(rebasing: v[s..<e])) }
    }
}

func matchMethod(_ p: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> HTTP1Method? {
    let n = end - start
    if n == 3 && p[start] == 71 && p[start + 1] == 69 && p[start + 2] == 84 { return .GET }
    for (k, name) in HTTP1Method.wireNames.enumerated() where name.count == n {
        var same = true
        for j in 0..<n where p[start + j] != name[j] {
            same = false
            break
        }
        if same { return HTTP1Method.allCases[k] }
    }
    return nil
}

/// `HTTP/1.0` or `HTTP/1.1`: the minor version; nil for anything else.
func parseVersion(_ p: UnsafeRawBufferPointer, _ i: inout Int) -> UInt8? {
    guard i + 8 <= p.count, p[i] == 72, p[i + 1] == 84, p[i + 2] == 84, p[i + 3] == 80, p[i + 4] == 47,
        p[i + 5] == 49, p[i + 6] == 46, p[i + 7] == 48 || p[i + 7] == 49
    else { return nil }
    let minor = p[i + 7] - 48
    i += 8
    return minor
}

/// origin-form (`/...`), absolute-form (`scheme://...`) or, for OPTIONS, `*`.
func validTarget(_ p: UnsafeRawBufferPointer, _ start: Int, _ end: Int, method: HTTP1Method) -> Bool {
    let c = p[start]
    if c == 47 { return true }
    if c == 42 { return end - start == 1 && method == .OPTIONS }
    // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), then "://"
    guard (c | 0x20) &- 97 < 26 else { return false }
    var i = start + 1
    while i < end {
        let s = p[i]
        if (s | 0x20) &- 97 < 26 || isDigit(s) || s == 43 || s == 45 || s == 46 {
            i += 1
            continue
        }
        break
    }
    guard i + 3 <= end && p[i] == 58 && p[i + 1] == 47 && p[i + 2] == 47 else { return false }
    // No `"` in the authority (llhttp refuses one there).
    var j = i + 3
    while j < end && p[j] != 47 && p[j] != 63 && p[j] != 35 {
        if p[j] == 34 { return false }
        j += 1
    }
    return true
}

/// `Host = uri-host [ ":" port ]` (RFC 9110 section 7.2, RFC 3986): a reg-name or IPv4 address
/// (unreserved, percent-encoded and sub-delims characters: no `@`, so no userinfo) or a
/// bracketed IP literal, and a port of at most 65535. Empty is valid.
public func validHost(_ v: UnsafeRawBufferPointer) -> Bool {
    var i = 0
    let n = v.count
    if n > 0 && v[0] == 91 {
        i = 1
        while i < n && v[i] != 93 {
            let c = v[i]
            guard hexValue(c) != nil || c == 58 || c == 46 else { return false }
            i += 1
        }
        guard i < n, i > 1 else { return false }
        i += 1
    } else {
        while i < n && v[i] != 58 {
            let c = v[i]
            if c == 37 {
                guard i + 2 < n, hexValue(v[i + 1]) != nil, hexValue(v[i + 2]) != nil else { return false }
                i += 3
                continue
            }
            let unreserved = (c | 0x20) &- 97 < 26 || isDigit(c) || c == 45 || c == 46 || c == 95 || c == 126
            let subDelim =
                c == 33 || c == 36 || c == 38 || c == 39 || c == 40 || c == 41 || c == 42 || c == 43
                || c == 44 || c == 59 || c == 61
            guard unreserved || subDelim else { return false }
            i += 1
        }
    }
    if i == n { return true }
    guard v[i] == 58 else { return false }
    i += 1
    var port = 0
    var digits = 0
    while i < n {
        guard isDigit(v[i]) else { return false }
        port = port * 10 + Int(v[i] - 48)
        digits += 1
        if digits > 5 || port > 65535 { return false }
        i += 1
    }
    return true
}
