import EngineAPI
import PersonalizeRules

/// Dataset export jobs: one job per spec (named after the spec's hash, so an earlier job with the same spec
/// is adopted rather than run again); waited for until ACTIVE; never deleted in the engine.
struct DatasetExportDriver: ResourceDriver {
    func observe(arn: String, service: any PersonalizeService) async throws -> Observation? {
        let response = try await EngineCalls.describe {
            try await service.send(DescribeDatasetExportJobRequest(datasetExportJobArn: arn))
        }
        guard let job = response?.datasetExportJob else { return nil }
        var attributes: [String: SpecValue] = [:]
        attributes[StateEntry.Key.exportPath] = job.jobOutput.map { .string($0.s3DataDestination.path) }
        return Observation(status: ResourceStatus(job.status), failureReason: job.failureReason, attributes: attributes)
    }

    func create(_ resource: ManifestResource, context: ApplyContext) async throws -> String {
        guard case .datasetExport(let spec) = resource.spec else { throw DriverError.wrongKind(resource.address) }
        let dataset = try await context.arn(of: ResourceAddress(.dataset, spec.dataset), for: resource.address)
        context.emit(.step(resource.address, "exporting \(spec.dataset) (\(spec.ingestionMode)) to \(spec.output)"))
        return try await JobNames.run(Self.jobName(resource), address: resource.address, context: context) { name in
            let response = try await context.service.send(
                CreateDatasetExportJobRequest(
                    jobName: name, datasetArn: dataset, ingestionMode: IngestionMode(rawValue: spec.ingestionMode),
                    roleArn: JobNames.localRole,
                    jobOutput: DatasetExportJobOutput(s3DataDestination: S3DataConfig(path: spec.outputPath)),
                    tags: EngineCalls.tags(resource)))
            return try DriverError.require(response.datasetExportJobArn, resource.address, "CreateDatasetExportJob")
        } existing: { name in
            try await jobs(of: dataset, context: context).first { $0.jobName == name }?.datasetExportJobArn
        }
    }

    func find(_ resource: ManifestResource, context: ApplyContext) async throws -> String? {
        guard case .datasetExport(let spec) = resource.spec,
            let dataset = await context.recorder.entry(ResourceAddress(.dataset, spec.dataset))
        else { return nil }
        let name = Self.jobName(resource)
        return try await jobs(of: dataset.arn, context: context).first { $0.jobName == name }?.datasetExportJobArn
    }

    private func jobs(of dataset: String, context: ApplyContext) async throws -> [DatasetExportJobSummary] {
        try await EngineCalls.allPages { token in
            let page = try await context.service.send(
                ListDatasetExportJobsRequest(datasetArn: dataset, nextToken: token))
            return (page.datasetExportJobs ?? [], page.nextToken)
        }
    }

    func update(_ change: ResourceChange, arn: String, context: ApplyContext) async throws {
        try await EngineCalls.syncTags(change, arn: arn, service: context.service)
    }

    func delete(arn: String, service: any PersonalizeService) async throws {}

    /// `NAME-<8 hex digits of the spec's hash>`: the same spec gives the same job.
    static func jobName(_ resource: ManifestResource) -> String {
        JobNames.name(resource.address.name, hash: SpecHash.of(resource.spec.fields))
    }
}

/// Data deletion jobs: one job per content of the CSV file (named after its hash); waited for until
/// COMPLETED; never deleted in the engine.
struct DataDeletionDriver: ResourceDriver {
    func observe(arn: String, service: any PersonalizeService) async throws -> Observation? {
        let response = try await EngineCalls.describe {
            try await service.send(DescribeDataDeletionJobRequest(dataDeletionJobArn: arn))
        }
        guard let job = response?.dataDeletionJob else { return nil }
        var attributes: [String: SpecValue] = [:]
        attributes[StateEntry.Key.numDeleted] = job.numDeleted.map(SpecValue.int)
        let status = job.status == "COMPLETED" ? ResourceStatus.active : ResourceStatus(job.status)
        return Observation(status: status, failureReason: job.failureReason, attributes: attributes)
    }

