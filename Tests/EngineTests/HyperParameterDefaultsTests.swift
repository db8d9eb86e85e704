import EngineAPI
import Foundation
import PersonalizeRules
import TailorTestSupport
import Testing

@testable import Engine

/// The guide's hyperparameter tables (part 1 §12) as DescribeAlgorithm reports them: default, range, and whether
/// HPO may tune it.
@Suite struct HyperParameterDefaultsTests {
    /// (algorithm, name, default, allowed range as "min...max" or nil, tunable)
    static let table: [(String, String, String, String?, Bool)] = [
        ("aws-similar-items", "popularity_discount_factor", "0.0", "0.0...1.0", false),
        ("aws-similar-items", "item_id_hidden_dim", "100", "30...200", true),
        ("aws-similar-items", "item_metadata_hidden_dim", "100", "30...200", true),
        ("aws-sims", "min_user_history_length_percentile", "0.005", "0.0...1.0", false),
        ("aws-sims", "max_user_history_length_percentile", "0.995", "0.0...1.0", false),
        ("aws-sims", "min_item_interaction_count_percentile", "0.01", "0.0...1.0", false),
        ("aws-sims", "max_item_interaction_count_percentile", "0.9", "0.0...1.0", false),
        ("aws-next-best-action", "action_optimization_period", "14", "7...28", false),
        ("aws-item-affinity", "hidden_dimension", "149", "32...256", false),
        ("aws-item-attribute-affinity", "hidden_dimension", "149", "32...256", false),
        ("aws-user-personalization-v2", "apply_recency_bias", "true", nil, false),
    ]

    @Test(arguments: table.indices) func describeAlgorithmReportsTheGuidesTable(_ index: Int) async throws {
        let (recipe, name, expected, range, tunable) = Self.table[index]
        let harness = try EngineHarness()
        defer { harness.directory.remove() }
        let algorithm = try await harness.engine.send(
            DescribeAlgorithmRequest(algorithmArn: "arn:aws:personalize:::algorithm/\(recipe)")
        ).algorithm
        #expect(algorithm?.defaultHyperParameters?[name] == expected, "\(recipe) \(name)")
        let ranges = algorithm?.defaultHyperParameterRanges
        let integer = ranges?.integerHyperParameterRanges?.first { $0.name == name }
        let continuous = ranges?.continuousHyperParameterRanges?.first { $0.name == name }
        if let integer {
            #expect("\(integer.minValue ?? -1)...\(integer.maxValue ?? -1)" == range, "\(recipe) \(name)")
            #expect(integer.isTunable == tunable, "\(recipe) \(name)")
        } else if let continuous {
            #expect("\(continuous.minValue ?? -1)...\(continuous.maxValue ?? -1)" == range, "\(recipe) \(name)")
            #expect(continuous.isTunable == tunable, "\(recipe) \(name)")
        } else {
            #expect(range == nil, "\(recipe) \(name) has no range listed")
        }
    }

    @Test func hpoRunsAtMostTenTrainingJobsAtOnce() throws {
        #expect {
            _ = try HyperParameterSearch(
                HPOConfig(hpoResourceConfig: HPOResourceConfig(maxParallelTrainingJobs: "11")),
                recipe: .userPersonalization, seed: 1)
        } throws: { ($0 as? PersonalizeError)?.message.contains("maxParallelTrainingJobs") == true }
        _ = try HyperParameterSearch(
            HPOConfig(hpoResourceConfig: HPOResourceConfig(maxParallelTrainingJobs: "10")),
            recipe: .userPersonalization, seed: 1)
    }
}
