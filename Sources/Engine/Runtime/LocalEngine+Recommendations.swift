import EngineAPI
import Foundation

extension LocalEngine {
    static let defaultNumResults = 25
    static let maximumNumResults = 500

    func getRecommendations(_ request: GetRecommendationsRequest) async throws -> GetRecommendationsResponse {
        guard let campaignArn = request.campaignArn else {
            throw PersonalizeError.invalidInput(
                request.recommenderArn == nil
                    ? "Either campaignArn or recommenderArn is required."
                    : "Recommenders are not supported by the embedded engine yet; use a campaign.")
        }
        let count = request.numResults ?? Self.defaultNumResults
        guard (1...Self.maximumNumResults).contains(count) else {
            throw PersonalizeError.invalidInput(
                "numResults must be between 1 and \(Self.maximumNumResults); got \(count).")
        }
        let model = try await deployedModel(campaignArn: campaignArn)
        if model.recipe == "aws-user-personalization", request.userId == nil {
            throw PersonalizeError.invalidInput("userId is required for a USER_PERSONALIZATION campaign.")
        }
        let items = model.recommend(userID: request.userId, count: count)
        return GetRecommendationsResponse(itemList: items, recommendationId: "RID-\(UUID().uuidString.lowercased())")
    }
}
