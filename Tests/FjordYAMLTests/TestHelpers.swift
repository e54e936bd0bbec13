import FjordDiagnostics
import FjordSource

@testable import FjordYAML

/// Text with position markers (`1️⃣`...`9️⃣`) taken out, and where each marker was.
struct MarkedText {
    var text: String
    /// Marker number -> 1-based line and column (in Unicode scalars) in `text`.
    var positions: [Int: SourcePosition] = [:]
    /// Marker number -> byte offset in `text`.
    var offsets: [Int: Int] = [:]

    init(_ source: String) {
        let scalars = Array(source.unicodeScalars)
        var out = String.UnicodeScalarView()
        var line = 1
        var column = 1
        var bytes = 0
        var i = 0
        while i < scalars.count {
            let s = scalars[i]
            if i + 2 < scalars.count, ("1"..."9").contains(s), scalars[i + 1] == "\u{FE0F}",
                scalars[i + 2] == "\u{20E3}"
            {
                let n = Int(s.value) - 0x30
                positions[n] = SourcePosition(line: line, column: column)
                offsets[n] = bytes
                i += 3
                continue
            }
            out.append(s)
            bytes += String(s).utf8.count
            if s == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
            i += 1
        }
        text = String(out)
    }

    subscript(_ n: Int) -> SourcePosition {
        guard let p = positions[n] else {
            preconditionFailure("marker \(n) is not in the test input")
        }
        return p
    }
}

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

/// A small seeded generator (SplitMix64) so that fuzz inputs are the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
