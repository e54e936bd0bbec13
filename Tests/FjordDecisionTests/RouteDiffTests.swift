import FjordCompiler
import FjordModel
import FjordTable
import Testing
import _FjordTestSupport

@testable import FjordDecision

/// `RouteDiff` against the reference semantics on generated meshes with random edits: every
/// difference that seeded requests find through `Semantics` in both states is a class of the
/// diff (same host, port, scope, and before/after outcome), and every class the diff reports is
/// real: its witness, decided by `Semantics` in both states at every scope the change names,
/// gives exactly the class's before and after outcomes.
@Suite struct RouteDiffTests {
    /// Random edits of a generated mesh: replace, delete or add documents (VirtualServices,
    /// DestinationRules, Gateways, Sidecars, ...) taken from another generated mesh.
    static func editPair(seed: Int) -> (old: String, new: String, edits: [String]) {
        var gen = RoutingGenerator(seed: UInt64(seed) &* 104_729 &+ 17)
        let old = gen.mesh()
        var other = RoutingGenerator(seed: UInt64(seed) &* 104_729 &+ 99_991)
        let donor = other.mesh()
        func docs(_ s: String) -> [String] {
            s.components(separatedBy: "\n---\n").filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        }
        func kind(_ d: String) -> String {
            d.split(separator: "\n").first { $0.hasPrefix("kind: ") }.map { String($0.dropFirst(6)) } ?? "?"
        }
        var mine = docs(old)
        let theirs = docs(donor).filter { ["VirtualService", "DestinationRule", "Sidecar"].contains(kind($0)) }
        var edits: [String] = []
        let count = 1 + Int(gen.rng.next(3))
        for _ in 0..<count {
            let editable = mine.indices.filter {
                ["VirtualService", "DestinationRule", "Sidecar"].contains(kind(mine[$0]))
            }
            switch gen.rng.next(3) {
            case 0 where !editable.isEmpty:
                let i = editable[Int(gen.rng.next(UInt64(editable.count)))]
                let k = kind(mine[i])
                let same = theirs.filter { kind($0) == k }
                guard !same.isEmpty else { continue }
                mine[i] = same[Int(gen.rng.next(UInt64(same.count)))]
                edits.append("replace a \(k)")
            case 1 where !editable.isEmpty:
                let i = editable[Int(gen.rng.next(UInt64(editable.count)))]
                edits.append("delete a \(kind(mine[i]))")
                mine.remove(at: i)
            default:
                guard !theirs.isEmpty else { continue }
                let d = theirs[Int(gen.rng.next(UInt64(theirs.count)))]
                // A new name, so that it adds rather than duplicates.
                mine.append(d.replacingOccurrences(of: "\n  name: ", with: "\n  name: added-"))
                edits.append("add a \(kind(d))")
            }
        }
        return (old, mine.joined(separator: "\n---\n") + "\n", edits)
    }

    /// The oracle's outcome: the reference decision without its rule, with the destinations
    /// whose subset no DestinationRule of the mesh defines.
    static func outcome(_ d: DecisionRecord, mesh: Mesh) -> RouteDiff.Outcome {
        var unresolved: [String] = []
        for dest in d.action?.destinations ?? [] {
            guard let s = dest.subset else { continue }
            let defined = mesh.resources.destinationRules.contains { dr in
                !dr.host.value.isEmpty && mesh.fqdn(dr.host.value, in: dr.namespace) == dest.host
                    && dr.subsets.contains { $0.name.value == s }
            }
            if !defined { unresolved.append("\(dest.host) \(s)") }
        }
        return RouteDiff.Outcome(decision: d, unresolved: unresolved)
    }

    @Test(arguments: 0..<60)
    func diffAgreesWithSamplingThroughTheReferenceSemantics(seed: Int) throws {
        let pair = Self.editPair(seed: seed)
        let (old, _) = try MeshLoading.mesh(fromYAML: pair.old)
        let (new, _) = try MeshLoading.mesh(fromYAML: pair.new)
        let diff = RouteDiff.compute(old: old, new: new)
        let so = Semantics(mesh: old)
        let sn = Semantics(mesh: new)
        let context = "seed \(seed), edits \(pair.edits)"

        // Every class the diff reports is real.
        var witnessed = 0
        var classes = 0
        for h in diff.hostChanges {
            #expect(h.incomplete == nil, "\(context): \(h.host) not compared: \(h.incomplete ?? "")")
            for c in h.classes {
                classes += 1
                #expect(c.before != c.after, "\(context): a class with equal outcomes")
                guard let w = c.witness else { continue }
                witnessed += 1
                for scope in h.scopes.prefix(4) {
                    let before = Self.outcome(so.decide(w, at: scope), mesh: old)
                    let after = Self.outcome(sn.decide(w, at: scope), mesh: new)
                    #expect(
                        before == c.before && after == c.after,
                        "\(context): witness \(w) at \(scope) on \(h.host):\(h.port): diff says \(c.before) -> \(c.after), reference \(before) -> \(after)"
                    )
                }
            }
        }
        #expect(witnessed * 10 >= classes * 9, "\(context): only \(witnessed) of \(classes) classes have a witness")

