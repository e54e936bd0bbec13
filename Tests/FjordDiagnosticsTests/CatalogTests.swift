import FjordDiagnostics
import Foundation
import Testing
import _FjordTestSupportCore

@Suite struct CatalogTests {
    @Test func generatedSourcesCatalogIsUpToDate() throws {
        let grammar = try RepoPaths.read("grammar/diagnostics.yaml")
        let expected = try GeneratedSources.catalog(from: grammar)
        let path = "Sources/FjordDiagnostics/Catalog.generated.swift"
        if regenerating {
            try expected.write(toFile: RepoPaths.path(path), atomically: true, encoding: .utf8)
        }
        let actual = try RepoPaths.read(path)
        #expect(actual == expected, "\(path) is stale: run `make generate`")
    }

    @Test func codesAreWellFormedUniqueAndOrdered() {
        let codes = DiagnosticCatalog.entries.map(\.code)
        #expect(Set(codes).count == codes.count, "a code is listed twice")
        #expect(codes == codes.sorted(), "grammar/diagnostics.yaml should list codes in order")
        for e in DiagnosticCatalog.entries {
            #expect(DiagnosticCode.isWellFormed(e.code.rawValue), "\(e.code) is not FJ + four digits")
            #expect(
                e.summary == e.summary.lowercased() || e.summary.contains("`") || e.summary.contains("YAML")
                    || e.summary.contains("Istio") || e.summary.contains("RE2") || e.summary.contains("HTTP")
                    || e.summary.first?.isLowercase == true, "\(e.code) summary should start lowercase")
            #expect(!e.summary.hasSuffix("."), "\(e.code) summary ends with a period")
        }
        let names = DiagnosticCatalog.entries.map(\.name)
        #expect(Set(names).count == names.count, "a name is used twice")
    }

    @Test func everyCodeHasADocumentationPage() {
        for e in DiagnosticCatalog.entries where !e.retired {
            let path = RepoPaths.path(e.docsPath)
            #expect(FileManager.default.fileExists(atPath: path), "missing \(e.docsPath)")
        }
    }
}
