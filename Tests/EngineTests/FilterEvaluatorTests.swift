import EngineAPI
import PersonalizeRules
import TailorTestSupport
import Testing

@testable import Engine

/// The evaluator on hand-made records: what the engine tests cannot reach through a popularity
/// campaign (CurrentItem needs a related-items request).
@Suite struct FilterEvaluatorTests {
    private let items: AvroSchema
    init() throws { items = try AvroSchema(json: FilterShop.itemsSchema) }

    private func evaluator(
        _ expression: String, values: [String: String] = [:], currentItem: FilterRecord? = nil,
        interactions: [String: Set<String>] = [:]
    ) throws -> FilterEvaluator {
        var context = FilterContext(values: try FilterValues(values))
        context.schemas = [.items: items]
        context.currentItem = currentItem
        context.interactions = interactions
        return try FilterEvaluator(try FilterParser.parse(expression), context: context)
    }

    private func record(genre: String, price: Double) -> FilterRecord {
        ["ITEM_ID": .text("x"), "GENRE": .text(genre), "PRICE": .number(price)]
    }

    @Test(.tags(.small)) func currentItemComparesWithTheRequestsItem() throws {
        // F5: cheaper than the current item and sharing one of its genres.
        let f5 = try evaluator(
            "INCLUDE ItemID WHERE Items.PRICE < CurrentItem.PRICE AND Items.GENRE IN CurrentItem.GENRE",
            currentItem: record(genre: "comedy|drama", price: 20))
        #expect(try f5.keeps(itemID: "a", record: record(genre: "drama", price: 10)))
        #expect(try !f5.keeps(itemID: "b", record: record(genre: "drama", price: 30)))
        #expect(try !f5.keeps(itemID: "c", record: record(genre: "horror", price: 10)))
        #expect(try !f5.keeps(itemID: "d", record: nil), "an item without metadata matches no INCLUDE condition")
    }

    @Test(.tags(.small)) func notInAndNotEqualHoldForMissingValues() throws {
        // F6: shoes that are not boots.
        let f6 = try evaluator(#"EXCLUDE ItemID WHERE Items.GENRE IN ("shoe") AND Items.COLOR NOT IN ("boot")"#)
        #expect(try !f6.keeps(itemID: "a", record: ["GENRE": .text("shoe"), "COLOR": .null]))
        #expect(try f6.keeps(itemID: "b", record: ["GENRE": .text("shoe"), "COLOR": .text("boot")]))
        #expect(try f6.keeps(itemID: "c", record: ["GENRE": .text("hat"), "COLOR": .null]))
        let unequal = try evaluator(#"INCLUDE ItemID WHERE Items.COLOR != "red""#)
        #expect(try unequal.keeps(itemID: "a", record: ["COLOR": .text("blue")]))
        #expect(try !unequal.keeps(itemID: "b", record: ["COLOR": .text("red")]))
        #expect(try unequal.keeps(itemID: "c", record: ["COLOR": .text("Red")]), "exact strings")
    }

    @Test(.tags(.small)) func orAndAsteriskAndEventTypeCase() throws {
        let either = try evaluator(#"INCLUDE ItemID WHERE Items.GENRE IN ("a") OR Items.PRICE > 5"#)
        #expect(try either.keeps(itemID: "x", record: record(genre: "a", price: 1)))
        #expect(try either.keeps(itemID: "x", record: record(genre: "b", price: 6)))
        #expect(try !either.keeps(itemID: "x", record: record(genre: "b", price: 5)))
        let all = try evaluator(
            #"EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*")"#, interactions: ["seen": ["click"]])
        #expect(try !all.keeps(itemID: "seen", record: nil))
        #expect(try all.keeps(itemID: "unseen", record: nil))
        let clicks = try evaluator(
            #"INCLUDE ItemID WHERE Interactions.EVENT_TYPE = "CLICK""#, interactions: ["seen": ["click"]])
        #expect(try clicks.keeps(itemID: "seen", record: nil))
        #expect(try !clicks.keeps(itemID: "other", record: nil))
    }

    @Test(.tags(.small)) func parametersBindPerStatement() throws {
        // The EXCLUDE statement without a value is left out; the INCLUDE one applies.
        let filter = try evaluator(
            "INCLUDE ItemID WHERE Items.PRICE <= $MAX | EXCLUDE ItemID WHERE Items.GENRE IN ($GENRE)",
            values: ["MAX": #""10""#])
        #expect(filter.statements.count == 1)
        #expect(try filter.keeps(itemID: "x", record: record(genre: "a", price: 10)))
        #expect(try !filter.keeps(itemID: "x", record: record(genre: "a", price: 11)))
        #expect(throws: PersonalizeError.self) {
            try evaluator("INCLUDE ItemID WHERE Items.PRICE <= $MAX | EXCLUDE ItemID WHERE Items.GENRE IN ($GENRE)")
        }
        let several = try evaluator("INCLUDE ItemID WHERE Items.PRICE <= $MAX", values: ["MAX": #""1", "2""#])
        #expect(throws: PersonalizeError.self) { try several.keeps(itemID: "x", record: record(genre: "a", price: 1)) }
    }
}
