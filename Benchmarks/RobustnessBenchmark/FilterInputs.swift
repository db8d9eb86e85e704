/// Filter expressions: generated from the grammar (with the fixture's fields, so that some resolve),
/// then mutated token by token and byte by byte.
enum FilterInputs {
    static let datasets = [
        "Items", "Interactions", "Users", "Actions", "Action_Interactions", "Action", "CurrentItem", "CurrentUser",
        "items", "INTERACTIONS", "Item", "", "Items.Items",
    ]
    static let fields = [
        "GENRE", "PRICE", "CREATION_TIMESTAMP", "EVENT_TYPE", "EVENT_VALUE", "ITEM_ID", "USER_ID", "AGE", "TIER",
        "VALUE", "CATEGORY", "TIMESTAMP", "genre", "X", "", "\u{0}", "É", repeatedString("F", 300),
    ]
    static let operators = ["IN", "NOT IN", "=", "!=", "<", "<=", ">", ">=", "==", "<>", "NOT", "IN IN", "LIKE"]
    static let literals = [
        "\"a\"", "\"g1\"", "\"click\"", "\"\"", "\"\\\"\"", "\"\\\\\"", "\"unterminated", "1", "-1", "1.5", "1e309",
        "12345678901234567890", "-9223372036854775809", "NaN", "true", "$P", "$GENRE", "$", "$1", "$P$Q",
        "\"$GENRE\"", "'single'", "\"日本\"", "\"\u{0}\"", "CurrentItem.PRICE", "CurrentItem.GENRE", "CurrentUser.AGE",
    ]

    /// A filter expression, usually close to valid.
    static func expression(_ random: inout SplitMix) -> String {
        var statements: [String] = []
        for _ in 0..<(random.oneIn(4) ? random.below(6) + 2 : 1) {
            statements.append(statement(&random))
        }
        var text = statements.joined(separator: random.oneIn(20) ? " || " : " | ")
        if random.oneIn(3) { text = mutate(text, &random) }
        return text
    }

    private static func statement(_ random: inout SplitMix) -> String {
        let action =
            random.oneIn(10)
            ? random.pick(["include", "REMOVE", "", "EXCLUDE EXCLUDE"])
            : random.pick([
                "INCLUDE", "EXCLUDE",
            ])
        let target = random.oneIn(10) ? random.pick(["UserID", "ActionID", "ItemIDs", "itemid"]) : "ItemID"
        var text = "\(action) \(target) WHERE \(condition(&random, depth: 0))"
        if random.oneIn(5) {
            let guards = (0..<(random.below(3) + 1)).map { _ in
                "CurrentUser.\(random.pick(fields)) \(random.pick(operators)) \(random.pick(literals))"
            }
            text += " IF " + guards.joined(separator: " AND ")
        }
        return text
    }

    private static func condition(_ random: inout SplitMix, depth: Int) -> String {
        var parts: [String] = [predicate(&random)]
        while random.oneIn(3), depth < 40, parts.count < 50 {
            parts.append(random.pick(["AND", "OR", "and", "AND AND"]))
            parts.append(random.oneIn(8) ? "(\(condition(&random, depth: depth + 1)))" : predicate(&random))
        }
        return parts.joined(separator: " ")
    }

    private static func predicate(_ random: inout SplitMix) -> String {
        let op = random.pick(operators)
        let value: String
        if op.contains("IN") {
            let count = random.oneIn(10) ? random.pick([0, 30, 501, 5000]) : random.below(4) + 1
            value =
                random.oneIn(6)
                ? random.pick(literals)
                : "("
                    + (0..<count).map { _ in random.pick(literals) }
                    .joined(separator: ", ") + ")"
        } else {
            value = random.oneIn(6) ? "(\(random.pick(literals)))" : random.pick(literals)
        }
        return "\(random.pick(datasets)).\(random.pick(fields)) \(op) \(value)"
    }

    /// A small change: a token dropped, doubled or swapped, a character inserted, the text cut short.
    static func mutate(_ text: String, _ random: inout SplitMix) -> String {
        var tokens = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        switch random.below(8) {
        case 0 where !tokens.isEmpty: tokens.remove(at: random.below(tokens.count))
        case 1 where !tokens.isEmpty: tokens.insert(tokens[random.below(tokens.count)], at: random.below(tokens.count))
        case 2 where tokens.count > 1:
            tokens.swapAt(random.below(tokens.count), random.below(tokens.count))
        case 3:
            var characters = Array(text.unicodeScalars)
            let insert = random.pick(Array("()\"$|.,\\\u{0}\u{FFFD}\n\t ".unicodeScalars))
            characters.insert(insert, at: random.below(characters.count + 1))
            var result = ""
            result.unicodeScalars.append(contentsOf: characters)
            return result
        case 4: return String(text.prefix(random.below(text.count + 1)))
        case 5: return repeatedString("(", random.pick([100, 10_000])) + text
        case 6: return text + repeatedString(" AND Items.GENRE IN (\"a\")", random.pick([10, 1000]))
        default: tokens.append(random.pick(literals + operators))
        }
        return tokens.joined(separator: " ")
    }
}
