/// Offline metrics of USER_SEGMENTATION recipes (item-affinity, item-attribute-affinity), as the developer guide
/// describes them (part 2 §12): the training set is the oldest 80 % of each user's interactions and the test
/// set the newest 20 %; for each item of the test set, the model's top K users for it (K = 1 % of the users, at
/// least 1) are compared with the users who interacted with it in the test set.
///
/// - `hits_at_1_percent`: the average number of those top-K users who are actual users of the item.
/// - `recall_at_1_percent`: the average share of the item's actual users found in the top K, out of as many as
///   fit (`hits / min(K, actual users)`), so a perfect segment scores 1.
///
/// The guide names the metrics (hits and recall at K, K the top 1 %) without their keys; these are ours.
package enum SegmentMetrics {
    package static let names = ["hits_at_1_percent", "recall_at_1_percent"]

    /// The share of each user's interactions, newest first, that becomes the test set.
    package static let testFraction = 0.2

    /// The guide's split: `training` holds each user's oldest interactions, `truth` maps each item of the test
    /// set to the users who interacted with it there. A user's newest `round(0.2 · n)` interactions are tested
    /// (none for a user with a single interaction); ties in time are broken by item, then value.
    package struct Split: Sendable {
        package let training: [Event]
        package let truth: [Int32: Set<Int32>]

        package init(events: [Event]) {
            var byUser: [Int32: [Event]] = [:]
            for event in events { byUser[event.user, default: []].append(event) }
            var training: [Event] = []
            var truth: [Int32: Set<Int32>] = [:]
            for user in byUser.keys.sorted() {
                let sorted = (byUser[user] ?? []).sorted {
                    ($0.timestamp, $0.item, $0.value) < ($1.timestamp, $1.item, $1.value)
                }
                let tested = sorted.count < 2 ? 0 : Int((testFraction * Double(sorted.count)).rounded())
                let cut = sorted.count - tested
                training += sorted[..<cut]
                for event in sorted[cut...] { truth[event.item, default: []].insert(user) }
            }
            self.training = training
            self.truth = truth
        }
    }

    /// K: 1 % of `userCount`, rounded up, at least 1.
    package static func depth(userCount: Int) -> Int {
        max(1, Int((Double(userCount) / 100).rounded(.up)))
    }

    /// The metrics over `truth`, with `topUsers(item, k)` the model's best `k` users for an item.
    ///
    /// - Parameters:
    ///   - truth: Test items and their actual users (``Split/truth``).
    ///   - userCount: How many users the model ranks (K is 1 % of them).
    ///   - topUsers: The model's ranking; nil when it cannot rank users for the item (it is then left out).
    /// - Returns: ``names`` with their values; zeros when no item could be evaluated.
    package static func evaluate(
        truth: [Int32: Set<Int32>], userCount: Int, topUsers: (_ item: Int32, _ k: Int) -> [Int32]?
    ) -> [String: Double] {
        let k = depth(userCount: userCount)
        var hits = 0.0
        var recall = 0.0
        var evaluated = 0
        for item in truth.keys.sorted() {
            guard let actual = truth[item], !actual.isEmpty, let predicted = topUsers(item, k) else { continue }
            let found = Double(predicted.prefix(k).filter(actual.contains).count)
            hits += found
            recall += found / Double(min(k, actual.count))
            evaluated += 1
        }
        let count = Double(max(evaluated, 1))
        return ["hits_at_1_percent": hits / count, "recall_at_1_percent": recall / count]
    }
}
