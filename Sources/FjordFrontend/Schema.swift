import FjordDiagnostics
import FjordSource
import FjordYAML

/// A type expression of `grammar/schema.yaml`.
public indirect enum TypeRef: Hashable, Sendable, CustomStringConvertible {
    case string, bool, int, uint32, double, duration, bytes, cidr, intOrString, any
    case list(TypeRef)
    case map(TypeRef)
    case enumeration([String])
    case object(String)

    /// How a value of this type is named in messages (`a string`, `a list of strings`).
    public var description: String {
        switch self {
        case .string: "a string"
        case .bool: "a boolean"
        case .int: "an integer"
        case .uint32: "a non-negative integer"
        case .double: "a number"
        case .duration: "a duration such as `1.5s` or `100ms`"
        case .bytes: "base64 text"
        case .cidr: "an IP address or CIDR block such as `10.0.0.0/16`"
        case .intOrString: "an integer or a string"
        case .any: "any value"
        case .list(let t): "a list of \(t.pluralDescription)"
        case .map(let t): "a mapping of names to \(t.pluralDescription)"
        case .enumeration(let values): "one of " + values.map { "`\($0)`" }.joined(separator: ", ")
        case .object(let name): "a mapping (\(name))"
        }
    }

    var pluralDescription: String {
        switch self {
        case .string: "strings"
        case .bool: "booleans"
        case .int, .uint32: "integers"
        case .double: "numbers"
        case .duration: "durations"
        case .cidr: "IP addresses or CIDR blocks"
        case .object(let n): "\(n) mappings"
        case .enumeration: "enum values"
        default: "values"
        }
    }

    /// Parses `[T]`, `map<T>`, `enum(A|B)` and names.
    static func parse(_ text: String) -> TypeRef? {
        let t = text.trimmingSpaces()
        if t.hasPrefix("["), t.hasSuffix("]") {
            return parse(String(t.dropFirst().dropLast())).map(TypeRef.list)
        }
        if t.hasPrefix("map<"), t.hasSuffix(">") {
            return parse(String(t.dropFirst(4).dropLast())).map(TypeRef.map)
        }
        if t.hasPrefix("enum("), t.hasSuffix(")") {
            let values = t.dropFirst(5).dropLast().split(separator: "|").map { String($0).trimmingSpaces() }
            return values.isEmpty ? nil : .enumeration(values)
        }
        switch t {
        case "string": return .string
        case "bool": return .bool
        case "int": return .int
        case "uint32": return .uint32
        case "double": return .double
        case "duration": return .duration
        case "bytes": return .bytes
        case "cidr": return .cidr
        case "intOrString": return .intOrString
        case "any": return .any
        default:
            guard let first = t.unicodeScalars.first, first.properties.isUppercase,
                t.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || ("0"..."9").contains($0) })
            else { return nil }
            return .object(t)
        }
    }
}

/// One field of an object type.
public struct FieldDescriptor: Hashable, Sendable {
    public var name: String
    public var type: TypeRef
    public var required: Bool
    public var deprecated: String?
    /// False when the front end accepts and validates the field but the model does not keep it.
    public var decoded: Bool
}

public struct TypeDescriptor: Hashable, Sendable {
    public var name: String
    public var fields: [String: FieldDescriptor]
    /// Field names in the order the grammar lists them.
    public var fieldOrder: [String]
    public var open: Bool
    public var oneOf: [[String]]
    /// The required fields, in grammar order (precomputed: the validator asks for every object).
    public var requiredFields: [String] = []
}

public struct KindDescriptor: Hashable, Sendable {
    public var kind: String
    public var group: String
    public var versions: [String]
    public var clusterScoped: Bool
    /// Top-level fields besides apiVersion, kind, metadata and status.
    public var fields: [String: FieldDescriptor]

    /// `group/version` strings this kind accepts (`v1` for the core group).
    public var apiVersions: [String] { versions.map { group.isEmpty ? $0 : "\(group)/\($0)" } }
}

/// The parsed `grammar/schema.yaml`.
public struct Schema: Sendable {
    public var kinds: [String: KindDescriptor] = [:]
    public var types: [String: TypeDescriptor] = [:]

