import EngineAPI
package import PersonalizeRules

/// One documented hyperparameter of a recipe: its default, allowed range and whether HPO may tune it.
package struct HyperParameterSpec: Sendable {
    package enum Kind: Sendable, CustomStringConvertible {
        case integer(ClosedRange<Int>), continuous(ClosedRange<Double>), boolean

        /// The allowed values in words: `an integer from 32 to 256`.
        package var description: String {
            switch self {
            case .integer(let range): "an integer from \(range.lowerBound) to \(range.upperBound)"
            case .continuous(let range): "a number from \(range.lowerBound) to \(range.upperBound)"
            case .boolean: "true or false"
            }
        }
    }
    package let name: String
    package let kind: Kind
    package let defaultValue: String
    /// Whether HPO (`hpoConfig`) may search it.
    package var tunable = false

    package init(name: String, kind: Kind, defaultValue: String, tunable: Bool = false) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.tunable = tunable
    }
}

/// The hyperparameters of each built-in recipe, as the guide documents them (part 1 §12), and their checks.
package enum HyperParameters {
    package static func specs(for recipe: BuiltInRecipe) -> [HyperParameterSpec] {
        let historyPercentiles: [HyperParameterSpec] = [
            .init(name: "min_user_history_length_percentile", kind: .continuous(0...1), defaultValue: "0.0"),
            .init(name: "max_user_history_length_percentile", kind: .continuous(0...1), defaultValue: "0.99"),
        ]
        let recurrent: [HyperParameterSpec] = [
            .init(name: "hidden_dimension", kind: .integer(32...256), defaultValue: "149", tunable: true),
            .init(name: "bptt", kind: .integer(2...32), defaultValue: "32", tunable: true),
            .init(name: "recency_mask", kind: .boolean, defaultValue: "true", tunable: true),
        ]
        return switch recipe {
        case .userPersonalization, .personalizedRanking: recurrent + historyPercentiles
        case .userPersonalizationV2, .personalizedRankingV2:
            [.init(name: "apply_recency_bias", kind: .boolean, defaultValue: "true")]
        case .similarItems:
            [
                .init(name: "popularity_discount_factor", kind: .continuous(0...1), defaultValue: "0.0"),
                .init(name: "item_id_hidden_dim", kind: .integer(30...200), defaultValue: "100", tunable: true),
                .init(name: "item_metadata_hidden_dim", kind: .integer(30...200), defaultValue: "100", tunable: true),
            ]
        case .sims:
            [
                .init(name: "popularity_discount_factor", kind: .continuous(0...1), defaultValue: "0.5", tunable: true),
                .init(name: "min_cointeraction_count", kind: .integer(0...10), defaultValue: "3", tunable: true),
                .init(name: "min_user_history_length_percentile", kind: .continuous(0...1), defaultValue: "0.005"),
                .init(name: "max_user_history_length_percentile", kind: .continuous(0...1), defaultValue: "0.995"),
                .init(name: "min_item_interaction_count_percentile", kind: .continuous(0...1), defaultValue: "0.01"),
                .init(name: "max_item_interaction_count_percentile", kind: .continuous(0...1), defaultValue: "0.9"),
            ]
        case .nextBestAction:
            [.init(name: "action_optimization_period", kind: .integer(7...28), defaultValue: "14")]
        case .itemAffinity, .itemAttributeAffinity:
            [.init(name: "hidden_dimension", kind: .integer(32...256), defaultValue: "149")]
        case .trendingNow, .popularityCount:
            []
        }
    }

    /// Checks `given` against the recipe's documented names and ranges; returns them with defaults filled in.
    ///
    /// - Throws: `InvalidInputException` naming the parameter and its allowed values.
    package static func resolve(_ given: [String: String], recipe: BuiltInRecipe) throws -> [String: String] {
        let specs = specs(for: recipe)
        var resolved = Dictionary(uniqueKeysWithValues: specs.map { ($0.name, $0.defaultValue) })
        for (name, value) in given.sorted(by: { $0.key < $1.key }) {
            guard let spec = specs.first(where: { $0.name == name }) else {
                let known = specs.map(\.name).joined(separator: ", ")
                throw PersonalizeError.invalidInput(
                    "Unknown hyperparameter \(name) for recipe \(recipe)"
                        + (known.isEmpty ? "; it has no hyperparameters." : "; valid names: \(known)."))
            }
            try check(value, spec)
            resolved[name] = value
        }
        return resolved
    }

    private static func check(_ value: String, _ spec: HyperParameterSpec) throws {
        switch spec.kind {
        case .integer(let range):
            guard let number = Int(value), range.contains(number) else {
                throw PersonalizeError.invalidInput(
                    "Hyperparameter \(spec.name) must be an integer in [\(range.lowerBound), \(range.upperBound)]; "
                        + "got '\(value)'.")
            }
        case .continuous(let range):
            guard let number = Double(value), range.contains(number) else {
                throw PersonalizeError.invalidInput(
                    "Hyperparameter \(spec.name) must be a number in [\(range.lowerBound), \(range.upperBound)]; "
                        + "got '\(value)'.")
            }
        case .boolean:
            guard ["true", "false"].contains(value.lowercased()) else {
                throw PersonalizeError.invalidInput(
                    "Hyperparameter \(spec.name) must be true or false; got '\(value)'.")
            }
        }
    }
}
