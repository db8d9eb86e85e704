import EngineAPI

extension FilterEvaluator {
    /// Whether the filter keeps user `userID` in a segment (UserID statements, guide §3 examples F13–F16):
    /// `Users.` conditions read the user's record, `Interactions.EVENT_TYPE` the event types the user has
    /// interacted with (lower-cased).
    ///
    /// - Throws: `InvalidInputException` when a parameter value does not suit its field.
    package func keeps(userID: String, record: FilterRecord?, eventTypes: Set<String>) throws -> Bool {
        var included = false
        var hasInclude = false
        for statement in statements where statement.target == .userID {
            let matched = try matches(statement.condition, record: record, eventTypes: eventTypes)
            switch statement.action {
            case .exclude:
                if matched { return false }
            case .include:
                hasInclude = true
                included = included || matched
            }
        }
        return !hasInclude || included
    }

    private func matches(_ condition: FilterCondition, record: FilterRecord?, eventTypes: Set<String>) throws -> Bool {
        switch condition {
        case .predicate(let predicate):
            let evaluator = PredicateEvaluator(context: context)
            switch predicate.field.dataset {
            case .users: return try evaluator.compare(record?[predicate.field.name] ?? .null, predicate)
            case .interactions: return try evaluator.matchesEventTypes(eventTypes, predicate)
            case .items, .actions, .actionInteractions, .currentUser, .currentItem: return false
            }
        case .all(let children):
            for child in children where try !matches(child, record: record, eventTypes: eventTypes) { return false }
            return true
        case .any(let children):
            for child in children where try matches(child, record: record, eventTypes: eventTypes) { return true }
            return false
        }
    }
}
