import FjordDiagnostics
import FjordSource
import FjordYAML

/// Schema-directed validation of a document against `grammar/schema.yaml`: unknown fields (with a
/// suggestion), wrong types, values outside an enum, exclusive fields set together, missing
/// required fields and deprecated fields. Purely generic: the typed decoders run afterwards and
/// stay silent, so every shape problem is reported exactly once, here.
struct Validator {
    enum PathComponent {
        case key(String)
        case index(Int)
    }

    let schema: Schema
    let resource: ResourceRef?
    let emit: DiagnosticConsumer
    private(set) var path: [PathComponent] = []
    private(set) var errorCount = 0
    /// The top-level field being validated (`spec`, `metadata`); paths are written relative to
    /// it (`http[0].route`), so messages about the field itself name it.
    var topLevelField: String?

    init(schema: Schema, resource: ResourceRef?, emit: @escaping DiagnosticConsumer, root: [PathComponent] = []) {
        self.schema = schema
        self.resource = resource
        self.emit = emit
        self.path = root
    }

    /// `spec.http[0].route[1].weight`
    var renderedPath: String {
        var s = ""
        for c in path {
            switch c {
            case .key(let k):
                if !s.isEmpty { s += "." }
                s += k
            case .index(let i): s += "[\(i)]"
            }
        }
        return s
    }

    /// The rendered path, or the top-level field's name at its root.
    var displayPath: String {
        let p = renderedPath
        return p.isEmpty ? (topLevelField ?? "the resource") : p
    }

    private mutating func report(
        _ code: DiagnosticCode, _ message: String, at range: SourceRange, notes: [Note] = [], fix: FixIt? = nil,
        severity: Severity? = nil
    ) {
        let d = Diagnostic(code, severity: severity, message, at: range, resource: resource, notes: notes, fix: fix)
        if d.severity == .error { errorCount += 1 }
        emit(d)
    }

    /// Validates `node` as a value of `type`. `parentType` is used to suggest a field that was
    /// written one level too deep.
    mutating func validate(_ node: YAMLNode, as type: TypeRef, parentType: TypeDescriptor? = nil) {
        if node.isNull { return }  // null is "absent" in Kubernetes' decoding
        switch type {
        case .any:
            return
        case .object(let name):
            guard let t = schema.types[name] else { return }
            validateObject(node, t, parentType: parentType)
        case .list(let element):
            guard let items = node.sequence else { return mismatch(node, type) }
            for (i, item) in items.enumerated() {
                path.append(.index(i))
                validate(item, as: element)
                path.removeLast()
            }
        case .map(let value):
            guard let pairs = node.mapping else { return mismatch(node, type) }
            for pair in pairs {
                guard let key = pair.key.scalar else {
                    report(
                        .invalidValue, "keys of \(quoted(displayPath)) must be strings, found \(pair.key.shapeName)",
                        at: pair.key.range)
                    continue
                }
                path.append(.key(key.text))
                validate(pair.value, as: value)
                path.removeLast()
            }
        default:
            validateScalar(node, type)
        }
    }

    private mutating func validateObject(_ node: YAMLNode, _ t: TypeDescriptor, parentType: TypeDescriptor?) {
        guard let pairs = node.mapping else { return mismatch(node, .object(t.name)) }
        var seen: [String: SourceRange] = [:]
        for pair in pairs {
            guard let key = pair.key.text, pair.key.scalar != nil else {
                report(.invalidValue, "field names must be strings, found \(pair.key.shapeName)", at: pair.key.range)
                continue
            }
            path.append(.key(key))
            defer { path.removeLast() }
            guard let field = t.fields[key] else {
                if !t.open { unknownField(key, pair.key.range, in: t, parentType: parentType) }
                continue
            }
            if !t.oneOf.isEmpty { seen[key] = pair.key.range }
            if let advice = field.deprecated {
                report(.deprecatedField, "\(quoted(displayPath)) is deprecated: \(advice)", at: pair.key.range)
            }
            validate(pair.value, as: field.type, parentType: t)
        }
        for group in t.oneOf {
            let present = group.filter { name in seen[name] != nil && !(node[name]?.isNull ?? true) }
            if present.count > 1 {
                let sorted = present.sorted {
                    (seen[$0]?.start ?? .init(line: 0, column: 0)) < (seen[$1]?.start ?? .init(line: 0, column: 0))
                }
                let first = sorted[0]
                for other in sorted.dropFirst() {
                    report(
                        .conflictingFields, "\(quoted(other)) cannot be set together with \(quoted(first))",
                        at: seen[other] ?? node.range,
                        notes: [Note("\(quoted(first)) is set here", at: seen[first])]
                            + [Note("only one of " + group.map { quoted($0) }.joined(separator: ", ") + " may be set")])
                }
            }
        }
        for name in t.requiredFields {
            let value = node[name]
            if value == nil || value?.isNull == true {
                let where_ = renderedPath.isEmpty && topLevelField == nil ? "the resource" : quoted(displayPath)
                report(.missingField, "\(where_) requires field \(quoted(name))", at: keyRangeOrStart(node))
            }
        }
    }

