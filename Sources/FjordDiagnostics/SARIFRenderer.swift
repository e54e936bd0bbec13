import FjordSource

/// Renders a SARIF 2.1.0 log that GitHub code scanning accepts (`github/codeql-action/upload-sarif`).
///
/// One run; `tool.driver.rules` holds one rule per code that occurs (sorted by code) with its
/// catalog name, summary, documentation link and default level. Each result has a `ruleId` and
/// `ruleIndex`, a `level` (`error`, `warning`, `note` for info), the message (with notes that have
/// no position, the fix and the witness on further lines), a location relative to `%SRCROOT%`,
/// related locations for notes with positions, a SARIF `fixes` entry for a fix with a range and
/// replacement, and a `partialFingerprints` entry that hashes code, resource and message (not the
/// line) so that an alert follows its finding when lines move. Columns count Unicode scalars
/// (`columnKind: unicodeCodePoints`). Results without a source position have no `locations`.
public struct SARIFRenderer: DiagnosticRenderer {
    /// `$schema` of the log.
    public static let schemaURI = "https://json.schemastore.org/sarif-2.1.0.json"
    /// The `partialFingerprints` key that holds Fjord's fingerprint.
    public static let fingerprintKey = "fjordFingerprint/v1"

    /// The settings this renderer reads.
    public var options: RenderOptions

    /// A renderer with `options` (the defaults suit a pipe).
    public init(options: RenderOptions = RenderOptions()) {
        self.options = options
    }

    /// Renders `diagnostics` in the order given; see the type's documentation for the shape.
    public func render(_ diagnostics: [Diagnostic], sources: SourceManager, summary: RunSummary) -> String {
        let codes = Set(diagnostics.map(\.code)).sorted()
        var ruleIndex: [DiagnosticCode: Int] = [:]
        for (i, code) in codes.enumerated() { ruleIndex[code] = i }
        let rules = codes.map { code in
            rule(code, fallbackSeverity: diagnostics.first(where: { $0.code == code })?.severity ?? .error)
        }

        var seenFingerprints: [String: Int] = [:]
        var results: [JSONValue] = []
        for d in diagnostics {
            var fingerprint = Self.fingerprint(d, sources: sources)
            let occurrence = seenFingerprints[fingerprint, default: 0] + 1
            seenFingerprints[fingerprint] = occurrence
            if occurrence > 1 { fingerprint += ":\(occurrence)" }
            results.append(result(d, ruleIndex: ruleIndex[d.code] ?? 0, fingerprint: fingerprint, sources: sources))
        }

        var driver: [(String, JSONValue)] = [
            ("name", .string("fjord")),
            ("informationUri", .string(options.informationURI)),
            ("version", .string(options.toolVersion)),
        ]
        if Self.isSemanticVersion(options.toolVersion) {
            driver.append(("semanticVersion", .string(options.toolVersion)))
        }
        driver.append(("rules", .array(rules)))

        var run: [(String, JSONValue)] = [("tool", .object([("driver", .object(driver))]))]
        if let root = options.sourceRoot, root.hasPrefix("/") {
            var uri = "file://" + Self.percentEncoded(root)
            if !uri.hasSuffix("/") { uri += "/" }
            run.append(("originalUriBaseIds", .object([("%SRCROOT%", .object([("uri", .string(uri))]))])))
        }
        run.append(("columnKind", .string("unicodeCodePoints")))
        run.append(("results", .array(results)))

        let log = JSONValue.object([
            ("$schema", .string(Self.schemaURI)),
            ("version", .string("2.1.0")),
            ("runs", .array([.object(run)])),
        ])
        return log.written() + "\n"
    }

    private func rule(_ code: DiagnosticCode, fallbackSeverity: Severity) -> JSONValue {
        guard let entry = DiagnosticCatalog.entry(for: code) else {
            return .object([
                ("id", .string(code.rawValue)),
                ("shortDescription", .object([("text", .string(code.rawValue))])),
                ("defaultConfiguration", .object([("level", .string(Self.level(fallbackSeverity)))])),
            ])
        }
        let helpURI = DiagnosticCatalog.docsBaseURL + entry.docsPath
        return .object([
            ("id", .string(code.rawValue)),
            ("name", .string(entry.name)),
            ("shortDescription", .object([("text", .string(entry.summary))])),
            ("helpUri", .string(helpURI)),
            ("help", .object([("text", .string("\(entry.summary); see \(helpURI)"))])),
            ("defaultConfiguration", .object([("level", .string(Self.level(entry.severity)))])),
        ])
    }

