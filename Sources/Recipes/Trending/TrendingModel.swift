/// The `aws-trending-now` model: the items whose interactions increased the most between the last two periods of
/// `trend_discovery_frequency`, falling back to popular items when those periods are empty.
///
/// Periods are aligned to multiples of the frequency (in the events' time unit, seconds for Personalize), so the
/// answer changes only when a period ends, as Personalize re-evaluates trends once per period. Building it is a
/// single pass over the events, so the engine can rebuild it at every period without retraining.
package struct TrendingModel: Sendable {
    /// `trend_discovery_frequency`, in seconds: the length of a period (≥ 1).
    package let frequency: Int64
    /// The end of the latest complete period (exclusive): the evaluation time.
    package let evaluatedAt: Int64
    /// Per item, its events in the latest complete period `[evaluatedAt − frequency, evaluatedAt)`.
    package let current: [Float]
    /// Per item, its events in the period before, `[evaluatedAt − 2·frequency, evaluatedAt − frequency)`.
    package let previous: [Float]
    /// Per item, all its events before `evaluatedAt`: the fallback ranking.
    package let popularity: [Float]

    /// The period when a solution gives no `trend_discovery_frequency`: 2 hours, as the guide says.
    package static let defaultFrequency: Int64 = 7200

    /// The longest period accepted (about 35,000 years in seconds); longer ones are clamped to it.
    package static let longestFrequency: Int64 = 1 << 40

    /// The frequencies the guide allows, by their `trend_discovery_frequency` spelling.
    package static let frequencies: [String: Int64] = [
        "30 minutes": 1800, "1 hour": 3600, "3 hours": 10_800, "1 day": 86_400,
    ]

    /// Counts the events of the last two complete periods before `now`.
    ///
    /// - Parameters:
    ///   - events: The interactions (any order); events at or after the evaluation time are not counted yet.
    ///   - itemCount: The catalogue size; events of items outside `0..<itemCount` are ignored.
    ///   - frequency: The period, in the timestamps' unit, clamped to `1...longestFrequency`.
    ///   - now: The current time; the evaluation time is the latest multiple of `frequency` not after it.
    package init(events: [Event], itemCount: Int, frequency: Int64 = defaultFrequency, now: Int64) {
        let frequency = min(max(frequency, 1), Self.longestFrequency)
        let evaluatedAt = now - ((now % frequency) + frequency) % frequency
        var current = [Float](repeating: 0, count: itemCount)
        var previous = [Float](repeating: 0, count: itemCount)
        var popularity = [Float](repeating: 0, count: itemCount)
        for event in events where event.item >= 0 && Int(event.item) < itemCount && event.timestamp < evaluatedAt {
            let item = Int(event.item)
            popularity[item] += 1
            let (age, overflow) = evaluatedAt.subtractingReportingOverflow(event.timestamp)
            guard !overflow else { continue }
            if age <= frequency {
                current[item] += 1
            } else if age - frequency <= frequency {
                previous[item] += 1
            }
        }
        self.init(
            frequency: frequency, evaluatedAt: evaluatedAt, current: current, previous: previous,
            popularity: popularity)
    }

    package init(frequency: Int64, evaluatedAt: Int64, current: [Float], previous: [Float], popularity: [Float]) {
        precondition(current.count == previous.count && current.count == popularity.count)
        self.frequency = frequency
        self.evaluatedAt = evaluatedAt
        self.current = current
        self.previous = previous
        self.popularity = popularity
    }

    /// The number of items in the catalogue.
    package var itemCount: Int { current.count }

    /// Whether the last two periods hold any interaction; if not, ``recommend(count:excluding:)`` returns popular
    /// items only, as the guide says.
    package var hasRecentInteractions: Bool {
        current.contains { $0 > 0 } || previous.contains { $0 > 0 }
    }

    /// The increase of every item: its events in the latest period minus those in the period before.
    package func scores() -> [Float] { zip(current, previous).map { $0 - $1 } }

    /// The trending items, best first: those whose interactions increased, by increase (ties: more events in the
    /// latest period, then the lower index), then the most popular of the rest.
    ///
    /// - Parameters:
    ///   - count: How many items to return.
    ///   - excluded: Items never to return.
    /// - Returns: Up to `count` `(index, score)` pairs; a trending item's score is its increase, a popular one's 0.
    package func recommend(count: Int, excluding excluded: Set<Int32> = []) -> [(index: Int32, score: Float)] {
        guard count > 0 else { return [] }
        let increases = scores()
        let tieBreak = 1 / Float(2 * (Int(current.max() ?? 0) + 1))
        var trending = increases.indices.map { item -> Float in
            increases[item] > 0 ? increases[item] + current[item] * tieBreak : .nan
        }
        if !hasRecentInteractions { trending = [] }
        let top = TopK.select(trending, k: count, excluding: excluded).map {
            (index: $0.index, score: increases[Int($0.index)])
        }
        guard top.count < count else { return top }
        let popular = TopK.select(popularity, k: count - top.count, excluding: excluded.union(top.map(\.index)))
        return top + popular.map { (index: $0.index, score: 0) }
    }
}
