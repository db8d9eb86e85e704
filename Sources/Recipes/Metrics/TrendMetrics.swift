/// Trending-Now's offline metric (the guide, part 2 §12): trend prediction accuracy, the popularity increase of
/// the recommended items divided by the total popularity increase of the 25 items most popular in the test
/// set's actual interactions.
///
/// The guide does not define "popularity increase"; here it is an item's interactions in the test window (the
/// span of the test users' truth interactions) less its interactions in the window of the same length just
/// before, over all users, and never below 0. The accuracy is 0 when the most popular test items did not grow
/// (the guide: it "can be 0.0 depending on the data distribution").
package enum TrendMetrics {
    package static let name = "trend_prediction_accuracy"

    /// The accuracy of `recommended` (best first; its first 25 count).
    ///
    /// - Parameters:
    ///   - recommended: The trending items the model recommends.
    ///   - truth: The test users' truth interactions.
    ///   - events: Every interaction, for the window before the test window.
    package static func accuracy(recommended: [Int32], truth: [Event], events: [Event]) -> Double {
        guard let start = truth.map(\.timestamp).min(), let end = truth.map(\.timestamp).max() else { return 0 }
        let span = max(end - start, 1)
        var during: [Int32: Int] = [:]
        for event in truth { during[event.item, default: 0] += 1 }
        var before: [Int32: Int] = [:]
        for event in events where event.timestamp >= start - span && event.timestamp < start {
            before[event.item, default: 0] += 1
        }
        func increase(_ item: Int32) -> Double { Double(max((during[item] ?? 0) - (before[item] ?? 0), 0)) }
        let popular = during.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(25).map(\.key)
        let total = popular.map(increase).reduce(0, +)
        guard total > 0 else { return 0 }
        return Array(recommended.prefix(25)).map(increase).reduce(0, +) / total
    }
}
