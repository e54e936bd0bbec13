import Dispatch
import FjordBasics
import FjordProxy
import FjordTable
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A `host:port` to listen on or connect to.
public struct HostPort: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port`, `[v6]:port` or `:port` (all interfaces... of loopback: 127.0.0.1).
    public init?(_ s: String) {
        let (h, p) = splitHostPortOptional(s)
        guard let p, p >= 0, p < 65536 else { return nil }
        self.init(host: h.isEmpty ? "127.0.0.1" : h, port: p)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// How `fjord-proxy run` is configured.
public struct ProxyOptions: Sendable {
    public var tablesPath: String
    /// `namespace/name` of the workload (sidecar) or the Gateway.
    public var scopeName: String
    public var scopeKind: TableProgram.ScopeKind = .sidecar
    /// The outbound listener (the gateway's listener for gateways).
    public var outbound: HostPort?
    public var inbound: HostPort?
    public var app: HostPort?
    public var endpointsPath: String?
    public var admin: HostPort?
    public var accessLog = true
    /// The proxy's locality, when the endpoints file does not say.
    public var locality: Locality?
    /// The port requests whose authority has none are routed on.
    public var defaultPort = 80
    public var threads = System.coreCount
    public var headTimeout: TimeAmount = .seconds(10)
    public var idleTimeout: TimeAmount = .seconds(300)
    /// How often the table and endpoints files are checked for changes (nil: never).
    public var pollInterval: TimeAmount? = .seconds(1)
    public var maxHeaderBytes = 64 * 1024
    /// The largest table image file read (`--max-table-bytes`); a larger one is refused after
    /// its size, before any of it is read.
    public var maxTableBytes = ProxyOptions.defaultMaxTableBytes
    public static let defaultMaxTableBytes = TableImage.defaultMaxBytes
    /// The largest endpoints file read (`--max-endpoints-bytes`).
    public var maxEndpointsBytes = ProxyOptions.defaultMaxEndpointsBytes
    public static let defaultMaxEndpointsBytes = 16 << 20
    public var maxHeaderCount = 100
    public var connectTimeout: TimeAmount = .seconds(10)
    /// Handle SIGHUP (a process has one handler: tests running several proxies turn it off).
    public var handleSIGHUP = true

    public init(tablesPath: String, scopeName: String) {
        self.tablesPath = tablesPath
        self.scopeName = scopeName
    }
}

/// The proxy process: listeners, the admin endpoint, table and endpoint reloads.
///
/// `@unchecked Sendable`: the listener channels, file stamps, timers and generation are
/// guarded by `reloadLock` and the reload queue, a relation the compiler cannot check; the rest
/// are `let`s of `Sendable` types.
public final class ProxyServer: @unchecked Sendable {
    public let options: ProxyOptions
    public let group: MultiThreadedEventLoopGroup
    public let tables: TableStore
    public let registry: ClusterRegistry
    public let pool: ConnectionPool
    public let metrics: ProxyMetrics
    public let accessLog: StdoutAccessLog?
    private var channels: [Channel] = []
    private let readyFlag = NIOLockedValueBox(false)
    private let reloadQueue = DispatchQueue(label: "fjord-proxy.reload")
    private let reloadLock = NIOLock()
    private var generation = 1
    private var tableStamp: FileStamp?
    private var endpointsStamp: FileStamp?
    private var pollTimer: DispatchSourceTimer?
    private var signalSource: DispatchSourceSignal?
    public private(set) var outboundAddress: SocketAddress?
    public private(set) var inboundAddress: SocketAddress?
    public private(set) var adminAddress: SocketAddress?
    /// Milliseconds from `init` to ready.
    public private(set) var startupMs: Double = 0
    private let startedAt = NIODeadline.now()
    private let ownsGroup: Bool

    public struct StartError: Error, CustomStringConvertible {
        public var description: String
        init(_ d: String) { description = d }
    }

    /// Loads the table and the endpoints (failing on either), without listening yet.
    public init(options: ProxyOptions, group: MultiThreadedEventLoopGroup? = nil) throws {
        self.options = options
        let bytes: [UInt8]
        do { bytes = try Self.readTableImage(options.tablesPath, maxBytes: options.maxTableBytes) } catch {
            throw StartError("cannot read table image \(options.tablesPath): \(error)")
        }
        let table: LoadedTable
        do {
            table = try LoadedTable(
                bytes: bytes, scopeName: options.scopeName, kind: options.scopeKind, generation: 1,
                origin: options.tablesPath)
        } catch {
            throw StartError(error.description)
        }
        tableStamp = FileStamp(path: options.tablesPath)
        var file = EndpointsFile()
        if let p = options.endpointsPath {
            do {
                file = try EndpointsFile(
                    parsing: String(
                        decoding: try readFile(
                            p, maxBytes: options.maxEndpointsBytes, limitOption: "--max-endpoints-bytes"), as: UTF8.self
                    ))
            } catch let e as EndpointsFile.ParseError {
                throw StartError("\(p):\(e.line): \(e.message)")
            } catch {
                throw StartError("cannot read endpoints file \(p): \(error)")
            }
            endpointsStamp = FileStamp(path: p)
        }
        self.tables = TableStore(table)
        self.registry = ClusterRegistry(
            directory: file.directory, proxyLocality: options.locality ?? file.locality ?? Locality())
        self.pool = ConnectionPool(connectTimeout: options.connectTimeout)
        self.metrics = ProxyMetrics(reporter: "source", workload: options.scopeName)
        self.accessLog = options.accessLog ? StdoutAccessLog() : nil
        if let group {
            self.group = group
            ownsGroup = false
        } else {
            self.group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, options.threads))
            ownsGroup = true
        }
    }

    public var isReady: Bool { readyFlag.withLockedValue { $0 } }

    /// Binds every listener and the admin endpoint, then reports ready.
    public func start() throws {
        let limits: NIOHTTPDecoderLimitConfiguration = {
            var l = NIOHTTPDecoderLimitConfiguration()
            l.maxHeaderListSize = options.maxHeaderBytes
            l.maxHeaderFieldSize = options.maxHeaderBytes
            l.maxHeaderFieldCount = options.maxHeaderCount
            return l
        }()
        if let o = options.outbound {
            let ctx = ProxyContext(
                role: options.scopeKind == .gateway ? .gateway : .outbound, tables: tables, registry: registry,
                connector: pool,
                metrics: metrics, accessLog: accessLog, defaultPort: options.defaultPort)
            let ch = try listen(o, context: ctx, limits: limits)
            outboundAddress = ch.localAddress
            channels.append(ch)
        }
        if let i = options.inbound {
            guard let app = options.app else {
                throw StartError("--inbound needs --app (the local application's address)")
            }
            let inboundMetrics = ProxyMetrics(reporter: "destination", workload: options.scopeName)
            let cluster = registry.staticCluster(
                name: "inbound|\(app.port)||app", endpoint: EndpointSpec(address: app.host, port: app.port))
            let ctx = ProxyContext(
                role: .inbound, tables: tables, registry: registry, connector: pool, metrics: inboundMetrics,
                accessLog: accessLog,
                defaultPort: options.defaultPort, inboundCluster: cluster)
            self.inboundMetrics = inboundMetrics
            let ch = try listen(i, context: ctx, limits: limits)
            inboundAddress = ch.localAddress
            channels.append(ch)
        }
        if let a = options.admin {
            let ch = try ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { [self] channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        try channel.pipeline.syncOperations.addHandler(AdminHandler(server: self))
                    }
                }
                .bind(host: a.host, port: a.port).wait()
            adminAddress = ch.localAddress
            channels.append(ch)
        }
        if let every = options.pollInterval { startPolling(every) }
        if options.handleSIGHUP { installSIGHUP() }
        if let log = accessLog { log.startFlushing(on: group.next()) }
        startupMs = Double(NIODeadline.now().uptimeNanoseconds - startedAt.uptimeNanoseconds) / 1e6
        readyFlag.withLockedValue { $0 = true }
        logEvent(
            "ready",
            [
                "startup_ms": "\(Int(startupMs.rounded()))", "generation": "1",
                "outbound": outboundAddress.map(show) ?? "-", "inbound": inboundAddress.map(show) ?? "-",
                "admin": adminAddress.map(show) ?? "-",
            ])
    }

    /// Metrics of the inbound listener (reporter `destination`).
    public private(set) var inboundMetrics: ProxyMetrics?

    private func listen(_ at: HostPort, context ctx: ProxyContext, limits: NIOHTTPDecoderLimitConfiguration) throws
        -> Channel
    {
        let headTimeout = options.headTimeout
        let idleTimeout = options.idleTimeout
        do {
            return try ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 1024)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
                .childChannelOption(.maxMessagesPerRead, value: 16)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let timeouts = HeadTimeoutHandler(headTimeout: headTimeout, idleTimeout: idleTimeout)
                        let sync = channel.pipeline.syncOperations
                        try sync.addHandler(timeouts)
                        // No pipelining handler (DownstreamHandler orders pipelined requests
                        // without pausing reads), no protocol-error handler (DownstreamHandler
                        // answers 400), no outbound header validation (the headers were
                        // validated by the decoder, and the table's by the compiler): each is a
                        // handler on every message (docs/performance.md).
                        try sync.configureHTTPServerPipeline(
                            withPipeliningAssistance: false, withErrorHandling: false,
                            withOutboundHeaderValidation: false,
                            withEncoderConfiguration: HTTPResponseEncoder.Configuration(),
                            withDecoderLimitConfiguration: limits)
                        try sync.addHandler(DownstreamHandler(context: ctx, headTimeout: timeouts))
                    }
                }
                .bind(host: at.host, port: at.port).wait()
        } catch {
            throw StartError("cannot listen on \(at): \(error)")
        }
    }

    // MARK: Reload

    public struct ReloadResult: Sendable {
        public var ok: Bool
        public var generation: Int
        public var message: String
    }

    /// Reads, validates and swaps in the table image (and the endpoints file when it changed).
    /// An invalid image is refused and the current one keeps serving. Thread-safe.
    @discardableResult
    public func reload(reason: String) -> ReloadResult {
        reloadLock.withLock {
            var result: ReloadResult
            do {
                let bytes = try Self.readTableImage(options.tablesPath, maxBytes: options.maxTableBytes)
                let next = generation + 1
                let t = try LoadedTable(
                    bytes: bytes, scopeName: options.scopeName, kind: options.scopeKind, generation: next,
                    origin: options.tablesPath)
                generation = next
                tables.swap(t)
                registry.tableChanged(t)
                metrics.reloaded(ok: true)
                result = ReloadResult(ok: true, generation: next, message: "table generation \(next) loaded")
                logEvent("reload", ["reason": reason, "result": "ok", "generation": "\(next)"])
            } catch {
                metrics.reloaded(ok: false)
                result = ReloadResult(ok: false, generation: generation, message: "\(error)")
                logEvent(
                    "reload",
                    ["reason": reason, "result": "refused", "error": "\(error)", "generation": "\(generation)"])
            }
            tableStamp = FileStamp(path: options.tablesPath)
            if let p = options.endpointsPath {
                let stamp = FileStamp(path: p)
                if stamp != endpointsStamp {
                    endpointsStamp = stamp
                    reloadEndpoints(p, reason: reason)
                }
            }
            return result
        }
    }

    private func reloadEndpoints(_ p: String, reason: String) {
        do {
            let f = try EndpointsFile(
                parsing: String(
                    decoding: try readFile(
                        p, maxBytes: options.maxEndpointsBytes, limitOption: "--max-endpoints-bytes"), as: UTF8.self))
            registry.directoryChanged(f.directory)
            logEvent("endpoints", ["reason": reason, "result": "ok"])
        } catch {
            metrics.count("endpoints_reload_refused")
            logEvent("endpoints", ["reason": reason, "result": "refused", "error": "\(error)"])
        }
    }

    /// Runs `reload` off the event loops.
    public func reloadAsync(reason: String, _ done: @escaping @Sendable (ReloadResult) -> Void) {
        reloadQueue.async { [self] in done(reload(reason: reason)) }
    }

    private func startPolling(_ every: TimeAmount) {
        let t = DispatchSource.makeTimerSource(queue: reloadQueue)
        let ms = max(10, Int(every.nanoseconds / 1_000_000))
        t.schedule(deadline: .now() + .milliseconds(ms), repeating: .milliseconds(ms))
        t.setEventHandler { [weak self] in
            guard let self else { return }
            let tableChanged = FileStamp(path: self.options.tablesPath) != self.reloadLock.withLock { self.tableStamp }
            var endpointsChanged = false
            if let p = self.options.endpointsPath {
                endpointsChanged = FileStamp(path: p) != self.reloadLock.withLock { self.endpointsStamp }
            }
            if tableChanged {
                self.reload(reason: "file changed")
            } else if endpointsChanged, let p = self.options.endpointsPath {
                self.reloadLock.withLock {
                    self.endpointsStamp = FileStamp(path: p)
                    self.reloadEndpoints(p, reason: "file changed")
                }
            }
        }
        t.resume()
        pollTimer = t
    }

    private func installSIGHUP() {
        signal(SIGHUP, SIG_IGN)
        let s = DispatchSource.makeSignalSource(signal: SIGHUP, queue: reloadQueue)
        s.setEventHandler { [weak self] in self?.reload(reason: "SIGHUP") }
        s.resume()
        signalSource = s
    }

    // MARK: Lifecycle

    /// Blocks until every listener closes.
    public func waitUntilClosed() throws {
        for c in channels { try c.closeFuture.wait() }
    }

    public func shutdown() {
        pollTimer?.cancel()
        pollTimer = nil
        signalSource?.cancel()
        signalSource = nil
        readyFlag.withLockedValue { $0 = false }
        for c in channels { try? c.close().wait() }
        channels = []
        accessLog?.flush()
        if ownsGroup { try? group.syncShutdownGracefully() }
    }

    /// The current table's generation and origin, reloads, clusters and connections, as JSON.
    public func statsJSON() -> String {
        let t = tables.current
        let r = metrics.reloadCounts
        var out =
            "{\"table\":{\"generation\":\(t.generation),\"origin\":\(JSONString.literal(t.origin)),\"scope\":\(JSONString.literal(t.scopeName))},"
        out +=
            "\"reloads\":{\"ok\":\(r.ok),\"refused\":\(r.failed)},\"requests\":\(metrics.totalRequests + (inboundMetrics?.totalRequests ?? 0)),"
        out += "\"startup_ms\":\(startupMs),\"idle_connections\":\(pool.idleCount),"
        out +=
            "\"counters\":{"
            + metrics.counterValues.sorted { $0.key < $1.key }.map { "\(JSONString.literal($0.key)):\($0.value)" }
            .joined(
                separator: ",") + "},"
        let now = NIODeadline.now()
        out += "\"clusters\":["
        out += registry.all.map { c in
            let s = c.stats
            let eps = c.endpoints.map { e in
                "{\"address\":\(JSONString.literal(e.spec.hostPort)),\"picks\":\(e.picks),\"ejected\":\(c.isEjected(e, now: now))}"
            }.joined(separator: ",")
            return
                "{\"name\":\(JSONString.literal(c.key.description)),\"dns\":\(c.usesDNS),\"connections\":\(s.connections),\"pending\":\(s.pending),\"endpoints\":[\(eps)]}"
        }.joined(separator: ",")
        out += "]}"
        return out
    }
}

/// `127.0.0.1:15001`.
func show(_ a: SocketAddress) -> String {
    guard let ip = a.ipAddress, let port = a.port else { return "\(a)" }
    return ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)"
}

/// A log line on standard error, as JSON.
func logEvent(_ event: String, _ fields: [String: String]) {
    var line = "{\"event\":\(JSONString.literal(event))"
    for (k, v) in fields.sorted(by: { $0.key < $1.key }) {
        line += ",\(JSONString.literal(k)):\(JSONString.literal(v))"
    }
    line += "}\n"
    line.withCString { p in _ = write(2, p, strlen(p)) }
}

// MARK: Files without Foundation

public struct FileError: Error, CustomStringConvertible {
    public var description: String
}

/// Reads a table image file, checking its size and header before the rest: a file that is not
/// a regular file, is over `maxBytes` or whose header is not an image's is refused having read
/// at most its first 32 bytes (`/dev/zero` or a 2 GiB junk file cost nothing).
extension ProxyServer {
    /// How the proxy reads a table image (start and every reload): see `readFile`.
    public static func readTableImage(_ path: String, maxBytes: Int) throws(FileError) -> [UInt8] {
        try readFile(path, maxBytes: maxBytes, limitOption: "--max-table-bytes") { header, size throws(FileError) in
            do { try TableImage.checkHeader(header, fileLength: size, maxBytes: maxBytes) } catch {
                throw FileError(description: "\(error)")
            }
        }
    }
}

/// Reads a whole regular file of at most `maxBytes`. Its size comes from `fstat`, never from
/// its contents; `checkHeader` sees the first `TableImage.headerByteCount` bytes (fewer for a
/// short file) and the size before anything more is read or allocated.
func readFile(
    _ path: String, maxBytes: Int, limitOption: String,
    checkHeader: ((_ header: [UInt8], _ size: Int) throws(FileError) -> Void)? = nil
) throws(FileError) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard fd >= 0 else { throw FileError(description: String(cString: strerror(errno))) }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0 else { throw FileError(description: String(cString: strerror(errno))) }
    guard st.st_mode & S_IFMT == S_IFREG else { throw FileError(description: "not a regular file") }
    let size = Int(st.st_size)
    guard size <= maxBytes else {
        throw FileError(description: "the file is \(size) bytes, over the limit of \(maxBytes) bytes (\(limitOption))")
    }
    func fill(_ buffer: inout [UInt8], _ range: Range<Int>) throws(FileError) {
        var at = range.lowerBound
        while at < range.upperBound {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + at, range.upperBound - at) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError(description: String(cString: strerror(errno)))
            }
            if n == 0 { throw FileError(description: "the file shrank while being read (\(at) of \(size) bytes)") }
            at += n
        }
    }
    // The header first, into a buffer of its own: nothing is allocated for the rest until it passed.
    var header = [UInt8](repeating: 0, count: min(size, TableImage.headerByteCount))
    try fill(&header, 0..<header.count)
    if let checkHeader { try checkHeader(header, size) }
    var out = header
    out.append(contentsOf: repeatElement(0, count: size - header.count))
    try fill(&out, header.count..<size)
    var probe: UInt8 = 0
    if read(fd, &probe, 1) > 0 { throw FileError(description: "the file grew while being read (past \(size) bytes)") }
    return out
}

/// What identifies a file's version: inode, size and modification time.
struct FileStamp: Equatable {
    var inode: UInt64
    var size: Int64
    var mtimeSec: Int
    var mtimeNsec: Int

    init?(path: String) {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        inode = UInt64(st.st_ino)
        size = Int64(st.st_size)
        #if canImport(Darwin)
            mtimeSec = Int(st.st_mtimespec.tv_sec)
            mtimeNsec = Int(st.st_mtimespec.tv_nsec)
        #else
            mtimeSec = Int(st.st_mtim.tv_sec)
            mtimeNsec = Int(st.st_mtim.tv_nsec)
        #endif
    }
}

/// Access-log lines on standard output, buffered and flushed every 200 ms.
public final class StdoutAccessLog: AccessLogSink, Sendable {
    private let buffer = NIOLockedValueBox("")
    private let flusher = NIOLockedValueBox<RepeatedTask?>(nil)

    public init() {}

    public func log(_ entry: AccessLogEntry) {
        let line = entry.json + "\n"
        let buffered = buffer.withLockedValue {
            $0 += line
            return $0.utf8.count
        }
        if buffered > 64 * 1024 { flush() }
    }

    func startFlushing(on loop: EventLoop) {
        let task = loop.scheduleRepeatedTask(initialDelay: .milliseconds(200), delay: .milliseconds(200)) {
            [weak self] _ in self?.flush()
        }
        flusher.withLockedValue { $0 = task }
    }

    /// Writes the buffered lines to standard output.
    public func flush() {
        let out: String = buffer.withLockedValue {
            let b = $0
            $0 = ""
            return b
        }
        guard !out.isEmpty else { return }
        var s = out
        s.withUTF8 { u in
            var off = 0
            while off < u.count {
                let n = write(1, u.baseAddress! + off, u.count - off)
                if n <= 0 { if errno == EINTR { continue } else { break } }
                off += n
            }
        }
    }
}

/// The proxy's locality type, for the command line (which imports only this module).
public typealias ProxyLocality = Locality
