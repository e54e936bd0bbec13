import FjordBasics
import FjordTable
import Testing

/// Corrupted images: every one must be refused with an error, never a crash; an image that a
/// corruption leaves structurally valid must still be safe to use.
extension FjordTableSuite {
    @Suite struct TableImageFuzzTests {
        static let programs = [meshProgram(), everyFieldProgram(), manyRulesProgram(20, sparse: true)]

        @Test(arguments: 0..<3)
        func everyTruncationIsRefused(_ which: Int) {
            let bytes = TableImage.write(Self.programs[which])
            for n in 0..<bytes.count {
                #expect(throws: TableImageError.self, "prefix of \(n) bytes") {
                    try TableImage(bytes: Array(bytes[0..<n]))
                }
            }
            // Trailing bytes too.
            #expect(throws: TableImageError.self) { try TableImage(bytes: bytes + [0]) }
        }

        @Test(arguments: 0..<3)
        func bitFlipsAndByteRewritesAreRefused(_ which: Int) {
            let bytes = TableImage.write(Self.programs[which])
            var rng = SplitMix64(seed: 0xF1_0D + UInt64(which))
            for i in 0..<3000 {
                var b = bytes
                if i % 2 == 0 {
                    let bit = rng.below(b.count * 8)
                    b[bit / 8] ^= 1 << UInt8(bit % 8)
                } else {
                    let at = rng.below(b.count)
                    var v = UInt8(truncatingIfNeeded: rng.next())
                    if v == b[at] { v ^= 0x80 }
                    b[at] = v
                    // Sometimes a burst of up to four bytes.
                    for k in 1..<(1 + rng.below(4)) where at + k < b.count {
                        b[at + k] = UInt8(truncatingIfNeeded: rng.next())
                    }
                }
                #expect(throws: TableImageError.self, "iteration \(i)") { try TableImage(bytes: b) }
            }
        }

        /// Rewrites each 32-bit word of the image (header, section table, every record) with
        /// values that break indexes, offsets and counts, recomputes the checksum, and loads:
        /// structural validation must refuse it or the result must be safe to use.
        @Test(arguments: 0..<3)
        func resealedWordRewritesNeverCrash(_ which: Int) throws {
            let bytes = TableImage.write(Self.programs[which])
            var refused = 0
            var accepted = 0
            for offset in stride(from: 0, to: bytes.count - 3, by: 4) where offset != 24 {
                let original = (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << UInt32(8 * $1) }
                for value in [UInt32.max, original &+ 1, original ^ 0x8000_0000, 0] where value != original {
                    var b = bytes
                    for k in 0..<4 { b[offset + k] = UInt8(truncatingIfNeeded: value >> UInt32(8 * k)) }
                    if let image = try? TableImage(bytes: reseal(b)) {
                        accepted += 1
                        exercise(image, full: accepted % 16 == 1)
                    } else {
                        refused += 1
                    }
                }
            }
            #expect(refused > 0)
        }

        @Test(arguments: 0..<3)
        func resealedRandomRewritesNeverCrash(_ which: Int) {
            let bytes = TableImage.write(Self.programs[which])
            var rng = SplitMix64(seed: 0x5EA1 + UInt64(which))
            for _ in 0..<2000 {
                var b = bytes
                for _ in 0..<(1 + rng.below(3)) {
                    b[32 + rng.below(b.count - 32)] = UInt8(truncatingIfNeeded: rng.next())
                }
                if let image = try? TableImage(bytes: reseal(b)) { exercise(image) }
            }
        }

