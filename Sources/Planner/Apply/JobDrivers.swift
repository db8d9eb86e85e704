import EngineAPI
import PersonalizeRules

/// Dataset export jobs: one job per spec (named after the spec's hash, so an earlier job with the same spec
/// is adopted rather than run again); waited for until ACTIVE; never deleted in the engine.
struct DatasetExportDriver: JobDriver, DescribedDriver {
    func describing(_ arn: String) -> DescribeDatasetExportJobRequest {
        DescribeDatasetExportJobRequest(datasetExportJobArn: arn)
    }

    func observation(of job: DatasetExportJob, arn: String) -> Observation {
        var attributes: [String: SpecValue] = [:]
        attributes[StateEntry.Key.exportPath] = job.jobOutput.map { .string($0.s3DataDestination.path) }
        return Observation(job, attributes: attributes)
    }

    func create(_ resource: ManifestResource, context: ApplyContext) async throws -> String {
        guard case .datasetExport(let spec) = resource.spec else { throw DriverError.wrongKind(resource.address) }
        let dataset = try await context.arn(of: ResourceAddress(.dataset, spec.dataset), for: resource.address)
        context.emit(
            .step(resource.address, "exporting \(spec.dataset) (\(spec.ingestionMode)) to \(spec.output.written)"))
        return try await JobNames.run(Self.jobName(resource), address: resource.address, context: context) { name in
            let response = try await context.service.send(
                CreateDatasetExportJobRequest(
                    jobName: name, datasetArn: dataset, ingestionMode: IngestionMode(rawValue: spec.ingestionMode),
                    roleArn: context.role(spec.roleArn),
                    jobOutput: DatasetExportJobOutput(
                        s3DataDestination: S3DataConfig(path: context.outputLocation(spec.output, jobName: name))),
                    tags: EngineCalls.tags(resource)))
            return try DriverError.require(response.datasetExportJobArn, resource.address, "CreateDatasetExportJob")
        } existing: { name in
            try await arn(named: name, under: dataset, service: context.service)
        }
    }

    /// Downloads the exported files, when the manifest asks for it (``JobOutput``).
    func finish(_ resource: ManifestResource, observation: Observation?, context: ApplyContext) async throws {
        guard case .datasetExport(let spec) = resource.spec else { return }
        try await context.downloadOutput(
            spec.output, from: observation?.attributes[StateEntry.Key.exportPath]?.stringValue, for: resource.address)
    }

    func find(_ resource: ManifestResource, context: ApplyContext) async throws -> String? {
        guard case .datasetExport(let spec) = resource.spec else { return nil }
        return try await arn(
            named: Self.jobName(resource), under: ResourceAddress(.dataset, spec.dataset), context: context)
    }

    func jobs(under dataset: String, service: any PersonalizeService) async throws -> [any ListedResource] {
        try await EngineCalls.all(ListDatasetExportJobsRequest(datasetArn: dataset), service: service)
    }

    /// `NAME-<8 hex digits of the spec's hash>`: the same spec gives the same job.
    static func jobName(_ resource: ManifestResource) -> String {
        JobNames.name(resource.address.name, hash: SpecHash.of(resource.spec.fields))
    }
}

/// Data deletion jobs: one job per content of the CSV file (named after its hash); waited for until
/// COMPLETED; never deleted in the engine.
struct DataDeletionDriver: JobDriver, DescribedDriver {
    func describing(_ arn: String) -> DescribeDataDeletionJobRequest {
        DescribeDataDeletionJobRequest(dataDeletionJobArn: arn)
    }

    func observation(of job: DataDeletionJob, arn: String) -> Observation {
        var attributes: [String: SpecValue] = [:]
        attributes[StateEntry.Key.numDeleted] = job.numDeleted.map(SpecValue.int)
        let status = job.status == "COMPLETED" ? ResourceStatus.active : ResourceStatus(job.status)
        return Observation(status: status, failureReason: job.failureReason, attributes: attributes)
    }

    func create(_ resource: ManifestResource, context: ApplyContext) async throws -> String {
        guard case .dataDeletion(let spec) = resource.spec else { throw DriverError.wrongKind(resource.address) }
        let group = try await context.arn(of: ResourceAddress(.datasetGroup, spec.datasetGroup), for: resource.address)
        let current =
            spec.path.hasPrefix("s3://")
            ? try await Planner.identity(spec.path, of: .deletion, at: resource.location, objects: context.objects)
            : try? SpecHash.ofFile(atPath: spec.path)
        if let planned = spec.contentHash, current != planned {
            throw PlannerError.importChangedSincePlan(address: resource.address, path: spec.path)
        }
        context.emit(.step(resource.address, "deleting the users listed in \(spec.source)"))
        let base = Self.jobName(resource, spec: spec)
        let location = try await context.inputLocation(
            spec.source, path: spec.path, contentHash: spec.contentHash ?? current ?? "", at: resource.location,
            for: resource.address)
        return try await JobNames.run(base, address: resource.address, context: context) { name in
            let response = try await context.service.send(
                CreateDataDeletionJobRequest(
                    jobName: name, datasetGroupArn: group, dataSource: DataSource(dataLocation: location),
                    roleArn: context.role(spec.roleArn), tags: EngineCalls.tags(resource)))
            return try DriverError.require(response.dataDeletionJobArn, resource.address, "CreateDataDeletionJob")
        } existing: { name in
            try await arn(named: name, under: group, service: context.service)
        }
    }

    func find(_ resource: ManifestResource, context: ApplyContext) async throws -> String? {
        guard case .dataDeletion(let spec) = resource.spec else { return nil }
        let group = ResourceAddress(.datasetGroup, spec.datasetGroup)
        return try await arn(named: Self.jobName(resource, spec: spec), under: group, context: context)
    }

    func jobs(under group: String, service: any PersonalizeService) async throws -> [any ListedResource] {
        try await EngineCalls.all(ListDataDeletionJobsRequest(datasetGroupArn: group), service: service)
    }

    /// `NAME-<8 hex digits of the file's hash>`: the same content gives the same job.
    static func jobName(_ resource: ManifestResource, spec: DataDeletionSpec) -> String {
        JobNames.name(resource.address.name, hash: spec.contentHash ?? SpecHash.of(resource.spec.fields))
    }
}
