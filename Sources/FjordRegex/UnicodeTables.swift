/// Unicode data the parser needs, derived once (lazily) from the standard library's
/// `Unicode.Scalar.Properties`, so Fjord's tables follow the Unicode version of the Swift
/// runtime rather than RE2's generated tables.

// MARK: - Case folding

/// Simple case folding orbits, as RE2 uses them for `(?i)`.
///
/// RE2 (and Go's regexp) fold case with the *orbits* of Unicode simple case folding
/// (CaseFolding.txt statuses C and S): `k`, `K` and U+212A KELVIN SIGN are one orbit. The standard
/// library exposes case mappings, not folding, so the orbits are derived as the connected
/// components of "maps to" over the single-scalar lowercase, uppercase and titlecase mappings of
/// every scalar. That reproduces the C+S orbits except for the Turkic dotted and dotless I
/// (U+0130, U+0131), whose folds CaseFolding.txt gives only with status T; they are excluded, as
/// RE2 excludes them. The unit tests pin the known three- and four-member orbits.
enum CaseFolding {
    struct Table: Sendable {
        /// Scalars with a non-trivial orbit, sorted.
        var keys: [UInt32]
        /// For each key, the index of its orbit in `orbits`.
        var orbitOf: [Int]
        /// Each orbit, sorted, with at least two members.
        var orbits: [[UInt32]]
    }

    static let table: Table = build()

    private static func build() -> Table {
        var parent: [UInt32: UInt32] = [:]
        func find(_ x: UInt32) -> UInt32 {
            var x = x
            while let p = parent[x], p != x {
                let grand = parent[p] ?? p
                parent[x] = grand
                x = grand
            }
            return x
        }
        func union(_ a: UInt32, _ b: UInt32) {
            if parent[a] == nil { parent[a] = a }
            if parent[b] == nil { parent[b] = b }
            let ra = find(a)
            let rb = find(b)
            if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
        }
        func single(_ s: String) -> UInt32? {
            var it = s.unicodeScalars.makeIterator()
            guard let first = it.next(), it.next() == nil else { return nil }
            return first.value
        }
        let turkic: Set<UInt32> = [0x130, 0x131]
        for v in UInt32(0)...ScalarSet.maxScalar {
            guard !turkic.contains(v), let scalar = Unicode.Scalar(v) else { continue }
            let p = scalar.properties
            guard p.changesWhenCaseMapped else { continue }
            for mapping in [p.lowercaseMapping, p.uppercaseMapping, p.titlecaseMapping] {
                if let t = single(mapping), t != v, !turkic.contains(t) { union(v, t) }
            }
        }
        var groups: [UInt32: [UInt32]] = [:]
        for key in parent.keys { groups[find(key), default: []].append(key) }
        let orbits = groups.values.map { $0.sorted() }.filter { $0.count > 1 }.sorted { $0[0] < $1[0] }
        var pairs: [(UInt32, Int)] = []
        for (i, orbit) in orbits.enumerated() {
            for member in orbit { pairs.append((member, i)) }
        }
        pairs.sort { $0.0 < $1.0 }
        return Table(keys: pairs.map(\.0), orbitOf: pairs.map(\.1), orbits: orbits)
    }

    /// The orbit of `value` (sorted, including `value`), or nil when case folding leaves it alone.
    static func orbit(of value: UInt32) -> [UInt32]? {
        let t = table
        let i = lowerBound(t.keys, value)
        guard i < t.keys.count, t.keys[i] == value else { return nil }
        return t.orbits[t.orbitOf[i]]
    }

    /// The orbits of the members of `range` that have one.
    static func orbits(ofScalarsIn range: ClosedRange<UInt32>) -> [[UInt32]] {
        let t = table
        var i = lowerBound(t.keys, range.lowerBound)
        var out: [[UInt32]] = []
        while i < t.keys.count, t.keys[i] <= range.upperBound {
            out.append(t.orbits[t.orbitOf[i]])
            i += 1
        }
        return out
    }

