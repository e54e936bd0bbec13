import Foundation
import Testing
import _FjordTestSupport

/// Small inputs shared by the command-line tests.
enum Samples {
    /// A VirtualService with nothing to report.
    static let clean = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: reviews
          namespace: default
        spec:
          hosts:
          - reviews
          http:
          - route:
            - destination:
                host: reviews
                port:
                  number: 9080
            timeout: 2s

        """

    /// Two FJ1016 errors (11:13 and 16:19).
    static let badPorts = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: reviews
          namespace: default
        spec:
          hosts:
          - reviews
          http:
          - match:
            - port: 0
            route:
            - destination:
                host: reviews
                port:
                  number: 70000
            timeout: 2s

        """

    /// One FJ1003 warning (unknown field `htp`, 9:3), nothing else.
    static let unknownField = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: reviews
          namespace: default
        spec:
          hosts:
          - reviews
          htp: []
          http:
          - route:
            - destination:
                host: reviews
            timeout: 2s

        """

    /// Every severity: a warning (FJ1003, 9:3), two errors (FJ1016, 12:13 and 17:19) and an info
    /// (FJ1007, 21:7), in that source order.
    static let mixed = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: reviews
          namespace: default
        spec:
          hosts:
          - reviews
          htp: []
          http:
          - match:
            - port: 0
            route:
            - destination:
                host: reviews
                port:
                  number: 70000
            timeout: 2s
        ---
        apiVersion: example.com/v1
        kind: Frobnicator
        metadata:
          name: f

        """

    /// `reviews` ignores FJ1016 (two findings) but not the FJ1004 of its timeout; `ratings` has
    /// no annotation and keeps its FJ1016.
    static let ignoreAnnotation = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: reviews
          namespace: default
          annotations:
            fjord.dev/ignore: "FJ1016"
        spec:
          hosts:
          - reviews
          http:
          - match:
            - port: 0
            route:
            - destination:
                host: reviews
                port:
                  number: 70000
            timeout: 2x
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: ratings
          namespace: default
        spec:
          hosts:
          - ratings
          http:
          - route:
            - destination:
                host: ratings
                port:
                  number: 70000
            timeout: 2s

        """
}

/// The diagnostics of a parsed `--format json` document.
func diagnostics(_ json: [String: Any]) -> [[String: Any]] {
    json["diagnostics"] as? [[String: Any]] ?? []
}

func summary(_ json: [String: Any]) -> [String: Any] {
    json["summary"] as? [String: Any] ?? [:]
}

/// `code@line:column` of each diagnostic, for readable comparisons.
func positions(_ json: [String: Any]) -> [String] {
    diagnostics(json).map { d in "\(d["code"] ?? "?")@\(d["line"] ?? "?"):\(d["column"] ?? "?")" }
}

/// Whether `output` has a text-format header line for `code` in the file `path`.
func hasHeader(_ output: String, path: String, code: String) -> Bool {
    output.split(separator: "\n").contains { line in
        line.hasPrefix(path + ":") && line.contains("[\(code)]") && isHeader(String(line))
    }
}

/// Whether `line` starts `file:line:column: severity: [FJxxxx] `.
func isHeader(_ line: String) -> Bool {
    line.firstMatch(of: #/^.+:\d+:\d+: (error|warning|info): \[FJ\d{4}\] /#) != nil
}
