import EngineAPI
import PersonalizeRules

/// Batch inference jobs: one job per spec, input content and solution version (named after their hash, so a
/// job an interrupted apply started is adopted rather than run again); waited for until ACTIVE; never
/// deleted in the engine.
struct BatchInferenceJobDriver: ResourceDriver {
    func observe(arn: String, service: any PersonalizeService) async throws -> Observation? {
        let response = try await EngineCalls.describe {
            try await service.send(DescribeBatchInferenceJobRequest(batchInferenceJobArn: arn))
        }
        guard let job = response?.batchInferenceJob else { return nil }
        return Observation(
            status: ResourceStatus(job.status), failureReason: job.failureReason,
            attributes: BatchJobs.attributes(
                output: job.jobOutput?.s3DataDestination.path, version: job.solutionVersionArn))
    }

    func completing(_ resource: ManifestResource, context: ApplyContext) async throws -> ManifestResource {
        try await BatchJobs.completing(resource, context: context)
    }

    func create(_ resource: ManifestResource, context: ApplyContext) async throws -> String {
        guard case .batchInferenceJob(let spec) = resource.spec else { throw DriverError.wrongKind(resource.address) }
        let (job, version, filter) = try await BatchJobs.prepare(resource, spec.job, context: context)
        var config: BatchInferenceJobConfig?
        if spec.itemExplorationConfig != nil || spec.rankingInfluence != nil {
            config = BatchInferenceJobConfig(
                itemExplorationConfig: spec.itemExplorationConfig, rankingInfluence: spec.rankingInfluence)
        }
        return try await JobNames.run(BatchJobs.jobName(resource), address: resource.address, context: context) {
            name in
            let response = try await context.service.send(
                CreateBatchInferenceJobRequest(
                    jobName: name, solutionVersionArn: version, filterArn: filter, numResults: job.numResults,
                    jobInput: BatchInferenceJobInput(s3DataSource: S3DataConfig(path: job.inputPath)),
                    jobOutput: BatchInferenceJobOutput(s3DataDestination: S3DataConfig(path: job.outputPath)),
                    roleArn: job.roleArn ?? JobNames.localRole, batchInferenceJobConfig: config,
                    tags: EngineCalls.tags(resource)))
            return try DriverError.require(response.batchInferenceJobArn, resource.address, "CreateBatchInferenceJob")
        } existing: { name in
            try await arn(named: name, version: version, context: context)
        }
    }

    func find(_ resource: ManifestResource, context: ApplyContext) async throws -> String? {
        guard let version = resource.spec.batchJob?.solutionVersion else { return nil }
        return try await arn(named: BatchJobs.jobName(resource), version: version, context: context)
    }

    /// The ARN of the job called `name` of solution version `version`, if the engine has one.
    private func arn(named name: String, version: String, context: ApplyContext) async throws -> String? {
        try await jobs(of: version, context: context).first { $0.jobName == name }?.batchInferenceJobArn
    }

    private func jobs(of version: String, context: ApplyContext) async throws -> [BatchInferenceJobSummary] {
        try await EngineCalls.allPages { token in
            let page = try await context.service.send(
                ListBatchInferenceJobsRequest(solutionVersionArn: version, nextToken: token))
            return (page.batchInferenceJobs ?? [], page.nextToken)
        }
    }

    func update(_ change: ResourceChange, arn: String, context: ApplyContext) async throws {
        try await EngineCalls.syncTags(change, arn: arn, service: context.service)
    }

    func delete(arn: String, service: any PersonalizeService) async throws {}
}

/// Batch segment jobs: like ``BatchInferenceJobDriver``, for item-affinity solutions.
struct BatchSegmentJobDriver: ResourceDriver {
    func observe(arn: String, service: any PersonalizeService) async throws -> Observation? {
        let response = try await EngineCalls.describe {
            try await service.send(DescribeBatchSegmentJobRequest(batchSegmentJobArn: arn))
        }
        guard let job = response?.batchSegmentJob else { return nil }
        return Observation(
            status: ResourceStatus(job.status), failureReason: job.failureReason,
            attributes: BatchJobs.attributes(
                output: job.jobOutput?.s3DataDestination.path, version: job.solutionVersionArn))
    }

    func completing(_ resource: ManifestResource, context: ApplyContext) async throws -> ManifestResource {
        try await BatchJobs.completing(resource, context: context)
    }

