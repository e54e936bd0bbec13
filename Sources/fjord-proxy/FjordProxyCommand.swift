import ArgumentParser
import FjordProxyServer

#if canImport(Glibc)
    import Glibc
    func systemExit(_ code: Int32) -> Never { Glibc.exit(code) }
#elseif canImport(Darwin)
    import Darwin
    func systemExit(_ code: Int32) -> Never { Darwin.exit(code) }
#endif

/// `fjord-proxy`: the table-driven sidecar. Only option parsing here; the work is in
/// FjordProxyServer.
/// The version printed by `fjord-proxy --version`: the same release as `fjord`.
let fjordProxyVersion = "0.1.0"

@main
struct FjordProxyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fjord-proxy",
        abstract: "The table-driven sidecar: routes HTTP/1.1 with a table image compiled by `fjord compile`.",
        discussion: """
            Exit codes: 0 on a clean stop, 1 when `wait` times out, 2 when the command line is \
            wrong or the tables cannot be loaded (as `fjord`).
            """,
        version: fjordProxyVersion,
        subcommands: [Run.self, Wait.self]
    )

    /// Runs the command line with Fjord's exit codes: a usage error is 2, not ArgumentParser's 64.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            systemExit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                print(message)
                systemExit(0)
            }
            var text = message.isEmpty ? "fjord-proxy: error\n" : message + "\n"
            text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
            systemExit(code == .failure ? 1 : 2)
        }
    }
}

