/// What a user did with an action, as the guide's three action interaction event types say.
package enum ActionOutcome: UInt8, Sendable, Hashable, CaseIterable {
    /// The user took the action.
    case taken
    /// The user saw the action and chose not to take it.
    case notTaken
    /// The action was shown to the user.
    case viewed
}

/// One action interaction, with dense indices.
package struct ActionEvent: Sendable, Hashable {
    /// The user's dense index.
    package var user: Int32
    /// The action's dense index.
    package var action: Int32
    /// When it happened, in Unix seconds.
    package var timestamp: Int64
    /// What the user did.
    package var outcome: ActionOutcome

    /// Creates an action interaction.
    package init(user: Int32, action: Int32, timestamp: Int64, outcome: ActionOutcome) {
        self.user = user
        self.action = action
        self.timestamp = timestamp
        self.outcome = outcome
    }
}

/// Everything the next-best-action recipe trains on: action interactions, the users' item interactions (they
/// tell what users care about before they meet an action) and the actions' business values.
package struct ActionTrainingSet: Sendable {
    /// The number of users (valid `user` indices).
    package var userCount: Int
    /// The number of actions (valid `action` indices).
    package var actionCount: Int
    /// The number of items (valid `item` indices of ``itemEvents``).
    package var itemCount: Int
    /// The action interactions, any order.
    package var actionEvents: [ActionEvent]
    /// The item interactions of the same users, any order.
    package var itemEvents: [Event]
    /// Each action's value (1–10, 10 the most important), nil when unknown; breaks ties between equally
    /// likely actions.
    package var actionValues: [Float?]

    /// Creates a training set; `actionValues` defaults to no values.
    package init(
        userCount: Int, actionCount: Int, itemCount: Int, actionEvents: [ActionEvent], itemEvents: [Event] = [],
        actionValues: [Float?]? = nil
    ) {
        self.userCount = userCount
        self.actionCount = actionCount
        self.itemCount = itemCount
        self.actionEvents = actionEvents
        self.itemEvents = itemEvents
        self.actionValues = actionValues ?? [Float?](repeating: nil, count: actionCount)
    }
}

/// What the model knows about one user when it scores actions for them.
package struct ActionHistory: Sendable {
    /// The user's action interactions, any order.
    package var actions: [(action: Int32, outcome: ActionOutcome)]
    /// The items the user interacted with, any order (repeats count).
    package var items: [Int32]

    /// Creates a history.
    package init(actions: [(action: Int32, outcome: ActionOutcome)] = [], items: [Int32] = []) {
        self.actions = actions
        self.items = items
    }
}
