import EngineAPI
import Foundation

/// Event trackers, filters, export and deletion jobs, UpdateSolution and automatic training, in the fake.
extension FakePersonalize {
    /// `<solution>/$LATEST` resolved to the solution's newest ACTIVE version, any other ARN unchanged.
    func resolveVersion(_ arn: String) throws -> String {
        guard arn.hasSuffix("/$LATEST") else { return arn }
        let solution = String(arn.dropLast("/$LATEST".count))
        guard
            let newest = children(of: solution, type: "solution-version").last(where: { $0.resource.status == "ACTIVE" }
            )
        else { throw PersonalizeError.inUse("\(solution) has no ACTIVE version") }
        return newest.arn
    }

    /// What the engine's scheduler does: trains an ACTIVE AUTOTRAIN version and moves the campaigns that sync
    /// with their solution's latest version to it.
    @discardableResult
    package func autoTrain(_ solutionArn: String, metric: Double? = nil) -> String {
        var version = Resource(type: "solution-version", name: "auto", status: "ACTIVE", parents: [solutionArn])
        version.fields["mode"] = "AUTOTRAIN"
        let solutionName = resources[solutionArn]?.name ?? "?"
        let arn = arn("solution/\(solutionName)/\(nextIdentifier())")
        resources[arn] = version
        metrics[arn] = metric
        for (campaign, resource) in resources where resource.type == "campaign" && resource.fields["sync"] == "true" {
            if resource.parents.contains(solutionArn) { resources[campaign]?.fields["solutionVersionArn"] = arn }
        }
        return arn
    }

    /// Sets the offline metric GetSolutionMetrics reports for a version.
    package func setMetric(_ versionArn: String, _ value: Double) { metrics[versionArn] = value }

    func handleOthers(_ request: some PersonalizeOperation) throws -> (value: Any, label: String) {
        switch request {
        case let r as CreateEventTrackerRequest:
            var tracker = Resource(type: "event-tracker", name: r.name, parents: [r.datasetGroupArn])
            tracker.fields["trackingId"] = "tracking-\(nextIdentifier())"
            return try created("event-tracker/\(r.name)", tracker) {
                CreateEventTrackerResponse(eventTrackerArn: $0, trackingId: tracker.fields["trackingId"])
            }
        case let r as CreateFilterRequest:
            var filter = Resource(type: "filter", name: r.name, parents: [r.datasetGroupArn])
            filter.fields["expression"] = r.filterExpression
            return try created("filter/\(r.name)", filter) { CreateFilterResponse(filterArn: $0) }
        case let r as CreateDatasetExportJobRequest:
            var job = Resource(type: "export", name: r.jobName, parents: [r.datasetArn])
            job.fields["path"] = r.jobOutput.s3DataDestination.path
            job.fields["mode"] = r.ingestionMode?.rawValue
            return try created("dataset-export-job/\(r.jobName)", job) {
                CreateDatasetExportJobResponse(datasetExportJobArn: $0)
            }
        case let r as CreateDataDeletionJobRequest:
            var job = Resource(type: "deletion", name: r.jobName, parents: [r.datasetGroupArn])
            job.fields["location"] = r.dataSource.dataLocation
            return try created("data-deletion-job/\(r.jobName)", job) {
                CreateDataDeletionJobResponse(dataDeletionJobArn: $0)
            }
        case let r as UpdateSolutionRequest:
            guard resources[r.solutionArn] != nil else { throw PersonalizeError.notFound(r.solutionArn) }
            resources[r.solutionArn]?.fields["auto"] = r.performAutoTraining == true ? "true" : nil
            resources[r.solutionArn]?.fields["schedule"] =
                r.solutionUpdateConfig?.autoTrainingConfig?.schedulingExpression
            return (UpdateSolutionResponse(solutionArn: r.solutionArn), r.solutionArn)
        default:
            throw PersonalizeError(.internalFailure, "fake: \(type(of: request)) is not supported")
        }
    }
}
