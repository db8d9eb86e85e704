package import GRDB

/// What the engine remembers of the events `PutEvents` streamed into an Interactions table, besides the events.
///
/// - Event IDs (the guide, part 3 §1.3): an event repeating the `eventId` of one already recorded is not
///   recorded again, so it is never trained on.
/// - Anonymous sessions (part 3 §1.5): events recorded with only a session ID are stored under the session ID
///   and serve that session at once, but training leaves them out until an event with both IDs links the
///   session to a user (the events then become the user's).
package enum StreamedEvents {
    /// Claims `eventID` for `table`; false when an event with that ID was recorded already.
    package static func claim(_ db: Database, table: String, eventID: String) throws -> Bool {
        try db.execute(
            sql: "INSERT OR IGNORE INTO streamed_event (dataset_table, event_id) VALUES (?, ?)",
            arguments: [table, eventID])
        return db.changesCount > 0
    }

    /// Notes that `session` recorded events without a user ID in `table`.
    package static func recordAnonymous(_ db: Database, table: String, session: String) throws {
        try db.execute(
            sql: "INSERT OR IGNORE INTO anonymous_session (dataset_table, session_id) VALUES (?, ?)",
            arguments: [table, session])
    }

    /// Notes that `session` now belongs to a user.
    package static func link(_ db: Database, table: String, session: String) throws {
        try db.execute(
            sql: "DELETE FROM anonymous_session WHERE dataset_table = ? AND session_id = ?",
            arguments: [table, session])
    }

    /// Forgets everything about the events of a dropped table.
    package static func forget(_ db: Database, table: String) throws {
        try db.execute(sql: "DELETE FROM anonymous_session WHERE dataset_table = ?", arguments: [table])
        try db.execute(sql: "DELETE FROM streamed_event WHERE dataset_table = ?", arguments: [table])
    }

    /// A condition leaving out the streamed events of unlinked sessions; it takes the table's name as argument.
    static let excludedFromTraining =
        "NOT (_bulk = 0 AND USER_ID IN (SELECT session_id FROM anonymous_session WHERE dataset_table = ?))"
}
