import FjordSource

/// One source line cut into display cells, one cell a column.
///
/// Columns count Unicode scalars exactly as ``SourceFile`` does (an invalid UTF-8 byte is one
/// column), so a diagnostic's column picks the right cell. Each cell knows how it is shown on a
/// terminal: a tab becomes spaces up to the next tab stop, control characters become `�` (so a
/// file cannot send escape sequences to the terminal), combining marks take no cell and East
/// Asian wide characters and emoji take two.
struct SourceLineCells {
    struct Cell {
        var text: String
        /// Display position of the cell's first terminal cell, from 0.
        var start: Int
        var width: Int
    }

    var cells: [Cell] = []
    /// Whether `cells` holds the whole line (false when it stopped at `maxColumns`).
    var isComplete = true
    /// The display width of the cells read.
    var width: Int { cells.last.map { $0.start + $0.width } ?? 0 }

    /// Reads line `line` of `file` (nothing when out of range), at most `maxColumns` columns of it
    /// so that a huge line costs no more than the part that is shown.
    init(file: SourceFile, line: Int, tabWidth: Int, maxColumns: Int = .max) {
        guard line >= 1, line <= file.lineCount else { return }
        let bytes = file.bytes
        let start = file.lineStarts[line - 1]
        var end = line < file.lineCount ? file.lineStarts[line] : bytes.count
        while end > start, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        let tabWidth = min(max(1, tabWidth), 32)
        var i = start
        var position = 0
        while i < end {
            if cells.count >= maxColumns {
                isComplete = false
                break
            }
            let length = min(Self.scalarLength(leading: bytes[i]), end - i)
            let scalar = Self.decode(bytes[i..<(i + length)])
            let text: String
            let width: Int
            if scalar == "\t" {
                width = tabWidth - position % tabWidth
                text = String(repeating: " ", count: width)
            } else if let scalar, !Self.isControl(scalar) {
                text = String(Character(scalar))
                width = Self.displayWidth(scalar)
            } else {
                text = "\u{FFFD}"
                width = 1
            }
            cells.append(Cell(text: text, start: position, width: width))
            position += width
            i += length
        }
    }

    /// The display position where 1-based `column` starts; columns past the end of the line
    /// continue one cell a column.
    func displayStart(ofColumn column: Int) -> Int {
        let index = max(column, 1) - 1
        if index < cells.count { return cells[index].start }
        return width + (index - cells.count)
    }

    /// The display width of columns `from..<to` (at least 1, so an empty range still gets a caret).
    func displayWidth(from: Int, to: Int) -> Int {
        max(1, displayStart(ofColumn: to) - displayStart(ofColumn: from))
    }

    /// The cells whose display positions lie in `window`, joined.
    func text(in window: Range<Int>) -> String {
        var s = ""
        for c in cells where c.start >= window.lowerBound && c.start + c.width <= window.upperBound {
            s += c.text
        }
        return s
    }

    // Same stepping as `SourceFile.scalarLength`, which is internal to FjordSource.
    static func scalarLength(leading b: UInt8) -> Int {
        switch b {
        case 0xF0...0xF7: return 4
        case 0xE0...0xEF: return 3
        case 0xC0...0xDF: return 2
        default: return 1
        }
    }

    /// The scalar a UTF-8 sequence encodes, or nil when it is not valid UTF-8.
    static func decode(_ bytes: ArraySlice<UInt8>) -> Unicode.Scalar? {
        guard let lead = bytes.first else { return nil }
        let count = bytes.count
        if count == 1 { return lead < 0x80 ? Unicode.Scalar(lead) : nil }
        guard count == scalarLength(leading: lead) else { return nil }
        var value = UInt32(lead) & (count == 2 ? 0x1F : count == 3 ? 0x0F : 0x07)
        for b in bytes.dropFirst() {
            guard b & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(b & 0x3F)
        }
        let minimum: UInt32 = count == 2 ? 0x80 : count == 3 ? 0x800 : 0x10000
        guard value >= minimum else { return nil }
        return Unicode.Scalar(value)
    }

    static func isControl(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || (s.value >= 0x7F && s.value < 0xA0) || s.value == 0x2028 || s.value == 0x2029
            || (s.value >= 0x202A && s.value <= 0x202E) || (s.value >= 0x2066 && s.value <= 0x2069)
    }

    /// Terminal cells a scalar takes: 0 for combining marks and invisible format characters,
    /// 2 for East Asian wide and full-width characters and emoji shown as emoji, 1 otherwise.
    static func displayWidth(_ s: Unicode.Scalar) -> Int {
        let v = s.value
        if v < 0x300 { return 1 }
        switch s.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if s.properties.isEmojiPresentation { return 2 }
        switch v {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
            0xFFE0...0xFFE6, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }
}

/// Makes text from messages and paths safe for a terminal: line breaks become `\n`, tabs a
/// space, and other control characters (and bidirectional overrides) `�`.
func terminalSafe(_ s: String) -> String {
    guard s.unicodeScalars.contains(where: { SourceLineCells.isControl($0) && $0 != "\n" }) else { return s }
    var out = String.UnicodeScalarView()
    var previous: Unicode.Scalar = " "
    for u in s.unicodeScalars {
        defer { previous = u }
        switch u {
        case "\n" where previous == "\r":
            continue
        case "\n", "\r":
            out.append("\n")
        case "\t":
            out.append(" ")
        default:
            out.append(SourceLineCells.isControl(u) ? "\u{FFFD}" : u)
        }
    }
    return String(out)
}
