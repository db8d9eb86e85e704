import Engine
import EngineAPI
import Foundation
import TailorTestSupport
import Testing

@testable import Planner

/// The Recommender kind on the embedded engine: created on a domain dataset group (trained), its configuration
/// updated in place with UpdateRecommender, another use case replacing it, its ARN an output, and destroyed.
@Suite struct RecommenderKindTests {
    static func recommender(
        recipe: String = "ecomm-recommended-for-you", tps: Int = 1, extra: String = ""
    ) -> String {
        """
        apiVersion: tailor/v1
        kind: Recommender
        metadata: {name: for-you, tags: {team: shop}}
        spec:
          datasetGroup: shop
          recipe: \(recipe)
          minRecommendationRequestsPerSecond: \(tps)
        \(extra)
        """
    }

    static let project = """
        apiVersion: tailor/v1
        kind: Project
        metadata: {name: shop}
        spec:
          outputs:
            recommender-arn: {value: "${recommender.for-you.recommenderArn}"}

        """

    /// The recommender the tests declare.
    static let forYou = ResourceAddress(.recommender, "for-you")

    private func harness() throws -> EngineBackedHarness {
        let harness = try EngineBackedHarness()
        try ShopFixtures.write(
            to: harness.directory, domain: "ECOMMERCE", eventTypes: ["click": "View", "purchase": "Purchase"])
        try harness.directory.write("recommender.yaml", Self.recommender())
        try harness.directory.write("tailor.yaml", Self.project)
        return harness
    }

    private func described(_ harness: EngineBackedHarness) async throws -> Recommender {
        let arn = try harness.arn(Self.forYou)
        return try #require(try await harness.local.send(DescribeRecommenderRequest(recommenderArn: arn)).recommender)
    }

    @Test func createUpdateInPlaceReplaceAndDestroy() async throws {
        let harness = try harness()
        defer { harness.directory.remove() }

        let created = try await harness.plan()
        #expect(created[Self.forYou]?.action == .create)
        #expect(created[Self.forYou]?.dependencies.contains(ResourceAddress(.dataset, "shop-interactions")) == true)
        #expect(try await harness.apply(created).succeeded)
        var recommender = try await described(harness)
        #expect(recommender.status == "ACTIVE")
        #expect(recommender.recipeArn == "arn:aws:personalize:::recipe/aws-ecomm-recommended-for-you")
        let state = try harness.state()
        #expect(state[Self.forYou]?.string(StateEntry.Key.recommenderArn) == recommender.recommenderArn)
        #expect(state.outputs["recommender-arn"]?.value == .string(try harness.arn(Self.forYou)))
        #expect(try await !harness.plan().hasChanges)

        // `tailor import` adopts it again with nothing to do.
        let forgotten = try harness.store.write(state.removing([Self.forYou]))
        let imported = try await Importer(service: harness.engine).importing(
            Self.forYou, arn: try #require(state[Self.forYou]?.arn), manifests: harness.manifests(), state: forgotten)
        #expect(imported.state[Self.forYou]?.spec["recipe"] == .string("aws-ecomm-recommended-for-you"))
        try harness.store.write(imported.state)
        #expect(try await !harness.plan().hasChanges)

        // The provisioned rate and the excluded columns change in place.
        await harness.engine.reset()
        try harness.directory.write(
            "recommender.yaml",
            Self.recommender(tps: 3, extra: "  trainingDataConfig: {excludedDatasetColumns: {ITEMS: [GENRE]}}"))
        let updated = try await harness.plan()
        let change = try #require(updated[Self.forYou])
        #expect(change.action == .update)
        #expect(change.fields.map(\.path) == ["minRecommendationRequestsPerSecond", "trainingDataConfig"])
        #expect(!change.fields.contains { $0.forcesReplacement })
        #expect(try await harness.apply(updated).succeeded)
        let sent = await harness.engine.sent(UpdateRecommenderRequest.self)
        #expect(sent.count == 1)
        #expect(sent.first?.recommenderConfig.minRecommendationRequestsPerSecond == 3)
        #expect(sent.first?.recommenderConfig.trainingDataConfig?.excludedDatasetColumns == ["ITEMS": ["GENRE"]])
        #expect(sent.first?.recommenderConfig.itemExplorationConfig == nil)
        recommender = try await described(harness)
        #expect(recommender.recommenderConfig?.minRecommendationRequestsPerSecond == 3)
        #expect(recommender.recommenderConfig?.trainingDataConfig?.excludedDatasetColumns == ["ITEMS": ["GENRE"]])
        #expect(await harness.engine.sent(CreateRecommenderRequest.self).isEmpty)
        #expect(try await !harness.plan().hasChanges)

        // Another use case replaces it.
        let before = recommender.creationDateTime
        try harness.directory.write("recommender.yaml", Self.recommender(recipe: "aws-ecomm-popular-items-by-views"))
        let replaced = try await harness.plan()
        #expect(replaced[Self.forYou]?.action == .replace)
        #expect(replaced[Self.forYou]?.reason == .replaceBecauseCannotUpdate)
        #expect(replaced[Self.forYou]?.fields.first { $0.path == "recipe" }?.forcesReplacement == true)
        #expect(try await harness.apply(replaced).succeeded)
        recommender = try await described(harness)
        #expect(recommender.recipeArn == "arn:aws:personalize:::recipe/aws-ecomm-popular-items-by-views")
        #expect(recommender.creationDateTime != before)
        #expect(try await !harness.plan().hasChanges)

        let arn = try harness.arn(Self.forYou)
        #expect(try await harness.destroy().succeeded)
        await #expect(throws: PersonalizeError.self) {
            try await harness.local.send(DescribeRecommenderRequest(recommenderArn: arn))
        }
    }

