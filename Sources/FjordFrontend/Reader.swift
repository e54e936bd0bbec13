import FjordModel
import FjordSource
import FjordYAML

/// Records which schema fields the typed decoders read, so a test can prove that decoders and
/// `grammar/schema.yaml` agree (see `FieldRecorder` users in the tests).
public final class FieldRecorder {
    /// `Type.field` pairs read by a decoder.
    public private(set) var read: Set<String> = []
    /// Fields a decoder asked for that the schema does not define.
    public private(set) var undefined: Set<String> = []

    public init() {}

    func record(_ type: String, _ field: String, defined: Bool) {
        if defined { read.insert("\(type).\(field)") } else { undefined.insert("\(type).\(field)") }
    }
}

/// Typed, silent access to a validated mapping. Every accessor names a field of the mapping's
/// schema type; a value of the wrong shape reads as absent (the validator has reported it).
struct Reader {
    let node: YAMLNode
    let type: TypeDescriptor
    let schema: Schema
    let recorder: FieldRecorder?

    init?(_ node: YAMLNode?, type: TypeDescriptor, schema: Schema, recorder: FieldRecorder?) {
        guard let node, node.mapping != nil else { return nil }
        self.node = node
        self.type = type
        self.schema = schema
        self.recorder = recorder
    }

    var range: SourceRange { node.range }

    /// The value node of a field, recording the access.
    func raw(_ field: String) -> YAMLNode? {
        recorder?.record(type.name, field, defined: type.fields[field] != nil)
        guard let v = node[field], !v.isNull else { return nil }
        return v
    }

    func keyRange(_ field: String) -> SourceRange? { node.pair(field)?.key.range }

    func has(_ field: String) -> Bool { raw(field) != nil }

    func string(_ field: String) -> Located<String>? {
        guard let v = raw(field), let s = v.scalar else { return nil }
        return Located(s.text, v.range)
    }

    func int(_ field: String) -> Located<Int>? {
        guard let v = raw(field), let s = v.scalar, s.style == .plain, let i = Scalars.integer(s.text) else {
            return nil
        }
        return Located(i, v.range)
    }

    func bool(_ field: String) -> Located<Bool>? {
        guard let v = raw(field), let s = v.scalar, s.style == .plain, let b = Scalars.yaml11Bool(s.text) else {
            return nil
        }
        return Located(b, v.range)
    }

    func double(_ field: String) -> Located<Double>? {
        guard let v = raw(field), let s = v.scalar, s.style == .plain, let d = Scalars.number(s.text) else {
            return nil
        }
        return Located(d, v.range)
    }

    func duration(_ field: String) -> Located<Duration>? {
        guard let v = raw(field), let s = v.scalar, let d = Scalars.duration(s.text) else { return nil }
        if s.style == .plain, Scalars.number(s.text) != nil { return nil }
        return Located(d, v.range)
    }

    func enumValue<E: RawRepresentable>(_ field: String, as: E.Type = E.self) -> Located<E>?
    where E.RawValue == String {
        guard let v = raw(field), let s = v.scalar, let e = E(rawValue: s.text) else { return nil }
        return Located(e, v.range)
    }

    func strings(_ field: String) -> [Located<String>] {
        guard let items = raw(field)?.sequence else { return [] }
        return items.compactMap { n in n.scalar.map { Located($0.text, n.range) } }
    }

    /// A `map<string>` as a dictionary (later duplicates win) with the key ranges.
    func stringMap(_ field: String) -> (values: [String: String], keyRanges: [String: SourceRange])? {
        guard let pairs = raw(field)?.mapping else { return nil }
        var values: [String: String] = [:]
        var ranges: [String: SourceRange] = [:]
        values.reserveCapacity(pairs.count)
        for p in pairs {
            guard let k = p.key.text, let v = p.value.scalar else { continue }
            values[k] = p.value.isNull ? "" : v.text
            ranges[k] = p.key.range
        }
        return (values, ranges)
    }

    /// A `map<int>` / `map<uint32>` in source order.
    func intMap(_ field: String) -> [(key: Located<String>, value: Located<Int>)] {
        guard let pairs = raw(field)?.mapping else { return [] }
        return pairs.compactMap { p in
            guard let k = p.key.text, let s = p.value.scalar, let i = Scalars.integer(s.text) else { return nil }
            return (Located(k, p.key.range), Located(i, p.value.range))
        }
    }

    private func objectType(_ field: String) -> TypeDescriptor? {
        switch type.fields[field]?.type {
        case .object(let n)?, .list(.object(let n))?, .map(.object(let n))?: return schema.types[n]
        default: return nil
        }
    }

    func object(_ field: String) -> Reader? {
        let v = raw(field)
        guard let t = objectType(field) else { return nil }
        return Reader(v, type: t, schema: schema, recorder: recorder)
    }

    func objects(_ field: String) -> [Reader] {
        guard let items = raw(field)?.sequence, let t = objectType(field) else { return [] }
        return items.compactMap { Reader($0, type: t, schema: schema, recorder: recorder) }
    }

    /// A `map<Object>` in source order.
    func objectMap(_ field: String) -> [(key: Located<String>, value: Reader)] {
        guard let pairs = raw(field)?.mapping, let t = objectType(field) else { return [] }
        return pairs.compactMap { p in
            guard let k = p.key.text, let r = Reader(p.value, type: t, schema: schema, recorder: recorder) else {
                return nil
            }
            return (Located(k, p.key.range), r)
        }
    }
}
