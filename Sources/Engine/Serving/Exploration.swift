package import EngineAPI
import Foundation
package import PersonalizeRules
import Recipes

/// Item exploration (guide part 1 §10.2): some recommendation slots go to items that would otherwise be
/// unlikely — new ones, ones with few interactions, or ones less relevant to the user.
package struct ExplorationSettings: Sendable, Hashable {
    /// `explorationWeight`, 0 to 1: 0 turns exploration off; closer to 1 explores more.
    package var weight: Double
    /// `explorationItemAgeCutOff`, in days (at least 1): only items at most this old, counted back from the
    /// latest interaction in the dataset, are explored.
    package var itemAgeCutOffDays: Double

    package static let defaultWeight = 0.3
    package static let defaultItemAgeCutOffDays = 30.0

    package init(weight: Double = defaultWeight, itemAgeCutOffDays: Double = defaultItemAgeCutOffDays) {
        self.weight = weight
        self.itemAgeCutOffDays = itemAgeCutOffDays
    }

    /// Parses an `itemExplorationConfig` map (string values, as the service takes them).
    ///
    /// - Throws: `InvalidInputException` for an unknown key or a value out of range.
    package static func parse(_ config: [String: String]?) throws -> ExplorationSettings {
        var settings = ExplorationSettings()
        for (key, value) in config ?? [:] {
            switch key {
            case "explorationWeight":
                guard let weight = Double(value.trimmingCharacters(in: .whitespaces)), (0...1).contains(weight) else {
                    throw PersonalizeError.invalidInput(
                        "explorationWeight must be a decimal number from 0 to 1; got '\(value)'.")
                }
                settings.weight = weight
            case "explorationItemAgeCutOff":
                guard let days = Double(value.trimmingCharacters(in: .whitespaces)), days >= 1, days.isFinite else {
                    throw PersonalizeError.invalidInput(
                        "explorationItemAgeCutOff must be a number of days, at least 1; got '\(value)'.")
                }
                settings.itemAgeCutOffDays = days
            default:
                throw PersonalizeError.invalidInput(
                    "Unknown itemExplorationConfig key \(key); use explorationWeight and explorationItemAgeCutOff.")
            }
        }
        return settings
    }

    /// How a model of `recipe` explores given a campaign's or recommender's `itemExplorationConfig`: nil for
    /// recipes that do not explore.
    /// User-personalization explores as configured, v2 always with the defaults.
    package static func resolve(recipe: BuiltInRecipe?, config: [String: String]?) -> ExplorationSettings? {
        guard let recipe, recipe.exploresItems else { return nil }
        guard recipe.takesExplorationConfig else { return ExplorationSettings() }
        return (try? parse(config)) ?? ExplorationSettings()
    }

    /// How many of `count` slots go to exploration: `round(count × weight / 2)`, so the default 0.3 gives 15%
    /// and a weight of 1 half of the list.
    package func slots(of count: Int) -> Int {
        Int((Double(count) * weight / 2).rounded())
    }
}

/// Item IDs exploration leaves out: those of a set (what the user already consumed) and the items the answer
/// already holds. A short answer (the usual 25) is searched one by one rather than hashed into a new set on
/// every request; a long one joins the set.
package struct ExcludedItems: Sendable {
    package var consumed: Set<String>
    package var chosen: [String]

    /// Up to this many chosen items are searched one by one.
    package static let linearSearchLimit = 64

    package init(_ consumed: Set<String> = [], chosen: [String] = []) {
        if chosen.count > Self.linearSearchLimit {
            self.consumed = consumed.union(chosen)
            self.chosen = []
        } else {
            self.consumed = consumed
            self.chosen = chosen
        }
    }

    package func contains(_ itemID: String) -> Bool {
        chosen.contains(itemID) || consumed.contains(itemID)
    }

    /// All of them, and `other`, as one set.
    package func union(_ other: Set<String>) -> Set<String> {
        var all = Set<String>(minimumCapacity: other.count + consumed.count + chosen.count)
        all.formUnion(other)
        all.formUnion(consumed)
        all.formUnion(chosen)
        return all
    }
}

