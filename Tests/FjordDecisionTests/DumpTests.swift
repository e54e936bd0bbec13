import Foundation
import Testing
import _FjordTestSupport

/// `FJORD_DUMP=1 swift test --filter dumpGeneratedMesh` writes generated meshes to /tmp for a look.
@Test func dumpGeneratedMesh() throws {
    guard let seed = ProcessInfo.processInfo.environment["FJORD_DUMP"].flatMap(UInt64.init) else { return }
    var g = RoutingGenerator(seed: seed)
    try g.mesh().write(toFile: "/tmp/fjord-generated-\(seed).yaml", atomically: true, encoding: .utf8)
}
