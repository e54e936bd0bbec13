import FjordBasics
import FjordChecks
import FjordDiagnostics
import FjordModel
import FjordSource
import FjordYAML

/// The result of `fjord residency`: the loaded mesh, the analysis, and its findings.
public struct ResidencyResult: Sendable {
    public var loaded: LoadedMesh
    public var report: ResidencyReport
    /// Load problems and the residency findings (FJ4xxx), in source order.
    public var diagnostics: [Diagnostic]
    public var durationSeconds: Double
    public var analysisSeconds: Double

    public var sources: SourceManager { loaded.sources }

    /// 2 when input could not be read; 1 when a finding reaches `failOn`; else 0.
    public func exitCode(failOn: Severity) -> Int32 {
        if loaded.inputFailed { return 2 }
        return diagnostics.contains { $0.severity >= failOn } ? 1 : 0
    }

    /// Findings per code (`FJ4001`: 3).
    public var findingCounts: [(code: String, count: Int)] {
        var counts: [String: Int] = [:]
        for d in diagnostics where d.code.rawValue.hasPrefix("FJ4") { counts[d.code.rawValue, default: 0] += 1 }
        return counts.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}

extension Driver {
    /// `fjord residency`: load, then follow personal data through the mesh.
    public mutating func residency(paths: [String]) -> ResidencyResult {
        residency { driver, emit in driver.load(paths: paths, emit: emit) }
    }

    /// `fjord residency` on inputs already read.
    public mutating func residency(inputs: InputSet) -> ResidencyResult {
        residency { driver, emit in driver.load(inputs: inputs, emit: emit) }
    }

    private mutating func residency(
        loading: (inout Driver, @escaping DiagnosticConsumer) -> LoadedMesh
    ) -> ResidencyResult {
        let clock = ContinuousClock()
        let start = clock.now
        let collector = DiagnosticCollector(errorLimit: options.errorLimit)
        let loaded = loading(&self, collector.consumer)
        let analysisStart = clock.now
        let report = ResidencyAnalysis.run(mesh: loaded.mesh, trees: true)
        let analysis = clock.now - analysisStart
        var diagnostics = collector.diagnostics.filter { $0.severity == .error }
        diagnostics += ResidencyCheck.diagnostics(report)
        var problems: [Diagnostic] = []
        let context = CheckContext(mesh: loaded.mesh, options: options.checks, emit: { problems.append($0) })
        ResidencyPolicyCheck.run(context)
        diagnostics += problems
        diagnostics.sort(by: Diagnostic.sourceOrder)
        func seconds(_ d: Duration) -> Double {
            let (s, a) = d.components
            return Double(s) + Double(a) / 1e18
        }
        return ResidencyResult(
            loaded: loaded, report: report, diagnostics: diagnostics, durationSeconds: seconds(clock.now - start),
            analysisSeconds: seconds(analysis))
    }
}

/// Renders a residency report: per policy, per data-bearing service, where it runs and which
/// jurisdictions its data can reach, through what.
public enum ResidencyRenderer {
    /// One row of a service's table: a jurisdiction and what reaches it.
    public struct Row: Sendable {
        /// `NO`, `US`, `?` (unknown), `*` (any country).
        public var country: String
        /// `EEA`, `adequacy`, `adequacy-partial`, `no adequacy`, `unknown`, `any`.
        public var status: String
        /// `allowed`, `OUTSIDE`, `UNKNOWN`, `conditional`, `CONDITIONAL`.
        public var verdict: String
        /// Via -> number of paths.
        public var vias: [(via: String, count: Int)]
        public var sinks: [String]
        public var more: Int
    }

    /// A data-bearing service (or a workload behind no service).
    public struct Service: Sendable {
        public var name: String
        /// `payments/ledger (norwayeast, NO)`
        public var workloads: [(workload: String, place: String, country: String?, status: String)]
        public var rows: [Row]
        /// The places its data can reach, breadth first (`ResidencyReport.Tree`).
        public var tree: [ResidencyReport.TreeNode] = []
        public var treeTruncated = false
    }

    public struct Policy: Sendable {
        public var name: String
        public var allowed: [String]
        public var services: [Service]
        public var stops: [ResidencyReport.Stop] = []
        /// Workloads that receive its data and are followed.
        public var receivers = 0
    }