    private func keyRangeOrStart(_ node: YAMLNode) -> SourceRange {
        SourceRange(file: node.range.file, start: node.range.start, end: node.range.start)
    }

    private mutating func unknownField(
        _ key: String, _ range: SourceRange, in t: TypeDescriptor, parentType: TypeDescriptor?
    ) {
        var notes: [Note] = []
        var fix: FixIt?
        if let s = suggestion(for: key, among: t.fieldOrder) {
            fix = FixIt("did you mean \(quoted(s))?", replacement: s, at: range)
        } else if let parentType, parentType.fields[key] != nil {
            notes.append(
                Note("\(quoted(key)) is a field of the enclosing mapping; it may be indented one level too deep"))
        } else {
            let known = t.fieldOrder.prefix(12).map { quoted($0) }.joined(separator: ", ")
            if !known.isEmpty {
                notes.append(Note("known fields here: \(known)\(t.fieldOrder.count > 12 ? ", ..." : "")"))
            }
        }
        report(.unknownField, "unknown field \(quoted(key)) in \(parentPath)", at: range, notes: notes, fix: fix)
    }

    /// The path without its last component (the mapping that holds the unknown key), quoted.
    private var parentPath: String {
        var copy = self
        copy.path.removeLast()
        let p = copy.renderedPath
        return p.isEmpty ? (topLevelField.map { quoted($0) } ?? "the resource") : quoted(p)
    }

    private mutating func mismatch(_ node: YAMLNode, _ expected: TypeRef) {
        let found: String
        if let s = node.scalar {
            found = "\(node.shapeName) \(quoted(truncate(s.text)))"
        } else {
            found = node.shapeName
        }
        report(.invalidValue, "\(quoted(displayPath)) must be \(expected), found \(found)", at: node.range)
    }

    private mutating func validateScalar(_ node: YAMLNode, _ type: TypeRef) {
        guard let s = node.scalar else { return mismatch(node, type) }
        let plain = s.style == .plain && s.tag == nil
        switch type {
        case .string:
            guard plain else { return }
            if let b = Scalars.yaml11Bool(s.text) {
                let quotedText = "\"\(s.text)\""
                report(
                    .invalidValue,
                    "\(quoted(displayPath)) must be a string, but YAML 1.1 parsers such as kubectl's read \(quoted(s.text)) as the boolean \(b)",
                    at: node.range, fix: FixIt("quote it: \(quotedText)", replacement: quotedText, at: node.range))
            } else if Scalars.number(s.text) != nil {
                let quotedText = "\"\(s.text)\""
                report(
                    .invalidValue, "\(quoted(displayPath)) must be a string, found the number \(quoted(s.text))",
                    at: node.range, fix: FixIt("quote it: \(quotedText)", replacement: quotedText, at: node.range))
            }
        case .bool:
            if !plain || Scalars.yaml11Bool(s.text) == nil { mismatch(node, type) }
        case .int:
            guard plain, let v = Scalars.integer(s.text) else { return mismatch(node, type) }
            if v < Int(Int32.min) || v > Int(Int32.max) {
                report(
                    .invalidValue, "\(quoted(displayPath)) is out of range: \(s.text) does not fit in 32 bits",
                    at: node.range)
            }
        case .uint32:
            guard plain, let v = Scalars.integer(s.text) else { return mismatch(node, type) }
            if v < 0 || v > Int(UInt32.max) {
                report(
                    .invalidValue, "\(quoted(displayPath)) must be a non-negative integer below 2^32, found \(s.text)",
                    at: node.range)
            }
        case .double:
            guard plain, Scalars.number(s.text) != nil else { return mismatch(node, type) }
        case .duration:
            if plain, Scalars.number(s.text) != nil {
                report(
                    .invalidValue,
                    "\(quoted(displayPath)) must be a duration with a unit, such as `\(s.text)s`, found the number \(quoted(s.text))",
                    at: node.range, fix: FixIt("add a unit: `\(s.text)s`", replacement: "\(s.text)s", at: node.range))
                return
            }
            if Scalars.durationNanoseconds(s.text) == nil { mismatch(node, type) }
        case .bytes:
            if !Scalars.isBase64(s.text) { mismatch(node, type) }
        case .cidr:
            if !Scalars.isCIDR(s.text) { mismatch(node, type) }
        case .intOrString:
            return
        case .enumeration(let values):
            if !values.contains(s.text) {
                var fix: FixIt?
                if let sug = suggestion(for: s.text, among: values) {
                    fix = FixIt("did you mean \(quoted(sug))?", replacement: sug, at: node.range)
                }
                report(
                    .invalidValue, "\(quoted(displayPath)) must be \(type), found \(quoted(truncate(s.text)))",
                    at: node.range, fix: fix)
            }
        default:
            return
        }
    }

    private func truncate(_ s: String) -> String {
        s.count > 60 ? String(s.prefix(57)) + "..." : s
    }
}
