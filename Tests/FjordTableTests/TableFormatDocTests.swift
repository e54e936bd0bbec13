#if canImport(Glibc)
    @testable import FjordTable
    import Glibc
    import Testing

    extension FjordTableSuite {
        /// `grammar/table-format.md` is the normative layout: its section table must list exactly the
        /// kinds, names and record sizes the code writes.
        @Suite struct TableFormatDocTests {
            static func readGrammar() -> String? {
                var path = #filePath
                for _ in 0..<3 { path = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) }
                guard let f = fopen(path + "/grammar/table-format.md", "r") else { return nil }
                defer { fclose(f) }
                var bytes: [UInt8] = []
                var chunk = [UInt8](repeating: 0, count: 4096)
                while true {
                    let n = fread(&chunk, 1, chunk.count, f)
                    if n <= 0 { break }
                    bytes += chunk[0..<n]
                }
                return String(decoding: bytes, as: UTF8.self)
            }

            @Test func sectionTableMatchesTheCode() throws {
                let text = try #require(Self.readGrammar())
                var rows: [String] = []
                for line in text.split(separator: "\n") {
                    let cells = line.split(separator: "|").map { $0.trimmingPrefixAndSuffixSpaces() }
                    if cells.count == 3, let kind = UInt32(cells[0]), Int(cells[2]) != nil {
                        rows.append("\(kind) \(cells[1]) \(cells[2])")
                    }
                }
                #expect(rows == TableImageFormat.sections.map { "\($0.kind) \($0.name) \($0.recordSize)" })
                #expect(
                    text.contains("`0x82F63B78`") && text.contains("`0xE3069283`")
                        && text.contains("`h = 0xcbf29ce484222325`"))
                #expect(text.contains("| 0 | 4 bytes | magic `FJTB`"))
            }

            /// The `offset | type | field` tables of the document, by the heading above each (up to
            /// its first ` (`): `Header`, `Section table`, `4 scopes`, `14 classifiers: exact`, ...
            static func recordTables(_ text: String) -> [(heading: String, rows: [[String]])] {
                var tables: [(heading: String, rows: [[String]])] = []
                var heading = ""
                var inTable = false
                for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                    if line.hasPrefix("#") {
                        let title = line.drop { $0 == "#" }.trimmingPrefixAndSuffixSpaces()
                        heading = ""
                        for c in title {
                            if c == "(", heading.hasSuffix(" ") {
                                heading.removeLast()
                                break
                            }
                            heading.append(c)
                        }
                        inTable = false
                        continue
                    }
                    guard line.hasPrefix("|") else {
                        inTable = false
                        continue
                    }
                    let cells = line.split(separator: "|").map { $0.trimmingPrefixAndSuffixSpaces() }
                    if cells == ["offset", "type", "field"] {
                        inTable = true
                        tables.append((heading, []))
                    } else if inTable, cells.count == 3, Int(cells[0]) != nil, let last = tables.indices.last {
                        tables[last].rows.append(cells)
                    }
                }
                return tables
            }

            /// Every record table of the document is the layout the code declares (`Layout`),
            /// field by field: offset, type and name (the document's field text starts with the
            /// code's name).
            @Test func recordTablesMatchTheCode() throws {
                let text = try #require(Self.readGrammar())
                let doc = Self.recordTables(text)
                let code = TableImageFormat.recordLayouts
                #expect(doc.map(\.heading) == code.map(\.heading))
                for (heading, rows) in doc {
                    guard let layout = code.first(where: { $0.heading == heading }) else { continue }
                    #expect(
                        rows.count == layout.fields.count,
                        "\(heading): \(rows.count) rows, \(layout.fields.count) fields")
                    for (row, field) in zip(rows, layout.fields) {
                        #expect(
                            Int(row[0]) == field.offset && row[1] == field.type,
                            "\(heading): the document has `\(row[1])` at \(row[0]), the code `\(field.type)` at \(field.offset)"
                        )
                        let described = row[2].lowercased()
                        let name = field.name.lowercased()
                        let boundary = described.dropFirst(name.count).first.map { !$0.isLetter } ?? true
                        #expect(
                            described.hasPrefix(name) && boundary,
                            "\(heading) at \(field.offset): the document says `\(row[2])`, the code `\(field.name)`")
                    }
                }
            }

            /// Each record's fields cover its bytes exactly: no gap, no overlap, nothing past the
            /// record size of the section table.
            @Test func recordFieldsTileTheirRecords() {
                for layout in TableImageFormat.recordLayouts {
                    var at = layout.base
                    for f in layout.fields {
                        #expect(f.offset == at, "\(layout.heading): `\(f.name)` at \(f.offset), expected \(at)")
                        at = f.offset + f.size
                    }
                    #expect(at == layout.end, "\(layout.heading): the fields end at \(at), the record at \(layout.end)")
                }
                #expect(
                    Set(TableImageFormat.recordLayouts.compactMap { Int($0.heading.prefix { $0.isNumber }) })
                        == Set(TableImageFormat.sections.map { Int($0.kind) }))
            }
        }
    }

    extension Substring {
        func trimmingPrefixAndSuffixSpaces() -> String {
            String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
        }
    }
#endif