    /// The report arranged for display.
    public static func arrange(_ report: ResidencyReport) -> [Policy] {
        var out: [Policy] = []
        for (pi, info) in report.policies.enumerated() {
            var byService: [String: [ResidencyReport.Holder]] = [:]
            for h in report.holders where h.policies.contains(pi) {
                let key = h.primaryService ?? "workload \(h.workload)"
                byService[key, default: []].append(h)
            }
            var services: [Service] = []
            for (name, holders) in byService.sorted(by: { $0.key < $1.key }) {
                let workloads = holders.map { h in
                    (h.workload, place(h.placement), h.placement.place?.country, status(h.placement, report.catalog))
                }
                var merged: [ResidencyReport.Reach: ResidencyReport.ReachDetail] = [:]
                for h in holders {
                    for (reach, detail) in h.reaches {
                        var m = merged[reach] ?? ResidencyReport.ReachDetail()
                        m.count += detail.count
                        for s in detail.sinks where !m.sinks.contains(s) { m.sinks.append(s) }
                        merged[reach] = m
                    }
                }
                // One row per (country, verdict).
                struct RowKey: Hashable { var country: String; var verdict: String }
                var rows: [RowKey: Row] = [:]
                for (reach, detail) in merged {
                    let country = reach.anywhere ? "*" : reach.country ?? "?"
                    let key = RowKey(country: country, verdict: reach.verdict)
                    var row =
                        rows[key]
                        ?? Row(
                            country: country, status: statusLabel(reach, report.catalog),
                            verdict: verdictLabel(reach.verdict),
                            vias: [], sinks: [], more: 0)
                    if let i = row.vias.firstIndex(where: { $0.via == reach.via.rawValue }) {
                        row.vias[i].count += detail.count
                    } else {
                        row.vias.append((reach.via.rawValue, detail.count))
                    }
                    for s in detail.sinks where !row.sinks.contains(s) { row.sinks.append(s) }
                    rows[key] = row
                }
                let order = ["outside": 0, "conditional-unattested": 1, "unknown": 2, "conditional": 3, "allowed": 4]
                let sortedRows = rows.sorted { a, b in
                    let oa = order[a.key.verdict] ?? 9
                    let ob = order[b.key.verdict] ?? 9
                    return oa != ob ? oa < ob : a.key.country < b.key.country
                }.map { kv -> Row in
                    var r = kv.value
                    r.vias.sort { $0.via < $1.via }
                    r.sinks.sort()
                    if r.sinks.count > 4 {
                        r.more = r.sinks.count - 4
                        r.sinks = Array(r.sinks.prefix(4))
                    }
                    return r
                }
                var service = Service(name: name, workloads: workloads, rows: sortedRows)
                if let t = report.trees.first(where: { $0.policy == pi && $0.service == name }) {
                    service.tree = t.nodes
                    service.treeTruncated = t.truncated
                }
                services.append(service)
            }
            var policy = Policy(name: info.policy.key.qualifiedName, allowed: info.allowed, services: services)
            policy.stops = report.stops.filter { $0.policy == pi }
            policy.receivers = report.receivers.filter { $0.policy == pi }.count
            out.append(policy)
        }
        return out
    }

    static func place(_ p: Placement) -> String {
        switch p {
        case .known(let place): return "\(place.name), \(place.country)"
        case .unknown: return "location unknown"
        case .anywhere: return "anywhere"
        }
    }

    static func status(_ p: Placement, _ catalog: RegionCatalog) -> String {
        switch p {
        case .known(let place): return statusName(catalog.status(of: place.country))
        case .unknown: return "unknown"
        case .anywhere: return "any"
        }
    }

    static func statusName(_ s: RegionCatalog.Jurisdiction.Status) -> String {
        switch s {
        case .eea: return "EEA"
        case .adequacy: return "adequacy"
        case .adequacyPartial: return "adequacy-partial"
        case .other: return "no adequacy"
        }
    }

    static func statusLabel(_ r: ResidencyReport.Reach, _ catalog: RegionCatalog) -> String {
        if r.anywhere { return "any country" }
        guard let c = r.country else { return "unknown" }
        return statusName(catalog.status(of: c))
    }

    static func verdictLabel(_ v: String) -> String {
        switch v {
        case "allowed": return "allowed"
        case "outside": return "OUTSIDE"
        case "unknown": return "UNKNOWN"
        case "conditional": return "conditional (attested)"
        default: return "CONDITIONAL (not attested)"
        }
    }

