import GRDB
import PersonalizeRules

/// The writes of imports, streamed events, schema updates and data deletion on a dataset's table.
extension DatasetTable {
    /// The statement inserting one record (the schema's columns, then `_bulk`).
    func insertStatement(_ db: Database, cached: Bool = false) throws -> Statement {
        cached ? try db.cachedStatement(sql: insertSQL) : try db.makeStatement(sql: insertSQL)
    }

    /// The largest rowid so far: rows added after this moment have larger ones.
    func watermark(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT coalesce(max(rowid), 0) FROM \(name)") ?? 0
    }

    /// Removes what bulk imports wrote (a FULL import replaces it); streamed records stay.
    func deleteBulkRecords(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM \(name) WHERE _bulk = 1")
    }

    func distinctEventTypeCount(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT EVENT_TYPE) FROM \(name)") ?? 0
    }

    /// Adds a nullable column for `field` (UpdateDataset).
    func addColumn(_ db: Database, for field: SchemaField) throws {
        try db.execute(sql: "ALTER TABLE \(name) ADD COLUMN \(quoted(field.name)) \(Self.sqlType(field.type))")
    }

    /// Gives the streamed records of the anonymous `session` to `userID`.
    func linkSession(_ db: Database, session: String, to userID: String) throws {
        try db.execute(
            sql: "UPDATE \(name) SET USER_ID = ? WHERE USER_ID = ? AND _bulk = 0", arguments: [userID, session])
    }

    /// Whether a streamed record has exactly these values: `=` on each column, or with `nullMatchesNull`, `IS`
    /// (nil then matches a NULL column).
    func containsStreamedRecord(
        _ db: Database, columns: [String], values: [String?], nullMatchesNull: Bool = false
    ) throws -> Bool {
        let comparison = nullMatchesNull ? "IS" : "="
        let conditions = columns.map { "\(quoted($0)) \(comparison) ?" }.joined(separator: " AND ")
        return try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM \(name) WHERE \(conditions) AND _bulk = 0)",
            arguments: StatementArguments(values)) ?? false
    }

    /// Action interaction tables remember `eventId`s in a column the schema does not have (added on first use).
    func ensureEventIDColumn(_ db: Database) throws {
        guard try !db.columns(in: name).contains(where: { $0.name == "_event_id" }) else { return }
        try db.execute(sql: "ALTER TABLE \(name) ADD COLUMN _event_id TEXT")
    }

    /// Records `eventID` on the row inserted last on this connection.
    func setEventIDOfLastInsert(_ db: Database, _ eventID: String) throws {
        try db.execute(sql: "UPDATE \(name) SET _event_id = ? WHERE rowid = last_insert_rowid()", arguments: [eventID])
    }

    func containsEvent(_ db: Database, eventID: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM \(name) WHERE _event_id = ?)", arguments: [eventID])
            ?? false
    }

    /// Deletes every record of the users in `userIDs`; returns how many.
    func deleteRecords(_ db: Database, ofUsers userIDs: borrowing DeletedUsers) throws -> Int {
        try db.execute(sql: "DELETE FROM \(name) WHERE USER_ID IN (SELECT id FROM deleted_user_ids)")
        return db.changesCount
    }
}

/// The users a data deletion job removes, in a temporary table for the length of one transaction.
struct DeletedUsers: ~Copyable {
    private let db: Database

    init(_ db: Database, _ userIDs: some Sequence<String>) throws {
        self.db = db
        try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS deleted_user_ids (id TEXT PRIMARY KEY)")
        try db.execute(sql: "DELETE FROM deleted_user_ids")
        let insert = try db.makeStatement(sql: "INSERT OR IGNORE INTO deleted_user_ids (id) VALUES (?)")
        for user in userIDs { try insert.execute(arguments: [user]) }
    }

    consuming func empty() throws {
        try db.execute(sql: "DELETE FROM deleted_user_ids")
    }
}
