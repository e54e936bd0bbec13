import FjordFuzzEntries
import Foundation
import Testing
import _FjordTestSupport

/// Every committed fuzz corpus entry (`fixtures/fuzz/<target>/`, the seeds, what the fuzzer
/// kept, and every input that ever crashed a target) through the target's entry point in the
/// normal build: a crash found once stays a regression case here (docs/fuzzing.md).
@Suite struct FuzzCorpusReplayTests {
    static let root = RepoPaths.root.appendingPathComponent("fixtures/fuzz")

    static func inputs(_ target: String) -> [URL] {
        let dir = root.appendingPathComponent(target)
        guard let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: [.isRegularFileKey]) else {
            return []
        }
        var out: [URL] = []
        for case let url as URL in e
        where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
            out.append(url)
        }
        return out.sorted { $0.path < $1.path }
    }

    static let names = FuzzEntries.targets.map(\.name)

    @Test(arguments: names)
    func replaysTheCorpus(_ name: String) throws {
        let run = try #require(FuzzEntries.targets.first { $0.name == name }?.run)
        let files = Self.inputs(name)
        #expect(!files.isEmpty, "fixtures/fuzz/\(name)/ has no corpus")
        let start = Date()
        var bytes = 0
        for url in files {
            let data = try [UInt8](Data(contentsOf: url))
            bytes += data.count
            run(data)
        }
        print(
            "fuzz corpus `\(name)`: \(files.count) inputs (\(bytes) bytes) in \(String(format: "%.2f", Date().timeIntervalSince(start))) s"
        )
    }

    /// Every target has a folder, and every folder a target (a renamed target keeps its corpus).
    @Test func everyCorpusFolderHasATarget() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.root.path).filter {
            var isDir: ObjCBool = false
            return FileManager.default.fileExists(
                atPath: Self.root.appendingPathComponent($0).path, isDirectory: &isDir)
                && isDir.boolValue
        }
        #expect(Set(folders) == Set(Self.names), "\(folders.sorted()) vs \(Self.names)")
    }
}
