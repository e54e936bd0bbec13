import FjordSource
import Testing

@testable import FjordDiagnostics

/// Source text with position markers (`1️⃣` ... `9️⃣`) in the style of swift-syntax's rule tests:
/// the markers are removed and their positions (line, column in Unicode scalars) remembered.
struct MarkedSource {
    var text: String
    var markers: [Int: SourcePosition] = [:]

    init(_ marked: String) {
        var out = String.UnicodeScalarView()
        let scalars = Array(marked.unicodeScalars)
        var line = 1
        var column = 1
        var i = 0
        while i < scalars.count {
            let u = scalars[i]
            if i + 2 < scalars.count, scalars[i + 1] == "\u{FE0F}", scalars[i + 2] == "\u{20E3}",
                let digit = Int(String(u))
            {
                markers[digit] = SourcePosition(line: line, column: column)
                i += 3
                continue
            }
            out.append(u)
            if u == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
            i += 1
        }
        text = String(out)
    }

    subscript(_ marker: Int) -> SourcePosition {
        markers[marker] ?? SourcePosition(line: 0, column: 0)
    }
}

/// A SourceManager with files built from marked sources.
struct Fixture {
    var sources = SourceManager()
    var marked: [FileID: MarkedSource] = [:]

    @discardableResult
    mutating func add(_ path: String, _ text: String) -> FileID {
        let m = MarkedSource(text)
        let file = sources.add(path: path, bytes: Array(m.text.utf8))
        marked[file.id] = m
        return file.id
    }

    /// The range between two markers of a file (one marker: an empty range).
    func range(_ file: FileID, _ from: Int, _ to: Int? = nil) -> SourceRange {
        let m = marked[file] ?? MarkedSource("")
        return SourceRange(file: file, start: m[from], end: m[to ?? from])
    }
}

/// The payments mesh used by several tests (lines numbered on the right).
let paymentsYAML = """
    apiVersion: networking.istio.io/v1
    kind: VirtualService
    metadata:
      name: payments
      namespace: default
    spec:
      hosts: [payment-service]
      http:
      - name: 3️⃣debug4️⃣
        match:
        - headers:
            x-user: {prefix: ali}
        route:
        - destination: {host: payment-service, subset: v2}
      - name: canary-v2
        match:
        - 1️⃣headers:2️⃣
            x-user: {exact: alice}
        route:
        - destination: {host: payment-service, subset: v1}

    """

let paymentsResource = ResourceRef(kind: "VirtualService", namespace: "default", name: "payments")

/// Compares line by line so that a failure shows the first differing line.
func expectLines(_ actual: String, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual == expected, sourceLocation: sourceLocation)
    if actual != expected {
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(a.count, e.count) {
            let x = i < a.count ? String(a[i]) : "<none>"
            let y = i < e.count ? String(e[i]) : "<none>"
            if x != y {
                Issue.record(
                    "line \(i + 1) differs:\n  actual:   \(x.debugDescription)\n  expected: \(y.debugDescription)",
                    sourceLocation: sourceLocation)
                break
            }
        }
    }
}