    private func result(_ d: Diagnostic, ruleIndex: Int, fingerprint: String, sources: SourceManager) -> JSONValue {
        var text = d.message
        var related: [JSONValue] = []
        for note in d.notes {
            if let r = note.range, let location = physicalLocation(r, sources: sources) {
                related.append(
                    .object([
                        ("id", .int(related.count + 1)),
                        ("physicalLocation", location),
                        ("message", .object([("text", .string(note.message))])),
                    ]))
            } else {
                text += "\nnote: " + note.message
            }
        }
        if let fix = d.fix { text += "\nhelp: " + TextRenderer.fixLines(fix).joined(separator: "\n") }
        if let witness = d.witness { text += "\n\(witness.kind == .path ? "path" : "witness"): " + witness.rendered }

        var members: [(String, JSONValue)] = [
            ("ruleId", .string(d.code.rawValue)),
            ("ruleIndex", .int(ruleIndex)),
            ("level", .string(Self.level(d.severity))),
            ("message", .object([("text", .string(text))])),
        ]
        if let location = physicalLocation(d.range, sources: sources) {
            members.append(("locations", .array([.object([("physicalLocation", location)])])))
        }
        if !related.isEmpty { members.append(("relatedLocations", .array(related))) }
        if let fix = d.fix, let replacement = fix.replacement, let r = fix.range,
            let location = artifactLocation(r, sources: sources)
        {
            let change = JSONValue.object([
                ("artifactLocation", location),
                (
                    "replacements",
                    .array([
                        .object([
                            ("deletedRegion", Self.region(r)),
                            ("insertedContent", .object([("text", .string(replacement))])),
                        ])
                    ])
                ),
            ])
            members.append(
                (
                    "fixes",
                    .array([
                        .object([
                            ("description", .object([("text", .string(fix.message))])),
                            ("artifactChanges", .array([change])),
                        ])
                    ])
                ))
        }
        members.append(("partialFingerprints", .object([(Self.fingerprintKey, .string(fingerprint))])))
        if let resource = d.resource {
            members.append(("properties", .object([("resource", JSONRenderer.resource(resource))])))
        }
        return .object(members)
    }

    private func artifactLocation(_ r: SourceRange, sources: SourceManager) -> JSONValue? {
        guard !r.isSynthetic, let file = sources[r.file] else { return nil }
        let path = options.repositoryPath(file.path)
        if path.hasPrefix("/") {
            return .object([("uri", .string("file://" + Self.percentEncoded(path)))])
        }
        return .object([("uri", .string(Self.percentEncoded(path))), ("uriBaseId", .string("%SRCROOT%"))])
    }

    private func physicalLocation(_ r: SourceRange, sources: SourceManager) -> JSONValue? {
        guard let artifact = artifactLocation(r, sources: sources) else { return nil }
        return .object([("artifactLocation", artifact), ("region", Self.region(r))])
    }

    static func region(_ r: SourceRange) -> JSONValue {
        let startLine = max(1, r.start.line)
        let startColumn = max(1, r.start.column)
        let endLine = max(startLine, r.end.line)
        let endColumn = endLine == startLine ? max(startColumn, r.end.column) : max(1, r.end.column)
        return .object([
            ("startLine", .int(startLine)),
            ("startColumn", .int(startColumn)),
            ("endLine", .int(endLine)),
            ("endColumn", .int(endColumn)),
        ])
    }

    static func level(_ s: Severity) -> String {
        switch s {
        case .error: "error"
        case .warning: "warning"
        case .info: "note"
        }
    }

    /// A stable 64-bit FNV-1a hash (16 hex digits) of the code, the resource and the message;
    /// the file path stands in for a missing resource. Line numbers take no part.
    static func fingerprint(_ d: Diagnostic, sources: SourceManager) -> String {
        var fields = [d.code.rawValue]
        if let r = d.resource {
            fields += [r.kind, r.namespace ?? "", r.name]
        } else {
            fields += ["", "", d.range.isSynthetic ? "" : sources.path(of: d.range.file)]
        }
        fields.append(d.message)
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for field in fields {
            // Each field ends with a zero byte, so `ab`+`c` and `a`+`bc` differ.
            for byte in field.utf8 + [0] {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01B3
            }
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// Percent-encodes everything but unreserved characters and `/` (UTF-8 bytes for non-ASCII).
    static func percentEncoded(_ path: String) -> String {
        let hex = Array("0123456789ABCDEF")
        var out = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.append(Character(Unicode.Scalar(byte)))
            default:
                out += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0xF)])
            }
        }
        return out
    }

    /// `1.2.3` with optional `-pre` / `+build` parts (SARIF's `semanticVersion`).
    static func isSemanticVersion(_ s: String) -> Bool {
        let core = s.prefix(while: { $0 != "-" && $0 != "+" })
        let parts = core.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 3
            && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
    }
}
