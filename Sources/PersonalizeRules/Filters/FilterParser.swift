import Foundation

/// Parses filter expressions (guide §3.5–3.7) into ``FilterExpression``s and enforces the rules that
/// need no schema (``FilterGrammarRules``). Keywords and dataset names are case-insensitive.
///
/// ```
/// filter     = statement { "|" statement }
/// statement  = ("INCLUDE" | "EXCLUDE") ("ItemID" | "ActionID" | "UserID") "WHERE" condition [ifClause]
/// condition  = conjunction { "OR" conjunction }      conjunction = predicate { "AND" predicate }
/// predicate  = Dataset "." FIELD (("IN" | "NOT IN") list | ("=" | "!=" | "<" | "<=" | ">" | ">=") value)
/// list       = "(" literal { "," literal } ")" | ["("] $PARAM [")"] | CurrentItem.FIELD
/// value      = literal | ["("] $PARAM [")"] | CurrentItem.FIELD
/// ifClause   = "IF" CurrentUser.FIELD op value { "AND" CurrentUser.FIELD op value }
/// ```
package struct FilterParser {
    private let tokens: [FilterToken]
    private var index = 0

    /// Parses `expression`.
    ///
    /// - Throws: ``FilterExpressionError`` naming the offending token and its position.
    package static func parse(_ expression: String) throws -> FilterExpression {
        var parser = FilterParser(tokens: try FilterLexer.tokens(expression))
        let parsed = try parser.filter()
        try FilterGrammarRules.check(parsed)
        return parsed
    }

    private init(tokens: [FilterToken]) {
        self.tokens = tokens
    }

    private var current: FilterToken { tokens[index] }

    private mutating func advance() -> FilterToken {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    private func unexpected(_ expected: String, after previous: String? = nil) -> FilterExpressionError {
        let context = previous.map { " after \($0)" } ?? ""
        return FilterExpressionError("Expected \(expected)\(context), found \(current.quoted).", at: current.position)
    }

    private mutating func expectKeyword(_ keyword: String, after previous: String) throws {
        guard current.isKeyword(keyword) else { throw unexpected(keyword, after: previous) }
        _ = advance()
    }

    private mutating func filter() throws -> FilterExpression {
        var statements = [try statement()]
        while current.isSymbol("|") {
            _ = advance()
            statements.append(try statement())
        }
        guard case .end = current.kind else {
            if current.isKeyword("IF") {
                throw FilterExpressionError(
                    "IF may appear only once, at the end of an expression; found a second 'IF'.", at: current.position)
            }
            throw unexpected("AND, OR, IF, '|' or the end of the expression")
        }
        return FilterExpression(statements: statements)
    }

    private mutating func statement() throws -> FilterStatement {
        let start = current
        let action: FilterStatement.Action
        if start.isKeyword("INCLUDE") {
            action = .include
        } else if start.isKeyword("EXCLUDE") {
            action = .exclude
        } else {
            throw unexpected("INCLUDE or EXCLUDE")
        }
        _ = advance()
        let target = try self.target(after: start.quoted)
        try expectKeyword("WHERE", after: "'\(target.rawValue)'")
        let condition = try disjunction()
        var guards: [FilterPredicate] = []
        if current.isKeyword("IF") {
            _ = advance()
            guards.append(try predicate())
            while current.isKeyword("AND") {
                _ = advance()
                guards.append(try predicate())
            }
        }
        return FilterStatement(
            action: action, target: target, condition: condition, guards: guards, position: start.position)
    }

    private mutating func target(after previous: String) throws -> FilterStatement.Target {
        let targets: [FilterStatement.Target] = [.itemID, .actionID, .userID]
        guard let target = targets.first(where: { current.isKeyword($0.rawValue) }) else {
            throw unexpected("ItemID, ActionID or UserID", after: previous)
        }
        _ = advance()
        return target
    }

    private mutating func disjunction() throws -> FilterCondition {
        var terms = [try conjunction()]
        while current.isKeyword("OR") {
            _ = advance()
            terms.append(try conjunction())
        }
        return terms.count == 1 ? terms[0] : .any(terms)
    }

    private mutating func conjunction() throws -> FilterCondition {
        var terms: [FilterCondition] = [.predicate(try predicate())]
        while current.isKeyword("AND") {
            _ = advance()
            terms.append(.predicate(try predicate()))
        }
        return terms.count == 1 ? terms[0] : .all(terms)
    }

    private mutating func predicate() throws -> FilterPredicate {
        let field = try fieldReference()
        let op = try self.op(after: "'\(field)'")
        let value = op.isMembership ? try membershipValue(op) : try comparisonValue(op)
        return FilterPredicate(field: field, op: op, value: value, position: field.position)
    }

    private mutating func fieldReference() throws -> FieldReference {
        let token = current
        guard case .word(let name) = token.kind else {
            throw unexpected("a dataset field such as Items.GENRE")
        }
        guard let dataset = Self.dataset(named: name) else {
            let known = FilterDataset.allCases.map(\.rawValue).joined(separator: ", ")
            throw FilterExpressionError("Unknown dataset '\(name)'; use one of \(known).", at: token.position)
        }
        _ = advance()
        guard current.isSymbol(".") else { throw unexpected("'.' and a field name", after: token.quoted) }
        _ = advance()
        guard case .word(let field) = current.kind else { throw unexpected("a field name", after: "'\(name).'") }
        _ = advance()
        return FieldReference(dataset: dataset, name: field, position: token.position)
    }

    /// The dataset named `name`, ignoring case; `Action` is taken for `Actions` (guide example F21).
    private static func dataset(named name: String) -> FilterDataset? {
        if name.caseInsensitiveCompare("Action") == .orderedSame { return .actions }
        return FilterDataset.allCases.first { $0.rawValue.caseInsensitiveCompare(name) == .orderedSame }
    }

    private mutating func op(after previous: String) throws -> FilterOperator {
        let token = current
        if token.isKeyword("IN") {
            _ = advance()
            return .in
        }
        if token.isKeyword("NOT") {
            _ = advance()
            try expectKeyword("IN", after: "'NOT'")
            return .notIn
        }
        if case .symbol(let symbol) = token.kind, let op = FilterOperator(rawValue: symbol) {
            _ = advance()
            return op
        }
        throw unexpected("IN, NOT IN, =, !=, <, <=, > or >=", after: previous)
    }

    /// The value of IN / NOT IN: a parenthesised list of literals or one parameter, or `CurrentItem.FIELD`.
    private mutating func membershipValue(_ op: FilterOperator) throws -> FilterValue {
        if let value = try unparenthesisedValue() { return value }
        guard current.isSymbol("(") else {
            throw unexpected("'(' and a list of values, a $PARAMETER or CurrentItem.FIELD", after: "'\(op.rawValue)'")
        }
        _ = advance()
        if let value = try unparenthesisedValue() {
            try closeParenthesis(parameterList: true)
            return value
        }
        var literals = [try literal()]
        while current.isSymbol(",") {
            _ = advance()
            if case .parameter = current.kind {
                throw FilterExpressionError(
                    "Comma-separated parameters cannot be added to a filter; found \(current.quoted) in a list. "
                        + "Use one $PARAMETER and pass several values in filterValues.", at: current.position)
            }
            literals.append(try literal())
        }
        try closeParenthesis(parameterList: false)
        return .literals(literals)
    }

    /// The value of a comparison: a literal, a parameter (optionally parenthesised) or `CurrentItem.FIELD`.
    private mutating func comparisonValue(_ op: FilterOperator) throws -> FilterValue {
        if let value = try unparenthesisedValue() { return value }
        if current.isSymbol("(") {
            _ = advance()
            let value = try unparenthesisedValue() ?? .literals([try literal()])
            try closeParenthesis(parameterList: false)
            return value
        }
        if case .word = current.kind { throw unexpected("a value", after: "'\(op.rawValue)'") }
        return .literals([try literal()])
    }

    /// A `$PARAMETER` or `CurrentItem.FIELD`, if the next token starts one.
    private mutating func unparenthesisedValue() throws -> FilterValue? {
        let token = current
        if case .parameter(let name) = token.kind {
            _ = advance()
            return .parameter(name, position: token.position)
        }
        if case .word(let word) = token.kind, word.caseInsensitiveCompare("CurrentItem") == .orderedSame {
            return .field(try fieldReference())
        }
        return nil
    }

    private mutating func closeParenthesis(parameterList: Bool) throws {
        if parameterList, current.isSymbol(",") {
            throw FilterExpressionError(
                "Comma-separated parameters cannot be added to a filter; found ',' after a parameter. "
                    + "Use one $PARAMETER and pass several values in filterValues.", at: current.position)
        }
        guard current.isSymbol(")") else { throw unexpected(parameterList ? "')'" : "',' or ')'") }
        _ = advance()
    }

    private mutating func literal() throws -> FilterLiteral {
        switch current.kind {
        case .string(let text):
            _ = advance()
            return .string(text)
        case .number(let text):
            _ = advance()
            return .number(text)
        case .word, .parameter, .symbol, .end:
            throw unexpected("a quoted string or a number")
        }
    }
}
