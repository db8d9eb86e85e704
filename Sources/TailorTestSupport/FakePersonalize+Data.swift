import EngineAPI
import Foundation

extension FakePersonalize {
    func handleData(_ request: some PersonalizeOperation) throws -> (value: Any, label: String) {
        switch request {
        case let r as CreateDatasetRequest:
            let group = resources[r.datasetGroupArn]?.name ?? "?"
            var dataset = Resource(type: "dataset", name: r.name, parents: [r.datasetGroupArn, r.schemaArn])
            dataset.fields["type"] = r.datasetType
            let arn = try create(arn("dataset/\(group)/\(r.datasetType)"), dataset)
            return (CreateDatasetResponse(datasetArn: arn), r.name)
        case let r as DescribeDatasetRequest:
            let d = try advance(r.datasetArn)
            return (
                DescribeDatasetResponse(
                    dataset: Dataset(
                        name: d.name, datasetArn: r.datasetArn, datasetType: d.fields["type"], status: d.status)), ""
            )
        case let r as ListDatasetsRequest:
            return (
                ListDatasetsResponse(
                    datasets: children(of: r.datasetGroupArn, type: "dataset").map {
                        DatasetSummary(name: $0.resource.name, datasetArn: $0.arn)
                    }), ""
            )
        case let r as DeleteDatasetRequest:
            try delete(r.datasetArn)
            return (EmptyResponse(), r.datasetArn)
        case let r as CreateDatasetImportJobRequest:
            var job = Resource(type: "import", name: r.jobName, parents: [r.datasetArn])
            job.fields["location"] = r.dataSource.dataLocation
            let arn = try create(arn("dataset-import-job/\(r.jobName)"), job)
            return (CreateDatasetImportJobResponse(datasetImportJobArn: arn), r.jobName)
        case let r as DescribeDatasetImportJobRequest:
            let j = try advance(r.datasetImportJobArn)
            return (
                DescribeDatasetImportJobResponse(
                    datasetImportJob: DatasetImportJob(
                        jobName: j.name, datasetImportJobArn: r.datasetImportJobArn,
                        dataSource: DataSource(dataLocation: j.fields["location"]), status: j.status)), ""
            )
        case let r as ListDatasetImportJobsRequest:
            return (
                ListDatasetImportJobsResponse(
                    datasetImportJobs: children(of: r.datasetArn, type: "import").map {
                        DatasetImportJobSummary(
                            datasetImportJobArn: $0.arn, jobName: $0.resource.name, status: $0.resource.status)
                    }), ""
            )
        default:
            return try handleModels(request)
        }
    }

    func handleModels(_ request: some PersonalizeOperation) throws -> (value: Any, label: String) {
        switch request {
        case let r as CreateSolutionRequest:
            var solution = Resource(type: "solution", name: r.name, parents: [r.datasetGroupArn])
            solution.fields["recipe"] = r.recipeArn
            solution.fields["hyperParameters"] = r.solutionConfig?.algorithmHyperParameters?.description
            solution.fields["auto"] = r.performAutoTraining == true ? "true" : nil
            solution.fields["schedule"] = r.solutionConfig?.autoTrainingConfig?.schedulingExpression
            let arn = try create(arn("solution/\(r.name)"), solution)
            return (CreateSolutionResponse(solutionArn: arn), r.name)
        case let r as DescribeSolutionRequest:
            let s = try advance(r.solutionArn)
            return (
                DescribeSolutionResponse(
                    solution: Solution(
                        name: s.name, solutionArn: r.solutionArn, performAutoTraining: s.fields["auto"] == "true",
                        status: s.status)), ""
            )
        case let r as ListSolutionsRequest:
            return (
                ListSolutionsResponse(
                    solutions: children(of: r.datasetGroupArn, type: "solution").map {
                        SolutionSummary(name: $0.resource.name, solutionArn: $0.arn)
                    }), ""
            )
        case let r as DeleteSolutionRequest:
            try delete(r.solutionArn)
            return (EmptyResponse(), r.solutionArn)
        case let r as CreateSolutionVersionRequest:
            let version = Resource(type: "solution-version", name: r.name ?? "", parents: [r.solutionArn])
            let solutionName = resources[r.solutionArn]?.name ?? "?"
            let arn = try create(arn("solution/\(solutionName)/\(nextIdentifier())"), version)
            return (CreateSolutionVersionResponse(solutionVersionArn: arn), r.name ?? "")
        case let r as DescribeSolutionVersionRequest:
            let v = try advance(r.solutionVersionArn)
            return (
                DescribeSolutionVersionResponse(
                    solutionVersion: SolutionVersion(
                        name: v.name, solutionVersionArn: r.solutionVersionArn, status: v.status,
                        failureReason: v.fields["failureReason"])), ""
            )
        case let r as ListSolutionVersionsRequest:
            return (
                ListSolutionVersionsResponse(
                    solutionVersions: children(of: r.solutionArn, type: "solution-version").reversed()
                        .map {
                            SolutionVersionSummary(
                                solutionVersionArn: $0.arn, status: $0.resource.status,
                                trainingMode: $0.resource.fields["mode"].flatMap(TrainingMode.init(rawValue:)))
                        }), ""
            )
        case let r as GetSolutionMetricsRequest:
            return (
                GetSolutionMetricsResponse(
                    solutionVersionArn: r.solutionVersionArn,
                    metrics: ["normalized_discounted_cumulative_gain_at_10": metrics[r.solutionVersionArn] ?? 0.25]),
                ""
            )
        default:
            return try handleCampaigns(request)
        }
    }

