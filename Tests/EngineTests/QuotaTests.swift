import EngineAPI
import Foundation
import TailorTestSupport
import Testing

@testable import Engine

/// The guide's quotas (part 3 §12) and their local overrides in `limits.json`.
@Suite struct QuotaTests {
    private func limitExceeded(_ body: () async throws -> Void) async -> String? {
        await ConformanceShop.message(of: .limitExceededException, body)
    }

    @Test func aSixthDatasetGroupIsRefusedUnlessLimitsJSONRaisesTheQuota() async throws {
        let folder = try TemporaryDirectory("tailor-quota")
        defer { folder.remove() }
        do {
            let engine = try EngineHarness.open(folder.url.appendingPathComponent("data"), limits: EngineLimits())
            for index in 0..<5 { _ = try await engine.send(CreateDatasetGroupRequest(name: "g\(index)")) }
            let message = await limitExceeded { _ = try await engine.send(CreateDatasetGroupRequest(name: "g5")) }
            #expect(message?.contains("quota is 5") == true, "\(message ?? "accepted")")
            let listed = try await engine.send(ListDatasetGroupsRequest(maxResults: 100)).datasetGroups ?? []
            #expect(listed.count == 5, "the refused one left nothing behind")
        }
        try folder.write("data/limits.json", #"{"maximumDatasetGroups": 6}"#)
        let engine = try EngineHarness.open(folder.url.appendingPathComponent("data"), limits: EngineLimits())
        _ = try await engine.send(CreateDatasetGroupRequest(name: "g5"))
        #expect(await limitExceeded { _ = try await engine.send(CreateDatasetGroupRequest(name: "g6")) } != nil)
    }

    @Test func aBadLimitsFileIsAnErrorNamingIt() throws {
        let folder = try TemporaryDirectory("tailor-quota-file")
        defer { folder.remove() }
        try folder.write("data/limits.json", #"{"maximumDatasetGroup": 6}"#)
        #expect {
            _ = try EngineHarness.open(folder.url.appendingPathComponent("data"), limits: EngineLimits())
        } throws: { error in
            "\(error)".contains("limits.json: unknown quota 'maximumDatasetGroup'")
                && "\(error)".contains("maximumDatasetGroups")
        }
        try folder.write("data/limits.json", #"{"maximumSchemas": -1}"#)
        #expect {
            _ = try EngineHarness.open(folder.url.appendingPathComponent("data"), limits: EngineLimits())
        } throws: { "\($0)".contains("'maximumSchemas' must be a non-negative integer") }
    }

    @Test func schemaSolutionAndTrainingQuotas() async throws {
        let folder = try TemporaryDirectory("tailor-quota-kinds")
        defer { folder.remove() }
        var limits = EngineLimits()
        limits.maximumSchemas = 1
        limits.maximumSolutionsPerDatasetGroup = 2
        limits.maximumPendingSolutionVersions = 0
        let engine = try EngineHarness.open(folder.url, limits: limits)
        _ = try await engine.send(CreateSchemaRequest(name: "s1", schema: SyntheticData.interactionsSchema))
        #expect(
            await limitExceeded {
                _ = try await engine.send(CreateSchemaRequest(name: "s2", schema: SyntheticData.interactionsSchema))
            }?.contains("quota is 1") == true)

        let group = try await engine.send(CreateDatasetGroupRequest(name: "g")).datasetGroupArn ?? ""
        func solution(_ name: String) async throws -> String {
            try await engine.send(
                CreateSolutionRequest(
                    name: name, performAutoTraining: false, recipeArn: ARN.recipe("aws-popularity-count"),
                    datasetGroupArn: group)
            ).solutionArn ?? ""
        }
        let first = try await solution("a")
        _ = try await solution("b")
        let third = await limitExceeded { _ = try await solution("c") }
        #expect(third?.contains("Unable to create solution") == true, "\(third ?? "accepted")")
        // Another dataset group has its own quota.
        let other = try await engine.send(CreateDatasetGroupRequest(name: "h")).datasetGroupArn ?? ""
        _ = try await engine.send(
            CreateSolutionRequest(
                name: "c", performAutoTraining: false, recipeArn: ARN.recipe("aws-popularity-count"),
                datasetGroupArn: other))

        let training = await limitExceeded {
            _ = try await engine.send(CreateSolutionVersionRequest(solutionArn: first))
        }
        #expect(training == "More than 0 resources with PENDING or IN_PROGRESS status.")
    }
}