/// The items exploration may choose from: those within the age cut-off, with their interaction counts and
/// their index in the model (nil for items the model was not trained on: cold items of the Items dataset).
package struct ExplorationPool: Sendable {
    package struct Candidate: Sendable, Hashable {
        package var itemID: String
        package var modelIndex: Int32?
        package var interactions: Int
    }

    /// The `reason` of explored items (one array shared by all of them).
    static let reason = ["Exploration"]

    package let candidates: [Candidate]
    private let positions: [String: Int]
    /// Per candidate, its model index (-1 for none) and interaction count, apart from its ID: the lists read
    /// them for every user they compute, and a request scoring the pool reads the indices.
    let modelIndices: [Int32]
    /// Per candidate, its novelty `1 / (1 + interactions)`, computed once for every request's keys.
    private let novelties: [Float]
    /// Tells pools apart: answers precomputed from one pool are valid only for that pool.
    let id = UUID()

    package init(_ candidates: [Candidate]) {
        self.candidates = candidates
        var positions: [String: Int] = [:]
        for (index, candidate) in candidates.enumerated() { positions[candidate.itemID] = index }
        self.positions = positions
        modelIndices = candidates.map { $0.modelIndex ?? -1 }
        novelties = candidates.map { 1 / Float(1 + $0.interactions) }
    }

    package var isEmpty: Bool { candidates.isEmpty }

    /// The best `count` candidates for exploration, leaving out `excluded` item IDs: each scored by
    /// `weight × novelty + (1 − weight) × relevance`, novelty being `1 / (1 + interactions)` and relevance the
    /// model's score rescaled to 0…1 over the pool (0 for cold items and when `scores` is nil). Best first.
    package func choose(count: Int, weight: Double, scores: [Float]?, excluding excluded: Set<String>) -> [Candidate] {
        guard count > 0, !candidates.isEmpty else { return [] }
        return chosenPositions(count: count, keys: keys(weight: weight, scores: scores), excluding: excluded).map {
            candidates[$0]
        }
    }

    /// The positions in ``candidates`` of the best `count` by `keys` (one per candidate), leaving out `excluded`.
    func chosenPositions(count: Int, keys: [Float], excluding excluded: Set<String>) -> [Int] {
        guard count > 0, !candidates.isEmpty else { return [] }
        return TopK.select(keys, k: count, excluding: positions(of: excluded)).map { Int($0.index) }
    }

    /// The positions in ``candidates`` of the item IDs of `excluded` that are in the pool.
    package func positions(of excluded: Set<String>) -> Set<Int32> {
        Set(excluded.compactMap { positions[$0] }.map(Int32.init))
    }

    /// Each candidate's exploration key, in ``candidates`` order (see ``choose(count:weight:scores:excluding:)``),
    /// from the catalogue's scores.
    ///
    /// Every request that explores computes them over the whole pool (often most of the catalogue), so this is a
    /// tight loop over raw buffers; it computes the very values of the general form below, in the same order.
    package func keys(weight: Double, scores: [Float]?) -> [Float] {
        guard let scores else { return keys(weight: weight) { _ in nil } }
        let count = candidates.count
        return scores.withUnsafeBufferPointer { scores in
            modelIndices.withUnsafeBufferPointer { indices in
                novelties.withUnsafeBufferPointer { novelties in
                    var low = Float.infinity
                    var high = -Float.infinity
                    for position in 0..<count {
                        let index = Int(indices[position])
                        guard index >= 0, index < scores.count else { continue }
                        low = min(low, scores[index])
                        high = max(high, scores[index])
                    }
                    let span = high > low ? high - low : 1
                    let w = Float(weight)
                    let known = low.isFinite
                    return [Float](unsafeUninitializedCapacity: count) { keys, initialized in
                        for position in 0..<count {
                            let index = Int(indices[position])
                            var relevance: Float = 0
                            if known, index >= 0, index < scores.count { relevance = (scores[index] - low) / span }
                            keys[position] = w * novelties[position] + (1 - w) * relevance
                        }
                        initialized = count
                    }
                }
            }
        }
    }

    /// ``keys(weight:scores:)`` from the scores of the pool's items alone, one per candidate (nil for a
    /// candidate the model does not know), when only those were computed.
    func keys(weight: Double, poolScores: [Float?]) -> [Float] {
        keys(weight: weight) { poolScores[$0] }
    }

    @inline(__always)
    private func keys(weight: Double, score: (Int) -> Float?) -> [Float] {
        var low = Float.infinity
        var high = -Float.infinity
        for position in candidates.indices {
            guard let value = score(position) else { continue }
            low = min(low, value)
            high = max(high, value)
        }
        let span = high > low ? high - low : 1
        let w = Float(weight)
        return candidates.indices.map { position -> Float in
            let novelty = novelties[position]
            var relevance: Float = 0
            if let value = score(position), low.isFinite {
                relevance = (value - low) / span
            }
            return w * novelty + (1 - w) * relevance
        }
    }

    /// `exploit` (best first) with `explored` placed at evenly spaced positions (never first), keeping both
    /// orders and the total at most `count`.
    package static func merge(exploit: [PredictedItem], explored: [PredictedItem], count: Int) -> [PredictedItem] {
        guard !explored.isEmpty else { return Array(exploit.prefix(count)) }
        let total = min(count, exploit.count + explored.count)
        let explore = min(explored.count, total)
        var positions = [Bool](repeating: false, count: total)
        for slot in 0..<explore {
            var position = (slot + 1) * total / (explore + 1)
            while position < total, positions[position] { position += 1 }
            positions[min(position, total - 1)] = true
        }
        var merged: [PredictedItem] = []
        var exploitIndex = 0
        var exploreIndex = 0
        for position in 0..<total {
            if positions[position], exploreIndex < explore {
                merged.append(explored[exploreIndex])
                exploreIndex += 1
            } else if exploitIndex < exploit.count {
                merged.append(exploit[exploitIndex])
                exploitIndex += 1
            } else if exploreIndex < explore {
                merged.append(explored[exploreIndex])
                exploreIndex += 1
            }
        }
        return merged
    }
}
