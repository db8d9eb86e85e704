import EngineAPI
import Foundation
import GRDB
import PersonalizeRules

extension EventIngestion {
    /// `PutActionInteractions`: 1–10 action interactions into the Action interactions dataset of the tracker's
    /// dataset group, in one transaction committed before the call returns.
    ///
    /// Each is checked against the schema (event type `Taken`, `Not Taken` or `Viewed`, stored in that spelling;
    /// `properties` keys name schema fields in camel case). An interaction without a `userId` belongs to its
    /// `sessionId`; the first with both links the session's earlier interactions to the user. One with the same
    /// user, action, timestamp and event type as an earlier one, or an `eventId` already recorded, is kept once.
    func putActionInteractions(_ request: PutActionInteractionsRequest) async throws -> EmptyResponse {
        guard (1...10).contains(request.actionInteractions.count) else {
            throw PersonalizeError.invalidInput(
                "actionInteractions must hold 1 to 10 interactions; it has \(request.actionInteractions.count).")
        }
        let rows = try request.actionInteractions.enumerated().map { index, interaction in
            try Self.actionInteractionRow(interaction, context: "actionInteractions[\(index)]")
        }
        let date = now
        try await write { db in
            let table = try self.datasetControl.trackedDataset(
                db, trackingID: request.trackingId, type: .actionInteractions
            ).table
            // Action interactions feed no item recommendations: nobody's precomputed answers change.
            self.dataChanges.declare(table: table.name, users: [])
            try table.ensureEventIDColumn(db)
            try DataChanges.record(db, table: table.name, at: date)
            let writer = RecordWriter(table: table)
            for (index, row) in rows.enumerated() {
                let context = "actionInteractions[\(index)]"
                var values = try writer.properties(
                    row.properties, reserved: Self.actionReservedFields, context: context)
                values.merge(row.values) { _, fixed in fixed }
                let present = values.filter { table.schema.field($0.key) != nil }
                if try Self.isRecorded(db, table: table, values: present, eventID: row.eventID) { continue }
                try writer.write(present, db, context: context)
                if let eventID = row.eventID {
                    try table.setEventIDOfLastInsert(db, eventID)
                }
                if let userID = row.userID, row.sessionID != userID {
                    try table.linkSession(db, session: row.sessionID, to: userID)
                }
            }
        }
        return EmptyResponse()
    }

    /// The fields PutActionInteractions fills from its own members, never from `properties`.
    private static let actionReservedFields: Set<String> = [
        "USER_ID", "ACTION_ID", "TIMESTAMP", "EVENT_TYPE", "IMPRESSION", "RECOMMENDATION_ID",
    ]

    /// One interaction, checked, as field values.
    private struct ActionInteractionRow: Sendable {
        var values: [String: String]
        var properties: String?
        var eventID: String?
        var userID: String?
        var sessionID: String
    }

    private static func actionInteractionRow(
        _ interaction: ActionInteraction, context: String
    ) throws -> ActionInteractionRow {
        guard let type = ActionEventType(parsing: interaction.eventType) else {
            throw PersonalizeError.invalidInput(
                "\(context).eventType: '\(interaction.eventType)' is not an action interaction event type; use "
                    + "\(ActionEventType.accepted).")
        }
        if let properties = interaction.properties,
            let object = try? JSONSerialization.jsonObject(with: Data(properties.utf8)) as? [String: Any]
        {
            let forbidden = ["userid", "sessionid", "eventtype", "timestamp", "recommendationid", "impression"]
            if let key = object.keys.sorted().first(where: { forbidden.contains($0.lowercased()) }) {
                throw PersonalizeError.invalidInput(
                    "\(context).properties cannot contain '\(key)'; give it as the interaction's own member.")
            }
        }
        var values: [String: String] = [
            "USER_ID": interaction.userId ?? interaction.sessionId, "ACTION_ID": interaction.actionId,
            "TIMESTAMP": String(try EpochSeconds.of(interaction.timestamp, field: "\(context).timestamp")),
            "EVENT_TYPE": type.rawValue,
        ]
        values["IMPRESSION"] = interaction.impression.map { $0.joined(separator: "|") }
        values["RECOMMENDATION_ID"] = interaction.recommendationId
        return ActionInteractionRow(
            values: values, properties: interaction.properties, eventID: interaction.eventId,
            userID: interaction.userId, sessionID: interaction.sessionId)
    }

    /// Whether the interaction was recorded before: its `eventId`, or the same user, action, time and type.
    private static func isRecorded(
        _ db: Database, table: DatasetTable, values: [String: String], eventID: String?
    ) throws -> Bool {
        if let eventID, try table.containsEvent(db, eventID: eventID) { return true }
        let keys = ["USER_ID", "ACTION_ID", "TIMESTAMP", "EVENT_TYPE"]
        return try table.containsStreamedRecord(db, columns: keys, values: keys.map { values[$0] ?? "" })
    }
}
