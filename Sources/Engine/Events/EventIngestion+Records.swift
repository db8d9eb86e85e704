import EngineAPI
import Foundation
import GRDB
import PersonalizeRules

extension EventIngestion {
    func putEvents(_ request: PutEventsRequest) async throws -> EmptyResponse {
        guard (1...10).contains(request.eventList.count) else {
            throw PersonalizeError.invalidInput(
                "eventList must hold 1 to 10 events; it has \(request.eventList.count).")
        }
        let date = now
        try await write { db in
            let (group, table) = try self.datasetControl.trackedDataset(
                db, trackingID: request.trackingId, type: .interactions)
            // These events change the histories of the user and the session (linked below) only.
            self.dataChanges.declare(table: table.name, users: [request.userId, request.sessionId].compactMap { $0 })
            try DataChanges.record(db, table: table.name, at: date)
            let watermark = try table.watermark(db)
            let writer = RecordWriter(table: table)
            let reserved: Set<String> = [
                "USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE", "EVENT_VALUE", "IMPRESSION",
                "RECOMMENDATION_ID", "EVENT_ATTRIBUTION_SOURCE",
            ]
            for (index, event) in request.eventList.enumerated() {
                let context = "eventList[\(index)]"
                if let properties = event.properties, properties.utf8.count > 10 * 1024 {
                    throw PersonalizeError.invalidInput("\(context): an event cannot be larger than 10 KB.")
                }
                let (properties, inside) = Self.liftedFields(event)
                guard let itemID = event.itemId ?? inside.itemID, !itemID.isEmpty else {
                    throw PersonalizeError.invalidInput("\(context): itemId is required for an item interaction event.")
                }
                var values = try writer.properties(properties, reserved: reserved, context: context)
                values["USER_ID"] = request.userId ?? request.sessionId
                values["ITEM_ID"] = itemID
                values["TIMESTAMP"] = String(try EpochSeconds.of(event.sentAt, field: "\(context).sentAt"))
                values["EVENT_TYPE"] = event.eventType
                values["EVENT_VALUE"] = event.eventValue.map { "\($0)" } ?? inside.eventValue
                values["IMPRESSION"] = event.impression.map { $0.joined(separator: "|") }
                values["RECOMMENDATION_ID"] = event.recommendationId
                values["EVENT_ATTRIBUTION_SOURCE"] = event.metricAttribution?.eventAttributionSource
                let present = values.filter { table.schema.field($0.key) != nil }
                if try Self.isDuplicate(db, table: table, values: present) { continue }
                // An event repeating the eventId of one already recorded is not recorded (nor trained on) again.
                if let eventID = event.eventId, !eventID.isEmpty,
                    try !StreamedEvents.claim(db, table: table.name, eventID: eventID)
                {
                    continue
                }
                try writer.write(present, db, context: context)
            }
            try AttributionRecorder.record(
                db, group: group, table: table, after: watermark, accumulate: true, now: date)
            // An event carrying both ids links the session's anonymous events to the user, so the user's
            // next recommendations build on what they did before signing in, and training uses them.
            if let userID = request.userId, !request.sessionId.isEmpty, request.sessionId != userID {
                try table.linkSession(db, session: request.sessionId, to: userID)
                try StreamedEvents.link(db, table: table.name, session: request.sessionId)
            } else if request.userId == nil {
                try StreamedEvents.recordAnonymous(db, table: table.name, session: request.sessionId)
            }
        }
        return EmptyResponse()
    }

    func putUsers(_ request: PutUsersRequest) async throws -> EmptyResponse {
        try await putRecords(
            datasetArn: request.datasetArn, type: .users,
            records: request.users.map { ($0.userId, $0.properties) })
    }

    func putItems(_ request: PutItemsRequest) async throws -> EmptyResponse {
        try await putRecords(
            datasetArn: request.datasetArn, type: .items,
            records: request.items.map { ($0.itemId, $0.properties) })
    }

    func putActions(_ request: PutActionsRequest) async throws -> EmptyResponse {
        try await putRecords(
            datasetArn: request.datasetArn, type: .actions,
            records: request.actions.map { ($0.actionId, $0.properties) })
    }

    /// Writes 1–10 keyed records (an existing ID is replaced), all or none.
    private func putRecords(datasetArn: String, type: DatasetType, records: [(String, String?)]) async throws
        -> EmptyResponse
    {
        guard (1...10).contains(records.count) else {
            throw PersonalizeError.invalidInput("A request must hold 1 to 10 records; it has \(records.count).")
        }
        try await write { db in
            let table = try DatasetTable.find(db, datasetArn: datasetArn)
            guard table.type == type, let key = type.keyField else {
                throw PersonalizeError.invalidInput(
                    "Dataset \(datasetArn) is a \(table.type.rawValue) dataset, not \(type.rawValue).")
            }
            // Items, users and actions records are read when a request is answered (filters, metadata), never
            // precomputed: nobody's precomputed answers change.
            self.dataChanges.declare(table: table.name, users: [])
            let writer = RecordWriter(table: table)
            for (index, (id, properties)) in records.enumerated() {
                let context = "\(type.recordName.lowercased())[\(index)]"
                var values = try writer.properties(properties, reserved: [key], context: context)
                values[key] = id
                try writer.write(values, db, context: context)
            }
        }
        return EmptyResponse()
    }

    /// Two events with the same user, item, type and timestamp are one event (the guide keeps only one).
    /// `itemId` and `eventValue` given inside an event's `properties` (as the guide's Python example does)
    /// when the event does not give them itself: the properties without them, and their values.
    private static func liftedFields(_ event: Event) -> (
        properties: String?, inside: (itemID: String?, eventValue: String?)
    ) {
        // Most events carry neither key: only those whose text names one are parsed here (and again when written).
        guard event.itemId == nil || event.eventValue == nil, let json = event.properties,
            json.contains("\"itemId\"") || json.contains("\"eventValue\""),
            var object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        else { return (event.properties, (nil, nil)) }
        var itemID: String?
        var eventValue: String?
        if event.itemId == nil, let value = object["itemId"] as? String {
            itemID = value
            object["itemId"] = nil
        }
        if event.eventValue == nil, let value = object["eventValue"] as? NSNumber {
            eventValue = "\(value.doubleValue)"
            object["eventValue"] = nil
        }
        guard itemID != nil || eventValue != nil,
            let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        else { return (event.properties, (nil, nil)) }
        return (String(decoding: data, as: UTF8.self), (itemID, eventValue))
    }

    /// Whether an event with exactly these values (every field it sets, the others empty) was streamed already:
    /// identical events are kept once, as the guide says; one that differs in any field is another event.
    private static func isDuplicate(_ db: Database, table: DatasetTable, values: [String: String]) throws
        -> Bool
    {
        let keys = table.schema.fields.map(\.name)
        let present = keys.map { key -> String? in
            guard let value = values[key], !value.isEmpty else { return nil }
            return value
        }
        return try table.containsStreamedRecord(db, columns: keys, values: present, nullMatchesNull: true)
    }
}
