import FjordModel
import FjordRegex

/// Proves which rules of an ordered rule list can never be the first to match, on the same
/// decision diagrams the compiler emits. Config-time selectors (port, source labels, source
/// namespace, gateways) are attributes too, so one analysis covers every proxy at once.
public struct ReachabilityAnalysis {
    /// One match block of the list, in first-match order.
    public struct Block: Sendable {
        public var rule: Int
        /// Index of the block in its rule's `match` list (0 for a rule without `match`).
        public var block: Int
        public var conjunction: Conjunction
        public init(rule: Int, block: Int, conjunction: Conjunction) {
            self.rule = rule
            self.block = block
            self.conjunction = conjunction
        }
    }

    /// A block no request can reach first, with the earlier rules that take its requests.
    public struct Shadowed: Sendable {
        public var rule: Int
        public var block: Int
        /// Rules (indexes) that take the requests this block was written for.
        public var takenBy: [Int]
        /// A request the block matches, and the rule it goes to instead.
        public var witness: Witness?
    }

    /// A concrete request (with the proxy it comes from, when selectors matter).
    public struct Witness: Sendable {
        public var request: MeshRequest
        /// Selector attributes fixed by the witness (`source label tier=front`, `gateway ns/gw`).
        public var context: [String]
        public var takenBy: Int
        /// The selector values the witness fixes (the raw values behind `context`).
        public var selectors: [AttributeKey: String] = [:]
    }

    public let blocks: [Block]
    let routes: CompiledRoutes
    let all: Diagram.Ref
    let host: String

    /// The default work budget of one analysis' automata (`WorkBudget` units): about a quarter
    /// of a second of subset construction on the release build (docs/performance.md).
    public static let defaultWorkBudget = 3_000_000
    /// The edge budget of the analysis' diagrams: 4 M children (about 32 MB).
    public static let maxEdges = 4_000_000

    /// Compiles the blocks; throws when the diagrams exceed their budget (`Diagram.BudgetExceeded`)
    /// or the automata their work budget (`WorkBudgetExceeded`).
    public init(blocks: [Block], host: String, workBudget: Int = ReachabilityAnalysis.defaultWorkBudget) throws {
        self.blocks = blocks
        self.host = host
        // Analysis needs classes, not minimal tables: skip automaton minimisation.
        routes = try RouteCompiler.compile(
            blocks.enumerated().map { ($0.offset, $0.element.conjunction) }, maxNodes: 500_000,
            maxEdges: ReachabilityAnalysis.maxEdges, minimizeAutomata: false, budget: WorkBudget(workBudget),
            keepBlockSpecs: true)
        all = try routes.combined()
    }

    /// Block slots some request reaches first.
    public var reachableSlots: Set<Int> { routes.diagram.terminals(all) }

    /// Every block that can never be the first match.
    ///
    /// Each unreachable block's takers are the terminals of the table diagram restricted to the
    /// block's classes, read off the diagram without building anything; its witness path is the
    /// smallest allowed class of each level it constrains (what a search of the block's own
    /// diagram finds), and the classes' witness values come from one search per automaton. The
    /// cost is the diagram nodes each block's region touches, not the whole diagram per block.
    /// `shadowedByMasking()` is the direct definition (tests compare the two).
    public func shadowed() throws -> [Shadowed] {
        let reachable = reachableSlots
        var out: [Shadowed] = []
        let d = routes.diagram
        var witnessValues: [Int: [String?]] = [:]
        for (slot, b) in blocks.enumerated() where !reachable.contains(slot) {
            // A block no request satisfies has no specification, no takers and no witness.
            guard let allowed = routes.blockSpecs[slot] else {
                out.append(Shadowed(rule: b.rule, block: b.block, takenBy: [], witness: nil))
                continue
            }
            let takers = Set(
                d.terminals(all, within: allowed).filter { $0 != Diagram.noneValue }.map { blocks[$0].rule })
            var path: [(level: Int, classID: Int)] = []
            for (level, set) in allowed.sorted(by: { $0.key < $1.key }) where !set.isFull {
                guard let first = set.first else { break }
                path.append((level, first))
            }
            let witness = makeWitness(path) { level, cls in
                if let table = witnessValues[level] { return table[cls] }
                let table = routes.levels[level].classifier.allWitnesses()
                witnessValues[level] = table
                return table[cls]
            }
            out.append(Shadowed(rule: b.rule, block: b.block, takenBy: takers.sorted(), witness: witness))
        }
        return out
    }

