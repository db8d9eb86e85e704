import EngineAPI
import Foundation
import PersonalizeRules

/// Reads an engine object's settings in manifest terms (names instead of ARNs, short recipe names,
/// normalised schemas and expressions), with the attributes apply would have recorded.
struct ImportReader {
    let service: any PersonalizeService
    let state: State

    struct Read {
        var fields: [String: SpecValue] = [:]
        var attributes: [String: SpecValue] = [:]
        var notes: [String] = []
    }

    func read(_ address: ResourceAddress, arn: String, desired: ManifestResource) async throws -> Read {
        var read = Read()
        switch desired.spec {
        case .datasetGroup:
            let group = try await service.send(DescribeDatasetGroupRequest(datasetGroupArn: arn)).datasetGroup
            read.fields["domain"] = group?.domain.map { .string($0.rawValue) }
        case .schema:
            let schema = try await service.send(DescribeSchemaRequest(schemaArn: arn)).schema
            read.fields["schema"] = schema?.schema.flatMap(AvroSchema.normalise)
            read.fields["domain"] = schema?.domain.map { .string($0.rawValue) }
        case .dataset(let spec):
            let dataset = try await service.send(DescribeDatasetRequest(datasetArn: arn)).dataset
            read.fields["type"] = dataset?.datasetType.map(SpecValue.string)
            read.fields["schema"] = dataset?.schemaArn.map { .string(Self.name($0)) }
            read.fields["datasetGroup"] = dataset?.datasetGroupArn.map { .string(Self.name($0)) }
            try await readImport(of: arn, spec: spec, into: &read)
        case .solution(let spec):
            try await readSolution(arn, spec: spec, into: &read)
        case .campaign:
            let campaign = try await service.send(DescribeCampaignRequest(campaignArn: arn)).campaign
            read.fields["solution"] = campaign?.solutionVersionArn.map { .string(Self.name($0)) }
            read.fields.merge(CampaignDriver.configFields(campaign?.campaignConfig)) { _, new in new }
        case .eventTracker:
            let tracker = try await service.send(DescribeEventTrackerRequest(eventTrackerArn: arn)).eventTracker
            read.fields["datasetGroup"] = tracker?.datasetGroupArn.map { .string(Self.name($0)) }
        case .filter:
            let filter = try await service.send(DescribeFilterRequest(filterArn: arn)).filter
            read.fields["datasetGroup"] = filter?.datasetGroupArn.map { .string(Self.name($0)) }
            read.fields["expression"] = filter?.filterExpression.map { .string(FilterExpressionText.normalised($0)) }
        case .datasetExport(let spec):
            let job = try await service.send(DescribeDatasetExportJobRequest(datasetExportJobArn: arn)).datasetExportJob
            read.fields["ingestionMode"] = job?.ingestionMode.map { .string($0.rawValue) }
            if let path = job?.jobOutput?.s3DataDestination.path {
                read.fields["output"] = path == spec.output.path ? spec.output.value : .string(path)
            }
        case .dataDeletion(let spec):
            let job = try await service.send(DescribeDataDeletionJobRequest(dataDeletionJobArn: arn)).dataDeletionJob
            read.fields["datasetGroup"] = job?.datasetGroupArn.map { .string(Self.name($0)) }
            if let location = job?.dataSource?.dataLocation, location != spec.path {
                read.fields["source"] = .string(location)
            } else if let hash = try? SpecHash.ofFile(atPath: spec.path) {
                read.fields["contentHash"] = .string(hash)
                read.notes.append("assumed \(spec.source) holds what the job deleted (its content is not recorded)")
            }
        case .recommender:
            let recommender = try await service.send(DescribeRecommenderRequest(recommenderArn: arn)).recommender
            read.fields["datasetGroup"] = recommender?.datasetGroupArn.map { .string(Self.name($0)) }
            read.fields["recipe"] = recommender?.recipeArn.flatMap(DomainUseCase.normalise).map(SpecValue.string)
        case .metricAttribution(let spec):
            try await readMetricAttribution(arn, spec: spec, into: &read)
        case .batchInferenceJob, .batchSegmentJob:
            try await readBatchJob(arn, desired: desired, into: &read)
        }
        return read
    }

