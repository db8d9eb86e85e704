import EngineAPI
import Foundation
import PersonalizeRules

extension RealTimeServing {
    /// The most items a `GetPersonalizedRanking` request may rank (50 with metadata columns).
    static let maximumRankedItems = 500

    /// `GetPersonalizedRanking`: the input items in the order the user is most likely to want them, scored over
    /// the input list (PERSONALIZED_RANKING campaigns), with the user's latest interactions folded in and
    /// `filterArn` applied.
    func getPersonalizedRanking(_ request: GetPersonalizedRankingRequest) async throws
        -> GetPersonalizedRankingResponse
    {
        let limit = request.metadataColumns?.isEmpty == false ? 50 : Self.maximumRankedItems
        guard (1...limit).contains(request.inputList.count) else {
            throw PersonalizeError.invalidInput(
                "inputList must hold between 1 and \(limit) items; got \(request.inputList.count).")
        }
        let model = try await serving.deployedModel(campaignArn: request.campaignArn)
        guard model.recipeType == .personalizedRanking else {
            throw PersonalizeError.invalidInput(
                "GetPersonalizedRanking needs a campaign of a PERSONALIZED_RANKING recipe; \(request.campaignArn) "
                    + "serves \(model.recipe) (\(model.recipeType)).")
        }
        try await serving.checkContext(request.context, model: model)
        let history = try await serving.contextualHistory(of: request.userId, for: model, context: request.context)
        var ranked = model.rank(
            userID: request.userId, history: history.items, contextAffinity: history.affinity, items: request.inputList)
        if let filterArn = request.filterArn {
            let asRecommendation = GetRecommendationsRequest(
                campaignArn: request.campaignArn, userId: request.userId, context: request.context,
                filterArn: filterArn, filterValues: request.filterValues)
            let all = ranked
            ranked = try await filteredRecommendations(
                asRecommendation, filterArn: filterArn, model: model, count: all.count, candidates: { _ in all })
        }
        return GetPersonalizedRankingResponse(
            personalizedRanking: ranked, recommendationId: RecommendationID.make(source: request.campaignArn))
    }
}
