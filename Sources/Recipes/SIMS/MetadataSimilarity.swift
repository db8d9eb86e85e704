import Foundation

/// Item-to-item similarity from item metadata (`aws-similar-items`), so that items without interactions get
/// neighbours: the cosine of IDF-weighted token sets, tokens being the values of categorical fields (each
/// `|`-separated value), of other string fields (the whole value) and the words of textual fields.
package struct MetadataSimilarity: Sendable {
    /// The items, in the order given.
    package let itemIDs: [String]
    private let positions: [String: Int32]
    /// Per item, its token ids (sorted, unique).
    private let tokens: [[Int32]]
    /// Per token, the items that have it.
    private let postings: [[Int32]]
    private let weights: [Float]
    private let norms: [Float]

    /// Builds the index from each item's tokens (as ``tokens(categorical:text:other:)`` makes them).
    package init(items: [(id: String, tokens: [String])]) {
        var vocabulary: [String: Int32] = [:]
        var itemTokens: [[Int32]] = []
        var postings: [[Int32]] = []
        var positions: [String: Int32] = [:]
        var ids: [String] = []
        for (id, words) in items where positions[id] == nil {
            let position = Int32(ids.count)
            positions[id] = position
            ids.append(id)
            var set = Set<Int32>()
            for word in words {
                let token: Int32
                if let known = vocabulary[word] {
                    token = known
                } else {
                    token = Int32(postings.count)
                    vocabulary[word] = token
                    postings.append([])
                }
                if set.insert(token).inserted { postings[Int(token)].append(position) }
            }
            itemTokens.append(set.sorted())
        }
        let count = Float(max(ids.count, 1))
        let weights = postings.map { log(1 + count / Float(max($0.count, 1))) }
        self.itemIDs = ids
        self.positions = positions
        self.tokens = itemTokens
        self.postings = postings
        self.weights = weights
        self.norms = itemTokens.map { sqrt($0.reduce(0) { $0 + weights[Int($1)] * weights[Int($1)] }) }
    }

    package var isEmpty: Bool { itemIDs.isEmpty }

    /// The tokens of one item's metadata values.
    package static func tokens(
        categorical: [(field: String, value: String)], text: [(field: String, value: String)],
        other: [(field: String, value: String)]
    ) -> [String] {
        var result: [String] = []
        for (field, value) in categorical {
            for part in value.split(separator: "|") where !part.isEmpty {
                result.append("\(field)=\(part.lowercased())")
            }
        }
        for (field, value) in other where !value.isEmpty {
            result.append("\(field)=\(value.lowercased())")
        }
        for (field, value) in text {
            let words = value.lowercased().split { !$0.isLetter && !$0.isNumber }.filter { $0.count >= 3 }
            for word in words.prefix(500) { result.append("\(field)~\(word)") }
        }
        return result
    }

    /// The `count` items most similar to `itemID` by metadata, best first, leaving out `excluded` and the item
    /// itself; items sharing no token are never returned. Empty for an item without metadata.
    package func similar(to itemID: String, count: Int, excluding excluded: Set<String>) -> [(id: String, score: Float)]
    {
        guard count > 0, let position = positions[itemID], norms[Int(position)] > 0 else { return [] }
        var scores: [Int32: Float] = [:]
        for token in tokens[Int(position)] {
            let weight = weights[Int(token)] * weights[Int(token)]
            for other in postings[Int(token)] where other != position {
                scores[other, default: 0] += weight
            }
        }
        let norm = norms[Int(position)]
        let ranked = scores.compactMap { other, dot -> (id: String, score: Float)? in
            let id = itemIDs[Int(other)]
            guard !excluded.contains(id), norms[Int(other)] > 0 else { return nil }
            return (id, dot / (norm * norms[Int(other)]))
        }
        return Array(ranked.sorted { ($1.score, $0.id) < ($0.score, $1.id) }.prefix(count))
    }
}
