import EngineAPI
import Foundation
import GRDB
import Logging
import PersonalizeRules

extension DatasetControl {
    func createFilter(_ request: CreateFilterRequest) async throws -> CreateFilterResponse {
        try validateName(request.name)
        let expression: FilterExpression
        do {
            expression = try FilterParser.parse(request.filterExpression)
        } catch let error as FilterExpressionError {
            throw error.personalizeError
        }
        let arn = arn(.filter, request.name)
        let date = now
        let limits = configuration.limits
        let groupArn = request.datasetGroupArn
        try await write { db in
            _ = try self.requireExists(db, groupArn, .datasetGroup)
            try self.checkQuota(.filtersPerDatasetGroup, db, datasetGroupArn: groupArn)
            let existing = try ResourceStore.rows(db, kind: .filter, parent: groupArn)
            do {
                _ = try FilterSchemaRules.resolve(expression, schemas: try self.filterSchemas(db, group: groupArn))
            } catch let error as FilterExpressionError {
                throw error.personalizeError
            }
            try Self.checkGroupFieldLimit(
                expression, existing: existing, limit: limits.maximumFilterFieldsPerDatasetGroup)
            let filter = EngineAPI.Filter(
                name: request.name, filterArn: arn, creationDateTime: date, lastUpdatedDateTime: date,
                datasetGroupArn: groupArn, filterExpression: request.filterExpression, status: Status.createPending)
            try Self.insertResource(
                db, arn: arn, kind: .filter, name: request.name, parent: groupArn, status: Status.createPending,
                at: date, body: filter, tags: request.tags)
        }
        startBackgroundJob(arn) { [self] in await activate(EngineAPI.Filter.self, arn, kind: .filter) }
        return CreateFilterResponse(filterArn: arn)
    }

    func deleteFilter(_ request: DeleteFilterRequest) async throws -> EmptyResponse {
        let arn = request.filterArn
        return try await deleteResource(arn, kind: .filter) { db, row in
            if let job = try Self.runningBatchJob(db, filterArn: arn) {
                throw PersonalizeError.inUse(
                    "Cannot delete filter \(arn): batch job \(job) uses it and is still running.")
            }
        }
    }

    /// A batch inference or batch segment job that uses filter `filterArn` and is pending or in progress (the
    /// guide refuses to delete the filter meanwhile, part 3 §3.11).
    private static func runningBatchJob(_ db: Database, filterArn: String) throws -> String? {
        for row in try ResourceStore.rows(db, kind: .batchInferenceJob) where Status.isTransient(row.status) {
            if try ResourceStore.decode(BatchInferenceJob.self, row).filterArn == filterArn { return row.arn }
        }
        for row in try ResourceStore.rows(db, kind: .batchSegmentJob) where Status.isTransient(row.status) {
            if try ResourceStore.decode(BatchSegmentJob.self, row).filterArn == filterArn { return row.arn }
        }
        return nil
    }

    /// The schemas of the datasets in dataset group `group`, by dataset type.
    func filterSchemas(_ db: Database, group: String) throws -> [DatasetType: AvroSchema] {
        var schemas: [DatasetType: AvroSchema] = [:]
        for row in try ResourceStore.rows(db, kind: .dataset, parent: group) {
            let table = try DatasetTable.find(db, datasetArn: row.arn)
            schemas[table.type] = table.schema
        }
        return schemas
    }

    /// The guide's limit on distinct dataset fields across all filters of a dataset group.
    private static func checkGroupFieldLimit(_ expression: FilterExpression, existing: [ResourceRow], limit: Int) throws
    {
        var fields = Set<String>()
        for row in existing {
            let stored = try ResourceStore.decode(EngineAPI.Filter.self, row).filterExpression ?? ""
            guard let parsed = try? FilterParser.parse(stored) else { continue }
            fields.formUnion(FilterGrammarRules.distinctFields(parsed).map(\.name))
        }
        let new = FilterGrammarRules.distinctFields(expression).map(\.name).filter { !fields.contains($0) }
        guard fields.count + new.count <= limit else {
            throw PersonalizeError.limitExceeded(
                "The filters of a dataset group can use at most \(limit) distinct dataset fields; the existing "
                    + "filters use \(fields.count), and this one adds \(new.joined(separator: ", ")).")
        }
    }
}
