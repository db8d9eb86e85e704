import Recipes

extension RecipeTrainer {
    /// Trains `aws-next-best-action`: first on the guide's hold-out split (``ActionHoldOut``) for the action
    /// metrics (``ActionMetrics``), then on all the data for the model campaigns serve.
    package func trainActions(
        _ data: ActionTrainingData, progress: @Sendable (Double) -> Void = { _ in }
    ) -> (artifact: ModelArtifact, metrics: [String: Double]) {
        let parameters = nextBestActionParameters
        let split = ActionHoldOut(data.set, testFraction: 0.1, seed: seed)
        let evaluation = NextBestActionModel.train(split.training, parameters: parameters)
        progress(0.45)
        let rankings = split.testUsers.map { user in
            let scores = evaluation.propensities(for: user.history)
            return evaluation.ranking(propensities: scores, values: data.set.actionValues).map {
                (action: $0, score: scores[Int($0)])
            }
        }
        let metrics = ActionMetrics.evaluate(
            rankings: rankings, testUsers: split.testUsers, actionCount: data.actionIDs.count)
        let model = NextBestActionModel.train(data.set, parameters: parameters)
        progress(1)
        let taken = data.set.actionEvents.filter { $0.outcome == .taken }
        let userActions = SparseMatrix(
            rows: data.userIDs.count, cols: data.actionIDs.count,
            entries: taken.map { (row: $0.user, col: $0.action, value: 1) })
        var header = ModelArtifact.Header(
            recipe: recipe, userIDs: data.userIDs, itemIDs: data.actionIDs, factors: parameters.factors,
            regularization: parameters.regularization, alpha: parameters.alpha, trainingLoss: [])
        header.interactionItemIDs = data.itemIDs
        let artifact = ModelArtifact(
            header: header, userItems: userActions, popularity: PopularityModel(counts: model.takenCounts),
            personalization: nil, actions: model)
        return (artifact, metrics)
    }

    /// The model's parameters from the hyperparameters: `action_optimization_period` in days (default 14).
    var nextBestActionParameters: NextBestActionParameters {
        var parameters = NextBestActionParameters()
        let days = hyperParameters["action_optimization_period"].flatMap(Int64.init) ?? 14
        parameters.optimizationPeriod = days * 86_400
        parameters.seed = seed
        parameters.threads = threads
        return parameters
    }
}