    /// The schema built into this binary.
    public static let builtIn: Schema = {
        do {
            return try Schema.parse(text: embeddedSchemaSource, path: "grammar/schema.yaml")
        } catch {
            fatalError("the built-in schema is invalid: \(error)")
        }
    }()

    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Parses schema text. Throws on anything malformed, including references to undefined types.
    public static func parse(text: String, path: String) throws -> Schema {
        var sources = SourceManager()
        let file = sources.add(path: path, bytes: Array(text.utf8))
        var problems: [String] = []
        let docs = YAMLLoader.load(
            file,
            diagnostics: { d in
                if d.severity == .error || d.code == .duplicateKey { problems.append("\(d.range.start): \(d.message)") }
            })
        guard problems.isEmpty, let root = docs.first?.root else {
            throw ParseError(description: "\(path): " + (problems.first ?? "empty schema"))
        }
        var schema = Schema()
        guard let kinds = root["kinds"]?.mapping, let types = root["types"]?.mapping else {
            throw ParseError(description: "\(path): expected top-level `kinds` and `types`")
        }
        for pair in types {
            guard let name = pair.key.text, let fields = pair.value.mapping else {
                throw ParseError(description: "\(path):\(pair.key.range.start): a type must be a mapping")
            }
            var t = TypeDescriptor(name: name, fields: [:], fieldOrder: [], open: false, oneOf: [])
            for f in fields {
                guard let fname = f.key.text else { continue }
                switch fname {
                case "_open": t.open = f.value.text == "true"
                case "_oneOf":
                    t.oneOf = (f.value.sequence ?? []).map { ($0.sequence ?? []).compactMap(\.text) }
                default:
                    t.fields[fname] = try field(fname, f.value, path: path)
                    t.fieldOrder.append(fname)
                }
            }
            t.requiredFields = t.fieldOrder.filter { t.fields[$0]?.required == true }
            schema.types[name] = t
        }
        for pair in kinds {
            guard let name = pair.key.text else { continue }
            let v = pair.value
            var k = KindDescriptor(
                kind: name, group: v["group"]?.text ?? "", versions: (v["versions"]?.sequence ?? []).compactMap(\.text),
                clusterScoped: v["clusterScoped"]?.text == "true", fields: [:])
            for f in v["fields"]?.mapping ?? [] {
                guard let fname = f.key.text else { continue }
                k.fields[fname] = try field(fname, f.value, path: path)
            }
            schema.kinds[name] = k
        }
        // Every referenced type must exist.
        func check(_ t: TypeRef, _ context: String) throws {
            switch t {
            case .list(let e), .map(let e): try check(e, context)
            case .object(let n):
                if schema.types[n] == nil {
                    throw ParseError(description: "\(path): \(context) refers to undefined type `\(n)`")
                }
            default: break
            }
        }
        for t in schema.types.values {
            for f in t.fields.values { try check(f.type, "\(t.name).\(f.name)") }
        }
        for k in schema.kinds.values {
            for f in k.fields.values { try check(f.type, "\(k.kind).\(f.name)") }
        }
        return schema
    }

    private static func field(_ name: String, _ node: YAMLNode, path: String) throws -> FieldDescriptor {
        if let text = node.text {
            guard let t = TypeRef.parse(text) else {
                throw ParseError(description: "\(path):\(node.range.start): bad type expression `\(text)`")
            }
            return FieldDescriptor(name: name, type: t, required: false, deprecated: nil, decoded: true)
        }
        guard let typeText = node["type"]?.text, let t = TypeRef.parse(typeText) else {
            throw ParseError(description: "\(path):\(node.range.start): field `\(name)` needs a type")
        }
        return FieldDescriptor(
            name: name, type: t, required: node["required"]?.text == "true", deprecated: node["deprecated"]?.text,
            decoded: node["decoded"]?.text != "false")
    }

    /// The kind descriptor for an `apiVersion`/`kind` pair, or why there is none.
    public func kind(_ kind: String) -> KindDescriptor? { kinds[kind] }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\n" || f == "\r" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" || l == "\r" { s.removeLast() }
        return String(s)
    }
}
