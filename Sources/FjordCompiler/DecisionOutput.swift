import FjordBasics
import FjordModel
import FjordTable

/// Text and JSON forms of decisions and explanations, for `fjord explain`.
public enum DecisionOutput {
    // MARK: JSON

    /// One JSON object: `{"outcome", "host", "rule": {...} | null, "action": {...} | null}`.
    public static func json(_ d: DecisionRecord) -> String { jsonValue(d).rendered }

    public static func jsonValue(_ d: DecisionRecord) -> JSON {
        var rule = JSON.null
        if let r = d.rule {
            var fields: [(String, JSON)] = [
                ("virtualService", .string(r.virtualService)), ("index", .int(r.index)), ("name", .opt(r.name)),
            ]
            if let del = r.delegate {
                fields += [("delegate", .string(del)), ("delegateIndex", .opt(r.delegateIndex))]
            }
            rule = .object(fields)
        }
        return .object([
            ("outcome", .string(d.outcome.rawValue)), ("host", .opt(d.host)), ("rule", rule),
            ("action", d.action.map(action) ?? .null),
        ])
    }

    /// The decision's object with `trace`: the host resolution, the VirtualServices the proxy
    /// ignores for the host, and each rule tried with the condition that failed (the text output's
    /// trace, for scripts).
    public static func json(_ e: Explanation) -> String {
        guard case .object(var fields) = jsonValue(e.decision) else { return jsonValue(e.decision).rendered }
        let rules: [JSON] = e.rules.map { r in
            .object([
                ("virtualService", .string(r.ref.virtualService)), ("index", .int(r.ref.index)),
                ("name", .opt(r.ref.name)),
                ("delegate", .opt(r.ref.delegate)), ("delegateIndex", .opt(r.ref.delegateIndex)),
                ("matched", .bool(r.matched)),
                ("matchedConditions", .array(r.matchedConditions.map(JSON.string))),
                ("blocks", .array(r.blocks.map { .object([("index", .int($0.index)), ("failed", .opt($0.failed))]) })),
            ])
        }
        fields.append(
            (
                "trace",
                .object([
                    ("host", .opt(e.hostResolution)),
                    ("virtualServices", .array(e.virtualServices.map(JSON.string))),
                    ("ignoredVirtualServices", .array(e.ignoredVirtualServices.map(JSON.string))),
                    ("rules", .array(rules)),
                ])
            ))
        return JSON.object(fields).rendered
    }

    static func destination(_ d: DestinationRecord) -> JSON {
        .object([
            ("host", .string(d.host)), ("subset", .opt(d.subset)), ("port", .opt(d.port)), ("weight", .int(d.weight)),
            ("requestHeaders", headerOps(d.requestHeaders)), ("responseHeaders", headerOps(d.responseHeaders)),
        ])
    }

    static func mirrorDestination(_ d: DestinationRecord) -> JSON {
        .object([("host", .string(d.host)), ("subset", .opt(d.subset)), ("port", .opt(d.port))])
    }

    static func headerOps(_ h: HeaderOpsRecord) -> JSON {
        .object([
            ("set", .array(h.set.map { .object([("name", .string($0.name)), ("value", .string($0.value))]) })),
            ("add", .array(h.add.map { .object([("name", .string($0.name)), ("value", .string($0.value))]) })),
            ("remove", .array(h.remove.map { .string($0) })),
        ])
    }

