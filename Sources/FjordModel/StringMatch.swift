import FjordSource

/// Istio's `StringMatch`: one of exact, prefix, regex; or presence when written `{}`.
public struct StringMatch: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        case exact(String)
        case prefix(String)
        case regex(String)
        /// `{}`: the attribute is present (any value).
        case present
    }

    public var kind: Kind
    /// Range of the whole match value (`{exact: x}`).
    @NotCompared public var range: SourceRange = .synthetic
    /// Range of the string operand (the regex text, for FJ1006 positions).
    @NotCompared public var operandRange: SourceRange = .synthetic

    public init(_ kind: Kind, range: SourceRange = .synthetic, operandRange: SourceRange = .synthetic) {
        self.kind = kind
        self.range = range
        self.operandRange = operandRange
    }

    public var description: String {
        switch kind {
        case .exact(let s): "exact `\(s)`"
        case .prefix(let s): "prefix `\(s)`"
        case .regex(let s): "regex `\(s)`"
        case .present: "present"
        }
    }

    public var regexPattern: String? {
        if case .regex(let r) = kind { return r }
        return nil
    }
}

/// A name with a match: one entry of `headers`, `queryParams` or `withoutHeaders`.
public struct NamedMatch: Hashable, Sendable {
    public var name: Located<String>
    public var match: StringMatch
    public init(name: Located<String>, match: StringMatch) {
        self.name = name
        self.match = match
    }
}
