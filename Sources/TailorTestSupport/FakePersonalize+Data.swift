import EngineAPI
import Foundation

extension FakePersonalize {
    func handleModels(_ request: some PersonalizeOperation) throws -> (value: Any, label: String) {
        switch request {
        case let r as CreateSolutionRequest:
            var solution = Resource(type: "solution", name: r.name, parents: [r.datasetGroupArn])
            solution.fields["recipe"] = r.recipeArn
            solution.fields["hyperParameters"] = r.solutionConfig?.algorithmHyperParameters?.description
            solution.fields["auto"] = r.performAutoTraining == true ? "true" : nil
            solution.fields["schedule"] = r.solutionConfig?.autoTrainingConfig?.schedulingExpression
            return try created("solution/\(r.name)", solution) { CreateSolutionResponse(solutionArn: $0) }
        case let r as CreateSolutionVersionRequest:
            let version = Resource(type: "solution-version", name: r.name ?? "", parents: [r.solutionArn])
            let solutionName = resources[r.solutionArn]?.name ?? "?"
            return try created("solution/\(solutionName)/\(nextIdentifier())", version) {
                CreateSolutionVersionResponse(solutionVersionArn: $0)
            }
        case let r as GetSolutionMetricsRequest:
            return (
                GetSolutionMetricsResponse(
                    solutionVersionArn: r.solutionVersionArn,
                    metrics: ["normalized_discounted_cumulative_gain_at_10": metrics[r.solutionVersionArn] ?? 0.25]),
                ""
            )
        case let r as CreateCampaignRequest:
            let version = try resolveVersion(r.solutionVersionArn)
            let solution = resources[version]?.parents.first ?? ""
            var campaign = Resource(type: "campaign", name: r.name, parents: [solution])
            campaign.fields["solutionVersionArn"] = version
            campaign.fields["sync"] = r.campaignConfig?.syncWithLatestSolutionVersion == true ? "true" : nil
            campaign.fields["minProvisionedTPS"] = String(r.minProvisionedTPS ?? 1)
            return try created("campaign/\(r.name)", campaign) { CreateCampaignResponse(campaignArn: $0) }
        case let r as UpdateCampaignRequest:
            guard resources[r.campaignArn] != nil else { throw PersonalizeError.notFound(r.campaignArn) }
            let version = try r.solutionVersionArn.map(resolveVersion)
            resources[r.campaignArn]?.update = ("CREATE PENDING", version, r.minProvisionedTPS)
            if let sync = r.campaignConfig?.syncWithLatestSolutionVersion {
                resources[r.campaignArn]?.fields["sync"] = sync ? "true" : nil
            }
            return (UpdateCampaignResponse(campaignArn: r.campaignArn), r.campaignArn)
        case let r as TagResourceRequest:
            return (TagResourceResponse(), r.resourceArn)
        case let r as UntagResourceRequest:
            return (UntagResourceResponse(), r.resourceArn)
        default:
            return try handleOthers(request)
        }
    }
}
