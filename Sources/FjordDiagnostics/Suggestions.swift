/// "Did you mean" suggestions, shared by the front end (field names, enum values) and the checks
/// (hosts, subsets, retry conditions).

/// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), ignoring case.
public func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.lowercased().utf8)
    let b = Array(b.lowercased().utf8)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var prevPrev = [Int](repeating: 0, count: b.count + 1)
    var prev = Array(0...b.count)
    var cur = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        cur[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { cur[j] = min(cur[j], prevPrev[j - 2] + 1) }
        }
        (prevPrev, prev, cur) = (prev, cur, prevPrev)
    }
    return prev[b.count]
}

/// The candidate closest to `word` when it is a plausible typo: a case-only difference, or at
/// most a third of the word's letters (capped at 3, at least `minimumDistance`) differ. Ties go
/// to the first candidate in sorted order; `word` itself is never suggested.
public func suggestion(for word: String, among candidates: some Sequence<String>, minimumDistance: Int = 1) -> String? {
    let limit = max(minimumDistance, min(3, word.count / 3))
    let lowered = word.lowercased()
    var best: (String, Int)?
    for c in candidates.sorted() where c != word {
        if c.lowercased() == lowered { return c }
        guard limit > 0, abs(c.count - word.count) <= limit else { continue }
        let d = editDistance(word, c)
        if d <= limit, best.map({ d < $0.1 }) ?? true { best = (c, d) }
    }
    return best?.0
}
