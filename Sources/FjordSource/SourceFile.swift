/// Identifies a source file inside one ``SourceManager``.
public struct FileID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let raw: UInt32
    public init(_ raw: UInt32) { self.raw = raw }
    public static func < (a: FileID, b: FileID) -> Bool { a.raw < b.raw }
    public var description: String { "file#\(raw)" }
    /// A file id for values that do not come from any file (defaults, synthesised nodes).
    public static let synthetic = FileID(UInt32.max)
}

/// One input file: its display path and its bytes, with a line index.
///
/// Columns are counted in Unicode scalars, 1-based, like libyaml's marks; byte offsets are
/// 0-based. Invalid UTF-8 counts one column per byte.
public final class SourceFile: Sendable {
    public let id: FileID
    /// The path as the user gave it (or `<stdin>`).
    public let path: String
    public let bytes: [UInt8]
    /// Byte offset of the first byte of every line.
    public let lineStarts: [Int]
    /// Inside lines longer than `checkpointSpacing` bytes: every so many bytes, a byte offset
    /// that the column walk of `position(ofByte:)` reaches and its column, so that a lookup walks
    /// at most that far. Without them a one-line 2 MB document (minified JSON) cost a walk from
    /// the line start for each of its million nodes: 20 s (docs/fuzzing.md).
    let checkpointOffsets: [Int]
    let checkpointColumns: [Int]
    static let checkpointSpacing = 1024

    public init(id: FileID, path: String, bytes: [UInt8]) {
        self.id = id
        self.path = path
        self.bytes = bytes
        var starts = [0]
        starts.reserveCapacity(bytes.count / 32 + 1)
        // An index loop over the buffer: `enumerated()` costs ~80 ns a byte in debug builds
        // (4 s for a 50 MB file), this ~1 ns; release builds run both at the same speed.
        bytes.withUnsafeBufferPointer { buffer in
            var i = 0
            let n = buffer.count
            while i < n {
                if buffer[i] == 0x0A { starts.append(i + 1) }
                i &+= 1
            }
        }
        self.lineStarts = starts
        var offsets: [Int] = []
        var columns: [Int] = []
        let spacing = Self.checkpointSpacing
        for (n, start) in starts.enumerated() {
            let end = n + 1 < starts.count ? starts[n + 1] : bytes.count
            guard end - start > spacing else { continue }
            // The same walk as `position(ofByte:)`, recording where it stands every `spacing` bytes.
            bytes.withUnsafeBufferPointer { buffer in
                var i = start
                var column = 1
                var next = start + spacing
                while i < end {
                    if i >= next {
                        offsets.append(i)
                        columns.append(column)
                        next = i + spacing
                    }
                    i += Self.scalarLength(leading: buffer[i])
                    column += 1
                }
            }
        }
        self.checkpointOffsets = offsets
        self.checkpointColumns = columns
    }

    public convenience init(id: FileID, path: String, text: String) {
        self.init(id: id, path: path, bytes: Array(text.utf8))
    }

    public var lineCount: Int { lineStarts.count }

    /// The text of 1-based line `n` without its line terminator, or nil when out of range.
    public func lineText(_ n: Int) -> String? {
        guard n >= 1, n <= lineStarts.count else { return nil }
        let start = lineStarts[n - 1]
        var end = n < lineStarts.count ? lineStarts[n] : bytes.count
        while end > start, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// The 1-based line and column of a byte offset (clamped into the file).
    public func position(ofByte offset: Int) -> SourcePosition {
        let offset = max(0, min(offset, bytes.count))
        // Binary search for the last line start <= offset.
        var lo = 0
        var hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        let lineStart = lineStarts[lo]
        var column = 1
        var i = lineStart
        if !checkpointOffsets.isEmpty {
            // The last checkpoint at or before `offset`, if it lies on this line.
            var a = 0
            var b = checkpointOffsets.count
            while a < b {
                let mid = (a + b) / 2
                if checkpointOffsets[mid] <= offset { a = mid + 1 } else { b = mid }
            }
            if a > 0, checkpointOffsets[a - 1] >= lineStart {
                i = checkpointOffsets[a - 1]
                column = checkpointColumns[a - 1]
            }
        }
        while i < offset {
            i += Self.scalarLength(leading: bytes[i])
            column += 1
        }
        return SourcePosition(line: lo + 1, column: column)
    }

    /// The byte offset of a 1-based position (clamped to the line).
    public func byteOffset(of position: SourcePosition) -> Int {
        guard position.line >= 1, position.line <= lineStarts.count else { return bytes.count }
        let start = lineStarts[position.line - 1]
        let lineEnd = position.line < lineStarts.count ? lineStarts[position.line] : bytes.count
        var i = start
        var column = 1
        while column < position.column, i < lineEnd {
            i += Self.scalarLength(leading: bytes[i])
            column += 1
        }
        return min(i, lineEnd)
    }

    @inline(__always)
    static func scalarLength(leading b: UInt8) -> Int {
        switch b {
        case 0xF0...0xF7: return 4
        case 0xE0...0xEF: return 3
        case 0xC0...0xDF: return 2
        default: return 1
        }
    }
}
