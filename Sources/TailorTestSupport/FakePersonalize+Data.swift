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
            return (DescribeDatasetResponse(dataset: try described(r.datasetArn, dataset)), "")
        case let r as ListDatasetsRequest:
            let items = listed(r.datasetGroupArn, "dataset", dataset).map(DatasetSummary.init)
            return (ListDatasetsResponse(datasets: items), "")
        case let r as DeleteDatasetRequest:
            return try deleted(r.datasetArn)
        case let r as CreateDatasetImportJobRequest:
            var job = Resource(type: "import", name: r.jobName, parents: [r.datasetArn])
            job.fields["location"] = r.dataSource.dataLocation
            let arn = try create(arn("dataset-import-job/\(r.jobName)"), job)
            return (CreateDatasetImportJobResponse(datasetImportJobArn: arn), r.jobName)
        case let r as DescribeDatasetImportJobRequest:
            return (
                DescribeDatasetImportJobResponse(datasetImportJob: try described(r.datasetImportJobArn, importJob)), ""
            )
        case let r as ListDatasetImportJobsRequest:
            let items = listed(r.datasetArn, "import", importJob).map(DatasetImportJobSummary.init)
            return (ListDatasetImportJobsResponse(datasetImportJobs: items), "")
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
            return (DescribeSolutionResponse(solution: try described(r.solutionArn, solution)), "")
        case let r as ListSolutionsRequest:
            let items = listed(r.datasetGroupArn, "solution", solution).map(SolutionSummary.init)
            return (ListSolutionsResponse(solutions: items), "")
        case let r as DeleteSolutionRequest:
            return try deleted(r.solutionArn)
        case let r as CreateSolutionVersionRequest:
            let version = Resource(type: "solution-version", name: r.name ?? "", parents: [r.solutionArn])
            let solutionName = resources[r.solutionArn]?.name ?? "?"
            let arn = try create(arn("solution/\(solutionName)/\(nextIdentifier())"), version)
            return (CreateSolutionVersionResponse(solutionVersionArn: arn), r.name ?? "")
        case let r as DescribeSolutionVersionRequest:
            return (
                DescribeSolutionVersionResponse(solutionVersion: try described(r.solutionVersionArn, solutionVersion)),
                ""
            )
        case let r as ListSolutionVersionsRequest:
            let items = listed(r.solutionArn, "solution-version", solutionVersion).reversed().map(
                SolutionVersionSummary.init)
            return (ListSolutionVersionsResponse(solutionVersions: items), "")
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
            return (DescribeCampaignResponse(campaign: try described(r.campaignArn, campaign)), "")
        case let r as ListCampaignsRequest:
            let items = listed(r.solutionArn, "campaign", campaign).map(CampaignSummary.init)
            return (ListCampaignsResponse(campaigns: items), "")
        case let r as UpdateCampaignRequest:
            guard resources[r.campaignArn] != nil else { throw PersonalizeError.notFound(r.campaignArn) }
            let version = try r.solutionVersionArn.map(resolveVersion)
            resources[r.campaignArn]?.update = ("CREATE PENDING", version, r.minProvisionedTPS)
            if let sync = r.campaignConfig?.syncWithLatestSolutionVersion {
                resources[r.campaignArn]?.fields["sync"] = sync ? "true" : nil
            }
            return (UpdateCampaignResponse(campaignArn: r.campaignArn), r.campaignArn)
        case let r as DeleteCampaignRequest:
            return try deleted(r.campaignArn)
        case let r as TagResourceRequest:
            return (TagResourceResponse(), r.resourceArn)
        case let r as UntagResourceRequest:
            return (UntagResourceResponse(), r.resourceArn)
        default:
            return try handleKinds(request)
        }
    }
}
