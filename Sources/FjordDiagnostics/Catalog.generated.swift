// Generated from grammar/diagnostics.yaml by `make generate`. Do not edit.

extension DiagnosticCatalog {
    public static let entries: [CatalogEntry] = [
        CatalogEntry(code: DiagnosticCode("FJ1001"), name: "yaml-syntax", severity: .error, summary: "the input is not well-formed YAML", message: "{problem} {context}"),
        CatalogEntry(code: DiagnosticCode("FJ1002"), name: "duplicate-key", severity: .warning, summary: "a mapping holds the same key twice and only the last value takes effect", message: "duplicate key {key}; the earlier value is ignored"),
        CatalogEntry(code: DiagnosticCode("FJ1003"), name: "unknown-field", severity: .warning, summary: "a field that the resource's schema does not define", message: "unknown field {field} in {type}"),
        CatalogEntry(code: DiagnosticCode("FJ1004"), name: "invalid-value", severity: .error, summary: "a value has the wrong type or is not one of the allowed values", message: "{field} must be {expected}, found {actual}"),
        CatalogEntry(code: DiagnosticCode("FJ1005"), name: "input-limit", severity: .error, summary: "an input exceeds a size, depth or alias-expansion limit", message: "{what} exceeds the limit of {limit}"),
        CatalogEntry(code: DiagnosticCode("FJ1006"), name: "invalid-regex", severity: .error, summary: "a regular expression that RE2 rejects", message: "invalid regular expression {regex}: {problem}"),
    ]
}

extension DiagnosticCode {
    /// FJ1001: the input is not well-formed YAML
    public static let yamlSyntax = DiagnosticCode("FJ1001")
    /// FJ1002: a mapping holds the same key twice and only the last value takes effect
    public static let duplicateKey = DiagnosticCode("FJ1002")
    /// FJ1003: a field that the resource's schema does not define
    public static let unknownField = DiagnosticCode("FJ1003")
    /// FJ1004: a value has the wrong type or is not one of the allowed values
    public static let invalidValue = DiagnosticCode("FJ1004")
    /// FJ1005: an input exceeds a size, depth or alias-expansion limit
    public static let inputLimit = DiagnosticCode("FJ1005")
    /// FJ1006: a regular expression that RE2 rejects
    public static let invalidRegex = DiagnosticCode("FJ1006")
}
