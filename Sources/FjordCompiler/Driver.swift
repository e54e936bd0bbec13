import FjordChecks
import FjordDiagnostics
import FjordFrontend
import FjordModel
import FjordSource
import FjordYAML

/// Options of one compiler run.
public struct CompilerOptions: Sendable {
    public var frontend = FrontendOptions()
    public var limits = YAMLLimits.default
    public var checks = CheckOptions()
    /// Stop collecting after this many errors (0: no limit).
    public var errorLimit = 0
    public init() {}
}

/// How long one pipeline stage took.
public struct StageTiming: Sendable {
    public var name: String
    public var seconds: Double
}

/// The inputs of a run, loaded and resolved: what `check`, `compile` and `explain` share.
public struct LoadedMesh: Sendable {
    public var sources: SourceManager
    public var resources: ResourceSet
    public var mesh: Mesh
    public var fileCount: Int
    /// True when some input could not be read or parsed (exit code 2).
    public var inputFailed: Bool
}

/// The result of `fjord check`.
public struct CheckResult: Sendable {
    public var loaded: LoadedMesh
    /// Sorted in source order, suppressed findings removed.
    public var diagnostics: [Diagnostic]
    public var suppressed: Int
    public var timings: [StageTiming]
    public var durationSeconds: Double

    public var sources: SourceManager { loaded.sources }
    public var inputFailed: Bool { loaded.inputFailed }

    public var summary: RunSummary {
        RunSummary(
            files: loaded.fileCount, resources: loaded.resources.count, durationSeconds: durationSeconds,
            suppressed: suppressed, diagnostics: diagnostics)
    }

    /// 2 when input could not be read; 1 when a finding reaches `failOn`; else 0.
    public func exitCode(failOn: Severity) -> Int32 {
        if inputFailed { return 2 }
        return diagnostics.contains { $0.severity >= failOn } ? 1 : 0
    }
}

/// The compiler driver: an ordered list of named stages with timings. It never prints; findings
/// go to the collector, and the command layer renders them.
public struct Driver {
    public var options: CompilerOptions
    public private(set) var timings: [StageTiming] = []
    private let clock = ContinuousClock()

    public init(options: CompilerOptions = CompilerOptions()) {
        self.options = options
    }

    mutating func appendTiming(_ t: StageTiming) { timings.append(t) }

