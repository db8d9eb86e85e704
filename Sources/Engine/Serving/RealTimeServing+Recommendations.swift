import EngineAPI
import Foundation
import GRDB
import PersonalizeRules
import Recipes

extension RealTimeServing {
    static let defaultNumResults = 25
    static let maximumNumResults = 500

    /// The catalogue is scored on the caller's task, so requests score in parallel on every core; the deployed
    /// model and what is precomputed come from the serving snapshot, the user's data from SQLite.
    func getRecommendations(_ request: GetRecommendationsRequest) async throws
        -> GetRecommendationsResponse
    {
        guard (request.campaignArn == nil) != (request.recommenderArn == nil) else {
            throw PersonalizeError.invalidInput(
                request.campaignArn == nil
                    ? "Either campaignArn or recommenderArn is required."
                    : "Give campaignArn or recommenderArn, not both.")
        }
        let count = request.numResults ?? Self.defaultNumResults
        guard (1...Self.maximumNumResults).contains(count) else {
            throw PersonalizeError.invalidInput(
                "numResults must be between 1 and \(Self.maximumNumResults); got \(count).")
        }
        let model: DeployedModel
        let resourceArn: String
        var alreadyConsumed: String?
        let explorationConfig: [String: String]?
        if let recommenderArn = request.recommenderArn {
            let (recommenderModel, useCase, config) = try await serving.deployedModel(recommenderArn: recommenderArn)
            model = recommenderModel
            resourceArn = recommenderArn
            alreadyConsumed = useCase.alreadyConsumed
            explorationConfig = config?.itemExplorationConfig
        } else {
            resourceArn = request.campaignArn ?? ""
            let (campaignModel, campaign) = try await serving.servedCampaign(campaignArn: resourceArn)
            model = campaignModel
            explorationConfig = campaign.campaignConfig?.itemExplorationConfig
        }
        var recommend: @Sendable (Int) -> [PredictedItem]
        var explore: (@Sendable (Int, ExcludedItems) -> [PredictedItem])?
        var exploreSlots = 0
        switch model.recipeType {
        case .relatedItems:
            guard let itemID = request.itemId else {
                throw PersonalizeError.invalidInput("itemId is required for a RELATED_ITEMS campaign.")
            }
            let metadata = model.recipe.usesItemMetadata ? try await serving.metadataIndex(for: model) : nil
            recommend = { model.related(to: itemID, count: $0, metadata: metadata) }
        case .popularItems:
            let trend = try await trendCounts(for: model)
            recommend = {
                model.trending(
                    current: trend.current, previous: trend.previous, evaluatedAt: trend.evaluatedAt, count: $0)
            }
        case .personalizedRanking:
            throw PersonalizeError.invalidInput(
                "Campaign \(resourceArn) serves a PERSONALIZED_RANKING recipe; call GetPersonalizedRanking.")
        case .personalizedActions:
            throw PersonalizeError.invalidInput(
                "Campaign \(resourceArn) serves a PERSONALIZED_ACTIONS recipe; call GetActionRecommendations.")
        default:
            if model.recipe.exploresItems, request.userId == nil {
                throw PersonalizeError.invalidInput("userId is required for a USER_PERSONALIZATION campaign.")
            }
            try await serving.checkContext(request.context, model: model)
            let scoring: UserScoring
            if request.context?.isEmpty ?? true, let userID = request.userId, let campaignArn = request.campaignArn,
                let answer = try await serving.precomputedAnswer(campaignArn: campaignArn, model: model, userID: userID)
            {
                scoring = UserScoring(model: model, scores: nil, excluded: [], interacted: [], precomputed: answer)
            } else {
                let history = try await serving.contextualHistory(
                    of: request.userId, for: model, context: request.context)
                scoring = await model.batchedScoring(
                    userID: request.userId, history: history.items, contextAffinity: history.affinity,
                    standIn: history.standIn)
            }
            recommend = { scoring.top($0) }
            if let settings = ExplorationSettings.resolve(recipe: model.recipe, config: explorationConfig),
                settings.slots(of: count) > 0
            {
                let pool =
                    if let checked = serving.checkedExplorationPool(for: model, settings: settings) {
                        checked
                    } else {
                        try await serving.explorationPool(for: model, settings: settings)
                    }
                if !pool.isEmpty {
                    explore = { count, excluded in
                        scoring.explore(count, pool: pool, weight: settings.weight, excluding: excluded)
                    }
                    exploreSlots = settings.slots(of: count)
                }
            }
        }
        var consumed: Set<String> = []
        if let eventType = alreadyConsumed, let userID = request.userId {
            // Domain use cases leave out what the user already watched or purchased (their latest 100).
            consumed = try await consumedItems(of: userID, eventType: eventType, model: model)
            if !consumed.isEmpty {
                let unfiltered = recommend
                recommend = { [consumed] count in
                    Array(
                        unfiltered(count + consumed.count).filter { !consumed.contains($0.itemId ?? "") }.prefix(count))
                }
            }
        }
        let columns = try await metadataColumns(request, resourceArn: resourceArn, count: count, model: model)
        var items: [PredictedItem]
        if let promotion = try Self.promotion(request) {
            items = try await promoted(request, promotion, model: model, count: count, candidates: recommend)
        } else if let filterArn = request.filterArn {
            let evaluator = try await filterEvaluator(filterArn, request: request, model: model)
            items = try await filteredRecommendations(
                request, filterArn: filterArn, model: model, count: count, candidates: recommend, prepared: evaluator)
            if let explore, exploreSlots > 0 {
                items = try await exploring(
                    items, request: request, model: model, count: count, slots: exploreSlots,
                    excluding: consumed, candidates: explore, prepared: evaluator)
            }
            explore = nil
        } else {
            items = recommend(count)
        }
        if let explore, exploreSlots > 0 {
            items = try await exploring(
                items, request: request, model: model, count: count, slots: exploreSlots,
                excluding: consumed, candidates: explore)
        }
        if !columns.isEmpty { items = try await withMetadata(items, columns: columns, model: model) }
        if request.recommenderArn != nil {
            // The guide (part 2 §14.2): domain recommenders return no scores.
            items = items.map {
                var item = $0; item.score = nil; return item
            }
        }
        return GetRecommendationsResponse(itemList: items, recommendationId: RecommendationID.make(source: resourceArn))
    }

