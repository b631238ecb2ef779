/// The known key closest to a misspelt one, for "did you mean" hints. Case and `-`
/// versus `_` are ignored; beyond a third of the key's length in edits (at most 3) the
/// keys are too different for a suggestion to help.
func closestKey(to key: String, among known: [String]) -> String? {
    let normalized = { (s: String) in s.lowercased().map { $0 == "-" ? "_" : $0 } }
    let target = normalized(key)
    let limit = max(1, min(3, target.count / 3))
    var best: (key: String, distance: Int)?
    for candidate in known {
        let distance = editDistance(target, normalized(candidate))
        if distance <= limit, distance < (best?.distance ?? .max) { best = (candidate, distance) }
    }
    return best?.key
}

/// Levenshtein distance with one row of memory.
/// - Complexity: O(a.count × b.count).
func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    guard !a.isEmpty else { return b.count }
    var row = Array(0...b.count)
    for i in 1...a.count {
        var diagonal = row[0]
        row[0] = i
        for j in stride(from: 1, through: b.count, by: 1) {
            let above = row[j]
            row[j] = a[i - 1] == b[j - 1] ? diagonal : 1 + min(diagonal, above, row[j - 1])
            diagonal = above
        }
    }
    return row[b.count]
}
