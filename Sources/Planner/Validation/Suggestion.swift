/// "Did you mean ...?" for misspelt field names, kinds, enum values and references.
enum Suggestion {
    /// The candidate closest to `word`, when it is close enough to be a plausible typo.
    ///
    /// - Parameters:
    ///   - word: What the user wrote.
    ///   - candidates: What they could have meant.
    /// - Returns: The best candidate within an edit distance of a third of its length (at least 2), or one that
    ///   differs only in case; nil otherwise. Words longer than ``longestWord`` get no suggestion, and only the
    ///   first ``mostCandidates`` candidates are looked at, so hostile manifests cannot make this quadratic.
    static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
        guard word.utf8.count <= longestWord else { return nil }
        let lowered = Array(word.lowercased())
        var best: (candidate: String, distance: Int)?
        for candidate in candidates.prefix(mostCandidates) where candidate != word {
            guard candidate.utf8.count <= longestWord else { continue }
            let other = Array(candidate.lowercased())
            if other == lowered { return candidate }
            let limit = max(2, other.count / 3)
            guard abs(other.count - lowered.count) <= limit else { continue }
            let distance = editDistance(lowered, other)
            if distance <= limit, distance < (best?.distance ?? .max) {
                best = (candidate, distance)
            }
        }
        return best?.candidate
    }

    /// The longest word (in bytes) a suggestion is looked for, or made from.
    static let longestWord = 256
    /// The most candidates one suggestion looks at.
    static let mostCandidates = 5_000

    /// `"; did you mean 'x'?"`, or an empty string when nothing is close.
    static func didYouMean(_ word: String, in candidates: some Sequence<String>) -> String {
        closest(to: word, in: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }

    /// `"did you mean 'x'?"`, or `"expected one of: a, b, c"` when nothing is close: for a value that must be
    /// one of a short, known list.
    static func oneOf(_ word: String, _ candidates: [String]) -> String {
        closest(to: word, in: candidates).map { "did you mean '\($0)'?" }
            ?? "expected one of: " + candidates.joined(separator: ", ")
    }

    /// Levenshtein distance with transpositions counted as one edit (optimal string alignment).
    static func editDistance(_ lhs: [Character], _ rhs: [Character]) -> Int {
        if lhs.isEmpty { return rhs.count }
        if rhs.isEmpty { return lhs.count }
        var previousPrevious = [Int](repeating: 0, count: rhs.count + 1)
        var previous = Array(0...rhs.count)
        var current = [Int](repeating: 0, count: rhs.count + 1)
        for i in 1...lhs.count {
            current[0] = i
            for j in 1...rhs.count {
                let cost = lhs[i - 1] == rhs[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, lhs[i - 1] == rhs[j - 2], lhs[i - 2] == rhs[j - 1] {
                    current[j] = min(current[j], previousPrevious[j - 2] + 1)
                }
            }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[rhs.count]
    }
}
