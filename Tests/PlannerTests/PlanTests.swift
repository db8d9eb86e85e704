import Foundation
import TailorTestSupport
import Testing

@testable import Planner

@Suite struct PlanTests {
    private let solution = ResourceAddress(.solution, "top-picks")
    private let campaign = ResourceAddress(.campaign, "top-picks")
    private let dataset = ResourceAddress(.dataset, "interactions")

    private func actions(_ plan: Plan) -> [String: ChangeAction] {
        Dictionary(uniqueKeysWithValues: plan.changes.map { ($0.address.description, $0.action) })
    }

    @Test func createsEverythingFromAnEmptyState() async throws {
        let harness = try Harness.movielens()
        defer { harness.directory.remove() }

        let plan = try await harness.plan()

        #expect(
            plan.changes.map(\.address.description) == [
                "dataset-group/movielens", "schema/interactions", "dataset/interactions", "solution/top-picks",
                "campaign/top-picks",
            ])
        #expect(plan.changes.allSatisfy { $0.action == .create })
        let hash = SpecHash.digest(Data(Fixtures.ratings.utf8))
        #expect(plan[dataset]?.steps == [.importData(contentHash: hash)])
        #expect(plan[solution]?.steps == [.train])
        #expect(
            plan[campaign]?.fields == [
                FieldChange(path: "minProvisionedTPS", before: .absent, after: .known(.int(1))),
                FieldChange(path: "solution", before: .absent, after: .known(.string("top-picks"))),
            ])
        #expect(plan.hasChanges)
        #expect(PlanRenderer.summaryLine(plan) == "Plan: 5 to add, 0 to change, 0 to destroy.")
    }

    @Test func hasNoChangesOnceTheStateMatches() async throws {
        let harness = try Harness.movielens()
        defer { harness.directory.remove() }
        let summary = try await harness.apply()
        #expect(summary.succeeded)

        let plan = try await harness.plan()

        #expect(!plan.hasChanges)
        #expect(plan.changes.allSatisfy { $0.action == .noOp && $0.fields.isEmpty && $0.steps.isEmpty })
        #expect(PlanRenderer.text(plan) == "No changes. Your engine matches the manifests.\n")
    }

    @Test func aChangedFieldIsAnInPlaceUpdateOfExactlyThatField() async throws {
        let harness = try await Harness.appliedMovielens()
        defer { harness.directory.remove() }
        try harness.directory.write("solutions.yaml", Fixtures.solution(tps: 3))

        let plan = try await harness.plan()

        #expect(plan.actionableChanges.map(\.address) == [campaign])
        #expect(plan[campaign]?.action == .update)
        #expect(
            plan[campaign]?.fields == [
                FieldChange(path: "minProvisionedTPS", before: .known(.int(1)), after: .known(.int(3)))
            ])
        #expect(
            PlanRenderer.text(plan) == """
                Tailor will perform the following actions:

                  # campaign/top-picks will be updated in-place
                  ~ campaign/top-picks
                      ~ minProvisionedTPS: 1 → 3

                Plan: 0 to add, 1 to change, 0 to destroy.

                """)
        let summary = try await harness.apply(plan)
        #expect(summary.succeeded)
        #expect(await harness.engine.count("UpdateCampaign") == 1)
        #expect(try await !harness.plan().hasChanges)
    }

    @Test func aRecipeChangeReplacesTheSolutionAndItsCampaign() async throws {
        let harness = try await Harness.appliedMovielens()
        defer { harness.directory.remove() }
        try harness.directory.write("solutions.yaml", Fixtures.solution(recipe: "aws-popularity-count"))

        let plan = try await harness.plan()

        #expect(
            actions(plan) == [
                "dataset-group/movielens": .noOp, "schema/interactions": .noOp, "dataset/interactions": .noOp,
                "solution/top-picks": .replace, "campaign/top-picks": .replace,
            ])
        #expect(plan[solution]?.reason == .replaceBecauseCannotUpdate)
        #expect(
            plan[solution]?.fields == [
                FieldChange(
                    path: "recipe", before: .known(.string("aws-user-personalization")),
                    after: .known(.string("aws-popularity-count")), forcesReplacement: true)
            ])
        #expect(plan[campaign]?.reason == .replaceBecauseDependencyReplaced)
        #expect(
            PlanRenderer.text(plan).contains(
                """
                  # solution/top-picks must be replaced
                -/+ solution/top-picks
                      ~ recipe: "aws-user-personalization" → "aws-popularity-count" # forces replacement
                """))
        #expect(PlanRenderer.summaryLine(plan) == "Plan: 2 to add, 0 to change, 2 to destroy.")

        let before = await harness.engine.calls.count
        let summary = try await harness.apply(plan)
        #expect(summary.succeeded)
        #expect(
            await Array(harness.engine.operations.dropFirst(before)) == [
                "DeleteCampaign", "DeleteSolution", "CreateSolution", "CreateSolutionVersion", "CreateCampaign",
            ])
        #expect(try await !harness.plan().hasChanges)
    }

    @Test func aHyperparameterChangeIsDiffedKeyByKey() async throws {
        let harness = try await Harness.appliedMovielens()
        defer { harness.directory.remove() }
        try harness.directory.write(
            "solutions.yaml",
            Fixtures.solution().replacingOccurrences(
                of: "{hidden_dimension: 64}", with: "{hidden_dimension: 32, epochs: 5}"))

        let plan = try await harness.plan()

        #expect(plan[solution]?.action == .replace)
        #expect(plan[solution]?.fields.map(\.path) == ["hyperParameters.epochs", "hyperParameters.hidden_dimension"])
        #expect(plan[solution]?.fields.last?.before == .known(.string("64")))
        #expect(plan[solution]?.fields.last?.after == .known(.string("32")))
    }

    @Test func aRemovedManifestIsDeleted() async throws {
        let harness = try await Harness.appliedMovielens()
        defer { harness.directory.remove() }
        try FileManager.default.removeItem(at: harness.directory.url.appendingPathComponent("solutions.yaml"))

        let plan = try await harness.plan()

        #expect(plan.actionableChanges.map(\.address) == [solution, campaign])
        #expect(
            plan.actionableChanges.allSatisfy { $0.action == .delete && $0.reason == .deleteBecauseNoResourceConfig })
        #expect(PlanRenderer.summaryLine(plan) == "Plan: 0 to add, 0 to change, 2 to destroy.")
        let summary = try await harness.apply(plan)
        #expect(summary.succeeded)
        #expect(
            await Array(harness.engine.operations.suffix(2)) == [
                "DeleteCampaign", "DeleteSolution",
            ])
        #expect(
            try harness.state().addresses.map(\.description) == [
                "dataset-group/movielens", "schema/interactions", "dataset/interactions",
            ])
    }

    @Test func changedDataIsReimportedRetrainedAndRedeployed() async throws {
        let harness = try await Harness.appliedMovielens()
        defer { harness.directory.remove() }
        let trained = try harness.state()[solution]?.string(StateEntry.Key.solutionVersionArn)
        try harness.directory.write("data/ratings.csv", Fixtures.ratings + "3,30,300\n")

        let plan = try await harness.plan()

        #expect(
            actions(plan) == [
                "dataset-group/movielens": .noOp, "schema/interactions": .noOp, "dataset/interactions": .update,
                "solution/top-picks": .update, "campaign/top-picks": .update,
            ])
        #expect(plan[dataset]?.notes == ["re-import: the content of ../data/ratings.csv changed"])
        #expect(plan[dataset]?.fields.map(\.path) == ["import.contentHash"])
        #expect(plan[solution]?.notes == ["retrain: dataset/interactions is imported"])
        #expect(
            plan[solution]?.fields == [
                FieldChange(path: "solutionVersion", before: .known(.string(try #require(trained))), after: .unknown)
            ])
        #expect(
            plan[campaign]?.fields == [
                FieldChange(path: "solutionVersion", before: .known(.string(try #require(trained))), after: .unknown)
            ])
        #expect(plan.changes.allSatisfy { $0.action != .update || $0.reason == .updateBecauseDataChanged })

        let before = await harness.engine.calls.count
        let summary = try await harness.apply(plan)
        #expect(summary.succeeded)
        #expect(
            await Array(harness.engine.operations.dropFirst(before)) == [
                "CreateDatasetImportJob", "CreateSolutionVersion", "UpdateCampaign",
            ])
        let state = try harness.state()
        #expect(
            state[campaign]?.string(StateEntry.Key.solutionVersionArn)
                == state[solution]?.string(StateEntry.Key.solutionVersionArn))
        #expect(state[campaign]?.string(StateEntry.Key.solutionVersionArn) != trained)
        #expect(try await !harness.plan().hasChanges)
    }

    @Test func refreshRecreatesWhatWasDeletedOutsideTailor() async throws {
        let harness = try await Harness.appliedMovielens()
        defer { harness.directory.remove() }
        try await harness.deleteOutsideTailor(campaign)

        let plan = try await harness.plan()
        let unrefreshed = try await harness.plan(refresh: false)

        #expect(plan.actionableChanges.map(\.address) == [campaign])
        #expect(plan[campaign]?.action == .create)
        #expect(plan[campaign]?.reason == .createBecauseMissingInEngine)
        #expect(!unrefreshed.hasChanges)
    }

    @Test func destroyPlansADeleteForEverythingInState() async throws {
        let harness = try await Harness.appliedMovielens()
        defer { harness.directory.remove() }

        let plan = Planner(service: harness.engine).destroyPlan(state: try harness.state())

        #expect(plan.isDestroy)
        #expect(plan.changes.count == 5)
        #expect(plan.changes.allSatisfy { $0.action == .delete })
        #expect(PlanRenderer.summaryLine(plan) == "Plan: 0 to add, 0 to change, 5 to destroy.")
        let summary = try await harness.apply(plan)
        #expect(summary.succeeded)
        #expect(
            await Array(harness.engine.operations.suffix(5)) == [
                "DeleteCampaign", "DeleteSolution", "DeleteDataset", "DeleteSchema", "DeleteDatasetGroup",
            ])
        #expect(try harness.state().resources.isEmpty)
        #expect(await harness.engine.resources.isEmpty)
        #expect(
            PlanRenderer.text(Planner(service: harness.engine).destroyPlan(state: try harness.state()))
                == "No changes. No resources are in state, so there is nothing to destroy.\n")
    }
}
