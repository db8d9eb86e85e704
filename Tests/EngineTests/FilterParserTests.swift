import EngineAPI
import PersonalizeRules
import TailorTestSupport
import Testing

@testable import Engine

/// Every filter expression the developer guide prints (reference/personalize-guide-part3.md §3.7,
/// cases F1–F29), character for character, with the `$PARAMETER`s each uses.
private let guideExamples: [(id: String, expression: String, parameters: [String])] = [
    ("F1", #"EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ($EVENT_TYPE)"#, ["EVENT_TYPE"]),
    ("F2", #"EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click", "stream")"#, []),
    ("F3", #"INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")"#, []),
    ("F4", #"EXCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY)"#, ["CATEGORY"]),
    ("F5", #"INCLUDE ItemID WHERE Items.PRICE < CurrentItem.PRICE AND Items.GENRE IN CurrentItem.GENRE"#, []),
    ("F6", #"EXCLUDE ItemID WHERE Items.CATEGORY_L1 IN ("shoe") AND Items.CATEGORY_L2 NOT IN ("boot")"#, []),
    ("F7", #"INCLUDE ItemID WHERE Items.PRICE <= $PRICE"#, ["PRICE"]),
    ("F8", #"INCLUDE ItemID WHERE Items.CREATION_TIMESTAMP < $DATE"#, ["DATE"]),
    ("F9", #"INCLUDE ItemID WHERE Items.GENRE IN ($GENRE)"#, ["GENRE"]),
    ("F10", #"INCLUDE ItemID WHERE Items.PRICE < CurrentItem.PRICE AND Items.CREATION_TIMESTAMP > $DATE"#, ["DATE"]),
    ("F11", #"EXCLUDE ItemID WHERE Items.GENRE IN ($GENRE) IF CurrentUser.AGE = $AGE"#, ["GENRE", "AGE"]),
    (
        "F12",
        #"INCLUDE ItemID WHERE Items.CATEGORY_L1 IN ("watch") AND Items.CATEGORY_L2 IN ("luxury") IF CurrentUser.AGE > 18"#,
        []
    ),
    ("F13", #"INCLUDE UserID WHERE Users.MEMBERSHIP_STATUS IN ($MEMBERSHIP)"#, ["MEMBERSHIP"]),
    ("F14", #"EXCLUDE UserID WHERE Users.AGE < $AGE"#, ["AGE"]),
    ("F15", #"INCLUDE UserID WHERE Interactions.EVENT_TYPE IN ("click", "rating")"#, []),
    ("F16", #"EXCLUDE UserID WHERE Interactions.EVENT_TYPE IN ($EVENT_TYPE)"#, ["EVENT_TYPE"]),
    ("F17", #"INCLUDE ActionID WHERE Action_Interactions.EVENT_TYPE IN ($EVENT_TYPE)"#, ["EVENT_TYPE"]),
    ("F18", #"EXCLUDE ActionID WHERE Action_Interactions.EVENT_TYPE IN ("NOT_TAKEN")"#, []),
    ("F19", #"EXCLUDE ActionID WHERE Actions.CATEGORY IN ($CATEGORY)"#, ["CATEGORY"]),
    ("F20", #"INCLUDE ActionID WHERE Actions.VALUE > ($VALUE)"#, ["VALUE"]),
    // The guide's typo `Action.` (§14.5): accepted as `Actions.`.
    (
        "F21", #"INCLUDE ActionID WHERE Action.MEMBERSHIP_LEVEL IN ("Premium") IF CurrentUser.MEMBERSHIP = $PREMIUM"#,
        ["PREMIUM"]
    ),
    (
        "F22", #"EXCLUDE ActionID WHERE Actions.VALUE < ($VALUE) IF CurrentUser.MEMBERSHIP = $PREMIUM"#,
        ["VALUE", "PREMIUM"]
    ),
    (
        "F23",
        #"INCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY) | INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("favorite")"#,
        ["CATEGORY"]
    ),
    (
        "F24",
        #"INCLUDE ItemID WHERE Items.GENRE IN ($GENRE) | EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click", "stream")"#,
        ["GENRE"]
    ),
    // F25 is printed as the shell argument `"EXCLUDE ItemID WHERE Items.CATEGORY IN (\\"$CATEGORY\\")"`;
    // this is the expression the shell passes. A placeholder inside quotes is a literal string (§3.7 J).
    ("F25", #"EXCLUDE ItemID WHERE Items.CATEGORY IN ("$CATEGORY")"#, []),
    ("F26", #"EXCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY)"#, ["CATEGORY"]),
    ("F27", #"EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchased")"#, []),
    ("F28 (valid equivalent)", #"EXCLUDE ItemID WHERE Items.GENRE IN ($GENRE)"#, ["GENRE"]),
    (
        "F29",
        #"EXCLUDE ItemID WHERE Items.GENRES IN ($GENRES) AND Items.DOWNLOAD_COUNT > 200 IF CurrentUser.AGE > 17"#,
        ["GENRES"]
    ),
]

/// Expressions that must fail, the token the message must name and its 1-based position.
private let invalidExpressions: [(expression: String, token: String, position: Int)] = [
    (#"EXCLUDE ItemID WHER Items.GENRE IN ("a")"#, "'WHER'", 16),
    (#"EXCLUDE ItemIDs WHERE Items.GENRE IN ("a")"#, "'ItemIDs'", 9),
    (#"REMOVE ItemID WHERE Items.GENRE IN ("a")"#, "'REMOVE'", 1),
    // F28: the guide's error E10.
    (#"INCLUDE ItemID WHERE Items.GENRE NOT IN ($GENRE)"#, "Invalid input symbol: $GENRE", 42),
    (#"INCLUDE ItemID WHERE Items.GENRE IN ("a") IF CurrentUser.AGE > 1 IF CurrentUser.AGE < 9"#, "second 'IF'", 66),
    (#"INCLUDE ItemID WHERE CurrentUser.AGE > 18"#, "'CurrentUser.AGE'", 22),
    (
        #"INCLUDE ItemID WHERE Items.GENRE IN ("a") AND Interactions.EVENT_TYPE IN ("click")"#,
        "'Interactions.EVENT_TYPE'", 47
    ),
    (#"EXCLUDE ItemID WHERE Interactions.EVENT_VALUE > 3"#, "'Interactions.EVENT_VALUE'", 22),
    (#"EXCLUDE ItemID WHERE Interactions.EVENT_TYPE >= 3"#, "'>='", 22),
    (#"INCLUDE ItemID WHERE Items.GENRE IN ($A, $B)"#, "','", 40),
    (#"INCLUDE ItemID WHERE Items.GENRE IN ("a", $B)"#, "'$B'", 43),
    (#"INCLUDE ItemID WHERE Items.GENRE IN ("a""#, "the end of the expression", 41),
    (#"INCLUDE ItemID WHERE Items.GENRE IN ("a)"#, "not closed", 38),
    (#"INCLUDE ItemID WHERE Item.GENRE IN ("a")"#, "'Item'", 22),
    (#"INCLUDE ItemID WHERE Items.PRICE < "cheap""#, "\"cheap\"", 22),
    (#"INCLUDE ActionID WHERE Items.GENRE IN ("a")"#, "'Items.GENRE'", 24),
    (#"INCLUDE ItemID WHERE Items.GENRE IN ("a") IF Items.PRICE > 3"#, "'Items.PRICE'", 46),
    (#"INCLUDE ItemID WHERE Items.GENRE IN ("a") # comment"#, "'#'", 43),
    (#"EXCLUDE ActionID WHERE Actions.REPEAT_FREQUENCY > 3"#, "'Actions.REPEAT_FREQUENCY'", 24),
    (#"INCLUDE ItemID WHERE Items.GENRE IN ("*")"#, "\"*\"", 22),
    (#"INCLUDE ItemID WHERE Items.GENRE IN ("a") |"#, "the end of the expression", 44),
    (#"INCLUDE ItemID WHERE Items.GENRE"#, "the end of the expression", 33),
    (#"INCLUDE ItemID WHERE Items.GENRE IN ("a") OR"#, "the end of the expression", 45),
    (#"EXCLUDE UserID WHERE Users.AGE < 18 IF CurrentUser.AGE > 3"#, "'CurrentUser.AGE'", 40),
    (#"INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN CurrentItem.GENRE"#, "'CurrentItem.GENRE'", 49),
    (#"INCLUDE ItemID WHERE Items.GENRE IN ($)"#, "'$'", 38),
    (
        #"INCLUDE ItemID WHERE Items.A IN ("1") AND Items.B IN ("1") AND Items.C IN ("1") AND Items.D IN ("1") AND Items.E IN ("1") | EXCLUDE ItemID WHERE Items.F IN ("1")"#,
        "F is field number 6", 146
    ),
]

@Suite struct FilterParserTests {
    @Test(.tags(.small), arguments: guideExamples.indices)
    func everyGuideExampleParses(_ index: Int) throws {
        let example = guideExamples[index]
        let parsed = try FilterParser.parse(example.expression)
        #expect(parsed.parameters == example.parameters, "\(example.id)")
        #expect(parsed.statements.count == example.expression.split(separator: "|").count, "\(example.id)")
    }

    @Test(.tags(.small)) func statementsKeepTheirStructure() throws {
        let f24 = try FilterParser.parse(guideExamples[23].expression)
        #expect(f24.statements.map(\.action) == [.include, .exclude])
        #expect(f24.statements.map(\.dataset) == [.items, .interactions])
        #expect(f24.statements[1].position == 48)

        let f29 = try FilterParser.parse(guideExamples[28].expression).statements[0]
        #expect(f29.condition.predicates.map(\.field.description) == ["Items.GENRES", "Items.DOWNLOAD_COUNT"])
        #expect(f29.guards.map(\.field.description) == ["CurrentUser.AGE"])
        #expect(f29.guards.first?.op == .greater)
        #expect(f29.guards.first?.value == .literals([.number("17")]))

        let f5 = try FilterParser.parse(guideExamples[4].expression).statements[0]
        #expect(
            f5.condition.predicates.last?.value
                == .field(FieldReference(dataset: .currentItem, name: "GENRE", position: 73)))
        let f21 = try FilterParser.parse(guideExamples[20].expression).statements[0]
        #expect(f21.dataset == .actions)
        let f25 = try FilterParser.parse(guideExamples[24].expression).statements[0]
        #expect(f25.condition.predicates[0].value == .literals([.string("$CATEGORY")]))
    }

    @Test(.tags(.small)) func andBindsTighterThanOr() throws {
        let statement = try FilterParser.parse(
            #"INCLUDE ItemID WHERE Items.A IN ("1") OR Items.B IN ("2") AND Items.C > 3"#
        ).statements[0]
        guard case .any(let terms) = statement.condition else {
            Issue.record("expected OR at the top: \(statement.condition)")
            return
        }
        #expect(terms.count == 2)
        if case .all(let conjunction) = terms[1] { #expect(conjunction.count == 2) } else { Issue.record("\(terms)") }
    }

    @Test(.tags(.small)) func keywordsAndDatasetsIgnoreCase() throws {
        let parsed = try FilterParser.parse(
            #"exclude itemid where interactions.event_type in ("click") if currentUser.AGE > 17"#)
        #expect(parsed.statements[0].action == .exclude)
        #expect(parsed.statements[0].dataset == .interactions)
    }

    @Test(.tags(.small), arguments: invalidExpressions.indices)
    func invalidExpressionsNameTheTokenAndPosition(_ index: Int) {
        let invalid = invalidExpressions[index]
        #expect {
            try FilterParser.parse(invalid.expression)
        } throws: { error in
            guard let error = error as? FilterExpressionError else { return false }
            let ok =
                error.position == invalid.position && error.description.contains(invalid.token)
                && error.description.contains("at character \(invalid.position)")
            if !ok { Issue.record("\(invalid.expression) → \(error)") }
            return ok
        }
    }

    @Test(.tags(.small)) func theNotInPlaceholderErrorIsTheGuidesE10() throws {
        #expect(
            throws: FilterExpressionError(
                "Invalid input symbol: $GENRE. Placeholders cannot be used with the NOT_IN operator; use IN with the "
                    + "opposite action (EXCLUDE instead of INCLUDE, or the reverse).", at: 42)
        ) {
            try FilterParser.parse(#"INCLUDE ItemID WHERE Items.GENRE NOT IN ($GENRE)"#)
        }
    }

    @Test(.tags(.small)) func garbageNeverCrashes() {
        var random = SplitMix(seed: 3)
        let alphabet = Array(
            #"INCLUDE EXCLUDE ItemID WHERE Items.GENRE IN NOT ( ) , | $P "a" 12 < <= = != > IF AND OR ."#)
        for _ in 0..<2000 {
            let length = Int(random.next() % 60)
            let text = String((0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
            _ = try? FilterParser.parse(text)
        }
    }

    @Test(.tags(.small)) func filterValuesFollowTheGuidesQuoting() throws {
        let values = try FilterValues(["GENRES": #""horror", "comedy", "drama""#, "AGE": "25", "ONE": #""a, b""#])
        #expect(values["GENRES"] == ["horror", "comedy", "drama"])
        #expect(values["AGE"] == ["25"])
        #expect(values["ONE"] == ["a, b"])
        #expect(throws: PersonalizeError.self) { try FilterValues(["GENRES": #""horror" "comedy""#]) }
        #expect(throws: PersonalizeError.self) { try FilterValues(["BAD-KEY": #""a""#]) }
        let tooMany = Dictionary(uniqueKeysWithValues: (0..<26).map { ("P\($0)", #""a""#) })
        #expect(throws: PersonalizeError.self) { try FilterValues(tooMany) }
    }
}
