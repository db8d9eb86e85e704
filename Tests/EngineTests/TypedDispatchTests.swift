import EngineAPI
import PersonalizeRules
import TailorTestSupport
import Testing

@testable import Engine

/// `LocalEngine.send` hands each request to the engine's method for its operation through
/// ``PersonalizeOperation/dispatch(to:)``.
///
/// The main guarantee is the compiler's: `LocalEngine` conforms to the generated ``PersonalizeHandler``, so an
/// operation without a handler, or a handler answering with the wrong response type, does not build. These tests
/// only check that requests of different kinds (actor-isolated and `nonisolated` handlers, empty responses,
/// errors) still arrive where they should and come back unchanged.
@Suite(.tags(.small)) struct TypedDispatchTests {
    let harness: EngineHarness
    init() throws { harness = try EngineHarness() }

    @Test func controlPlaneOperationsReachTheirHandlers() async throws {
        let engine = harness.engine
        let created = try await engine.send(CreateDatasetGroupRequest(name: "dispatch"))
        let arn = try #require(created.datasetGroupArn)
        let described = try await engine.send(DescribeDatasetGroupRequest(datasetGroupArn: arn))
        #expect(described.datasetGroup?.name == "dispatch")
        let listed = try await engine.send(ListDatasetGroupsRequest())
        #expect(listed.datasetGroups?.compactMap(\.datasetGroupArn) == [arn])

        let tag = EngineAPI.Tag(tagKey: "team", tagValue: "search")
        _ = try await engine.send(TagResourceRequest(resourceArn: arn, tags: [tag]))
        #expect(try await engine.send(ListTagsForResourceRequest(resourceArn: arn)).tags == [tag])

        let deleted: EmptyResponse = try await engine.send(DeleteDatasetGroupRequest(datasetGroupArn: arn))
        #expect(deleted == EmptyResponse())
        #expect(
            try await EngineHarness.waitUntilGone {
                _ = try await engine.send(DescribeDatasetGroupRequest(datasetGroupArn: arn))
            })
    }

    @Test func nonisolatedHandlersAnswerWithoutTheActor() async throws {
        let engine = harness.engine
        let recipes = try await engine.send(ListRecipesRequest()).recipes ?? []
        #expect(recipes.contains { $0.name == "aws-popularity-count" })
        let recipe = try await engine.send(DescribeRecipeRequest(recipeArn: ARN.recipe("aws-popularity-count")))
        #expect(recipe.recipe?.name == "aws-popularity-count")

        let unknownCampaign = engine.core.arn(.campaign, "missing")
        let error = await #expect(throws: PersonalizeError.self) {
            try await engine.send(GetRecommendationsRequest(campaignArn: unknownCampaign, userId: "u1"))
        }
        #expect(error?.code == .resourceNotFoundException)
    }

    @Test func constraintsAreCheckedBeforeDispatch() async throws {
        let engine = harness.engine
        let error = await #expect(throws: PersonalizeError.self) {
            try await engine.send(CreateDatasetGroupRequest(name: ""))
        }
        #expect(error?.code == .invalidInputException)
        #expect(error?.message.hasPrefix("1 validation error detected") == true, "\(String(describing: error))")
        #expect(try await engine.send(ListDatasetGroupsRequest()).datasetGroups ?? [] == [])
    }
}
