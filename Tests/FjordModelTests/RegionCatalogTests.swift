import FjordModel
import Foundation
import Testing
import _FjordTestSupport

@Suite struct RegionCatalogTests {
    @Test func generatedRegionCatalogIsUpToDate() throws {
        let data = try RepoPaths.read("data/regions.yaml")
        let expected = try GeneratedSources.regionCatalog(from: data)
        let path = "Sources/FjordModel/RegionCatalog.generated.swift"
        if regenerating {
            try expected.write(toFile: RepoPaths.path(path), atomically: true, encoding: .utf8)
        }
        let actual = try RepoPaths.read(path)
        #expect(actual == expected, "\(path) is stale: run `make generate`")
    }

    /// Every fact of ../shared/data is in the catalog, unchanged (skipped when ../shared is absent).
    @Test func catalogHoldsTheSharedFacts() throws {
        guard let shared = RepoPaths.shared?.appendingPathComponent("data"),
            FileManager.default.fileExists(atPath: shared.appendingPathComponent("regions.csv").path)
        else {
            print("skipping: ../shared/data is absent")
            return
        }
        let catalog = RegionCatalog.builtIn
        for row in try CSV.rows(shared.appendingPathComponent("regions.csv")) {
            let r = try #require(catalog.region(row["region"] ?? ""), "region \(row) is missing")
            #expect(r.provider == row["provider"] && r.country == row["country"], "\(row) differs: \(r)")
            #expect((r.city ?? "") == (row["city"] ?? ""), "\(row) city differs: \(r)")
        }
        for row in try CSV.rows(shared.appendingPathComponent("aws_local_zones_crossborder.csv")) {
            let z = try #require(catalog.localZone(row["zone"] ?? ""), "local zone \(row) is missing")
            #expect(
                z.parent == row["parent_region"] && z.country == row["country"] && z.city == row["city"],
                "\(row) differs: \(z)")
            #expect(catalog.region(z.parent)?.country == row["parent_country"], "\(row): parent country differs")
        }
        for row in try CSV.rows(shared.appendingPathComponent("jurisdictions.csv")) {
            let j = try #require(catalog.jurisdiction(row["code"] ?? ""), "jurisdiction \(row) is missing")
            #expect(
                j.name == row["name"] && j.status.rawValue == row["status"] && j.note == row["note"],
                "\(row) differs: \(j)")
        }
    }

    @Test func zoneNames() throws {
        let c = RegionCatalog.builtIn
        #expect(c.zone("us-east-1a") == .availabilityZone(region: try #require(c.region("us-east-1"))))
        #expect(c.zone("europe-north1-a") == .availabilityZone(region: try #require(c.region("europe-north1"))))
        #expect(c.zone("norwayeast-1") == .availabilityZone(region: try #require(c.region("norwayeast"))))
        guard case .localZone(let qro)? = c.zone("us-east-1-qro-1a") else { Issue.record("qro"); return }
        #expect(qro.country == "MX" && qro.city == "Queretaro")
        guard case .localZone(let cph)? = c.zone("eu-north-1-cph-1a") else { Issue.record("cph"); return }
        #expect(cph.country == "DK")
        #expect(c.status(of: "DK") == .eea)
        #expect(c.zone("us-east-1-bos-1a") == .uncataloguedLocalZone(parent: try #require(c.region("us-east-1"))))
        #expect(
            c.zone("us-east-1-wl1-bos-wlz-1") == .uncataloguedLocalZone(parent: try #require(c.region("us-east-1"))))
        #expect(c.zone("europe-north1") == nil)
        #expect(c.zone("0") == nil)
        #expect(c.region("norwayeast")?.country == "NO")
        #expect(c.jurisdiction("US")?.status == .adequacyPartial)
        #expect(c.jurisdiction("US")?.condition?.mechanism == "DataPrivacyFramework")
    }
}

/// A small RFC 4180 reader (quoted fields, CRLF) for the shared CSV files.
enum CSV {
    static func rows(_ url: URL) throws -> [[String: String]] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var records: [[String]] = []
        var field = ""
        var record: [String] = []
        var quoted = false
        var chars = Array(text)
        chars.append("\n")
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < chars.count, chars[i + 1] == "\"" { field.append("\""); i += 1 } else { quoted = false }
                } else {
                    field.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                record.append(field)
                field = ""
            } else if c == "\n" || c == "\r\n" || c == "\r" {
                record.append(field)
                field = ""
                if record != [""] { records.append(record) }
                record = []
            } else {
                field.append(c)
            }
            i += 1
        }
        guard let header = records.first else { return [] }
        return records.dropFirst().map { r in
            var d: [String: String] = [:]
            for (k, v) in zip(header, r) { d[k] = v }
            return d
        }
    }
}
