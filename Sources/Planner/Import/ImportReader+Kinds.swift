import EngineAPI

/// Metric attributions and batch jobs in manifest terms.
extension ImportReader {
    func readMetricAttribution(_ arn: String, spec: MetricAttributionSpec, into read: inout Read) async throws {
        let attribution = try await service.send(DescribeMetricAttributionRequest(metricAttributionArn: arn))
            .metricAttribution
        read.fields["datasetGroup"] = attribution?.datasetGroupArn.map { .string(Self.name($0)) }
        guard let output = attribution?.metricsOutputConfig else { return }
        var fields: [String: SpecValue] = ["roleArn": .string(output.roleArn)]
        if let path = output.s3DataDestination?.path {
            fields["path"] = .string(path == spec.outputPath ? spec.output ?? path : path)
        }
        read.fields["output"] = .map(fields)
    }

    /// A batch inference or segment job: its solution, input, output and settings, the version it ran on, and
    /// (when it read the manifest's input) the input's current content hash.
    func readBatchJob(_ arn: String, desired: ManifestResource, into read: inout Read) async throws {
        guard let spec = desired.spec.batchJob else { return }
        var job: (version: String?, input: String?, output: String?, numResults: Int?, filter: String?)
        if case .batchInferenceJob = desired.spec {
            let described = try await service.send(DescribeBatchInferenceJobRequest(batchInferenceJobArn: arn))
                .batchInferenceJob
            job = (
                described?.solutionVersionArn, described?.jobInput?.s3DataSource.path,
                described?.jobOutput?.s3DataDestination.path, described?.numResults, described?.filterArn
            )
            var config: [String: SpecValue] = [:]
            let written = described?.batchInferenceJobConfig
            config["itemExplorationConfig"] = written?.itemExplorationConfig.map {
                .map($0.mapValues(SpecValue.string))
            }
            config["rankingInfluence"] = written?.rankingInfluence.map { .map($0.mapValues(SpecValue.double)) }
            if !config.isEmpty { read.fields["batchInferenceJobConfig"] = .map(config) }
        } else {
            let described = try await service.send(DescribeBatchSegmentJobRequest(batchSegmentJobArn: arn))
                .batchSegmentJob
            job = (
                described?.solutionVersionArn, described?.jobInput?.s3DataSource.path,
                described?.jobOutput?.s3DataDestination.path, described?.numResults, described?.filterArn
            )
        }
        read.fields["solution"] = job.version.map { .string(Self.name($0)) }
        read.fields["solutionVersion"] = job.version.map(SpecValue.string)
        read.fields["numResults"] = job.numResults.map(SpecValue.int)
        read.fields["filter"] = job.filter.map { .string(Self.name($0)) }
        if let output = job.output {
            read.fields["output"] = output == spec.output.path ? spec.output.value : .string(output)
        }
        guard let input = job.input, input == spec.inputPath || input == "file://" + spec.inputPath else {
            read.fields["input"] = job.input.map(SpecValue.string)
            return
        }
        read.fields["input"] = .string(spec.input)
        if let hash = try? BatchJob.contentHash(atPath: spec.inputPath) {
            read.fields["contentHash"] = .string(hash)
            read.notes.append("assumed \(spec.input) is unchanged since the job read it")
        }
    }
}
