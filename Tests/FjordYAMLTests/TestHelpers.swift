import FjordDiagnostics
import FjordSource
import _FjordTestSupportCore

@testable import FjordYAML

/// The outcome of loading one test input.
struct Loaded {
    var file: SourceFile
    var documents: [YAMLDocument]
    var diagnostics: [Diagnostic]
    var failed: Bool

    var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    var root: YAMLNode? { documents.first?.root }
}

func load(_ text: String, limits: YAMLLimits = .default) -> Loaded {
    load(bytes: Array(text.utf8), limits: limits)
}

func load(bytes: [UInt8], limits: YAMLLimits = .default) -> Loaded {
    let file = SourceFile(id: FileID(0), path: "test.yaml", bytes: bytes)
    var diagnostics: [Diagnostic] = []
    let result = YAMLLoader.loadChecked(file, limits: limits) { diagnostics.append($0) }
    return Loaded(file: file, documents: result.documents, diagnostics: diagnostics, failed: result.failed)
}

/// Counts the nodes of a tree (alias copies in full), without recursion.
func nodeCount(_ root: YAMLNode?) -> Int {
    guard let root else { return 0 }
    var stack = [root]
    var n = 0
    while let node = stack.popLast() {
        n += 1
        switch node.kind {
        case .scalar: break
        case .sequence(let items): stack.append(contentsOf: items)
        case .mapping(let pairs):
            for p in pairs {
                stack.append(p.key)
                stack.append(p.value)
            }
        }
    }
    return n
}

/// The deepest nesting of collections in a tree, without recursion.
func nestingDepth(_ root: YAMLNode?) -> Int {
    guard let root else { return 0 }
    var stack = [(root, 0)]
    var deepest = 0
    while let (node, depth) = stack.popLast() {
        switch node.kind {
        case .scalar: deepest = max(deepest, depth)
        case .sequence(let items):
            deepest = max(deepest, depth + 1)
            for item in items { stack.append((item, depth + 1)) }
        case .mapping(let pairs):
            deepest = max(deepest, depth + 1)
            for p in pairs {
                stack.append((p.key, depth + 1))
                stack.append((p.value, depth + 1))
            }
        }
    }
    return deepest
}
