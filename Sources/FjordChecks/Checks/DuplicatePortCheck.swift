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
            check(se.ports.map { ($0.number, $0.name) }, se, ctx)
        }
        for svc in ctx.resources.services {
            check(svc.ports.map { (Optional($0.port), $0.name) }, svc, ctx)
        }
        for dr in ctx.resources.destinationRules {
            for p in ctx.resources.trafficPolicies(of: dr) {
                check(p.portLevelSettings.map { ($0.port, nil) }, dr, ctx)
            }
        }
    }

    static func check(_ ports: [(Located<Int>?, Located<String>?)], _ r: some MeshResource, _ ctx: CheckContext) {
        var numbers: [Int: SourceRange] = [:]
        var names: [String: SourceRange] = [:]
        for (number, name) in ports {
            if let number {
                if let first = numbers[number.value] {
                    ctx.report(.duplicatePort, "port \(number.value) is declared more than once", at: number.range, in: r,
                               notes: [Note("first declared here", at: first)])
                } else {
                    numbers[number.value] = number.range
                }
            }
            if let name, !name.value.isEmpty {
                if let first = names[name.value] {
                    ctx.report(.duplicatePort, "port name \(quoted(name.value)) is declared more than once", at: name.range, in: r,
                               notes: [Note("first declared here", at: first)])
                } else {
                    names[name.value] = name.range
                }
            }
        }
    }
}
