import EngineAPI
import PersonalizeRules

/// Batch inference and batch segment jobs: one job per spec, input content and solution version (named after
/// their hash, so a job an interrupted apply started is adopted rather than run again); waited for until ACTIVE;
/// never deleted in the engine. The two kinds differ only in their API's types.
struct BatchJobDriver: JobDriver {
    enum Kind {
        /// Batch inference jobs (``ResourceKind/batchInferenceJob``).
        case inference
        /// Batch segment jobs (``ResourceKind/batchSegmentJob``), for item-affinity solutions.
        case segment
    }

    let kind: Kind

    func observe(arn: String, service: any PersonalizeService) async throws -> Observation? {
        switch kind {
        case .inference:
            try await EngineCalls.resource(
                DescribeBatchInferenceJobRequest(batchInferenceJobArn: arn), service: service
            )
            .map(BatchJobs.observation)
        case .segment:
            try await EngineCalls.resource(DescribeBatchSegmentJobRequest(batchSegmentJobArn: arn), service: service)
                .map(BatchJobs.observation)
        }
    }

    func completing(_ resource: ManifestResource, context: ApplyContext) async throws -> ManifestResource {
        try await BatchJobs.completing(resource, context: context)
    }

    func create(_ resource: ManifestResource, context: ApplyContext) async throws -> String {
        guard let spec = resource.spec.batchJob else { throw DriverError.wrongKind(resource.address) }
        let (job, version, filter) = try await BatchJobs.prepare(resource, spec, context: context)
        let input = try await context.inputLocation(
            job.input, path: job.inputPath, contentHash: job.contentHash ?? "", at: resource.location,
            for: resource.address)
        return try await JobNames.run(BatchJobs.jobName(resource), address: resource.address, context: context) {
            name in
            try await createJob(
                named: name, job, input: input, version: version, filter: filter, resource: resource,
                context: context)
        } existing: { name in
            try await arn(named: name, under: version, service: context.service)
        }
    }

    /// Sends the Create request for the job called `name`, of the prepared `job` reading `input` on solution
    /// version `version` through `filter`, and returns its ARN.
    private func createJob(
        named name: String, _ job: BatchJob, input: String, version: String, filter: String?,
        resource: ManifestResource, context: ApplyContext
    ) async throws -> String {
        let input = S3DataConfig(path: input)
        let output = S3DataConfig(path: context.outputLocation(job.output, jobName: name))
        let role = context.role(job.roleArn)
        switch (kind, resource.spec) {
        case (.inference, .batchInferenceJob(let spec)):
            var config: BatchInferenceJobConfig?
            if spec.itemExplorationConfig != nil || spec.rankingInfluence != nil {
                config = BatchInferenceJobConfig(
                    itemExplorationConfig: spec.itemExplorationConfig, rankingInfluence: spec.rankingInfluence)
            }
            let response = try await context.service.send(
                CreateBatchInferenceJobRequest(
                    jobName: name, solutionVersionArn: version, filterArn: filter, numResults: job.numResults,
                    jobInput: BatchInferenceJobInput(s3DataSource: input),
                    jobOutput: BatchInferenceJobOutput(s3DataDestination: output), roleArn: role,
                    batchInferenceJobConfig: config, tags: EngineCalls.tags(resource)))
            return try DriverError.require(response.batchInferenceJobArn, resource.address, "CreateBatchInferenceJob")
        case (.segment, .batchSegmentJob):
            let response = try await context.service.send(
                CreateBatchSegmentJobRequest(
                    jobName: name, solutionVersionArn: version, filterArn: filter, numResults: job.numResults,
                    jobInput: BatchSegmentJobInput(s3DataSource: input),
                    jobOutput: BatchSegmentJobOutput(s3DataDestination: output), roleArn: role,
                    tags: EngineCalls.tags(resource)))
            return try DriverError.require(response.batchSegmentJobArn, resource.address, "CreateBatchSegmentJob")
        default:
            throw DriverError.wrongKind(resource.address)
        }
    }

    /// Downloads what the job wrote, when the manifest asks for it (``JobOutput``).
    func finish(_ resource: ManifestResource, observation: Observation?, context: ApplyContext) async throws {
        guard let job = resource.spec.batchJob else { return }
        try await context.downloadOutput(
            job.output, from: observation?.attributes[StateEntry.Key.outputPath]?.stringValue, for: resource.address)
    }

    func find(_ resource: ManifestResource, context: ApplyContext) async throws -> String? {
        guard let version = resource.spec.batchJob?.solutionVersion else { return nil }
        return try await arn(named: BatchJobs.jobName(resource), under: version, service: context.service)
    }

    func jobs(under version: String, service: any PersonalizeService) async throws -> [any ListedResource] {
        switch kind {
        case .inference:
            try await EngineCalls.all(ListBatchInferenceJobsRequest(solutionVersionArn: version), service: service)
        case .segment:
            try await EngineCalls.all(ListBatchSegmentJobsRequest(solutionVersionArn: version), service: service)
        }
    }
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
        let current =
            job.inputPath.hasPrefix("s3://")
            ? try await Planner.identity(
                job.inputPath, of: .batchInput, at: resource.location, objects: context.objects)
            : try? BatchJob.contentHash(atPath: job.inputPath)
        if let planned = job.contentHash, current != planned {
            throw PlannerError.importChangedSincePlan(address: resource.address, path: job.inputPath)
        }
        var job = job
        job.contentHash = job.contentHash ?? current
        var filter: String?
        if let name = job.filter {
            filter = try await context.arn(of: ResourceAddress(.filter, name), for: resource.address)
        }
        context.emit(.step(resource.address, "running \(job.input) through \(version) into \(job.output.written)"))
        return (job, version, filter)
    }

    /// A described job as apply sees it; state records the folder it wrote to and the version it ran on.
    static func observation(_ job: some DescribedBatchJob) -> Observation {
        var attributes: [String: SpecValue] = [:]
        attributes[StateEntry.Key.outputPath] = job.outputDestination.map { .string($0.path) }
        attributes[StateEntry.Key.solutionVersionArn] = job.solutionVersionArn.map(SpecValue.string)
        return Observation(job, attributes: attributes)
    }

    /// `NAME-<8 hex digits of the spec's hash>`: the same spec, input and version give the same job.
    static func jobName(_ resource: ManifestResource) -> String {
        JobNames.name(resource.address.name, hash: SpecHash.of(resource.spec.fields))
    }
}

/// A batch inference or batch segment job as Describe returns it: what apply observes of either.
protocol DescribedBatchJob: StatusReporting {
    var solutionVersionArn: String? { get }
    /// Where the job writes its output.
    var outputDestination: S3DataConfig? { get }
}

extension BatchInferenceJob: DescribedBatchJob {
    var outputDestination: S3DataConfig? { jobOutput?.s3DataDestination }
}

extension BatchSegmentJob: DescribedBatchJob {
    var outputDestination: S3DataConfig? { jobOutput?.s3DataDestination }
}
