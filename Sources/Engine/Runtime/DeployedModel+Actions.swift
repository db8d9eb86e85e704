package import EngineAPI
import Recipes

extension DeployedModel {
    /// Next-best-action: every action that may be recommended to a user now, best first, with its propensity.
    ///
    /// The user's current history (action interactions and items, including those recorded a moment ago) is
    /// folded in. Only actions of the Actions dataset as it is now (`catalogue`) are candidates, less `excluded`
    /// (expired, or interacted with within their repeat frequency). Scored actions come first by propensity (the
    /// higher value first among equally likely ones); then, with score 0, the actions without enough outcomes to
    /// be scored and those added since training (exploration), by value and then by how often they were taken.
    ///
    /// - Parameters:
    ///   - actions: The user's action interactions, any order.
    ///   - items: The items the user interacted with, any order.
    ///   - catalogue: The Actions dataset's records now.
    ///   - excluded: Action IDs never to return.
    package func rankedActions(
        actions: [(id: String, type: ActionEventType)], items: [String], catalogue: [ActionRecord],
        excluded: Set<String>
    ) -> [PredictedAction] {
        guard let model = artifact.actions else { return [] }
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
        return scored + unscored.map { PredictedAction(actionId: $0.id, score: 0) }
    }
}
