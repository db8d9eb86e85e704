import EngineAPI
import Foundation
import GRDB
import Recipes

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
        let recommend: (Int) -> [PredictedItem]
        switch model.recipeType {
        case "RELATED_ITEMS":
            guard let itemID = request.itemId else {
                throw PersonalizeError.invalidInput("itemId is required for a RELATED_ITEMS campaign.")
            }
            recommend = { model.related(to: itemID, count: $0) }
        case "POPULAR_ITEMS":
            let trend = try await trendCounts(for: model)
            recommend = {
                model.trending(
                    current: trend.current, previous: trend.previous, evaluatedAt: trend.evaluatedAt, count: $0)
            }
        case "PERSONALIZED_RANKING":
            throw PersonalizeError.invalidInput(
                "Campaign \(campaignArn) serves a PERSONALIZED_RANKING recipe; call GetPersonalizedRanking.")
        default:
            if model.recipe == "aws-user-personalization", request.userId == nil {
                throw PersonalizeError.invalidInput("userId is required for a USER_PERSONALIZATION campaign.")
            }
            let history = try await recentItems(of: request.userId, for: model)
            recommend = { model.recommend(userID: request.userId, history: history, count: $0) }
        }
        let items =
            if let filterArn = request.filterArn {
                try await filteredRecommendations(
                    request, filterArn: filterArn, model: model, count: count, candidates: recommend)
            } else {
                recommend(count)
            }
        return GetRecommendationsResponse(itemList: items, recommendationId: "RID-\(UUID().uuidString.lowercased())")
    }

    /// Interactions per item in the last two complete periods of `trend_discovery_frequency` before now,
    /// read from the dataset as it is (bulk imports and events alike).
    private func trendCounts(
        for model: DeployedModel
    ) async throws -> (current: [String: Int], previous: [String: Int], evaluatedAt: Int64) {
        let frequency = max(model.artifact.header.trendFrequency ?? TrendingModel.defaultFrequency, 1)
        let now = Int64(clock.now().timeIntervalSince1970)
        let evaluatedAt = now - ((now % frequency) + frequency) % frequency
        guard let group = model.datasetGroupArn else { return ([:], [:], evaluatedAt) }
        return try await read { db in
            let table = try self.datasetTable(db, group: group, type: .interactions)
            func counts(from start: Int64, to end: Int64) throws -> [String: Int] {
                var result: [String: Int] = [:]
                let rows = try Row.fetchCursor(
                    db,
                    sql: "SELECT ITEM_ID, COUNT(*) FROM \(table.name) WHERE TIMESTAMP >= ? AND TIMESTAMP < ? "
                        + "GROUP BY ITEM_ID", arguments: [start, end])
                while let row = try rows.next() { result[row[0]] = row[1] }
                return result
            }
            return (
                try counts(from: evaluatedAt - frequency, to: evaluatedAt),
                try counts(from: evaluatedAt - 2 * frequency, to: evaluatedAt - frequency), evaluatedAt
            )
        }
    }

    /// Real-time fold-in reads at most this many of a user's latest interactions.
    static let foldInHistoryLimit = 500

    /// The items `userID` interacted with, newest first, as the engine holds them now (bulk imports and
    /// events recorded a moment ago alike).
    func recentItems(of userID: String?, for model: DeployedModel) async throws -> [String] {
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
