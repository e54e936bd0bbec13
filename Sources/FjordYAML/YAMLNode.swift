import FjordSource

/// How a scalar was written. Plain scalars are the only ones that can be null, booleans or numbers.
public enum ScalarStyle: Sendable, Hashable {
    case plain, singleQuoted, doubleQuoted, literal, folded
}

/// A scalar's text and how it was written; interpretation (string, int, bool, null) is up to the
/// reader, which knows the expected type from the schema.
public struct YAMLScalar: Sendable, Hashable {
    public var text: String
    public var style: ScalarStyle
    /// An explicit tag (`!!str`, `!!int`), if any.
    public var tag: String?

    public init(_ text: String, style: ScalarStyle = .plain, tag: String? = nil) {
        self.text = text
        self.style = style
        self.tag = tag
    }
}

/// One node of a loaded YAML document. Aliases are resolved: an alias is a copy of its anchor's
/// node (with the anchor's range). Every node carries its source range.
///
/// `Kind` is not `indirect`: the arrays already put children on the heap, and boxing every node
/// as well cost one more allocation (and free) per node.
public struct YAMLNode: Sendable {
    public enum Kind: Sendable {
        case scalar(YAMLScalar)
        case sequence([YAMLNode])
        case mapping([YAMLPair])
    }

    public var kind: Kind
    public var range: SourceRange
    /// The explicit tag, if any (`!!map`, `!custom`).
    public var tag: String?

    public init(_ kind: Kind, range: SourceRange, tag: String? = nil) {
        self.kind = kind
        self.range = range
        self.tag = tag
    }
}

/// A mapping entry. Keys are nodes so that their positions can be reported.
public struct YAMLPair: Sendable {
    public var key: YAMLNode
    public var value: YAMLNode
    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}

/// One document of a stream. `root` is nil for an empty document (`---` followed by nothing).
public struct YAMLDocument: Sendable {
    public var root: YAMLNode?
    public var file: FileID
    /// The range from the document start to its end.
    public var range: SourceRange
    /// 0-based index of the document in its file.
    public var index: Int

    public init(root: YAMLNode?, file: FileID, range: SourceRange, index: Int) {
        self.root = root
        self.file = file
        self.range = range
        self.index = index
    }
}

/// Bounds on what one input may cost. Passing any of them ends loading with `FJ1005`.
public struct YAMLLimits: Sendable, Hashable {
    /// Largest file (or stdin) accepted, in bytes.
    public var maxFileBytes: Int = 64 << 20
    /// Largest single scalar, in bytes.
    public var maxScalarBytes: Int = 1 << 20
    /// Deepest nesting of sequences and mappings (a root mapping is depth 1), alias copies
    /// included.
    public var maxDepth: Int = 256
    /// Most nodes one document may hold after alias expansion.
    public var maxNodesPerDocument: Int = 1_000_000
    /// Most nodes all the documents of one file may hold together (alias copies included): the
    /// file size does not bound memory on its own, since a node costs far more than its two
    /// bytes of `[1,1,...]`.
    public var maxNodesPerFile: Int = 2_000_000
    /// Most documents (`---`) one file may hold, empty ones included.
    public var maxDocumentsPerFile: Int = 100_000
    /// Most nodes that aliases may add (billion-laughs guard). Each use of an alias adds the node
    /// count of its anchored subtree. Counted over the whole file, so that many small documents
    /// cannot add up to the same blow-up.
    public var maxAliasExpansion: Int = 100_000

    public init() {}
    public static let `default` = YAMLLimits()
}

// MARK: - Convenience accessors

extension YAMLNode {
    public var scalar: YAMLScalar? {
        if case .scalar(let s) = kind { return s }
        return nil
    }

    public var sequence: [YAMLNode]? {
        if case .sequence(let s) = kind { return s }
        return nil
    }

    public var mapping: [YAMLPair]? {
        if case .mapping(let m) = kind { return m }
        return nil
    }

    /// The scalar text when this node is a scalar.
    public var text: String? { scalar?.text }

    /// True for a plain `null`, `~`, empty plain scalar, or a `!!null` tag.
    public var isNull: Bool {
        guard let s = scalar else { return false }
        if s.tag == "tag:yaml.org,2002:null" { return true }
        guard s.style == .plain, s.tag == nil else { return false }
        switch s.text {
        case "", "~", "null", "Null", "NULL": return true
        default: return false
        }
    }

    /// The value for `key` in a mapping (the last one when a key is duplicated).
    public subscript(key: String) -> YAMLNode? {
        guard let m = mapping else { return nil }
        for pair in m.reversed() where pair.key.text == key { return pair.value }
        return nil
    }

    /// The pair for `key` in a mapping (the last one when duplicated), to reach the key's range.
    public func pair(_ key: String) -> YAMLPair? {
        guard let m = mapping else { return nil }
        for pair in m.reversed() where pair.key.text == key { return pair }
        return nil
    }

    /// A short name of the node's shape for messages: `mapping`, `sequence`, `string`, `integer`...
    public var shapeName: String {
        switch kind {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let s):
            if isNull { return "null" }
            guard s.style == .plain, s.tag == nil else { return "a string" }
            if YAMLScalar.parseBool(s.text) != nil { return "a boolean" }
            if Int(s.text) != nil { return "an integer" }
            if Double(s.text) != nil { return "a number" }
            return "a string"
        }
    }
}

extension YAMLScalar {
    /// YAML 1.2 core-schema booleans (`true`, `True`, `TRUE`, `false`...).
    public static func parseBool(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: return nil
        }
    }

    /// Whether the scalar, as written, resolves to a non-string type in YAML (plain `true`, `42`,
    /// `null`). Such a scalar in a string field is what kubectl rejects.
    public var resolvesToNonString: Bool {
        guard style == .plain, tag == nil else { return false }
        if YAMLScalar.parseBool(text) != nil { return true }
        if Int(text) != nil || Double(text) != nil { return !text.isEmpty && text != "." }
        return false
    }
}
