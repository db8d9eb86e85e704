import EngineAPI
import Foundation
import GRDB
import PersonalizeRules
import TailorTestSupport
import Testing

@testable import Engine

/// A dataset group on a fresh engine, with the steps the conformance tests share: datasets from schema
/// text, imports, exports, training, campaigns, and the error a call fails with.
struct ConformanceShop {
    let harness: EngineHarness
    let group: String
    var engine: LocalEngine { harness.engine }

    /// Opens an engine (``EngineHarness/smallLimits`` unless `limits` is given) with one dataset group.
    static func open(limits: EngineLimits? = nil, domain: Domain? = nil) async throws -> ConformanceShop {
        let harness = try EngineHarness(limits: limits)
        let group =
            try await harness.engine.send(CreateDatasetGroupRequest(name: "shop", domain: domain)).datasetGroupArn
            ?? ""
        return ConformanceShop(harness: harness, group: group)
    }

    /// Creates a schema from `schema` and a dataset of `type` from it; returns the dataset ARN.
    func dataset(_ type: String, _ schema: String, name: String? = nil, domain: Domain? = nil) async throws -> String {
        try await EngineHarness.createDataset(
            name ?? type.lowercased(), type: type, schema: schema, domain: domain, inGroup: group, on: engine)
    }

    /// Writes `csv` to a file, imports it into `datasetArn` and returns the job once it settled.
    func importCSV(_ datasetArn: String, _ name: String, _ csv: String, mode: ImportMode? = nil) async throws
        -> DatasetImportJob?
    {
        let file = try harness.directory.write("\(name).csv", csv)
        return try await importLocation(datasetArn, name, file.path, mode: mode)
    }

    /// The Items dataset of ``ConformanceImportTests/itemsSchema`` with `i1` (drama) and `i2` (comedy), imported by
    /// the job `job`; returns the dataset ARN.
    func dramaAndComedyItems(job: String) async throws -> String {
        let items = try await dataset("Items", ConformanceImportTests.itemsSchema)
        _ = try await importCSV(items, job, "ITEM_ID,GENRES\ni1,drama\ni2,comedy\n")
        return items
    }