    /// `shadowed()` by its definition: for each unreachable block, its own diagram, the table
    /// masked by it, and a search of it for the witness path. Quadratic; the reference the
    /// differential tests hold `shadowed()` to.
    public func shadowedByMasking() throws -> [Shadowed] {
        let reachable = reachableSlots
        var out: [Shadowed] = []
        let d = routes.diagram
        for (slot, b) in blocks.enumerated() where !reachable.contains(slot) {
            // The block's own region: requests that satisfy it.
            let own = try RouteCompiler.blockDiagram(b.conjunction, routes: routes)
            let taken = try d.mask(all, where: own)
            let takers = Set(d.terminals(taken).filter { $0 != Diagram.noneValue }.map { blocks[$0].rule })
            var witness: Witness?
            if let path = d.path(own, to: { $0 != Diagram.noneValue }) {
                witness = makeWitness(path, usingValue: false)
            }
            // A block that nothing can satisfy (contradictory conditions) has no takers.
            out.append(Shadowed(rule: b.rule, block: b.block, takenBy: takers.sorted(), witness: witness))
        }
        return out
    }

    /// Builds a request from a path of (level, class) choices; unconstrained attributes get
    /// neutral values. Returns nil when a class has no witness value.
    func makeWitness(
        _ path: [(level: Int, classID: Int)],
        value: (Int, Int) -> String? = { _, _ in nil }, usingValue: Bool = true
    ) -> Witness? {
        let built = withoutActuallyEscaping(value) { value in
            ReachabilityAnalysis.request(levels: routes.levels, path: path, host: host, value: usingValue ? value : nil)
        }
        guard let built else { return nil }
        // The witness must land where the analysis says: re-evaluate it on the diagram, with the
        // selector attributes fixed to the witness context.
        let classes = ReachabilityAnalysis.classes(of: built.request, selectors: built.selectors, levels: routes.levels)
        let got = routes.diagram.evaluate(all, classOf: { classes[$0] })
        guard got != Diagram.noneValue else { return nil }
        var selectors: [AttributeKey: String] = [:]
        for (attribute, v) in built.selectors {
            if let v { selectors[attribute] = v }
        }
        return Witness(request: built.request, context: built.context, takenBy: blocks[got].rule, selectors: selectors)
    }

    /// Builds a request from a path of (level, class) choices; unconstrained attributes get
    /// neutral values. Returns nil when a class has no witness value. `selectors` holds the
    /// config-time attributes (source labels, namespace, gateway, address, SNI) the path fixes.
    /// `value`, when given, supplies each (level, class)'s witness value (precomputed).
    static func request(
        levels: [Level], path: [(level: Int, classID: Int)], host: String, value: ((Int, Int) -> String?)? = nil
    ) -> (
        request: MeshRequest, context: [String], selectors: [AttributeKey: String?]
    )? {
        var values: [AttributeKey: String?] = [:]
        for (level, cls) in path {
            let l = levels[level]
            if let existing = values[l.attribute], existing != nil {
                // A split attribute: the value must satisfy every level's class; keep the first
                // and check below.
                continue
            }
            var v = value.map { $0(level, cls) } ?? l.classifier.witness(for: cls)
            // Request paths start with `/`: a class whose shortest value does not may still hold
            // one that does.
            if l.attribute == .path || l.attribute == .pathWithQuery, v?.hasPrefix("/") != true {
                v = l.classifier.witness(for: cls, prefix: "/") ?? v
            }
            values[l.attribute] = .some(v)
        }
        var method = "GET"
        var scheme = "http"
        var authority = host
        var path = "/"
        var headers: [MeshRequest.HeaderField] = []
        var query: [(String, String)] = []
        var context: [String] = []
        var selectors: [AttributeKey: String?] = [:]
        var port = 80
        for (attribute, value) in values.sorted(by: { $0.key < $1.key }) {
            switch attribute {
            case .path:
                guard let v = value ?? nil else { return nil }
                path = v + (path.firstIndex(of: "?").map { String(path[$0...]) } ?? "")
            case .pathWithQuery:
                guard let v = value ?? nil else { return nil }
                // With a path too, keep the query when the path agrees (a prefix with `?`).
                if values[.path] == nil || v.split(separator: "?", maxSplits: 1).first.map(String.init) == path {
                    path = v
                }
            case .method:
                guard let v = value ?? nil else { return nil }
                method = v
            case .scheme:
                guard let v = value ?? nil else { return nil }
                scheme = v
            case .authority:
                guard let v = value ?? nil else { return nil }
                authority = v
            case .header(let h):
                if let v = value ?? nil { headers.append(.init(h, v)) }
            case .query(let q):
                if let v = value ?? nil { query.append((q, v)) }
            case .port:
                guard let v = value ?? nil, let p = Int(v) else { return nil }
                port = p
            case .sourceLabel(let k):
                selectors[attribute] = value
                if let v = value ?? nil {
                    context.append("source label `\(k)=\(v)`")
                } else {
                    context.append("no source label `\(k)`")
                }
            case .sourceNamespace:
                selectors[attribute] = value
                if let v = value ?? nil { context.append("source namespace `\(v)`") }
            case .gateway:
                selectors[attribute] = value
                if let v = value ?? nil { context.append(v == "mesh" ? "a sidecar" : "gateway `\(v)`") }
            case .destinationIP:
                selectors[attribute] = value
                if let v = value ?? nil {
                    context.append("destination address `\(ReachabilityAnalysis.address(fromBits: v))`")
                }
            case .sni:
                selectors[attribute] = value
                if let v = value ?? nil { context.append("SNI `\(String(v.reversed()))`") }
            }
        }
        if !query.isEmpty {
            let q = query.map { $0.1.isEmpty ? $0.0 : "\($0.0)=\($0.1)" }.joined(separator: "&")
            path += (path.contains("?") ? "&" : "?") + q
        }
        let request = MeshRequest(
            method: method, scheme: scheme, authority: authority, path: path, headers: headers, port: port)
        return (request, context, selectors)
    }

