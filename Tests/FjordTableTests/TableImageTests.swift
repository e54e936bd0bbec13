import FjordBasics
import FjordTable
import Testing

extension FjordTableSuite {
    @Suite struct TableImageTests {
        @Test(arguments: [0, 1, 2, 3])
        func roundTrip(_ which: Int) throws {
            let program = [
                meshProgram(), everyFieldProgram(), manyRulesProgram(50, sparse: false),
                manyRulesProgram(50, sparse: true),
            ][which]
            let bytes = TableImage.write(program)
            let image = try TableImage(bytes: bytes)
            #expect(image.program == program)
            #expect(image.bytes == bytes)
            // Writing is deterministic and decoding loses nothing.
            #expect(TableImage.write(image.program) == bytes)
            #expect(image.dumpJSON() == program.dumpJSON())
        }

        @Test func emptyProgramRoundTrips() throws {
            let image = try TableImage(program: TableProgram())
            #expect(image.program == TableProgram())
            #expect(image.scopeCount == 0)
            #expect(image.scope(named: "", kind: .sidecar) == nil)
        }

        @Test func actionsAndRulesDecodeFieldByField() throws {
            let program = everyFieldProgram()
            let image = try TableImage(program: program)
            for (i, a) in program.actions.enumerated() { #expect(image.action(i) == a) }
            for (i, r) in program.rules.enumerated() { #expect(image.ruleRef(i) == r) }
        }

        @Test func headerLayout() {
            let bytes = TableImage.write(meshProgram())
            #expect(Array(bytes[0..<4]) == Array("FJTB".utf8))
            #expect(bytes[4] == 1 && bytes[5] == 0)  // major 1
            #expect(bytes[6] == 0 && bytes[7] == 0)  // minor 0
            #expect(bytes[8] == 32)  // header size
            #expect(bytes.count % 8 == 0)
            let length = (0..<8).reduce(0) { $0 | Int(bytes[16 + $1]) << (8 * $1) }
            #expect(length == bytes.count)
        }

        @Test func crc32cCheckValue() {
            #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
            #expect(CRC32C.checksum([]) == 0)
            // Slicing by 8 agrees with itself across split points.
            var rng = SplitMix64(seed: 7)
            let data = (0..<1000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let whole = CRC32C.checksum(data)
            for cut in [0, 1, 7, 8, 9, 500, 999, 1000] {
                let a = data[..<cut].withUnsafeBytes { CRC32C.update(0, $0) }
                #expect(data[cut...].withUnsafeBytes { CRC32C.update(a, $0) } == whole)
            }
        }

        @Test func dumpIsDeterministicJSON() throws {
            let image = try TableImage(program: everyFieldProgram())
            let a = image.dumpJSON()
            #expect(a == (try TableImage(bytes: image.bytes)).dumpJSON())
            #expect(a.hasPrefix("{\n  \"format\": \"fjord-table\",\n  \"version\": \"1.0\""))
            #expect(a.contains("\"host\": \"reviews.shop.svc.cluster.local\""))
            #expect(a.contains("\"virtualHost\": \"hidden\""))
            #expect(a.contains("\\u0000"))
            #expect(a.contains("\"kind\": \"sparse\""))
            #expect(a.contains("\"kind\": \"dense\""))
            #expect(a.contains("\"kind\": \"exact\""))
            // Balanced brackets outside strings: a cheap well-formedness check.
            var depth = 0
            var inString = false
            var escaped = false
            for c in a.unicodeScalars {
                if inString {
                    if escaped {
                        escaped = false
                    } else if c == "\\" {
                        escaped = true
                    } else if c == "\"" {
                        inString = false
                    }
                    continue
                }
                switch c {
                case "\"": inString = true
                case "{", "[": depth += 1
                case "}", "]": depth -= 1
                default: break
                }
                #expect(depth >= 0)
            }
            #expect(depth == 0 && !inString)
        }

        @Test func writesProgramsWithBadIndexesButRefusesThem() {
            var p = meshProgram()
            p.scopes[0].listeners[0].hostMap = 99
            #expect(throws: TableImageError.self) { try TableImage(bytes: TableImage.write(p)) }
            p = meshProgram()
            p.hostMaps[0].exact[0].host = 9999
            #expect(throws: TableImageError.self) { try TableImage(bytes: TableImage.write(p)) }
            p = meshProgram()
            p.nodes[2].dense[1] = .node(2)  // a cycle
            #expect(throws: TableImageError.self) { try TableImage(bytes: TableImage.write(p)) }
            p = meshProgram()
            p.nodes[2].dense.removeLast()  // dense count differs from the class count
            #expect(throws: TableImageError.self) { try TableImage(bytes: TableImage.write(p)) }
            p = meshProgram()
            p.routeTables[0].slots[0].action = 100
            #expect(throws: TableImageError.self) { try TableImage(bytes: TableImage.write(p)) }
            p = meshProgram()
            p.scopes[0].listeners.reverse()
            #expect(throws: TableImageError.self) { try TableImage(bytes: TableImage.write(p)) }
            p = meshProgram()
            p.hostMaps[0].wildcards[0].host = p.hostMaps[0].exact[0].host  // no leading `*`
            #expect(throws: TableImageError.self) { try TableImage(bytes: TableImage.write(p)) }
            p = meshProgram()
            p.routeTables[0].attributes = Array(repeating: p.routeTables[0].attributes[0], count: 257)
            #expect(throws: TableImageError.self) { try TableImage(bytes: TableImage.write(p)) }
            p = meshProgram()
            if case .dense(var d) = p.classifiers[0].kind {
                d.start = UInt32(d.stateCount)
                p.classifiers[0].kind = .dense(d)
            }
            #expect(throws: TableImageError.self) { try TableImage(bytes: TableImage.write(p)) }
            p = meshProgram()
            if case .dense(var d) = p.classifiers[0].kind {
                d.transitions[0] = 1  // the dead state must stay dead
                p.classifiers[0].kind = .dense(d)
            }
            #expect(throws: TableImageError.self) { try TableImage(bytes: TableImage.write(p)) }
            p = meshProgram()
            if case .sparse(var d) = p.classifiers[4].kind {
                d.edges[0].target = 1000
                p.classifiers[4].kind = .sparse(d)
            }
            #expect(throws: TableImageError.self) { try TableImage(bytes: TableImage.write(p)) }
            p = meshProgram()
            p.classifiers[1].absentClass = 4
            #expect(throws: TableImageError.self) { try TableImage(bytes: TableImage.write(p)) }
        }

        @Test func errorsSayWhatAndWhere() throws {
            var bytes = TableImage.write(meshProgram())
            do {
                _ = try TableImage(bytes: Array(bytes[0..<10]))
                Issue.record("accepted a truncated image")
            } catch {
                #expect(error.description == "truncated table image: needs 32 bytes, has 10")
            }
            bytes[4] = 2
            do {
                _ = try TableImage(bytes: bytes)
                Issue.record("accepted major version 2")
            } catch {
                #expect(
                    error.description
                        == "unsupported table image version 2.0: this reader understands major version 1 (at byte 4)")
            }
            bytes[4] = 1
            bytes[6] = 9  // a newer minor is fine once resealed
            #expect(throws: TableImageError.self) { try TableImage(bytes: bytes) }
            let minor = try TableImage(bytes: reseal(bytes))
            #expect(minor.minorVersion == 9)
            bytes[bytes.count - 1] ^= 1
            do {
                _ = try TableImage(bytes: bytes)
                Issue.record("accepted a corrupted image")
            } catch {
                #expect(error.isChecksumMismatch)
                #expect(error.message.hasPrefix("table image checksum mismatch: stored 0x"))
                #expect(error.offset == 24)
            }
            do {
                _ = try TableImage(bytes: Array("GIF89a".utf8) + Array(repeating: 0, count: 64))
            } catch {
                #expect(error.message == "not a table image: the first bytes are not `FJTB`")
            }
        }
    }
}

/// Recomputes an image's checksum after a deliberate change.
func reseal(_ bytes: [UInt8]) -> [UInt8] {
    guard bytes.count >= 32 else { return bytes }
    var b = bytes
    let crc = b.withUnsafeBytes { raw in
        CRC32C.update(
            CRC32C.update(0, UnsafeRawBufferPointer(rebasing: raw[0..<24])),
            UnsafeRawBufferPointer(rebasing: raw[28...]))
    }
    for k in 0..<4 { b[24 + k] = UInt8(truncatingIfNeeded: crc >> UInt32(8 * k)) }
    return b
}
