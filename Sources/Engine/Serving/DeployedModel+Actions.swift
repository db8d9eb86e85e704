package import EngineAPI
import Recipes

/// The actions that may be recommended to a user now, in two parts.
package struct RankedActions: Sendable {
    /// Actions the model scores, best first, with their propensity.
    package var scored: [PredictedAction]
    /// Actions without enough outcomes to be scored and those added since training, all with score 0 (as the
    /// guide has it for exploration), the higher value first, then the more often taken.
    package var unscored: [PredictedAction]

    /// The first `count` actions: the scored ones, `explorationSlots` of them given to the first unscored ones
    /// at evenly spaced positions (never first), then the remaining unscored ones.
    package func list(count: Int, explorationSlots: Int) -> [PredictedAction] {
        let explore = scored.isEmpty ? 0 : min(explorationSlots, unscored.count)
        func item(_ action: PredictedAction) -> PredictedItem {
            PredictedItem(itemId: action.actionId, score: action.score)
        }
        let merged = ExplorationPool.merge(
            exploit: scored.map(item), explored: unscored.prefix(explore).map(item), count: count
        ).map { PredictedAction(actionId: $0.itemId, score: $0.score) }
        return Array((merged + unscored.dropFirst(explore)).prefix(count))
    }
}

extension DeployedModel {
    /// Next-best-action: every action that may be recommended to a user now, with its propensity.
    ///
    /// The user's current history (action interactions and items, including those recorded a moment ago) is
    /// folded in. Only actions of the Actions dataset as it is now (`catalogue`) are candidates, less `excluded`
    /// (expired, or interacted with within their repeat frequency). Scored actions are ranked by propensity (the
    /// higher value first among equally likely ones); the actions without enough outcomes to be scored and those
    /// added since training (what exploration draws on) have score 0, by value and then by how often they were
    /// taken.
    ///
    /// - Parameters:
    ///   - actions: The user's action interactions, any order.
    ///   - items: The items the user interacted with, any order.
    ///   - catalogue: The Actions dataset's records now.
    ///   - excluded: Action IDs never to return.
    package func rankedActions(
        actions: [(id: String, type: ActionEventType)], items: [String], catalogue: [ActionRecord],
        excluded: Set<String>
    ) -> RankedActions {
        guard let model = artifact.actions else { return RankedActions(scored: [], unscored: []) }
        let actionIDs = artifact.header.itemIDs
        let history = ActionHistory(
            actions: actions.compactMap { entry in itemIndex[entry.id].map { ($0, entry.type.outcome) } },
            items: items.compactMap { interactionItemIndex[$0] })
        let current = Dictionary(catalogue.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        let values: [Float?] = actionIDs.map { current[$0]?.value.map(Float.init) }
        let scores = model.propensities(for: history)
        var scored: [PredictedAction] = []
        var unscored: [(id: String, value: Int64, taken: Float, position: Int)] = []
        for index in model.ranking(propensities: scores, values: values).map(Int.init) {
            let id = actionIDs[index]
            guard let record = current[id], !excluded.contains(id) else { continue }
            if model.scored[index] {
                scored.append(PredictedAction(actionId: id, score: Double(scores[index])))
            } else {
                unscored.append((id, record.value ?? 0, model.takenCounts[index], unscored.count))
            }
        }
        for record in catalogue where itemIndex[record.id] == nil && !excluded.contains(record.id) {
            unscored.append((record.id, record.value ?? 0, 0, unscored.count))
        }
        unscored.sort { ($1.value, $1.taken, $0.position) < ($0.value, $0.taken, $1.position) }
        return RankedActions(scored: scored, unscored: unscored.map { PredictedAction(actionId: $0.id, score: 0) })
    }
}