/// `30s`, `250ms`, `2m`, `1h`, or a bare number of seconds.
func parseDuration(_ s: String) -> Int64? {
    let units: [(String, Int64)] = [
        ("ms", 1_000_000), ("us", 1000), ("ns", 1), ("s", 1_000_000_000), ("m", 60_000_000_000),
        ("h", 3_600_000_000_000),
    ]
    for (u, mult) in units where s.hasSuffix(u) {
        guard let v = Double(s.dropLast(u.count)), v >= 0 else { return nil }
        return Int64(v * Double(mult))
    }
    guard let v = Double(s), v >= 0 else { return nil }
    return Int64(v * 1e9)
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the proxy.",
        discussion: """
            Loads the table image, listens, and forwards: outbound requests from the application \
            are routed by the table (authority, path, headers, port); inbound requests go to the \
            local application. The image, and the endpoints file, are reloaded on SIGHUP, on \
            `POST /reload` to the admin endpoint, and when the files change; an invalid image is \
            refused and the last good one keeps serving. See docs/proxy.md.

            Example:
              fjord compile mesh/ -o mesh.fjt
              fjord-proxy run --tables mesh.fjt --workload shop/checkout \\
                --outbound 127.0.0.1:15001 --inbound 127.0.0.1:15006 --app 127.0.0.1:8080 \\
                --endpoints endpoints.yaml --admin 127.0.0.1:15000
            """)

    @Option(help: "The table image (`fjord compile MESH -o mesh.fjt`).")
    var tables: String

    @Option(help: "The sidecar's workload, `namespace/name`.")
    var workload: String?

    @Option(help: "Run as the gateway `namespace/name` (routes with the table's gateway scope on --outbound).")
    var gateway: String?

    @Option(help: "Outbound listener (the application's requests), `host:port`.")
    var outbound: String?

    @Option(help: "Inbound listener (requests for the application), `host:port`.")
    var inbound: String?

    @Option(help: "The local application, `host:port` (inbound requests go there).")
    var app: String?

    @Option(help: "The endpoints file (docs/proxy.md); hosts without entries resolve by DNS.")
    var endpoints: String?

    @Option(help: "The admin endpoint, `host:port`: /ready, /metrics, /tables, /stats, POST /reload.")
    var admin: String?

    @Option(name: .customLong("access-log"), help: "`stdout` (JSON lines) or `off`.")
    var accessLog: String = "stdout"

    @Option(help: "The proxy's locality, `region/zone/subzone` (else the endpoints file's `locality`).")
    var locality: String?

    @Option(name: .customLong("default-port"), help: "The port requests without one in their authority are routed on.")
    var defaultPort: Int = 80

    @Option(help: "Event loop threads (default: one per core).")
    var threads: Int?

    @Option(name: .customLong("head-timeout"), help: "How long a request head may take once it started arriving.")
    var headTimeout: String = "10s"

    @Option(name: .customLong("idle-timeout"), help: "How long an idle keep-alive client connection stays open.")
    var idleTimeout: String = "300s"

    @Option(
        name: .customLong("max-table-bytes"),
        help: "The largest table image file read; a larger one, or one that is not a regular file, is refused unread.")
    var maxTableBytes: Int = ProxyOptions.defaultMaxTableBytes

    @Option(name: .customLong("max-endpoints-bytes"), help: "The largest endpoints file read.")
    var maxEndpointsBytes: Int = ProxyOptions.defaultMaxEndpointsBytes

    @Option(
        name: .customLong("poll-interval"),
        help: "How often the table and endpoints files are checked for changes (`0` turns it off).")
    var pollInterval: String = "1s"

    func validate() throws {
        guard (workload == nil) != (gateway == nil) else {
            throw ValidationError("give exactly one of --workload and --gateway")
        }
        guard outbound != nil || inbound != nil else { throw ValidationError("give --outbound, --inbound or both") }
        for (name, v) in [("--outbound", outbound), ("--inbound", inbound), ("--app", app), ("--admin", admin)] {
            if let v, HostPort(v) == nil { throw ValidationError("\(name) `\(v)` is not `host:port`") }
        }
        if inbound != nil && app == nil { throw ValidationError("--inbound needs --app") }
        guard maxTableBytes > 0, maxEndpointsBytes > 0 else {
            throw ValidationError("--max-table-bytes and --max-endpoints-bytes are positive byte counts")
        }
        guard accessLog == "stdout" || accessLog == "off" else {
            throw ValidationError("--access-log is `stdout` or `off`")
        }
        for (name, v) in [
            ("--head-timeout", headTimeout), ("--idle-timeout", idleTimeout), ("--poll-interval", pollInterval),
        ] {
            if parseDuration(v) == nil { throw ValidationError("\(name) `\(v)` is not a duration (`10s`, `250ms`)") }
        }
    }

    func run() throws {
        var o = ProxyOptions(tablesPath: tables, scopeName: workload ?? gateway!)
        o.scopeKind = gateway != nil ? .gateway : .sidecar
        o.outbound = outbound.flatMap(HostPort.init)
        o.inbound = inbound.flatMap(HostPort.init)
        o.app = app.flatMap(HostPort.init)
        o.admin = admin.flatMap(HostPort.init)
        o.endpointsPath = endpoints
        o.accessLog = accessLog == "stdout"
        o.locality = locality.map { ProxyLocality(parsing: $0) }
        o.defaultPort = defaultPort
        o.maxTableBytes = maxTableBytes
        o.maxEndpointsBytes = maxEndpointsBytes
        if let threads { o.threads = max(1, threads) }
        o.headTimeout = .nanoseconds(parseDuration(headTimeout)!)
        o.idleTimeout = .nanoseconds(parseDuration(idleTimeout)!)
        let poll = parseDuration(pollInterval)!
        o.pollInterval = poll > 0 ? .nanoseconds(poll) : nil
        let server: ProxyServer
        do {
            server = try ProxyServer(options: o)
            try server.start()
        } catch {
            var err = "fjord-proxy: \(error)\n"
            err.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
            throw ExitCode(2)
        }
        try server.waitUntilClosed()
    }
}

struct Wait: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Wait until the proxy is ready (exit 0), or fail after the timeout (exit 1).",
        discussion: """
            Polls the admin endpoint's /ready until it answers 200: use it so that the application \
            starts after its sidecar (a postStart hook or an init step), the fix for the sidecar \
            start-up race.

            Example:
              fjord-proxy wait --admin 127.0.0.1:15000 --timeout 30s && exec ./my-service
            """)

    @Option(help: "The proxy's admin endpoint, `host:port`.")
    var admin: String

    @Option(help: "How long to wait (`30s`).")
    var timeout: String = "30s"

    func validate() throws {
        if HostPort(admin) == nil { throw ValidationError("--admin `\(admin)` is not `host:port`") }
        if parseDuration(timeout) == nil { throw ValidationError("--timeout `\(timeout)` is not a duration (`30s`)") }
    }

    func run() throws {
        let ok = ReadinessWait.wait(admin: HostPort(admin)!, timeout: .nanoseconds(parseDuration(timeout)!))
        if !ok {
            var err = "fjord-proxy: \(admin) was not ready within \(timeout)\n"
            err.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
            throw ExitCode(1)
        }
    }
}
