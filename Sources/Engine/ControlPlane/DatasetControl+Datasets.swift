import EngineAPI
import Foundation
import GRDB
import PersonalizeRules

extension DatasetControl {
    func createDataset(_ request: CreateDatasetRequest) async throws -> CreateDatasetResponse {
        try validateName(request.name)
        let normalized = request.datasetType.uppercased().replacingOccurrences(of: "-", with: "_")
        guard let type = DatasetType(rawValue: normalized) else {
            throw PersonalizeError.invalidInput(
                "Invalid datasetType \(request.datasetType); use one of "
                    + DatasetType.allCases.map(\.rawValue).joined(separator: ", ") + ".")
        }
        let date = now
        let engine = self
        let arn = try await write { db in
            let group = try ResourceStore.load(db, DatasetGroup.self, arn: request.datasetGroupArn, kind: .datasetGroup)
            let schemaBody = try ResourceStore.load(db, DatasetSchema.self, arn: request.schemaArn, kind: .schema)
            let schema = try AvroSchema(json: schemaBody.schema ?? "")
            try type.validate(schema)
            if group.domain != nil, type == .actions || type == .actionInteractions {
                throw PersonalizeError.invalidInput(
                    "Domain dataset groups cannot have \(type.rawValue) datasets.")
            }
            try Self.checkSchemaDomain(schemaBody, schema, type: type, group: group)
            let arn = engine.arn(.dataset, "\(group.name ?? "")/\(type.rawValue)")
            var dataset = Dataset(
                name: request.name, datasetArn: arn, datasetGroupArn: request.datasetGroupArn,
                datasetType: type.rawValue, schemaArn: request.schemaArn, status: Status.active,
                creationDateTime: date, lastUpdatedDateTime: date)
            if type == .actionInteractions { dataset.trackingId = UUID().uuidString.lowercased() }
            do {
                try Self.insertResource(
                    db, arn: arn, kind: .dataset, name: request.name, parent: request.datasetGroupArn,
                    status: Status.active, at: date, body: dataset, tags: request.tags)
            } catch let error as PersonalizeError where error.code == .resourceAlreadyExistsException {
                throw PersonalizeError.alreadyExists(
                    "Dataset group \(request.datasetGroupArn) already has a \(type.rawValue) dataset: \(arn).")
            }
            if let trackingID = dataset.trackingId {
                try engine.createActionInteractionsTracker(db, group: group, trackingID: trackingID, at: date)
            }
            let row = try engine.requireExists(db, arn, .dataset)
            try DatasetTable(datasetRowID: row.id, schema: schema, type: type).create(db)
            return arn
        }
        return CreateDatasetResponse(datasetArn: arn)
    }

    /// A domain dataset group's datasets need a schema of its domain, which passes the domain's rules; a custom
    /// group's need a schema without a domain.
    private static func checkSchemaDomain(
        _ body: DatasetSchema, _ schema: AvroSchema, type: DatasetType, group: DatasetGroup
    ) throws {
        let groupArn = group.datasetGroupArn ?? ""
        let schemaArn = body.schemaArn ?? ""
        if let domain = group.domain {
            guard body.domain == domain else {
                throw PersonalizeError.invalidInput(
                    "Dataset group \(groupArn) is a \(domain.rawValue) domain dataset group: its datasets need a "
                        + "schema created with domain \(domain.rawValue), and schema \(schemaArn) "
                        + (body.domain.map { "has domain \($0.rawValue)." } ?? "has no domain."))
            }
            try DomainSchemaRules(domain).validate(schema, type: type)
        } else if let domain = body.domain {
            throw PersonalizeError.invalidInput(
                "Schema \(schemaArn) was created for the \(domain.rawValue) domain, but dataset group \(groupArn) is a "
                    + "custom dataset group: its datasets need a schema without a domain.")
        }
    }

    func deleteDataset(_ request: DeleteDatasetRequest) async throws -> EmptyResponse {
        let arn = request.datasetArn
        return try await deleteResource(arn, kind: .dataset) { db, row in
            let running = try ResourceStore.rows(db, kind: .datasetImportJob, parent: arn)
                .filter { Status.isTransient($0.status) }
            if let job = running.first {
                throw PersonalizeError.inUse("Cannot delete dataset \(arn): import job \(job.arn) is still running.")
            }
            if let training = try Self.trainingInGroup(db, group: row.parent) {
                throw PersonalizeError.inUse("Cannot delete dataset \(arn): \(training) is still training.")
            }
        }
    }

    /// A solution version or recommender of dataset group `group` that is still being created (the guide
    /// refuses to delete a dataset meanwhile, part 1 §6.6, part 3 §2.7), named for a message.
    private static func trainingInGroup(_ db: Database, group: String?) throws -> String? {
        guard let group else { return nil }
        for solution in try ResourceStore.rows(db, kind: .solution, parent: group) {
            let versions = try ResourceStore.rows(db, kind: .solutionVersion, parent: solution.arn)
            if let version = versions.first(where: {
                Status.isTransient($0.status) && !Status.isDeleting($0.status ?? "")
            }) {
                return "solution version \(version.arn)"
            }
        }
        let recommenders = try ResourceStore.rows(db, kind: .recommender, parent: group)
        if let recommender = recommenders.first(where: {
            $0.status == Status.createPending || $0.status == Status.createInProgress
        }) {
            return "recommender \(recommender.arn)"
        }
        return nil
    }

    /// Replaces the schema of an Items or Users dataset: every old field must stay as it was, and new
    /// fields must be nullable (the records already imported have no value for them).
    func updateDataset(_ request: UpdateDatasetRequest) async throws -> UpdateDatasetResponse {
        let date = now
        try await write { db in
            let old = try DatasetTable.find(db, datasetArn: request.datasetArn)
            guard old.type == .items || old.type == .users else {
                throw PersonalizeError.invalidInput(
                    "Only Items and Users datasets can change their schema; \(request.datasetArn) is \(old.type.rawValue)."
                )
            }
            let body = try ResourceStore.load(db, DatasetSchema.self, arn: request.schemaArn, kind: .schema)
            let new = try AvroSchema(json: body.schema ?? "")
            try old.type.validate(new)
            for field in old.schema.fields where new.field(field.name) != field {
                throw PersonalizeError.invalidInput(
                    "The new schema changes or removes field \(field.name); existing fields must stay unchanged.")
            }
            let added = new.fields.filter { old.schema.field($0.name) == nil }
            if let required = added.first(where: { !$0.nullable }) {
                throw PersonalizeError.invalidInput(
                    "New field \(required.name) must be nullable: records already imported have no value for it.")
            }
            for field in added {
                try old.addColumn(db, for: field)
            }
            _ = try ResourceStore.update(
                db, Dataset.self, arn: request.datasetArn, kind: .dataset, at: date, status: \.status
            ) { dataset in
                dataset.schemaArn = request.schemaArn
                dataset.lastUpdatedDateTime = date
                dataset.latestDatasetUpdate = DatasetUpdateSummary(
                    schemaArn: request.schemaArn, status: Status.active, creationDateTime: date,
                    lastUpdatedDateTime: date)
            }
        }
        return UpdateDatasetResponse(datasetArn: request.datasetArn)
    }
}