        @Test func specificStructuralCorruptionsAreRefused() throws {
            let bytes = TableImage.write(meshProgram())
            let sections = sectionTable(bytes)
            func corrupt(_ kind: UInt32, record: Int, field: Int, _ value: UInt32) -> [UInt8] {
                let s = sections[kind]!
                var b = bytes
                let at = s.offset + record * s.stride + field
                for k in 0..<4 { b[at + k] = UInt8(truncatingIfNeeded: value >> UInt32(8 * k)) }
                return reseal(b)
            }
            func refused(_ b: [UInt8], _ what: Comment) {
                #expect(throws: TableImageError.self, what) { try TableImage(bytes: b) }
            }
            refused(corrupt(5, record: 0, field: 4, 3), "listener host map out of range")
            refused(corrupt(4, record: 0, field: 16, 100), "listener count past the section")
            refused(corrupt(2, record: 1, field: 0, 100_000), "string offset past the bytes")
            refused(corrupt(22, record: 2, field: 8, 0), "dense children not tiling")
            refused(corrupt(23, record: 4, field: 0, 2), "child pointing at its own node (cycle)")
            refused(corrupt(23, record: 4, field: 0, 7), "child pointing at a later node")
            refused(corrupt(12, record: 0, field: 0, 99), "segment root out of range")
            refused(corrupt(12, record: 0, field: 0, 0x8000_0063), "leaf slot out of range")
            refused(corrupt(14, record: 0, field: 24, 999), "dfa start state out of range")
            refused(corrupt(18, record: 5, field: 0, 999), "dfa transition out of range")
            refused(corrupt(21, record: 0, field: 4, 999), "sparse edge target out of range")
            refused(corrupt(14, record: 0, field: 4, 2), "class count differs from dense child count")
            refused(corrupt(8, record: 0, field: 4, 0x1234), "hash slot tag wrong")
            refused(corrupt(13, record: 0, field: 0, 99), "slot action out of range")
            refused(corrupt(13, record: 0, field: 4, 99), "slot rule out of range")
            refused(corrupt(11, record: 0, field: 8, 99), "attribute classifier out of range")
            refused(corrupt(1, record: 0, field: 0, 10_000), "program string count past the pool")
            // A destination's header operations: a range that does not start at the cursor, one
            // running past the header pairs, and header pairs nothing owns.
            let full = TableImage.write(everyFieldProgram())
            let fullSections = sectionTable(full)
            func corruptFull(_ kind: UInt32, record: Int, field: Int, _ value: UInt32) -> [UInt8] {
                let s = fullSections[kind]!
                var b = full
                let at = s.offset + record * s.stride + field
                for k in 0..<4 { b[at + k] = UInt8(truncatingIfNeeded: value >> UInt32(8 * k)) }
                return reseal(b)
            }
            #expect(throws: Never.self) { try TableImage(bytes: full) }
            // The last two actions have two destinations each, "a" and "b".
            let a = fullSections[26]!.count - 4
            refused(corruptFull(26, record: a, field: 32, 10_000), "destination header pairs not at the cursor")
            refused(corruptFull(26, record: a, field: 36, 10_000), "destination header pairs past the section")
            refused(corruptFull(26, record: a, field: 36, 0), "destination header pairs left unowned")
            refused(corruptFull(26, record: a + 1, field: 76, 0), "destination removed headers left unowned")
            // Section table: misaligned, overlapping, out of bounds, missing.
            let table = 32
            func entry(_ i: Int, field: Int, _ value: UInt32) -> [UInt8] {
                var b = bytes
                let at = table + 24 * i + field
                for k in 0..<4 { b[at + k] = UInt8(truncatingIfNeeded: value >> UInt32(8 * k)) }
                return reseal(b)
            }
            refused(entry(3, field: 8, UInt32(sections[4]!.offset + 4)), "misaligned section")
            refused(entry(3, field: 8, UInt32(sections[3]!.offset)), "overlapping sections")
            refused(entry(3, field: 8, UInt32(bytes.count)), "section past the end")
            refused(entry(3, field: 0, 999), "a required section replaced by an unknown kind")
            refused(entry(3, field: 0, 5), "duplicate section")
            refused(entry(3, field: 4, 4), "stride below the record size")
            // Invalid UTF-8 in the string bytes.
            var b = bytes
            b[sections[3]!.offset] = 0xC0
            refused(reseal(b), "invalid utf-8")
            // Unknown incompatible flags.
            b = bytes
            b[12] = 1
            refused(reseal(b), "unknown flags")
            b = bytes
            b[14] = 1  // a compatible flag: fine
            #expect(throws: Never.self) { try TableImage(bytes: reseal(b)) }
        }

        func sectionTable(_ bytes: [UInt8]) -> [UInt32: (offset: Int, stride: Int, count: Int)] {
            func u32(_ o: Int) -> Int { (0..<4).reduce(0) { $0 | Int(bytes[o + $1]) << (8 * $1) } }
            var out: [UInt32: (Int, Int, Int)] = [:]
            for i in 0..<u32(28) {
                let e = 32 + 24 * i
                out[UInt32(u32(e))] = (u32(e + 8), u32(e + 4), u32(e + 16))
            }
            return out
        }

        /// Uses everything an accepted image offers.
        func exercise(_ image: TableImage, full: Bool = true) {
            let program = image.program
            if full {
                _ = image.dumpJSON()
                #expect(TableImage.write(program).count > 0)
            }
            let requests = [
                request("reviews", "/api/x?debug=1", headers: [("x-user", "bob")]), request("x.api.example.com"),
                request("shop.example.com"),
                request("ratings:80", "/search?q=%FF"), request("big", "/svc-00003/"), request("", ""),
            ]
            for s in 0..<image.scopeCount {
                for kind in [TableProgram.ScopeKind.sidecar, .gateway] {
                    guard
                        let h = image.scope(
                            named: program.strings.indices.contains(Int(program.scopes[s].name))
                                ? program.strings[Int(program.scopes[s].name)] : "", kind: kind)
                    else { continue }
                    for port in [80, 443, 9080, 1] {
                        for r in requests { _ = image.decisionRecord(image.lookup(scope: h, port: port, request: r)) }
                    }
                }
            }
        }
    }
}