    /// The text table.
    public static func text(_ result: ResidencyResult) -> String {
        let policies = arrange(result.report)
        guard !policies.isEmpty else {
            return "no ResidencyPolicy among the inputs: nothing is marked as personal data (see docs/residency.md)\n"
        }
        var out = ""
        for p in policies {
            out +=
                "ResidencyPolicy \(p.name): personal data may stay in \(p.allowed.isEmpty ? "nothing" : p.allowed.joined(separator: ", "))\n"
            out +=
                "(per service: where its personal-data workloads run; then each jurisdiction its data can reach, the number of paths by how they get there, and the first destinations)\n"
            if p.services.isEmpty { out += "  (it selects no workload)\n" }
            for s in p.services {
                out += "\n\(s.name)\n"
                out += "  runs in\n"
                for w in s.workloads {
                    out += "    \(w.workload.padded(44)) \(w.place.padded(26)) \(w.status)\n"
                }
                out += "  its data can reach\n"
                let countryWidth = max(2, s.rows.map(\.country.count).max() ?? 2)
                let statusWidth = s.rows.map(\.status.count).max() ?? 0
                let verdictWidth = s.rows.map(\.verdict.count).max() ?? 0
                for r in s.rows {
                    let vias = r.vias.map { "\($0.via) \($0.count)" }.joined(separator: ", ")
                    var sinks = r.sinks.joined(separator: ", ")
                    if r.more > 0 { sinks += " and \(r.more) more" }
                    out +=
                        "    \(r.country.padded(countryWidth))  \(r.status.padded(statusWidth))  \(r.verdict.padded(verdictWidth))  \(vias): \(sinks)\n"
                }
                if !s.tree.isEmpty {
                    out += "  where its data goes (proxy hops, place, verdict, evidence of the hop)\n"
                    out += treeText(s.tree, truncated: s.treeTruncated)
                }
            }
            if !p.stops.isEmpty {
                out += "\nstops (processors the policy says do not forward personal data; not followed)\n"
                for st in p.stops {
                    let from =
                        st.reachedFrom.isEmpty
                        ? "receives no personal data"
                        : "receives it from " + st.reachedFrom.prefix(3).map { "`\($0)`" }.joined(separator: ", ")
                            + (st.reachedFrom.count > 3 ? " and \(st.reachedFrom.count - 3) more" : "")
                    out += "  \(st.workload.padded(32)) \(from): \(st.reason)\n"
                }
            }
            if p.receivers > 0 {
                out +=
                    "\n\(p.receivers) \(p.receivers == 1 ? "workload receives" : "workloads receive") personal data without being selected; their paths are followed too\n"
            }
            out += "\n"
        }
        let counts = result.findingCounts
        let holders = result.report.holders.count
        let services = policies.reduce(0) { $0 + $1.services.count }
        out +=
            "\(services) \(services == 1 ? "service or workload holds" : "services or workloads hold") personal data "
            + "(\(holders) \(holders == 1 ? "workload" : "workloads")); "
        if counts.isEmpty {
            out += "every path stays in the allowed jurisdictions"
        } else {
            out += counts.map { "\($0.count) \($0.code)" }.joined(separator: ", ") + " (`fjord check` shows each path)"
        }
        out += " in \(Int((result.durationSeconds * 1000).rounded())) ms\n"
        return out
    }

    /// A tree as indented lines, children under their parent, in the order found.
    static func treeText(_ nodes: [ResidencyReport.TreeNode], truncated: Bool) -> String {
        var children: [Int: [Int]] = [:]
        var roots: [Int] = []
        for (i, n) in nodes.enumerated() {
            if let p = n.parent { children[p, default: []].append(i) } else { roots.append(i) }
        }
        var out = ""
        var stack = roots.reversed().map { $0 }
        var guardCount = 0
        while let i = stack.popLast(), guardCount <= nodes.count {
            guardCount += 1
            let n = nodes[i]
            let indent = String(repeating: "  ", count: max(0, n.hops - 1))
            var line =
                "    \(n.hops)  \(indent)\(n.label)  \(place(n.place))  \(verdictLabel(n.verdict))  \(n.evidence)"
            if let stop = n.stop { line += "  STOP: \(stop)" }
            out += line + "\n"
            stack += (children[i] ?? []).reversed()
        }
        if truncated {
            out += "    (the first \(ResidencyReport.treeLimit) places; `fjord check` reports every path that leaves)\n"
        }
        return out
    }

