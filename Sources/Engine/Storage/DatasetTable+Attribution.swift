import GRDB
import PersonalizeRules

extension DatasetTable {
    /// Calls `body` with each interaction of `eventType` (any letter case) written after `watermark` (a rowid):
    /// its timestamp, recommendation ID, explicit attribution source, and the value of `expression` for it
    /// (`SUM` of an Items column reads the item's row; interactions without a value are skipped). Calls nothing
    /// when the expression's dataset or column is gone.
    func forEachAttributedValue(
        _ db: Database, of expression: MetricExpression, group: String, eventType: String, after watermark: Int64,
        _ body: (_ timestamp: Int64, _ recommendationID: String?, _ source: String?, _ value: Double) -> Void
    ) throws {
        guard let value = try valueSQL(db, expression, group: group) else { return }
        let recommendation = schema.field("RECOMMENDATION_ID") != nil ? "i.RECOMMENDATION_ID" : "NULL"
        let source = schema.field("EVENT_ATTRIBUTION_SOURCE") != nil ? "i.EVENT_ATTRIBUTION_SOURCE" : "NULL"
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT i.TIMESTAMP, \(recommendation), \(source), \(value)
                FROM \(name) i WHERE i.rowid > ? AND lower(i.EVENT_TYPE) = lower(?)
                """,
            arguments: [watermark, eventType])
        while let row = try rows.next() {
            guard let amount: Double = row[3] else { continue }
            body(row[0] ?? 0, row[1], row[2], amount)
        }
    }

    /// The SQL of one row's value for `expression`, or nil when its dataset or column is gone.
    private func valueSQL(_ db: Database, _ expression: MetricExpression, group: String) throws -> String? {
        switch expression {
        case .sampleCount:
            return "1.0"
        case .sum(.interactions, let column):
            guard schema.field(column)?.type.isNumeric == true else { return nil }
            return "i.\(quoted(column))"
        case .sum(let type, let column):
            guard let items = try? DatasetTable.find(db, group: group, type: type),
                items.schema.field(column)?.type.isNumeric == true, items.schema.field("ITEM_ID") != nil
            else { return nil }
            return "(SELECT t.\(quoted(column)) FROM \(items.name) t WHERE t.ITEM_ID = i.ITEM_ID)"
        }
    }
}
