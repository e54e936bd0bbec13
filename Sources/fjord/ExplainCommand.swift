import ArgumentParser
import FjordCompiler
import FjordDiagnostics
import Foundation

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show where a request goes from one proxy, and why.",
        discussion: """
            From sources, prints the decision and a trace: the virtual host, the rule taken, and \
            for each earlier rule the condition that failed. From a compiled image (--tables) it \
            prints the decision the proxy would take.

            Examples:
              fjord explain mesh/ --workload shop/checkout --request 'GET http://payment-service/api?x=1' -H 'x-debug-user: true'
              fjord explain --tables mesh.fjt --gateway ingress/public --request 'http://shop.example.no/cart'
              fjord explain mesh/ --workload shop/checkout --requests requests.jsonl
                (one JSON object a line: {"method": "GET", "url": "http://...", "headers": {"x": "y"}, "port": 8080};
                 prints one JSON decision a line)
            """)

    @Argument(help: ArgumentHelp("Files or directories of YAML (not needed with --tables).", valueName: "path"))
    var paths: [String] = []

    @Option(name: [.customShort("n"), .long], help: "The namespace of resources that do not name one.")
    var namespace: String = "default"

    @Option(help: ArgumentHelp("The sidecar of this workload (`namespace/name`).", valueName: "ns/name"))
    var workload: String?

    @Option(help: ArgumentHelp("This Gateway (`namespace/name`).", valueName: "ns/name"))
    var gateway: String?

    @Option(help: ArgumentHelp("The request: `[METHOD] http://host[:port]/path?query`.", valueName: "request"))
    var request: String?

    @Option(
        name: [.customShort("H"), .customLong("header")],
        help: ArgumentHelp("A request header `name: value` (repeatable).", valueName: "header"))
    var headers: [String] = []

    @Option(help: ArgumentHelp("The listener port (default: the URL's port, else 80 or 443).", valueName: "port"))
    var port: Int?

    @Option(help: ArgumentHelp("Decide from this compiled table image instead of sources.", valueName: "file"))
    var tables: String?

    @Option(
        name: .customLong("max-table-bytes"),
        help: ArgumentHelp(
            "The largest --tables file read; a larger one, or one that is not a regular file, is refused unread.",
            valueName: "bytes"))
    var maxTableBytes: Int = ExplainSession.defaultMaxTableBytes

    @Option(help: ArgumentHelp("Decide every request of this JSON-lines file; prints JSON lines.", valueName: "file"))
    var requests: String?

    @Option(help: ArgumentHelp("Output format for a single request: `text` or `json`.", valueName: "format"))
    var format: ExplainFormat = .text

    enum ExplainFormat: String, ExpressibleByArgument { case text, json }

    func validate() throws {
        if (workload == nil) == (gateway == nil) {
            throw ValidationError("name one proxy: --workload namespace/name or --gateway namespace/name")
        }
        if (request == nil) == (requests == nil) { throw ValidationError("give --request or --requests") }
        if tables == nil && paths.isEmpty { throw ValidationError("give the mesh's files or directories, or --tables") }
        if let p = port, p < 1 || p > 65535 { throw ValidationError("--port must be between 1 and 65535") }
        if maxTableBytes < 1 { throw ValidationError("--max-table-bytes must be positive") }
    }

    func parseHeaders(_ raw: [String]) throws -> [MeshRequest.HeaderField] {
        try raw.map { h in
            guard let colon = h.firstIndex(of: ":") else {
                throw ValidationError("a header is `name: value`, found `\(h)`")
            }
            return MeshRequest.HeaderField(
                String(h[..<colon]).trimmingCharacters(in: .whitespaces),
                String(h[h.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
        }
    }

    func session() throws -> ExplainSession {
        let proxy: ProxyScope = workload.map { .sidecar($0) } ?? .gateway(gateway ?? "")
        if let tables {
            let bytes: [UInt8]
            switch ExplainSession.readImageFile(tables, maxBytes: maxTableBytes) {
            case .success(let b): bytes = b
            case .failure(let e):
                writeStandardError("fjord: error: \(e.isFormat ? "[FJ5003] " : "")\(e)\n")
                throw ExitCode(2)
            }
            switch ExplainSession.image(bytes: bytes, path: tables) {
            case .success(let image):
                if !ExplainSession.scopes(in: image).contains(proxy.id) {
                    writeStandardError("fjord: error: the table image has no \(proxy)\n")
                    throw ExitCode(2)
                }
                return ExplainSession(image: image, scope: proxy)
            case .failure(let e):
                writeStandardError("fjord: error: [FJ5003] \(e)\n")
                throw ExitCode(2)
            }
        }
        var options = CompilerOptions()
        options.frontend.defaultNamespace = namespace
        var driver = Driver(options: options)
        let collector = DiagnosticCollector()
        let loaded = driver.load(paths: paths, emit: collector.consumer)
        if loaded.inputFailed {
            let errors = collector.diagnostics.filter { $0.severity == .error }
            writeStandardError(
                OutputFormat.text.render(
                    errors, sources: loaded.sources,
                    summary: RunSummary(
                        files: loaded.fileCount, resources: 0, durationSeconds: nil, suppressed: 0, diagnostics: errors)
                ))
            throw ExitCode(2)
        }
        switch ScopeResolution.scope(workload: workload, gateway: gateway, in: loaded.mesh) {
        case .success(let s): return ExplainSession(mesh: loaded, scope: s)
        case .failure(let e):
            writeStandardError("fjord: error: \(e)\n")
            throw ExitCode(2)
        }
    }

    func run() throws {
        let s = try session()
        if let requests {
            guard let data = FileManager.default.contents(atPath: requests),
                let text = String(data: data, encoding: .utf8)
            else {
                writeStandardError("fjord: error: cannot read `\(requests)`\n")
                throw ExitCode(2)
            }
            var out = ""
            for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty { continue }
                do {
                    let r = try Self.parseJSONRequest(trimmed, defaultPort: port)
                    out += DecisionOutput.json(try s.decide(r)) + "\n"
                } catch {
                    writeStandardError("fjord: error: \(requests):\(i + 1): \(error)\n")
                    throw ExitCode(2)
                }
            }
            writeStandardOutput(out)
            return
        }
        let r: MeshRequest
        do {
            r = try MeshRequest.parse(request ?? "", headers: try parseHeaders(headers), port: port)
        } catch let e as MeshRequest.ParseError {
            writeStandardError("fjord: error: --request: \(e)\n")
            throw ExitCode(2)
        }
        do {
            switch format {
            case .text: writeStandardOutput(try s.explainText(r) + "\n")
            case .json: writeStandardOutput(try s.explainJSON(r) + "\n")
            }
        } catch {
            writeStandardError("fjord: error: \(error)\n")
            throw ExitCode(2)
        }
    }

    struct RequestError: Error, CustomStringConvertible {
        var description: String
    }

    /// `{"method": "GET", "url": "http://h/p", "headers": {"a": "b"}, "port": 8080}`
    static func parseJSONRequest(_ line: String, defaultPort: Int?) throws -> MeshRequest {
        guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw RequestError(description: "expected a JSON object with `url`")
        }
        guard let url = obj["url"] as? String else { throw RequestError(description: "the request has no `url`") }
        let method = obj["method"] as? String ?? "GET"
        var headers: [MeshRequest.HeaderField] = []
        if let h = obj["headers"] as? [String: Any] {
            for (k, v) in h.sorted(by: { $0.key < $1.key }) {
                if let s = v as? String {
                    headers.append(.init(k, s))
                } else if let a = v as? [String] {
                    for s in a { headers.append(.init(k, s)) }
                }
            }
        }
        let port = (obj["port"] as? Int) ?? defaultPort
        do {
            return try MeshRequest.parse("\(method) \(url)", headers: headers, port: port)
        } catch {
            throw RequestError(description: "\(error)")
        }
    }
}
