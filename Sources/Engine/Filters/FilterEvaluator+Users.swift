import EngineAPI
import PersonalizeRules

extension FilterEvaluator {
    /// Whether the filter keeps user `userID` in a segment (UserID statements, guide §3 examples F13–F16):
    /// `Users.` conditions read the user's record, `Interactions.EVENT_TYPE` the event types the user has
    /// interacted with (lower-cased).
    ///
    /// - Throws: `InvalidInputException` when a parameter value does not suit its field.
    package func keeps(userID: String, record: FilterRecord?, eventTypes: Set<String>) throws -> Bool {
        let evaluator = PredicateEvaluator(context: context)
        return try keeps(target: .userID) { predicate in
            switch predicate.field.dataset {
            case .users: try evaluator.compare(record?[predicate.field.name] ?? .null, predicate)
            case .interactions: try evaluator.matchesEventTypes(eventTypes, predicate)
            case .items, .actions, .actionInteractions, .currentUser, .currentItem: false
            }
        }
    }
}
