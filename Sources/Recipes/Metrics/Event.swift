/// One interaction as the offline evaluation sees it.
package struct Event: Sendable, Hashable {
    /// The user's dense index.
    package var user: Int32
    /// The item's dense index.
    package var item: Int32
    /// When it happened (any monotonic unit, e.g. Unix seconds); only the order matters.
    package var timestamp: Int64
    /// Its weight (1 for a plain event).
    package var value: Float

    /// Creates an event.
    package init(user: Int32, item: Int32, timestamp: Int64, value: Float = 1) {
        self.user = user
        self.item = item
        self.timestamp = timestamp
        self.value = value
    }
}

/// A held-out user: what the model may see, and what it should recommend.
package struct TestUser: Sendable {
    /// The user's dense index.
    package let user: Int32
    /// The user's older interactions, oldest first: the input to fold in or score from.
    package let input: [Event]
    /// The items of the user's newest interactions: the ground truth.
    package let truth: Set<Int32>

    /// Creates a test user.
    package init(user: Int32, input: [Event], truth: Set<Int32>) {
        self.user = user
        self.input = input
        self.truth = truth
    }
}
