import FjordSource
import Foundation
import Testing

@testable import FjordYAML

/// A fresh temporary directory, removed when the value goes away.
private final class TempDir {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "fjord-inputs-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func write(_ relative: String, _ text: String) throws -> String {
        let full = path + "/" + relative
        let dir = (full as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: full))
        return full
    }

    func mkdir(_ relative: String) throws {
        try FileManager.default.createDirectory(atPath: path + "/" + relative, withIntermediateDirectories: true)
    }
}

/// A pipe whose read end stands in for standard input.
private func pipeReading(_ bytes: [UInt8]) throws -> Int32 {
    var fds: [Int32] = [0, 0]
    try #require(pipe(&fds) == 0)
    let written = bytes.withUnsafeBytes { write(fds[1], $0.baseAddress, $0.count) }
    try #require(written == bytes.count)
    close(fds[1])
    return fds[0]
}

@Suite struct InputsTests {
    @Test func directoriesAreWalkedInSortedOrderForYAMLFilesOnly() throws {
        let dir = try TempDir()
        try dir.write("b.yml", "b: 1\n")
        try dir.write("a.yaml", "a: 1\n")
        try dir.write("notes.txt", "not yaml\n")
        try dir.write(".hidden.yaml", "h: 1\n")
        try dir.write(".git/config.yaml", "g: 1\n")
        try dir.write("sub/z.yaml", "z: 1\n")
        try dir.write("sub/deeper/y.yml", "y: 1\n")
        try dir.write("B.yaml", "upper: 1\n")
        try dir.mkdir("empty")
        let set = InputDiscovery.read([dir.path])
        #expect(set.errors.isEmpty)
        let relative = set.files.map { String($0.path.dropFirst(dir.path.count + 1)) }
        #expect(relative == ["B.yaml", "a.yaml", "b.yml", "sub/deeper/y.yml", "sub/z.yaml"])
        #expect(set.files.first?.bytes == Array("upper: 1\n".utf8))
    }

    @Test func trailingSlashDoesNotDoubleTheSeparator() throws {
        let dir = try TempDir()
        try dir.write("a.yaml", "a: 1\n")
        let set = InputDiscovery.read([dir.path + "/"])
        #expect(set.files.map(\.path) == [dir.path + "/a.yaml"])
    }

    @Test func namedFilesAreReadWhateverTheirExtension() throws {
        let dir = try TempDir()
        let txt = try dir.write("mesh.txt", "kind: Service\n")
        let set = InputDiscovery.read([txt])
        #expect(set.errors.isEmpty)
        #expect(set.files == [InputFile(path: txt, bytes: Array("kind: Service\n".utf8))])
    }

    @Test func missingPathsAndEmptyDirectoriesAreErrors() throws {
        let dir = try TempDir()
        try dir.write("only/readme.md", "# hi\n")
        try dir.write("only/.hidden.yaml", "h: 1\n")
        let ok = try dir.write("ok.yaml", "a: 1\n")
        let missing = dir.path + "/nope.yaml"
        let set = InputDiscovery.read([missing, dir.path + "/only", ok, ""])
        #expect(set.files.map(\.path) == [ok])
        #expect(
            set.errors == [
                InputError(path: missing, message: "no such file or directory"),
                InputError(path: dir.path + "/only", message: "is a directory with no .yaml or .yml files"),
                InputError(path: "", message: "no such file or directory"),
            ])
        #expect(set.errors.first?.description == "\(missing): no such file or directory")
    }

    @Test func oversizedFilesAreReportedWithoutReadingThem() throws {
        let dir = try TempDir()
        let big = try dir.write("big.yaml", "a: 123456789\n")  // 13 bytes
        try dir.write("tree/big.yaml", "b: 123456789\n")
        try dir.write("tree/small.yaml", "c: 1\n")
        let set = InputDiscovery.read([big, dir.path + "/tree"], maxFileBytes: 12)
        #expect(set.files.map(\.path) == [dir.path + "/tree/small.yaml"])
        #expect(
            set.errors == [
                InputError(path: big, message: "file is 13 bytes, over the limit of 12 bytes"),
                InputError(path: dir.path + "/tree/big.yaml", message: "file is 13 bytes, over the limit of 12 bytes"),
            ])
        #expect(InputDiscovery.read([big], maxFileBytes: 13).errors.isEmpty)
    }

    @Test func stdinIsReadOnce() throws {
        let fd = try pipeReading(Array("kind: A\n---\nkind: B\n".utf8))
        defer { close(fd) }
        let dir = try TempDir()
        let file = try dir.write("x.yaml", "x: 1\n")
        let set = InputDiscovery.read(["-", file, "-"], standardInput: fd)
        #expect(set.errors.isEmpty)
        #expect(set.files.map(\.path) == ["<stdin>", file])
        #expect(set.files.first?.bytes == Array("kind: A\n---\nkind: B\n".utf8))
    }

    @Test func oversizedStdinIsRefused() throws {
        let fd = try pipeReading(Array(repeating: UInt8(ascii: "a"), count: 100))
        defer { close(fd) }
        let set = InputDiscovery.read(["-"], maxFileBytes: 50, standardInput: fd)
        #expect(set.files.isEmpty)
        #expect(set.errors == [InputError(path: "<stdin>", message: "input is over the limit of 50 bytes")])
    }

    @Test func filesFoundTwiceAreReadOnce() throws {
        let dir = try TempDir()
        let a = try dir.write("a.yaml", "a: 1\n")
        let set = InputDiscovery.read([a, dir.path, a])
        #expect(set.errors.isEmpty)
        #expect(set.files.map(\.path) == [a])
    }

    @Test func symbolicLinkLoopsEnd() throws {
        let dir = try TempDir()
        try dir.write("sub/a.yaml", "a: 1\n")
        try FileManager.default.createSymbolicLink(
            atPath: dir.path + "/sub/loop", withDestinationPath: dir.path + "/sub")
        try FileManager.default.createSymbolicLink(
            atPath: dir.path + "/dangling.yaml", withDestinationPath: dir.path + "/gone")
        let set = InputDiscovery.read([dir.path])
        #expect(set.errors.isEmpty)
        #expect(set.files.map(\.path) == [dir.path + "/sub/a.yaml"])
    }

    @Test func discoveredFilesLoadIntoOneSourceManager() throws {
        let dir = try TempDir()
        try dir.write("a.yaml", "kind: A\n---\nkind: B\n")
        try dir.write("b.yaml", "kind: [\n")
        let set = InputDiscovery.read([dir.path])
        var sources = SourceManager()
        var count = 0
        let result = YAMLLoader.load(set.files, into: &sources) { _ in count += 1 }
        #expect(result.documents.compactMap { $0.root?["kind"]?.text } == ["A", "B"])
        #expect(result.failedFiles.map { sources.path(of: $0) } == [dir.path + "/b.yaml"])
        #expect(count == 1)
    }
}
