import EngineAPI
import Foundation
import PersonalizeRules
import TailorTestSupport
import Testing

@testable import Engine

/// `performHPO` with `hpoConfig` (the guide's part 2 §10.7).
@Suite struct HyperParameterSearchTests {
    let data = SyntheticData(users: 200, items: 200, clusters: 4)

    private var ranges: HPOConfig {
        HPOConfig(
            hpoResourceConfig: HPOResourceConfig(maxNumberOfTrainingJobs: "4", maxParallelTrainingJobs: "2"),
            algorithmHyperParameterRanges: HyperParameterRanges(
                integerHyperParameterRanges: [
                    IntegerHyperParameterRange(name: "hidden_dimension", minValue: 32, maxValue: 48)
                ],
                continuousHyperParameterRanges: [],
                categoricalHyperParameterRanges: [
                    CategoricalHyperParameterRange(name: "recency_mask", values: ["true", "false"])
                ]))
    }

    @Test func theBestCandidateTrainsAndIsReported() async throws {
        let harness = try EngineHarness()
        let (group, _, _) = try await harness.importInteractions(data.interactionsCSV(perUser: 15))
        let engine = harness.engine
        let solution =
            try await engine.send(
                CreateSolutionRequest(
                    name: "tuned", performHPO: true, performAutoTraining: false,
                    recipeArn: ARN.recipe("aws-user-personalization"), datasetGroupArn: group,
                    solutionConfig: SolutionConfig(hpoConfig: ranges))
            ).solutionArn ?? ""
        let version =
            try await engine.send(CreateSolutionVersionRequest(solutionArn: solution)).solutionVersionArn ?? ""
        let status = try await EngineHarness.settle {
            try await engine.send(DescribeSolutionVersionRequest(solutionVersionArn: version)).solutionVersion?.status
        }
        #expect(status == "ACTIVE")
        let described = try await engine.send(DescribeSolutionVersionRequest(solutionVersionArn: version))
            .solutionVersion
        let tuned = described?.tunedHPOParams?.algorithmHyperParameters ?? [:]
        let dimension = Int(tuned["hidden_dimension"] ?? "") ?? 0
        #expect((32...48).contains(dimension), "\(tuned)")
        #expect(["true", "false"].contains(tuned["recency_mask"] ?? ""))
        let metrics = try await engine.send(GetSolutionMetricsRequest(solutionVersionArn: version)).metrics ?? [:]
        #expect((metrics["normalized_discounted_cumulative_gain_at_10"] ?? 0) > 0)

        // The search is seeded: the same data and configuration choose the same setting.
        let again = try await engine.send(CreateSolutionVersionRequest(solutionArn: solution)).solutionVersionArn ?? ""
        _ = try await EngineHarness.settle {
            try await engine.send(DescribeSolutionVersionRequest(solutionVersionArn: again)).solutionVersion?.status
        }
        let second = try await engine.send(DescribeSolutionVersionRequest(solutionVersionArn: again)).solutionVersion
        #expect(second?.tunedHPOParams?.algorithmHyperParameters == tuned)
    }

    @Test func candidatesStayInTheirRangesAndBadConfigsAreRefused() throws {
        let search = try HyperParameterSearch(ranges, recipe: .userPersonalization, seed: 7)
        #expect(!search.candidates.isEmpty && search.candidates.count <= 4)
        for candidate in search.candidates {
            #expect((32...48).contains(Int(candidate["hidden_dimension"] ?? "") ?? 0))
            #expect(["true", "false"].contains(candidate["recency_mask"] ?? ""))
        }
        // Without ranges, the recipe's documented tunable ranges.
        let defaults = try HyperParameterSearch(nil, recipe: .sims, seed: 7)
        #expect(defaults.candidates.count == HyperParameterSearch.defaultJobs)
        #expect(defaults.candidates.allSatisfy { (0...10).contains(Int($0["min_cointeraction_count"] ?? "") ?? -1) })

        func refused(_ config: HPOConfig, recipe: BuiltInRecipe = .userPersonalization, _ text: String) {
            #expect {
                _ = try HyperParameterSearch(config, recipe: recipe, seed: 1)
            } throws: { ($0 as? PersonalizeError)?.message.contains(text) == true }
        }
        refused(
            HPOConfig(
                algorithmHyperParameterRanges: HyperParameterRanges(
                    integerHyperParameterRanges: [IntegerHyperParameterRange(name: "bptt", minValue: 1, maxValue: 40)],
                    continuousHyperParameterRanges: [], categoricalHyperParameterRanges: [])),
            "The range of bptt")
        refused(
            HPOConfig(
                algorithmHyperParameterRanges: HyperParameterRanges(
                    integerHyperParameterRanges: [],
                    continuousHyperParameterRanges: [
                        ContinuousHyperParameterRange(
                            name: "min_user_history_length_percentile", minValue: 0, maxValue: 1)
                    ], categoricalHyperParameterRanges: [])), "is not a tunable hyperparameter")
        // The guide: every range type is in the request, an empty list when the recipe has none of that type.
        refused(
            HPOConfig(
                algorithmHyperParameterRanges: HyperParameterRanges(
                    integerHyperParameterRanges: [
                        IntegerHyperParameterRange(name: "hidden_dimension", minValue: 32, maxValue: 48)
                    ])),
            "must list every range type, as an empty list when aws-user-personalization has no tunable "
                + "hyperparameter of that type; missing: continuousHyperParameterRanges, categoricalHyperParameterRanges"
        )
        refused(
            HPOConfig(hpoResourceConfig: HPOResourceConfig(maxNumberOfTrainingJobs: "41")), "maxNumberOfTrainingJobs")
        refused(HPOConfig(), recipe: .popularityCount, "has no tunable hyperparameters")
    }
}
