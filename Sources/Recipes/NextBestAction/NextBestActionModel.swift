import Foundation

/// The `aws-next-best-action` model: the chance that a user takes each action within the optimization period.
///
/// Training fits implicit ALS over users × (actions ∪ items), taken actions weighing 1 and item interactions
/// ``NextBestActionParameters/itemWeight``, so a user's items say which actions suit them before they take any.
/// A ``PropensityModel`` then turns a pair's factor score and the user's own record with the action (taken,
/// declined, viewed) into a probability. It is fitted on held-back outcomes: for every user with two or more action
/// interactions, the newest fifth of them (those within the optimization period of the first) are the outcomes and
/// everything before them the history, scored with factors trained without any outcome, so the probabilities are
/// those of unseen outcomes. Serving folds the user's current history in (``propensities(for:)``), so events
/// recorded a moment ago count at once.
///
/// As the guide says, an action gets a score only once it has ``NextBestActionParameters/minimumOutcomesForScore``
/// taken and as many not-taken or viewed interactions within the scoring window; until then it scores 0 and is
/// ranked after the scored actions, by value and then by how often it was taken (no personalisation).
package struct NextBestActionModel: Sendable {
    /// The parameters it was trained with (clamped).
    package let parameters: NextBestActionParameters
    /// The number of actions.
    package let actionCount: Int
    /// The number of items.
    package let itemCount: Int
    /// The vectors of the actions (columns `0..<actionCount`) and then of the items; no user vectors.
    package let factorModel: FactorModel
    /// Turns factor scores and the user's record into probabilities.
    package let propensityModel: PropensityModel
    /// Per action: whether it had the outcomes to be scored.
    package let scored: [Bool]
    /// Per action: how often it was taken in training.
    package let takenCounts: [Float]

    /// Wraps trained parts.
    package init(
        parameters: NextBestActionParameters, actionCount: Int, itemCount: Int, factorModel: FactorModel,
        propensityModel: PropensityModel, scored: [Bool], takenCounts: [Float]
    ) {
        precondition(
            factorModel.itemCount == actionCount + itemCount && scored.count == actionCount
                && takenCounts.count == actionCount && propensityModel.actionBias.count == actionCount,
            "NextBestActionModel: parts sized for different catalogues")
        self.parameters = parameters.clamped
        self.actionCount = actionCount
        self.itemCount = itemCount
        self.factorModel = factorModel
        self.propensityModel = propensityModel
        self.scored = scored
        self.takenCounts = takenCounts
    }

    /// Trains the model.
    ///
    /// - Parameters:
    ///   - data: The action and item interactions; indices outside the set's counts are ignored.
    ///   - parameters: The hyperparameters; out-of-range values are clamped.
    /// - Returns: The model; the same for the same data and seed, whatever the thread count.
    package static func train(
        _ data: ActionTrainingSet, parameters: NextBestActionParameters = .init()
    ) -> NextBestActionModel {
        let parameters = parameters.clamped
        let data = data.valid
        let histories = UserTimelines(data)
        let cuts = histories.outcomeCuts(period: parameters.optimizationPeriod)
        let calibrationFactors = fitFactors(data, parameters: parameters, before: cuts)
        var examples: [PropensityExample] = []
        for (user, cut) in cuts.sorted(by: { $0.key < $1.key }) {
            let history = histories.history(of: user, before: cut.time)
            let vector = calibrationFactors.foldIn(
                entries(history, actionCount: data.actionCount, itemWeight: parameters.itemWeight),
                parameters: parameters.alternatingLeastSquares)
            let scores = calibrationFactors.scores(for: vector)
            let counts = OutcomeCounts(history.actions)
            for (action, taken) in cut.outcomes.sorted(by: { $0.key < $1.key }) {
                let features = PropensityModel.features(
                    score: scores[Int(action)], taken: counts.count(action, .taken),
                    notTaken: counts.count(action, .notTaken), viewed: counts.count(action, .viewed))
                examples.append(PropensityExample(action: action, features: features, taken: taken))
            }
        }
        let propensity = PropensityModel.fit(
            examples, actionCount: data.actionCount, biasRegularization: parameters.biasRegularization)
        let factors = fitFactors(data, parameters: parameters, before: [:])
        var taken = [Float](repeating: 0, count: data.actionCount)
        for event in data.actionEvents where event.outcome == .taken { taken[Int(event.action)] += 1 }
        return NextBestActionModel(
            parameters: parameters, actionCount: data.actionCount, itemCount: data.itemCount,
            factorModel: factors, propensityModel: propensity, scored: scoredActions(data, parameters),
            takenCounts: taken)
    }

    /// The chance that the user takes each action: 0 for actions without enough outcomes to be scored.
    ///
    /// - Parameter history: The user's current interactions; actions and items outside the model are ignored.
    /// - Returns: `actionCount` probabilities, indexed by action.
    package func propensities(for history: ActionHistory) -> [Float] {
        let vector = factorModel.foldIn(
            Self.entries(history, actionCount: actionCount, itemWeight: parameters.itemWeight),
            parameters: parameters.alternatingLeastSquares)
        let scores = factorModel.scores(for: vector)
        let counts = OutcomeCounts(history.actions)
        return (0..<actionCount).map { index in
            guard scored[index] else { return 0 }
            let action = Int32(index)
            let features = PropensityModel.features(
                score: scores[index], taken: counts.count(action, .taken), notTaken: counts.count(action, .notTaken),
                viewed: counts.count(action, .viewed))
            return propensityModel.propensity(action: action, features: features)
        }
    }

    /// The best `count` actions for a history, with their propensities (0 for unscored actions).
    ///
    /// - Parameters:
    ///   - history: The user's current interactions.
    ///   - values: Each action's current value (nil: none); ranks equally likely actions.
    ///   - count: How many actions to return.
    ///   - excluded: Actions never to return (expired, taken too recently, filtered out).
    /// - Returns: Up to `count` `(index, score)` pairs in ``ranking(propensities:values:)`` order.
    package func recommend(
        history: ActionHistory, values: [Float?], count: Int, excluding excluded: Set<Int32> = []
    ) -> [(index: Int32, score: Float)] {
        let scores = propensities(for: history)
        return ranking(propensities: scores, values: values).lazy.filter { !excluded.contains($0) }.prefix(count).map {
            (index: $0, score: scores[Int($0)])
        }
    }

    /// Every action, best first: the scored actions by propensity (to two decimals, the higher value first among
    /// equally likely ones, then the exact propensity), then the unscored ones by value and how often they were
    /// taken; ties by index.
    package func ranking(propensities: [Float], values: [Float?]) -> [Int32] {
        func value(_ index: Int) -> Float { index < values.count ? values[index] ?? 0 : 0 }
        return (0..<actionCount).sorted { a, b in
            if scored[a] != scored[b] { return scored[a] }
            if scored[a] {
                let (qa, qb) = ((propensities[a] * 100).rounded(), (propensities[b] * 100).rounded())
                if qa != qb { return qa > qb }
                if value(a) != value(b) { return value(a) > value(b) }
                if propensities[a] != propensities[b] { return propensities[a] > propensities[b] }
                return a < b
            }
            if value(a) != value(b) { return value(a) > value(b) }
            if takenCounts[a] != takenCounts[b] { return takenCounts[a] > takenCounts[b] }
            return a < b
        }.map(Int32.init)
    }

    /// ALS over users × (actions ∪ items), leaving out each user's events at or after `before[user]`.
    private static func fitFactors(
        _ data: ActionTrainingSet, parameters: NextBestActionParameters, before cuts: [Int32: OutcomeCut]
    ) -> FactorModel {
        var cells: [(row: Int32, col: Int32, value: Float)] = []
        for event in data.actionEvents where event.outcome == .taken {
            if let cut = cuts[event.user], event.timestamp >= cut.time { continue }
            cells.append((event.user, event.action, 1))
        }
        if parameters.itemWeight > 0 {
            for event in data.itemEvents {
                if let cut = cuts[event.user], event.timestamp >= cut.time { continue }
                cells.append((event.user, Int32(data.actionCount) + event.item, parameters.itemWeight))
            }
        }
        let matrix = SparseMatrix(rows: data.userCount, cols: data.actionCount + data.itemCount, entries: cells)
        let trained = ALS.train(matrix, parameters: parameters.alternatingLeastSquares)
        return FactorModel(
            factors: trained.factors, userFactors: [], itemFactors: trained.itemFactors, itemGram: trained.itemGram)
    }

    /// The fold-in entries of a history: its taken actions (1 each) and items (`itemWeight` each).
    static func entries(_ history: ActionHistory, actionCount: Int, itemWeight: Float) -> [(item: Int32, value: Float)]
    {
        var entries = history.actions.filter { $0.outcome == .taken && $0.action >= 0 && Int($0.action) < actionCount }
            .map { (item: $0.action, value: Float(1)) }
        if itemWeight > 0 {
            entries += history.items.filter { $0 >= 0 }.map { (item: Int32(actionCount) + $0, value: itemWeight) }
        }
        return entries
    }

    /// The guide's scoring rule: enough taken and enough not-taken-or-viewed interactions within the window.
    private static func scoredActions(_ data: ActionTrainingSet, _ parameters: NextBestActionParameters) -> [Bool] {
        guard let newest = data.actionEvents.map(\.timestamp).max() else {
            return [Bool](repeating: false, count: data.actionCount)
        }
        var taken = [Int](repeating: 0, count: data.actionCount)
        var other = [Int](repeating: 0, count: data.actionCount)
        for event in data.actionEvents where event.timestamp >= newest - parameters.scoringWindow {
            if event.outcome == .taken { taken[Int(event.action)] += 1 } else { other[Int(event.action)] += 1 }
        }
        let minimum = parameters.minimumOutcomesForScore
        return (0..<data.actionCount).map { taken[$0] >= minimum && other[$0] >= minimum }
    }
}

