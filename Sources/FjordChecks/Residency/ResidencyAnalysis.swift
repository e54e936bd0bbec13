import FjordDecision
import FjordDiagnostics
import FjordModel
import FjordSource

/// Follows every path personal data can take through the mesh and judges each against the
/// ResidencyPolicies. docs/residency.md describes what counts as a path and why.
public struct ResidencyAnalysis {
    public let mesh: Mesh
    public let catalog: RegionCatalog
    let tables: RouteTables
    var locator: Locator
    var compiled: [CompiledPolicy] = []

    public init(mesh: Mesh, catalog: RegionCatalog = .builtIn) {
        self.mesh = mesh
        self.catalog = catalog
        self.tables = RouteTables(mesh: mesh)
        self.locator = Locator(catalog: catalog)
    }

    public static func run(mesh: Mesh, catalog: RegionCatalog = .builtIn, trees: Bool = false) -> ResidencyReport {
        var a = ResidencyAnalysis(mesh: mesh, catalog: catalog)
        return a.run(trees: trees)
    }

    /// The analysis with only the trees of the paths from one workload or Service
    /// (`namespace/name`), personal data or not, judged by every policy (`fjord graph --from`).
    public static func run(mesh: Mesh, catalog: RegionCatalog = .builtIn, treesFrom id: String) -> ResidencyReport {
        var a = ResidencyAnalysis(mesh: mesh, catalog: catalog)
        var report = ResidencyReport()
        report.catalog = catalog
        guard !mesh.resources.residencyPolicies.isEmpty else { return report }
        a.compilePolicies(&report)
        var engine = FlowEngine(
            mesh: mesh, tables: a.tables, locator: a.locator, policies: a.compiled, catalog: catalog)
        engine.run(into: &report)
        var workloads = mesh.workload(id).map { [$0.id] } ?? []
        if workloads.isEmpty {
            let parts = id.split(separator: "/").map(String.init)
            if parts.count == 2 {
                let fqdn = "\(parts[1]).\(parts[0]).svc.\(mesh.config.domainSuffix)"
                workloads = Array(Set((mesh.hosts[fqdn] ?? []).flatMap(\.workloads))).sorted()
            }
        }
        report.trees = []
        for p in a.compiled.indices where !workloads.isEmpty {
            report.trees.append(engine.tree(policy: p, service: id, workloads: workloads))
        }
        return report
    }

    /// The policies and their problems (FJ4004), without following flows.
    public mutating func policiesOnly() -> ResidencyReport {
        var report = ResidencyReport()
        report.catalog = catalog
        compilePolicies(&report)
        return report
    }

    /// `trees`: also build the tree of places each data-bearing service's data can reach
    /// (`fjord residency`), limited to `ResidencyReport.treeLimit` places per service.
    public mutating func run(trees: Bool = false) -> ResidencyReport {
        var report = ResidencyReport()
        report.catalog = catalog
        guard !mesh.resources.residencyPolicies.isEmpty else { return report }
        compilePolicies(&report)
        var engine = FlowEngine(mesh: mesh, tables: tables, locator: locator, policies: compiled, catalog: catalog)
        engine.run(into: &report)
        if trees { engine.buildTrees(into: &report) }
        return report
    }
}
