import EngineAPI
import GRDB
import PersonalizeRules

extension TrainingJobs {
    /// Loads what `aws-next-best-action` trains on from `datasetGroupArn`: its Actions dataset (required), its
    /// Action interactions (may be absent or empty: every action then scores 0) and its item interactions, which
    /// must meet the guide's minimums as for every recipe.
    ///
    /// - Throws: ``TrainingFailure`` naming what is missing.
    func loadActionTrainingData(datasetGroupArn: String?) async throws -> ActionTrainingData {
        let limits = configuration.limits
        return try await database.pool.read { db in
            var tables: [DatasetType: DatasetTable] = [:]
            for row in try ResourceStore.rows(db, kind: .dataset, parent: datasetGroupArn ?? "") {
                let table = try DatasetTable.find(db, datasetArn: row.arn)
                tables[table.type] = table
            }
            guard let actions = tables[.actions] else {
                throw TrainingFailure(
                    reason: "The dataset group has no ACTIONS dataset; aws-next-best-action recommends the actions "
                        + "of the Actions dataset.")
            }
            guard let interactions = tables[.interactions] else {
                throw TrainingFailure(reason: "The dataset group has no INTERACTIONS dataset.")
            }
            let items = try TrainingData.load(db, table: interactions, eventType: nil, eventValueThreshold: nil)
            try items.checkMinimums(limits, eventType: nil)
            return try ActionTrainingData.load(
                db, actions: actions, actionInteractions: tables[.actionInteractions], items: items)
        }
    }
}
