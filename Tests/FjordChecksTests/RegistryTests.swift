import FjordChecks
import FjordDiagnostics
import Foundation
import Testing
import _FjordTestSupport

@Suite struct RegistryTests {
    /// Each file in Sources/FjordChecks/Checks declares one check, and the registry lists it.
    @Test func registryListsEveryCheckFile() throws {
        let dir = RepoPaths.root.appendingPathComponent("Sources/FjordChecks/Checks")
        let files = RepoPaths.files(under: dir, extensions: ["swift"]).map {
            $0.deletingPathExtension().lastPathComponent
        }
        let registered = Set(CheckRegistry.all.map { String(describing: $0) })
        for f in files {
            #expect(
                registered.contains(f),
                "Sources/FjordChecks/Checks/\(f).swift is not in CheckRegistry.all (Registry.swift)")
        }
        #expect(registered.count == CheckRegistry.all.count, "a check is registered twice")
        #expect(files.count == CheckRegistry.all.count, "CheckRegistry.all lists a check without its own file")
    }

    @Test func registryIsSortedByCodeAndCodesAreCatalogued() {
        let firstCodes = CheckRegistry.all.map { $0.metadata.codes.first?.rawValue ?? "" }
        #expect(firstCodes == firstCodes.sorted(), "CheckRegistry.all should be sorted by code")
        for c in CheckRegistry.all {
            let m = c.metadata
            #expect(!m.codes.isEmpty && !m.summary.isEmpty && !m.inputs.isEmpty, "\(m.name) has incomplete metadata")
            for code in m.codes {
                #expect(
                    DiagnosticCatalog.entry(for: code) != nil,
                    "\(m.name) emits \(code), which grammar/diagnostics.yaml lacks")
            }
        }
    }
}