    func create(_ resource: ManifestResource, context: ApplyContext) async throws -> String {
        guard case .dataDeletion(let spec) = resource.spec else { throw DriverError.wrongKind(resource.address) }
        let group = try await context.arn(of: ResourceAddress(.datasetGroup, spec.datasetGroup), for: resource.address)
        if let planned = spec.contentHash, (try? SpecHash.ofFile(atPath: spec.path)) != planned {
            throw PlannerError.importChangedSincePlan(address: resource.address, path: spec.path)
        }
        context.emit(.step(resource.address, "deleting the users listed in \(spec.source)"))
        let base = Self.jobName(resource, spec: spec)
        return try await JobNames.run(base, address: resource.address, context: context) { name in
            let response = try await context.service.send(
                CreateDataDeletionJobRequest(
                    jobName: name, datasetGroupArn: group, dataSource: DataSource(dataLocation: spec.path),
                    roleArn: JobNames.localRole, tags: EngineCalls.tags(resource)))
            return try DriverError.require(response.dataDeletionJobArn, resource.address, "CreateDataDeletionJob")
        } existing: { name in
            try await jobs(of: group, context: context).first { $0.jobName == name }?.dataDeletionJobArn
        }
    }

    func find(_ resource: ManifestResource, context: ApplyContext) async throws -> String? {
        guard case .dataDeletion(let spec) = resource.spec,
            let group = await context.recorder.entry(ResourceAddress(.datasetGroup, spec.datasetGroup))
        else { return nil }
        let name = Self.jobName(resource, spec: spec)
        return try await jobs(of: group.arn, context: context).first { $0.jobName == name }?.dataDeletionJobArn
    }

    private func jobs(of group: String, context: ApplyContext) async throws -> [DataDeletionJobSummary] {
        try await EngineCalls.allPages { token in
            let page = try await context.service.send(
                ListDataDeletionJobsRequest(datasetGroupArn: group, nextToken: token))
            return (page.dataDeletionJobs ?? [], page.nextToken)
        }
    }

    func update(_ change: ResourceChange, arn: String, context: ApplyContext) async throws {
        try await EngineCalls.syncTags(change, arn: arn, service: context.service)
    }

    func delete(arn: String, service: any PersonalizeService) async throws {}

    /// `NAME-<8 hex digits of the file's hash>`: the same content gives the same job.
    static func jobName(_ resource: ManifestResource, spec: DataDeletionSpec) -> String {
        JobNames.name(resource.address.name, hash: spec.contentHash ?? SpecHash.of(resource.spec.fields))
    }
}

/// Names and settings the job drivers share.
enum JobNames {
    /// The role jobs are created with: the local engine ignores it (Amazon Personalize needs a real role,
    /// which a later version can take from the spec).
    static let localRole = "arn:aws:iam::000000000000:role/tailor-local"

    /// Creates the job named `base`, or adopts the job of that name an earlier run created (same spec or
    /// content: its result stands). A failed job of that name is not retried under it: the run moves on to
    /// `base-2`, `base-3`, ...
    static func run(
        _ base: String, address: ResourceAddress, context: ApplyContext,
        create: (String) async throws -> String, existing: (String) async throws -> String?
    ) async throws -> String {
        for attempt in 1...20 {
            let name = attempt == 1 ? base : "\(base)-\(attempt)"
            do {
                return try await create(name)
            } catch let error as PersonalizeError where error.code == .resourceAlreadyExistsException {
                guard let arn = try await existing(name) else { throw error }
                let observed = try await address.kind.driver.observe(arn: arn, service: context.service)
                if case .failed? = observed?.status { continue }
                context.emit(.step(address, "adopting the job \(name), which ran with the same input"))
                return arn
            }
        }
        throw PlannerError.engine(
            address: address, operation: "create", reason: "20 jobs named \(base)[-N] failed; see the engine's log")
    }

    /// `NAME-HASH8`, within the service's 63 characters.
    static func name(_ name: String, hash: String) -> String {
        let digits = hash.hasPrefix("sha256:") ? hash.dropFirst("sha256:".count) : Substring(hash)
        return "\(name.prefix(50))-\(digits.prefix(8))"
    }
}
