import EngineAPI
import Foundation
import GRDB
import Logging
import Synchronization
import TailorTestSupport
import Testing

@testable import Engine

/// Imports fill a staging table in short transactions and make it the dataset's in one: other writes (streamed
/// events) go through while a large import runs, the result is the same as importing in one transaction, and a
/// process killed mid-import leaves the dataset as it was.
@Suite(.tags(.medium))
struct ImportStagingTests {
    static func stagingTables(_ engine: LocalEngine) throws -> [String] {
        try engine.core.database.pool.read { db in
            try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB 'ds_*_staging_*'")
        }
    }

    static func rows(_ engine: LocalEngine, _ sql: String) throws -> Int {
        try engine.core.database.pool.read { db in try Int.fetchOne(db, sql: sql) ?? -1 }
    }

    /// An import paused between two of its chunks (by the engine's test hook) does not hold the writer: an event
    /// is written meanwhile. (Importing in one transaction, the event would wait until the import ends, which here
    /// is never: the test would time out.)
    @Test func eventsAreWrittenWhileAnImportIsBetweenChunks() async throws {
        let paused = DispatchSemaphore(value: 0)
        let resume = DispatchSemaphore(value: 0)
        let firstChunk = Mutex(true)
        let directory = try TemporaryDirectory("tailor-staging")
        defer { directory.remove() }
        var configuration = EngineConfiguration(dataDirectory: directory.url.appendingPathComponent("data"))
        configuration.limits = EngineHarness.smallLimits
        configuration.allowedPaths = [directory.url]
        configuration.afterImportChunk = { _, _ in
            guard
                firstChunk.withLock({ first in
                    defer { first = false }; return first
                })
            else { return }
            paused.signal()
            resume.wait()
        }
        var logger = Logger(label: "tailor.test")
        logger.logLevel = .error
        let engine = try LocalEngine(configuration: configuration, logger: logger)
        let (group, dataset) = try await EngineHarness.interactionsDataset(in: engine, group: "big")
        let tracking =
            try await engine.send(CreateEventTrackerRequest(name: "t", datasetGroupArn: group)).trackingId ?? ""
        let rows = DatasetImporter.chunkRows * 3 + 17
        var csv = "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE\n"
        for row in 0..<rows { csv += "u\(row % 500),i\(row % 97),\(1_600_000_000 + row),click,1\n" }
        let file = try directory.write("big.csv", csv)
        let job =
            try await engine.send(
                CreateDatasetImportJobRequest(
                    jobName: "big", datasetArn: dataset, dataSource: DataSource(dataLocation: file.path))
            ).datasetImportJobArn ?? ""
        try await RawWait.onThread { paused.wait() }
        #expect(try Self.stagingTables(engine).count == 1, "the first chunk is in the staging table")

        let written = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                _ = try await engine.send(
                    PutEventsRequest(
                        trackingId: tracking, userId: "live", sessionId: "live",
                        eventList: [Event(eventType: "click", itemId: "i1", sentAt: Date())]))
                return true
            }
            group.addTask {
                try await Task.sleep(for: .seconds(60))
                return false
            }
            let first = try await group.next() ?? false
            resume.signal()
            group.cancelAll()
            return first
        }
        #expect(written, "the event waited for the import")
        let status = try await EngineHarness.settle {
            try await engine.send(DescribeDatasetImportJobRequest(datasetImportJobArn: job)).datasetImportJob?.status
        }
        #expect(status == "ACTIVE")

        // The dataset holds the file's rows and the streamed event; no staging table is left.
        let name = try await engine.core.database.pool.read { db in try DatasetTable.find(db, datasetArn: dataset).name
        }
        #expect(try Self.rows(engine, "SELECT COUNT(*) FROM \(name) WHERE _bulk = 1") == rows)
        #expect(try Self.rows(engine, "SELECT COUNT(*) FROM \(name) WHERE _bulk = 0 AND USER_ID = 'live'") == 1)
        #expect(try Self.stagingTables(engine).isEmpty)
    }

    @Test func aFullImportKeepsStreamedRecordsAndAFailedOneChangesNothing() async throws {
        let harness = try EngineHarness()
        defer { harness.directory.remove() }
        let engine = harness.engine
        let data = SyntheticData(users: 30, items: 20)
        let (group, dataset, first) = try await harness.importInteractions(data.interactionsCSV(perUser: 10))
        #expect(first == "ACTIVE")
        _ = try await EngineHarness.putEvents(tracker: "t", group: group, on: engine, users: 0..<3) { user in
            [Event(eventType: "click", itemId: "i\(user)", sentAt: Date())]
        }
        let name = try await engine.core.database.pool.read { db in
            try DatasetTable.find(db, datasetArn: dataset).name
        }
        #expect(try Self.rows(engine, "SELECT COUNT(*) FROM \(name) WHERE _bulk = 1") == 300)
        // A FULL import replaces the bulk records and keeps the streamed ones.
        #expect(try await harness.importCSV(data.interactionsCSV(perUser: 5), into: dataset, name: "again") == "ACTIVE")
        #expect(try Self.rows(engine, "SELECT COUNT(*) FROM \(name) WHERE _bulk = 1") == 150)
        #expect(try Self.rows(engine, "SELECT COUNT(*) FROM \(name) WHERE _bulk = 0") == 3)
        // A job that fails on its last row leaves every record as it was, and no staging table.
        let broken = data.interactionsCSV(perUser: 5) + "u1,i1,not-a-time,click,1\n"
        #expect(try await harness.importCSV(broken, into: dataset, name: "broken") == "CREATE FAILED")
        #expect(try Self.rows(engine, "SELECT COUNT(*) FROM \(name) WHERE _bulk = 1") == 150)
        #expect(try Self.rows(engine, "SELECT COUNT(*) FROM \(name) WHERE _bulk = 0") == 3)
        #expect(try Self.stagingTables(engine).isEmpty)
    }

    @Test func aStagingTableLeftByAKilledProcessIsDroppedAndTheDatasetStaysWhole() async throws {
        let directory = try TemporaryDirectory("tailor-staging")
        defer { directory.remove() }
        let data = directory.url.appendingPathComponent("data")
        let name = try await Self.leaveAStagingTable(in: data, files: directory)
        let reopened = try EngineHarness.open(data)
        #expect(try Self.stagingTables(reopened).isEmpty)
        #expect(try Self.rows(reopened, "SELECT COUNT(*) FROM \(name)") == 300)
    }

    /// Imports 300 interactions with an engine on `data`, then leaves what a process killed mid-import leaves (a
    /// half-filled staging table) and closes the engine; returns the dataset's table.
    private static func leaveAStagingTable(in data: URL, files: TemporaryDirectory) async throws -> String {
        let engine = try EngineHarness.open(data)
        let (_, dataset) = try await EngineHarness.interactionsDataset(in: engine, group: "shop")
        let file = try files.write("i.csv", SyntheticData(users: 30, items: 20).interactionsCSV(perUser: 10))
        let job =
            try await engine.send(
                CreateDatasetImportJobRequest(
                    jobName: "i", datasetArn: dataset, dataSource: DataSource(dataLocation: file.path))
            ).datasetImportJobArn ?? ""
        let status = try await EngineHarness.settle {
            try await engine.send(DescribeDatasetImportJobRequest(datasetImportJobArn: job)).datasetImportJob?.status
        }
        #expect(status == "ACTIVE")
        let name = try await engine.core.database.pool.write { db in
            let table = try DatasetTable.find(db, datasetArn: dataset)
            let staging = try table.createStaging(db)
            try db.execute(sql: "INSERT INTO \(staging.name) SELECT * FROM \(table.name) LIMIT 7")
            return table.name
        }
        #expect(try stagingTables(engine).count == 1)
        await engine.shutdown()
        return name
    }
}

/// Blocking waits off the cooperative threads.
enum RawWait {
    static func onThread(_ work: @escaping @Sendable () -> Void) async throws {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                work()
                continuation.resume()
            }
        }
    }
}
