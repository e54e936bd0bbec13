import FjordYAML

/// Interpretation of scalar text the way Kubernetes' YAML decoding (YAML 1.1, then JSON) reads it.
enum Scalars {
    /// Plain scalars that YAML 1.1 parsers such as kubectl's read as booleans: the "Norway problem".
    static func yaml11Bool(_ text: String) -> Bool? {
        switch text {
        case "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON": return true
        case "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF": return false
        default: return nil
        }
    }

    /// A decimal integer (optionally signed), as JSON numbers are written.
    static func integer(_ text: String) -> Int? {
        guard let first = text.utf8.first,
            (first >= 0x30 && first <= 0x39) || first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
        else {
            return nil
        }
        var t = Substring(text)
        if t.hasPrefix("+") { t = t.dropFirst() }
        guard !t.isEmpty, t.count <= 20 else { return nil }
        return Int(t)
    }

    static func number(_ text: String) -> Double? {
        // Most scalars are words: decide from the first byte before asking the slow parser.
        guard let first = text.utf8.first else { return nil }
        switch first {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."): break
        default: return nil
        }
        guard text.utf8.count <= 64 else { return nil }
        if let i = integer(text) { return Double(i) }
        // `Double` first: the validator asks this of every plain string, and lowercasing and
        // searching each one cost 7 % of `fjord check` (docs/performance.md).
        guard let d = Double(text) else { return nil }
        let lowered = text.lowercased()
        if lowered.contains("inf") || lowered.contains("nan") { return nil }
        return d
    }

    /// Parses Go/protobuf durations: `1.5s`, `100ms`, `1h2m3s`, `250us`, `10ns`. Returns
    /// nanoseconds, or nil when malformed or out of range.
    static func durationNanoseconds(_ text: String) -> Int64? {
        let u = Array(text.utf8)
        guard !u.isEmpty, u.count <= 64 else { return nil }
        var i = 0
        var negative = false
        if u[0] == UInt8(ascii: "-") || u[0] == UInt8(ascii: "+") {
            negative = u[0] == UInt8(ascii: "-")
            i = 1
        }
        if i == u.count { return nil }
        if u.count - i == 1, u[i] == UInt8(ascii: "0") { return 0 }
        var total: Double = 0
        while i < u.count {
            let numStart = i
            while i < u.count, (u[i] >= 0x30 && u[i] <= 0x39) || u[i] == UInt8(ascii: ".") { i += 1 }
            guard i > numStart, let value = Double(String(decoding: u[numStart..<i], as: UTF8.self)) else { return nil }
            let unitStart = i
            while i < u.count, !(u[i] >= 0x30 && u[i] <= 0x39), u[i] != UInt8(ascii: ".") { i += 1 }
            let unit = String(decoding: u[unitStart..<i], as: UTF8.self)
            let scale: Double
            switch unit {
            case "ns": scale = 1
            case "us", "µs", "μs": scale = 1e3
            case "ms": scale = 1e6
            case "s": scale = 1e9
            case "m": scale = 60e9
            case "h": scale = 3600e9
            default: return nil
            }
            total += value * scale
            guard total < 9.2e18 else { return nil }
        }
        let ns = Int64(total.rounded())
        return negative ? -ns : ns
    }

    static func duration(_ text: String) -> Duration? {
        durationNanoseconds(text).map { Duration.nanoseconds($0) }
    }

    /// An IPv4 or IPv6 address, optionally `/` and a prefix length that fits it (`10.0.0.0/16`,
    /// `fd00::/8`, `192.168.0.1`), as Istio's `destinationSubnets` accept.
    static func isCIDR(_ text: String) -> Bool {
        let slash = text.firstIndex(of: "/")
        let address = text[..<(slash ?? text.endIndex)]
        let bits: Int
        if isIPv4(address) {
            bits = 32
        } else if isIPv6(address) {
            bits = 128
        } else {
            return false
        }
        guard let slash else { return true }
        let length = text[text.index(after: slash)...]
        guard !length.isEmpty, length.count <= 3, length.allSatisfy(\.isASCII), length.allSatisfy(\.isNumber),
            let n = Int(length)
        else { return false }
        return n <= bits
    }

    static func isIPv4(_ s: Substring) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4
            && parts.allSatisfy { p in
                !p.isEmpty && p.count <= 3 && p.allSatisfy { $0.isASCII && $0.isNumber }
                    && Int(p).map { $0 <= 255 } == true
            }
    }

    static func isIPv6(_ s: Substring) -> Bool {
        guard s.contains(":"), s.count <= 45 else { return false }
        /// The 16-bit groups of a run of `a:b:c` (an IPv4 tail counts two), nil if malformed.
        func groups(_ part: Substring, ipv4Tail: Bool) -> Int? {
            if part.isEmpty { return 0 }
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            var n = 0
            for (i, p) in pieces.enumerated() {
                if ipv4Tail, i == pieces.count - 1, p.contains(".") {
                    guard isIPv4(p) else { return nil }
                    n += 2
                    continue
                }
                guard !p.isEmpty, p.count <= 4, p.allSatisfy(\.isHexDigit) else { return nil }
                n += 1
            }
            return n
        }
        guard let gap = s.firstRange(of: "::") else { return groups(s, ipv4Tail: true) == 8 }
        let head = s[..<gap.lowerBound], tail = s[gap.upperBound...]
        guard tail.firstRange(of: "::") == nil, let a = groups(head, ipv4Tail: false),
            let b = groups(tail, ipv4Tail: true)
        else { return false }
        return a + b < 8
    }

    static func isBase64(_ text: String) -> Bool {
        var count = 0
        var padding = 0
        for b in text.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "+"), UInt8(ascii: "/"):
                if padding > 0 { return false }
                count += 1
            case UInt8(ascii: "="):
                padding += 1
                count += 1
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: " "):
                continue
            default: return false
            }
        }
        return padding <= 2 && count % 4 == 0
    }

    /// Decodes base64 into bytes (assumes `isBase64`).
    static func base64Decode(_ text: String) -> [UInt8] {
        func value(_ b: UInt8) -> UInt8? {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): return b - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): return b - UInt8(ascii: "a") + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0") + 52
            case UInt8(ascii: "+"): return 62
            case UInt8(ascii: "/"): return 63
            default: return nil
            }
        }
        var out: [UInt8] = []
        var acc: UInt32 = 0
        var bits = 0
        for b in text.utf8 {
            guard let v = value(b) else { continue }
            acc = (acc << 6) | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((acc >> UInt32(bits)) & 0xFF))
            }
        }
        return out
    }
}
