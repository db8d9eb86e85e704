import EngineAPI
import PersonalizeRules

/// Runs a dataset's import as a journaled step: the job's name is saved in state before the job is created
/// and its ARN right after, so an apply killed at any point finds and resumes the same job.
struct ImportRunner {
    let context: ApplyContext

    /// Imports the dataset's file and waits for the job.
    ///
    /// - Parameters:
    ///   - change: The dataset's change; its desired spec has the import.
    ///   - contentHash: The file's hash when planned; apply refuses a file changed since.
    func run(_ change: ResourceChange, contentHash: String) async throws {
        let address = change.address
        guard case .dataset(let spec)? = change.desired?.spec, let dataImport = spec.dataImport,
            let dataset = await context.recorder.entry(address)
        else { throw PlannerError.missingDependency(address: address, dependency: address, what: "dataset ARN") }
        let current =
            dataImport.isObject
            ? try await Planner.identity(dataImport, objects: context.objects)
            : try? SpecHash.ofFile(atPath: dataImport.path)
        guard current == contentHash else {
            throw PlannerError.importChangedSincePlan(address: address, path: dataImport.path)
        }
        let jobArn: String
        if let resumed = try await resumableJob(address, dataset: dataset, contentHash: contentHash) {
            jobArn = resumed
        } else {
            jobArn = try await startJob(address, dataset: dataset, dataImport: dataImport, contentHash: contentHash)
        }
        try await context.waiter.wait(
            for: .active, address, what: "the import of \(dataImport.source)", timeout: context.timeouts.importData,
            emit: context.emit
        ) { try await observeJob(jobArn) }
        try await context.recorder.update(address) { entry in
            entry?.attributes[StateEntry.Key.pendingImport] = nil
            entry?.attributes[StateEntry.Key.importJobArn] = .string(jobArn)
            entry?.attributes[StateEntry.Key.importContentHash] = .string(contentHash)
            entry?.attributes[StateEntry.Key.importSource] = .string(dataImport.source)
        }
    }

    /// The job a killed apply started for the same content, if it still exists and has not failed.
    private func resumableJob(_ address: ResourceAddress, dataset: StateEntry, contentHash: String) async throws
        -> String?
    {
        guard let pending = dataset.map(StateEntry.Key.pendingImport),
            pending["contentHash"]?.stringValue == contentHash, let name = pending["jobName"]?.stringValue
        else { return nil }
        var arn = pending["jobArn"]?.stringValue
        if arn == nil {
            let jobs = try await EngineCalls.all(
                ListDatasetImportJobsRequest(datasetArn: dataset.arn), service: context.service)
            arn = jobs.first { $0.jobName == name }?.datasetImportJobArn
        }
        guard let arn, let job = try await observeJob(arn) else { return nil }
        if case .failed = job.status { return nil }
        context.emit(.step(address, "resuming import job \(name)"))
        return arn
    }

    /// Journals a new job name, creates the job and journals its ARN. Job names are global in the service, so a
    /// name taken by an older job (a dataset deleted and created again) moves on to the next generation.
    private func startJob(
        _ address: ResourceAddress, dataset: StateEntry, dataImport: DatasetImport, contentHash: String
    ) async throws -> String {
        var generation = dataset.count(StateEntry.Key.importGeneration)
        let location = try await context.inputLocation(
            dataImport.source, path: dataImport.path, contentHash: contentHash, at: dataImport.location, for: address)
        context.emit(.step(address, "importing \(dataImport.source) (\(dataImport.mode))"))
        while true {
            generation += 1
            let name = "\(address.name.prefix(40))-\(contentHash.dropFirst("sha256:".count).prefix(8))-\(generation)"
            try await context.recorder.update(address) { entry in
                entry?.attributes[StateEntry.Key.importGeneration] = .int(generation)
                entry?.attributes[StateEntry.Key.pendingImport] = .map([
                    "jobName": .string(name), "contentHash": .string(contentHash),
                ])
            }
            let response: CreateDatasetImportJobResponse
            do {
                response = try await context.service.send(
                    CreateDatasetImportJobRequest(
                        jobName: name, datasetArn: dataset.arn, dataSource: DataSource(dataLocation: location),
                        roleArn: context.role(dataImport.roleArn), importMode: ImportMode(rawValue: dataImport.mode)))
            } catch let error as PersonalizeError where error.code == .resourceAlreadyExistsException {
                if generation > dataset.count(StateEntry.Key.importGeneration) + 100 { throw error }
                continue
            }
            let arn = try DriverError.require(response.datasetImportJobArn, address, "CreateDatasetImportJob")
            try await context.recorder.update(address) { entry in
                entry?.attributes[StateEntry.Key.pendingImport] = .map([
                    "jobName": .string(name), "contentHash": .string(contentHash), "jobArn": .string(arn),
                ])
            }
            return arn
        }
    }

    private func observeJob(_ arn: String) async throws -> Observation? {
        try await EngineCalls.observation(
            DescribeDatasetImportJobRequest(datasetImportJobArn: arn), service: context.service)
    }
}
