// JSON string literals: the one escaping every JSON writer of the project uses (diagnostics,
// table dumps, decision and residency output, access logs, the admin endpoint).

/// Writes strings as JSON string literals (RFC 8259).
public enum JSONString {
    /// `s` as a JSON string literal: `"` and `\` escaped, control characters as `\n`, `\r`,
    /// `\t`, `\b`, `\f` or `\u00XX`, DEL and U+2028 and U+2029 as `\u` escapes (so the output
    /// can be embedded in JavaScript), everything else as is.
    public static func literal(_ s: String) -> String {
        var out = ""
        write(s, to: &out)
        return out
    }

    /// Appends `s` as a JSON string literal to `out`.
    public static func write(_ s: String, to out: inout String) {
        out.unicodeScalars.append("\"")
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if u.value < 0x20 || u.value == 0x7F || u.value == 0x2028 || u.value == 0x2029 {
                    out += "\\u"
                    for shift in stride(from: 12, through: 0, by: -4) {
                        out.unicodeScalars.append(hexDigits[Int((u.value >> UInt32(shift)) & 0xF)])
                    }
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out.unicodeScalars.append("\"")
    }

    static let hexDigits: [Unicode.Scalar] = Array("0123456789abcdef".unicodeScalars)
}
