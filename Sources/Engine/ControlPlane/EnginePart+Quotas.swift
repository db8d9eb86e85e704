import EngineAPI
import GRDB
import PersonalizeRules

/// The guide's per-account and per-dataset-group quotas (part 3 §12), checked inside the transaction that
/// creates the resource, so two concurrent creates cannot both pass.
extension EnginePart {
    /// Active dataset groups (5 per region in the service).
    func checkDatasetGroupQuota(_ db: Database) throws {
        let limit = configuration.limits.maximumDatasetGroups
        let count = try ResourceStore.rows(db, kind: .datasetGroup).count
        if count >= limit {
            throw PersonalizeError.limitExceeded(
                "Unable to create dataset group. There are already \(count) dataset groups and the quota is "
                    + "\(limit). Please delete some and try again.")
        }
    }

    /// Active schemas (500 per region).
    func checkSchemaQuota(_ db: Database) throws {
        let limit = configuration.limits.maximumSchemas
        let count = try ResourceStore.rows(db, kind: .schema).count
        if count >= limit {
            throw PersonalizeError.limitExceeded(
                "Unable to create schema. There are already \(count) schemas and the quota is \(limit). "
                    + "Please delete some and try again.")
        }
    }

    /// Active solutions per dataset group (10).
    func checkSolutionQuota(_ db: Database, datasetGroupArn: String) throws {
        let limit = configuration.limits.maximumSolutionsPerDatasetGroup
        let count = try ResourceStore.rows(db, kind: .solution, parent: datasetGroupArn).count
        if count >= limit {
            throw PersonalizeError.limitExceeded(
                "Unable to create solution. There are more than \(limit - 1) resources with ACTIVE status in "
                    + "dataset group \(datasetGroupArn). Please delete some and try again.")
        }
    }

    /// Filters per dataset group (10).
    func checkFilterQuota(_ db: Database, datasetGroupArn: String) throws {
        let limit = configuration.limits.maximumFiltersPerDatasetGroup
        let count = try ResourceStore.rows(db, kind: .filter, parent: datasetGroupArn).count
        if count >= limit {
            throw PersonalizeError.limitExceeded(
                "Unable to create filter. Dataset group \(datasetGroupArn) already has \(count) filters and the "
                    + "quota is \(limit). Please delete some and try again.")
        }
    }

    /// Solution versions pending or in progress (20 per region).
    func checkTrainingQuota(_ db: Database) throws {
        let limit = configuration.limits.maximumPendingSolutionVersions
        let count = try ResourceStore.rows(db, kind: .solutionVersion).filter { Status.isTransient($0.status) }.count
        if count >= limit {
            throw PersonalizeError.limitExceeded(
                "More than \(limit) resources with PENDING or IN_PROGRESS status.")
        }
    }
}
