import PersonalizeRules

/// `kind: Filter`: a filter expression of the dataset group, for `filterArn` in recommendation requests.
/// The expression is normalised before comparing (whitespace, the case of keywords), so cosmetic edits are
/// not changes; any other change replaces the filter, creating the new one before deleting the old one.
///
/// ```yaml
/// kind: Filter
/// metadata: {name: not-purchased}
/// spec:
///   datasetGroup: shop
///   expression: EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")
/// ```
package struct FilterSpec: KindSpec {
    /// The dataset group whose datasets the expression reads.
    package var datasetGroup: String
    /// The filter expression, normalised (``FilterExpressionText/normalised(_:)``).
    package var expression: String

    static let definition = KindDefinition(
        kind: .filter,
        fields: [
            FieldDefinition(
                "datasetGroup", .reference(.datasetGroup), required: true, "Dataset group whose datasets it reads"),
            FieldDefinition("expression", .string, required: true, "The filter expression (the guide's grammar)"),
        ],
        supportsTags: true,
        parse: { spec, context in
            let group = context.reference(.datasetGroup, spec, "datasetGroup")
            guard let expression = spec.string("expression") else { return nil }
            if let problem = FilterExpressionText.problem(expression) {
                context.report(spec.location("expression"), "invalid filter expression: \(problem)")
                return nil
            }
            guard let group else { return nil }
            return .filter(FilterSpec(datasetGroup: group, expression: FilterExpressionText.normalised(expression)))
        }
    )

    var fields: [String: SpecValue] {
        ["datasetGroup": .string(datasetGroup), "expression": .string(expression)]
    }
}

/// Filter expressions as text: a canonical form for comparing, and the engine's own checks that need no
/// dataset (the grammar and the guide's limits, from PersonalizeRules; the engine checks fields against the
/// group's schemas when it creates the filter).
enum FilterExpressionText {
    /// Targets and dataset prefixes of fields, spelt as the guide spells them.
    private static let spellings = Dictionary(
        (["ItemID", "ActionID", "UserID"] + FilterDataset.allCases.map(\.rawValue)).map { ($0.uppercased(), $0) },
        uniquingKeysWith: { first, _ in first })
    /// The keywords of the grammar, which the engine reads in any case.
    private static let keywords: Set<String> = ["INCLUDE", "EXCLUDE", "WHERE", "IN", "NOT", "AND", "OR", "IF"]

    /// The expression with whitespace collapsed (none inside parentheses' edges or before commas, one after
    /// commas), keywords upper-cased and targets and dataset names spelt as in the guide. Strings are kept as
    /// written.
    static func normalised(_ expression: String) -> String {
        guard let tokens = try? FilterLexer.tokens(expression) else {
            return expression.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        var result = ""
        var previous: FilterToken?
        for token in tokens {
            let text: String
            switch token.kind {
            case .end: continue
            case .word(let word):
                let upper = word.uppercased()
                text = keywords.contains(upper) ? upper : spellings[upper] ?? word
            case .parameter, .string, .number, .symbol: text = token.text
            }
            if let previous, needsSpace(between: previous, and: token) { result += " " }
            result += text
            previous = token
        }
        return result
    }

    /// Why the expression cannot be a filter, in the engine's words, when that is visible without the datasets;
    /// nil otherwise.
    static func problem(_ expression: String) -> String? {
        do {
            _ = try FilterParser.parse(expression)
            return nil
        } catch {
            return String(describing: error)
        }
    }

    /// Spaces go between words and around operators; none around `.`, after `(`, or before `)` and `,`.
    private static func needsSpace(between previous: FilterToken, and next: FilterToken) -> Bool {
        if previous.isSymbol(".") || next.isSymbol(".") { return false }
        return !(previous.isSymbol("(") || next.isSymbol(")") || next.isSymbol(","))
    }
}
