import EngineAPI

/// One documented hyperparameter of a recipe: its default and allowed range.
package struct HyperParameterSpec: Sendable {
    package enum Kind: Sendable { case integer(ClosedRange<Int>), continuous(ClosedRange<Double>), boolean }
    package let name: String
    package let kind: Kind
    package let defaultValue: String
}

/// The hyperparameters of each trainable recipe, as the guide documents them, and their checks.
package enum HyperParameters {
    package static func specs(for recipe: String) -> [HyperParameterSpec] {
        switch recipe {
        case "aws-user-personalization":
            [
                .init(name: "hidden_dimension", kind: .integer(32...256), defaultValue: "149"),
                .init(name: "bptt", kind: .integer(2...32), defaultValue: "32"),
                .init(name: "recency_mask", kind: .boolean, defaultValue: "true"),
                .init(name: "min_user_history_length_percentile", kind: .continuous(0...1), defaultValue: "0.0"),
                .init(name: "max_user_history_length_percentile", kind: .continuous(0...1), defaultValue: "0.99"),
            ]
        default:
            []
        }
    }

    /// Checks `given` against the recipe's documented names and ranges; returns them with defaults filled in.
    ///
    /// - Throws: `InvalidInputException` naming the parameter and its allowed values.
    package static func resolve(_ given: [String: String], recipe: String) throws -> [String: String] {
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
