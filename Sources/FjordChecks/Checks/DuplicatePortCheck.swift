import FjordDiagnostics
import FjordModel
import FjordSource

/// FJ1039: port numbers and port names are unique within a resource.
public enum DuplicatePortCheck: MeshCheck {
    public static let metadata = CheckMetadata(
        name: "duplicate-port", codes: [.duplicatePort], summary: "the same port number or port name declared twice",
        inputs: [.serviceEntry, .service, .destinationRule])

    public static func run(_ ctx: CheckContext) {
        for se in ctx.resources.serviceEntries {
            check(se.ports.map { ($0.number, nil, $0.name) }, se, ctx)
        }
        for svc in ctx.resources.services {
            // A Kubernetes Service may expose one number over TCP and UDP (DNS on 53); only the
            // same number with the same protocol (TCP by default) is a duplicate.
            check(svc.ports.map { (Optional($0.port), $0.protocol?.value.uppercased() ?? "TCP", $0.name) }, svc, ctx)
        }
        for dr in ctx.resources.destinationRules {
            for p in ctx.resources.trafficPolicies(of: dr) {
                check(p.portLevelSettings.map { ($0.port, nil, nil) }, dr, ctx)
            }
        }
    }

    static func check(
        _ ports: [(number: Located<Int>?, protocol: String?, name: Located<String>?)], _ r: some MeshResource,
        _ ctx: CheckContext
    ) {
        var numbers: [String: SourceRange] = [:]
        var names: [String: SourceRange] = [:]
        for (number, proto, name) in ports {
            if let number {
                let key = "\(number.value)/\(proto ?? "")"
                if let first = numbers[key] {
                    let shown = proto.map { "\(number.value)/\($0)" } ?? "\(number.value)"
                    ctx.report(
                        .duplicatePort, "port \(shown) is declared more than once", at: number.range, in: r,
                        notes: [Note("first declared here", at: first)])
                } else {
                    numbers[key] = number.range
                }
            }
            if let name, !name.value.isEmpty {
                if let first = names[name.value] {
                    ctx.report(
                        .duplicatePort, "port name \(quoted(name.value)) is declared more than once", at: name.range,
                        in: r,
                        notes: [Note("first declared here", at: first)])
                } else {
                    names[name.value] = name.range
                }
            }
        }
    }
}
