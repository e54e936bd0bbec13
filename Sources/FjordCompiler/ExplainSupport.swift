import FjordModel
import FjordTable

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What `fjord explain` needs, behind the command layer.
public struct ExplainSession {
    public enum Source {
        case semantics(Semantics)
        case image(TableImage)
    }

    public let source: Source
    public let scope: ProxyScope

    public init(semantics: Semantics, scope: ProxyScope) {
        self.source = .semantics(semantics)
        self.scope = scope
    }

    /// From loaded sources.
    public init(mesh loaded: LoadedMesh, scope: ProxyScope) {
        self.init(semantics: Semantics(mesh: loaded.mesh), scope: scope)
    }

    public init(image: TableImage, scope: ProxyScope) {
        self.source = .image(image)
        self.scope = scope
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        /// Whether the file was read but is not a table image (FJ5003), rather than unreadable.
        public var isFormat = false
    }

    /// The default for `--max-table-bytes`.
    public static let defaultMaxTableBytes = TableImage.defaultMaxBytes

    /// Reads a table image file, checking its size and header before the rest: a file that is
    /// not a regular file (`/dev/zero`, a FIFO), is over `maxBytes`, or whose first 32 bytes are
    /// not an image's header is refused having read at most those 32 bytes, and nothing is
    /// allocated in proportion to the file before that.
    public static func readImageFile(_ path: String, maxBytes: Int) -> Result<[UInt8], Failure> {
        func unreadable(_ reason: String) -> Result<[UInt8], Failure> {
            .failure(Failure(description: "cannot read `\(path)`: \(reason)"))
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return unreadable(String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return unreadable(String(cString: strerror(errno))) }
        guard st.st_mode & S_IFMT == S_IFREG else { return unreadable("not a regular file") }
        let size = Int(st.st_size)
        func fill(_ buffer: inout [UInt8], _ range: Range<Int>) -> String? {
            var at = range.lowerBound
            while at < range.upperBound {
                let n = buffer.withUnsafeMutableBytes { b in
                    b.baseAddress.map { read(fd, $0 + at, range.upperBound - at) } ?? 0
                }
                if n < 0 {
                    if errno == EINTR { continue }
                    return String(cString: strerror(errno))
                }
                if n == 0 { return "the file shrank while being read" }
                at += n
            }
            return nil
        }
        var header = [UInt8](repeating: 0, count: min(max(size, 0), TableImage.headerByteCount))
        if size <= maxBytes, let reason = fill(&header, 0..<header.count) { return unreadable(reason) }
        do { try TableImage.checkHeader(header, fileLength: size, maxBytes: maxBytes) } catch {
            return .failure(Failure(description: "`\(path)` is not a valid table image: \(error)", isFormat: true))
        }
        var out = header
        out.append(contentsOf: repeatElement(0, count: size - header.count))
        if let reason = fill(&out, header.count..<size) { return unreadable(reason) }
        return .success(out)
    }

    /// Loads a table image from bytes, with a clear message when it is not one.
    public static func image(bytes: [UInt8], path: String) -> Result<TableImage, Failure> {
        do {
            return .success(try TableImage(bytes: bytes))
        } catch {
            return .failure(Failure(description: "`\(path)` is not a valid table image: \(error)"))
        }
    }

    /// The decision for one request.
    public func decide(_ request: MeshRequest) throws(Failure) -> DecisionRecord {
        switch source {
        case .semantics(let s):
            return s.decide(request, at: scope)
        case .image(let image):
            let kind: TableProgram.ScopeKind
            if case .gateway = scope { kind = .gateway } else { kind = .sidecar }
            guard let handle = image.scope(named: scope.id, kind: kind) else {
                throw Failure(description: "the table image has no \(scope)")
            }
            let r = SimpleTableRequest(
                method: request.method, scheme: request.scheme, authority: request.authority, path: request.path,
                headers: request.headers.map { HeaderPair($0.name, $0.value) })
            return image.decisionRecord(image.lookup(scope: handle, port: request.port, request: r))
        }
    }

    /// Text with the trace of skipped rules (from sources), or the decision alone (from a table).
    public func explainText(_ request: MeshRequest) throws(Failure) -> String {
        switch source {
        case .semantics(let s):
            return DecisionOutput.text(s.explain(request, at: scope))
        case .image:
            return DecisionOutput.text(try decide(request))
                + "\n  (decided by the table image; give the sources instead of --tables for the trace)"
        }
    }

    /// One JSON object: the decision, and from sources its `trace` (null from a table image,
    /// which keeps no trace).
    public func explainJSON(_ request: MeshRequest) throws(Failure) -> String {
        switch source {
        case .semantics(let s):
            return DecisionOutput.json(s.explain(request, at: scope))
        case .image:
            guard case .object(var fields) = DecisionOutput.jsonValue(try decide(request)) else {
                return DecisionOutput.json(try decide(request))
            }
            fields.append(("trace", .null))
            return JSON.object(fields).rendered
        }
    }

    /// Which scopes an image holds, for messages.
    public static func scopes(in image: TableImage) -> [String] {
        image.program.scopes.map { image.program.strings[Int($0.name)] }
    }
}
