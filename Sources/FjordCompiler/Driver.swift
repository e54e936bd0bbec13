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
    /// `.fjord.yaml`, loaded: its problems are reported with the inputs', its `exclude` globs
    /// leave input files out and its residency policy is read as one more input.
    public var configuration: FjordConfiguration?
    /// Suppressions from the command line (`--suppress`), besides the configuration's.
    public var suppressions: [SuppressionRule] = []
    /// Per-code severities (the configuration's `severity`), applied before `failOn`.
    public var severityOverrides: [DiagnosticCode: Severity] = [:]
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
    /// The suppressed findings, in source order, with the rule that silenced each (nil for the
    /// `fjord.dev/ignore` annotation).
    public var suppressedDiagnostics: [(diagnostic: Diagnostic, rule: SuppressionRule?)] = []
    /// True when `--max-errors` stopped the collection of errors.
    public var truncated = false
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
        let options = self.options
        var paths = paths
        if let policy = options.configuration?.residencyPolicy { paths.append(policy) }
        var inputs = stage("read") { InputDiscovery.read(paths, maxFileBytes: options.limits.maxFileBytes) }
        if let config = options.configuration, !config.exclude.isEmpty {
            inputs.files.removeAll { config.excludes($0.path) }
        }
        return load(inputs: inputs, emit: emit)
    }

    /// Parses, decodes and resolves inputs already read (in memory: the fuzz targets' entry).
    public mutating func load(inputs: InputSet, emit: @escaping DiagnosticConsumer) -> LoadedMesh {
        var inputs = inputs
        var sources = options.configuration?.sources ?? SourceManager()
        var inputFailed = false
        let options = self.options
        if let config = options.configuration {
            for d in config.diagnostics { emit(d) }
            if config.failed { inputFailed = true }
        }
        for e in inputs.errors {
            inputFailed = true
            let file = sources.add(path: e.path, bytes: [])
            let at = SourceRange(file: file.id, start: .init(line: 1, column: 1), end: .init(line: 1, column: 1))
            let code: DiagnosticCode = e.message.contains("over the limit") ? .inputLimit : .unreadableInput
            emit(Diagnostic(code, "cannot read \(quoted(e.path)): \(e.message)", at: at))
        }
        // Sources that need rendering first (Helm charts and templates, kustomize directories):
        // one warning each, and their files are left out.
        let fileCount = inputs.files.count
        var renderSkipped = Set<String>()
        for skip in UnrenderedInputs.find(in: inputs.files) {
            let file = sources.add(path: skip.reportedFile.path, bytes: skip.reportedFile.bytes)
            let at = skip.range(in: file)
            emit(
                Diagnostic(
                    .unrenderedInput,
                    "\(quoted(skip.displayPath)) is \(skip.what): check its output with `\(skip.command) | fjord check -`",
                    at: at,
                    notes: skip.skippedFiles > 1
                        ? [Note("its \(skip.skippedFiles) files are not read; fjord checks rendered manifests")] : []))
            renderSkipped.insert(skip.reportedFile.path)
            let skipped = Set(skip.paths)
            inputs.files.removeAll { skipped.contains($0.path) }
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
        // Documents that are there but are no valid resource (a list, no name) are findings,
        // whether or not the file holds other resources: they never make "no resources found".
        var decodeErrors = 0
        stage("decode") {
            decoder.decode(
                loaded.documents, into: &resources,
                emit: { d in
                    if d.severity == .error { decodeErrors += 1 }
                    emit(d)
                })
            Decoder.removeDuplicates(in: &resources, emit: emit)
        }
        // Files that held nothing at all.
        var filesWithDocuments = Set<FileID>()
        for d in loaded.documents where d.root.map({ !$0.isNull }) ?? false { filesWithDocuments.insert(d.file) }
        let failed = Set(loaded.failedFiles)
        for file in sources.files where !file.bytes.isEmpty || inputs.files.contains(where: { $0.path == file.path }) {
            guard !filesWithDocuments.contains(file.id), !failed.contains(file.id), !renderSkipped.contains(file.path),
                file.path != options.configuration?.path,
                !inputs.errors.contains(where: { $0.path == file.path })
            else { continue }
            let at = SourceRange(file: file.id, start: .init(line: 1, column: 1), end: .init(line: 1, column: 1))
            emit(Diagnostic(.emptyInput, severity: .warning, "\(quoted(file.path)) holds no YAML documents", at: at))
        }
        // Only when there was nothing Kubernetes-shaped at all: a file of kinds Fjord skips
        // (Gateway API routes, cert-manager certificates, ...) is valid input, already listed as
        // FJ1007 infos.
        if resources.count == 0, resources.skipped == 0, decodeErrors == 0, !inputFailed, !renderSkipped.isEmpty {
            // Everything was a chart, template or kustomization: FJ1041 said so; nothing was checked.
            inputFailed = true
        } else if resources.count == 0, resources.skipped == 0, decodeErrors == 0, !inputFailed {
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
            sources: sources, resources: resources, mesh: mesh, fileCount: fileCount, inputFailed: inputFailed)
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
        let rules = (options.configuration?.suppressions ?? []) + options.suppressions
        var kept: [Diagnostic] = []
        var silenced: [(diagnostic: Diagnostic, rule: SuppressionRule?)] = []
        // `--disable` silences front-end codes too (checks already skip disabled codes).
        for var d in collector.diagnostics where !options.checks.disabled.contains(d.code) {
            if let s = options.severityOverrides[d.code] { d.severity = s }
            if suppressions.suppresses(d) {
                silenced.append((d, nil))
            } else if let rule = rules.first(where: {
                $0.matches(d, defaultNamespace: options.frontend.defaultNamespace)
            }
            ) {
                silenced.append((d, rule))
            } else {
                kept.append(d)
            }
        }
        kept.sort(by: Diagnostic.sourceOrder)
        silenced.sort { Diagnostic.sourceOrder($0.diagnostic, $1.diagnostic) }
        let total = clock.now - start
        let (s, a) = total.components
        var result = CheckResult(
            loaded: loaded, diagnostics: kept, suppressed: silenced.count, timings: timings,
            durationSeconds: Double(s) + Double(a) / 1e18)
        result.suppressedDiagnostics = silenced
        result.truncated = collector.truncated
        return result
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
            let codes = Set(DiagnosticCodeList.parse(value))
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
