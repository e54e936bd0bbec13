import FjordSource

/// How serious a finding is. Ordered: `info < warning < error`.
public enum Severity: Int, Comparable, Sendable, CaseIterable, CustomStringConvertible {
    case info = 0
    case warning = 1
    case error = 2

    public static func < (a: Severity, b: Severity) -> Bool { a.rawValue < b.rawValue }

    public var description: String {
        switch self {
        case .info: "info"
        case .warning: "warning"
        case .error: "error"
        }
    }

    public init?(name: String) {
        switch name.lowercased() {
        case "info", "note": self = .info
        case "warning", "warn": self = .warning
        case "error": self = .error
        default: return nil
        }
    }
}

/// A stable diagnostic code: `FJ` and four digits. Codes are never reused.
public struct DiagnosticCode: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public static func < (a: DiagnosticCode, b: DiagnosticCode) -> Bool { a.rawValue < b.rawValue }
    public var description: String { rawValue }

    /// Whether `text` has the shape of a code (`FJ` followed by four digits).
    public static func isWellFormed(_ text: String) -> Bool {
        let u = Array(text.utf8)
        return u.count == 6 && u[0] == UInt8(ascii: "F") && u[1] == UInt8(ascii: "J")
            && u[2...].allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}

/// The resource a finding is about, rendered `Kind namespace/name`.
public struct ResourceRef: Hashable, Sendable, CustomStringConvertible {
    public var kind: String
    public var namespace: String?
    public var name: String

    public init(kind: String, namespace: String?, name: String) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
    }

    public var qualifiedName: String {
        if let namespace, !namespace.isEmpty { return "\(namespace)/\(name)" }
        return name
    }

    public var description: String { "\(kind) \(qualifiedName)" }
}

/// Extra detail attached to a diagnostic, with its own position when it points somewhere.
public struct Note: Hashable, Sendable {
    public var message: String
    public var range: SourceRange?

    public init(_ message: String, at range: SourceRange? = nil) {
        self.message = message
        self.range = range.flatMap { $0.isSynthetic ? nil : $0 }
    }
}

/// A suggested edit: replace the text at `range` with `replacement`, or insert it.
public struct FixIt: Hashable, Sendable {
    public var message: String
    public var replacement: String?
    public var range: SourceRange?

    public init(_ message: String, replacement: String? = nil, at range: SourceRange? = nil) {
        self.message = message
        self.replacement = replacement
        self.range = range
    }
}

/// A concrete request that demonstrates a finding.
public struct WitnessRequest: Hashable, Sendable {
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var port: Int?
    public var source: String?

    public init(
        method: String, url: String, headers: [(name: String, value: String)] = [], port: Int? = nil,
        source: String? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.port = port
        self.source = source
    }

    public static func == (a: WitnessRequest, b: WitnessRequest) -> Bool {
        a.method == b.method && a.url == b.url && a.port == b.port && a.source == b.source
            && a.headers.elementsEqual(b.headers, by: { $0.name == $1.name && $0.value == $1.value })
    }

    public func hash(into h: inout Hasher) {
        h.combine(method)
        h.combine(url)
        h.combine(port)
        for (n, v) in headers {
            h.combine(n)
            h.combine(v)
        }
    }

    /// `GET http://host/path  x-user: alice`
    public var rendered: String {
        var s = "\(method) \(url)"
        for (n, v) in headers { s += "  \(n): \(v)" }
        return s
    }
}

/// The evidence behind a semantic finding: a concrete request with where it goes, or a traffic path.
public struct Witness: Hashable, Sendable {
    public enum Kind: String, Sendable { case request, path }
    public var kind: Kind
    public var request: WitnessRequest?
    /// For a request: the outcome (`rule debug -> payment-service v2`). For a path: one entry a hop.
    public var steps: [String]

    public static func request(_ r: WitnessRequest, outcome: [String]) -> Witness {
        Witness(kind: .request, request: r, steps: outcome)
    }

    public static func path(_ steps: [String]) -> Witness {
        Witness(kind: .path, request: nil, steps: steps)
    }

    public var rendered: String {
        switch kind {
        case .request:
            let r = request?.rendered ?? ""
            return steps.isEmpty ? r : r + "  ->  " + steps.joined(separator: " -> ")
        case .path:
            return steps.joined(separator: " -> ")
        }
    }
}

/// One finding. See DESIGN.md, "Diagnostics contract".
public struct Diagnostic: Hashable, Sendable {
    public var code: DiagnosticCode
    public var severity: Severity
    /// Lowercase, no trailing period, user input in backticks.
    public var message: String
    public var range: SourceRange
    public var resource: ResourceRef?
    public var notes: [Note]
    public var fix: FixIt?
    public var witness: Witness?

    public init(
        _ code: DiagnosticCode,
        severity: Severity? = nil,
        _ message: String,
        at range: SourceRange,
        resource: ResourceRef? = nil,
        notes: [Note] = [],
        fix: FixIt? = nil,
        witness: Witness? = nil
    ) {
        self.code = code
        self.severity = severity ?? DiagnosticCatalog.entry(for: code)?.severity ?? .error
        self.message = message
        self.range = range
        self.resource = resource
        self.notes = notes
        self.fix = fix
        self.witness = witness
    }
}

extension Diagnostic {
    /// Orders diagnostics by file, position, then code: the order every renderer prints.
    public static func sourceOrder(_ a: Diagnostic, _ b: Diagnostic) -> Bool {
        if a.range.file != b.range.file { return a.range.file < b.range.file }
        if a.range.start != b.range.start { return a.range.start < b.range.start }
        if a.code != b.code { return a.code < b.code }
        return a.message < b.message
    }
}

/// Receives diagnostics as they are produced. Library code never prints; it hands findings here.
public typealias DiagnosticConsumer = (Diagnostic) -> Void

/// Backticks user input for a message: `` `name` ``. Backticks inside are replaced by `'`.
public func quoted(_ s: String) -> String {
    "`" + s.replacingBackticks() + "`"
}

extension String {
    fileprivate func replacingBackticks() -> String {
        guard contains("`") else { return self }
        return String(map { $0 == "`" ? "'" : $0 })
    }
}
