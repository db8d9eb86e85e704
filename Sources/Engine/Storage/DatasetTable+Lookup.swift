import EngineAPI
package import GRDB
import PersonalizeRules

extension DatasetTable {
    /// The table of the dataset `datasetArn`, typed after its schema.
    package static func find(_ db: Database, datasetArn: String) throws -> DatasetTable {
        guard let row = try ResourceStore.row(db, arn: datasetArn), row.kind == .dataset else {
            throw PersonalizeError.notFound("Could not find dataset with ARN \(datasetArn).")
        }
        let dataset = try ResourceStore.decode(Dataset.self, row)
        let schemaBody = try ResourceStore.load(db, DatasetSchema.self, arn: dataset.schemaArn ?? "", kind: .schema)
        let schema = try AvroSchema(json: schemaBody.schema ?? "")
        guard let type = DatasetType(rawValue: dataset.datasetType ?? "") else {
            throw PersonalizeError(.internalFailure, "Dataset \(datasetArn) has an unknown type.")
        }
        return DatasetTable(datasetRowID: row.id, schema: schema, type: type)
    }

    /// The table of the dataset of `type` in dataset group `group`.
    static func find(_ db: Database, group: String, type: DatasetType) throws -> DatasetTable {
        let rows = try ResourceStore.rows(db, kind: .dataset, parent: group)
        guard
            let row = rows.first(where: { (try? ResourceStore.decode(Dataset.self, $0).datasetType) == type.rawValue })
        else {
            throw PersonalizeError.notFound("Dataset group \(group) has no \(type.rawValue) dataset.")
        }
        return try find(db, datasetArn: row.arn)
    }
}
