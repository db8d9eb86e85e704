package import EngineAPI
package import PersonalizeRules
import Recipes

/// Hyperparameter optimisation (`performHPO` with `hpoConfig`, the guide's part 2 §10.7): the ranges are
/// checked against the recipe's tunable hyperparameters, then `maxNumberOfTrainingJobs` configurations are
/// drawn from them (seeded) for ``RecipeTrainer`` to compare.
package struct HyperParameterSearch: Sendable {
    /// The configurations to try, each the hyperparameters the ranges set.
    package let candidates: [[String: String]]

    /// The default number of training jobs when `hpoResourceConfig` gives none.
    static let defaultJobs = 8

    /// Checks `config` for `recipe` and draws its candidates.
    ///
    /// - Throws: `InvalidInputException` for an unknown or untunable name, a range outside the documented
    ///   one, or resource limits beyond the guide's (40 jobs, 10 in parallel).
    package init(_ config: HPOConfig?, recipe: BuiltInRecipe, seed: UInt64) throws {
        let specs = Dictionary(uniqueKeysWithValues: HyperParameters.specs(for: recipe).map { ($0.name, $0) })
        let tunable = specs.values.filter(\.tunable).map(\.name).sorted()
        guard !tunable.isEmpty else {
            throw PersonalizeError.invalidInput("\(recipe) has no tunable hyperparameters; set performHPO to false.")
        }
        let jobs =
            try Self.count(config?.hpoResourceConfig?.maxNumberOfTrainingJobs, "maxNumberOfTrainingJobs", 1...40)
            ?? Self.defaultJobs
        _ = try Self.count(config?.hpoResourceConfig?.maxParallelTrainingJobs, "maxParallelTrainingJobs", 1...10)

        func spec(_ name: String?) throws -> HyperParameterSpec {
            let bare = (name ?? "").split(separator: ".").last.map(String.init) ?? ""  // "training.bptt" → "bptt"
            guard let spec = specs[bare], spec.tunable else {
                throw PersonalizeError.invalidInput(
                    "\(name ?? "") is not a tunable hyperparameter of \(recipe); tunable: "
                        + tunable.joined(separator: ", ") + ".")
            }
            return spec
        }
        /// The name and bounds of a range, which must lie within what the recipe allows (`allowed` of the
        /// hyperparameter's kind, nil when the range's type is not the hyperparameter's).
        func bounds<Value: Comparable>(
            _ name: String?, _ low: Value?, _ high: Value?,
            within allowed: (HyperParameterSpec.Kind) -> ClosedRange<Value>?
        ) throws -> (name: String, low: Value, high: Value) {
            let spec = try spec(name)
            guard let allowed = allowed(spec.kind), let low, let high, low <= high, allowed.contains(low),
                allowed.contains(high)
            else {
                throw PersonalizeError.invalidInput("The range of \(spec.name) must lie within \(spec.kind).")
            }
            return (spec.name, low, high)
        }
        var draws: [(name: String, draw: (inout SeededGenerator) -> String)] = []
        let ranges = config?.algorithmHyperParameterRanges
        if let ranges {
            // The guide: each range type must be in the request, as an empty list when the recipe has none.
            let missing = [
                ("integerHyperParameterRanges", ranges.integerHyperParameterRanges == nil),
                ("continuousHyperParameterRanges", ranges.continuousHyperParameterRanges == nil),
                ("categoricalHyperParameterRanges", ranges.categoricalHyperParameterRanges == nil),
            ].filter(\.1).map(\.0)
            guard missing.isEmpty else {
                throw PersonalizeError.invalidInput(
                    "hpoConfig.algorithmHyperParameterRanges must list every range type, as an empty list when "
                        + "\(recipe) has no tunable hyperparameter of that type; missing: "
                        + missing.joined(separator: ", ") + ".")
            }
        }
        for range in ranges?.integerHyperParameterRanges ?? [] {
            let (name, low, high) = try bounds(range.name, range.minValue, range.maxValue) {
                if case .integer(let allowed) = $0 { allowed } else { nil }
            }
            draws.append((name, { String(low + Int($0.next() % UInt64(high - low + 1))) }))
        }
        for range in ranges?.continuousHyperParameterRanges ?? [] {
            let (name, low, high) = try bounds(range.name, range.minValue, range.maxValue) {
                if case .continuous(let allowed) = $0 { allowed } else { nil }
            }
            draws.append((name, { String(low + (high - low) * Double($0.next() >> 11) / Double(1 << 53)) }))
        }
        for range in ranges?.categoricalHyperParameterRanges ?? [] {
            let spec = try spec(range.name)
            let values = range.values ?? []
            guard !values.isEmpty, case .boolean = spec.kind,
                values.allSatisfy({ ["true", "false"].contains($0.lowercased()) })
            else {
                throw PersonalizeError.invalidInput("\(spec.name) takes the values true and false.")
            }
            draws.append((spec.name, { values[Int($0.next() % UInt64(values.count))] }))
        }
        if draws.isEmpty {
            // No ranges: search the recipe's documented tunable ranges.
            for name in tunable {
                let spec = specs[name]!
                switch spec.kind {
                case .integer(let allowed):
                    draws.append(
                        (name, { String(allowed.lowerBound + Int($0.next() % UInt64(allowed.count))) }))
                case .continuous(let allowed):
                    draws.append(
                        (
                            name,
                            {
                                String(
                                    allowed.lowerBound + (allowed.upperBound - allowed.lowerBound)
                                        * Double($0.next() >> 11) / Double(1 << 53))
                            }
                        ))
                case .boolean: draws.append((name, { $0.next() % 2 == 0 ? "true" : "false" }))
                }
            }
        }
        var generator = SeededGenerator(seed: seed ^ 0x4850_4f00)
        var candidates: [[String: String]] = []
        for _ in 0..<jobs {
            var candidate: [String: String] = [:]
            for draw in draws { candidate[draw.name] = draw.draw(&generator) }
            if !candidates.contains(candidate) { candidates.append(candidate) }
        }
        self.candidates = candidates
    }

    private static func count(_ value: String?, _ name: String, _ range: ClosedRange<Int>) throws -> Int? {
        guard let value else { return nil }
        guard let number = Int(value), range.contains(number) else {
            throw PersonalizeError.invalidInput(
                "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound); got '\(value)'.")
        }
        return number
    }
}
