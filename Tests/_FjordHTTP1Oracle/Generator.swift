import FjordHTTP1

/// What a generated run found.
public struct GeneratedRun: Sendable {
    public var accepted = 0
    public var refused = 0
    public var stricter: [String: Int] = [:]
    public var disagreements: [String] = []
    public init() {}
}

/// `count` seeded messages (requests and responses in turn, half of them mutated), each compared
/// with the oracle whole, byte by byte and split at a random point.
public func runGenerated(count: Int, seed: UInt64) -> GeneratedRun {
    var g = MessageGenerator(seed: seed)
    var run = GeneratedRun()
    for n in 0..<count {
        let request = n % 2 == 0
        var input = request ? g.requests() : g.responses()
        if g.chance(50) { g.mutate(&input) }
        let split = input.isEmpty ? 0 : Int(g.next() % UInt64(input.count + 1))
        switch compare(request, input, split: split) {
        case .agree:
            if nioVerdict(request, [input]).refused { run.refused += 1 } else { run.accepted += 1 }
        case .stricter(let why): run.stricter[why, default: 0] += 1
        case .disagree(let nio, let fjord):
            run.disagreements.append(
                "#\(n) \(String(decoding: input, as: UTF8.self).debugDescription)\n  nio:   \(nio)\n  fjord: \(fjord)")
        }
    }
    return run
}

/// Seeded HTTP/1.1 messages in the shapes proxies see, and mutations of them.
public struct MessageGenerator {
    var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func chance(_ percent: Int) -> Bool { int(100) < percent }
    mutating func pick<T>(_ xs: [T]) -> T { xs[int(xs.count)] }
    mutating func word(_ alphabet: String, _ minLength: Int, _ maxLength: Int) -> String {
        let a = Array(alphabet)
        return String((0..<(minLength + int(maxLength - minLength + 1))).map { _ in a[int(a.count)] })
    }

    static let tchars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.!#$%&'*+^`|~"
    static let valueChars = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.,;:=/\"()[]{}?@\t"
    static let pathChars = "abcdefghijklmnopqrstuvwxyz0123456789-_.~/%!$&'()*+,;=:@"

    mutating func fieldLines(request: Bool) -> [String] {
        var lines: [String] = []
        for _ in 0..<int(5) {
            let name =
                chance(20)
                ? pick(["Accept", "User-Agent", "X-Request-Id", "Cookie", "Trailer", "TE"]) : word(Self.tchars, 1, 12)
            var value = word(Self.valueChars, 0, 30)
            if chance(20) { value = " " + value + " " }
            lines.append("\(name):\(chance(80) ? " " : "")\(value)")
        }
        if chance(15) {
            lines.append("Connection: " + pick(["keep-alive", "close", "Keep-Alive", "x-a, close", "te"]))
        }
        if request && chance(10) { lines.append("Expect: 100-continue") }
        if chance(4) { lines.append("Upgrade: h2c") }
        return lines
    }

    mutating func body(_ lines: inout [String]) -> String {
        switch int(4) {
        case 0: return ""
        case 1:
            let b = word(Self.valueChars, 0, 40)
            lines.append("Content-Length: \(b.utf8.count)")
            return b
        case 2:
            lines.append("Transfer-Encoding: chunked")
            var s = ""
            for _ in 0..<int(4) {
                let c = word(Self.valueChars, 1, 20)
                var size = String(c.utf8.count, radix: 16)
                if chance(30) { size = size.uppercased() }
                let ext =
                    chance(20)
                    ? ";" + word(Self.tchars, 1, 5) + (chance(50) ? "=" + word(Self.tchars, 1, 5) : "=\"q d\"") : ""
                s += "\(size)\(ext)\r\n\(c)\r\n"
            }
            s += "0\r\n"
            if chance(20) { s += "X-Trailer: \(word(Self.tchars, 1, 8))\r\n" }
            return s + "\r\n"
        default:
            return ""
        }
    }

    public mutating func requests() -> [UInt8] {
        var out = ""
        for _ in 0..<(1 + int(3)) {
            let method = pick(["GET", "GET", "POST", "PUT", "HEAD", "DELETE", "OPTIONS", "PATCH", "PROPFIND"])
            var target = "/" + word(Self.pathChars, 0, 20) + (chance(30) ? "?" + word(Self.pathChars, 0, 10) : "")
            if chance(5) { target = "http://" + word("abcdefgh.", 1, 8) + target }
            let version = chance(85) ? "1.1" : "1.0"
            var lines = fieldLines(request: true)
            if chance(95) {
                let host = word("abcdefghijklmnopqrstuvwxyz.-", 1, 15) + (chance(30) ? ":\(int(70000))" : "")
                lines.insert("Host: \(host)", at: int(lines.count + 1))
            }
            let b = body(&lines)
            out += "\(method) \(target) HTTP/\(version)\r\n" + lines.map { $0 + "\r\n" }.joined() + "\r\n" + b
        }
        return Array(out.utf8)
    }

    public mutating func responses() -> [UInt8] {
        var out = ""
        let n = 1 + int(3)
        for k in 0..<n {
            if chance(10) { out += "HTTP/1.1 100 Continue\r\n\r\n" }
            let status = pick([200, 200, 201, 204, 301, 304, 404, 500, 503])
            let version = chance(90) ? "1.1" : "1.0"
            var lines = fieldLines(request: false)
            var b = body(&lines)
            if !lines.contains(where: { $0.hasPrefix("Content-Length") || $0.hasPrefix("Transfer-Encoding") }) {
                if k == n - 1 { b = word(Self.valueChars, 0, 20) } else { lines.append("Content-Length: 0") }
            }
            if status == 204 || status == 304 { b = "" }
            let reason = chance(90) ? " " + word("abcdefghijklmnopqrstuvwxyz ", 0, 12) : ""
            out += "HTTP/\(version) \(status)\(reason)\r\n" + lines.map { $0 + "\r\n" }.joined() + "\r\n" + b
        }
        return Array(out.utf8)
    }

    static let interesting: [UInt8] = [0, 9, 10, 13, 32, 34, 44, 58, 59, 61, 0x7F, 0x80, 0xFF, 0x41, 0x30, 0x66]
    static let snippets = [
        "Content-Length: 5\r\n", "Transfer-Encoding: chunked\r\n", "Host: x\r\n", " folded\r\n", "X : y\r\n", "\r\n",
        "Content-Length: 0\r\n", "Transfer-Encoding: gzip\r\n", "Host: u@h:1\r\n", "Connection: close\r\n",
    ]

    public mutating func mutate(_ b: inout [UInt8]) {
        for _ in 0..<(1 + int(3)) {
            guard !b.isEmpty else { return }
            let at = int(b.count)
            switch int(5) {
            case 0: b[at] = pick(Self.interesting)
            case 1: b.remove(at: at)
            case 2: b.insert(pick(Self.interesting), at: at)
            case 3:
                // A snippet at a line start.
                let starts = b.indices.filter { $0 == 0 || b[$0 - 1] == 10 }
                b.insert(contentsOf: Array(pick(Self.snippets).utf8), at: pick(starts))
            default: b[at] = UInt8(truncatingIfNeeded: next())
            }
        }
    }
}
