/// A held-out user of an action evaluation: what the model may see, and what the user did next.
package struct ActionTestUser: Sendable {
    /// The user's dense index.
    package let user: Int32
    /// The user's older action interactions and the items they interacted with before the truth began.
    package let history: ActionHistory
    /// Action → whether the user took it, for every action the user interacted with in the truth.
    package let truth: [Int32: Bool]

    /// Creates a test user.
    package init(user: Int32, history: ActionHistory, truth: [Int32: Bool]) {
        self.user = user
        self.history = history
        self.truth = truth
    }

    /// The actions the user took in the truth.
    package var taken: Set<Int32> { Set(truth.filter(\.value).keys) }
}

/// The guide's hold-out for PERSONALIZED_ACTIONS: a seeded 10% of the users with two or more action
/// interactions are test users, and everything they did leaves the training set; each test user's action
/// interactions are sorted by time (ties by action, then outcome), the newest `max(1, round(0.1 · n))` are the
/// truth and the rest, with the items the user interacted with before the first truth interaction, the history.
package struct ActionHoldOut: Sendable {
    /// Every interaction of the users that are not test users.
    package let training: ActionTrainingSet
    /// The test users, ascending by user index.
    package let testUsers: [ActionTestUser]

    /// Splits `data`.
    ///
    /// - Parameters:
    ///   - data: All action and item interactions.
    ///   - testFraction: The share of eligible users to hold out, in `0...1` (at least one when any is eligible).
    ///   - seed: Fixes which users are chosen.
    package init(_ data: ActionTrainingSet, testFraction: Double = 0.1, seed: UInt64) {
        var counts: [Int32: Int] = [:]
        for event in data.actionEvents { counts[event.user, default: 0] += 1 }
        var eligible = counts.filter { $0.value >= 2 }.keys.sorted()
        var generator = SeededGenerator(seed: seed)
        if eligible.count > 1 {
            for i in stride(from: eligible.count - 1, to: 0, by: -1) {
                eligible.swapAt(i, Int(generator.next() % UInt64(i + 1)))
            }
        }
        let fraction = min(max(testFraction, 0), 1)
        var count = Int((fraction * Double(eligible.count)).rounded())
        if count == 0, fraction > 0, !eligible.isEmpty { count = 1 }
        let test = Set(eligible.prefix(count))
        var training = data
        training.actionEvents = data.actionEvents.filter { !test.contains($0.user) }
        training.itemEvents = data.itemEvents.filter { !test.contains($0.user) }
        self.training = training
        var actions: [Int32: [ActionEvent]] = [:]
        var items: [Int32: [Event]] = [:]
        for event in data.actionEvents where test.contains(event.user) {
            actions[event.user, default: []].append(event)
        }
        for event in data.itemEvents where test.contains(event.user) { items[event.user, default: []].append(event) }
        testUsers = test.sorted().map { user in
            Self.split(user: user, actions: actions[user] ?? [], items: items[user] ?? [])
        }
    }

    private static func split(user: Int32, actions: [ActionEvent], items: [Event]) -> ActionTestUser {
        let sorted = actions.sorted {
            ($0.timestamp, $0.action, $0.outcome.rawValue) < ($1.timestamp, $1.action, $1.outcome.rawValue)
        }
        let truthCount = max(1, Int((0.1 * Double(sorted.count)).rounded()))
        let cut = sorted.count - truthCount
        let start = sorted[cut].timestamp
        var truth: [Int32: Bool] = [:]
        for event in sorted[cut...] { truth[event.action] = (truth[event.action] ?? false) || event.outcome == .taken }
        let history = ActionHistory(
            actions: sorted[..<cut].map { ($0.action, $0.outcome) },
            items: items.filter { $0.timestamp < start }.map(\.item))
        return ActionTestUser(user: user, history: history, truth: truth)
    }
}
