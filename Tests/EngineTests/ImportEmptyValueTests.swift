import EngineAPI
import Foundation
import GRDB
import PersonalizeRules
import TailorTestSupport
import Testing

@testable import Engine

/// Bulk import of empty cells and of columns the schema lacks, as the service does them.
@Suite struct ImportEmptyValueTests {

    private static let itemsSchema = """
        {"type": "record", "name": "Items", "namespace": "com.amazonaws.personalize.schema", "version": "1.0",
         "fields": [{"name": "ITEM_ID", "type": "string"}, {"name": "YEAR", "type": "string"},
                    {"name": "GENRES", "type": "string", "categorical": true},
                    {"name": "TITLE", "type": ["null", "string"]}, {"name": "PRICE", "type": "float"}]}
        """

    /// Runs an import of `csv` into a fresh Items dataset of ``itemsSchema``; returns the job as described.
    private func importItems(_ csv: String, name: String) async throws -> DatasetImportJob? {
        let harness = try EngineHarness()
        defer { harness.directory.remove() }
        let engine = harness.engine
        let (_, dataset) = try await EngineHarness.dataset(
            "items", type: "Items", schema: Self.itemsSchema, in: engine, group: name)
        let file = try harness.directory.write("\(name).csv", csv)
        let arn =
            try await engine.send(
                CreateDatasetImportJobRequest(
                    jobName: name, datasetArn: dataset, dataSource: DataSource(dataLocation: file.path))
            ).datasetImportJobArn ?? ""
        _ = try await EngineHarness.settle {
            try await engine.send(DescribeDatasetImportJobRequest(datasetImportJobArn: arn)).datasetImportJob?.status
        }
        if let job = try await engine.send(DescribeDatasetImportJobRequest(datasetImportJobArn: arn)).datasetImportJob,
            job.status == "ACTIVE"
        {
            let stored = try engine.core.database.pool.read { db in
                let table = try DatasetTable.find(db, datasetArn: dataset)
                return try Row.fetchAll(db, sql: "SELECT * FROM \(table.name)")
            }
            #expect(stored.count == csv.split(separator: "\n").count - 1)
            return job
        }
        return try await engine.send(DescribeDatasetImportJobRequest(datasetImportJobArn: arn)).datasetImportJob
    }

    /// An empty cell of a `string` field that is not nullable is the empty string, as on the service (the VOD
    /// sample imports titles without a year); IDs and numbers stay strict.
    @Test func anEmptyCellOfANonNullableStringFieldIsImported() async throws {
        let job = try await importItems(
            "ITEM_ID,YEAR,GENRES,TITLE,PRICE\ni1,1995,Comedy,Heat,1.5\ni2,,Drama,,2\ni3,2001,,Up,3\n", name: "years")
        #expect(job?.status == "ACTIVE", "\(job?.failureReason ?? "")")

        let price = try await importItems("ITEM_ID,YEAR,GENRES,TITLE,PRICE\ni1,1995,Comedy,Heat,\n", name: "price")
        #expect(price?.status == "CREATE FAILED")
        #expect(price?.failureReason?.contains("column PRICE: empty value, but the field is not nullable") == true)

        let id = try await importItems("ITEM_ID,YEAR,GENRES,TITLE,PRICE\n,1995,Comedy,Heat,1\n", name: "id")
        #expect(id?.status == "CREATE FAILED")
        #expect(id?.failureReason?.contains("column ITEM_ID: empty value") == true)
    }

    /// "CSV column header names must map to the schema" (part 2 §3.3): a column the schema lacks (pandas'
    /// index column, whose header is empty) fails the job, and the message shows the empty name quoted.
    @Test func aColumnNotInTheSchemaFailsTheImportAndAnEmptyNameIsShownQuoted() async throws {
        let job = try await importItems(
            ",ITEM_ID,YEAR,GENRES,TITLE,PRICE\n0,i1,1995,Comedy,Heat,1.5\n", name: "pandas")
        #expect(job?.status == "CREATE FAILED")
        let reason = job?.failureReason ?? ""
        #expect(reason.contains("column(s) that are not in the schema: ['']"), "\(reason)")
        #expect(!reason.contains("schema: []"), "\(reason)")
    }
}
