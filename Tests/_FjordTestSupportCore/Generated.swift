import FjordDiagnostics
import FjordSource
import FjordYAML

/// Produces the Swift sources derived from `grammar/`. Tests compare them with the committed
/// files; `make generate` writes them.
public enum GeneratedSources {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    static func swiftString(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }

    static func camelCase(_ kebab: String) -> String {
        let parts = kebab.split(separator: "-")
        guard let first = parts.first else { return kebab }
        return String(first) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// `Sources/FjordDiagnostics/Catalog.generated.swift` from `grammar/diagnostics.yaml`.
    public static func catalog(from grammar: String) throws -> String {
        var sources = SourceManager()
        let file = sources.add(path: "grammar/diagnostics.yaml", bytes: Array(grammar.utf8))
        var problems: [String] = []
        let docs = YAMLLoader.load(file, diagnostics: { problems.append("\($0.range.start): \($0.message)") })
        guard problems.isEmpty, let codes = docs.first?.root?["codes"]?.sequence else {
            throw Failure(description: "grammar/diagnostics.yaml: " + (problems.first ?? "missing `codes`"))
        }
        var entries = ""
        var constants = ""
        for c in codes {
            guard let code = c["code"]?.text, let name = c["name"]?.text, let severity = c["severity"]?.text,
                let summary = c["summary"]?.text, let message = c["message"]?.text
            else {
                throw Failure(
                    description:
                        "grammar/diagnostics.yaml:\(c.range.start): an entry needs code, name, severity, summary and message"
                )
            }
            let retired = c["retired"]?.text == "true"
            entries +=
                "        CatalogEntry(code: DiagnosticCode(\"\(code)\"), name: \(swiftString(name)), severity: .\(severity), "
                + "summary: \(swiftString(summary)), message: \(swiftString(message))\(retired ? ", retired: true" : "")),\n"
            constants +=
                "    /// \(code): \(summary)\n    public static let \(camelCase(name)) = DiagnosticCode(\"\(code)\")\n"
        }
        return """
            // swift-format-ignore-file
            // Generated from grammar/diagnostics.yaml by `make generate`. Do not edit.

            extension DiagnosticCatalog {
                public static let entries: [CatalogEntry] = [
            \(entries)    ]
            }

            extension DiagnosticCode {
            \(constants)}

            """
    }

    /// `Sources/FjordModel/RegionCatalog.generated.swift` from `data/regions.yaml`.
    public static func regionCatalog(from data: String) throws -> String {
        var sources = SourceManager()
        let file = sources.add(path: "data/regions.yaml", bytes: Array(data.utf8))
        var problems: [String] = []
        let docs = YAMLLoader.load(file, diagnostics: { problems.append("\($0.range.start): \($0.message)") })
        guard problems.isEmpty, let root = docs.first?.root else {
            throw Failure(description: "data/regions.yaml: " + (problems.first ?? "empty"))
        }
        func need(_ n: YAMLNode, _ key: String) throws -> String {
            guard let t = n[key]?.text, !t.isEmpty else {
                throw Failure(description: "data/regions.yaml:\(n.range.start): an entry needs `\(key)`")
            }
            return t
        }
        func opt(_ n: YAMLNode, _ key: String) -> String {
            n[key]?.text.map(swiftString) ?? "nil"
        }
        guard let version = root["version"]?.text, let asOf = root["asOf"]?.text,
            let providers = root["providers"]?.sequence, let regions = root["regions"]?.sequence,
            let zones = root["localZones"]?.sequence, let jurisdictions = root["jurisdictions"]?.sequence
        else {
            throw Failure(
                description: "data/regions.yaml needs version, asOf, providers, regions, localZones and jurisdictions")
        }
        let providerIDs = try providers.map { try need($0, "id") }
        var out = """
            // swift-format-ignore-file
            // Generated from data/regions.yaml by `make generate`. Do not edit.

            extension RegionCatalog {
                /// The catalog Fjord ships (data/regions.yaml).
                public static let builtIn = RegionCatalog(
                    version: \(version), asOf: \(swiftString(asOf)),
                    providers: builtInProviders, regions: builtInRegions, localZones: builtInLocalZones,
                    jurisdictions: builtInJurisdictions)

                static let builtInProviders: [Provider] = [

            """
        for p in providers {
            out +=
                "        Provider(id: \(swiftString(try need(p, "id"))), name: \(swiftString(try need(p, "name")))),\n"
        }
        out += "    ]\n\n    static let builtInRegions: [Region] = [\n"
        var names = Set<String>()
        for r in regions {
            let provider = try need(r, "provider")
            let name = try need(r, "name")
            guard providerIDs.contains(provider) else {
                throw Failure(description: "data/regions.yaml:\(r.range.start): unknown provider `\(provider)`")
            }
            guard names.insert(name).inserted else {
                throw Failure(description: "data/regions.yaml:\(r.range.start): region `\(name)` is listed twice")
            }
            out +=
                "        Region(provider: \(swiftString(provider)), name: \(swiftString(name)), city: \(opt(r, "city")), "
                + "country: \(swiftString(try need(r, "country")))),\n"
        }
        out += "    ]\n\n    static let builtInLocalZones: [LocalZone] = [\n"
        for z in zones {
            let parent = try need(z, "parent")
            guard names.contains(parent) else {
                throw Failure(description: "data/regions.yaml:\(z.range.start): unknown parent region `\(parent)`")
            }
            out +=
                "        LocalZone(provider: \(swiftString(try need(z, "provider"))), name: \(swiftString(try need(z, "name"))), "
                + "parent: \(swiftString(parent)), city: \(swiftString(try need(z, "city"))), country: \(swiftString(try need(z, "country"))),\n"
                + "                  source: \(swiftString(try need(z, "source")))),\n"
        }
        out += "    ]\n\n    static let builtInJurisdictions: [Jurisdiction] = [\n"
        let statuses = [
            "eea": ".eea", "adequacy": ".adequacy", "adequacy-partial": ".adequacyPartial", "other": ".other",
        ]
        var codes = Set<String>()
        for j in jurisdictions {
            let code = try need(j, "code")
            guard codes.insert(code).inserted else {
                throw Failure(description: "data/regions.yaml:\(j.range.start): jurisdiction `\(code)` is listed twice")
            }
            guard let status = statuses[try need(j, "status")] else {
                throw Failure(
                    description:
                        "data/regions.yaml:\(j.range.start): status must be eea, adequacy, adequacy-partial or other")
            }
            var condition = "nil"
            if let c = j["condition"] {
                condition =
                    "Jurisdiction.Condition(mechanism: \(swiftString(try need(c, "mechanism"))), text: \(swiftString(try need(c, "text"))))"
            }
            if status == ".adequacyPartial", condition == "nil" {
                throw Failure(
                    description:
                        "data/regions.yaml:\(j.range.start): an adequacy-partial jurisdiction needs a `condition`")
            }
            out +=
                "        Jurisdiction(code: \(swiftString(code)), name: \(swiftString(try need(j, "name"))), status: \(status), "
                + "decision: \(opt(j, "decision")), adopted: \(opt(j, "adopted")),\n"
                + "                     reviewed: \(opt(j, "reviewed")), expires: \(opt(j, "expires")), scope: \(opt(j, "scope")), condition: \(condition),\n"
                + "                     note: \(swiftString(try need(j, "note")))),\n"
        }
        out += "    ]\n}\n"
        return out
    }

    /// `Sources/FjordFrontend/Schema.generated.swift`: the schema text embedded verbatim.
    public static func schema(from grammar: String) throws -> String {
        guard !grammar.contains("\"\"\"#") else {
            throw Failure(description: "grammar/schema.yaml cannot contain `\"\"\"#`")
        }
        return """
            // swift-format-ignore-file
            // Generated from grammar/schema.yaml by `make generate`. Do not edit.
            // The front end parses this copy at start-up (Schema.builtIn).

            let embeddedSchemaSource = #\"\"\"
            \(grammar)\"\"\"#

            """
    }

    /// `Sources/FjordFrontend/ConfigSchema.generated.swift` from `grammar/config.yaml`.
    public static func configSchema(from grammar: String) throws -> String {
        guard !grammar.contains("\"\"\"#") else {
            throw Failure(description: "grammar/config.yaml cannot contain `\"\"\"#`")
        }
        return """
            // swift-format-ignore-file
            // Generated from grammar/config.yaml by `make generate`. Do not edit.
            // The configuration file is validated against this copy (Schema.configuration).

            let embeddedConfigSchemaSource = #\"\"\"
            \(grammar)\"\"\"#

            """
    }

    /// `Sources/fjord/Pages.generated.swift` from `docs/diagnostics/FJxxxx.md`: the pages that
    /// `fjord checks CODE` prints, built into the binary (it runs far from the source tree).
    public static func diagnosticPages(_ pages: [(code: String, text: String)]) throws -> String {
        var out = """
            // swift-format-ignore-file
            // Generated from docs/diagnostics/*.md by `make generate`. Do not edit.

            /// The page of each code, as `fjord checks CODE` prints it.
            let diagnosticPages: [String: String] = [

            """
        for (code, text) in pages.sorted(by: { $0.code < $1.code }) {
            guard !text.contains("\"\"\"####") else {
                throw Failure(description: "docs/diagnostics/\(code).md cannot contain `\"\"\"####`")
            }
            out += "    \(swiftString(code)): ####\"\"\"\n\(text)\"\"\"####,\n"
        }
        return out + "]\n"
    }
}
