import Testing
import _FjordTestSupport

/// The random meshes the differential tests route through: one seed names one mesh, and every
/// mesh loads without an input error (so the differential tests exercise routing, not refusals).
@Suite struct RoutingGeneratorTests {
    @Test func aSeedNamesOneMesh() {
        var a = RoutingGenerator(seed: 7)
        var b = RoutingGenerator(seed: 7)
        var c = RoutingGenerator(seed: 8)
        let mesh = a.mesh()
        #expect(mesh == b.mesh())
        #expect(mesh != c.mesh())
        #expect(mesh.contains("kind: VirtualService"))
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func generatedMeshesLoad(seed: UInt64) throws {
        var g = RoutingGenerator(seed: seed)
        let result = try TestPipeline.check(text: g.mesh())
        #expect(!result.inputFailed)
        let errors = result.diagnostics.filter { $0.severity == .error && $0.code.rawValue.hasPrefix("FJ1") }
        #expect(errors.isEmpty, "\(errors.map(\.message))")
    }
}