extension ActionTrainingSet {
    /// The set without events whose indices fall outside its counts.
    var valid: ActionTrainingSet {
        var copy = self
        copy.actionEvents = actionEvents.filter {
            $0.user >= 0 && Int($0.user) < userCount && $0.action >= 0 && Int($0.action) < actionCount
        }
        copy.itemEvents = itemEvents.filter {
            $0.user >= 0 && Int($0.user) < userCount && $0.item >= 0 && Int($0.item) < itemCount
        }
        return copy
    }
}

/// How often a history took, declined and viewed each action.
struct OutcomeCounts {
    private var counts: [Int32: [Int]] = [:]

    init(_ actions: [(action: Int32, outcome: ActionOutcome)]) {
        for entry in actions {
            counts[entry.action, default: [0, 0, 0]][Int(entry.outcome.rawValue)] += 1
        }
    }

    func count(_ action: Int32, _ outcome: ActionOutcome) -> Int {
        counts[action]?[Int(outcome.rawValue)] ?? 0
    }
}

/// Where one user's held-back outcomes start, and which actions they took among them.
struct OutcomeCut {
    var time: Int64
    /// Action → whether any outcome with it was `taken`.
    var outcomes: [Int32: Bool]
}

/// Each user's action and item interactions, sorted by time.
struct UserTimelines {
    private var actions: [Int32: [ActionEvent]] = [:]
    private var items: [Int32: [Event]] = [:]