    private mutating func stage<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        let start = clock.now
        defer {
            let d = clock.now - start
            let (s, a) = d.components
            timings.append(StageTiming(name: name, seconds: Double(s) + Double(a) / 1e18))
        }
        return try body()
    }

    /// Codes that mean an input could not be read as YAML at all.
    static let inputFailureCodes: Set<DiagnosticCode> = [.yamlSyntax, .inputLimit, .unreadableInput, .emptyInput]

    /// Reads, parses, decodes and resolves the inputs.
    public mutating func load(paths: [String], emit: @escaping DiagnosticConsumer) -> LoadedMesh {
        let maxFileBytes = options.limits.maxFileBytes
        let inputs = stage("read") { InputDiscovery.read(paths, maxFileBytes: maxFileBytes) }
        return load(inputs: inputs, emit: emit)
    }

    /// Parses, decodes and resolves inputs already read (in memory: the fuzz targets' entry).
    public mutating func load(inputs: InputSet, emit: @escaping DiagnosticConsumer) -> LoadedMesh {
        var sources = SourceManager()
        var inputFailed = false
        let options = self.options
        for e in inputs.errors {
            inputFailed = true
            let file = sources.add(path: e.path, bytes: [])
            let at = SourceRange(file: file.id, start: .init(line: 1, column: 1), end: .init(line: 1, column: 1))
            let code: DiagnosticCode = e.message.contains("over the limit") ? .inputLimit : .unreadableInput
            emit(Diagnostic(code, "cannot read \(quoted(e.path)): \(e.message)", at: at))
        }
        let loaded = stage("parse") {
            YAMLLoader.load(
                inputs.files, into: &sources, limits: options.limits,
                diagnostics: { d in
                    emit(d)
                })
        }
        if loaded.failed { inputFailed = true }
        var resources = ResourceSet()
        let decoder = Decoder(options: options.frontend)
        stage("decode") {
            decoder.decode(loaded.documents, into: &resources, emit: emit)
            Decoder.removeDuplicates(in: &resources, emit: emit)
        }
        // Files that held nothing at all.
        var filesWithDocuments = Set<FileID>()
        for d in loaded.documents where d.root.map({ !$0.isNull }) ?? false { filesWithDocuments.insert(d.file) }
        let failed = Set(loaded.failedFiles)
        for file in sources.files where !file.bytes.isEmpty || inputs.files.contains(where: { $0.path == file.path }) {
            guard !filesWithDocuments.contains(file.id), !failed.contains(file.id),
                !inputs.errors.contains(where: { $0.path == file.path })
            else { continue }
            let at = SourceRange(file: file.id, start: .init(line: 1, column: 1), end: .init(line: 1, column: 1))
            emit(Diagnostic(.emptyInput, severity: .warning, "\(quoted(file.path)) holds no YAML documents", at: at))
        }
        // Only when there was nothing Kubernetes-shaped at all: a file of kinds Fjord skips
        // (Gateway API routes, cert-manager certificates, ...) is valid input, already listed as
        // FJ1007 infos.
        if resources.count == 0, resources.skipped == 0, !inputFailed {
            inputFailed = true
            let at =
                sources.files.first.map {
                    SourceRange(file: $0.id, start: .init(line: 1, column: 1), end: .init(line: 1, column: 1))
                }
                ?? .synthetic
            emit(
                Diagnostic(
                    .emptyInput, "no resources found in the inputs", at: at,
                    notes: [
                        Note(
                            "fjord reads Kubernetes and Istio resources from `.yaml` and `.yml` files, directories and `-` (stdin)"
                        )
                    ]))
        }
        let mesh = stage("resolve") { Mesh(resources: resources) }
        return LoadedMesh(
            sources: sources, resources: resources, mesh: mesh, fileCount: inputs.files.count, inputFailed: inputFailed)
    }

    /// `fjord check`: load, then run every check.
    public mutating func check(paths: [String]) -> CheckResult {
        check { driver, emit in driver.load(paths: paths, emit: emit) }
    }

    /// `fjord check` on inputs already read.
    public mutating func check(inputs: InputSet) -> CheckResult {
        check { driver, emit in driver.load(inputs: inputs, emit: emit) }
    }

    private mutating func check(
        loading: (inout Driver, @escaping DiagnosticConsumer) -> LoadedMesh
    ) -> CheckResult {
        let start = clock.now
        let collector = DiagnosticCollector(errorLimit: options.errorLimit)
        let loaded = loading(&self, collector.consumer)
        let options = self.options
        let perCheck = stage("check") {
            CheckRunner.run(mesh: loaded.mesh, options: options.checks, emit: collector.consumer)
        }
        for (name, seconds) in perCheck where seconds > 0.001 {
            timings.append(StageTiming(name: "  check \(name)", seconds: seconds))
        }
        let suppressions = Suppressions(
            resources: loaded.resources, defaultNamespace: options.frontend.defaultNamespace)
        var kept: [Diagnostic] = []
        var suppressed = 0
        // `--disable` silences front-end codes too (checks already skip disabled codes).
        for d in collector.diagnostics where !options.checks.disabled.contains(d.code) {
            if suppressions.suppresses(d) { suppressed += 1 } else { kept.append(d) }
        }
        kept.sort(by: Diagnostic.sourceOrder)
        let total = clock.now - start
        let (s, a) = total.components
        return CheckResult(
            loaded: loaded, diagnostics: kept, suppressed: suppressed, timings: timings,
            durationSeconds: Double(s) + Double(a) / 1e18)
    }
}

/// `fjord.dev/ignore: "FJ2104,FJ2001"` on a resource silences those codes for findings about it
/// (`all` silences every code).
struct Suppressions {
    static let annotation = "fjord.dev/ignore"
    var byResource: [String: Set<String>] = [:]
    let defaultNamespace: String

    init(resources: ResourceSet, defaultNamespace: String) {
        self.defaultNamespace = defaultNamespace
        for (key, meta, _) in resources.allMetadata {
            guard let value = meta.annotations[Self.annotation] else { continue }
            let codes = Set(value.split(separator: ",").map { String($0).filter { !$0.isWhitespace }.uppercased() })
            byResource["\(key.kind.rawValue)/\(key.namespace)/\(key.name)", default: []].formUnion(codes)
        }
    }

    func suppresses(_ d: Diagnostic) -> Bool {
        guard !byResource.isEmpty, let r = d.resource else { return false }
        let kindIsNamespaced = ResourceKind(rawValue: r.kind)?.isNamespaced ?? true
        let ns = r.namespace ?? (kindIsNamespaced ? defaultNamespace : "")
        guard let codes = byResource["\(r.kind)/\(ns)/\(r.name)"] else { return false }
        return codes.contains(d.code.rawValue) || codes.contains("ALL") || codes.contains("*")
    }
}
