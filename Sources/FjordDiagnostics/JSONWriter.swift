import FjordBasics

/// A JSON value with ordered object keys, written by hand so that output is byte-for-byte
/// deterministic (no Foundation, no dictionary ordering).
public enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case int(Int)
    /// A number already formatted as JSON (see ``JSONValue/number(_:)``).
    case rawNumber(String)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func nullable(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
    public static func nullable(_ n: Int?) -> JSONValue { n.map { .int($0) } ?? .null }

    /// A finite number with at most three decimals (`38.215`, `12`); null when not finite.
    public static func number(_ x: Double?) -> JSONValue {
        guard let x, x.isFinite, abs(x) < 1e15 else { return .null }
        let thousandths = Int((abs(x) * 1000).rounded())
        var s = (x < 0 && thousandths != 0 ? "-" : "") + String(thousandths / 1000)
        var fraction = thousandths % 1000
        if fraction != 0 {
            var digits = 3
            while fraction % 10 == 0 {
                fraction /= 10
                digits -= 1
            }
            let f = String(fraction)
            s += "." + String(repeating: "0", count: digits - f.count) + f
        }
        return .rawNumber(s)
    }

    /// Pretty-printed with two-space indentation, `"key": value`, empty containers as `[]`/`{}`.
    public func written() -> String {
        var out = ""
        write(to: &out, indent: 0)
        return out
    }

    private func write(to out: inout String, indent: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let n): out += String(n)
        case .rawNumber(let s): out += s
        case .string(let s): JSONString.write(s, to: &out)
        case .array(let items):
            guard !items.isEmpty else {
                out += "[]"
                return
            }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += String(repeating: "  ", count: indent + 1)
                item.write(to: &out, indent: indent + 1)
                out += i == items.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: "  ", count: indent) + "]"
        case .object(let members):
            guard !members.isEmpty else {
                out += "{}"
                return
            }
            out += "{\n"
            for (i, (key, value)) in members.enumerated() {
                out += String(repeating: "  ", count: indent + 1)
                JSONString.write(key, to: &out)
                out += ": "
                value.write(to: &out, indent: indent + 1)
                out += i == members.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: "  ", count: indent) + "}"
        }
    }
}
