#if canImport(Glibc)
    import FjordTable
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
        }
    }

    extension Substring {
        func trimmingPrefixAndSuffixSpaces() -> String {
            String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
        }
    }
#endif