    private func readSolution(_ arn: String, spec: SolutionSpec, into read: inout Read) async throws {
        let solution = try await service.send(DescribeSolutionRequest(solutionArn: arn)).solution
        read.fields["datasetGroup"] = solution?.datasetGroupArn.map { .string(Self.name($0)) }
        read.fields["recipe"] = solution?.recipeArn.flatMap(BuiltInRecipe.normalise).map(SpecValue.string)
        read.fields["eventType"] = solution?.eventType.map(SpecValue.string)
        let config = solution?.solutionConfig
        read.fields["eventValueThreshold"] = config?.eventValueThreshold.map(SpecValue.string)
        read.fields["hyperParameters"] = config?.algorithmHyperParameters.map { .map($0.mapValues(SpecValue.string)) }
        read.fields["performAutoTraining"] = solution?.performAutoTraining.map(SpecValue.bool)
        read.fields["autoTraining"] = config?.autoTrainingConfig?.schedulingExpression.map {
            .map(["schedule": .string($0)])
        }
        if solution?.performHPO == true {
            read.fields["hpo"] = SolutionSpec.HPOSpec(config?.hpoConfig).value
        }
        if let objective = config?.optimizationObjective {
            var map: [String: SpecValue] = [:]
            map["itemAttribute"] = objective.itemAttribute.map(SpecValue.string)
            map["objectiveSensitivity"] = objective.objectiveSensitivity.map { .string($0.rawValue) }
            read.fields["optimizationObjective"] = .map(map)
        }
        read.fields["trainingDataConfig"] = config?.trainingDataConfig?.excludedDatasetColumns.map {
            RecommenderSpec.trainingDataConfig($0)
        }
        read.fields["featureTransformationParameters"] = config?.featureTransformationParameters.map {
            .map($0.mapValues(SpecValue.string))
        }
        if let version = try await Planner.newestActiveVersion(of: arn, service: service) {
            read.attributes[StateEntry.Key.solutionVersionArn] = .string(version)
        }
        var trainedOn: [String: SpecValue] = [:]
        for (address, entry) in state.resources where address.kind == .dataset {
            guard entry.spec["datasetGroup"] == .string(spec.datasetGroup) else { continue }
            trainedOn[address.description] = entry.attributes[StateEntry.Key.importJobArn]
        }
        read.attributes[StateEntry.Key.trainedImports] = .map(trainedOn)
        if trainedOn.isEmpty {
            read.notes.append("import the group's datasets before the solution, so their data counts as trained on")
        }
    }

    /// The dataset's newest ACTIVE import job; when it read the file the manifest imports, the file's current
    /// hash is recorded as imported (the next plan re-imports only if the file changes).
    private func readImport(of arn: String, spec: DatasetSpec, into read: inout Read) async throws {
        let jobs = try await EngineCalls.all(ListDatasetImportJobsRequest(datasetArn: arn), service: service)
        let active = jobs.filter { $0.status == Status.active }
        let newest =
            active.allSatisfy { $0.creationDateTime != nil }
            ? active.max { ($0.creationDateTime ?? .distantPast) < ($1.creationDateTime ?? .distantPast) }
            : active.first
        guard let jobArn = newest?.datasetImportJobArn else { return }
        read.attributes[StateEntry.Key.importJobArn] = .string(jobArn)
        guard let dataImport = spec.dataImport else { return }
        let job = try await service.send(DescribeDatasetImportJobRequest(datasetImportJobArn: jobArn))
        let location = job.datasetImportJob?.dataSource?.dataLocation
        if location == dataImport.path || location == "file://" + dataImport.path,
            let hash = try? SpecHash.ofFile(atPath: dataImport.path)
        {
            read.attributes[StateEntry.Key.importContentHash] = .string(hash)
            read.attributes[StateEntry.Key.importSource] = .string(dataImport.source)
            read.notes.append("assumed \(dataImport.source) is unchanged since \(jobArn) imported it")
        } else {
            read.notes.append(
                "the last import read \(location ?? "another source"), not \(dataImport.source): the next apply "
                    + "imports it")
        }
    }

    /// The name in an ARN: `solution/top-picks/abc` → `top-picks`.
    static func name(_ arn: String) -> String {
        guard let parsed = ARN(arn) else { return arn }
        return String(parsed.resource.split(separator: "/").first ?? Substring(parsed.resource))
    }
}
