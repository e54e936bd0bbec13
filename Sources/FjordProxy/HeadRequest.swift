import FjordTable
import NIOHTTP1

/// A parsed request head seen as what a table lookup reads (`TableRequest`), without allocating
/// per request: the method's raw value is a static string for the standard methods, the
/// authority and path are the head's own `String`s (references, not copies), and `header(_:)`
/// returns the stored value (it joins with `,` only when a header is repeated, as the table's
/// vocabulary asks).
///
/// An absolute-form target (`GET http://host/path`, what clients configured with a proxy send)
/// is split into authority and path; that allocates, and only for such requests.
public struct HeadRequest: TableRequest {
    public let head: HTTPRequestHead
    public let scheme: String
    public let authority: String
    public let path: String

    @inlinable
    public init(head: HTTPRequestHead, scheme: String = "http") {
        self.head = head
        self.scheme = scheme
        let uri = head.uri
        if uri.utf8.first == UInt8(ascii: "/") || uri == "*" {
            self.path = uri
            self.authority = HeadRequest.firstHeader(head.headers, "host") ?? ""
        } else if let (a, p) = HeadRequest.splitAbsolute(uri) {
            self.path = p
            self.authority = a
        } else {
            self.path = uri
            self.authority = HeadRequest.firstHeader(head.headers, "host") ?? ""
        }
    }

    public var method: String { head.method.rawValue }

    public func header(_ lowercaseName: String) -> String? {
        HeadRequest.joinedHeader(head.headers, lowercaseName)
    }

    /// The first value of a header by lowercase name.
    @inlinable
    public static func firstHeader(_ headers: HTTPHeaders, _ lowercaseName: String) -> String? {
        var i = headers.startIndex
        while i < headers.endIndex {
            let h = headers[i]
            if asciiEqualLowercase(h.name, lowercaseName) { return h.value }
            i = headers.index(after: i)
        }
        return nil
    }

    /// All values of a header by lowercase name joined with `,`; nil when absent.
    @inlinable
    public static func joinedHeader(_ headers: HTTPHeaders, _ lowercaseName: String) -> String? {
        var found: String?
        var i = headers.startIndex
        while i < headers.endIndex {
            let h = headers[i]
            if asciiEqualLowercase(h.name, lowercaseName) {
                if let f = found { found = f + "," + h.value } else { found = h.value }
            }
            i = headers.index(after: i)
        }
        return found
    }

    /// `http://host[:port]/path?q` -> (`host[:port]`, `/path?q`).
    @usableFromInline
    static func splitAbsolute(_ uri: String) -> (String, String)? {
        let u = uri.utf8
        var scheme = 0
        if u.starts(with: "http://".utf8) {
            scheme = 7
        } else if u.starts(with: "https://".utf8) {
            scheme = 8
        } else {
            return nil
        }
        let rest = u.dropFirst(scheme)
        if let slash = rest.firstIndex(of: UInt8(ascii: "/")) {
            return (String(Substring(rest[rest.startIndex..<slash])), String(Substring(rest[slash...])))
        }
        if let q = rest.firstIndex(of: UInt8(ascii: "?")) {
            return (String(Substring(rest[rest.startIndex..<q])), "/" + String(Substring(rest[q...])))
        }
        return (String(Substring(rest)), "/")
    }
}

/// Compares a header name with a lowercase ASCII name, ignoring the case of the former.
@inlinable
public func asciiEqualLowercase(_ name: String, _ lowercase: String) -> Bool {
    let a = name.utf8
    let b = lowercase.utf8
    guard a.count == b.count else { return false }
    var i = a.startIndex
    var j = b.startIndex
    while i != a.endIndex {
        var c = a[i]
        if c >= 0x41 && c <= 0x5A { c |= 0x20 }
        if c != b[j] { return false }
        i = a.index(after: i)
        j = b.index(after: j)
    }
    return true
}