    static func action(_ a: ActionRecord) -> JSON {
        .object([
            ("kind", .string(a.kind.rawValue)),
            ("destinations", .array(a.destinations.map(destination))),
            (
                "redirect",
                a.redirect.map { r in
                    .object([
                        ("uri", .opt(r.uri)), ("authority", .opt(r.authority)), ("scheme", .opt(r.scheme)),
                        ("port", .opt(r.port)),
                        ("derivePort", .opt(r.derivePort)), ("code", .int(r.code)),
                    ])
                } ?? .null
            ),
            (
                "directResponse",
                a.directStatus.map { .object([("status", .int($0)), ("body", .opt(a.directBody))]) } ?? .null
            ),
            (
                "rewrite",
                a.rewrite.map { r in
                    .object([
                        ("uri", .opt(r.uri)), ("authority", .opt(r.authority)), ("regexMatch", .opt(r.regexMatch)),
                        ("regexSubstitution", .opt(r.regexSubstitution)),
                    ])
                } ?? .null
            ),
            ("requestHeaders", headerOps(a.requestHeaders)),
            ("responseHeaders", headerOps(a.responseHeaders)),
            ("timeoutMs", .opt(a.timeoutMs)),
            (
                "retries",
                .object([
                    ("attempts", .int(a.retries.attempts)), ("perTryTimeoutMs", .opt(a.retries.perTryTimeoutMs)),
                    ("retryOn", .string(a.retries.retryOn)), ("backoffMs", .opt(a.retries.backoffMs)),
                ])
            ),
            (
                "fault",
                a.fault.map { f in
                    .object([
                        ("delayMs", .opt(f.delayMs)), ("delayPercentage", .double(f.delayPercentage)),
                        ("abortStatus", .opt(f.abortStatus)),
                        ("abortGrpcStatus", .opt(f.abortGrpcStatus)), ("abortPercentage", .double(f.abortPercentage)),
                    ])
                } ?? .null
            ),
            (
                "mirrors",
                .array(
                    a.mirrors.map {
                        .object([
                            ("destination", mirrorDestination($0.destination)), ("percentage", .double($0.percentage)),
                        ])
                    })
            ),
        ])
    }

    // MARK: Text

    public static func text(_ d: DecisionRecord) -> String {
        var lines: [String] = []
        switch d.outcome {
        case .passthrough: lines.append("unknown host: forwarded as addressed (outbound traffic policy ALLOW_ANY)")
        case .blackhole: lines.append("unknown host: refused with 502 (outbound traffic policy REGISTRY_ONLY)")
        case .noRoute: lines.append(d.host.map { "\($0): no rule matches; 404" } ?? "no virtual host matches; 404")
        case .defaultRoute: lines.append("\(d.host ?? "?"): no VirtualService; Istio's default route")
        case .matched:
            if let r = d.rule {
                let name = r.name.map { " `\($0)`" } ?? ""
                var s = "\(d.host ?? "?") via VirtualService \(r.virtualService) rule \(r.index)\(name)"
                if let del = r.delegate, let di = r.delegateIndex { s += " (delegate \(del) rule \(di))" }
                lines.append(s)
            } else {
                lines.append("\(d.host ?? "?")")
            }
        }
        if let a = d.action { lines.append("  -> " + actionText(a)) }
        return lines.joined(separator: "\n")
    }