    init(_ data: ActionTrainingSet) {
        for event in data.actionEvents { actions[event.user, default: []].append(event) }
        for event in data.itemEvents { items[event.user, default: []].append(event) }
        for user in actions.keys {
            actions[user]?.sort {
                ($0.timestamp, $0.action, $0.outcome.rawValue) < ($1.timestamp, $1.action, $1.outcome.rawValue)
            }
        }
    }

    /// For every user with two or more action interactions: the newest fifth of them (at least one) that fall
    /// within `period` of the first of them.
    func outcomeCuts(period: Int64) -> [Int32: OutcomeCut] {
        var cuts: [Int32: OutcomeCut] = [:]
        for (user, events) in actions where events.count >= 2 {
            let count = max(1, Int((0.2 * Double(events.count)).rounded()))
            let time = events[events.count - count].timestamp
            guard let first = events.first?.timestamp, first < time else { continue }
            var outcomes: [Int32: Bool] = [:]
            for event in events where event.timestamp >= time && event.timestamp < time + period {
                outcomes[event.action] = (outcomes[event.action] ?? false) || event.outcome == .taken
            }
            cuts[user] = OutcomeCut(time: time, outcomes: outcomes)
        }
        return cuts
    }

    /// The user's interactions strictly before `time`.
    func history(of user: Int32, before time: Int64) -> ActionHistory {
        ActionHistory(
            actions: (actions[user] ?? []).filter { $0.timestamp < time }.map { ($0.action, $0.outcome) },
            items: (items[user] ?? []).filter { $0.timestamp < time }.map(\.item))
    }
}