        // Every difference sampling finds is in the diff.
        var gen = RoutingGenerator(seed: UInt64(seed) &* 31 &+ 5)
        let scopes = Set(so.tables.scopes).intersection(sn.tables.scopes).sorted()
        guard !scopes.isEmpty else { return }
        var differences = 0
        var skippedWildcards = 0
        for _ in 0..<300 {
            let scope = scopes[Int(gen.rng.next(UInt64(scopes.count)))]
            let ports = Array(Set(so.tables.ports(of: scope)).union(sn.tables.ports(of: scope))).sorted()
            let request = gen.request(
                ports: ports,
                knownHosts: { port in
                    var hosts = Set<String>()
                    for s in [so, sn] {
                        guard let l = s.tables.listener(scope, port: port) else { continue }
                        hosts.formUnion(l.hosts.keys)
                        hosts.formUnion(l.wildcardHosts.map(\.host))
                    }
                    return hosts.sorted()
                })
            let before = Self.outcome(so.decide(request, at: scope), mesh: old)
            let after = Self.outcome(sn.decide(request, at: scope), mesh: new)
            guard before != after else { continue }
            differences += 1
            // The host the diff files this request under: the exact virtual host it reaches in
            // either state, else the unknown host.
            let lo = so.tables.listener(scope, port: request.port)
            let ln = sn.tables.listener(scope, port: request.port)
            let vo = lo.flatMap { so.virtualHost(for: request, in: $0) }
            let vn = ln.flatMap { sn.virtualHost(for: request, in: $0) }
            let exact = [vo, vn].compactMap { $0 }.first { !$0.host.hasPrefix("*") }
            let name: String
            if let exact {
                name = exact.host
            } else if vo == nil && vn == nil {
                name = RouteDiff.unknownHost
            } else {
                // Only wildcards: the diff compares the patterns, not this particular name.
                skippedWildcards += 1
                continue
            }
            let found = diff.hostChanges.contains { h in
                h.host == name && h.port == request.port && h.scopes.contains(scope)
                    && h.classes.contains { $0.before == before && $0.after == after }
            }
            #expect(
                found,
                "\(context): \(request) at \(scope) changes \(before) -> \(after) but the diff has no such class for \(name):\(request.port)\n--- old\n\(pair.old)\n--- new\n\(pair.new)"
            )
        }
        _ = skippedWildcards
        _ = differences
    }

    @Test func identicalMeshesHaveNoDifferenceAndBuildNoProduct() throws {
        var gen = RoutingGenerator(seed: 4242)
        let yaml = gen.mesh()
        let (a, _) = try MeshLoading.mesh(fromYAML: yaml)
        let (b, _) = try MeshLoading.mesh(fromYAML: yaml, name: "moved.yaml")
        let diff = RouteDiff.compute(old: a, new: b)
        #expect(diff.hostChanges.isEmpty)
        #expect(diff.destinationPolicyChanges.isEmpty)
        #expect(diff.productsBuilt == 0)
        #expect(diff.hostsCompared > 0)
    }

    /// The product is a homomorphism: eval(product(a, b), x) = eval(a, x) * width + eval(b, x).
    @Test(arguments: 0..<20)
    func productEvaluatesToThePairOfValues(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) + 1)
        let counts = [3, 2, 4, 3]
        let d = Diagram(classCounts: counts)
        func randomBlocks() -> [Diagram.Block] {
            (0..<Int(1 + rng.next(5))).map { v in
                var allowed: [Int: ClassSet] = [:]
                for l in counts.indices where rng.next(2) == 0 {
                    var s = ClassSet(capacity: counts[l])
                    for c in 0..<counts[l] where rng.next(2) == 0 { s.insert(c) }
                    allowed[l] = s
                }
                return Diagram.Block(value: v, allowed: allowed)
            }
        }
        let a = try d.mapTerminals(d.firstMatch(randomBlocks())) { $0 == Diagram.noneValue ? 9 : $0 }
        let b = try d.mapTerminals(d.firstMatch(randomBlocks())) { $0 == Diagram.noneValue ? 9 : $0 }
        let p = try d.product(a, b, width: 10)
        for x0 in 0..<3 {
            for x1 in 0..<2 {
                for x2 in 0..<4 {
                    for x3 in 0..<3 {
                        let x = [x0, x1, x2, x3]
                        let want = d.evaluate(a, classOf: { x[$0] }) * 10 + d.evaluate(b, classOf: { x[$0] })
                        #expect(d.evaluate(p, classOf: { x[$0] }) == want)
                    }
                }
            }
        }
        // Equal operands: the product of a diagram with itself has only equal pairs.
        let same = try d.product(a, a, width: 10)
        #expect(d.terminals(same).allSatisfy { $0 / 10 == $0 % 10 })
    }
}
