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

/// Filter expressions as text: a canonical form for comparing, and the structural checks that need no
/// dataset (the engine checks fields against the group's schemas when it creates the filter).
enum FilterExpressionText {
    /// The keywords of the grammar, which the engine reads in any case.
    static let keywords: Set<String> = ["INCLUDE", "EXCLUDE", "WHERE", "IN", "NOT", "AND", "OR", "IF"]
    /// The targets, spelt as the guide spells them.
    static let targets = ["ItemID", "ActionID", "UserID"]
    /// The dataset prefixes of fields, spelt as the guide spells them.
    static let datasets = [
        "Items", "Interactions", "Users", "Actions", "ActionInteractions", "CurrentUser", "CurrentItem",
    ]

    private enum Piece: Equatable {
        case word(String)
        case quoted(String)
        case symbol(Character)
    }

    /// The expression with whitespace collapsed (none inside parentheses' edges or before commas, one after
    /// commas), keywords upper-cased and targets and dataset names spelt as in the guide. Quoted strings are
    /// kept as written.
    static func normalised(_ expression: String) -> String {
        guard let pieces = try? pieces(of: expression) else { return collapsed(expression) }
        var result = ""
        var previous: Piece?
        for piece in pieces {
            let text: String
            switch piece {
            case .quoted(let string): text = string
            case .symbol(let symbol): text = String(symbol)
            case .word(let word): text = canonical(word)
            }
            if let previous, needsSpace(between: previous, and: piece) { result += " " }
            result += text
            previous = piece
        }
        return result
    }

    /// Why the expression cannot be a filter, when that is visible without the datasets; nil otherwise.
    static func problem(_ expression: String) -> String? {
        let pieces: [Piece]
        do {
            pieces = try self.pieces(of: expression)
        } catch {
            return error.message
        }
        let words = pieces.prefix(3).map { piece -> String? in
            if case .word(let word) = piece { return word }
            return nil
        }
        guard let first = words.first ?? nil, ["INCLUDE", "EXCLUDE"].contains(first.uppercased()) else {
            let found = words.first.flatMap { $0 }.map { "'\($0)'" } ?? "nothing"
            let hint = words.first.flatMap { $0 }.map {
                Suggestion.didYouMean($0.uppercased(), in: ["INCLUDE", "EXCLUDE"])
            }
            return "it must start with INCLUDE or EXCLUDE, found \(found)\(hint ?? "")"
        }
        guard words.count > 1, let target = words[1],
            targets.contains(where: { $0.lowercased() == target.lowercased() })
        else {
            let found = words.count > 1 ? (words[1].map { "'\($0)'" } ?? "a symbol") : "the end"
            let hint = words.count > 1 ? words[1].map { Suggestion.didYouMean($0, in: targets) } ?? "" : ""
            return "\(first.uppercased()) must be followed by ItemID, ActionID or UserID, found \(found)\(hint)"
        }
        guard words.count > 2, let keyword = words[2], keyword.uppercased() == "WHERE" else {
            let found = words.count > 2 ? (words[2].map { "'\($0)'" } ?? "a symbol") : "the end"
            let hint =
                words.count > 2 ? words[2].map { Suggestion.didYouMean($0.uppercased(), in: ["WHERE"]) } ?? "" : ""
            return "expected WHERE after \(target), found \(found)\(hint)"
        }
        guard pieces.count > 3 else { return "expected a condition after WHERE" }
        var depth = 0
        for piece in pieces {
            if piece == .symbol("(") { depth += 1 }
            if piece == .symbol(")") { depth -= 1 }
            if depth < 0 { return "')' without a matching '('" }
        }
        return depth == 0 ? nil : "'(' without a matching ')'"
    }

    private struct LexError: Error {
        let message: String
    }

    private static func pieces(of expression: String) throws(LexError) -> [Piece] {
        var pieces: [Piece] = []
        let characters = Array(expression)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character.isWhitespace {
                index += 1
            } else if character == "\"" {
                var end = index + 1
                while end < characters.count, characters[end] != "\"" {
                    end += characters[end] == "\\" ? 2 : 1
                }
                guard end < characters.count else {
                    throw LexError(message: "the string starting at character \(index + 1) is not closed")
                }
                pieces.append(.quoted(String(characters[index...end])))
                index = end + 1
            } else if isWordCharacter(character) {
                var end = index
                while end < characters.count, isWordCharacter(characters[end]) { end += 1 }
                pieces.append(.word(String(characters[index..<end])))
                index = end
            } else {
                pieces.append(.symbol(character))
                index += 1
            }
        }
        return pieces
    }

    private static func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_" || character == "$" || character == "-"
    }

    private static func canonical(_ word: String) -> String {
        let upper = word.uppercased()
        if keywords.contains(upper) { return upper }
        if let target = targets.first(where: { $0.uppercased() == upper }) { return target }
        if let dataset = datasets.first(where: { $0.uppercased() == upper }) { return dataset }
        return word
    }

    /// Spaces go between words and around operators; none around `.`, after `(`, or before `)` and `,`.
    private static func needsSpace(between previous: Piece, and next: Piece) -> Bool {
        if previous == .symbol(".") || next == .symbol(".") { return false }
        if previous == .symbol("(") || next == .symbol(")") || next == .symbol(",") { return false }
        if case .symbol(let left) = previous, case .symbol(let right) = next, "<>!=".contains(left), right == "=" {
            return false
        }
        return true
    }

    private static func collapsed(_ expression: String) -> String {
        expression.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
