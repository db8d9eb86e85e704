import EngineAPI
import Foundation
import GRDB
import TailorTestSupport
import Testing

@testable import Engine

@Suite struct ImportTests {
    let harness: EngineHarness
    init() throws { harness = try EngineHarness() }

    private func rowCount(_ datasetArn: String) async throws -> Int {
        let engine = harness.engine
        return try await engine.core.database.pool.read { db in
            try DatasetTable.find(db, datasetArn: datasetArn).count(db)
        }
    }

    /// Imports `csv` into `datasetArn` as the job `name`, its data source a `file://` URL; returns the settled job.
    private func importJob(_ datasetArn: String, _ name: String, _ csv: String, mode: ImportMode = .full) async throws
        -> DatasetImportJob?
    {
        try await harness.importCSVJob(csv, into: datasetArn, job: name, mode: mode, fileURL: true)
    }

    @Test func importsEveryRowAndGoesActive() async throws {
        let csv = SyntheticData().interactionsCSV(perUser: 10)
        let (_, datasetArn, status) = try await harness.importInteractions(csv)
        #expect(status == "ACTIVE")
        #expect(try await rowCount(datasetArn) == 1200)
    }

    @Test func aBadValueFailsTheJobNamingRowAndColumnAndImportsNothing() async throws {
        let good = SyntheticData().interactionsCSV(perUser: 10)
        let (_, datasetArn, _) = try await harness.importInteractions(good)
        var lines = good.split(separator: "\n").map(String.init)
        lines[57] = "u5,i3,1600000000,click,lots"
        let job = try await importJob(datasetArn, "bad-value", lines.joined(separator: "\n"))
        #expect(job?.status == "CREATE FAILED")
        #expect(job?.failureReason == "bad-value.csv row 58, column EVENT_VALUE: 'lots' is not a number (float)")
        #expect(try await rowCount(datasetArn) == 1200, "a failed FULL import leaves the earlier data in place")
    }

    @Test func aMissingRequiredColumnIsReportedByName() async throws {
        let (_, datasetArn, _) = try await harness.importInteractions(SyntheticData().interactionsCSV(perUser: 10))
        let csv = "USER_ID,EVENT_TYPE\n" + String(repeating: "u1,click\n", count: 200)
        let job = try await importJob(datasetArn, "no-items", csv)
        #expect(job?.failureReason == "Input CSV is missing the following columns: [ITEM_ID, TIMESTAMP].")
    }

    @Test func unknownColumnsWrongColumnCountsAndBrokenQuotesAreRejected() async throws {
        let (_, datasetArn, _) = try await harness.importInteractions(SyntheticData().interactionsCSV(perUser: 10))
        let unknown = try await importJob(datasetArn, "unknown", "USER_ID,ITEM_ID,TIMESTAMP,COLOUR\n")
        #expect(unknown?.failureReason?.contains("column(s) that are not in the schema: ['COLOUR']") == true)
        let short = try await importJob(datasetArn, "short", "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\nu1,i1,5\n")
        #expect(short?.failureReason == "short.csv row 2: expected 4 columns, found 3.")
        let quote = try await importJob(datasetArn, "quote", "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\nu1,\"i1,5,click\n")
        #expect(quote?.failureReason == "quote.csv row 2: unterminated quoted field")
        let empty = try await importJob(datasetArn, "empty-id", "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n,i1,5,click\n")
        #expect(
            empty?.failureReason == "empty-id.csv row 2, column USER_ID: empty value, but the field is not nullable")
    }

    @Test func incrementalAppendsAndFullReplaces() async throws {
        let data = SyntheticData()
        let (_, datasetArn, _) = try await harness.importInteractions(data.interactionsCSV(perUser: 10))
        let more = try await importJob(
            datasetArn, "more", data.interactionsCSV(perUser: 5, seed: 9), mode: .incremental)
        #expect(more?.status == "ACTIVE")
        #expect(try await rowCount(datasetArn) == 1800)
        let replace = try await importJob(datasetArn, "replace", data.interactionsCSV(perUser: 5, seed: 9))
        #expect(replace?.status == "ACTIVE")
        #expect(try await rowCount(datasetArn) == 600)
    }

    @Test func tooFewInteractionsFailTheImport() async throws {
        let (_, datasetArn, _) = try await harness.importInteractions(SyntheticData().interactionsCSV(perUser: 10))
        let job = try await importJob(datasetArn, "tiny", "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\nu1,i1,5,click\n")
        #expect(job?.failureReason == "The import has 1 records; an Interactions import job needs at least 100.")
    }

    @Test func quotedFieldsFollowTheGuidesEscaping() throws {
        let file = try harness.directory.write("q.csv", "A,B\n\"x, \\\"y\\\"\",\"a \"\"b\"\"\"\r\n\nz,\n")
        var reader = try CSVReader(url: file)
        #expect(try reader.nextRecord() == ["A", "B"])
        #expect(try reader.nextRecord() == ["x, \"y\"", "a \"b\""])
        #expect(try reader.nextRecord() == ["z", ""])
        #expect(reader.line == 4)
        #expect(try reader.nextRecord() == nil)
    }

    @Test func incrementalBeforeAnyFullImportAndS3LocationsAreInvalidInput() async throws {
        let group = try await harness.engine.send(CreateDatasetGroupRequest(name: "g")).datasetGroupArn ?? ""
        let schema =
            try await harness.engine.send(
                CreateSchemaRequest(name: "s", schema: SyntheticData.interactionsSchema)
            ).schemaArn ?? ""
        let dataset =
            try await harness.engine.send(
                CreateDatasetRequest(name: "d", schemaArn: schema, datasetGroupArn: group, datasetType: "INTERACTIONS")
            ).datasetArn ?? ""
        let file = try harness.directory.write("x.csv", "USER_ID,ITEM_ID,TIMESTAMP\n")
        await #expect(
            throws: PersonalizeError.invalidInput(
                "INCREMENTAL import is allowed only after a first FULL import into \(dataset).")
        ) {
            try await harness.engine.send(
                CreateDatasetImportJobRequest(
                    jobName: "j", datasetArn: dataset, dataSource: DataSource(dataLocation: file.path),
                    importMode: .incremental))
        }
        await #expect(throws: PersonalizeError.self) {
            try await harness.engine.send(
                CreateDatasetImportJobRequest(
                    jobName: "j", datasetArn: dataset, dataSource: DataSource(dataLocation: "s3://bucket/x.csv")))
        }
    }
}
