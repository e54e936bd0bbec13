import FjordCompiler
import FjordDiagnostics
import FjordModel
import Foundation
import _FjordTestSupportCore

/// Loads YAML text into a resolved mesh through the real pipeline (libyaml, front end, model).
public enum MeshLoading {
    public struct Failure: Error, CustomStringConvertible { public var description: String }

    public static func mesh(fromYAML text: String, name: String = "mesh.yaml") throws -> (Mesh, [Diagnostic]) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fjord-mesh-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent(name)
        try text.write(to: file, atomically: true, encoding: .utf8)
        var driver = Driver()
        let collector = DiagnosticCollector()
        let loaded = driver.load(paths: [file.path], emit: collector.consumer)
        if loaded.inputFailed {
            throw Failure(description: "the mesh did not load: \(collector.diagnostics.map(\.message))")
        }
        return (loaded.mesh, collector.diagnostics)
    }
}