    func create(_ resource: ManifestResource, context: ApplyContext) async throws -> String {
        guard case .batchSegmentJob(let spec) = resource.spec else { throw DriverError.wrongKind(resource.address) }
        let (job, version, filter) = try await BatchJobs.prepare(resource, spec.job, context: context)
        return try await JobNames.run(BatchJobs.jobName(resource), address: resource.address, context: context) {
            name in
            let response = try await context.service.send(
                CreateBatchSegmentJobRequest(
                    jobName: name, solutionVersionArn: version, filterArn: filter, numResults: job.numResults,
                    jobInput: BatchSegmentJobInput(s3DataSource: S3DataConfig(path: job.inputPath)),
                    jobOutput: BatchSegmentJobOutput(s3DataDestination: S3DataConfig(path: job.outputPath)),
                    roleArn: job.roleArn ?? JobNames.localRole, tags: EngineCalls.tags(resource)))
            return try DriverError.require(response.batchSegmentJobArn, resource.address, "CreateBatchSegmentJob")
        } existing: { name in
            try await arn(named: name, version: version, context: context)
        }
    }

    func find(_ resource: ManifestResource, context: ApplyContext) async throws -> String? {
        guard let version = resource.spec.batchJob?.solutionVersion else { return nil }
        return try await arn(named: BatchJobs.jobName(resource), version: version, context: context)
    }

    /// The ARN of the job called `name` of solution version `version`, if the engine has one.
    private func arn(named name: String, version: String, context: ApplyContext) async throws -> String? {
        try await jobs(of: version, context: context).first { $0.jobName == name }?.batchSegmentJobArn
    }

    private func jobs(of version: String, context: ApplyContext) async throws -> [BatchSegmentJobSummary] {
        try await EngineCalls.allPages { token in
            let page = try await context.service.send(
                ListBatchSegmentJobsRequest(solutionVersionArn: version, nextToken: token))
            return (page.batchSegmentJobs ?? [], page.nextToken)
        }
    }

    func update(_ change: ResourceChange, arn: String, context: ApplyContext) async throws {
        try await EngineCalls.syncTags(change, arn: arn, service: context.service)
    }

    func delete(arn: String, service: any PersonalizeService) async throws {}
}

/// What the batch job drivers share.
enum BatchJobs {
    /// The resource with `solutionVersion` set to the version its solution has in state now (the plan may not
    /// have known it: the solution trained in this apply).
    ///
    /// - Throws: ``PlannerError/missingDependency(address:dependency:what:)`` when the solution has no trained
    ///   version.
    static func completing(_ resource: ManifestResource, context: ApplyContext) async throws -> ManifestResource {
        guard var job = resource.spec.batchJob else { return resource }
        let solution = ResourceAddress(.solution, job.solution)
        guard let entry = await context.recorder.entry(solution), entry.status == .ready,
            let version = entry.string(StateEntry.Key.solutionVersionArn)
        else {
            throw PlannerError.missingDependency(
                address: resource.address, dependency: solution, what: "trained version")
        }
        job.solutionVersion = version
        var completed = resource
        completed.spec.batchJob = job
        return completed
    }

    /// Checks the input is what was planned and resolves the version and the filter's ARN.
    static func prepare(_ resource: ManifestResource, _ job: BatchJob, context: ApplyContext) async throws
        -> (job: BatchJob, version: String, filter: String?)
    {
        let solution = ResourceAddress(.solution, job.solution)
        guard let version = job.solutionVersion else {
            throw PlannerError.missingDependency(
                address: resource.address, dependency: solution, what: "trained version")
        }
        if let planned = job.contentHash, (try? BatchJob.contentHash(atPath: job.inputPath)) != planned {
            throw PlannerError.importChangedSincePlan(address: resource.address, path: job.inputPath)
        }
        var filter: String?
        if let name = job.filter {
            filter = try await context.arn(of: ResourceAddress(.filter, name), for: resource.address)
        }
        context.emit(.step(resource.address, "running \(job.input) through \(version) into \(job.output)"))
        return (job, version, filter)
    }

    /// What state records of a job: the folder it wrote to and the version it ran on.
    static func attributes(output: String?, version: String?) -> [String: SpecValue] {
        var attributes: [String: SpecValue] = [:]
        attributes[StateEntry.Key.outputPath] = output.map(SpecValue.string)
        attributes[StateEntry.Key.solutionVersionArn] = version.map(SpecValue.string)
        return attributes
    }

    /// `NAME-<8 hex digits of the spec's hash>`: the same spec, input and version give the same job.
    static func jobName(_ resource: ManifestResource) -> String {
        JobNames.name(resource.address.name, hash: SpecHash.of(resource.spec.fields))
    }
}
