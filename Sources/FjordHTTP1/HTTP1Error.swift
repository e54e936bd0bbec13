/// Why a message was refused. Every one closes the connection; `status` is the answer a server
/// gives when no response has started (RFC 9112: 400 for a malformed or ambiguous request).
public struct HTTP1Error: Error, Hashable, Sendable, CustomStringConvertible {
    enum Kind: String, Hashable, Sendable {
        case headTooLarge = "head too large"
        case tooManyFields = "too many header fields"
        case invalidLineEnding = "bare CR or LF"
        case invalidRequestLine = "invalid request line"
        case unknownMethod = "unknown method"
        case invalidTarget = "invalid request target"
        case invalidVersion = "invalid HTTP version"
        case invalidStatusLine = "invalid status line"
        case invalidHeaderName = "invalid header name"
        case whitespaceBeforeColon = "whitespace before the colon"
        case obsFold = "obsolete line folding"
        case invalidHeaderValue = "invalid header value"
        case invalidContentLength = "invalid content-length"
        case duplicateContentLength = "more than one content-length"
        case lengthAndTransferEncoding = "content-length with transfer-encoding"
        case unsupportedTransferCoding = "transfer coding other than chunked"
        case invalidChunkSize = "invalid chunk size"
        case invalidChunkExtension = "invalid chunk extension"
        case invalidChunkEnd = "chunk data not followed by CRLF"
        case missingHost = "HTTP/1.1 request without host"
        case duplicateHost = "more than one host"
        case invalidHost = "invalid host"
        case connectNotSupported = "CONNECT is not supported"
        case unexpectedSwitchingProtocols = "101 without an upgrade request"
        case incompleteMessage = "connection closed inside a message"
        case dataAfterClose = "data after a message that closes the connection"
        case invalidReasonPhrase = "control character in the reason phrase"
        case extraWhitespace = "more than one space in the request line"
        case emptyChunkExtensionName = "empty chunk extension name"
        case bareCRAfterStartLine = "bare CR after the start line"
        case framingInTrailers = "content-length or transfer-encoding in trailers"
        case statusBelow100 = "status code below 100"
    }
    let kind: Kind
    init(_ kind: Kind) { self.kind = kind }

    public static let headTooLarge = HTTP1Error(.headTooLarge)
    public static let tooManyFields = HTTP1Error(.tooManyFields)
    public static let invalidLineEnding = HTTP1Error(.invalidLineEnding)
    public static let invalidRequestLine = HTTP1Error(.invalidRequestLine)
    public static let unknownMethod = HTTP1Error(.unknownMethod)
    public static let invalidTarget = HTTP1Error(.invalidTarget)
    public static let invalidVersion = HTTP1Error(.invalidVersion)
    public static let invalidStatusLine = HTTP1Error(.invalidStatusLine)
    public static let invalidHeaderName = HTTP1Error(.invalidHeaderName)
    public static let whitespaceBeforeColon = HTTP1Error(.whitespaceBeforeColon)
    public static let obsFold = HTTP1Error(.obsFold)
    public static let invalidHeaderValue = HTTP1Error(.invalidHeaderValue)
    public static let invalidContentLength = HTTP1Error(.invalidContentLength)
    public static let duplicateContentLength = HTTP1Error(.duplicateContentLength)
    public static let lengthAndTransferEncoding = HTTP1Error(.lengthAndTransferEncoding)
    public static let unsupportedTransferCoding = HTTP1Error(.unsupportedTransferCoding)
    public static let invalidChunkSize = HTTP1Error(.invalidChunkSize)
    public static let invalidChunkExtension = HTTP1Error(.invalidChunkExtension)
    public static let invalidChunkEnd = HTTP1Error(.invalidChunkEnd)
    public static let missingHost = HTTP1Error(.missingHost)
    public static let duplicateHost = HTTP1Error(.duplicateHost)
    public static let invalidHost = HTTP1Error(.invalidHost)
    public static let connectNotSupported = HTTP1Error(.connectNotSupported)
    public static let unexpectedSwitchingProtocols = HTTP1Error(.unexpectedSwitchingProtocols)
    public static let incompleteMessage = HTTP1Error(.incompleteMessage)
    public static let dataAfterClose = HTTP1Error(.dataAfterClose)
    public static let invalidReasonPhrase = HTTP1Error(.invalidReasonPhrase)
    public static let extraWhitespace = HTTP1Error(.extraWhitespace)
    public static let emptyChunkExtensionName = HTTP1Error(.emptyChunkExtensionName)
    public static let bareCRAfterStartLine = HTTP1Error(.bareCRAfterStartLine)
    public static let framingInTrailers = HTTP1Error(.framingInTrailers)
    public static let statusBelow100 = HTTP1Error(.statusBelow100)

    /// The status a server answers with: 501 for CONNECT, 400 otherwise.
    public var status: Int { kind == .connectNotSupported ? 501 : 400 }

    /// Refusals RFC 9112 asks of a server that llhttp (NIO's decoder) leaves to its user: the
    /// differential accepts these where the oracle accepted.
    public var isStricterThanLLHTTP: Bool {
        switch kind {
        case .missingHost, .duplicateHost, .invalidHost, .connectNotSupported, .unsupportedTransferCoding,
            .unexpectedSwitchingProtocols, .invalidTarget, .invalidReasonPhrase, .extraWhitespace,
            .emptyChunkExtensionName, .bareCRAfterStartLine, .framingInTrailers, .statusBelow100:
            return true
        default: return false
        }
    }

    public var description: String { kind.rawValue }
}
