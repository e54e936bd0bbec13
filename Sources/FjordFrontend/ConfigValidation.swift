import FjordDiagnostics
import FjordYAML

extension Schema {
    /// The schema of `.fjord.yaml` (grammar/config.yaml), built into this binary.
    public static let configuration: Schema = {
        do {
            return try Schema.parse(text: embeddedConfigSchemaSource, path: "grammar/config.yaml")
        } catch {
            fatalError("the built-in configuration schema is invalid: \(error)")
        }
    }()

    /// Validates `node` as a value of the type named `type`, as documents are validated: unknown
    /// keys (FJ1003, with a suggestion), wrong types and values (FJ1004), missing required
    /// fields. Returns the number of errors reported.
    @discardableResult
    public func validate(_ node: YAMLNode, asType type: String, emit: @escaping DiagnosticConsumer) -> Int {
        var validator = Validator(schema: self, resource: nil, emit: emit)
        validator.validate(node, as: .object(type))
        return validator.errorCount
    }
}