    public static func actionText(_ a: ActionRecord) -> String {
        var parts: [String] = []
        switch a.kind {
        case .route:
            let total = max(1, a.destinations.reduce(0) { $0 + $1.weight })
            parts.append(
                a.destinations.map { d in
                    let pct = Double(d.weight) * 100 / Double(total)
                    let pctText = pct == pct.rounded() ? "\(Int(pct))" : String(format1(pct))
                    var s =
                        "\(d.host)\(d.port.map { ":\($0)" } ?? "")\(d.subset.map { " subset \($0)" } ?? "") (\(pctText) %)"
                    if !d.requestHeaders.isEmpty { s += " request headers \(ops(d.requestHeaders))" }
                    if !d.responseHeaders.isEmpty { s += " response headers \(ops(d.responseHeaders))" }
                    return s
                }.joined(separator: ", "))
        case .redirect:
            let r = a.redirect
            var s = "redirect \(r?.code ?? 301)"
            if let sc = r?.scheme { s += " scheme \(sc)" }
            if let au = r?.authority { s += " authority \(au)" }
            if let u = r?.uri { s += " uri \(u)" }
            if let p = r?.port { s += " port \(p)" }
            parts.append(s)
        case .directResponse:
            parts.append("direct response \(a.directStatus ?? 0)" + (a.directBody.map { " \"\($0)\"" } ?? ""))
        }
        if let rw = a.rewrite {
            if let u = rw.uri { parts.append("rewrite uri \(u)") }
            if let m = rw.regexMatch, let s = rw.regexSubstitution { parts.append("rewrite uri /\(m)/ -> \(s)") }
            if let au = rw.authority { parts.append("rewrite authority \(au)") }
        }
        if a.kind == .route {
            parts.append("timeout " + (a.timeoutMs.map { "\($0) ms" } ?? "none"))
            parts.append(
                a.retries.attempts == 0
                    ? "no retries"
                    : "retries \(a.retries.attempts) on \(a.retries.retryOn)"
                        + (a.retries.perTryTimeoutMs.map { ", \($0) ms per try" } ?? ""))
        }
        if let f = a.fault {
            if let d = f.delayMs { parts.append("fault delay \(d) ms for \(format1(f.delayPercentage)) %") }
            if let s = f.abortStatus { parts.append("fault abort \(s) for \(format1(f.abortPercentage)) %") }
            if let g = f.abortGrpcStatus { parts.append("fault abort gRPC \(g) for \(format1(f.abortPercentage)) %") }
        }
        for m in a.mirrors {
            parts.append(
                "mirror \(format1(m.percentage)) % to \(m.destination.host)\(m.destination.subset.map { " subset \($0)" } ?? "")"
            )
        }
        if !a.requestHeaders.isEmpty { parts.append("request headers \(ops(a.requestHeaders))") }
        if !a.responseHeaders.isEmpty { parts.append("response headers \(ops(a.responseHeaders))") }
        return parts.joined(separator: ", ")
    }

    static func ops(_ h: HeaderOpsRecord) -> String {
        (h.set.map { "set \($0.name)=\($0.value)" } + h.add.map { "add \($0.name)=\($0.value)" }
            + h.remove.map { "remove \($0)" })
            .joined(separator: " ")
    }

    static func format1(_ v: Double) -> String {
        v == v.rounded() ? String(Int(v)) : String((v * 10).rounded() / 10)
    }

    /// The explanation as text: the decision, then one line per rule tried.
    public static func text(_ e: Explanation) -> String {
        var out = text(e.decision)
        var trace: [String] = []
        if let h = e.hostResolution { trace.append("  host: \(h)") }
        if !e.ignoredVirtualServices.isEmpty {
            trace.append(
                "  note: sidecars ignore \(e.ignoredVirtualServices.joined(separator: ", ")) for this host (only the first VirtualService counts)"
            )
        }
        for r in e.rules {
            let name =
                "rule \(r.ref.index)" + (r.ref.name.map { " `\($0)`" } ?? "")
                + (r.ref.delegate.map { d in " (delegate \(d) rule \(r.ref.delegateIndex ?? 0))" } ?? "")
            if r.matched {
                trace.append(
                    "  \(name) matched"
                        + (r.matchedConditions.isEmpty
                            ? " (no conditions)" : ": " + r.matchedConditions.joined(separator: ", ")))
            } else {
                let reasons = r.blocks.map { b in "block \(b.index): \(b.failed ?? "?")" }
                trace.append("  \(name) skipped: " + reasons.joined(separator: "; "))
            }
        }
        if !trace.isEmpty { out += "\n" + trace.joined(separator: "\n") }
        return out
    }
}

/// A small JSON value with deterministic, compact rendering.
public indirect enum JSON: Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    static func opt(_ s: String?) -> JSON { s.map(JSON.string) ?? .null }
    static func opt(_ i: Int?) -> JSON { i.map(JSON.int) ?? .null }

    public var rendered: String {
        var out = ""
        write(&out)
        return out
    }

    func write(_ out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
        case .string(let s): out += JSONString.literal(s)
        case .array(let items):
            out += "["
            for (i, v) in items.enumerated() {
                if i > 0 { out += "," }
                v.write(&out)
            }
            out += "]"
        case .object(let fields):
            out += "{"
            for (i, (k, v)) in fields.enumerated() {
                if i > 0 { out += "," }
                out += JSONString.literal(k) + ":"
                v.write(&out)
            }
            out += "}"
        }
    }
}