    /// The class of each level for a request, with selector attributes taken from `selectors`.
    static func classes(of request: MeshRequest, selectors: [AttributeKey: String?], levels: [Level]) -> [Int] {
        levels.map { l in
            let v: String?
            switch l.attribute {
            case .sourceLabel, .sourceNamespace, .gateway, .destinationIP, .sni:
                v = selectors[l.attribute] ?? nil
            default:
                v = l.attribute.value(in: request)
            }
            return l.classifier.classify(v)
        }
    }

    /// Whether a block holds for a witness, by the predicates' reference definitions.
    public static func holds(_ conj: Conjunction, for w: Witness) -> Bool {
        conj.conditions.allSatisfy { c in
            let v: String?
            switch c.attribute {
            case .sourceLabel, .sourceNamespace, .gateway, .destinationIP, .sni: v = w.selectors[c.attribute]
            default: v = c.attribute.value(in: w.request)
            }
            let hit = v.map { value in c.predicates.contains { AttributeClassifier.reference($0, value) } } ?? false
            return hit != c.negated
        }
    }

    /// The witness with its taker corrected for blocks left out of the analysis: the first of
    /// them (before the taker) that holds for the witness request takes it instead.
    public static func takenFirst(_ w: Witness, excluded: [Block]) -> Witness {
        var out = w
        for b in excluded.sorted(by: { $0.rule < $1.rule }) where b.rule < out.takenBy {
            if holds(b.conjunction, for: w) {
                out.takenBy = b.rule
                break
            }
        }
        return out
    }
}

extension ReachabilityAnalysis {
    /// `10.1.0.0/16` -> the first 16 bits of the address as `0`/`1` characters; nil if malformed.
    public static func bits(ofCIDR cidr: String) -> String? {
        let slash = cidr.firstIndex(of: "/")
        guard let addressBits = bits(ofAddress: String(cidr[..<(slash ?? cidr.endIndex)])) else { return nil }
        let length: Int? =
            if let slash { Int(cidr[cidr.index(after: slash)...]) } else { addressBits.count - 1 }
        guard let length, length >= 0, length <= addressBits.count - 1 else { return nil }
        return String(addressBits.prefix(length + 1))
    }

    /// IPv4 as `4` + 32 bits, IPv6 as `6` + 128 bits (the family marker keeps them apart).
    static func bits(ofAddress a: String) -> String? {
        if a.contains(":") {
            var groups: [UInt16] = []
            let halves = a.components(separatedBy2: "::")
            guard halves.count <= 2 else { return nil }
            let head = halves[0].isEmpty ? [] : halves[0].split(separator: ":").map { UInt16($0, radix: 16) }
            let tail =
                halves.count == 2 && !halves[1].isEmpty
                ? halves[1].split(separator: ":").map { UInt16($0, radix: 16) } : []
            guard !head.contains(nil), !tail.contains(nil) else { return nil }
            let fill = 8 - head.count - tail.count
            guard fill >= 0, halves.count == 2 || fill == 0 else { return nil }
            groups = head.compactMap { $0 } + Array(repeating: 0, count: fill) + tail.compactMap { $0 }
            return "6" + groups.map { g in (0..<16).map { (g >> (15 - $0)) & 1 == 1 ? "1" : "0" }.joined() }.joined()
        }
        let octets = a.split(separator: ".").map { UInt8($0) }
        guard octets.count == 4, !octets.contains(nil) else { return nil }
        return "4"
            + octets.compactMap { $0 }.map { o in (0..<8).map { (o >> (7 - $0)) & 1 == 1 ? "1" : "0" }.joined() }
            .joined()
    }

