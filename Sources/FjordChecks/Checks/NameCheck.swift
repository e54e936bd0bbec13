import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ1031: subset names (and other names Istio turns into cluster names) are DNS-1123 labels,
/// and object names are what the Kubernetes API server accepts for their kind: a DNS-1035 label
/// for a Service (it becomes a DNS name), a DNS-1123 label for a Namespace, a DNS-1123
/// subdomain for every other kind. The API server refuses the object, so it is an error.
public enum NameCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "invalid-name", codes: [.invalidName],
        summary: "object and subset names that Kubernetes or Istio reject (DNS-1123 labels and subdomains)",
        inputs: [.destinationRule, .virtualService, .service, .namespace])

    public static func run(_ ctx: CheckContext) {
        for (key, meta, origin) in ctx.resources.allMetadata {
            let name = meta.name.value
            guard !name.isEmpty, let problem = objectNameProblem(name, kind: key.kind) else { continue }
            ctx.report(
                Diagnostic(
                    .invalidName,
                    "name \(quoted(name)) is not a valid \(problem.form), as a \(key.kind.rawValue) name must be",
                    at: meta.name.range.isSynthetic ? origin.documentRange : meta.name.range,
                    resource: ResourceRef(
                        kind: key.kind.rawValue, namespace: key.namespace.isEmpty ? nil : key.namespace, name: name),
                    notes: [Note(problem.rule), Note("the Kubernetes API server refuses to create the object")],
                    fix: FixIt("rename it, for example \(quoted(suggestedName(name, label: problem.isLabel)))")))
        }
        for dr in ctx.resources.destinationRules {
            for s in dr.subsets where !isDNS1123Label(s.name.value) {
                ctx.report(
                    .invalidName, "subset name \(quoted(s.name.value)) is not a valid DNS-1123 label", at: s.name.range,
                    in: dr,
                    notes: [
                        Note(
                            "lowercase letters, digits and `-`, starting and ending with a letter or digit, at most 63")
                    ])
            }
        }
        for vs in ctx.resources.virtualServices {
            let destinations =
                vs.http.flatMap(\.allDestinations) + vs.tcp.flatMap { $0.route.map(\.destination) }
                + vs.tls.flatMap { $0.route.map(\.destination) }
            for d in destinations {
                if let s = d.subset, !isDNS1123Label(s.value) {
                    ctx.report(
                        .invalidName, "subset name \(quoted(s.value)) is not a valid DNS-1123 label", at: s.range,
                        in: vs)
                }
            }
        }
    }
}

/// Why an object name is not one the API server accepts for `kind`, or nil.
func objectNameProblem(_ name: String, kind: ResourceKind) -> (form: String, rule: String, isLabel: Bool)? {
    switch kind {
    case .service:
        let u = Array(name.utf8)
        let startsWithLetter = u.first.map { $0 >= 0x61 && $0 <= 0x7A } ?? false
        guard !(isDNS1123Label(name) && startsWithLetter) else { return nil }
        return (
            "DNS-1035 label",
            "a Service name is a DNS-1035 label: lowercase letters, digits and `-`, starting with a letter, ending with a letter or digit, at most 63",
            true
        )
    case .namespace:
        guard !isDNS1123Label(name) else { return nil }
        return (
            "DNS-1123 label",
            "a Namespace name is a DNS-1123 label: lowercase letters, digits and `-`, starting and ending with a letter or digit, at most 63",
            true
        )
    default:
        guard !isDNS1123Subdomain(name) else { return nil }
        return (
            "DNS-1123 subdomain",
            "an object name is a DNS-1123 subdomain: lowercase letters, digits, `-` and `.`, starting and ending with a letter or digit, at most 253",
            false
        )
    }
}

/// A DNS-1123 subdomain as Kubernetes checks it: lowercase letters, digits and `-` in
/// dot-separated parts that start and end with a letter or digit, at most 253 characters.
func isDNS1123Subdomain(_ s: String) -> Bool {
    var count = 0
    var labelLength = 0
    var previous: UInt8 = UInt8(ascii: ".")
    for c in s.utf8 {
        count += 1
        let alnum = (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39)
        if c == UInt8(ascii: ".") {
            // A label ends: it must be non-empty and end with a letter or digit.
            guard labelLength > 0, previous != UInt8(ascii: "-") else { return false }
            labelLength = 0
        } else if alnum || c == UInt8(ascii: "-") {
            // A label starts with a letter or digit.
            if labelLength == 0 && !alnum { return false }
            labelLength += 1
        } else {
            return false
        }
        previous = c
    }
    return count > 0 && count <= 253 && labelLength > 0 && previous != UInt8(ascii: "-")
}

/// A name in the accepted form: lowercased, other characters replaced by `-`, trimmed.
func suggestedName(_ name: String, label: Bool) -> String {
    var out = ""
    for c in name.lowercased() {
        if c.isASCII && (c.isLetter || c.isNumber) {
            out.append(c)
        } else if c == "." && !label {
            out.append(c)
        } else {
            out.append("-")
        }
    }
    while let f = out.first, !(f.isASCII && f.isLetter) && !(f.isASCII && f.isNumber && !label) { out.removeFirst() }
    while let l = out.last, !(l.isASCII && (l.isLetter || l.isNumber)) { out.removeLast() }
    if out.isEmpty { out = "name" }
    return String(out.prefix(label ? 63 : 253))
}
