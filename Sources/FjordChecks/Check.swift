import FjordDiagnostics
import FjordModel
import FjordSource

/// An Istio release, for checks whose verdict depends on it (`--istio-version 1.14`).
public struct IstioVersion: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var major: Int
    public var minor: Int
    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }
    /// Parses `1.14`, `1.14.3` or `v1.14`.
    public init?(_ text: String) {
        var t = Substring(text)
        if t.hasPrefix("v") { t = t.dropFirst() }
        let parts = t.split(separator: ".")
        guard parts.count >= 2, let major = Int(parts[0]), let minor = Int(parts[1]), major >= 1, minor >= 0 else {
            return nil
        }
        self.init(major: major, minor: minor)
    }
    /// The newest release Fjord knows the semantics of.
    public static let latest = IstioVersion(major: 1, minor: 28)
    public static func < (a: IstioVersion, b: IstioVersion) -> Bool { (a.major, a.minor) < (b.major, b.minor) }
    public var description: String { "\(major).\(minor)" }
}

/// Options that change what checks report.
public struct CheckOptions: Sendable {
    public var istioVersion: IstioVersion = .latest
    /// Codes not to run (`--disable FJ2104`).
    public var disabled: Set<DiagnosticCode> = []
    /// Calls observed in the running mesh (`--traffic FILE`): evidence of who calls whom.
    public var observedCalls: [ObservedCall] = []
    public init() {}
}

/// What a check declares about itself: the registry, `fjord checks` and the docs use it.
public struct CheckMetadata: Sendable {
    /// Kebab-case identifier (`duplicate-subset`).
    public var name: String
    /// The codes the check may emit.
    public var codes: [DiagnosticCode]
    /// One line, lowercase.
    public var summary: String
    /// The resource kinds the check reads.
    public var inputs: [ResourceKind]
    public init(name: String, codes: [DiagnosticCode], summary: String, inputs: [ResourceKind]) {
        self.name = name
        self.codes = codes
        self.summary = summary
        self.inputs = inputs
    }
}

/// One unit of analysis. Checks are stateless; they read the mesh and report.
public protocol MeshCheck {
    static var metadata: CheckMetadata { get }
    static func run(_ context: CheckContext)
}

/// What a check sees, and where it reports.
public struct CheckContext {
    public let mesh: Mesh
    public let options: CheckOptions
    private let emit: DiagnosticConsumer

    public init(mesh: Mesh, options: CheckOptions, emit: @escaping DiagnosticConsumer) {
        self.mesh = mesh
        self.options = options
        self.emit = emit
    }

    public var resources: ResourceSet { mesh.resources }

    public func report(_ d: Diagnostic) {
        guard !options.disabled.contains(d.code) else { return }
        emit(d)
    }

    /// Reports a finding about `resource`, at `range` (the resource's name when synthetic).
    public func report(
        _ code: DiagnosticCode, severity: Severity? = nil, _ message: String, at range: SourceRange,
        in resource: some MeshResource,
        notes: [Note] = [], fix: FixIt? = nil, witness: Witness? = nil
    ) {
        let r = range.isSynthetic ? resource.nameRange : range
        report(
            Diagnostic(
                code, severity: severity, message, at: r, resource: ref(resource), notes: notes, fix: fix,
                witness: witness))
    }

    public func ref(_ r: some MeshResource) -> ResourceRef {
        ResourceRef(kind: type(of: r).kind.rawValue, namespace: r.namespace.isEmpty ? nil : r.namespace, name: r.name)
    }
}

/// Runs checks over a mesh.
public enum CheckRunner {
    /// Runs the checks; returns how long each took, in seconds, by check name.
    @discardableResult
    public static func run(
        _ checks: [any MeshCheck.Type] = CheckRegistry.all, mesh: Mesh, options: CheckOptions,
        emit: @escaping DiagnosticConsumer
    ) -> [(name: String, seconds: Double)] {
        let context = CheckContext(mesh: mesh, options: options, emit: emit)
        let clock = ContinuousClock()
        var timings: [(String, Double)] = []
        for check in checks where !check.metadata.codes.allSatisfy(options.disabled.contains) {
            let start = clock.now
            check.run(context)
            let (s, a) = (clock.now - start).components
            timings.append((check.metadata.name, Double(s) + Double(a) / 1e18))
        }
        return timings
    }
}
