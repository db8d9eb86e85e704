import EngineAPI
import Foundation
import GRDB
import PersonalizeRules
import TailorTestSupport
import Testing

@testable import Engine

@Suite struct LifecycleTests {
    let harness: EngineHarness
    init() throws { harness = try EngineHarness() }

    @Test func datasetGroupsAreCreatedDescribedListedAndDeleted() async throws {
        let engine = harness.engine
        let arn = try await engine.send(CreateDatasetGroupRequest(name: "movies")).datasetGroupArn
        #expect(arn == "arn:aws:personalize:local:000000000000:dataset-group/movies")
        let group = try await engine.send(DescribeDatasetGroupRequest(datasetGroupArn: arn ?? "")).datasetGroup
        #expect(group?.status == "ACTIVE")
        #expect(group?.name == "movies")
        await #expect(throws: PersonalizeError.alreadyExists("The dataset group \(arn ?? "") already exists.")) {
            try await engine.send(CreateDatasetGroupRequest(name: "movies"))
        }
        _ = try await engine.send(DeleteDatasetGroupRequest(datasetGroupArn: arn ?? ""))
        await engine.waitForBackgroundJobs()  // the deletion runs in the background
        await #expect(throws: PersonalizeError.notFound("Could not find dataset group with ARN \(arn ?? "").")) {
            try await engine.send(DescribeDatasetGroupRequest(datasetGroupArn: arn ?? ""))
        }
    }

    @Test func invalidNamesAndConstraintsAreInvalidInput() async throws {
        let engine = harness.engine
        await #expect(throws: PersonalizeError.self) {
            try await engine.send(CreateDatasetGroupRequest(name: "bad name"))
        }
        await #expect {
            try await engine.send(CreateDatasetGroupRequest(name: String(repeating: "a", count: 64)))
        } throws: { error in
            (error as? PersonalizeError)?.message.contains("Member must have length less than or equal to 63") == true
        }
    }

    @Test func listsPageWithNextTokenAndRejectForeignTokens() async throws {
        let engine = harness.engine
        for index in 0..<5 { _ = try await engine.send(CreateDatasetGroupRequest(name: "g\(index)")) }
        var names: [String] = []
        var token: String?
        repeat {
            let page = try await engine.send(ListDatasetGroupsRequest(nextToken: token, maxResults: 2))
            #expect((page.datasetGroups ?? []).count <= 2)
            names += (page.datasetGroups ?? []).compactMap(\.name)
            token = page.nextToken
        } while token != nil
        #expect(names.sorted() == ["g0", "g1", "g2", "g3", "g4"])
        let first = try await engine.send(ListDatasetGroupsRequest(maxResults: 2))
        await #expect {
            try await engine.send(ListSchemasRequest(nextToken: first.nextToken))
        } throws: { ($0 as? PersonalizeError)?.code == .invalidNextTokenException }
        await #expect {
            try await engine.send(ListDatasetGroupsRequest(nextToken: "garbage"))
        } throws: { ($0 as? PersonalizeError)?.code == .invalidNextTokenException }
    }

    @Test func parentsWithChildrenCannotBeDeleted() async throws {
        let (group, dataset, _) = try await harness.importInteractions(SyntheticData().interactionsCSV(perUser: 10))
        let engine = harness.engine
        await #expect {
            try await engine.send(DeleteDatasetGroupRequest(datasetGroupArn: group))
        } throws: { ($0 as? PersonalizeError)?.code == .resourceInUseException }
        let schemaArn = try await engine.send(DescribeDatasetRequest(datasetArn: dataset)).dataset?.schemaArn ?? ""
        await #expect {
            try await engine.send(DeleteSchemaRequest(schemaArn: schemaArn))
        } throws: { ($0 as? PersonalizeError)?.code == .resourceInUseException }
        _ = try await engine.send(DeleteDatasetRequest(datasetArn: dataset))
        await engine.waitForBackgroundJobs()  // deletions finish in the background
        _ = try await engine.send(DeleteSchemaRequest(schemaArn: schemaArn))
        _ = try await engine.send(DeleteDatasetGroupRequest(datasetGroupArn: group))
        await engine.waitForBackgroundJobs()
        #expect(try await engine.send(ListDatasetGroupsRequest()).datasetGroups?.isEmpty == true)
    }

    @Test func oneDatasetPerTypeAndWrongSchemasAreRefused() async throws {
        let (group, _, _) = try await harness.importInteractions(SyntheticData().interactionsCSV(perUser: 10))
        let engine = harness.engine
        let schemas = try await engine.send(ListSchemasRequest()).schemas ?? []
        await #expect {
            try await engine.send(
                CreateDatasetRequest(
                    name: "again", schemaArn: schemas.first?.schemaArn ?? "", datasetGroupArn: group,
                    datasetType: "INTERACTIONS"))
        } throws: { ($0 as? PersonalizeError)?.code == .resourceAlreadyExistsException }
        await #expect {
            try await engine.send(
                CreateDatasetRequest(
                    name: "users", schemaArn: schemas.first?.schemaArn ?? "", datasetGroupArn: group,
                    datasetType: "USERS"))
        } throws: { error in
            (error as? PersonalizeError)?.message.contains("a USERS dataset needs a schema named Users") == true
        }
    }

    @Test func recipesAreListedAndDescribed() async throws {
        let engine = harness.engine
        let recipes = try await engine.send(ListRecipesRequest()).recipes ?? []
        #expect(recipes.count == 21, "11 custom recipes and 10 domain use cases")
        let recipe = try await engine.send(DescribeRecipeRequest(recipeArn: ARN.recipe("aws-popularity-count"))).recipe
        #expect(recipe?.recipeType == "USER_PERSONALIZATION")
        #expect(recipe?.featureTransformationArn == "arn:aws:personalize:::feature-transformation/sims")
    }

    /// Every recipe's algorithm describes itself with the guide's hyperparameter defaults and ranges (part 1 §12).
    @Test func algorithmsAndFeatureTransformationsAreDescribed() async throws {
        let engine = harness.engine
        for summary in try await engine.send(ListRecipesRequest()).recipes ?? [] {
            let recipe = try await engine.send(DescribeRecipeRequest(recipeArn: summary.recipeArn ?? "")).recipe
            let algorithm = try await engine.send(DescribeAlgorithmRequest(algorithmArn: recipe?.algorithmArn ?? ""))
                .algorithm
            #expect(algorithm?.algorithmArn == recipe?.algorithmArn)
            if let transformation = recipe?.featureTransformationArn {
                let described = try await engine.send(
                    DescribeFeatureTransformationRequest(featureTransformationArn: transformation)
                ).featureTransformation
                #expect(described?.status == "ACTIVE")
            }
        }
        let personalization = try await engine.send(
            DescribeAlgorithmRequest(algorithmArn: "arn:aws:personalize:::algorithm/aws-user-personalization")
        ).algorithm
        #expect(personalization?.defaultHyperParameters?["hidden_dimension"] == "149")
        #expect(personalization?.defaultHyperParameters?["bptt"] == "32")
        let hidden = personalization?.defaultHyperParameterRanges?.integerHyperParameterRanges?.first {
            $0.name == "hidden_dimension"
        }
        #expect(hidden?.minValue == 32 && hidden?.maxValue == 256 && hidden?.isTunable == true)
        let recency = personalization?.defaultHyperParameterRanges?.categoricalHyperParameterRanges?.first {
            $0.name == "recency_mask"
        }
        #expect(recency?.values == ["true", "false"])
        let sims = try await engine.send(
            DescribeAlgorithmRequest(algorithmArn: "arn:aws:personalize:::algorithm/aws-sims")
        ).algorithm
        #expect(sims?.defaultHyperParameters?["popularity_discount_factor"] == "0.5")
        #expect(sims?.defaultHyperParameters?["min_cointeraction_count"] == "3")
        let trending = try await engine.send(
            DescribeAlgorithmRequest(algorithmArn: "arn:aws:personalize:::algorithm/aws-trending-now-custom")
        ).algorithm
        #expect(trending?.name == "aws-trending-now-custom")
        let filtering = try await engine.send(
            DescribeFeatureTransformationRequest(
                featureTransformationArn: "arn:aws:personalize:::feature-transformation/JSON-percentile-filtering")
        ).featureTransformation
        #expect(filtering?.defaultParameters?["max_user_history_length_percentile"] == "0.99")
        await #expect {
            try await engine.send(DescribeAlgorithmRequest(algorithmArn: "arn:aws:personalize:::algorithm/nope"))
        } throws: { ($0 as? PersonalizeError)?.code == .resourceNotFoundException }
        await #expect {
            try await engine.send(
                DescribeFeatureTransformationRequest(
                    featureTransformationArn: "arn:aws:personalize:::feature-transformation/nope"))
        } throws: { ($0 as? PersonalizeError)?.code == .resourceNotFoundException }
    }

    @Test func unfinishedJobsOfADeadProcessAreMarkedInterrupted() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.url.appendingPathComponent("data")
        do {
            let engine = try EngineHarness.open(data)
            _ = try await engine.send(CreateDatasetGroupRequest(name: "g"))
            let date = Date()
            try await engine.core.database.pool.write { db in
                try ResourceStore.insert(
                    db, arn: "arn:aws:personalize:local:000000000000:dataset-import-job/stuck",
                    kind: .datasetImportJob, name: "stuck", parent: nil, status: "CREATE IN_PROGRESS", at: date,
                    body: DatasetImportJob(jobName: "stuck", status: "CREATE IN_PROGRESS"), enforcingLifecycle: false)
            }
        }
        let reopened = try EngineHarness.open(data)
        let job = try await reopened.send(
            DescribeDatasetImportJobRequest(
                datasetImportJobArn: "arn:aws:personalize:local:000000000000:dataset-import-job/stuck")
        ).datasetImportJob
        #expect(job?.status == "CREATE FAILED")
        #expect(job?.failureReason == Recovery.interruptedReason)
    }

    @Test func aSecondEngineOnTheSameFolderIsRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try EngineHarness.open(directory.url)
        #expect(throws: EngineError.self) { try EngineHarness.open(directory.url) }
        _ = first
    }
}
