import FjordDiagnostics
import FjordFrontend
import FjordModel
import FjordSource
import FjordYAML
import Foundation

/// A suppression: findings of some codes on some resources that are known and accepted, from
/// `.fjord.yaml` (with a reason and an owner) or `--suppress "CODE=Kind name"` (istioctl's form).
public struct SuppressionRule: Sendable, Equatable {
    /// Upper-case codes (`FJ2104`), or `*` for every code.
    public var codes: Set<String>
    /// Globs on the kind, namespace and name; nil matches anything.
    public var kind: String?
    public var namespace: String?
    public var name: String?
    public var reason: String?
    public var owner: String?
    /// Where it was written: `.fjord.yaml:12` or `--suppress`.
    public var origin: String

    public init(
        codes: Set<String>, kind: String? = nil, namespace: String? = nil, name: String? = nil, reason: String? = nil,
        owner: String? = nil, origin: String
    ) {
        self.codes = codes
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.reason = reason
        self.owner = owner
        self.origin = origin
    }

    /// `CODE=Kind name`: the resource is `Kind namespace/name` or istioctl's `Kind name.namespace`,
    /// each part a glob (`FJ2104=VirtualService shop/legacy-*`, `FJ3001=* *.legacy`); `CODE` alone
    /// suppresses the code everywhere; several codes are `FJ2104,FJ2110=...`.
    public static func parse(_ text: String, origin: String) -> Result<SuppressionRule, ParseError> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let codePart: Substring
        let resourcePart: Substring?
        if let eq = trimmed.firstIndex(of: "=") {
            codePart = trimmed[..<eq]
            resourcePart = trimmed[trimmed.index(after: eq)...]
        } else {
            codePart = Substring(trimmed)
            resourcePart = nil
        }
        let codes = DiagnosticCodeList.parse(String(codePart))
        guard !codes.isEmpty else {
            return .failure(ParseError(description: "a suppression is `CODE=Kind name`, found `\(text)`"))
        }
        for c in codes where c != "*" && DiagnosticCatalog.entry(for: DiagnosticCode(c)) == nil {
            return .failure(ParseError(description: "unknown code `\(c)` in suppression `\(text)`"))
        }
        var rule = SuppressionRule(codes: Set(codes), origin: origin)
        if let resourcePart {
            switch parseResource(String(resourcePart)) {
            case .success(let (kind, namespace, name)):
                rule.kind = kind
                rule.namespace = namespace
                rule.name = name
            case .failure(let e): return .failure(e)
            }
        }
        return .success(rule)
    }

    /// `Kind namespace/name`, `Kind name.namespace` or `Kind name` (any namespace).
    public static func parseResource(_ text: String) -> Result<(String?, String?, String?), ParseError> {
        let words = text.split(separator: " ", omittingEmptySubsequences: true)
        guard words.count == 2, let kindWord = words.first, let nameWord = words.last else {
            return .failure(
                ParseError(
                    description:
                        "a suppressed resource is `Kind namespace/name` or `Kind name.namespace`, found `\(text)`"))
        }
        let kind = kindWord == "*" ? nil : String(kindWord)
        let full = String(nameWord)
        if let slash = full.firstIndex(of: "/") {
            let ns = String(full[..<slash])
            let name = String(full[full.index(after: slash)...])
            guard !ns.isEmpty, !name.isEmpty else {
                return .failure(
                    ParseError(description: "a suppressed resource needs a namespace and a name: `\(text)`"))
            }
            return .success((kind, ns == "*" ? nil : ns, name == "*" ? nil : name))
        }
        if let dot = full.lastIndex(of: ".") {
            let name = String(full[..<dot])
            let ns = String(full[full.index(after: dot)...])
            guard !ns.isEmpty, !name.isEmpty else {
                return .failure(
                    ParseError(description: "a suppressed resource needs a namespace and a name: `\(text)`"))
            }
            return .success((kind, ns == "*" ? nil : ns, name == "*" ? nil : name))
        }
        return .success((kind, nil, full == "*" ? nil : full))
    }

    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    /// Whether the rule covers `d` (a finding without a resource is covered only by a rule that
    /// names no resource).
    public func matches(_ d: Diagnostic, defaultNamespace: String) -> Bool {
        guard codes.contains("*") || codes.contains(d.code.rawValue) else { return false }
        if kind == nil && namespace == nil && name == nil { return true }
        guard let r = d.resource else { return false }
        let kindIsNamespaced = ResourceKind(rawValue: r.kind)?.isNamespaced ?? true
        let ns = r.namespace ?? (kindIsNamespaced ? defaultNamespace : "")
        if let kind, !Glob.matchesName(kind, r.kind) { return false }
        if let namespace, !Glob.matchesName(namespace, ns) { return false }
        if let name, !Glob.matchesName(name, r.name) { return false }
        return true
    }

    /// `FJ2104=VirtualService shop/legacy`, as `--show-suppressed` prints the rule.
    public var display: String {
        let codeText = codes.sorted().joined(separator: ",")
        guard kind != nil || namespace != nil || name != nil else { return codeText }
        return "\(codeText)=\(kind ?? "*") \(namespace ?? "*")/\(name ?? "*")"
    }
}

