import EngineAPI
import Foundation
package import PersonalizeRules

/// One stored value of a dataset record, as filters compare it.
package enum FilterCell: Sendable, Hashable {
    case text(String)
    case number(Double)
    case null
}

/// A dataset record as filters see it: field name → value.
package typealias FilterRecord = [String: FilterCell]

/// What a filter is evaluated against for one request: its parameter values, the user's latest
/// interactions and the user's and current item's records.
package struct FilterContext: Sendable {
    /// Parameter values from the request's `filterValues`.
    package var values: FilterValues
    /// Item ID → the lower-cased event types of the user's latest interactions with it (the latest
    /// 100 per event type). A missing event type is "".
    package var interactions: [String: Set<String>] = [:]
    /// Action ID → the event types of the user's latest action interactions with it (the latest 300 per
    /// event type), as ``ActionEventType/key(_:)`` spells them.
    package var actionInteractions: [String: Set<String>] = [:]
    /// The Users record of the user receiving the recommendations (nil: none).
    package var currentUser: FilterRecord?
    /// The Items record of the related-items request's item (nil: none).
    package var currentItem: FilterRecord?
    /// The dataset group's schemas (categorical fields hold several `|`-separated values).
    package var schemas: [DatasetType: AvroSchema] = [:]

    package init(values: FilterValues) {
        self.values = values
    }
}

