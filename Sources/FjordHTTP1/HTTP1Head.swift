import NIOCore

/// A byte range inside a head's (or trailer block's) received bytes, relative to their start.
public struct HTTP1Span: Hashable, Sendable {
    public var start: UInt32
    public var end: UInt32
    @inlinable public init(_ start: Int, _ end: Int) {
        self.start = UInt32(truncatingIfNeeded: start)
        self.end = UInt32(truncatingIfNeeded: end)
    }
    @inlinable public var count: Int { Int(end &- start) }
    @inlinable public var range: Range<Int> { Int(start)..<Int(end) }
}

/// One header field: its name and its value (without the optional whitespace around it).
public struct HTTP1Field: Hashable, Sendable {
    public var name: HTTP1Span
    public var value: HTTP1Span
    @inlinable public init(name: HTTP1Span, value: HTTP1Span) {
        self.name = name
        self.value = value
    }
}

/// How a message's body is delimited (RFC 9112 section 6).
public enum HTTP1Framing: Hashable, Sendable {
    /// No body: a request without `Content-Length` or `Transfer-Encoding`, `Content-Length: 0`,
    /// a response to `HEAD`, a 1xx, 204 or 304.
    case none
    /// `Content-Length: n` (n > 0).
    case length(Int)
    /// `Transfer-Encoding: chunked`.
    case chunked
    /// A response without a length: its body runs until the connection closes.
    case untilClose
}

/// The methods a request line may name: the HTTP methods llhttp (and so NIO's decoder) knows.
public enum HTTP1Method: UInt8, CaseIterable, Sendable {
    case GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH
    case COPY, LOCK, MKCOL, MOVE, PROPFIND, PROPPATCH, SEARCH, UNLOCK, BIND, REBIND, UNBIND, ACL
    case REPORT, MKACTIVITY, CHECKOUT, MERGE, MSEARCH, NOTIFY, SUBSCRIBE, UNSUBSCRIBE, PURGE
    case MKCALENDAR, LINK, UNLINK, SOURCE, QUERY

    /// The method's name as it is written on the wire.
    public var name: String {
        switch self {
        case .MSEARCH: return "M-SEARCH"
        default: return String(describing: self)
        }
    }

    /// The method's name as bytes, for matching a request line.
    static let wireNames: [[UInt8]] = HTTP1Method.allCases.map { Array($0.name.utf8) }
}

/// A request or response head parsed in place: the received bytes (the start line, every field
/// line and the empty line) and ranges into them. Nothing is copied per header; `name(at:)` and
/// `value(at:)` make `String`s only when asked.
public struct HTTP1Head: Sendable {
    /// The head's bytes as received, from the start line to the empty line included.
    public var bytes: ByteBuffer
    public var isRequest: Bool
    /// The request's method (requests only).
    public var method: HTTP1Method
    /// The request target (requests) or the reason phrase (responses).
    public var target: HTTP1Span
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    public var minorVersion: UInt8
    /// The status code (responses only).
    public var status: Int
    public var fields: [HTTP1Field]
    public var framing: HTTP1Framing
    /// The connection may carry another message after this one (RFC 9112 section 9.3).
    public var keepAlive: Bool
    /// `Expect: 100-continue` (HTTP/1.1 requests).
    public var expectContinue: Bool
    /// An `Upgrade` header is present (the proxy declines upgrades: it removes the header).
    public var hasUpgrade: Bool
    /// Where the hop-by-hop headers are (bits of `HTTP1HopByHop`), so forwarding knows in one
    /// test whether a head can be sent as it is.
    public var hopByHop: UInt32
    /// The index in `fields` of the (only) `Host` field, or -1.
    public var hostIndex: Int

    init(bytes: ByteBuffer, isRequest: Bool) {
        self.bytes = bytes
        self.isRequest = isRequest
        self.method = .GET
        self.target = HTTP1Span(0, 0)
        self.minorVersion = 1
        self.status = 0
        self.fields = []
        self.framing = .none
        self.keepAlive = true
        self.expectContinue = false
        self.hasUpgrade = false
        self.hopByHop = 0
        self.hostIndex = -1
    }

