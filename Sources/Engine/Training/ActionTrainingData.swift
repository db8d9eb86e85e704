import EngineAPI
package import GRDB
import PersonalizeRules
package import Recipes

/// What a next-best-action solution version trains on: the actions of the Actions dataset, the action
/// interactions with them and the users' item interactions, numbered densely.
package struct ActionTrainingData: Sendable {
    package var userIDs: [String] = []
    package var actionIDs: [String] = []
    package var itemIDs: [String] = []
    package var set = ActionTrainingSet(userCount: 0, actionCount: 0, itemCount: 0, actionEvents: [])

    /// The guide: at most 1,000 actions are considered in training, new ones and recently used ones first.
    package static let maximumActions = 1000

    /// Loads the dataset group's action data; `items` are its item interactions (already loaded and checked).
    ///
    /// - Throws: ``TrainingFailure`` when the group has no Actions dataset or it is empty.
    package static func load(
        _ db: Database, actions: DatasetTable, actionInteractions: DatasetTable?, items: TrainingData
    ) throws -> ActionTrainingData {
        var data = ActionTrainingData()
        var users: [String: Int32] = [:]
        func userIndex(_ id: String) -> Int32 {
            if let index = users[id] { return index }
            let index = Int32(data.userIDs.count)
            users[id] = index
            data.userIDs.append(id)
            return index
        }
        let records = try ActionRecord.all(db, table: actions)
        guard !records.isEmpty else {
            throw TrainingFailure(reason: "The Actions dataset has no actions; import or put some before training.")
        }
        var events: [(user: String, action: String, timestamp: Int64, type: ActionEventType)] = []
        if let table = actionInteractions {
            try table.forEachRecord(
                db, columns: ["USER_ID", "ACTION_ID", "TIMESTAMP", "EVENT_TYPE"], orderedBy: "rowid"
            ) { row in
                guard let type = ActionEventType(parsing: row[3]) else { return }
                events.append((row[0], row[1], row[2], type))
            }
        }
        data.actionIDs = considered(records, events: events)
        let actionIndex = Dictionary(uniqueKeysWithValues: data.actionIDs.enumerated().map { ($1, Int32($0)) })
        let values = Dictionary(records.map { ($0.id, $0.value) }, uniquingKeysWith: { first, _ in first })
        var actionEvents: [ActionEvent] = []
        for event in events {
            guard let action = actionIndex[event.action] else { continue }
            actionEvents.append(
                ActionEvent(
                    user: userIndex(event.user), action: action, timestamp: event.timestamp,
                    outcome: event.type.outcome))
        }
        let itemEvents = items.events.map { event in
            Recipes.Event(
                user: userIndex(items.userIDs[Int(event.user)]), item: event.item, timestamp: event.timestamp)
        }
        data.itemIDs = items.itemIDs
        data.set = ActionTrainingSet(
            userCount: data.userIDs.count, actionCount: data.actionIDs.count, itemCount: items.itemIDs.count,
            actionEvents: actionEvents, itemEvents: itemEvents,
            actionValues: data.actionIDs.map { values[$0].flatMap { $0 }.map(Float.init) })
        return data
    }

    /// The actions training considers: all of them up to ``maximumActions``; beyond, those used or created most
    /// recently (an action's creation time falls back to its oldest interaction, as the guide says).
    private static func considered(
        _ records: [ActionRecord], events: [(user: String, action: String, timestamp: Int64, type: ActionEventType)]
    ) -> [String] {
        let ids = records.map(\.id)
        guard ids.count > maximumActions else { return ids }
        var latest: [String: Int64] = [:]
        var oldest: [String: Int64] = [:]
        for event in events {
            latest[event.action] = max(latest[event.action] ?? .min, event.timestamp)
            oldest[event.action] = min(oldest[event.action] ?? .max, event.timestamp)
        }
        let newest = events.map(\.timestamp).max() ?? 0
        func recency(_ record: ActionRecord) -> Int64 {
            let created = record.created ?? oldest[record.id] ?? newest
            return max(created, latest[record.id] ?? .min)
        }
        let ranked = records.enumerated().sorted { (recency($1.element), $0.offset) < (recency($0.element), $1.offset) }
        return ranked.prefix(maximumActions).map(\.element.id)
    }
}

/// One record of an Actions dataset, with the fields the engine applies itself.
package struct ActionRecord: Sendable, Hashable {
    package var id: String
    /// `VALUE`: 1–10, 10 the most important.
    package var value: Int64?
    /// `CREATION_TIMESTAMP`, Unix seconds.
    package var created: Int64?
    /// `ACTION_EXPIRATION_TIMESTAMP` (or `EXPIRATION_TIMESTAMP`), Unix seconds: never recommended from then on.
    package var expires: Int64?
    /// `REPEAT_FREQUENCY`, days: not recommended again to a user that long after they interacted with it.
    package var repeatDays: Int64?
}