    /// Puts the item `id` with `genres` into the Items dataset `items` (PutItems).
    func putItem(_ items: String, _ id: String, genres: String) async throws {
        _ = try await engine.send(
            PutItemsRequest(datasetArn: items, items: [Item(itemId: id, properties: #"{"genres": "\#(genres)"}"#)]))
    }

    /// Imports the file or folder at `location` into `datasetArn` and returns the job once it settled.
    func importLocation(_ datasetArn: String, _ name: String, _ location: String, mode: ImportMode? = nil)
        async throws -> DatasetImportJob?
    {
        try await harness.importJob(location, into: datasetArn, job: name, mode: mode)
    }

    /// The rows of `datasetArn`'s table as text, one line per record: its fields in schema order, joined by
    /// commas, ordered by `orderBy`.
    func rows(_ datasetArn: String, orderBy: String = "rowid") async throws -> [String] {
        let engine = self.engine
        return try await engine.core.database.pool.read { db in
            let table = try DatasetTable.find(db, datasetArn: datasetArn)
            let columns = table.schema.fields.map { "coalesce(\(quoted($0.name)), '')" }.joined(
                separator: " || ',' || ")
            return try String.fetchAll(db, sql: "SELECT \(columns) FROM \(table.name) ORDER BY \(orderBy)")
        }
    }

    /// Exports `datasetArn` in `mode`; returns the job's status and the lines of the file it wrote.
    func export(_ datasetArn: String, mode: IngestionMode, name: String) async throws -> (String?, [String]) {
        let folder = harness.directory.url.appendingPathComponent("export-\(name)")
        let arn =
            try await engine.send(
                CreateDatasetExportJobRequest(
                    jobName: name, datasetArn: datasetArn, ingestionMode: mode, roleArn: "role",
                    jobOutput: DatasetExportJobOutput(s3DataDestination: S3DataConfig(path: folder.path)))
            ).datasetExportJobArn ?? ""
        await engine.waitForBackgroundJobs()
        let status = try await engine.send(DescribeDatasetExportJobRequest(datasetExportJobArn: arn))
            .datasetExportJob?.status
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".csv") }
        let lines = try files.sorted().flatMap { file in
            try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                .split(separator: "\n").map(String.init)
        }
        return (status, lines)
    }

    /// Creates a solution of `recipe` and trains one version; returns the version once it settled.
    func train(
        _ recipe: String, name: String, eventType: String? = nil, eventValueThreshold: String? = nil
    ) async throws -> SolutionVersion? {
        let solutionArn =
            try await engine.send(
                CreateSolutionRequest(
                    name: name, performAutoTraining: false, recipeArn: ARN.recipe(recipe), datasetGroupArn: group,
                    eventType: eventType, solutionConfig: SolutionConfig(eventValueThreshold: eventValueThreshold))
            ).solutionArn ?? ""
        let versionArn =
            try await engine.send(CreateSolutionVersionRequest(solutionArn: solutionArn)).solutionVersionArn ?? ""
        await engine.waitForBackgroundJobs()
        return try await engine.send(DescribeSolutionVersionRequest(solutionVersionArn: versionArn)).solutionVersion
    }

    /// Deploys `versionArn` in a campaign; returns the campaign once it settled.
    func campaign(_ versionArn: String, name: String, minProvisionedTPS: Int? = nil) async throws -> Campaign? {
        let arn =
            try await engine.send(
                CreateCampaignRequest(name: name, solutionVersionArn: versionArn, minProvisionedTPS: minProvisionedTPS)
            ).campaignArn ?? ""
        await engine.waitForBackgroundJobs()
        return try await engine.send(DescribeCampaignRequest(campaignArn: arn)).campaign
    }

    /// Records, straight in the engine's store, a resource that is still being created (`CREATE PENDING` or
    /// `PENDING`): it stands in for a job or training a test cannot otherwise hold in that state. Nothing
    /// runs it; a test moves it on with ``settle(_:status:)``.
    func seedPending<Body: Encodable & Sendable>(
        _ kind: ResourceType, arn: String, parent: String, status: String = Status.createPending, body: Body
    ) async throws {
        let date = Date()
        try await engine.core.database.pool.write { db in
            try ResourceStore.insert(
                db, arn: arn, kind: kind, name: arn.split(separator: "/").last.map(String.init) ?? arn,
                parent: parent, status: status, at: date, body: body, enforcingLifecycle: false)
        }
    }

    /// Moves a seeded resource to `status`, as its job would on finishing.
    func settle(_ arn: String, status: String) async throws {
        try await engine.core.database.pool.write { db in
            try ResourceStore.setStatus(db, arn: arn, status, at: Date(), enforcingLifecycle: false)
        }
    }

    /// The error `body` fails with (nil when it succeeds).
    static func error(_ body: () async throws -> Void) async -> PersonalizeError? {
        do {
            try await body()
            return nil
        } catch let error as PersonalizeError {
            return error
        } catch {
            return PersonalizeError(.internalFailure, "not a PersonalizeError: \(error)")
        }
    }

    /// The message of the `code` error `body` fails with: nil when it succeeds, `unexpected …` for any other error.
    static func message(of code: PersonalizeErrorCode, _ body: () async throws -> Void) async -> String? {
        do {
            try await body()
            return nil
        } catch let error as PersonalizeError where error.code == code {
            return error.message
        } catch {
            return "unexpected \(error)"
        }
    }
}

/// USER_ID, ITEM_ID, TIMESTAMP and EVENT_TYPE, in ``avroSchema(_:_:)``'s form: the fields an Interactions
/// schema starts with.
let interactionFields: [(String, String, String?)] = [
    ("USER_ID", #""string""#, nil), ("ITEM_ID", #""string""#, nil), ("TIMESTAMP", #""long""#, nil),
    ("EVENT_TYPE", #""string""#, nil),
]

/// Schema text for tests: an Avro record named `record` with `fields` (name, Avro type as JSON, extra
/// attributes as JSON such as `"categorical": true`).
func avroSchema(_ record: String, _ fields: [(String, String, String?)]) -> String {
    let list = fields.map { name, type, extra in
        "{\"name\": \"\(name)\", \"type\": \(type)\(extra.map { ", " + $0 } ?? "")}"
    }
    return "{\"type\": \"record\", \"name\": \"\(record)\", \"namespace\": \"com.amazonaws.personalize.schema\", "
        + "\"fields\": [\(list.joined(separator: ", "))], \"version\": \"1.0\"}"
}
