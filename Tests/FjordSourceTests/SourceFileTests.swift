import Testing

@testable import FjordSource

@Suite struct SourceFileTests {
    @Test func positionsCountScalarsNotBytes() {
        let f = SourceFile(id: FileID(0), path: "a.yaml", text: "ab\nxø€y\n")
        #expect(f.lineCount == 3)
        #expect(f.lineText(2) == "xø€y")
        let yOffset = Array("ab\nxø€".utf8).count
        #expect(f.position(ofByte: yOffset) == SourcePosition(line: 2, column: 4))
        #expect(f.byteOffset(of: SourcePosition(line: 2, column: 4)) == yOffset)
        #expect(f.position(ofByte: 0) == SourcePosition(line: 1, column: 1))
        #expect(f.position(ofByte: 10_000) == SourcePosition(line: 3, column: 1))
    }

    @Test func lineTextHandlesCRLFAndBounds() {
        let f = SourceFile(id: FileID(0), path: "a", text: "one\r\ntwo")
        #expect(f.lineText(1) == "one")
        #expect(f.lineText(2) == "two")
        #expect(f.lineText(0) == nil)
        #expect(f.lineText(3) == nil)
    }

    @Test func locatedIgnoresRangeInEquality() {
        let r1 = SourceRange(file: FileID(0), start: .init(line: 1, column: 1), end: .init(line: 1, column: 4))
        let r2 = SourceRange(file: FileID(1), start: .init(line: 9, column: 2), end: .init(line: 9, column: 5))
        let a = Located("abc", r1)
        let b = Located("abc", r2)
        #expect(a == b)
        #expect(Set([a, b]).count == 1)
        #expect(Located("abd", r1) != a)
    }

    @Test func rangeUnionStaysInFile() {
        let a = SourceRange(file: FileID(0), start: .init(line: 2, column: 3), end: .init(line: 2, column: 9))
        let b = SourceRange(file: FileID(0), start: .init(line: 1, column: 1), end: .init(line: 1, column: 2))
        let u = a.union(b)
        #expect(u.start == .init(line: 1, column: 1))
        #expect(u.end == .init(line: 2, column: 9))
        let c = SourceRange(file: FileID(3), start: .init(line: 1, column: 1), end: .init(line: 1, column: 2))
        #expect(a.union(c) == a)
    }
}

/// Positions inside lines longer than the checkpoint spacing agree with a walk from the line
/// start, for ASCII, multi-byte scalars and invalid UTF-8.
@Suite struct SourceFileLongLineTests {
    static func naive(_ bytes: [UInt8], _ offset: Int) -> SourcePosition {
        var line = 1
        var start = 0
        for i in 0..<min(offset, bytes.count) where bytes[i] == 0x0A {
            line += 1
            start = i + 1
        }
        var column = 1
        var i = start
        while i < min(offset, bytes.count) {
            let b = bytes[i]
            i += b >= 0xF0 && b <= 0xF7 ? 4 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xC0 && b <= 0xDF ? 2 : 1
            column += 1
        }
        return SourcePosition(line: line, column: column)
    }

    @Test func checkpointsAgreeWithAWalkFromTheLineStart() {
        var bytes: [UInt8] = Array("short\n".utf8)
        for k in 0..<3000 { bytes += Array((k % 7 == 0 ? "é€😀" : "ab,").utf8) }
        bytes += [0xFF, 0xE2, 0x41] + Array("\nx\n".utf8)
        for k in 0..<2000 { bytes += Array("[\(k)]".utf8) }
        let file = SourceFile(id: FileID(0), path: "long.yaml", bytes: bytes)
        var offset = 0
        while offset <= bytes.count {
            #expect(file.position(ofByte: offset) == Self.naive(bytes, offset), "offset \(offset)")
            offset += offset % 3 == 0 ? 7 : 13
        }
        #expect(file.position(ofByte: bytes.count) == Self.naive(bytes, bytes.count))
    }
}