/// Decides which items a filter keeps: `(no INCLUDE ? all : ⋃ INCLUDE) − ⋃ EXCLUDE` (guide §3.9), with
/// each statement applied only when its IF holds. Event types match case-insensitively; everything
/// else exactly.
package struct FilterEvaluator: Sendable {
    /// The statements that apply to this request.
    package let statements: [FilterStatement]
    package let context: FilterContext

    /// Binds `expression` to a request.
    ///
    /// - Throws: `InvalidInputException` when an INCLUDE statement's parameter has no value (an
    ///   EXCLUDE statement with a missing value is left out, as the guide says).
    package init(_ expression: FilterExpression, context: FilterContext) throws {
        var statements: [FilterStatement] = []
        for statement in expression.statements {
            let missing = statement.parameters.filter { context.values[$0] == nil }
            if let name = missing.first {
                guard statement.action == .exclude else {
                    throw PersonalizeError.invalidInput(
                        "The filter's INCLUDE expression uses $\(name), and filterValues has no '\(name)'; "
                            + "give a value for every parameter of an INCLUDE expression.")
                }
                continue
            }
            statements.append(statement)
        }
        self.context = context
        var applying: [FilterStatement] = []
        for statement in statements where try Self.guardsHold(statement, context) {
            applying.append(statement)
        }
        self.statements = applying
    }

    /// Whether some applying statement reads `dataset` on the left of a condition.
    package func uses(_ dataset: FilterDataset) -> Bool {
        statements.contains { $0.condition.predicates.contains { $0.field.dataset == dataset } }
    }

    /// Whether the filter keeps item `itemID`, whose Items record is `record`.
    ///
    /// - Throws: `InvalidInputException` when a parameter value does not suit its field.
    package func keeps(itemID: String, record: FilterRecord?) throws -> Bool {
        try keeps(itemID, target: .itemID, record: record)
    }

    /// Whether the filter keeps `id`, an ID of `target`'s kind (an item, or an action whose Actions record is
    /// `record`): only the statements on that target apply.
    ///
    /// - Throws: `InvalidInputException` when a parameter value does not suit its field.
    package func keeps(_ id: String, target: FilterStatement.Target, record: FilterRecord?) throws -> Bool {
        try keeps(target: target) { try matches($0, itemID: id, record: record) }
    }

    /// `(no INCLUDE ? true : any INCLUDE matches) && no EXCLUDE matches` over the statements on `target`, each
    /// condition's predicates decided by `leaf`.
    func keeps(target: FilterStatement.Target, leaf: (FilterPredicate) throws -> Bool) throws -> Bool {
        var included = false
        var hasInclude = false
        for statement in statements where statement.target == target {
            let matched = try Self.matches(statement.condition, leaf: leaf)
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

    private static func guardsHold(_ statement: FilterStatement, _ context: FilterContext) throws -> Bool {
        let evaluator = PredicateEvaluator(context: context)
        for predicate in statement.guards {
            let value = context.currentUser?[predicate.field.name] ?? .null
            guard try evaluator.compare(value, predicate) else { return false }
        }
        return true
    }

    private static func matches(_ condition: FilterCondition, leaf: (FilterPredicate) throws -> Bool) throws -> Bool {
        switch condition {
        case .predicate(let predicate):
            return try leaf(predicate)
        case .all(let children):
            for child in children where try !matches(child, leaf: leaf) { return false }
            return true
        case .any(let children):
            for child in children where try matches(child, leaf: leaf) { return true }
            return false
        }
    }

    private func matches(_ predicate: FilterPredicate, itemID: String, record: FilterRecord?) throws -> Bool {
        let evaluator = PredicateEvaluator(context: context)
        switch predicate.field.dataset {
        case .interactions:
            return try evaluator.matchesEventTypes(context.interactions[itemID] ?? [], predicate)
        case .actionInteractions:
            return try evaluator.matchesEventTypes(
                context.actionInteractions[itemID] ?? [], predicate, normalize: ActionEventType.key)
        case .items, .actions:
            return try evaluator.compare(record?[predicate.field.name] ?? .null, predicate)
        case .users, .currentUser, .currentItem:
            return false
        }
    }
}

/// Compares one value with the right-hand side of a predicate.
struct PredicateEvaluator {
    let context: FilterContext

    /// The right-hand values of `predicate` for this request.
    func operands(_ predicate: FilterPredicate) throws -> [FilterCell] {
        switch predicate.value {
        case .literals(let literals):
            return literals.map { .text($0.text) }
        case .parameter(let name, _):
            return (context.values[name] ?? []).map(FilterCell.text)
        case .field(let reference):
            guard let record = context.currentItem else { return [] }
            return split(record[reference.name] ?? .null, reference)
        }
    }

    /// Whether the user's event types with an item (or action) satisfy an `EVENT_TYPE` predicate; `normalize`
    /// spells the predicate's values as `types` are spelled.
    func matchesEventTypes(
        _ types: Set<String>, _ predicate: FilterPredicate, normalize: (String) -> String = { $0.lowercased() }
    ) throws -> Bool {
        guard !types.isEmpty else { return false }
        let wanted = Set(
            try operands(predicate).compactMap { cell -> String? in
                if case .text(let text) = cell { return text == "*" ? text : normalize(text) }
                return nil
            })
        let matches = { (type: String) in wanted.contains("*") || wanted.contains(type) }
        switch predicate.op {
        case .in, .equal: return types.contains(where: matches)
        case .notIn, .notEqual: return types.contains { !matches($0) }
        case .less, .lessOrEqual, .greater, .greaterOrEqual: return false
        }
    }

    /// Whether `value` (a field of the record) satisfies `predicate`.
    func compare(_ value: FilterCell, _ predicate: FilterPredicate) throws -> Bool {
        let left = split(value, predicate.field)
        let right = try operands(predicate)
        switch predicate.op {
        case .in, .equal:
            return try left.contains { cell in try right.contains { try equal(cell, $0, predicate) } }
        case .notIn, .notEqual:
            return try !left.contains { cell in try right.contains { try equal(cell, $0, predicate) } }
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            guard case .number(let number)? = left.first, let first = right.first else { return false }
            guard right.count == 1 else {
                throw PersonalizeError.invalidInput(
                    "\(predicate.field) \(predicate.op.rawValue) needs exactly one value; got \(right.count).")
            }
            guard let bound = try self.number(first, predicate) else { return false }
            return order(number, bound, predicate.op)
        }
    }

    private func order(_ value: Double, _ bound: Double, _ op: FilterOperator) -> Bool {
        switch op {
        case .less: value < bound
        case .lessOrEqual: value <= bound
        case .greater: value > bound
        case .greaterOrEqual: value >= bound
        case .in, .notIn, .equal, .notEqual: false
        }
    }

    private func equal(_ left: FilterCell, _ right: FilterCell, _ predicate: FilterPredicate) throws -> Bool {
        switch left {
        case .null: return false
        case .number(let number): return try self.number(right, predicate) == number
        case .text(let text):
            switch right {
            case .text(let other): return text == other
            case .number(let other): return Double(text) == other
            case .null: return false
            }
        }
    }

    /// `cell` as a number; a parameter value that is not one is the caller's mistake.
    private func number(_ cell: FilterCell, _ predicate: FilterPredicate) throws -> Double? {
        switch cell {
        case .number(let number): return number
        case .null: return nil
        case .text(let text):
            if let number = Double(text.trimmingCharacters(in: .whitespaces)) { return number }
            let source: String
            if case .parameter(let name, _) = predicate.value {
                source = "filterValues['\(name)']"
            } else {
                source = "value"
            }
            throw PersonalizeError.invalidInput(
                "\(source): '\(text)' is not a number, and \(predicate.field) is numeric.")
        }
    }

    /// The values of a categorical field (`Comedy|Drama`), or the value itself.
    private func split(_ cell: FilterCell, _ reference: FieldReference) -> [FilterCell] {
        guard case .text(let text) = cell,
            context.schemas[reference.dataset.datasetType]?.field(reference.name)?.categorical == true
        else { return [cell] }
        return text.split(separator: "|").map { .text(String($0)) }
    }
}