    @Test func activeStopsAndStartsIt() async throws {
        let harness = try harness()
        defer { harness.directory.remove() }

        // Declared stopped: created, trained, then stopped.
        try harness.directory.write("recommender.yaml", Self.recommender(extra: "  active: false"))
        #expect(try await harness.apply(try await harness.plan()).succeeded)
        #expect(try await described(harness).status == "INACTIVE")
        #expect(await harness.engine.sent(StopRecommenderRequest.self).count == 1)
        #expect(try await !harness.plan().hasChanges)

        // A configuration change of a stopped recommender: started for the update, stopped again.
        await harness.engine.reset()
        try harness.directory.write("recommender.yaml", Self.recommender(tps: 2, extra: "  active: false"))
        let reconfigured = try await harness.plan()
        #expect(reconfigured[Self.forYou]?.fields.map(\.path) == ["minRecommendationRequestsPerSecond"])
        #expect(try await harness.apply(reconfigured).succeeded)
        var recommender = try await described(harness)
        #expect(recommender.status == "INACTIVE")
        #expect(recommender.recommenderConfig?.minRecommendationRequestsPerSecond == 2)
        #expect(await harness.engine.sent(StartRecommenderRequest.self).count == 1)
        #expect(await harness.engine.sent(StopRecommenderRequest.self).count == 1)

        // `active: true` starts it, and it serves again.
        await harness.engine.reset()
        try harness.directory.write("recommender.yaml", Self.recommender(tps: 2, extra: "  active: true"))
        let started = try await harness.plan()
        #expect(started[Self.forYou]?.action == .update)
        #expect(started[Self.forYou]?.fields.map(\.path) == ["active"])
        #expect(try await harness.apply(started).succeeded)
        recommender = try await described(harness)
        #expect(recommender.status == "ACTIVE")
        #expect(await harness.engine.sent(UpdateRecommenderRequest.self).isEmpty)
        let served = try await harness.local.send(
            GetRecommendationsRequest(userId: "u1", numResults: 3, recommenderArn: recommender.recommenderArn))
        #expect(served.itemList?.isEmpty == false)

        // Stopped by hand while the manifest says active: drift, and apply starts it again.
        let arn = try harness.arn(Self.forYou)
        _ = try await harness.local.send(StopRecommenderRequest(recommenderArn: arn))
        let drifted = try await harness.plan()
        #expect(drifted[Self.forYou]?.fields.map(\.path) == ["active"])
        #expect(try await harness.apply(drifted).succeeded)
        #expect(try await described(harness).status == "ACTIVE")

        // Without `active`, a stop by hand is nobody's business but the one who stopped it.
        try harness.directory.write("recommender.yaml", Self.recommender(tps: 2))
        _ = try await harness.local.send(StopRecommenderRequest(recommenderArn: arn))
        #expect(try await !harness.plan().hasChanges)
    }

    @Test func useCasesAndDomainsAreCheckedLocally() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("shop.yaml", ShopFixtures.group(domain: "VIDEO_ON_DEMAND"))
        try directory.write("data/interactions.csv", ShopFixtures.interactions())
        try directory.write(
            "recommenders.yaml",
            Self.recommender()
                + """
                ---
                apiVersion: tailor/v1
                kind: Recommender
                metadata: {name: typo}
                spec:
                  datasetGroup: shop
                  recipe: aws-vod-top-pics
                  trainingDataConfig: {excludedDatasetColumns: {ITEM: [GENRE], INTERACTIONS: [EVENT_TYPE]}}
                  itemExplorationConfig: {explorationWeigth: "0.3"}

                """)
        let errors = Fixtures.loadErrors(directory)
        #expect(
            errors.contains(
                "recommenders.yaml:5:17: error: recommender 'for-you' uses aws-ecomm-recommended-for-you, a ECOMMERCE "
                    + "use case, but dataset group 'shop' is a VIDEO_ON_DEMAND dataset group"))
        #expect(
            errors.contains(
                "recommenders.yaml:14:11: error: unknown recommender use case 'aws-vod-top-pics'; "
                    + "did you mean 'aws-vod-top-picks'?"))
        #expect(
            errors.contains(
                "recommenders.yaml:15:49: error: unknown dataset type 'ITEM' in "
                    + "'spec.trainingDataConfig.excludedDatasetColumns'; did you mean 'ITEMS'?"))
        #expect(errors.contains("recommenders.yaml:15:78: error: EVENT_TYPE cannot be excluded from training"))
        #expect(
            errors.contains(
                "recommenders.yaml:16:27: error: unknown key 'explorationWeigth' in 'spec.itemExplorationConfig'; "
                    + "did you mean 'explorationWeight'?"))
    }

    @Test func aDatasetsSchemaMustBeOfItsGroupsDomain() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try ShopFixtures.write(to: directory, domain: "ECOMMERCE")
        try directory.write("items.yaml", ShopFixtures.items())  // a schema without domain, in an ECOMMERCE group
        #expect(
            Fixtures.loadErrors(directory).contains(
                "items.yaml:17:11: error: dataset 'shop-items' of dataset group 'shop' (a ECOMMERCE dataset group) uses "
                    + "schema 'shop-items', which has no domain; set 'spec.domain: ECOMMERCE' on the schema"))
        try directory.write("items.yaml", ShopFixtures.items(domain: "ECOMMERCE"))
        _ = try ManifestLoader.load(directory: directory.url)
    }
}
