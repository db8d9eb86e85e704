import Engine
import EngineAPI
import Foundation
import TailorTestSupport
import Testing

@testable import Planner

/// A Solution's whole configuration from its manifest on the embedded engine: HPO (ranges of every type filled
/// in as the service wants them), an optimisation objective, excluded columns and feature transformation
/// parameters; no changes after apply or `tailor import`; a changed range replaces the solution; bad ranges are
/// positioned errors.
@Suite struct SolutionConfigKindTests {
    static func solution(hpo: String = "{maxNumberOfTrainingJobs: 2, integerRanges: {hidden_dimension: [32, 48]}}")
        -> String
    {
        """
        apiVersion: tailor/v1
        kind: Solution
        metadata: {name: tuned}
        spec:
          datasetGroup: shop
          recipe: aws-user-personalization
          performAutoTraining: false
          hpo: \(hpo)
          optimizationObjective: {itemAttribute: PRICE, objectiveSensitivity: LOW}
          trainingDataConfig: {excludedDatasetColumns: {ITEMS: [GENRE]}}

        """
    }

    @Test func hpoObjectiveAndExcludedColumnsReachTheEngineAndPlanNoChanges() async throws {
        let harness = try EngineBackedHarness()
        defer { harness.directory.remove() }
        try ShopFixtures.write(to: harness.directory)
        try harness.directory.write("solution.yaml", Self.solution())
        let address = ResourceAddress(.solution, "tuned")
        let summary = try await harness.apply(try await harness.plan())
        #expect(summary.succeeded, "\(summary)")

        let arn = try harness.arn(address)
        let solution = try #require(try await harness.local.send(DescribeSolutionRequest(solutionArn: arn)).solution)
        #expect(solution.performHPO == true)
        let ranges = solution.solutionConfig?.hpoConfig?.algorithmHyperParameterRanges
        #expect(ranges?.integerHyperParameterRanges?.first?.name == "hidden_dimension")
        #expect(ranges?.continuousHyperParameterRanges == [], "every range type is listed, empty when unused")
        #expect(ranges?.categoricalHyperParameterRanges == [])
        #expect(solution.solutionConfig?.hpoConfig?.hpoResourceConfig?.maxNumberOfTrainingJobs == "2")
        #expect(solution.solutionConfig?.optimizationObjective?.itemAttribute == "PRICE")
        #expect(solution.solutionConfig?.trainingDataConfig?.excludedDatasetColumns == ["ITEMS": ["GENRE"]])
        let versions =
            try await harness.local.send(ListSolutionVersionsRequest(solutionArn: arn)).solutionVersions ?? []
        let version = try #require(versions.first?.solutionVersionArn)
        let tuned = try await harness.local.send(DescribeSolutionVersionRequest(solutionVersionArn: version))
            .solutionVersion?.tunedHPOParams?.algorithmHyperParameters?["hidden_dimension"]
        #expect((32...48).contains(Int(tuned ?? "") ?? 0), "HPO chose within the range: \(tuned ?? "none")")
        #expect(try await !harness.plan().hasChanges)

        // `tailor import` reads the same configuration back.
        try await harness.forgetAndImport(address, arn: arn)
        #expect(try await !harness.plan().hasChanges)

        // The configuration is fixed at creation: another range replaces the solution.
        try harness.directory.write(
            "solution.yaml",
            Self.solution(hpo: "{maxNumberOfTrainingJobs: 2, integerRanges: {hidden_dimension: [32, 40]}}"))
        let replaced = try await harness.plan()
        #expect(replaced[address]?.action == .replace)
        #expect(replaced[address]?.fields.map(\.path) == ["hpo.integerRanges.hidden_dimension"])
    }

    @Test func badRangesAreReportedWhereTheyAre() throws {
        let errors = try ShopFixtures.loadErrors(adding: [
            "solution.yaml":
                Self.solution(hpo: "{integerRanges: {hidden_dimension: [32]}, continuousRanges: {x: [1.0, 0.5]}}")
        ])
        #expect(
            errors.contains(
                "solution.yaml:8:43: error: the range of 'hidden_dimension' must be [min, max], two integers with min <= max"
            ))
        #expect(errors.contains("the range of 'x' must be [min, max], two finite numbers with min <= max"))
    }
}
