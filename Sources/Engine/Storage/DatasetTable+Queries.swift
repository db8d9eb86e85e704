import EngineAPI
import Foundation
import GRDB
import PersonalizeRules

/// The queries serving runs against a dataset's table, in one place (the request path holds no SQL).
extension DatasetTable {
    /// Real-time fold-in reads at most this many of a user's latest interactions.
    static let foldInHistoryLimit = 500

    /// The items `userID` interacted with, newest first, at most ``foldInHistoryLimit`` (one query, so candidate lists
    /// read histories exactly as serving does).
    func recentItems(_ db: Database, userID: String) throws -> [String] {
        try String.fetchAll(
            db,
            sql: "SELECT ITEM_ID FROM \(name) WHERE USER_ID = ? ORDER BY TIMESTAMP DESC LIMIT ?",
            arguments: [userID, Self.foldInHistoryLimit])
    }

    /// The items of the user's latest `limit` interactions of `eventType` (any letter case).
    func recentItems(_ db: Database, userID: String, eventType: String, limit: Int) throws -> Set<String> {
        guard schema.field("EVENT_TYPE") != nil else { return [] }
        return Set(
            try String.fetchAll(
                db,
                sql: "SELECT ITEM_ID FROM \(name) WHERE USER_ID = ? AND EVENT_TYPE = ? COLLATE NOCASE "
                    + "ORDER BY TIMESTAMP DESC LIMIT ?", arguments: [userID, eventType, limit]))
    }

    /// Interactions per item with a timestamp in `start..<end`.
    func interactionCounts(_ db: Database, from start: Int64, to end: Int64) throws -> [String: Int] {
        var result: [String: Int] = [:]
        let rows = try Row.fetchCursor(
            db,
            sql: "SELECT ITEM_ID, COUNT(*) FROM \(name) WHERE TIMESTAMP >= ? AND TIMESTAMP < ? GROUP BY ITEM_ID",
            arguments: [start, end])
        while let row = try rows.next() { result[row[0]] = row[1] }
        return result
    }

    /// Per item: its interactions whose fields `keys` all equal `values`, and all its interactions.
    func interactionCounts(_ db: Database, whereAll keys: [String], equal values: [String]) throws
        -> [(item: String, inContext: Int, total: Int)]
    {
        let conditions = keys.map { "\(quoted($0)) = ?" }.joined(separator: " AND ")
        return try Row.fetchAll(
            db, sql: "SELECT ITEM_ID, SUM(coalesce(\(conditions), 0)), COUNT(*) FROM \(name) GROUP BY ITEM_ID",
            arguments: StatementArguments(values)
        ).map { row in (row[0], row[1] ?? 0, row[2] ?? 0) }
    }

    /// The values of `columns` (fields of this Items table; others are ignored) of the items `ids`, as text, absent
    /// values left out.
    func metadata(_ db: Database, of ids: [String], columns: [String]) throws -> [String: [String: String]] {
        let fields = columns.compactMap { schema.field($0) }
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ", ")
        let sql =
            "SELECT ITEM_ID, \(fields.map { quoted($0.name) }.joined(separator: ", ")) FROM \(name) "
            + "WHERE ITEM_ID IN (\(marks))"
        var result: [String: [String: String]] = [:]
        let rows = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(ids))
        while let row = try rows.next() {
            var metadata: [String: String] = [:]
            for (index, field) in fields.enumerated() {
                let value: DatabaseValue = row[index + 1]
                guard !value.isNull else { continue }
                metadata[field.name] = DatasetExporter.text(value, type: field.type)
            }
            result[row[0]] = metadata
        }
        return result
    }

    /// The `limit` users with the most interactions, most active first (ties by user ID).
    func mostActiveUsers(_ db: Database, limit: Int) throws -> [String] {
        try String.fetchAll(
            db, sql: "SELECT USER_ID FROM \(name) GROUP BY USER_ID ORDER BY COUNT(*) DESC, USER_ID LIMIT ?",
            arguments: [limit])
    }

    /// The records of `ids` in this keyed table (Items, Users, Actions), keyed by ID, as filters read them.
    func filterRecords(_ db: Database, ids: [String]) throws -> [String: FilterRecord] {
        guard let key = type.keyField else { return [:] }
        var records: [String: FilterRecord] = [:]
        try Self.inChunks(ids) { marks, arguments in
            // A cursor over one prepared statement, its column names read once: copying each row (Row.fetchAll)
            // and naming its columns again per row cost most of a filtered request.
            let statement = try db.makeStatement(sql: "SELECT * FROM \(name) WHERE \(quoted(key)) IN (\(marks))")
            let columns = statement.columnNames
            guard let keyIndex = columns.firstIndex(where: { $0.caseInsensitiveCompare(key) == .orderedSame })
            else { return }
            let rows = try Row.fetchCursor(statement, arguments: arguments)
            while let row = try rows.next() {
                let id: DatabaseValue = row[keyIndex]
                guard let id = String.fromDatabaseValue(id) else { continue }
                var record = FilterRecord(minimumCapacity: columns.count)
                for (index, column) in columns.enumerated() {
                    let value: DatabaseValue = row[index]
                    record[column] = Self.filterCell(value)
                }
                records[id] = record
            }
        }
        return records
    }

    private static func filterCell(_ value: DatabaseValue) -> FilterCell {
        switch value.storage {
        case .null, .blob: .null
        case .int64(let number): .number(Double(number))
        case .double(let number): .number(number)
        case .string(let text): .text(text)
        }
    }

    /// Item ID → lower-cased event types of `userID`'s latest `limit` interactions per event type.
    func latestEventTypes(_ db: Database, userID: String, limit: Int) throws -> [String: Set<String>] {
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT ITEM_ID, type FROM (
                    SELECT ITEM_ID, lower(coalesce(EVENT_TYPE, '')) AS type,
                        ROW_NUMBER() OVER (
                            PARTITION BY lower(coalesce(EVENT_TYPE, '')) ORDER BY TIMESTAMP DESC, rowid DESC
                        ) AS position
                    FROM \(name) WHERE USER_ID = ?)
                WHERE position <= ?
                """, arguments: [userID, limit])
        var types: [String: Set<String>] = [:]
        while let row = try rows.next() {
            let item: String = row[0]
            types[item, default: []].insert(row[1])
        }
        return types
    }

    /// User ID → the lower-cased event types of their interactions.
    func eventTypes(_ db: Database, users: [String]) throws -> [String: Set<String>] {
        guard schema.field("EVENT_TYPE") != nil else { return [:] }
        var result: [String: Set<String>] = [:]
        try Self.inChunks(users) { marks, arguments in
            let rows = try Row.fetchAll(
                db, sql: "SELECT DISTINCT USER_ID, lower(EVENT_TYPE) FROM \(name) WHERE USER_ID IN (\(marks))",
                arguments: arguments)
            for row in rows {
                let user: String = row[0]
                let type: String? = row[1]
                result[user, default: []].insert(type ?? "")
            }
        }
        return result
    }

    /// Calls `body` for each run of at most 500 of `ids` with its `?, ?, ...` placeholders and arguments (SQLite
    /// limits the variables of a statement).
    private static func inChunks(_ ids: [String], _ body: (String, StatementArguments) throws -> Void) rethrows {
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = Array(ids[start..<min(ids.count, start + 500)])
            try body(Array(repeating: "?", count: chunk.count).joined(separator: ", "), StatementArguments(chunk))
        }
    }
}
