import Foundation

/// Where things are, relative to this source file: tests run from any working directory.
public enum RepoPaths {
    /// The repository root.
    public static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        // Tests/_FjordTestSupport/Paths.swift -> repository root
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    public static func path(_ relative: String) -> String {
        root.appendingPathComponent(relative).path
    }

    public static func read(_ relative: String) throws -> String {
        try String(contentsOfFile: path(relative), encoding: .utf8)
    }

    /// `../shared` beside the clone, when present (CI and this workplace have it).
    public static var shared: URL? {
        let url = root.deletingLastPathComponent().appendingPathComponent("shared")
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) && isDir.boolValue ? url : nil
    }

    /// `../shared/corpus/<sub>`, or nil (with the reason) when absent.
    public static func corpus(_ sub: String) -> URL? {
        guard let s = shared else { return nil }
        let url = s.appendingPathComponent("corpus").appendingPathComponent(sub)
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// Every file below `dir` with one of `extensions`, sorted.
    public static func files(under dir: URL, extensions: Set<String>) -> [URL] {
        guard let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil) else { return [] }
        var out: [URL] = []
        for case let url as URL in e where extensions.contains(url.pathExtension) { out.append(url) }
        return out.sorted { $0.path < $1.path }
    }

    /// The `fjord` executable built next to the test bundle.
    public static var fjordBinary: String {
        // `FJORD_BINARY=/path/to/fjord swift test ...` runs the CLI tests against another build
        // (an older one, to see a test fail before its fix).
        if let other = ProcessInfo.processInfo.environment["FJORD_BINARY"], !other.isEmpty { return other }
        let candidates = [".build/debug/fjord", ".build/release/fjord"].map { root.appendingPathComponent($0).path }
        if let bundle = Bundle.allBundles.first(where: { $0.bundlePath.hasSuffix(".xctest") }) {
            let sibling = URL(fileURLWithPath: bundle.bundlePath).deletingLastPathComponent().appendingPathComponent(
                "fjord"
            ).path
            if FileManager.default.isExecutableFile(atPath: sibling) { return sibling }
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }
}

/// Whether generated files should be rewritten instead of compared (`make generate`).
public var regenerating: Bool { ProcessInfo.processInfo.environment["FJORD_REGENERATE"] == "1" }
