import Engine
import EngineAPI
import Foundation
import GRDB
import TailorTestSupport
import Testing

/// Kills `tailor apply` with SIGKILL while the engine imports and while it trains, then reopens the
/// data folder: the database is intact, the interrupted job is `CREATE FAILED` ("Interrupted ..."),
/// nothing of the interrupted import is visible, no partial model file remains, and the next apply
/// converges.
@Suite(.serialized) struct EngineCrashTests {
    static let users = 20_000
    static let items = 4_000

    static func manifests(rows: Int, in workspace: TemporaryDirectory, hiddenDimension: Int = 32) throws {
        var csv = "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n"
        csv.reserveCapacity(rows * 28)
        var random = SplitMix(seed: 11)
        for row in 0..<rows {
            let user = Int(random.next() % UInt64(users))
            let item = (user % 50) * (items / 50) + Int(random.next() % UInt64(items / 50))
            csv += "u\(user),i\(item),\(1_600_000_000 + row),click\n"
        }
        try workspace.write("m/data/interactions.csv", csv)
        try workspace.write(
            "m/resources.yaml",
            ManifestFixtures.interactions("crash", eventValue: false) + "---\n"
                + ManifestFixtures.solution("crash-picks", group: "crash", hidden: hiddenDimension, campaign: false))
    }

    /// Starts `tailor apply`, waits until a resource of `kind` is in progress, and kills it.
    static func killApply(in workspace: TemporaryDirectory, whenInProgress kind: String) throws -> Bool {
        let process = Process()
        process.executableURL = try TailorProcess.binary()
        process.arguments = ["apply", "--auto-approve", "m"]
        process.currentDirectoryURL = workspace.url
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let database = workspace.url.appendingPathComponent("m/.tailor/engine/engine.sqlite").path
        let deadline = Date().addingTimeInterval(120)
        var caught = false
        while process.isRunning, Date() < deadline, !caught {
            if FileManager.default.fileExists(atPath: database),
                let queue = try? DatabaseQueue(path: database, configuration: readOnly),
                let count = try? queue.read({ db in
                    try Int.fetchOne(
                        db, sql: "SELECT COUNT(*) FROM resource WHERE kind = ? AND status = 'CREATE IN_PROGRESS'",
                        arguments: [kind])
                }), count > 0
            {
                caught = true
                kill(process.processIdentifier, SIGKILL)
            }
            usleep(2_000)
        }
        process.waitUntilExit()
        return caught
    }

    static var readOnly: Configuration {
        var configuration = Configuration()
        configuration.readonly = true
        return configuration
    }

    static func reopen(_ workspace: TemporaryDirectory) throws -> LocalEngine {
        try EngineHarness.open(workspace.url.appendingPathComponent("m/.tailor/engine"), limits: EngineLimits())
    }

    @Test func killDuringImportLeavesNothingHalfImported() async throws {
        let workspace = try TemporaryDirectory("tailor-crash")
        defer { workspace.remove() }
        try Self.manifests(rows: 400_000, in: workspace)
        #expect(try Self.killApply(in: workspace, whenInProgress: "dataset-import-job"))

        let engine = try Self.reopen(workspace)
        let integrity = try await engine.core.database.pool.read { db in
            try String.fetchOne(db, sql: "PRAGMA integrity_check")
        }
        #expect(integrity == "ok")
        let jobs = try await engine.send(ListDatasetImportJobsRequest()).datasetImportJobs ?? []
        #expect(jobs.count == 1)
        #expect(jobs.first?.status == "CREATE FAILED")
        #expect(jobs.first?.failureReason == Recovery.interruptedReason)
        let datasets = try await engine.send(ListDatasetsRequest()).datasets ?? []
        let rows = try await engine.core.database.pool.read { db in
            try DatasetTable.find(db, datasetArn: datasets.first?.datasetArn ?? "").count(db)
        }
        #expect(rows == 0, "an interrupted import is invisible")
    }

    @Test func killDuringTrainingLeavesNoPartialModelAndApplyConverges() async throws {
        let workspace = try TemporaryDirectory("tailor-crash")
        defer { workspace.remove() }
        try Self.manifests(rows: 300_000, in: workspace, hiddenDimension: 256)
        #expect(try Self.killApply(in: workspace, whenInProgress: "solution-version"))

        do {
            let engine = try Self.reopen(workspace)
            let solutions = try await engine.send(ListSolutionsRequest()).solutions ?? []
            let versions =
                try await engine.send(ListSolutionVersionsRequest(solutionArn: solutions.first?.solutionArn))
                .solutionVersions ?? []
            #expect(versions.count == 1)
            #expect(versions.first?.status == "CREATE FAILED")
            #expect(versions.first?.failureReason == Recovery.interruptedReason)
            let models = try FileManager.default.contentsOfDirectory(
                atPath: workspace.url.appendingPathComponent("m/.tailor/engine/models").path)
            #expect(models.isEmpty, "no model file, partial or whole: \(models)")
        }

        let again = try TailorProcess.run(["apply", "--auto-approve", "m"], in: workspace.url)
        #expect(again.status == 0, "\(again.stdout)\n\(again.stderr)")
        let plan = try TailorProcess.run(["plan", "m", "--detailed-exitcode"], in: workspace.url)
        #expect(plan.status == 0, "\(plan.stdout)")
    }
}
