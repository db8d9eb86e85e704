/// A parsed filter expression: one or more statements joined with `|`.
///
/// The semantics are the guide's (§3.9): every statement is evaluated on its own, and the result is
/// `(no INCLUDE ? everything : ⋃ INCLUDE) − ⋃ EXCLUDE`.
package struct FilterExpression: Sendable, Hashable {
    package var statements: [FilterStatement]

    /// The `$PARAM` names the expression uses, in order of first appearance.
    package var parameters: [String] {
        var seen = Set<String>()
        return statements.flatMap(\.parameters).filter { seen.insert($0).inserted }
    }
}

/// `INCLUDE|EXCLUDE ItemID|ActionID|UserID WHERE conditions [IF CurrentUser conditions]`.
package struct FilterStatement: Sendable, Hashable {
    package enum Action: String, Sendable, Hashable { case include = "INCLUDE", exclude = "EXCLUDE" }
    package enum Target: String, Sendable, Hashable { case itemID = "ItemID", actionID = "ActionID", userID = "UserID" }

    package var action: Action
    package var target: Target
    /// The WHERE clause: predicates joined with AND (binding tighter) and OR.
    package var condition: FilterCondition
    /// The IF clause: `CurrentUser` predicates joined with AND (empty when there is no IF).
    package var guards: [FilterPredicate]
    /// Where the statement starts (1-based character position in the expression).
    package var position: Int

    /// The dataset every WHERE predicate uses (the guide: the dataset of the first condition).
    package var dataset: FilterDataset { condition.predicates.first?.field.dataset ?? .items }

    package var predicates: [FilterPredicate] { condition.predicates + guards }

    package var parameters: [String] {
        predicates.flatMap { predicate -> [String] in
            if case .parameter(let name, _) = predicate.value { return [name] }
            return []
        }
    }
}

/// A WHERE clause as a tree of AND and OR.
package indirect enum FilterCondition: Sendable, Hashable {
    case predicate(FilterPredicate)
    case all([FilterCondition])
    case any([FilterCondition])

    /// The predicates of the clause, left to right.
    package var predicates: [FilterPredicate] {
        switch self {
        case .predicate(let predicate): [predicate]
        case .all(let children), .any(let children): children.flatMap(\.predicates)
        }
    }
}

/// The datasets (and request-bound records) an expression may name.
package enum FilterDataset: String, Sendable, Hashable, CaseIterable {
    case interactions = "Interactions"
    case items = "Items"
    case users = "Users"
    case actions = "Actions"
    case actionInteractions = "Action_Interactions"
    /// The user the recommendations are for (allowed only in IF).
    case currentUser = "CurrentUser"
    /// The item of a related-items request (allowed only as a value).
    case currentItem = "CurrentItem"

    /// The dataset whose schema holds the field.
    package var datasetType: DatasetType {
        switch self {
        case .interactions: .interactions
        case .items, .currentItem: .items
        case .users, .currentUser: .users
        case .actions: .actions
        case .actionInteractions: .actionInteractions
        }
    }

    /// Whether the dataset holds interactions (only `EVENT_TYPE` may be filtered on).
    package var isInteractions: Bool { self == .interactions || self == .actionInteractions }
}

/// `Dataset.FIELD`.
package struct FieldReference: Sendable, Hashable, CustomStringConvertible {
    package var dataset: FilterDataset
    package var name: String
    package var position: Int

    package init(dataset: FilterDataset, name: String, position: Int) {
        self.dataset = dataset
        self.name = name
        self.position = position
    }

    package var description: String { "\(dataset.rawValue).\(name)" }
}

/// The comparison operators of the language.
package enum FilterOperator: String, Sendable, Hashable {
    case `in` = "IN"
    case notIn = "NOT IN"
    case equal = "="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="

    /// Whether the operator orders values (and so needs a numeric field).
    package var isOrdering: Bool { [.less, .lessOrEqual, .greater, .greaterOrEqual].contains(self) }
    package var isMembership: Bool { self == .in || self == .notIn }
}

/// A literal value: a double-quoted string or a number (kept as written).
package enum FilterLiteral: Sendable, Hashable {
    case string(String)
    case number(String)

    package var text: String {
        switch self {
        case .string(let text), .number(let text): text
        }
    }
}

/// The right-hand side of a predicate.
package enum FilterValue: Sendable, Hashable {
    /// One or more literals: `("a", "b")`, `18`, `"Premium"`.
    case literals([FilterLiteral])
    /// `$NAME` (with or without parentheses), filled from `filterValues` at request time.
    case parameter(String, position: Int)
    /// `CurrentItem.FIELD`: the value of the item in a related-items request.
    case field(FieldReference)
}

/// `Dataset.FIELD operator value`.
package struct FilterPredicate: Sendable, Hashable {
    package var field: FieldReference
    package var op: FilterOperator
    package var value: FilterValue
    package var position: Int
}