    /// `items` with `slots` of its last non-promoted places given to exploration candidates that pass the
    /// request's filter, spread evenly among the others (never first); the others keep their order.
    func exploring(
        _ items: [PredictedItem], request: GetRecommendationsRequest, model: DeployedModel, count: Int, slots: Int,
        excluding consumed: Set<String>, candidates: @escaping @Sendable (Int, ExcludedItems) -> [PredictedItem],
        prepared: FilterEvaluator? = nil
    ) async throws -> [PredictedItem] {
        let taken = ExcludedItems(consumed, chosen: items.compactMap(\.itemId))
        let explore: @Sendable (Int) -> [PredictedItem] = { candidates($0, taken) }
        let explored =
            if let filterArn = request.filterArn {
                try await filteredRecommendations(
                    request, filterArn: filterArn, model: model, count: slots, candidates: explore, prepared: prepared)
            } else {
                explore(slots)
            }
        guard !explored.isEmpty else { return items }
        var kept = items
        var surplus = kept.count + explored.count - count
        for index in kept.indices.reversed() where surplus > 0 && kept[index].promotionName == nil {
            kept.remove(at: index)
            surplus -= 1
        }
        return ExplorationPool.merge(exploit: kept, explored: explored, count: count)
    }

    /// The request's one promotion, checked against the guide's limits, or nil.
    private static func promotion(_ request: GetRecommendationsRequest) throws -> Promotion? {
        guard let promotions = request.promotions, !promotions.isEmpty else { return nil }
        guard promotions.count == 1 else {
            throw PersonalizeError.invalidInput("A request can have at most 1 promotion; got \(promotions.count).")
        }
        let promotion = promotions[0]
        guard let percent = promotion.percentPromotedItems, (1...100).contains(percent) else {
            throw PersonalizeError.invalidInput("percentPromotedItems must be an integer from 1 to 100.")
        }
        guard let name = promotion.name, ResourceName.isValid(name) else {
            throw PersonalizeError.invalidInput(
                "A promotion needs a name of 1 to 63 letters, digits, '-' or '_', starting with a letter or digit.")
        }
        guard promotion.filterArn != nil else {
            throw PersonalizeError.invalidInput("A promotion needs a filterArn that selects the promoted items.")
        }
        return promotion
    }

