import EngineAPI
import Foundation
import GRDB
import PersonalizeRules
import TailorTestSupport
import Testing

@testable import Engine

/// Domain use cases as recipes: `ListRecipes(domain:)` and `DescribeRecipe` of a use case's ARN.
@Suite struct DomainRecipeTests {
    private static func code(_ error: any Error) -> PersonalizeErrorCode? { (error as? PersonalizeError)?.code }

    /// `ListRecipes(domain:)` lists only that domain's use cases; without a domain every recipe is listed
    /// ("If you don't specify a domain, all recipes are returned").
    @Test func listRecipesFiltersByDomain() async throws {
        let harness = try EngineHarness()
        defer { harness.directory.remove() }
        let engine = harness.engine
        let ecommerce = try await engine.send(ListRecipesRequest(domain: .ecommerce)).recipes ?? []
        #expect(
            Set(ecommerce.compactMap(\.name)) == [
                "aws-ecomm-popular-items-by-views", "aws-ecomm-popular-items-by-purchases",
                "aws-ecomm-frequently-bought-together", "aws-ecomm-customers-who-viewed-x-also-viewed",
                "aws-ecomm-recommended-for-you",
            ])
        #expect(ecommerce.allSatisfy { $0.domain == .ecommerce && $0.status == "ACTIVE" })
        #expect(ecommerce.allSatisfy { $0.recipeArn == ARN.recipe($0.name ?? "") })
        let video = try await engine.send(ListRecipesRequest(domain: .videoOnDemand)).recipes ?? []
        #expect(video.count == 5)
        #expect(video.allSatisfy { $0.domain == .videoOnDemand && ($0.name ?? "").hasPrefix("aws-vod-") })

        let all = try await engine.send(ListRecipesRequest()).recipes ?? []
        #expect(all.contains { $0.name == "aws-user-personalization" && $0.domain == nil })
        #expect(all.filter { $0.domain != nil }.count == 10)
    }

    /// Every domain use case's recipe ARN, which CreateRecommender takes, is described.
    @Test func domainRecipesAreDescribed() async throws {
        let harness = try EngineHarness()
        defer { harness.directory.remove() }
        let engine = harness.engine
        for useCase in DomainUseCase.all {
            let recipe = try await engine.send(DescribeRecipeRequest(recipeArn: useCase.recipeArn)).recipe
            #expect(recipe?.name == useCase.name)
            #expect(recipe?.recipeArn == "arn:aws:personalize:::recipe/\(useCase.name)")
            #expect(recipe?.status == "ACTIVE")
            #expect(recipe?.recipeType == useCase.recipe.type.rawValue)
            #expect(recipe?.description?.isEmpty == false)
        }
        let forYou = try await engine.send(
            DescribeRecipeRequest(recipeArn: "arn:aws:personalize:::recipe/aws-ecomm-recommended-for-you")
        ).recipe
        #expect(forYou?.recipeType == "USER_PERSONALIZATION")
        await #expect {
            try await engine.send(DescribeRecipeRequest(recipeArn: "arn:aws:personalize:::recipe/aws-ecomm-nothing"))
        } throws: { Self.code($0) == .resourceNotFoundException }
    }
}