    /// One JSON document (version 1): policies, services, rows, and the finding counts.
    public static func json(_ result: ResidencyResult) -> String {
        let j = MiniJSON()
        j.object {
            j.field("version") { j.int(1) }
            j.field("policies") {
                j.array(arrange(result.report)) { p in
                    j.object {
                        j.field("name") { j.string(p.name) }
                        j.field("allowedJurisdictions") { j.array(p.allowed) { j.string($0) } }
                        j.field("receivers") { j.int(p.receivers) }
                        j.field("stops") {
                            j.array(p.stops) { st in
                                j.object {
                                    j.field("workload") { j.string(st.workload) }
                                    j.field("reason") { j.string(st.reason) }
                                    j.field("reachedFrom") { j.array(st.reachedFrom) { j.string($0) } }
                                }
                            }
                        }
                        j.field("services") {
                            j.array(p.services) { s in
                                j.object {
                                    j.field("service") { j.string(s.name) }
                                    j.field("workloads") {
                                        j.array(s.workloads.map { $0 }) { w in
                                            j.object {
                                                j.field("workload") { j.string(w.workload) }
                                                j.field("location") { j.string(w.place) }
                                                j.field("country") { j.optional(w.country) }
                                                j.field("status") { j.string(w.status) }
                                            }
                                        }
                                    }
                                    j.field("reaches") {
                                        j.array(s.rows) { r in
                                            j.object {
                                                j.field("country") { j.string(r.country) }
                                                j.field("status") { j.string(r.status) }
                                                j.field("verdict") { j.string(r.verdict) }
                                                j.field("via") {
                                                    j.object { for v in r.vias { j.field(v.via) { j.int(v.count) } } }
                                                }
                                                j.field("sinks") { j.array(r.sinks) { j.string($0) } }
                                                j.field("moreSinks") { j.int(r.more) }
                                            }
                                        }
                                    }
                                    j.field("tree") {
                                        j.array(s.tree) { n in
                                            j.object {
                                                j.field("place") { j.string(n.label) }
                                                j.field("location") { j.string(place(n.place)) }
                                                j.field("verdict") { j.string(n.verdict) }
                                                j.field("via") { j.string(n.via.rawValue) }
                                                j.field("evidence") { j.string(n.evidence) }
                                                j.field("hops") { j.int(n.hops) }
                                                j.field("parent") {
                                                    if let p = n.parent { j.int(p) } else { j.optional(nil) }
                                                }
                                                j.field("stop") { j.optional(n.stop) }
                                            }
                                        }
                                    }
                                    j.field("treeTruncated") { j.bool(s.treeTruncated) }
                                }
                            }
                        }
                    }
                }
            }
            j.field("findings") {
                j.object { for c in result.findingCounts { j.field(c.code) { j.int(c.count) } } }
            }
        }
        return j.out + "\n"
    }
}

extension String {
    func padded(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
}

/// A small streaming JSON writer (two-space indentation) for the reports of this module.
final class MiniJSON {
    var out = ""
    var indent = 0
    var first = [true]

    func separator() {
        if !first[first.count - 1] { out += "," }
        first[first.count - 1] = false
        out += "\n" + String(repeating: "  ", count: indent)
    }

    func object(_ body: () -> Void) {
        out += "{"
        indent += 1
        first.append(true)
        body()
        indent -= 1
        let empty = first.removeLast()
        out += empty ? "}" : "\n" + String(repeating: "  ", count: indent) + "}"
    }

    func array<T>(_ items: [T], _ body: (T) -> Void) {
        out += "["
        indent += 1
        first.append(true)
        for i in items {
            separator()
            body(i)
        }
        indent -= 1
        let empty = first.removeLast()
        out += empty ? "]" : "\n" + String(repeating: "  ", count: indent) + "]"
    }

    func field(_ name: String, _ body: () -> Void) {
        separator()
        string(name)
        out += ": "
        body()
    }

    func string(_ s: String) { JSONString.write(s, to: &out) }

    func int(_ n: Int) { out += String(n) }
    func bool(_ b: Bool) { out += b ? "true" : "false" }
    func optional(_ s: String?) { if let s { string(s) } else { out += "null" } }
}
