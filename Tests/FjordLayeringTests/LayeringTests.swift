import Foundation
import Testing

/// The module layering of DESIGN.md as the code has it: every module's `import` lines and its
/// Package.swift dependencies lie within its row of `docs/architecture.md` ("Module imports"),
/// every import of a package module is a declared dependency, and the runtime side never
/// reaches a compiler module, directly or through its dependencies.
@Suite struct LayeringTests {
    /// The runtime side: what the sidecar binary links (`FjordHTTP1` once it exists).
    static let runtime: Set<String> = ["FjordTable", "FjordProxy", "FjordProxyServer", "fjord-proxy", "FjordHTTP1"]
    /// The compiler side: no runtime module may import these or depend on them.
    static let compiler: Set<String> = [
        "CYAML", "FjordSource", "FjordDiagnostics", "FjordYAML", "FjordModel", "FjordFrontend", "FjordRegex",
        "FjordDecision", "FjordChecks", "FjordCompiler", "fjord",
    ]

    struct Target: Equatable {
        var name: String
        var kind: String
        var path: String?
        var dependencies: [String]
    }

    // MARK: Reading

    /// The targets of a Package.swift: `.target(`, `.executableTarget(`, `.systemLibrary(` and
    /// `.testTarget(` calls, with their name, path and dependencies (target names, and product
    /// names for `.product(name:package:)`).
    static func targets(inManifest text: String) -> [Target] {
        var result: [Target] = []
        let kinds = ["target", "executableTarget", "systemLibrary", "testTarget"]
        var rest = Substring(text)
        while let dot = rest.firstIndex(of: ".") {
            rest = rest[rest.index(after: dot)...]
            guard let kind = kinds.first(where: { rest.hasPrefix($0 + "(") }) else { continue }
            let open = rest.index(rest.startIndex, offsetBy: kind.count)
            guard let body = balanced(rest[open...], "(", ")") else { break }
            rest = rest[body.endIndex...]
            let call = body.dropFirst().dropLast()
            guard let name = stringArgument(call, "name") else { continue }
            var deps: [String] = []
            if let d = call.range(of: "dependencies:"),
                let list = balanced(call[d.upperBound...].drop { $0 == " " || $0 == "\n" }, "[", "]")
            {
                var items = list.dropFirst().dropLast()
                while let q = items.firstIndex(where: { $0 == "\"" || $0 == "." }) {
                    if items[q] == "\"" {
                        let after = items[items.index(after: q)...]
                        guard let end = after.firstIndex(of: "\"") else { break }
                        deps.append(String(after[..<end]))
                        items = after[after.index(after: end)...]
                    } else {
                        let after = items[items.index(after: q)...]
                        if after.hasPrefix("product("), let call = balanced(after.dropFirst("product".count), "(", ")")
                        {
                            if let product = stringArgument(call, "name") { deps.append(product) }
                            items = after[call.endIndex...]
                        } else {
                            items = after
                        }
                    }
                }
            }
            result.append(Target(name: name, kind: kind, path: stringArgument(call, "path"), dependencies: deps))
        }
        return result
    }

    /// The text from an opening bracket to its closing one (strings are not special: the
    /// manifest has no brackets inside strings).
    static func balanced(_ s: Substring, _ open: Character, _ close: Character) -> Substring? {
        guard s.first == open else { return nil }
        var depth = 0
        for i in s.indices {
            if s[i] == open { depth += 1 }
            if s[i] == close {
                depth -= 1
                if depth == 0 { return s[s.startIndex...i] }
            }
        }
        return nil
    }

    /// The string literal after `label:` at the call's top level (the first occurrence).
    static func stringArgument(_ call: Substring, _ label: String) -> String? {
        guard let r = call.range(of: label + ": \"") else { return nil }
        let after = call[r.upperBound...]
        guard let end = after.firstIndex(of: "\"") else { return nil }
        return String(after[..<end])
    }

    /// The modules a Swift file imports (`import X`, `@testable import X`, `import struct X.Y`,
    /// inside `#if` too).
    static func imports(inSource text: String) -> Set<String> {
        var found = Set<String>()
        for line in text.split(separator: "\n") {
            var words = line.split(separator: " ").map(String.init)
            while let w = words.first, w.hasPrefix("@") { words.removeFirst() }
            guard words.first == "import", words.count >= 2 else { continue }
            let kinds: Set<String> = ["struct", "class", "enum", "protocol", "typealias", "func", "var", "let"]
            let target = kinds.contains(words[1]) && words.count >= 3 ? words[2] : words[1]
            found.insert(String(target.prefix { $0 != "." }))
        }
        return found
    }

