import Engine
public import EngineAPI
import Foundation

/// The datasets of a next-best-action dataset group made by ``EngineHarness/importActionData(_:group:)``.
public struct ActionDatasets: Sendable {
    public let group: String
    public let actions: String
    public let actionInteractions: String
    /// The action interaction event tracker's ID (from `DescribeDataset`).
    public let trackingID: String
}

/// Why a harness helper could not set up its data.
public struct HarnessError: Error, CustomStringConvertible {
    public let description: String
}

extension EngineHarness {
    /// Creates a dataset group with `world`'s item interactions, Actions and Action interactions, each imported
    /// in bulk and ACTIVE.
    public func importActionData(_ world: SyntheticActions, group: String = "bank") async throws -> ActionDatasets {
        let (groupArn, _, status) = try await importInteractions(world.itemInteractionsCSV(), group: group)
        guard status == "ACTIVE" else { throw HarnessError(description: "item interactions import: \(status ?? "")") }
        let actions = try await createDataset(
            group: groupArn, name: "\(group)-actions", type: "Actions", schema: SyntheticActions.actionsSchema)
        let actionInteractions = try await createDataset(
            group: groupArn, name: "\(group)-action-interactions", type: "Action_Interactions",
            schema: SyntheticActions.actionInteractionsSchema)
        let imports = [
            (actions, world.actionsCSV(), "\(group)-actions-import"),
            (actionInteractions, world.actionInteractionsCSV(), "\(group)-action-interactions-import"),
        ]
        for (dataset, csv, job) in imports {
            let status = try await importCSV(csv, into: dataset, job: job)
            guard status == "ACTIVE" else { throw HarnessError(description: "import into \(dataset): \(status ?? "")") }
        }
        let described = try await engine.send(DescribeDatasetRequest(datasetArn: actionInteractions)).dataset
        guard let trackingID = described?.trackingId else {
            throw HarnessError(description: "the Action interactions dataset has no trackingId")
        }
        return ActionDatasets(
            group: groupArn, actions: actions, actionInteractions: actionInteractions, trackingID: trackingID)
    }

    /// Creates a schema named `name` and a dataset of `type` with it; returns the dataset ARN.
    public func createDataset(group: String, name: String, type: String, schema: String) async throws -> String {
        try await Self.createDataset(name, type: type, schema: schema, inGroup: group, on: engine)
    }

    /// Imports `csv` into `dataset` with a job named `job`; returns the job's final status (and, through
    /// `failureReason`, why it failed).
    @discardableResult
    public func importCSV(
        _ csv: String, into dataset: String, job: String, mode: ImportMode = .full
    ) async throws -> String? {
        try await importCSVJob(csv, into: dataset, job: job, mode: mode)?.status
    }

    /// Creates the campaign `name` of `version` with exploration off (so answers are the model's alone) and waits
    /// for it to deploy; returns its ARN.
    public func campaignWithoutExploration(_ name: String, version: String) async throws -> String {
        let campaign =
            try await engine.send(
                CreateCampaignRequest(
                    name: name, solutionVersionArn: version,
                    campaignConfig: CampaignConfig(itemExplorationConfig: ["explorationWeight": "0"]))
            ).campaignArn ?? ""
        await engine.waitForBackgroundJobs()
        return campaign
    }

    /// Imports `csv` (written to `<job>.csv`) into `dataset` and returns the settled job; the data source names the
    /// file by its path, or as a `file://` URL when `fileURL`.
    public func importCSVJob(
        _ csv: String, into dataset: String, job: String, mode: ImportMode = .full, fileURL: Bool = false
    ) async throws -> DatasetImportJob? {
        let file = try directory.write("\(job).csv", csv)
        return try await importJob(fileURL ? "file://" + file.path : file.path, into: dataset, job: job, mode: mode)
    }

    /// Imports the file or folder at `location` into `dataset` (with `mode`; nil leaves the request without one) and
    /// returns the job once the engine's background work is done.
    public func importJob(
        _ location: String, into dataset: String, job: String, mode: ImportMode?
    ) async throws -> DatasetImportJob? {
        let jobArn =
            try await engine.send(
                CreateDatasetImportJobRequest(
                    jobName: job, datasetArn: dataset, dataSource: DataSource(dataLocation: location), importMode: mode)
            ).datasetImportJobArn ?? ""
        await engine.waitForBackgroundJobs()
        return try await engine.send(DescribeDatasetImportJobRequest(datasetImportJobArn: jobArn)).datasetImportJob
    }
}