    private static func lowerBound(_ a: [UInt32], _ v: UInt32) -> Int {
        var lo = 0
        var hi = a.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if a[mid] < v { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}

// MARK: - General categories

/// The Unicode general category groups accepted by `\p{...}`: the one-letter major classes
/// (`L`, `M`, `N`, `P`, `S`, `Z`, `C`), the two-letter categories (`Lu`, `Nd`, ...) and `Any`.
/// Scripts (`\p{Greek}`) are not available from the standard library and are rejected.
enum UnicodeCategories {
    static let twoLetter: [String: Unicode.GeneralCategory] = [
        "Lu": .uppercaseLetter, "Ll": .lowercaseLetter, "Lt": .titlecaseLetter,
        "Lm": .modifierLetter, "Lo": .otherLetter,
        "Mn": .nonspacingMark, "Mc": .spacingMark, "Me": .enclosingMark,
        "Nd": .decimalNumber, "Nl": .letterNumber, "No": .otherNumber,
        "Pc": .connectorPunctuation, "Pd": .dashPunctuation, "Ps": .openPunctuation,
        "Pe": .closePunctuation, "Pi": .initialPunctuation, "Pf": .finalPunctuation,
        "Po": .otherPunctuation,
        "Sm": .mathSymbol, "Sc": .currencySymbol, "Sk": .modifierSymbol, "So": .otherSymbol,
        "Zs": .spaceSeparator, "Zl": .lineSeparator, "Zp": .paragraphSeparator,
        "Cc": .control, "Cf": .format, "Cs": .surrogate, "Co": .privateUse,
    ]

    /// Every accepted name, sorted (used in error notes and documentation).
    static var names: [String] {
        (Array(twoLetter.keys) + ["L", "M", "N", "P", "S", "Z", "C", "Any"]).sorted()
    }

    /// The ranges of every two-letter category, built in one pass over all scalars.
    static let byCategory: [String: ScalarSet] = {
        var runs: [String: [ClosedRange<UInt32>]] = [:]
        var nameOf: [Unicode.GeneralCategory: String] = [:]
        for (name, cat) in twoLetter { nameOf[cat] = name }
        var currentName: String?
        var runStart: UInt32 = 0
        var previous: UInt32 = 0
        func flush() {
            if let n = currentName { runs[n, default: []].append(runStart...previous) }
        }
        for v in UInt32(0)...ScalarSet.maxScalar {
            guard let scalar = Unicode.Scalar(v) else { continue }
            let name = nameOf[scalar.properties.generalCategory]
            if name != currentName || v != previous &+ 1 {
                flush()
                currentName = name
                runStart = v
            }
            previous = v
        }
        flush()
        var out: [String: ScalarSet] = [:]
        for name in twoLetter.keys { out[name] = ScalarSet(ranges: runs[name] ?? []) }
        return out
    }()

    /// The set named `name`, or nil when the name is unknown.
    static func set(named name: String) -> ScalarSet? {
        if name == "Any" { return .all }
        if name.utf8.count == 1 {
            let major = ["L", "M", "N", "P", "S", "Z", "C"]
            guard major.contains(name) else { return nil }
            var out = ScalarSet()
            for (n, set) in byCategory where n.hasPrefix(name) { out = out.union(set) }
            return out
        }
        guard twoLetter[name] != nil else { return nil }
        return byCategory[name]
    }
}

// MARK: - Perl and POSIX classes (ASCII, as in RE2)

enum ASCIIClasses {
    private static func set(_ ranges: [(UInt8, UInt8)]) -> ScalarSet {
        ScalarSet(ranges: ranges.map { UInt32($0.0)...UInt32($0.1) })
    }

    private static func ch(_ c: Unicode.Scalar) -> UInt8 { UInt8(c.value) }

    static let digit = set([(ch("0"), ch("9"))])
    static let space = set([(9, 10), (12, 13), (32, 32)])  // \t \n \f \r space; RE2's \s has no \v
    static let word = set([(ch("0"), ch("9")), (ch("A"), ch("Z")), (ch("a"), ch("z")), (ch("_"), ch("_"))])

    /// `\d \s \w` (and their upper-case negations, which the caller applies) by letter.
    static func perl(_ letter: Unicode.Scalar) -> ScalarSet? {
        switch letter {
        case "d", "D": digit
        case "s", "S": space
        case "w", "W": word
        default: nil
        }
    }

    /// `[:name:]` classes by name.
    static let posix: [String: ScalarSet] = [
        "alnum": set([(ch("0"), ch("9")), (ch("A"), ch("Z")), (ch("a"), ch("z"))]),
        "alpha": set([(ch("A"), ch("Z")), (ch("a"), ch("z"))]),
        "ascii": set([(0, 0x7F)]),
        "blank": set([(9, 9), (32, 32)]),
        "cntrl": set([(0, 0x1F), (0x7F, 0x7F)]),
        "digit": digit,
        "graph": set([(ch("!"), ch("~"))]),
        "lower": set([(ch("a"), ch("z"))]),
        "print": set([(ch(" "), ch("~"))]),
        "punct": set([(ch("!"), ch("/")), (ch(":"), ch("@")), (ch("["), ch("`")), (ch("{"), ch("~"))]),
        "space": set([(9, 13), (32, 32)]),
        "upper": set([(ch("A"), ch("Z"))]),
        "word": word,
        "xdigit": set([(ch("0"), ch("9")), (ch("A"), ch("F")), (ch("a"), ch("f"))]),
    ]

    /// Whether `byte` is an ASCII word character (`[0-9A-Za-z_]`), the definition `\b` uses.
    @inline(__always)
    static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == 0x5F
    }
}
