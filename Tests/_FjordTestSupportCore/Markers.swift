import FjordSource

/// Text with position markers (`0️⃣`, `1️⃣`, ... `9️⃣`, `🔟`) taken out, and where each marker was.
public struct MarkedText {
    /// The text with the markers removed.
    public var text: String
    /// Marker number -> 1-based line and column (in Unicode scalars) in `text`.
    public var positions: [Int: SourcePosition] = [:]
    /// Marker number -> byte offset in `text`.
    public var offsets: [Int: Int] = [:]

    /// The markers, by number.
    public static let markers = ["0️⃣", "1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣", "🔟"]

    public init(_ marked: String) {
        var out = ""
        var line = 1
        var column = 1
        var bytes = 0
        var i = marked.startIndex
        outer: while i < marked.endIndex {
            for (n, m) in Self.markers.enumerated() where marked[i...].hasPrefix(m) {
                positions[n] = SourcePosition(line: line, column: column)
                offsets[n] = bytes
                i = marked.index(i, offsetBy: m.count)
                continue outer
            }
            let c = marked[i]
            out.append(c)
            bytes += c.utf8.count
            if c == "\n" || c == "\r\n" {
                line += 1
                column = 1
            } else {
                column += c.unicodeScalars.count
            }
            i = marked.index(after: i)
        }
        self.text = out
    }

    /// The position of marker `n`; a test that asks for a marker its input lacks is wrong.
    public subscript(_ n: Int) -> SourcePosition {
        guard let p = positions[n] else { preconditionFailure("marker \(n) is not in the test input") }
        return p
    }
}

/// An expected finding written inside a fixture as a comment whose caret points at the column of
/// the nearest preceding non-expectation line:
///
///     port: 70000
///     #     ^ FJ1016
///
/// Optionally followed by the severity and a quoted message fragment:
/// `#     ^ FJ1016 error "outside 1-65535"`.
///
/// Column 1 holds the `#` of every comment line, so a caret written right after it (`#^ FJ1014`)
/// marks column 1 (file-level findings point there).
public struct Expectation: Hashable, CustomStringConvertible {
    public var code: String
    public var line: Int
    public var column: Int
    public var severity: String?
    public var messageFragment: String?

    public var description: String {
        "\(line):\(column) \(code)" + (severity.map { " \($0)" } ?? "") + (messageFragment.map { " \"\($0)\"" } ?? "")
    }

    /// Reads the expectations of a fixture.
    public static func parse(_ text: String) -> [Expectation] {
        var out: [Expectation] = []
        var lastContentLine = 0
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw)
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("#"), let caret = line.firstIndex(of: "^"),
                line[line.index(after: line.firstIndex(of: "#")!)..<caret].allSatisfy({ $0 == " " })
            {
                let hash = line.firstIndex(of: "#")!
                let column = line.index(after: hash) == caret ? 1 : line[..<caret].unicodeScalars.count + 1
                var rest = line[line.index(after: caret)...].drop { $0 == " " || $0 == "~" || $0 == "^" }
                let code = String(rest.prefix { $0 != " " })
                guard code.hasPrefix("FJ"), lastContentLine > 0 else { continue }
                rest = rest.dropFirst(code.count).drop { $0 == " " }
                var severity: String?
                for s in ["error", "warning", "info"] where rest.hasPrefix(s) {
                    severity = s
                    rest = rest.dropFirst(s.count).drop { $0 == " " }
                }
                var fragment: String?
                if rest.hasPrefix("\""), let end = rest.dropFirst().firstIndex(of: "\"") {
                    fragment = String(rest[rest.index(after: rest.startIndex)..<end])
                }
                out.append(
                    Expectation(
                        code: code, line: lastContentLine, column: column, severity: severity, messageFragment: fragment
                    ))
            } else {
                lastContentLine = i + 1
            }
        }
        return out
    }
}
