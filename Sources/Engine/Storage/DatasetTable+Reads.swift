import GRDB
import PersonalizeRules

/// The reads of exports, batch segment jobs, training, action recommendations and exploration on a dataset's table.
extension DatasetTable {
    /// Which records a read takes: what bulk imports wrote, what was streamed (PutEvents and the like), or both.
    enum Origin {
        case bulk, streamed, all
    }

    /// Calls `body` with each distinct record of `origin` (its columns in schema order), by `TIMESTAMP` when the
    /// schema has one.
    func forEachDistinctRecord(_ db: Database, origin: Origin, _ body: (Row) throws -> Void) throws {
        let fields = schema.fields
        let columns = fields.map { quoted($0.name) }.joined(separator: ", ")
        let condition: String =
            switch origin {
            case .bulk: " WHERE _bulk = 1"
            case .streamed: " WHERE _bulk = 0"
            case .all: ""
            }
        let ordering = fields.contains { $0.name == "TIMESTAMP" } ? " ORDER BY \"TIMESTAMP\"" : ""
        let cursor = try Row.fetchCursor(db, sql: "SELECT DISTINCT \(columns) FROM \(name)\(condition)\(ordering)")
        while let row = try cursor.next() { try body(row) }
    }

    /// Calls `body` with `columns` of each record (nil names a column the schema lacks: NULL), in `ordering`.
    func forEachRecord(
        _ db: Database, columns: [String?], orderedBy ordering: String? = nil, _ body: (Row) throws -> Void
    ) throws {
        let list = columns.map { $0.map(quoted) ?? "NULL" }.joined(separator: ", ")
        let order = ordering.map { " ORDER BY \($0 == "rowid" ? $0 : quoted($0))" } ?? ""
        let cursor = try Row.fetchCursor(db, sql: "SELECT \(list) FROM \(name)\(order)")
        while let row = try cursor.next() { try body(row) }
    }

    /// Calls `body` with `USER_ID, ITEM_ID, TIMESTAMP` of each interaction training learns from, in the order they
    /// were written: of `eventType` and at least `eventValueThreshold` when given (and the schema has the column),
    /// without the streamed events training leaves out (``StreamedEvents/excludedFromTraining``).
    func forEachTrainingInteraction(
        _ db: Database, eventType: String?, eventValueThreshold: Double?, _ body: (Row) throws -> Void
    ) throws {
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        if let eventType, schema.field("EVENT_TYPE") != nil {
            conditions.append("EVENT_TYPE = ?")
            arguments.append(eventType)
        }
        if let eventValueThreshold, schema.field("EVENT_VALUE") != nil {
            conditions.append("EVENT_VALUE >= ?")
            arguments.append(eventValueThreshold)
        }
        conditions.append(StreamedEvents.excludedFromTraining)
        arguments.append(name)
        let sql =
            "SELECT USER_ID, ITEM_ID, TIMESTAMP FROM \(name) WHERE \(conditions.joined(separator: " AND ")) ORDER BY rowid"
        let cursor = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(arguments))
        while let row = try cursor.next() { try body(row) }
    }

    /// The user's latest `limit` action interactions, newest first: action and event type.
    func latestActionInteractions(_ db: Database, userID: String, limit: Int) throws
        -> [(actionID: String, eventType: String)]
    {
        try Row.fetchAll(
            db,
            sql: "SELECT ACTION_ID, EVENT_TYPE FROM \(name) WHERE USER_ID = ? "
                + "ORDER BY TIMESTAMP DESC, rowid DESC LIMIT ?", arguments: [userID, limit]
        ).map { ($0[0], $0[1]) }
    }

    /// When the user last interacted with each action (Unix seconds).
    func lastActionInteractionTimes(_ db: Database, userID: String) throws -> [(actionID: String, time: Int64)] {
        try Row.fetchAll(
            db, sql: "SELECT ACTION_ID, MAX(TIMESTAMP) FROM \(name) WHERE USER_ID = ? GROUP BY ACTION_ID",
            arguments: [userID]
        ).map { ($0[0], $0[1]) }
    }

    /// The actions and event types of the user's latest `limit` action interactions of each event type.
    func latestActionInteractionsPerEventType(_ db: Database, userID: String, limit: Int) throws
        -> [(actionID: String, eventType: String)]
    {
        try Row.fetchAll(
            db,
            sql: """
                SELECT ACTION_ID, EVENT_TYPE FROM (
                    SELECT ACTION_ID, EVENT_TYPE,
                        ROW_NUMBER() OVER (PARTITION BY EVENT_TYPE ORDER BY TIMESTAMP DESC, rowid DESC) AS position
                    FROM \(name) WHERE USER_ID = ?)
                WHERE position <= ?
                """, arguments: [userID, limit]
        ).map { ($0["ACTION_ID"], $0["EVENT_TYPE"]) }
    }

    /// Per item: when it was first interacted with and how many interactions it has.
    func forEachItemFirstInteraction(_ db: Database, _ body: (_ item: String, _ first: Int64, _ count: Int) -> Void)
        throws
    {
        let rows = try Row.fetchCursor(
            db, sql: "SELECT ITEM_ID, MIN(TIMESTAMP), COUNT(*) FROM \(name) GROUP BY ITEM_ID")
        while let row = try rows.next() { body(row[0], row[1] ?? 0, row[2]) }
    }

    /// The latest `TIMESTAMP` of the table.
    func latestTimestamp(_ db: Database) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT max(TIMESTAMP) FROM \(name)")
    }

    /// What changes with every write to the table: its largest rowid and its row count.
    func dataVersion(_ db: Database) throws -> [Int64] {
        [try watermark(db), Int64(try count(db))]
    }
}

extension ActionRecord {
    /// Every record of the Actions dataset `table`, in the order they were written.
    static func all(_ db: Database, table: DatasetTable) throws -> [ActionRecord] {
        func column(_ names: String...) -> String? {
            names.first { table.schema.field($0) != nil }
        }
        var records: [ActionRecord] = []
        try table.forEachRecord(
            db,
            columns: [
                "ACTION_ID", column("VALUE"), column("CREATION_TIMESTAMP"),
                column("ACTION_EXPIRATION_TIMESTAMP", "EXPIRATION_TIMESTAMP"), column("REPEAT_FREQUENCY"),
            ], orderedBy: "rowid"
        ) { row in
            records.append(
                ActionRecord(id: row[0], value: row[1], created: row[2], expires: row[3], repeatDays: row[4]))
        }
        return records
    }
}