    func handleCampaigns(_ request: some PersonalizeOperation) throws -> (value: Any, label: String) {
        switch request {
        case let r as CreateCampaignRequest:
            let version = try resolveVersion(r.solutionVersionArn)
            let solution = resources[version]?.parents.first ?? ""
            var campaign = Resource(type: "campaign", name: r.name, parents: [solution])
            campaign.fields["solutionVersionArn"] = version
            campaign.fields["sync"] = r.campaignConfig?.syncWithLatestSolutionVersion == true ? "true" : nil
            campaign.fields["minProvisionedTPS"] = String(r.minProvisionedTPS ?? 1)
            return (CreateCampaignResponse(campaignArn: try create(arn("campaign/\(r.name)"), campaign)), r.name)
        case let r as DescribeCampaignRequest:
            let c = try advance(r.campaignArn)
            return (
                DescribeCampaignResponse(
                    campaign: Campaign(
                        name: c.name, campaignArn: r.campaignArn, solutionVersionArn: c.fields["solutionVersionArn"],
                        minProvisionedTPS: c.fields["minProvisionedTPS"].flatMap { Int($0) },
                        campaignConfig: CampaignConfig(syncWithLatestSolutionVersion: c.fields["sync"] == "true"),
                        status: c.status,
                        latestCampaignUpdate: c.update.map { CampaignUpdateSummary(status: $0.status) })), ""
            )
        case let r as ListCampaignsRequest:
            return (
                ListCampaignsResponse(
                    campaigns: children(of: r.solutionArn, type: "campaign").map {
                        CampaignSummary(name: $0.resource.name, campaignArn: $0.arn)
                    }), ""
            )
        case let r as UpdateCampaignRequest:
            guard resources[r.campaignArn] != nil else { throw PersonalizeError.notFound(r.campaignArn) }
            let version = try r.solutionVersionArn.map(resolveVersion)
            resources[r.campaignArn]?.update = ("CREATE PENDING", version, r.minProvisionedTPS)
            if let sync = r.campaignConfig?.syncWithLatestSolutionVersion {
                resources[r.campaignArn]?.fields["sync"] = sync ? "true" : nil
            }
            return (UpdateCampaignResponse(campaignArn: r.campaignArn), r.campaignArn)
        case let r as DeleteCampaignRequest:
            try delete(r.campaignArn)
            return (EmptyResponse(), r.campaignArn)
        case let r as TagResourceRequest:
            return (TagResourceResponse(), r.resourceArn)
        case let r as UntagResourceRequest:
            return (UntagResourceResponse(), r.resourceArn)
        default:
            return try handleKinds(request)
        }
    }
}
