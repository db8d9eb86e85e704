/// The guide's rules (§3.4, §3.6) that a parsed expression must follow whatever the schemas are.
package enum FilterGrammarRules {
    /// Distinct dataset fields one filter may use.
    package static let maximumFieldsPerFilter = 5
    /// Distinct `$PARAMETER`s one filter may use (`filterValues` holds at most 25 entries).
    package static let maximumParameters = 25
    /// Longest parameter name (`filterValues` keys are at most 50 characters).
    package static let maximumParameterNameLength = 50
    /// Action fields Personalize applies itself and that filters cannot use.
    package static let automaticActionFields: Set<String> = [
        "ACTION_EXPIRATION_TIMESTAMP", "EXPIRATION_TIMESTAMP", "REPEAT_FREQUENCY",
    ]

    /// Checks every statement and the limits over the whole expression.
    ///
    /// - Throws: ``FilterExpressionError`` at the first offending token.
    package static func check(_ expression: FilterExpression) throws {
        for statement in expression.statements {
            try check(statement)
        }
        let fields = distinctFields(expression)
        if fields.count > maximumFieldsPerFilter, let extra = fields.dropFirst(maximumFieldsPerFilter).first {
            throw FilterExpressionError(
                "A filter can use at most \(maximumFieldsPerFilter) distinct dataset fields; \(extra.name) is field "
                    + "number \(maximumFieldsPerFilter + 1).", at: extra.position)
        }
        let parameters = expression.statements.flatMap { $0.predicates.compactMap(parameter) }
        var names: [String] = []
        for (name, position) in parameters where !names.contains(name) {
            names.append(name)
            if names.count > maximumParameters {
                throw FilterExpressionError(
                    "A filter can use at most \(maximumParameters) parameters; '$\(name)' is one too many.",
                    at: position)
            }
        }
    }

    /// The distinct dataset fields of `expression` (`CurrentUser.X` is `Users.X`, `CurrentItem.X` is
    /// `Items.X`), in order of appearance, named `Dataset.FIELD` with field names upper-cased.
    package static func distinctFields(_ expression: FilterExpression) -> [(name: String, position: Int)] {
        var seen = Set<String>()
        var fields: [(String, Int)] = []
        for statement in expression.statements {
            for predicate in statement.predicates {
                var references = [predicate.field]
                if case .field(let other) = predicate.value { references.append(other) }
                for reference in references {
                    let name = "\(reference.dataset.datasetType.recordName).\(reference.name.uppercased())"
                    if seen.insert(name).inserted { fields.append((name, reference.position)) }
                }
            }
        }
        return fields
    }

    private static func parameter(_ predicate: FilterPredicate) -> (String, Int)? {
        if case .parameter(let name, let position) = predicate.value { return (name, position) }
        return nil
    }

    private static func check(_ statement: FilterStatement) throws {
        let first = statement.condition.predicates[0].field
        try checkWhereDataset(first, target: statement.target)
        for predicate in statement.condition.predicates {
            guard predicate.field.dataset == first.dataset else {
                throw FilterExpressionError(
                    "Conditions chained with AND or OR must use the dataset of the first condition "
                        + "(\(first.dataset.rawValue)); found '\(predicate.field)'. Chain a second expression "
                        + "with '|' to filter on \(predicate.field.dataset.rawValue).", at: predicate.position)
            }
            try checkPredicate(predicate)
        }
        for predicate in statement.guards {
            guard predicate.field.dataset == .currentUser else {
                throw FilterExpressionError(
                    "IF can check only CurrentUser fields; found '\(predicate.field)'.", at: predicate.position)
            }
            guard statement.target != .userID else {
                throw FilterExpressionError(
                    "'\(predicate.field)': IF CurrentUser applies to item and action recommendations, not to "
                        + "UserID (user segment) expressions.", at: predicate.position)
            }
            try checkPredicate(predicate)
        }
    }

    /// The WHERE dataset must suit the target (ItemID: Items or Interactions; ActionID: Actions or
    /// Action_Interactions; UserID: Users or Interactions).
    private static func checkWhereDataset(_ field: FieldReference, target: FilterStatement.Target) throws {
        switch field.dataset {
        case .currentUser:
            throw FilterExpressionError(
                "'\(field)': CurrentUser is allowed only in the IF clause at the end of an expression.",
                at: field.position)
        case .currentItem:
            throw FilterExpressionError(
                "'\(field)': CurrentItem can only be the value of a condition, e.g. Items.GENRE IN CurrentItem.GENRE.",
                at: field.position)
        case .interactions, .items, .users, .actions, .actionInteractions: break
        }
        let allowed: [FilterDataset] =
            switch target {
            case .itemID: [.items, .interactions]
            case .actionID: [.actions, .actionInteractions]
            case .userID: [.users, .interactions]
            }
        guard allowed.contains(field.dataset) else {
            throw FilterExpressionError(
                "\(target.rawValue) expressions filter on \(allowed.map(\.rawValue).joined(separator: " or ")); "
                    + "found '\(field)'.", at: field.position)
        }
    }

    private static func checkPredicate(_ predicate: FilterPredicate) throws {
        let field = predicate.field
        if field.dataset.isInteractions {
            try checkInteractionPredicate(predicate)
        }
        if field.dataset == .actions, automaticActionFields.contains(field.name.uppercased()) {
            throw FilterExpressionError(
                "'\(field)' cannot be filtered on: Personalize applies action expiration and repeat frequency "
                    + "itself.", at: field.position)
        }
        try checkValue(predicate)
    }

    /// Interaction datasets allow only `EVENT_TYPE` with IN, NOT IN or =.
    private static func checkInteractionPredicate(_ predicate: FilterPredicate) throws {
        let field = predicate.field
        guard field.name.uppercased() == "EVENT_TYPE" else {
            throw FilterExpressionError(
                "Only EVENT_TYPE can be used from \(field.dataset.rawValue); found '\(field)'.", at: field.position)
        }
        guard [.in, .notIn, .equal].contains(predicate.op) else {
            throw FilterExpressionError(
                "\(field) can be compared only with IN, NOT IN or =; found '\(predicate.op.rawValue)'.",
                at: predicate.position)
        }
        if case .field(let other) = predicate.value {
            throw FilterExpressionError(
                "\(field) cannot be compared with '\(other)'.", at: other.position)
        }
    }

    private static func checkValue(_ predicate: FilterPredicate) throws {
        switch predicate.value {
        case .parameter(let name, let position):
            if predicate.op == .notIn {
                throw FilterExpressionError(
                    "Invalid input symbol: $\(name). Placeholders cannot be used with the NOT_IN operator; use IN "
                        + "with the opposite action (EXCLUDE instead of INCLUDE, or the reverse).", at: position)
            }
            guard name.count <= maximumParameterNameLength else {
                throw FilterExpressionError(
                    "The parameter name '$\(name)' is longer than \(maximumParameterNameLength) characters.",
                    at: position)
            }
        case .field(let other):
            guard other.dataset == .currentItem, predicate.field.dataset == .items else {
                throw FilterExpressionError(
                    "'\(other)': only Items conditions can be compared with a CurrentItem field.", at: other.position)
            }
        case .literals(let literals):
            try checkLiterals(literals, predicate)
        }
    }

    private static func checkLiterals(_ literals: [FilterLiteral], _ predicate: FilterPredicate) throws {
        if predicate.op.isOrdering, case .string(let text) = literals[0] {
            throw FilterExpressionError(
                "'\(predicate.op.rawValue)' compares numbers; found the string \"\(text)\".", at: predicate.position)
        }
        let isEventType = predicate.field.dataset == .interactions && predicate.field.name.uppercased() == "EVENT_TYPE"
        if !isEventType, literals.contains(.string("*")) {
            throw FilterExpressionError(
                "\"*\" (all event types) can be used only with Interactions.EVENT_TYPE; found it with "
                    + "'\(predicate.field)'.", at: predicate.position)
        }
    }
}
