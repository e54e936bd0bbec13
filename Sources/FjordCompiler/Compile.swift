import FjordDecision
import FjordDiagnostics
import FjordModel
import FjordSource
import FjordTable
import FjordYAML

/// The result of `fjord compile`.
public struct CompileResult: Sendable {
    public var loaded: LoadedMesh
    public var program: TableProgram
    public var image: [UInt8]
    public var diagnostics: [Diagnostic]
    public var statistics: MeshCompiler.Statistics
    public var timings: [StageTiming]
}

extension Driver {
    /// `fjord compile`: load, check, and compile the routing of every proxy scope (or `scopes`)
    /// into a table image.
    public mutating func compile(paths: [String], scopes: [ProxyScope]? = nil) -> CompileResult {
        compile(checked: check(paths: paths), scopes: scopes)
    }

    /// `fjord compile` on inputs already read.
    public mutating func compile(inputs: InputSet, scopes: [ProxyScope]? = nil) -> CompileResult {
        compile(checked: check(inputs: inputs), scopes: scopes)
    }

    private mutating func compile(checked: CheckResult, scopes: [ProxyScope]?) -> CompileResult {
        var diagnostics = checked.diagnostics
        var compiler = MeshCompiler(mesh: checked.loaded.mesh)
        compiler.options.scopes = scopes
        let (program, image) = stageResult("compile") { () -> (TableProgram, [UInt8]) in
            let p = compiler.compile()
            return (p, TableImage.write(p))
        }
        for note in compiler.notes {
            let vs = note.virtualService.flatMap { id in
                checked.loaded.resources.virtualServices.first { $0.key.qualifiedName == id }
            }
            let at = vs?.nameRange ?? .synthetic
            let ref = vs.map { ResourceRef(kind: "VirtualService", namespace: $0.namespace, name: $0.name) }
            diagnostics.append(
                Diagnostic(
                    note.severity == "error" ? .uncompilableRoutes : .splitAutomaton, note.message, at: at,
                    resource: ref))
        }
        diagnostics.sort(by: Diagnostic.sourceOrder)
        return CompileResult(
            loaded: checked.loaded, program: program, image: image, diagnostics: diagnostics,
            statistics: compiler.statistics, timings: timings)
    }

    private mutating func stageResult<T>(_ name: String, _ body: () -> T) -> T {
        let clock = ContinuousClock()
        let start = clock.now
        let r = body()
        let (s, a) = (clock.now - start).components
        appendTiming(StageTiming(name: name, seconds: Double(s) + Double(a) / 1e18))
        return r
    }
}

/// Resolving `--workload ns/name` and `--gateway ns/name`.
public enum ScopeResolution {
    public static func scope(workload: String?, gateway: String?, in mesh: Mesh) -> Result<ProxyScope, ScopeError> {
        if let w = workload {
            guard let wl = mesh.workload(w) else {
                let names = mesh.workloads.map(\.id).sorted()
                return .failure(ScopeError(message: "no workload \(quoted(w)) in the inputs", candidates: names))
            }
            guard wl.membership.hasSidecar else {
                return .failure(
                    ScopeError(
                        message:
                            "workload \(quoted(w)) has no sidecar (\(wl.membership.reason)), so no routing table applies to it",
                        candidates: []))
            }
            return .success(.sidecar(w))
        }
        if let g = gateway {
            guard mesh.resources.gateways.contains(where: { $0.key.qualifiedName == g }) else {
                return .failure(
                    ScopeError(
                        message: "no Gateway \(quoted(g)) in the inputs",
                        candidates: mesh.resources.gateways.map { $0.key.qualifiedName }.sorted()))
            }
            return .success(.gateway(g))
        }
        return .failure(
            ScopeError(
                message: "name the proxy with --workload namespace/name or --gateway namespace/name", candidates: []))
    }

    public struct ScopeError: Error, CustomStringConvertible {
        public var message: String
        public var candidates: [String]
        public var description: String {
            guard !candidates.isEmpty else { return message }
            let shown = candidates.prefix(8).map { "`\($0)`" }.joined(separator: ", ")
            return message + "; known: " + shown + (candidates.count > 8 ? ", ..." : "")
        }
    }
}