    /// The "Module imports" table of docs/architecture.md: module -> what it may import.
    static func allowedImports(inArchitecture text: String) -> [String: Set<String>] {
        var table: [String: Set<String>] = [:]
        var inSection = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("## ") {
                inSection = line.hasPrefix("## Module imports")
                continue
            }
            guard inSection, line.hasPrefix("| `") else { continue }
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 2 else { continue }
            let module = cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            let names = cells[1].split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            }
            table[module] = Set(names.filter { !$0.isEmpty && $0 != "-" })
        }
        return table
    }

    // MARK: The rules

    /// Every way `targets` and their sources break the layering; empty when they keep it.
    static func violations(
        targets: [Target], sources: [String: Set<String>], allowed: [String: Set<String>]
    ) -> [String] {
        var found: [String] = []
        // Test targets and test support (under Tests/) are outside the layering.
        let modules = targets.filter { $0.kind != "testTarget" && !($0.path ?? "").hasPrefix("Tests/") }
        let packageModules = Set(targets.map(\.name)).union(targets.flatMap(\.dependencies))
        let byName = Dictionary(modules.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for t in modules {
            guard let may = allowed[t.name] else {
                found.append("`\(t.name)` has no row in docs/architecture.md (Module imports)")
                continue
            }
            if runtime.contains(t.name) {
                for m in may.intersection(compiler).sorted() {
                    found.append("docs/architecture.md lets runtime module `\(t.name)` import compiler module `\(m)`")
                }
            }
            for d in t.dependencies where !may.contains(d) {
                found.append("`\(t.name)` depends on `\(d)` in Package.swift, which its row does not allow")
            }
            for m in (sources[t.name] ?? []).sorted() {
                if !may.contains(m) {
                    found.append("`\(t.name)` imports `\(m)`, which its row in docs/architecture.md does not allow")
                } else if packageModules.contains(m), !t.dependencies.contains(m) {
                    found.append("`\(t.name)` imports `\(m)` without declaring it in Package.swift")
                }
                if runtime.contains(t.name), compiler.contains(m) {
                    found.append("runtime module `\(t.name)` imports compiler module `\(m)`")
                }
            }
            if runtime.contains(t.name) {
                var seen = Set<String>()
                var stack = t.dependencies
                while let d = stack.popLast() {
                    guard seen.insert(d).inserted else { continue }
                    if compiler.contains(d) {
                        found.append("runtime module `\(t.name)` depends on compiler module `\(d)`")
                    }
                    stack += byName[d]?.dependencies ?? []
                }
            }
        }
        return found
    }

    // MARK: Tests

    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    static func read(_ relative: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
    }

    static func sourceImports(of t: Target) -> Set<String> {
        let dir = root.appendingPathComponent(t.path ?? "Sources/\(t.name)")
        guard let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil) else { return [] }
        var found = Set<String>()
        for case let url as URL in e where url.pathExtension == "swift" {
            if let text = try? String(contentsOf: url, encoding: .utf8) { found.formUnion(imports(inSource: text)) }
        }
        return found
    }

    @Test func theTreeKeepsTheLayering() throws {
        let targets = Self.targets(inManifest: try Self.read("Package.swift"))
        let allowed = Self.allowedImports(inArchitecture: try Self.read("docs/architecture.md"))
        #expect(targets.count > 20 && allowed.count > 10, "Package.swift or docs/architecture.md not understood")
        for r in ["FjordTable", "FjordProxy", "FjordProxyServer", "fjord-proxy"] {
            #expect(targets.contains { $0.name == r }, "no target `\(r)` in Package.swift")
        }
        var sources: [String: Set<String>] = [:]
        for t in targets where t.kind == "target" || t.kind == "executableTarget" {
            sources[t.name] = Self.sourceImports(of: t)
        }
        #expect(sources["FjordProxy"]?.contains("NIOCore") == true, "the imports of FjordProxy were not read")
        let problems = Self.violations(targets: targets, sources: sources, allowed: allowed)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    /// The rules catch each kind of violation (a check that cannot fail checks nothing).
    @Test func violationsAreFound() {
        let manifest = """
            targets: [
                .target(name: "FjordModel", dependencies: ["FjordSource"]),
                .target(name: "FjordSource"),
                .target(name: "FjordTable", dependencies: ["FjordModel"]),
                .target(name: "FjordProxy", dependencies: ["FjordTable", .product(name: "NIOCore", package: "swift-nio")]),
                .testTarget(name: "FjordProxyTests", dependencies: ["FjordProxy"]),
            ]
            """
        let targets = Self.targets(inManifest: manifest)
        #expect(
            targets.map(\.name) == ["FjordModel", "FjordSource", "FjordTable", "FjordProxy", "FjordProxyTests"])
        #expect(targets[3].dependencies == ["FjordTable", "NIOCore"])
        let allowed: [String: Set<String>] = [
            "FjordModel": ["FjordSource"], "FjordSource": [], "FjordTable": ["FjordModel"],
            "FjordProxy": ["FjordTable", "NIOCore"],
        ]
        let imports = Self.imports(
            inSource: "import NIOCore\n@testable import FjordModel\nimport struct FjordSource.X\n")
        #expect(imports == ["NIOCore", "FjordModel", "FjordSource"])
        let problems = Self.violations(
            targets: targets,
            sources: ["FjordProxy": imports, "FjordTable": ["FjordModel"], "FjordSource": ["Foundation"]],
            allowed: allowed)
        #expect(problems.contains("runtime module `FjordProxy` imports compiler module `FjordModel`"))
        #expect(
            problems.contains("`FjordProxy` imports `FjordModel`, which its row in docs/architecture.md does not allow")
        )
        #expect(problems.contains("runtime module `FjordTable` depends on compiler module `FjordModel`"))
        #expect(problems.contains("runtime module `FjordProxy` depends on compiler module `FjordSource`"))
        #expect(
            problems.contains(
                "docs/architecture.md lets runtime module `FjordTable` import compiler module `FjordModel`"))
        #expect(
            problems.contains(
                "`FjordSource` imports `Foundation`, which its row in docs/architecture.md does not allow"))
        let undeclared = Self.violations(
            targets: Self.targets(inManifest: #".target(name: "FjordModel"), .target(name: "FjordSource")"#),
            sources: ["FjordModel": ["FjordSource"]], allowed: ["FjordModel": ["FjordSource"], "FjordSource": []])
        #expect(undeclared == ["`FjordModel` imports `FjordSource` without declaring it in Package.swift"])
    }
}