    static func address(fromBits b: String) -> String {
        guard let family = b.first else { return b }
        var bits = Array(b.dropFirst())
        if family == "4" {
            bits += Array(repeating: "0", count: max(0, 32 - bits.count))
            return (0..<4).map { i in String(Int(String(bits[(i * 8)..<(i * 8 + 8)]), radix: 2) ?? 0) }.joined(
                separator: ".")
        }
        bits += Array(repeating: "0", count: max(0, 128 - bits.count))
        return (0..<8).map { i in String(Int(String(bits[(i * 16)..<(i * 16 + 16)]), radix: 2) ?? 0, radix: 16) }
            .joined(separator: ":")
    }
}

extension String {
    fileprivate func components(separatedBy2 sep: String) -> [String] {
        var out: [String] = []
        var rest = Substring(self)
        while let r = rest.firstRange(of: sep) {
            out.append(String(rest[..<r.lowerBound]))
            rest = rest[r.upperBound...]
        }
        out.append(String(rest))
        return out
    }
}

extension RouteCompiler {
    /// The diagram of a single conjunction over an existing compilation's levels (value 0 where
    /// it holds).
    static func blockDiagram(_ conj: Conjunction, routes: CompiledRoutes) throws -> Diagram.Ref {
        var allowed: [Int: ClassSet] = [:]
        for c in conj.conditions {
            for (li, level) in routes.levels.enumerated() where level.attribute == c.attribute {
                let indexes = c.predicates.compactMap { level.classifier.predicates.firstIndex(of: $0) }
                guard indexes.count == c.predicates.count else { continue }
                var set = ClassSet(capacity: level.classifier.classCount)
                for cls in 0..<level.classifier.classCount {
                    let hit = level.classifier.satisfied[cls].contains(where: indexes.contains)
                    if hit != c.negated { set.insert(cls) }
                }
                if var e = allowed[li] {
                    e.formIntersection(set)
                    allowed[li] = e
                } else {
                    allowed[li] = set
                }
            }
        }
        if allowed.values.contains(where: \.isEmpty) { return Diagram.none }
        return try routes.diagram.firstMatch([Diagram.Block(value: 0, allowed: allowed)])
    }
}

extension Conjunction {
    /// The conditions of a match block as written, with config-time selectors as conditions on
    /// selector attributes (for analysing a VirtualService across every proxy).
    public init(analysing m: HTTPMatchRequest, index: Int, gateways: [String]) {
        var conj = Conjunction(MatchBlock(m, index: index)).conditions
        if let p = m.port?.value { conj.append(Condition(.port, [Predicate(.exact(String(p)))])) }
        for (k, v) in m.sourceLabels.sorted(by: { $0.key < $1.key }) {
            conj.append(Condition(.sourceLabel(k), [Predicate(.exact(v))]))
        }
        if let ns = m.sourceNamespace?.value { conj.append(Condition(.sourceNamespace, [Predicate(.exact(ns))])) }
        if !gateways.isEmpty { conj.append(Condition(.gateway, gateways.map { Predicate(.exact($0)) })) }
        self.init(conj)
    }

    /// A TCP or TLS match block, with its selectors, destination subnets and SNI hosts.
    public init(analysingL4 m: L4Match, gateways: [String]) {
        var conj: [Condition] = []
        if let p = m.port?.value { conj.append(Condition(.port, [Predicate(.exact(String(p)))])) }
        for (k, v) in m.sourceLabels.sorted(by: { $0.key < $1.key }) {
            conj.append(Condition(.sourceLabel(k), [Predicate(.exact(v))]))
        }
        if let ns = m.sourceNamespace?.value { conj.append(Condition(.sourceNamespace, [Predicate(.exact(ns))])) }
        if !gateways.isEmpty { conj.append(Condition(.gateway, gateways.map { Predicate(.exact($0)) })) }
        let subnets = m.destinationSubnets.compactMap { ReachabilityAnalysis.bits(ofCIDR: $0.value) }
        if !subnets.isEmpty { conj.append(Condition(.destinationIP, subnets.map { Predicate(.prefix($0)) })) }
        let sni: [Predicate] = m.sniHosts.map { h in
            let host = h.value.lowercased()
            if host == "*" { return Predicate(.present) }
            if host.hasPrefix("*.") {
                // Reversed, `*.example.com` is `moc.elpmaxe.` followed by at least one character.
                return Predicate(.regex(NSRegexEscape.escape(String(host.dropFirst().reversed())) + ".+"))
            }
            return Predicate(.exact(String(host.reversed())))
        }
        if !sni.isEmpty { conj.append(Condition(.sni, sni)) }
        self.init(conj)
    }
}

/// Escapes RE2 metacharacters.
enum NSRegexEscape {
    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            if "\\.+*?()|[]{}^$".contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }
}
