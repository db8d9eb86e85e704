/// Personalize's offline-evaluation hold-out, as the developer guide describes it.
///
/// A seeded random share of the users are test users: all their interactions leave the training set. Each
/// test user's interactions are sorted by timestamp (ties by item, then value); the newest
/// `k = max(1, round(0.1 · n))` are the truth and the rest the input. Users with fewer than 2 interactions
/// are never test users, so every test user has at least one input and one truth interaction.
package struct HoldOutSplit: Sendable {
    /// Every interaction of the users that are not test users, in the original order.
    package let training: [Event]
    /// The test users, ascending by user index.
    package let testUsers: [TestUser]

    /// The share of a test user's interactions that become the truth.
    package static let truthFraction = 0.1

    /// Holds out `round(testFraction · eligible users)` users (at least 1 when any user is eligible).
    ///
    /// - Parameters:
    ///   - events: All interactions.
    ///   - testFraction: The share of eligible users to hold out, in `0...1`.
    ///   - seed: Fixes which users are chosen.
    package init(events: [Event], testFraction: Double = 0.1, seed: UInt64) {
        let eligible = Self.shuffledEligibleUsers(events, seed: seed)
        let fraction = min(max(testFraction, 0), 1)
        var count = Int((fraction * Double(eligible.count)).rounded())
        if count == 0, fraction > 0, !eligible.isEmpty { count = 1 }
        self.init(events: events, testSet: Set(eligible.prefix(count)))
    }

    /// Fold `fold` of `folds` disjoint folds: with one seeded permutation of the eligible users, fold `k` tests
    /// the users at positions `k, k + folds, k + 2·folds, …`. Over all folds every eligible user is tested once.
    ///
    /// - Parameters:
    ///   - events: All interactions.
    ///   - fold: The fold, in `0..<folds`.
    ///   - folds: The number of folds (≥ 1).
    ///   - seed: Fixes the permutation; use the same seed for every fold.
    package init(events: [Event], fold: Int, of folds: Int, seed: UInt64) {
        precondition(folds >= 1 && (0..<folds).contains(fold), "HoldOutSplit: fold \(fold) is outside 0..<\(folds)")
        let eligible = Self.shuffledEligibleUsers(events, seed: seed)
        let chosen = stride(from: fold, to: eligible.count, by: folds).map { eligible[$0] }
        self.init(events: events, testSet: Set(chosen))
    }

    private init(events: [Event], testSet: Set<Int32>) {
        var training: [Event] = []
        var heldOut: [Int32: [Event]] = [:]
        for event in events {
            if testSet.contains(event.user) {
                heldOut[event.user, default: []].append(event)
            } else {
                training.append(event)
            }
        }
        self.training = training
        self.testUsers = heldOut.keys.sorted().map { user in
            Self.split(user: user, events: heldOut[user] ?? [])
        }
    }

    /// Splits one user's interactions into input (older) and truth (newest `k`).
    private static func split(user: Int32, events: [Event]) -> TestUser {
        let sorted = events.sorted { ($0.timestamp, $0.item, $0.value) < ($1.timestamp, $1.item, $1.value) }
        let truthCount = max(1, Int((truthFraction * Double(sorted.count)).rounded()))
        let cut = sorted.count - truthCount
        return TestUser(user: user, input: Array(sorted[..<cut]), truth: Set(sorted[cut...].map(\.item)))
    }

    /// The users with at least 2 interactions, ascending, then shuffled with the seed (Fisher–Yates).
    private static func shuffledEligibleUsers(_ events: [Event], seed: UInt64) -> [Int32] {
        var counts: [Int32: Int] = [:]
        for event in events { counts[event.user, default: 0] += 1 }
        var users = counts.filter { $0.value >= 2 }.keys.sorted()
        var generator = SeededGenerator(seed: seed)
        if users.count > 1 {
            for i in stride(from: users.count - 1, to: 0, by: -1) {
                let j = Int(generator.next() % UInt64(i + 1))
                users.swapAt(i, j)
            }
        }
        return users
    }
}
