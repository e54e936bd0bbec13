import FjordDiagnostics
import FjordModel
import FjordSource
import FjordYAML
import Foundation
import Testing
import _FjordTestSupport

@testable import FjordFrontend

@Suite struct SchemaTests {
    @Test func generatedSchemaIsUpToDate() throws {
        let grammar = try RepoPaths.read("grammar/schema.yaml")
        let expected = try GeneratedSources.schema(from: grammar)
        let path = "Sources/FjordFrontend/Schema.generated.swift"
        if regenerating {
            try expected.write(toFile: RepoPaths.path(path), atomically: true, encoding: .utf8)
        }
        #expect(try RepoPaths.read(path) == expected, "\(path) is stale: run `make generate`")
    }

    @Test func builtInSchemaParsesAndCoversEveryModelledKind() throws {
        let schema = Schema.builtIn
        for kind in ResourceKind.allCases {
            #expect(schema.kinds[kind.rawValue] != nil, "grammar/schema.yaml lacks kind \(kind.rawValue)")
        }
    }

    /// Builds a document for `kind` in which every field of every reachable type is set, decodes
    /// it with a recorder, and compares what the decoders read with what the grammar defines.
    @Test func decodersAndGrammarAgree() throws {
        let schema = Schema.builtIn
        let recorder = FieldRecorder()
        var options = FrontendOptions()
        options.schema = schema
        let decoder = Decoder(options: options, recorder: recorder)
        var reachable = Set<String>()
        for variant in 0..<4 {
            for (name, kind) in schema.kinds.sorted(by: { $0.key < $1.key }) {
                var yaml = "apiVersion: \(kind.apiVersions[0])\nkind: \(name)\nmetadata:\n"
                yaml += MaximalDocument(schema: schema, variant: variant).object(
                    "ObjectMeta", indent: 2, visiting: [], reachable: &reachable)
                for (field, f) in kind.fields.sorted(by: { $0.key < $1.key }) {
                    yaml +=
                        "\(field):"
                        + MaximalDocument(schema: schema, variant: variant).value(
                            f.type, indent: 2, visiting: [], reachable: &reachable)
                }
                var sources = SourceManager()
                let file = sources.add(path: "\(name).yaml", bytes: Array(yaml.utf8))
                var problems: [Diagnostic] = []
                let docs = YAMLLoader.load(file, diagnostics: { problems.append($0) })
                var resources = ResourceSet()
                decoder.decode(docs, into: &resources, emit: { problems.append($0) })
                let unexpected = problems.filter { $0.severity == .error || $0.code == .unknownField }
                #expect(unexpected.isEmpty, "the maximal \(name) is not valid: \(unexpected.map(\.message))\n\(yaml)")
            }
        }
        #expect(
            recorder.undefined.isEmpty,
            "decoders read fields grammar/schema.yaml does not define: \(recorder.undefined.sorted())")
        // Types reached only through `decoded: false` fields are validated but not decoded.
        var decodedTypes = Set<String>()
        var queue: [TypeRef] =
            [.object("ObjectMeta")] + schema.kinds.values.flatMap { $0.fields.values.filter(\.decoded).map(\.type) }
        while let t = queue.popLast() {
            switch t {
            case .list(let e), .map(let e): queue.append(e)
            case .object(let n):
                if decodedTypes.insert(n).inserted, let d = schema.types[n] {
                    queue += d.fields.values.filter(\.decoded).map(\.type)
                }
            default: break
            }
        }
        var unread: [String] = []
        for typeName in reachable.intersection(decodedTypes).sorted() {
            guard let t = schema.types[typeName] else { continue }
            for f in t.fieldOrder where t.fields[f]?.decoded == true && !recorder.read.contains("\(typeName).\(f)") {
                unread.append("\(typeName).\(f)")
            }
        }
        #expect(
            unread.isEmpty,
            "grammar/schema.yaml defines fields no decoder reads (mark them `decoded: false` or decode them): \(unread)"
        )
    }
}

/// Writes a YAML value of every field of a type, recursively (each type once per path).
struct MaximalDocument {
    let schema: Schema
    /// Which alternative of each exclusive group to write (clamped to the group's size).
    var variant = 0

    func object(_ name: String, indent: Int, visiting: Set<String>, reachable: inout Set<String>) -> String {
        guard let t = schema.types[name], !visiting.contains(name) else {
            return String(repeating: " ", count: indent) + "{}\n"
        }
        reachable.insert(name)
        let pad = String(repeating: " ", count: indent)
        var out = ""
        // Take the first field of each exclusive group only, so the document stays valid.
        var skip = Set<String>()
        for group in t.oneOf where !group.isEmpty {
            let keep = group[min(variant, group.count - 1)]
            skip.formUnion(group.filter { $0 != keep })
        }
        var added = 0
        for f in t.fieldOrder where !skip.contains(f) {
            guard let field = t.fields[f], field.deprecated == nil || field.decoded else { continue }
            out +=
                pad + f + ":"
                + value(field.type, indent: indent + 2, visiting: visiting.union([name]), reachable: &reachable)
            added += 1
        }
        return added == 0 ? pad + "{}\n" : out
    }

    func value(_ type: TypeRef, indent: Int, visiting: Set<String>, reachable: inout Set<String>) -> String {
        let pad = String(repeating: " ", count: indent)
        switch type {
        case .string: return " \"a\"\n"
        case .bool: return " true\n"
        case .int, .uint32: return " 1\n"
        case .double: return " 1.5\n"
        case .duration: return " 1s\n"
        case .bytes: return " aGk=\n"
        case .cidr: return " 10.0.0.0/16\n"
        case .intOrString: return " 8080\n"
        case .any: return " {}\n"
        case .enumeration(let values): return " \(values.last ?? "")\n"
        case .list(let e):
            return "\n" + pad + "-"
                + value(e, indent: indent + 2, visiting: visiting, reachable: &reachable).dropFirstSpaceForList(
                    indent + 2)
        case .map(let e):
            return "\n" + pad + "\"80\":" + value(e, indent: indent + 2, visiting: visiting, reachable: &reachable)
        case .object(let n):
            let body = object(n, indent: indent, visiting: visiting, reachable: &reachable)
            return body.hasSuffix("{}\n") && !body.contains(":") ? " {}\n" : "\n" + body
        }
    }
}

extension String {
    /// For `- ` list items: the first line of a nested mapping moves up beside the dash.
    fileprivate func dropFirstSpaceForList(_ indent: Int) -> String {
        if hasPrefix("\n") {
            let pad = String(repeating: " ", count: indent)
            let body = dropFirst()
            if body.hasPrefix(pad) { return " " + body.dropFirst(indent) }
            return String(body)
        }
        return self
    }
}
