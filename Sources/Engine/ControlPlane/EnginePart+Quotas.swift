import EngineAPI
import GRDB
import PersonalizeRules

/// The guide's quotas (``Quota``), checked inside the transaction that creates the resource, so two concurrent
/// creates cannot both pass.
extension EnginePart {
    func checkQuota(_ quota: Quota, _ db: Database, datasetGroupArn: String? = nil) throws {
        var rows = try ResourceStore.rows(
            db, kind: quota.counted, parent: quota.isPerDatasetGroup ? datasetGroupArn : nil)
        if quota.countsTransientOnly { rows = rows.filter { Status.isTransient($0.status) } }
        try quota.check(
            count: rows.count, limit: configuration.limits.limit(of: quota), datasetGroupArn: datasetGroupArn)
    }
}
