import EngineAPI
import Foundation
import GRDB

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
        let history = try await recentItems(of: request.userId, for: model)
        let items =
            if let filterArn = request.filterArn {
                try await filteredRecommendations(
                    request, filterArn: filterArn, model: model, history: history, count: count)
            } else {
                model.recommend(userID: request.userId, history: history, count: count)
            }
        return GetRecommendationsResponse(itemList: items, recommendationId: "RID-\(UUID().uuidString.lowercased())")
    }

    /// Real-time fold-in reads at most this many of a user's latest interactions.
    static let foldInHistoryLimit = 500

    /// The items `userID` interacted with, newest first, as the engine holds them now (bulk imports and
    /// events recorded a moment ago alike).
    private func recentItems(of userID: String?, for model: DeployedModel) async throws -> [String] {
        guard model.usesHistory, let userID, let group = model.datasetGroupArn else { return [] }
        let limit = Self.foldInHistoryLimit
        return try await read { db in
            let table = try self.datasetTable(db, group: group, type: .interactions)
            return try String.fetchAll(
                db, sql: "SELECT ITEM_ID FROM \(table.name) WHERE USER_ID = ? ORDER BY TIMESTAMP DESC LIMIT \(limit)",
                arguments: [userID])
        }
    }
}