    // MARK: Reading

    /// Calls `body` with the bytes of a span.
    @inlinable
    public func withBytes<R>(_ span: HTTP1Span, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeReadableBytes { all in
            try body(UnsafeRawBufferPointer(rebasing: all[span.range]))
        }
    }

    /// The text of a span (allocates: for logging, tests and the rare path).
    public func string(_ span: HTTP1Span) -> String {
        withBytes(span) { String(decoding: $0, as: UTF8.self) }
    }

    public var targetString: String { string(target) }
    public func name(at i: Int) -> String { string(fields[i].name) }
    public func value(at i: Int) -> String { string(fields[i].value) }

    /// The index of the first field named `lowercaseName` (ASCII, lowercase), or nil.
    public func firstIndex(of lowercaseName: String) -> Int? {
        var i = 0
        while i < fields.count {
            if nameEquals(i, lowercaseName) { return i }
            i += 1
        }
        return nil
    }

    /// Whether field i's name is `lowercaseName`, ignoring case.
    public func nameEquals(_ i: Int, _ lowercaseName: String) -> Bool {
        let span = fields[i].name
        var name = lowercaseName
        return name.withUTF8 { want in
            guard want.count == span.count else { return false }
            return withBytes(span) { have in asciiCaseInsensitiveEqual(have, UnsafeRawBufferPointer(want)) }
        }
    }

    /// Field i's value equals `lowercaseValue`, ignoring ASCII case.
    public func valueEquals(_ i: Int, _ lowercaseValue: String) -> Bool {
        let span = fields[i].value
        var v = lowercaseValue
        return v.withUTF8 { want in
            guard want.count == span.count else { return false }
            return withBytes(span) { have in asciiCaseInsensitiveEqual(have, UnsafeRawBufferPointer(want)) }
        }
    }

    /// The `Host` field's value, if there is one.
    public var host: String? { hostIndex >= 0 ? value(at: hostIndex) : nil }

    /// The header list as strings (tests and the differential).
    public var headerList: [(String, String)] { fields.indices.map { (name(at: $0), value(at: $0)) } }
}

/// The header fields after a chunked body's last chunk, in place like a head's.
public struct HTTP1Trailers: Sendable {
    public var bytes: ByteBuffer
    public var fields: [HTTP1Field]

    public func string(_ span: HTTP1Span) -> String {
        bytes.withUnsafeReadableBytes {
            String(decoding: UnsafeRawBufferPointer(rebasing: $0[span.range]), as: UTF8.self)
        }
    }
    public var headerList: [(String, String)] { fields.map { (string($0.name), string($0.value)) } }
}

/// What the parser hands out, in order: a head, its body parts, its end.
public enum HTTP1Event: Sendable {
    case head(HTTP1Head)
    /// Body bytes as received (chunked framing removed): a slice of the read buffer, not a copy.
    case body(ByteBuffer)
    /// The message is complete; trailers when a chunked body had any.
    case end(HTTP1Trailers?)
}

/// Bits of `HTTP1Head.hopByHop`.
public enum HTTP1HopByHop {
    public static let connection: UInt32 = 1 << 0
    public static let keepAlive: UInt32 = 1 << 1
    public static let proxyConnection: UInt32 = 1 << 2
    public static let te: UInt32 = 1 << 3
    public static let upgrade: UInt32 = 1 << 4
    public static let expect: UInt32 = 1 << 5
    public static let transferEncoding: UInt32 = 1 << 6
    public static let trailer: UInt32 = 1 << 7
    /// `Connection` names a header other than `close` and `keep-alive`.
    public static let connectionNamesOthers: UInt32 = 1 << 31
}

@inlinable
func asciiCaseInsensitiveEqual(_ a: UnsafeRawBufferPointer, _ lowercase: UnsafeRawBufferPointer) -> Bool {
    guard a.count == lowercase.count else { return false }
    var i = 0
    while i < a.count {
        var c = a[i]
        if c >= 0x41 && c <= 0x5A { c |= 0x20 }
        if c != lowercase[i] { return false }
        i += 1
    }
    return true
}