/// Lists of codes as `--disable`, `.fjord.yaml` and the `fjord.dev/ignore` annotation take them:
/// separated by commas and/or blanks, case-insensitive (`FJ2104,FJ2001`, `fj2104 FJ2001`).
public enum DiagnosticCodeList {
    public static func parse(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" || $0 == "\n" }).map { $0.uppercased() }
    }
}

/// Shell-style globs: `*` and `?` within a path segment, `**` for any number of segments, `[...]`.
public enum Glob {
    /// A resource name or kind: `*` matches any run of characters (names have no `/`).
    public static func matchesName(_ pattern: String, _ text: String) -> Bool {
        fnmatch(pattern, text, 0) == 0
    }

    /// A path relative to the configuration file's directory. A pattern without `/` matches a file
    /// name in any directory (`values.yaml`); `dir/` or `dir/**` matches everything below `dir`.
    public static func matchesPath(_ pattern: String, _ path: String) -> Bool {
        var p = pattern
        if p.hasPrefix("./") { p.removeFirst(2) }
        if p.hasSuffix("/") { p += "**" }
        if !p.contains("/") { p = "**/" + p }
        let pat = p.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let segs = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        return match(pat[...], segs[...])
    }

    static func match(_ pat: ArraySlice<String>, _ segs: ArraySlice<String>) -> Bool {
        guard let first = pat.first else { return segs.isEmpty }
        if first == "**" {
            var rest = segs
            while true {
                if match(pat.dropFirst(), rest) { return true }
                guard !rest.isEmpty else { return false }
                rest = rest.dropFirst()
            }
        }
        guard let seg = segs.first, fnmatch(first, seg, 0) == 0 else { return false }
        return match(pat.dropFirst(), segs.dropFirst())
    }
}

/// `.fjord.yaml`: settings for `fjord check` that a repository keeps with its configuration,
/// validated against `grammar/config.yaml` (Schema.configuration).
public struct FjordConfiguration: Sendable {
    public static let fileNames = [".fjord.yaml", ".fjord.yml"]

    /// The file's path, as found or given.
    public var path: String
    /// The directory relative paths in the file (exclude, residencyPolicy) start from.
    public var directory: String
    public var disable: [DiagnosticCode] = []
    public var failOn: Severity?
    public var severity: [DiagnosticCode: Severity] = [:]
    public var exclude: [String] = []
    public var istioVersion: IstioVersion?
    public var residencyPolicy: String?
    public var suppressions: [SuppressionRule] = []
    /// The file, for diagnostics about it.
    public var sources = SourceManager()
    public var diagnostics: [Diagnostic] = []
    public var failed: Bool { diagnostics.contains { $0.severity == .error } }

