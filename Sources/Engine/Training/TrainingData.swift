import EngineAPI
package import GRDB
import PersonalizeRules
package import Recipes

/// The interactions a solution version trains on, with users and items numbered densely.
package struct TrainingData: Sendable {
    package var userIDs: [String] = []
    package var itemIDs: [String] = []
    package var events: [Recipes.Event] = []

    /// Loads the interactions of `table` that pass the solution's event type and value threshold.
    package static func load(
        _ db: Database, table: DatasetTable, eventType: String?, eventValueThreshold: Double?
    ) throws -> TrainingData {
        var data = TrainingData()
        var users: [String: Int32] = [:]
        var items: [String: Int32] = [:]
        try table.forEachTrainingInteraction(db, eventType: eventType, eventValueThreshold: eventValueThreshold) {
            row in
            let user: String = row[0]
            let item: String = row[1]
            let userIndex = Self.index(of: user, in: &users, ids: &data.userIDs)
            let itemIndex = Self.index(of: item, in: &items, ids: &data.itemIDs)
            data.events.append(Recipes.Event(user: userIndex, item: itemIndex, timestamp: row[2], value: 1))
        }
        return data
    }

    /// The index of `id` in `ids`, appended the first time.
    private static func index(of id: String, in indices: inout [String: Int32], ids: inout [String]) -> Int32 {
        if let index = indices[id] { return index }
        let index = Int32(ids.count)
        indices[id] = index
        ids.append(id)
        return index
    }

    /// Checks the guide's minimum data for training.
    ///
    /// - Throws: `ImportFailure`-style reasons as `TrainingFailure`.
    package func checkMinimums(_ limits: EngineLimits, eventType: String?) throws {
        if events.count < limits.minimumTrainingInteractions {
            let filter = eventType.map { " after filtering by event type: \($0)" } ?? ""
            throw TrainingFailure(
                reason: "There are fewer than \(limits.minimumTrainingInteractions) interactions in the dataset"
                    + "\(filter) (found \(events.count)).")
        }
        var perUser = [Int](repeating: 0, count: userIDs.count)
        for event in events { perUser[Int(event.user)] += 1 }
        let active = perUser.filter { $0 >= 2 }.count
        if active < limits.minimumUsersWithTwoInteractions {
            throw TrainingFailure(
                reason: "Create failed. There are fewer than \(limits.minimumUsersWithTwoInteractions) users with "
                    + "at least 2 interactions each in the dataset (found \(active)).")
        }
    }
}

/// Why a solution version failed to train, as its `failureReason`.
package struct TrainingFailure: Error, Sendable, CustomStringConvertible {
    package let reason: String
    package var description: String { reason }
}