    /// The guide's promotion rules (part 2 §14.5): `round(count × percent / 100)` slots for the best items the
    /// promotion's filter keeps (as many as there are), the rest from the request's own filter, and the promoted
    /// items placed at random positions among the others while keeping their own order.
    private func promoted(
        _ request: GetRecommendationsRequest, _ promotion: Promotion, model: DeployedModel, count: Int,
        candidates recommend: @Sendable (Int) -> [PredictedItem]
    ) async throws -> [PredictedItem] {
        let slots = Int((Double(count) * Double(promotion.percentPromotedItems ?? 0) / 100).rounded())
        var asPromotion = request
        asPromotion.filterArn = promotion.filterArn
        asPromotion.filterValues = promotion.filterValues
        var chosen =
            slots == 0
            ? []
            : try await filteredRecommendations(
                asPromotion, filterArn: promotion.filterArn ?? "", model: model, count: slots, candidates: recommend)
        for index in chosen.indices { chosen[index].promotionName = promotion.name }
        let taken = Set(chosen.compactMap(\.itemId))
        let wanted = count - chosen.count
        let others: [PredictedItem]
        if let filterArn = request.filterArn {
            others = try await filteredRecommendations(
                request, filterArn: filterArn, model: model, count: count, candidates: recommend)
        } else {
            others = recommend(count + chosen.count)
        }
        let rest = Array(others.filter { !taken.contains($0.itemId ?? "") }.prefix(wanted))
        // Random positions for the promoted items, in their order.
        var positions = Array(0..<(rest.count + chosen.count)).shuffled().prefix(chosen.count).sorted()
        var merged: [PredictedItem] = []
        var promotedIndex = 0
        var restIndex = 0
        for position in 0..<(rest.count + chosen.count) {
            if let next = positions.first, next == position {
                positions.removeFirst()
                merged.append(chosen[promotedIndex])
                promotedIndex += 1
            } else {
                merged.append(rest[restIndex])
                restIndex += 1
            }
        }
        return merged
    }

    /// The Items columns `metadataColumns` asks for, after the guide's checks: the campaign enables metadata,
    /// only `ITEMS`, at most 10 columns of the Items schema, and at most 50 results.
    private func metadataColumns(
        _ request: GetRecommendationsRequest, resourceArn: String, count: Int, model: DeployedModel
    ) async throws -> [String] {
        guard let requested = request.metadataColumns, !requested.isEmpty else { return [] }
        guard Set(requested.keys) == ["ITEMS"] else {
            throw PersonalizeError.invalidInput("metadataColumns takes the single key ITEMS.")
        }
        let columns = requested["ITEMS"] ?? []
        guard (1...10).contains(columns.count) else {
            throw PersonalizeError.invalidInput("metadataColumns can name 1 to 10 columns; got \(columns.count).")
        }
        guard count <= 50 else {
            throw PersonalizeError.invalidInput(
                "numResults can be at most 50 when metadataColumns is given; got \(count).")
        }
        let group = model.datasetGroupArn ?? ""
        return try await read { db in
            let enabled: Bool
            if request.recommenderArn != nil {
                let recommender = try ResourceStore.load(db, Recommender.self, arn: resourceArn, kind: .recommender)
                enabled = recommender.recommenderConfig?.enableMetadataWithRecommendations == true
            } else {
                // The v2 recipes include metadata without being asked to, as the guide says.
                let campaign = try ResourceStore.load(db, Campaign.self, arn: resourceArn, kind: .campaign)
                enabled =
                    campaign.campaignConfig?.enableMetadataWithRecommendations == true
                    || model.recipe.includesMetadataByDefault
            }
            guard enabled else {
                throw PersonalizeError.invalidInput(
                    "\(resourceArn) does not include metadata: create or update it with "
                        + "enableMetadataWithRecommendations set to true.")
            }
            let table = try DatasetTable.find(db, group: group, type: .items)
            for column in columns where table.schema.field(column) == nil || column == "ITEM_ID" {
                throw PersonalizeError.invalidInput("The Items dataset has no metadata column \(column).")
            }
            return columns
        }
    }

    /// `items` with the Items dataset's values of `columns` in `metadata` (absent values left out).
    private func withMetadata(
        _ items: [PredictedItem], columns: [String], model: DeployedModel
    ) async throws -> [PredictedItem] {
        let group = model.datasetGroupArn ?? ""
        let ids = items.compactMap(\.itemId)
        guard !ids.isEmpty else { return items }
        let values = try await read { db in
            try DatasetTable.find(db, group: group, type: .items).metadata(db, of: ids, columns: columns)
        }
        return items.map { item in
            var item = item
            item.metadata = values[item.itemId ?? ""] ?? [:]
            return item
        }
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
            let table = try DatasetTable.find(db, group: group, type: .interactions)
            return (
                try table.interactionCounts(db, from: evaluatedAt - frequency, to: evaluatedAt),
                try table.interactionCounts(db, from: evaluatedAt - 2 * frequency, to: evaluatedAt - frequency),
                evaluatedAt
            )
        }
    }

    /// The items of the user's latest 100 interactions of `eventType` (any letter case).
    private func consumedItems(of userID: String, eventType: String, model: DeployedModel) async throws
        -> Set<String>
    {
        guard let group = model.datasetGroupArn else { return [] }
        return try await read { db in
            try DatasetTable.find(db, group: group, type: .interactions)
                .recentItems(db, userID: userID, eventType: eventType, limit: 100)
        }
    }
}