    /// The nearest `.fjord.yaml` in the directory of the first input path or above it (the
    /// working directory for standard input).
    public static func find(for paths: [String], workingDirectory: String = FileManager.default.currentDirectoryPath)
        -> String?
    {
        let first = paths.first { $0 != "-" }
        var start: URL
        if let first {
            let url = URL(fileURLWithPath: first, relativeTo: URL(fileURLWithPath: workingDirectory, isDirectory: true))
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), isDir.boolValue {
                start = url.standardizedFileURL
            } else {
                start = url.deletingLastPathComponent().standardizedFileURL
            }
        } else {
            start = URL(fileURLWithPath: workingDirectory, isDirectory: true).standardizedFileURL
        }
        for _ in 0..<64 {
            for name in fileNames {
                let candidate = start.appendingPathComponent(name).path
                var isDir: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDir), !isDir.boolValue {
                    // Shown in diagnostics: relative to the working directory when below it.
                    let cwd = URL(fileURLWithPath: workingDirectory).standardizedFileURL.path
                    return candidate.hasPrefix(cwd + "/") ? String(candidate.dropFirst(cwd.count + 1)) : candidate
                }
            }
            let parent = start.deletingLastPathComponent()
            if parent.path == start.path { break }
            start = parent
        }
        return nil
    }

    /// Reads and validates the file; problems are in `diagnostics` (an unreadable file is FJ1008).
    public static func load(path: String, maxFileBytes: Int = 1 << 20) -> FjordConfiguration {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var config = FjordConfiguration(path: path, directory: directory.isEmpty ? "." : directory)
        var diagnostics: [Diagnostic] = []
        guard let data = FileManager.default.contents(atPath: path), data.count <= maxFileBytes else {
            let file = config.sources.add(path: path, bytes: [])
            let at = SourceRange(file: file.id, start: .init(line: 1, column: 1), end: .init(line: 1, column: 1))
            let exists = FileManager.default.fileExists(atPath: path)
            config.diagnostics = [
                Diagnostic(
                    .unreadableInput,
                    "cannot read the configuration file \(quoted(path)): \(exists ? "unreadable or too large" : "no such file")",
                    at: at)
            ]
            return config
        }
        let file = config.sources.add(path: path, bytes: [UInt8](data))
        let docs = YAMLLoader.load(file, diagnostics: { diagnostics.append($0) })
        guard !diagnostics.contains(where: { $0.severity == .error }) else {
            config.diagnostics = diagnostics
            return config
        }
        guard let root = docs.first?.root, !root.isNull else {
            config.diagnostics = diagnostics
            return config
        }
        let schemaErrors = Schema.configuration.validate(root, asType: "FjordConfig", emit: { diagnostics.append($0) })
        guard schemaErrors == 0, root.mapping != nil else {
            config.diagnostics = diagnostics
            return config
        }
        let origin = URL(fileURLWithPath: path).lastPathComponent
        func invalid(_ message: String, _ node: YAMLNode) {
            diagnostics.append(Diagnostic(.invalidValue, message, at: node.range))
        }
        for node in root["disable"]?.sequence ?? [] {
            for code in DiagnosticCodeList.parse(node.text ?? "") {
                if DiagnosticCode.isWellFormed(code), DiagnosticCatalog.entry(for: DiagnosticCode(code)) != nil {
                    config.disable.append(DiagnosticCode(code))
                } else {
                    invalid("`disable` takes known codes such as `FJ2104`, found \(quoted(code))", node)
                }
            }
        }
        if let f = root["failOn"]?.text { config.failOn = Severity(name: f) }
        for pair in root["severity"]?.mapping ?? [] {
            let code = (pair.key.text ?? "").uppercased()
            guard DiagnosticCode.isWellFormed(code), DiagnosticCatalog.entry(for: DiagnosticCode(code)) != nil else {
                invalid("`severity` takes known codes such as `FJ2104`, found \(quoted(pair.key.text ?? ""))", pair.key)
                continue
            }
            if let s = pair.value.text.flatMap(Severity.init(name:)) { config.severity[DiagnosticCode(code)] = s }
        }
        config.exclude = (root["exclude"]?.sequence ?? []).compactMap(\.text)
        if let v = root["istioVersion"] {
            if let parsed = v.text.flatMap(IstioVersion.init) {
                config.istioVersion = parsed
            } else {
                invalid("`istioVersion` must look like `\"1.22\"`, found \(quoted(v.text ?? ""))", v)
            }
        }
        if let p = root["residencyPolicy"]?.text, !p.isEmpty {
            // Relative to the file, and written as the file's path is (relative stays relative).
            let base = (path as NSString).deletingLastPathComponent
            config.residencyPolicy = p.hasPrefix("/") || base.isEmpty ? p : base + "/" + p
        }
        for node in root["suppress"]?.sequence ?? [] {
            let line = node.range.start.line
            let codeText = node["code"]?.text ?? ""
            let resource = node["resource"]?.text
            let text = resource.map { "\(codeText)=\($0)" } ?? codeText
            switch SuppressionRule.parse(text, origin: "\(origin):\(line)") {
            case .success(var rule):
                rule.reason = node["reason"]?.text
                rule.owner = node["owner"]?.text
                config.suppressions.append(rule)
            case .failure(let e):
                invalid(e.description, node["resource"] ?? node["code"] ?? node)
            }
        }
        config.diagnostics = diagnostics
        return config
    }

    /// Whether an input file is excluded (paths relative to the configuration's directory).
    public func excludes(_ path: String) -> Bool {
        guard !exclude.isEmpty, path != "<stdin>" else { return false }
        let base = URL(fileURLWithPath: directory).standardizedFileURL.path
        let full = URL(fileURLWithPath: path).standardizedFileURL.path
        let relative: String
        if full.hasPrefix(base + "/") {
            relative = String(full.dropFirst(base.count + 1))
        } else {
            relative = path
        }
        return exclude.contains { Glob.matchesPath($0, relative) }
    }
}
