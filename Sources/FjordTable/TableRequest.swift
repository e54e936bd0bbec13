/// What a table lookup reads from a request. The proxy adapts its parsed request to this; tests
/// and `fjord explain` use `SimpleTableRequest`.
public protocol TableRequest {
    var method: String { get }
    var scheme: String { get }
    /// The `Host`/`:authority` header as sent (may carry a port).
    var authority: String { get }
    /// The request target's path with query string (`/api?x=1`).
    var path: String { get }
    /// The value of a header given its lowercase name (repeated headers joined with `,`), or nil.
    func header(_ lowercaseName: String) -> String?
}

public struct SimpleTableRequest: TableRequest, Sendable {
    public var method: String
    public var scheme: String
    public var authority: String
    public var path: String
    public var headers: [HeaderPair]
    public init(
        method: String = "GET", scheme: String = "http", authority: String, path: String = "/",
        headers: [HeaderPair] = []
    ) {
        self.method = method
        self.scheme = scheme
        self.authority = authority
        self.path = path
        self.headers = headers
    }
    public func header(_ lowercaseName: String) -> String? {
        // An index loop: for-in and closures allocate in unoptimised builds, and the
        // allocation tests run lookups through this type.
        var found: String?
        var i = 0
        while i < headers.count {
            if headers[i].name == lowercaseName {
                if let f = found { found = f + "," + headers[i].value } else { found = headers[i].value }
            }
            i += 1
        }
        return found
    }
}
